"""The generated permission matrix (issue 15): every URL pattern of the URL conf and every
operation of the API's OpenAPI schema, asked by each of nine personas, must answer what
``permission_table`` says. A route missing from the table fails, so no route ships
unchecked; a route in the table that no longer exists fails too.

Each request runs in a savepoint that is rolled back, so that one persona's change (a
publish, a withdrawal, a deletion) never changes what the next persona meets.

To see the answers a new route gives, run
``PERMISSION_MATRIX_RECORD=/tmp/rows.py pytest tests/core/test_permission_matrix.py``:
the rows it writes are what the site does now, to review before they go in the table.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from medmentor.api.base import api
from tests.core import permission_table as table
from tests.core.permission_world import PERSONAS, PermissionWorld, build

pytestmark = pytest.mark.django_db

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
RECORD = os.environ.get("PERMISSION_MATRIX_RECORD", "")


@dataclass(frozen=True)
class Route:
    key: str  # the table's key: a URL name, or "METHOD /api/path" for an API operation
    group: str
    path_params: tuple[str, ...]
    method: str = ""
    template: str = ""  # an unnamed pattern's path, to fill in rather than reverse


# -- What the site has ---------------------------------------------------------------


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            path = prefix + str(entry.pattern)
            name = entry.name or path
            yield (f"{namespace}:{name}" if namespace and entry.name else name), path


def url_routes() -> list[Route]:
    """Every named pattern of the URL conf but the API's operations (the schema has them)."""
    routes = []
    for key, pattern in _walk(get_resolver().url_patterns):
        if key.startswith("api:") and key not in table.API_PAGES:
            continue
        group = key.split(":")[0] if ":" in key else "other"
        if key == pattern:  # unnamed: the admin's own redirect from an object's bare URL
            group = "admin" if pattern.startswith("admin/") else group
        routes.append(
            Route(key, group, tuple(_params(pattern)), template=pattern * (key == pattern))
        )
    return routes


