"""Decision 0036 moved the models of direct requests, concerns, match rounds and imports out
of the programs app. A database that lived under the old layout keeps every row: its
rows are written through the old layout's models, then the migrations run, and every row
reads back, field for field, through the new apps' models; permissions follow the models.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.models import Model

from medmentor.concerns.models import Concern
from medmentor.concerns.services import concern_report
from medmentor.imports.models import ParticipantImport
from medmentor.imports.services import import_prepare
from medmentor.matchrounds.models import MatchRound, Pick, Proposal, UnmatchedEntry
from medmentor.programs.models import Role
from medmentor.requests.models import CascadeStop, Request, RequestCascade
from tests.imports.import_data import participants_csv
from tests.matchrounds.rounds_factories import publish, round_program, run_round
from tests.programs.factories import MembershipFactory
from tests.requests.requests_support import build_request_world, make_mentee, send

BEFORE = ("programs", "0008_alter_program_name_en_alter_program_name_fr")
LIFTED_APPS = ("requests", "concerns", "matchrounds", "imports")

# Parents first: each row's foreign keys point at rows already there.
MOVED: list[type[Model]] = [
    RequestCascade,
    CascadeStop,
    Request,
    Concern,
    MatchRound,
    Proposal,
    UnmatchedEntry,
    Pick,
    ParticipantImport,
]


def _rows(model: type[Model]) -> list[dict[str, Any]]:
    return list(model.objects.order_by("pk").values())


def _world() -> None:
    """At least one row of every moved model, made the way people make them."""
    rounds = round_program(mentees=3, mentors=2)  # one mentee stays unmatched
    publish(run_round(rounds.program, rounds.coordinator), rounds.coordinator)
    Pick.objects.create(
        program=rounds.program,
        chooser=rounds.mentees[0],
        chosen=rounds.mentors[0],
        role=Role.MENTEE,
        rank=1,
    )
    import_prepare(program=rounds.program, coordinator=rounds.coordinator, data=participants_csv(2))
    world = build_request_world()
    mentee = make_mentee(MembershipFactory(program=world.program, role=Role.MENTEE).user)
    cascade = send(world.program, mentee, world.mentor, world.second)
    concern_report(
        reporter=mentee,
        program=world.program,
        about=world.mentor,
        text="He asked for my personal number.",
        request=cascade.requests.first(),
    )


@pytest.fixture
def executor(transactional_db: None) -> Iterator[MigrationExecutor]:
    migrations = MigrationExecutor(connection)
    leaves = migrations.loader.graph.leaf_nodes()
    yield migrations
    # Whatever the test did, the next test finds the database fully migrated.
    MigrationExecutor(connection).migrate(leaves)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_database_of_the_old_layout_keeps_every_row(executor):
    _world()
    expected = {model: _rows(model) for model in MOVED}
    assert all(expected.values()), "the world must hold a row of every moved model"
    old_permission = Permission.objects.get(codename="view_request")
    for model in reversed(MOVED):
        model.objects.all().delete()

    # Back to the layout before the lift: the moved models are the programs app's again.
    executor.migrate([BEFORE])
    old = executor.loader.project_state([BEFORE]).apps
    for model in MOVED:
        historical = old.get_model("programs", model._meta.model_name)
        assert historical._meta.db_table == model._meta.db_table
        for field in historical._meta.fields:  # keep the stored times, not "now"
            field.auto_now = field.auto_now_add = False
        # Columns added since the lift (a round's kind, when it started) did not exist
        # then: the upgrade gives them their default, and so must the rows read back.
        columns = {field.attname for field in historical._meta.fields}
        historical.objects.bulk_create(
            historical(**{k: v for k, v in row.items() if k in columns}) for row in expected[model]
        )
        added = [f for f in model._meta.concrete_fields if f.attname not in columns]
        for row in expected[model]:
            row.update({field.attname: field.get_default() for field in added})

    # Forward, as an upgrade runs it.
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    for model in MOVED:
        assert _rows(model) == expected[model], f"{model._meta.label} lost or changed rows"
    # Staff's permissions on the moved models follow them to their new apps.
    moved = ContentType.objects.get_for_id(old_permission.content_type_id)
    assert (moved.app_label, moved.model) == ("requests", "request")
    assert Permission.objects.get(pk=old_permission.pk).codename == "view_request"
    assert not ContentType.objects.filter(
        app_label="programs", model__in=[m._meta.model_name for m in MOVED]
    ).exists()


def test_the_lifted_apps_start_by_taking_over_the_old_tables():
    """Their first migrations change no table: state only (plus the content types)."""
    graph = MigrationLoader(None).graph
    for app in LIFTED_APPS:
        first = graph.nodes[(app, "0001_initial")]
        kinds = {type(operation).__name__ for operation in first.operations}
        assert kinds <= {"SeparateDatabaseAndState", "RunPython"}, app
        for operation in first.operations:
            assert not getattr(operation, "database_operations", [])
