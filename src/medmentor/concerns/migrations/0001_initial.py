"""Takes over the table the programs app created, without touching it: only Django's
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
        ('requests', '0001_initial'),
        ('programs', '0009_lift_apps_out_of_programs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Concern',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('text', models.TextField(max_length=4000, verbose_name='what happened')),
                        ('also_blocked', models.BooleanField(default=False, verbose_name='the reporter also blocked this person')),
                        ('status', models.CharField(choices=[('open', 'Received'), ('in_review', 'In review'), ('resolved', 'Resolved')], default='open', max_length=12, verbose_name='status')),
                        ('created_at', models.DateTimeField(verbose_name='reported')),
                        ('updated_at', models.DateTimeField(verbose_name='last change')),
                        ('about', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='concerns_about', to=settings.AUTH_USER_MODEL, verbose_name='about')),
                        ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='concerns', to='programs.program', verbose_name='program')),
                        ('reporter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='concerns_reported', to=settings.AUTH_USER_MODEL, verbose_name='reported by')),
                    ],
                    options={
                        'verbose_name': 'concern',
                        'verbose_name_plural': 'concerns',
                        'db_table': 'programs_concern',
                        'ordering': ('-created_at', '-id'),
                    },
                ),
                migrations.AddField(
                    model_name='concern',
                    name='request',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='concerns', to='requests.request', verbose_name='request'),
                ),
                migrations.AddField(
                    model_name='concern',
                    name='updated_by',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='last changed by'),
                ),
                migrations.AddIndex(
                    model_name='concern',
                    index=models.Index(fields=['program', 'status'], name='programs_co_program_ca68c0_idx'),
                ),
                migrations.AddConstraint(
                    model_name='concern',
                    constraint=models.CheckConstraint(condition=models.Q(('about', models.F('reporter')), _negated=True), name='concern_about_someone_else', violation_error_message='A concern is about someone else.'),
                ),
            ],
        ),
        content_types_follow(models=['concern'], from_app="programs", to_app="concerns"),
    ]
