"""Takes over the tables the programs app created, without touching them: only Django's
model state moves (decision 0036); the rows, their ids and the table names stay."""

import django.core.validators
import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models

from medmentor.core.migration_steps import content_types_follow


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('mentorships', '0006_goal_areas_from_the_taxonomy'),
        ('programs', '0009_lift_apps_out_of_programs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MatchRound',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('algorithm', models.CharField(choices=[('stable', 'Stable: nobody would rather swap'), ('optimal', 'Optimal: the highest total score')], default='stable', max_length=10, verbose_name='algorithm')),
                        ('seed', models.PositiveIntegerField(default=0, verbose_name='seed')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('ready', 'Ready for review'), ('failed', 'Failed'), ('published', 'Published')], default='queued', max_length=12, verbose_name='status')),
                        ('progress', models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='progress (%)')),
                        ('phase', models.CharField(blank=True, choices=[('', 'Waiting for its turn'), ('loading', 'Loading the pool'), ('engine', 'Matching'), ('storing', 'Storing the proposals'), ('done', 'Done')], max_length=10, verbose_name='phase')),
                        ('places', models.JSONField(blank=True, default=dict, verbose_name="mentors' places")),
                        ('summary', models.JSONField(blank=True, default=dict, verbose_name='summary')),
                        ('timings', models.JSONField(blank=True, default=dict, verbose_name='timings (seconds)')),
                        ('error', models.TextField(blank=True, verbose_name='error')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                        ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='published')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rounds', to='programs.program')),
                        ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('rerun_of', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reruns', to='matchrounds.matchround', verbose_name='re-run of')),
                    ],
                    options={
                        'verbose_name': 'match round',
                        'verbose_name_plural': 'match rounds',
                        'db_table': 'programs_matchround',
                        'ordering': ('-created_at', '-id'),
                    },
                ),
                migrations.CreateModel(
                    name='Pick',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('mentor', 'Mentor'), ('mentee', 'Mentee')], max_length=16, verbose_name='as')),
                        ('rank', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='rank')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('chooser', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='picks_made', to=settings.AUTH_USER_MODEL)),
                        ('chosen', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='picks_received', to=settings.AUTH_USER_MODEL)),
                        ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='picks', to='programs.program')),
                    ],
                    options={
                        'verbose_name': 'pick',
                        'verbose_name_plural': 'picks',
                        'db_table': 'programs_pick',
                        'ordering': ('program', 'chooser', 'rank'),
                    },
                ),
                migrations.CreateModel(
                    name='Proposal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('score', models.FloatField(verbose_name='score')),
                        ('consideration', models.FloatField(blank=True, null=True, verbose_name='consideration')),
                        ('camaraderie', models.FloatField(blank=True, null=True, verbose_name='camaraderie')),
                        ('commonality', models.FloatField(blank=True, null=True, verbose_name='commonality')),
                        ('confidentiality', models.FloatField(blank=True, null=True, verbose_name='confidentiality')),
                        ('reasons', models.JSONField(blank=True, default=list, verbose_name='reasons')),
                        ('locked', models.BooleanField(default=False, verbose_name='locked')),
                        ('origin', models.CharField(choices=[('engine', 'Matching engine'), ('hand', 'Paired by hand')], default='engine', max_length=8, verbose_name='origin')),
                        ('warnings', models.JSONField(blank=True, default=list, verbose_name='rules it breaks')),
                        ('status', models.CharField(choices=[('proposed', 'Proposed (not published)'), ('published', 'Waiting for answers'), ('accepted', 'Accepted: mentorship started'), ('declined', 'Declined'), ('failed', 'Could not start')], default='proposed', max_length=10, verbose_name='status')),
                        ('mentee_response', models.CharField(choices=[('pending', 'No answer yet'), ('accepted', 'Accepted'), ('declined', 'Declined')], default='pending', max_length=10, verbose_name="mentee's answer")),
                        ('mentee_reason', models.TextField(blank=True, verbose_name="mentee's private reason")),
                        ('mentee_responded_at', models.DateTimeField(blank=True, null=True)),
                        ('mentor_response', models.CharField(choices=[('pending', 'No answer yet'), ('accepted', 'Accepted'), ('declined', 'Declined')], default='pending', max_length=10, verbose_name="mentor's answer")),
                        ('mentor_reason', models.TextField(blank=True, verbose_name="mentor's private reason")),
                        ('mentor_responded_at', models.DateTimeField(blank=True, null=True)),
                        ('failure', models.TextField(blank=True, verbose_name='why it could not start')),
                        ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals_as_mentee', to=settings.AUTH_USER_MODEL, verbose_name='mentee')),
                        ('mentor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals_as_mentor', to=settings.AUTH_USER_MODEL, verbose_name='mentor')),
                        ('mentorship', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='mentorships.mentorship')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals', to='matchrounds.matchround')),
                    ],
                    options={
                        'verbose_name': 'proposal',
                        'verbose_name_plural': 'proposals',
                        'db_table': 'programs_proposal',
                        'ordering': ('-score', 'id'),
                    },
                ),
                migrations.CreateModel(
                    name='UnmatchedEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('role', models.CharField(choices=[('coordinator', 'Coordinator'), ('mentor', 'Mentor'), ('mentee', 'Mentee')], default='mentee', max_length=16, verbose_name='role')),
                        ('code', models.CharField(choices=[('no_eligible_mentor', 'No eligible mentor'), ('mentors_full', 'Every eligible mentor is full'), ('ranked_none_accepted', 'Nobody they ranked accepted'), ('no_profile', 'No complete profile'), ('broken', 'Broken by the coordinator'), ('lock_dropped', 'A locked pair no longer fits')], max_length=24, verbose_name='reason')),
                        ('message', models.CharField(blank=True, max_length=300, verbose_name='details')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='unmatched', to='matchrounds.matchround')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'unmatched person',
                        'verbose_name_plural': 'unmatched people',
                        'db_table': 'programs_unmatchedentry',
                        'ordering': ('role', 'code', 'id'),
                    },
                ),
                migrations.AddIndex(
                    model_name='matchround',
                    index=models.Index(fields=['program', 'status'], name='programs_ma_program_598026_idx'),
                ),
                migrations.AddConstraint(
                    model_name='pick',
                    constraint=models.UniqueConstraint(fields=('program', 'chooser', 'rank'), name='pick_one_person_per_rank'),
                ),
                migrations.AddConstraint(
                    model_name='pick',
                    constraint=models.UniqueConstraint(fields=('program', 'chooser', 'chosen'), name='pick_each_person_once'),
                ),
                migrations.AddConstraint(
                    model_name='pick',
                    constraint=models.CheckConstraint(condition=models.Q(('rank__gte', 1), ('rank__lte', 5)), name='pick_rank_1_to_5'),
                ),
                migrations.AddConstraint(
                    model_name='pick',
                    constraint=models.CheckConstraint(condition=models.Q(('chooser', models.F('chosen')), _negated=True), name='pick_not_oneself'),
                ),
                migrations.AddIndex(
                    model_name='proposal',
                    index=models.Index(fields=['round', 'status'], name='programs_pr_round_i_2415c3_idx'),
                ),
                migrations.AddIndex(
                    model_name='proposal',
                    index=models.Index(fields=['mentee', 'status'], name='programs_pr_mentee__a2e743_idx'),
                ),
                migrations.AddIndex(
                    model_name='proposal',
                    index=models.Index(fields=['mentor', 'status'], name='programs_pr_mentor__d54da7_idx'),
                ),
                migrations.AddConstraint(
                    model_name='proposal',
                    constraint=models.UniqueConstraint(fields=('round', 'mentee'), name='proposal_one_per_mentee_per_round', violation_error_message='This mentee already has a proposal in this round.'),
                ),
                migrations.AddConstraint(
                    model_name='proposal',
                    constraint=models.CheckConstraint(condition=models.Q(('mentor', models.F('mentee')), _negated=True), name='proposal_two_people', violation_error_message='A person cannot mentor themselves.'),
                ),
                migrations.AddConstraint(
                    model_name='unmatchedentry',
                    constraint=models.UniqueConstraint(fields=('round', 'user', 'role'), name='unmatched_once_per_round_and_role'),
                ),
            ],
        ),
        content_types_follow(models=['matchround', 'proposal', 'unmatchedentry', 'pick'], from_app="programs", to_app="matchrounds"),
    ]
