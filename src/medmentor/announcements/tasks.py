"""Background work: delivering an announcement (queued when the coordinator sends it)."""

from __future__ import annotations

from django_tasks import task

from medmentor.announcements.delivery import announcement_deliver


@task()
def deliver_announcement(announcement_id: int) -> int:
    """Deliver once: run again, it reaches nobody twice. Returns how many it reached."""
    delivered = announcement_deliver(announcement_id)
    return delivered.recipients if delivered else 0
