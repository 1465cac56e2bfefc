"""Reads for direct requests and their access helpers (outsiders get 404), and the
"may I ask?" answer the mentor search and the profiles show."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from medmentor.accounts.models import User
from medmentor.profiles.fit import features_by_user, fits, search_order
from medmentor.profiles.models import Goal, Profile
from medmentor.profiles.search import text_filter
from medmentor.profiles.selectors import excluded_user_ids
from medmentor.programs.models import OPEN_COMMUNITY_UUID, Membership, Program, Role, Status
from medmentor.programs.selectors import open_community
from medmentor.requests.models import CascadeStatus, Request, RequestCascade, RequestStatus
from medmentor.requests.rules import (
    REQUEST_MODES,
    RequestFacts,
    open_request_limit_check,
    qualifying_ids,
    request_facts,
    request_refusals,
)

BACKUP_CHOICES_MAX = 300


@dataclass(frozen=True)
class RequestAccess:
    request: Request
    role: str  # "mentee" or "mentor"

    @property
    def is_mentor(self) -> bool:
        return self.role == Role.MENTOR


def get_request_for(user: User | AnonymousUser, request_uuid: UUID | str) -> RequestAccess:
    """A request its mentee or its mentor may see; anyone else (coordinators and staff
    included: requests are the two people's business) gets 404."""
    if not user.is_authenticated:
        raise Http404
    request = get_object_or_404(
        Request.objects.select_related("program", "mentee", "mentor", "cascade"),
        Q(mentee=user) | Q(mentor=user),
        uuid=request_uuid,
    )
    return RequestAccess(
        request=request, role="mentor" if request.mentor_id == user.pk else "mentee"
    )


def get_cascade_of_mentee(user: User | AnonymousUser, cascade_uuid: UUID | str) -> RequestCascade:
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(RequestCascade, mentee=user, uuid=cascade_uuid)


def requests_sent(user: User) -> QuerySet[RequestCascade]:
    """The mentee's line-ups, newest first, each with its requests so far."""
    return (
        RequestCascade.objects.filter(mentee=user)
        .select_related("program")
        .prefetch_related(
            Prefetch(
                "requests",
                queryset=Request.objects.select_related("mentor__profile").order_by("position"),
            ),
            "stops__mentor",
        )
    )


def requests_received(user: User, *, pending: bool) -> QuerySet[Request]:
    requests = Request.objects.filter(mentor=user).select_related(
        "program", "mentee__profile", "mentorship"
    )
    if pending:
        return requests.filter(status=RequestStatus.PENDING).order_by("due_at", "id")
    return requests.exclude(status=RequestStatus.PENDING).order_by("-sent_at", "-id")


def goal_labels_of(items: list[Request] | list[RequestCascade]) -> None:
    """Set ``goal_labels`` on each request or line-up, in the reader's language, with one
    query for all of them."""
    codes = {code for item in items for code in item.goals}
    labels = {g.code: g.label for g in Goal.objects.filter(code__in=codes)}
    for item in items:
        item.goal_labels = [labels.get(code, code) for code in item.goals]


@dataclass(frozen=True)
class AskOption:
    """Whether a mentee may ask a mentor now, where, and if not, why and what would make
    it possible."""

    programs: tuple[Program, ...] = ()  # shared programs taking requests, askable first
    refusal: str = ""  # why not now ("" when they may)
    join: tuple[Program, ...] = ()  # programs of the mentor's that take requests, to join

    @property
    def can_ask(self) -> bool:
        return bool(self.programs) and not self.refusal


def _request_community() -> Program | None:
    """The open community, when it takes requests."""
    community = open_community()
    if community is None or community.matching_mode not in REQUEST_MODES:
        return None
    return community


def _mentee_request_programs(mentee: User) -> list[Program]:
    """The programs other than the open community where ``mentee`` is an active mentee
    and that take requests."""
    return list(
        Program.objects.filter(
            matching_mode__in=REQUEST_MODES,
            memberships__user=mentee,
            memberships__role=Role.MENTEE,
            memberships__status=Status.ACTIVE,
        )
        .exclude(uuid=OPEN_COMMUNITY_UUID)
        .distinct()
    )


def _members(facts: RequestFacts, program: Program, role: str) -> set[int]:
    return facts.members.get((program.pk, role), set())


def _community_takes(community: Program | None, mentee: User, facts: RequestFacts) -> bool:
    """Whether the open community's rules take ``mentee`` as a mentee."""
    if community is None:
        return False
    members = _members(facts, community, Role.MENTEE)
    return mentee.pk in qualifying_ids(community, [mentee], Role.MENTEE, facts.profiles, members)


def _shared_request_programs(
    mentors: Sequence[User],
    mine: list[Program],
    community: Program | None,
    takes_mentee: bool,
    facts: RequestFacts,
) -> dict[int, list[Program]]:
    """Per mentor, the programs where the mentee may ask them: those of ``mine`` the two
    share; the open community when there is nothing else. No query: ``facts`` has read
    the memberships."""
    shared: dict[int, list[Program]] = {
        m.pk: [p for p in mine if m.pk in _members(facts, p, Role.MENTOR)] for m in mentors
    }
    rest = [m for m in mentors if not shared[m.pk]]
    if rest and community is not None and takes_mentee:
        members = _members(facts, community, Role.MENTOR)
        for mentor_id in qualifying_ids(community, rest, Role.MENTOR, facts.profiles, members):
            shared[mentor_id] = [community]
    return shared


def fits_of_requests(requests: list[Request], *, viewer: User) -> None:
    """Set ``fit`` on each request: how its mentee and mentor fit on the four Cs, as
    ``viewer`` may see the two (None without profiles); a constant number of queries."""
    found = fits(viewer, [(r.mentee_id, r.mentor_id) for r in requests])
    for request in requests:
        request.fit = found.get((request.mentee_id, request.mentor_id))


def request_programs(mentee: User, mentor: User) -> list[Program]:
    """The programs where ``mentee`` may ask ``mentor``: those the two share that take
    requests; the open community when there is nothing else."""
    community = _request_community()
    mine = _mentee_request_programs(mentee)
    facts = request_facts(mentee, [mentor.pk], [*mine, *([community] if community else [])])
    takes_mentee = _community_takes(community, mentee, facts)
    return _shared_request_programs([mentor], mine, community, takes_mentee, facts)[mentor.pk]


def ask_options(mentee: User, mentor_ids: Iterable[int]) -> dict[int, AskOption]:
    """For a page of mentors (search results, a profile): may ``mentee`` ask each now,
    and if not, why and which program to join. The refusals are the request service's
    own (``request_refusals``), so what a page offers is what sending accepts. A constant
    number of queries, whatever the number of mentors and of the mentee's programs: the
    facts every program's check reads are read once (``request_facts``)."""
    mentors = list(User.objects.filter(pk__in=set(mentor_ids)))
    if not mentors:
        return {}
    community = _request_community()
    mine = _mentee_request_programs(mentee)
    facts = request_facts(
        mentee, [m.pk for m in mentors], [*mine, *([community] if community else [])]
    )
    takes_mentee = _community_takes(community, mentee, facts)
    shared = _shared_request_programs(mentors, mine, community, takes_mentee, facts)
    refused: dict[tuple[int, int], str] = {}
    programs = {p.pk: p for ps in shared.values() for p in ps}
    for program in programs.values():
        here = [m for m in mentors if program in shared[m.pk]]
        for mentor_id, refusal in request_refusals(
            program=program, mentee=mentee, mentors=here, facts=facts
        ).items():
            refused[(mentor_id, program.pk)] = refusal.message
    full = _programs_at_request_limit(mentee, list(programs.values()))
    options: dict[int, AskOption] = {}
    lonely = [m for m in mentors if not shared[m.pk]]
    joinable = _joinable_programs(mentee, lonely, community, takes_mentee, facts)
    for mentor in mentors:
        if not shared[mentor.pk]:
            options[mentor.pk] = AskOption(
                refusal=_("You and %(name)s share no program that takes direct requests.")
                % {"name": mentor.get_full_name()},
                join=tuple(joinable.get(mentor.pk, ())),
            )
            continue
        why = {
            p.pk: refused.get((mentor.pk, p.pk)) or full.get(p.pk, "") for p in shared[mentor.pk]
        }
        ordered = sorted(shared[mentor.pk], key=lambda p: bool(why[p.pk]))  # askable first
        options[mentor.pk] = AskOption(programs=tuple(ordered), refusal=why[ordered[0].pk])
    return options


def _programs_at_request_limit(mentee: User, programs: list[Program]) -> dict[int, str]:
    """The programs where ``mentee`` has as many open requests as allowed, with the
    service's message; one query."""
    if not programs:
        return {}
    counts = dict(
        RequestCascade.objects.filter(
            mentee=mentee, program__in=programs, status=CascadeStatus.OPEN
        )
        .values("program_id")
        .annotate(n=Count("id"))
        .values_list("program_id", "n")
    )
    full = {}
    for program in programs:
        if counts.get(program.pk, 0) >= program.max_open_requests:
            try:
                open_request_limit_check(program=program, mentee=mentee)
            except ValidationError as error:
                full[program.pk] = " ".join(error.messages)
    return full


def _joinable_programs(
    mentee: User,
    mentors: list[User],
    community: Program | None,
    takes_mentee: bool,
    facts: RequestFacts,
) -> dict[int, list[Program]]:
    """Per mentor, the listed programs where they mentor and that take requests, which
    ``mentee`` could join to ask them; the open community too when its rules take the
    mentor but not yet the mentee (a career stage missing from their profile)."""
    if not mentors:
        return {}
    mentee_of = Membership.objects.filter(
        user=mentee, role=Role.MENTEE, status=Status.ACTIVE
    ).values("program_id")
    rows = (
        Membership.objects.filter(
            user_id__in=[m.pk for m in mentors],
            role=Role.MENTOR,
            status=Status.ACTIVE,
            program__is_listed=True,
            program__matching_mode__in=REQUEST_MODES,
        )
        .exclude(program_id__in=mentee_of)
        .select_related("program")
        .order_by("program__name_en", "program_id")
    )
    joinable: dict[int, list[Program]] = {}
    for membership in rows:
        joinable.setdefault(membership.user_id, []).append(membership.program)
    if community is not None and not takes_mentee:
        members = _members(facts, community, Role.MENTOR)
        for mentor_id in qualifying_ids(community, mentors, Role.MENTOR, facts.profiles, members):
            if community not in joinable.get(mentor_id, []):
                joinable.setdefault(mentor_id, []).append(community)
    return joinable


def backup_mentor_choices(
    program: Program, mentee: User, *, first: User, q: str = "", keep: Iterable[str] = ()
) -> list[Profile]:
    """Mentors the mentee may line up after ``first`` in ``program``: only those the
    request service would accept now (``request_refusals``), ranked as the search ranks
    them for this mentee (``search_order``). ``q`` narrows them by the search's free text;
    the profiles in ``keep`` (uuids already chosen) stay whatever ``q`` says."""
    # A first narrowing in the database (the rule itself is request_refusals, below).
    profiles = (
        Profile.objects.filter(
            is_mentor=True,
            is_complete=True,
            accepting_mentees=True,
            user__is_active=True,
            active_mentees__lt=F("mentor_capacity"),
        )
        .exclude(user_id__in={mentee.pk, first.pk, *excluded_user_ids(mentee)})
        .select_related("user", "specialty", "career_stage")
        .order_by("display_name", "id")
    )
    if not program.is_open_community:
        members = Membership.objects.filter(
            program=program, role=Role.MENTOR, status=Status.ACTIVE
        ).values("user_id")
        profiles = profiles.filter(user_id__in=members)
    candidates = list(profiles[:BACKUP_CHOICES_MAX])
    refused = request_refusals(program=program, mentee=mentee, mentors=[p.user for p in candidates])
    eligible = [p for p in candidates if p.user_id not in refused]
    features = features_by_user(mentee, [mentee.pk, *(p.user_id for p in eligible)])
    if mentee.pk in features:
        by_user = {p.user_id: p for p in eligible}
        ranked = search_order(
            mentee, features[mentee.pk], [features[pk] for pk in by_user if pk in features]
        )
        eligible = [by_user[int(r.mentor_id)] for r in ranked]
    if q.strip():
        kept = set(keep)
        matched = set(
            text_filter(Profile.objects.filter(pk__in=[p.pk for p in eligible]), q).values_list(
                "pk", flat=True
            )
        )
        eligible = [p for p in eligible if p.pk in matched or str(p.uuid) in kept]
    return eligible


def request_counterparts_among(viewer_id: int, owner_ids: Collection[int]) -> set[int]:
    """The owners who asked the viewer for mentorship or were asked by them, for the
    profiles app's "matched" visibility level: each needs to see who the other is."""
    requests = Request.objects.filter(
        Q(mentee_id=viewer_id, mentor_id__in=owner_ids)
        | Q(mentor_id=viewer_id, mentee_id__in=owner_ids)
    )
    found = {person for pair in requests.values_list("mentee_id", "mentor_id") for person in pair}
    return found & set(owner_ids)
