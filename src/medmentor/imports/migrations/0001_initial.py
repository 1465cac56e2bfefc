"""Takes over the table the programs app created, without touching it: only Django's
model state moves (decision 0036); the rows, their ids and the table names stay."""

import django.db.models.deletion
import medmentor.imports.models
import uuid
from django.conf import settings
from django.db import migrations, models

from medmentor.core.migration_steps import content_types_follow


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('programs', '0009_lift_apps_out_of_programs'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ParticipantImport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('uuid', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('file_name', models.CharField(blank=True, max_length=255, verbose_name='file')),
                        ('rows', models.JSONField(default=list, verbose_name='rows')),
                        ('checksum', models.CharField(max_length=64, verbose_name='checksum')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('expires_at', models.DateTimeField(default=medmentor.imports.models.import_expiry)),
                        ('confirmed_at', models.DateTimeField(blank=True, null=True)),
                        ('coordinator', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('program', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='imports', to='programs.program')),
                    ],
                    options={
                        'verbose_name': 'participant import',
                        'verbose_name_plural': 'participant imports',
                        'db_table': 'programs_participantimport',
                        'ordering': ('-created_at', 'id'),
                        'indexes': [models.Index(fields=['program', 'coordinator', 'expires_at'], name='programs_pa_program_d53989_idx')],
                    },
                ),
            ],
        ),
        content_types_follow(models=['participantimport'], from_app="programs", to_app="imports"),
    ]
