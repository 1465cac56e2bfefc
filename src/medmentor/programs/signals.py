"""Facts of programs other apps may listen to (webhooks). Each is sent once the change is
committed, with identifiers only: a listener reads what it needs itself."""

from __future__ import annotations

import django.dispatch

# A person became an active member of a program (joined an open program, by invitation,
# or was approved). Arguments: ``membership_id``.
member_enrolled = django.dispatch.Signal()
