"""A goal's area takes the profile's mentoring-goal codes (the taxonomy) instead of the
workspace's own list: the same areas, spelt with hyphens, and "other" is "anything-else"."""

from django.db import migrations

OLD_TO_NEW = {
    "career_goals": "career-goals",
    "career_expectations": "career-expectations",
    "work_life_balance": "work-life-balance",
    "clinical_skills": "clinical-skills",
    "practice_management": "practice-management",
    "other": "anything-else",
}


def forwards(apps, schema_editor):
    Goal = apps.get_model("mentorships", "Goal")
    for old, new in OLD_TO_NEW.items():
        Goal.objects.filter(area=old).update(area=new)


def backwards(apps, schema_editor):
    Goal = apps.get_model("mentorships", "Goal")
    for old, new in OLD_TO_NEW.items():
        Goal.objects.filter(area=new).update(area=old)


class Migration(migrations.Migration):
    dependencies = [("mentorships", "0005_remove_evaluation_ratings")]

    operations = [migrations.RunPython(forwards, backwards)]
