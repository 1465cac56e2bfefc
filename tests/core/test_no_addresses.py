"""People are shown by name, never by e-mail address (issue 16): every page and API answer
a partner, a coordinator, another member and a searcher can open, and every e-mail the
site sends, names the others without their address. Only the person themselves (and
staff, in the admin) ever see an address.

The world is the permission matrix's: a pair with all a pair makes, another pair, a
request, a concern, a match round, a reporting line; every GET route of the URL conf and
of the API is asked by each persona.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from medmentor.mentorships.access import get_mentorship_for
from medmentor.mentorships.services.conversation import message_send
from medmentor.requests.models import Request
from medmentor.requests.services import request_accept
from tests.core.permission_world import build
from tests.core.test_permission_matrix import ALL_API, ALL_URLS, url_of

pytestmark = pytest.mark.django_db

READERS = ("new_user", "mentee", "mentor", "other_pair", "coordinator", "other_coordinator")
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Addresses that belong to no person: the site's own, the directory's listings.
NOT_PEOPLE = re.compile(r"@(medmentor\.|example\.(com|net)$)")


def _addresses(text: str) -> set[str]:
    return {found.lower() for found in ADDRESS.findall(text) if not NOT_PEOPLE.search(found)}


@pytest.fixture(scope="module")
def routes():
    gets = [r for r in ALL_URLS if not r.key.startswith(("admin:", "admin/"))]
    return gets + [r for r in ALL_API if r.method == "GET"]


def test_no_page_shows_anyone_else_s_address(routes, django_capture_on_commit_callbacks):
    world = build()
    people = {user.email: name for name, user in world.people.items() if user is not None}
    leaks = []
    for reader in READERS:
        user = world.people[reader]
        client = Client()
        client.force_login(user)
        for route in routes:
            with django_capture_on_commit_callbacks(execute=False):
                response = client.get(url_of(route, world))
            if response.status_code != 200 or response.streaming:
                continue
            others = _addresses(response.content.decode()) & people.keys() - {user.email}
            leaks += [f"{reader} sees {people[a]}'s address on {route.key}" for a in others]
    assert leaks == []


def test_no_e_mail_gives_anyone_else_s_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        world = build()
        mentor = world.people["mentor"]
        request = Request.objects.filter(mentor=mentor).get()
        accepted = request_accept(request=request, by=mentor)
        message_send(access=get_mentorship_for(mentor, accepted.uuid), body="Welcome aboard!")
        message_send(access=get_mentorship_for(mentor, world.mentorship.uuid), body="See you")
    assert len(mail.outbox) >= 5
    leaks = []
    for message in mail.outbox:
        parts = [message.subject, message.body]
        parts += [content for content, _mimetype in getattr(message, "alternatives", [])]
        parts += [
            attachment[1].decode() if isinstance(attachment[1], bytes) else str(attachment[1])
            for attachment in message.attachments
        ]
        shown = _addresses("\n".join(parts)) - {address.lower() for address in message.to}
        leaks += [f"{message.subject!r} to {message.to} gives {sorted(shown)}"] if shown else []
    assert leaks == []
