"""Facts of mentorships other apps may listen to (webhooks). Each is sent once the change
is committed, with identifiers only: a listener reads what it needs itself."""

from __future__ import annotations

import django.dispatch

# A mentorship (pair, group or circle) started. Arguments: ``mentorship_id``.
mentorship_started = django.dispatch.Signal()
# A mentorship ended, however (by its people, a coordinator, its end date, inactivity).
# Arguments: ``mentorship_id``.
mentorship_ended = django.dispatch.Signal()
