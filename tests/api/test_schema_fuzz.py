"""Schemathesis over every API operation, as an anonymous caller and as a logged-in member:
no answer is a server error, and every answer (status and body) is one the schema declares.

Bounded and repeatable: Hypothesis runs derandomized (a fixed seed) with a few examples
per operation. Requests go in-process to the Django WSGI application on the test's own
database connection, so whatever the fuzzer writes is rolled back with the test. The
member's requests carry the session cookie and a CSRF token, as a browser's would.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from medmentor.api.urls import api

EXAMPLES = 20  # per operation and caller
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
schema.app = get_wsgi_application()
KNOWN: dict[str, list[str]] = {}  # path parameter → UUIDs of the world's objects


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the time, the path names real objects of the world (else mostly a 404)."""
    names = [name for name in path_parameters or {} if KNOWN.get(name)]
    if not names:
        return st.just(path_parameters)
    real = st.fixed_dictionaries({name: st.sampled_from(KNOWN[name]) for name in names})
    return st.one_of(st.just(path_parameters), real.map(lambda ids: {**path_parameters, **ids}))


FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the failure is reported as found
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def world(fuzz_world):
    """The world, and the database connection kept across requests: Django closes it
    after each request, which would end the test's transaction (its test client does
    the same)."""
    KNOWN.clear()
    KNOWN.update(fuzz_world.known)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield fuzz_world
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    KNOWN.clear()


@pytest.fixture
def member_credentials(world):
    client = Client()
    client.force_login(world.member)
    token = _get_new_csrf_string()
    cookies = {
        django_settings.SESSION_COOKIE_NAME: client.cookies[
            django_settings.SESSION_COOKIE_NAME
        ].value,
        django_settings.CSRF_COOKIE_NAME: token,
    }
    return {"cookies": cookies, "headers": {"X-CSRFToken": token}}


@schema.parametrize()
@FUZZ
def test_anonymous(case, world):
    case.call_and_validate(checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_member(case, world, member_credentials):
    case.call_and_validate(checks=CHECKS, **member_credentials)
