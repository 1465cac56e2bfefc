"""The OpenAPI schema: served, and true to what the operations answer."""

from __future__ import annotations

from collections import Counter
from enum import Enum
from importlib import import_module
from typing import get_args

import pytest
from ninja import Schema
from pydantic import BaseModel


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "MedMentor API"
    assert client.get("/api/docs").status_code == 200


@pytest.mark.django_db
def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404


def test_every_operation_declares_the_errors_it_can_give(client):
    """What follows from the operation's shape alone: a session-authenticated operation can
    answer 401, and 403 on an unsafe method (the CSRF check); any input can be invalid (422).
    Every error is the one shape."""
    schema = client.get("/api/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = {int(status) for status in operation["responses"]}
            where = f"{method.upper()} {path}"
            if operation.get("security"):
                assert 401 in declared, where
                if method != "get":
                    assert 403 in declared, where
            parameters = operation.get("parameters", [])
            if operation.get("requestBody") or any(map(_can_be_invalid, parameters)):
                assert 422 in declared, where
            for status in declared - {200, 201, 202, 204}:
                content = operation["responses"][str(status)]["content"]
                assert content["application/json"]["schema"] == error, (where, status)


def _can_be_invalid(parameter: dict) -> bool:
    """Anything but free text (a name looked up, say) can fail validation."""
    kept = parameter["schema"].keys() - {"title", "description", "default"}
    return parameter["schema"].get("type") != "string" or bool(kept - {"type"})


def _named_types(annotation: object, seen: set[type]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | Enum):
        if annotation in seen:
            return
        seen.add(annotation)
        if issubclass(annotation, BaseModel):
            for field in annotation.model_fields.values():
                _named_types(field.annotation, seen)
    for argument in get_args(annotation):
        _named_types(argument, seen)


def test_no_two_schemas_share_a_name():
    """The schema's components are keyed by class name: two classes of one name (two
    ``PersonOut``) make one of them document the other's answers."""
    import_module("medmentor.api.urls")
    pending = [Schema]
    schemas: set[type] = set()
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("medmentor."):
                _named_types(subclass, schemas)
    names = Counter(t.__name__ for t in schemas)
    assert [name for name, count in names.items() if count > 1] == []
