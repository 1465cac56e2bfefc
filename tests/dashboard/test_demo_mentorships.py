"""``make demo`` gives the printed mentee and mentor a working mentorship."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from medmentor.accounts.models import User
from medmentor.dashboard.demo import demo_build
from medmentor.mentorships.models import Mentorship


def test_the_demo_pair_shares_an_active_mentorship(db):
    demo_build()
    demo_build()  # a second run changes nothing
    mentorship = Mentorship.objects.get(mentee__email="mentee@medmentor.demo")
    assert mentorship.status == "active"
    assert mentorship.mentee.email == "mentee@medmentor.demo"
    assert mentorship.mentor.email == "mentor@medmentor.demo"
    assert mentorship.agreement.is_signed
    assert mentorship.goals.count() == 2
    now = timezone.now()
    assert mentorship.meetings.filter(starts_at__lt=now, logged_at__isnull=False).exists()
    assert mentorship.meetings.filter(starts_at__gt=now).exists()
    assert mentorship.notes.count() == 3
    client = Client()
    client.force_login(User.objects.get(email="mentee@medmentor.demo"))
    page = client.get(reverse("mentorships:workspace", args=[mentorship.uuid])).content.decode()
    assert "Choose a residency program" in page
    assert "parental leave" in page  # her own private note
