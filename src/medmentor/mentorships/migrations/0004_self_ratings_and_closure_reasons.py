"""Move each evaluation's scores into self-ratings at closure, and give every ended
mentorship its closure category from the status change that ended it."""

from django.db import migrations


def forwards(apps, schema_editor):
    Evaluation = apps.get_model("mentorships", "Evaluation")
    SelfRating = apps.get_model("mentorships", "SelfRating")
    Mentorship = apps.get_model("mentorships", "Mentorship")
    StatusChange = apps.get_model("mentorships", "StatusChange")

    rows = [
        SelfRating(
            mentorship_id=evaluation.mentorship_id,
            user_id=evaluation.user_id,
            role=evaluation.role,
            moment="closure",
            dimension=dimension,
            score=score,
            given_at=evaluation.submitted_at,
        )
        for evaluation in Evaluation.objects.all().iterator()
        for dimension, score in (evaluation.ratings or {}).items()
        if isinstance(score, int) and 1 <= score <= 5
    ]
    SelfRating.objects.bulk_create(rows, batch_size=1000)

    for mentorship in Mentorship.objects.filter(status="ended", closure_reason="").iterator():
        change = (
            StatusChange.objects.filter(mentorship=mentorship, to_status="ended")
            .order_by("-at")
            .first()
        )
        by = change.by_id if change else None
        if by is not None and by == mentorship.mentor_id:
            reason = "mentor_ended"
        elif by is not None and by == mentorship.mentee_id:
            reason = "mentee_ended"
        elif mentorship.ended_at and mentorship.ended_at.date() >= mentorship.planned_end_on:
            reason = "completed"
        else:
            reason = "inactivity"
        Mentorship.objects.filter(pk=mentorship.pk).update(closure_reason=reason)


def backwards(apps, schema_editor):
    Evaluation = apps.get_model("mentorships", "Evaluation")
    SelfRating = apps.get_model("mentorships", "SelfRating")
    for evaluation in Evaluation.objects.all().iterator():
        scores = SelfRating.objects.filter(
            mentorship_id=evaluation.mentorship_id, user_id=evaluation.user_id, moment="closure"
        )
        evaluation.ratings = {row.dimension: row.score for row in scores}
        evaluation.save(update_fields=["ratings"])


class Migration(migrations.Migration):
    dependencies = [
        ("mentorships", "0003_evaluation_would_recommend_mentorship_closure_reason_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
