"""Steps that several apps' migrations share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations


def content_types_follow(*, models: Sequence[str], from_app: str, to_app: str) -> Any:
    """A migration step for models another app created and this one takes over (decision
    0036): their content types change app, so staff permissions and admin history follow
    the models. A fresh database has none yet (they are made after migrating): nothing to do.
    """

    def relabel(apps: Any, schema_editor: Any) -> None:
        content_type = apps.get_model("contenttypes", "ContentType")
        content_type.objects.filter(app_label=from_app, model__in=models).update(app_label=to_app)

    return migrations.RunPython(relabel, migrations.RunPython.noop)
