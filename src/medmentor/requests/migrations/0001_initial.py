"""Takes over the tables the programs app created, without touching them: only Django's
model state moves (decision 0036); the rows, their ids and the table names stay."""

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
                    name='RequestCascade',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('message', models.TextField(max_length=1000, verbose_name='message')),
                        ('goals', models.JSONField(blank=True, default=list, verbose_name='goals')),
                        ('goals_note', models.CharField(blank=True, max_length=500, verbose_name='goals, in your words')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('accepted', 'A mentor accepted'), ('exhausted', 'No mentor could take it'), ('withdrawn', 'Withdrawn'), ('superseded', 'Closed: matched with another mentor')], default='open', max_length=12, verbose_name='status')),
                        ('position', models.PositiveSmallIntegerField(default=0, verbose_name='current mentor')),
                        ('created_at', models.DateTimeField(verbose_name='sent')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                        ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='request_cascades', to=settings.AUTH_USER_MODEL)),
                        ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='request_cascades', to='programs.program')),
                    ],
                    options={
                        'verbose_name': 'request line-up',
                        'verbose_name_plural': 'request line-ups',
                        'db_table': 'programs_requestcascade',
                        'ordering': ('-created_at', '-id'),
                    },
                ),
                migrations.CreateModel(
                    name='Request',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('message', models.TextField(max_length=1000, verbose_name='message')),
                        ('goals', models.JSONField(blank=True, default=list, verbose_name='goals')),
                        ('goals_note', models.CharField(blank=True, max_length=500, verbose_name='goals, in your words')),
                        ('status', models.CharField(choices=[('pending', 'Waiting for an answer'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('expired', 'No answer in time'), ('withdrawn', 'Withdrawn'), ('superseded', 'Closed: matched with another mentor')], default='pending', max_length=12, verbose_name='status')),
                        ('decline_reason', models.TextField(blank=True, help_text='Seen by the mentor only; the mentee sees “declined”.', max_length=1000, verbose_name='private reason')),
                        ('sent_at', models.DateTimeField(verbose_name='sent')),
                        ('due_at', models.DateTimeField(verbose_name='answer due')),
                        ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered')),
                        ('mentee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requests_sent', to=settings.AUTH_USER_MODEL, verbose_name='mentee')),
                        ('mentor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requests_received', to=settings.AUTH_USER_MODEL, verbose_name='mentor')),
                        ('mentorship', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='request', to='mentorships.mentorship')),
                        ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requests', to='programs.program', verbose_name='program')),
                        ('cascade', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='requests', to='requests.requestcascade')),
                    ],
                    options={
                        'verbose_name': 'request',
                        'verbose_name_plural': 'requests',
                        'db_table': 'programs_request',
                        'ordering': ('-sent_at', '-id'),
                    },
                ),
                migrations.CreateModel(
                    name='CascadeStop',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField()),
                        ('mentor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('cascade', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stops', to='requests.requestcascade')),
                    ],
                    options={
                        'db_table': 'programs_cascadestop',
                        'ordering': ('cascade', 'position'),
                    },
                ),
                migrations.AddIndex(
                    model_name='requestcascade',
                    index=models.Index(fields=['mentee', 'program', 'status'], name='programs_re_mentee__8092af_idx'),
                ),
                migrations.AddIndex(
                    model_name='request',
                    index=models.Index(fields=['mentor', 'status'], name='programs_re_mentor__d9ad82_idx'),
                ),
                migrations.AddIndex(
                    model_name='request',
                    index=models.Index(fields=['status', 'due_at'], name='programs_re_status_44c802_idx'),
                ),
                migrations.AddConstraint(
                    model_name='request',
                    constraint=models.CheckConstraint(condition=models.Q(('mentor', models.F('mentee')), _negated=True), name='request_two_people', violation_error_message='You cannot ask yourself.'),
                ),
                migrations.AddConstraint(
                    model_name='request',
                    constraint=models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('mentee', 'mentor'), name='request_one_pending_per_pair', violation_error_message='You already have a request waiting with this mentor.'),
                ),
                migrations.AddConstraint(
                    model_name='cascadestop',
                    constraint=models.UniqueConstraint(fields=('cascade', 'position'), name='cascade_stop_position'),
                ),
                migrations.AddConstraint(
                    model_name='cascadestop',
                    constraint=models.UniqueConstraint(fields=('cascade', 'mentor'), name='cascade_stop_mentor_once'),
                ),
            ],
        ),
        content_types_follow(models=['requestcascade', 'cascadestop', 'request'], from_app="programs", to_app="requests"),
    ]
