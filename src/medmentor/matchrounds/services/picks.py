"""Naming, removing and ordering picks: up to five people, best first, before a round.

Picks stay editable until the coordinator runs a round; the round reads them through
``selectors.picks.picks_by_user``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.matchrounds.models import MAX_PICKS, Pick
from medmentor.matchrounds.selectors.picks import Picker, eligible_user_ids, picks_open
from medmentor.programs.models import Membership, Role, Status


def _lock(picker: Picker) -> None:
    """Serialise one person's edits (two tabs, a double click) on their membership row."""
    locked = (
        Membership.objects.select_for_update()
        .filter(program=picker.program, user=picker.user, role=picker.role, status=Status.ACTIVE)
        .first()
    )
    if locked is None or not picks_open(picker.program):
        raise ValidationError(_("You cannot name preferences in this program."))


def _current(picker: Picker) -> list[int]:
    return list(
        Pick.objects.filter(program=picker.program, chooser=picker.user, role=picker.role)
        .order_by("rank")
        .values_list("chosen_id", flat=True)
    )


def _save(picker: Picker, chosen_ids: list[int]) -> list[Pick]:
    """Write the picker's list for their role in this order. The five ranks are shared
    with the person's other role, whose picks keep theirs."""
    others = Pick.objects.filter(program=picker.program, chooser=picker.user).exclude(
        role=picker.role
    )
    taken = set(others.values_list("rank", flat=True))
    if len(chosen_ids) + len(taken) > MAX_PICKS:
        raise ValidationError(
            {
                "chosen": _("You can name up to %(max)d people; remove one before adding another.")
                % {"max": MAX_PICKS}
            }
        )
    free = [rank for rank in range(1, MAX_PICKS + 1) if rank not in taken]
    Pick.objects.filter(program=picker.program, chooser=picker.user, role=picker.role).delete()
    return Pick.objects.bulk_create(
        Pick(
            program=picker.program,
            chooser=picker.user,
            chosen_id=chosen,
            role=picker.role,
            rank=rank,
        )
        for chosen, rank in zip(chosen_ids, free, strict=False)
    )


def _not_eligible(picker: Picker) -> ValidationError:
    what = _("a mentor") if picker.counterpart == Role.MENTOR else _("a mentee")
    return ValidationError(
        {
            "chosen": _(
                "This person cannot be named: they are not %(what)s you can be matched with "
                "in this program."
            )
            % {"what": what}
        }
    )


@transaction.atomic
def pick_add(*, picker: Picker, chosen: User) -> list[Pick]:
    """Name ``chosen`` after the picker's current picks."""
    _lock(picker)
    current = _current(picker)
    if chosen.pk in current:
        raise ValidationError({"chosen": _("You have already named this person.")})
    if Pick.objects.filter(program=picker.program, chooser=picker.user, chosen=chosen).exists():
        raise ValidationError(
            {"chosen": _("You have already named this person in your other role.")}
        )
    if chosen.pk not in eligible_user_ids(picker):
        raise _not_eligible(picker)
    return _save(picker, [*current, chosen.pk])


@transaction.atomic
def pick_remove(*, picker: Picker, chosen: User) -> list[Pick]:
    _lock(picker)
    current = _current(picker)
    if chosen.pk not in current:
        raise ValidationError({"chosen": _("This person is not among your choices.")})
    return _save(picker, [pk for pk in current if pk != chosen.pk])


@transaction.atomic
def pick_move(*, picker: Picker, chosen: User, up: bool) -> list[Pick]:
    """Swap ``chosen`` with the pick above (``up``) or below it; at either end, nothing
    changes."""
    _lock(picker)
    current = _current(picker)
    if chosen.pk not in current:
        raise ValidationError({"chosen": _("This person is not among your choices.")})
    at = current.index(chosen.pk)
    to = at - 1 if up else at + 1
    if 0 <= to < len(current):
        current[at], current[to] = current[to], current[at]
    return _save(picker, current)
