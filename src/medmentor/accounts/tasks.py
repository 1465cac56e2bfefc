"""Background work of accounts: preparing a person's export of their data."""

from __future__ import annotations

from django_tasks import task

from medmentor.accounts.export import data_export_build
from medmentor.accounts.models import DataExport


@task()
def build_data_export(export_id: int) -> bool:
    export = DataExport.objects.filter(pk=export_id, ready_at__isnull=True).first()
    if export is None:
        return False
    data_export_build(export=export)
    return True