def _params(pattern: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", pattern) + re.findall(r"\(\?P<(\w+)>", pattern)


def api_routes() -> list[Route]:
    schema = api.get_openapi_schema()
    routes = []
    for path, operations in schema["paths"].items():
        for method in operations:
            full = f"{method.upper()} {path}"
            group = "api:" + path.removeprefix("/api/").split("/")[0]
            routes.append(Route(full, group, tuple(re.findall(r"{(\w+)}", path)), method.upper()))
    return routes


# -- Asking ---------------------------------------------------------------------------


def outcome(response) -> str:
    """What a persona meets, as the table writes it."""
    status = response.status_code
    if 200 <= status < 300:
        return "ok"
    if status in (301, 302, 303, 307):
        location = response["Location"]
        if "/accounts/login/" in location or "/admin/login/" in location:
            return "login"
        return "redir"
    return str(status)


def admin_kwargs(key: str, world: PermissionWorld) -> dict[str, str]:
    name = key.removeprefix("admin:")
    for model, _model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            obj = model._default_manager.order_by("pk").first()
            return {"object_id": str(obj.pk) if obj else "0", "id": str(obj.pk) if obj else "0"}
    return {}


def url_of(route: Route, world: PermissionWorld) -> str:
    if route.method and route.key.split(" ", 1)[0] == route.method:  # an API operation
        path = route.key.split(" ", 1)[1]
        values = _values(route, world)
        return re.sub(r"{(\w+)}", lambda m: values[m.group(1)], path)
    values = {**_values(route, world), **admin_kwargs(route.key, world)}
    kwargs = {name: values[name] for name in route.path_params}
    if route.template:
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: kwargs[m.group(1)], route.template)
    else:
        url = reverse(route.key, kwargs=kwargs)
    query = table.QUERIES.get(route.key)
    return f"{url}?{filled(query, world)}" if query else url


def _values(route: Route, world: PermissionWorld) -> dict[str, str]:
    renamed = {name: world.params[other] for name, other in table.PARAMS.get(route.key, {}).items()}
    return {**world.params, **renamed}


def filled(value: object, world: PermissionWorld) -> object:
    """A table value with the world's objects put in (``"{program_uuid}"``)."""
    if isinstance(value, str):
        return value.format(**world.params)
    if isinstance(value, list):
        return [filled(item, world) for item in value]
    if isinstance(value, dict):
        return {key: filled(item, world) for key, item in value.items()}
    return value


def ask(session: str, method: str, url: str, body: dict | None, *, api_call: bool) -> str:
    """One question, from a fresh client holding the persona's session (a logout or an
    account deletion before must not log the next question out)."""
    cache.clear()  # rate limits and cached reports start afresh for each question
    client = Client()
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    with transaction.atomic():
        if api_call:
            data = json.dumps(body or {}) if method in UNSAFE else None
            response = client.generic(method, url, data or "", content_type="application/json")
        elif method == "POST":
            response = client.post(url, body or {})
        else:
            response = client.get(url)
        transaction.set_rollback(True)
    return outcome(response)


def sessions(world: PermissionWorld) -> dict[str, str]:
    """Each persona's session key ("" for anonymous)."""
    keys = {}
    for persona in PERSONAS:
        client, user = Client(), world.people[persona]
        if user is not None:
            client.force_login(user)
        keys[persona] = client.session.session_key or ""
    return keys


def expected_row(route: Route) -> str | None:
    return (table.API if route.method else table.URLS).get(route.key)


def answers(route: Route, world: PermissionWorld, made: dict[str, str], method: str) -> list[str]:
    url = url_of(route, world)
    body = filled(table.BODIES.get(route.key), world)
    return [
        ask(made[persona], method, url, body, api_call=bool(route.method)) for persona in PERSONAS
    ]


def check(routes: list[Route]) -> None:
    world = build()
    made = sessions(world)
    problems, recorded = [], []
    for route in routes:
        row = expected_row(route)
        if row is None and not RECORD:
            problems.append(f"{route.key}: missing from tests/core/permission_table.py")
            continue
        method, *wanted = (row or "").split() or [route.method or _method_guess(route, world, made)]
        got = answers(route, world, made, method)
        if RECORD:
            recorded.append(
                f'    "{route.key}": "{method:6} ' + " ".join(f"{g:8}" for g in got).rstrip() + '",'
            )
            continue
        assert len(wanted) == len(PERSONAS), f"{route.key}: the row needs {len(PERSONAS)} answers"
        for persona, want, answer in zip(PERSONAS, wanted, got, strict=True):
            if want != answer:
                problems.append(f"{route.key} as {persona}: expected {want}, got {answer}")
    if RECORD:
        with Path(RECORD).open("a", encoding="utf-8") as out:
            out.write("\n".join(recorded) + "\n")
    assert problems == []


def _method_guess(route: Route, world: PermissionWorld, made: dict[str, str]) -> str:
    """For recording only: a page that refuses GET to its allowed users takes POST."""
    url = url_of(route, world)
    got = {
        ask(made[p], "GET", url, None, api_call=False)
        for p in ("superuser", "coordinator", "mentee", "mentor")
    }
    return "POST" if "405" in got else "GET"


ALL_URLS = url_routes()
ALL_API = api_routes()
GROUPS = sorted({route.group for route in ALL_URLS + ALL_API})


@pytest.mark.parametrize("group", GROUPS)
def test_every_route_answers_each_persona_as_the_table_says(group):
    check([route for route in ALL_URLS + ALL_API if route.group == group])


def test_the_table_names_no_route_that_is_gone():
    keys = {route.key for route in ALL_URLS + ALL_API}
    gone = sorted((set(table.URLS) | set(table.API)) - keys)
    assert gone == []
    rows = [*table.URLS.values(), *table.API.values()]
    assert {len(row.split()) for row in rows} == {1 + len(PERSONAS)}
