"""Facts of surveys other apps may listen to (webhooks). Each is sent once the change is
committed, with identifiers only: a listener reads what it needs itself."""

from __future__ import annotations

import django.dispatch

# An answer to a survey came in. Arguments: ``survey_id`` and ``respondent_id`` (None
# for an anonymous survey: its answers are kept without the person).
survey_answered = django.dispatch.Signal()
