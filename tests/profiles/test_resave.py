"""Opening a profile step and saving it untouched changes nothing (issue 16: re-saving
"About you" used to blank career stage, specialty and province for everyone).

The form is read from the page as a browser reads it (what each field shows) and posted
back as a browser posts it."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from medmentor.accounts.models import User
from medmentor.dashboard.demo import demo_build
from medmentor.imports.services import import_confirm, import_prepare
from medmentor.profiles.models import Profile
from medmentor.profiles.selectors import profile_export
from medmentor.profiles.services import profile_get_or_create, profile_set_roles
from tests.factories import UserFactory, logged_in_client
from tests.imports.import_data import participants_csv
from tests.programs.factories import ProgramFactory, coordinator_of

pytestmark = pytest.mark.django_db

STEPS = ("about", "roles", "interests", "availability", "privacy")


class FormReader(HTMLParser):
    """The fields of the page's profile form and the values a browser would submit."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.select: str | None = None
        self.textarea: str | None = None

    def add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.in_form = a.get("method", "").lower() == "post" and a.get("action", "") in (
                "",
                self.action,
            )
        if not self.in_form or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.add(name, a.get("value", "on"))
            else:
                self.add(name, a.get("value", ""))
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in a:
            self.add(self.select, a.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.add(name, "")

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.in_form = False


def resave(client, step: str) -> int:
    url = reverse("profiles:edit", args=[step])
    page = client.get(url)
    assert page.status_code == 200
    reader = FormReader(url)
    reader.feed(page.content.decode())
    # A textarea's first newline is the markup's, not the value's (as browsers read it).
    data = {k: [v.removeprefix("\n") for v in vs] for k, vs in reader.data.items()}
    return client.post(url, data).status_code


def snapshot(user: User) -> dict:
    document = profile_export(Profile.objects.get(user=user))
    document.pop("updated_at", None)
    return document


def imported_person() -> User:
    program = ProgramFactory()
    coordinator = coordinator_of(program).user
    batch = import_prepare(program=program, coordinator=coordinator, data=participants_csv(1))
    import_confirm(batch=batch, by=coordinator)
    return User.objects.get(email="person0@import.example.org")


def test_every_step_of_every_demo_persona_resaves_unchanged():
    demo_build()
    demo = ("mentee", "mentor", "coordinator")
    people = [User.objects.get(email=f"{name}@medmentor.demo") for name in demo]
    newcomer = UserFactory(name="Dr. Nadia Newcomer")
    profile_set_roles(profile=profile_get_or_create(user=newcomer), is_mentee=True, is_mentor=False)
    people += [imported_person(), newcomer]
    for person in people:
        client = logged_in_client(person)
        client.get(reverse("profiles:edit", args=["about"]))  # makes a profile if none yet
        before = snapshot(person)
        for step in STEPS:
            status = resave(client, step)
            # Someone with neither role (a coordinator only) is asked to choose one: the
            # refusal changes nothing either.
            refused = step == "roles" and not (before["is_mentee"] or before["is_mentor"])
            assert status == (422 if refused else 302), (person.email, step)
            assert snapshot(person) == before, (person.email, step)
