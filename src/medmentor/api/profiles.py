"""Profiles API: my profile (read, update, photo, export), reporting lines, blocks,
people's profiles, the taxonomy and the mentor search, under the site's privacy rules.

Updates validate through the site's forms: a bad value answers 422 naming the field
(``mentor_capacity``, ``specialty``...) and nothing is saved.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from medmentor.accounts.http import current_user
from medmentor.accounts.services import data_export_now
from medmentor.api.base import InputSchema, responses, validated
from medmentor.profiles import forms
from medmentor.profiles.models import PERSONAL_FIELDS, TAXONOMIES, Profile, ReportingLine
from medmentor.profiles.search import MentorResult, SearchFilters, search_mentors
from medmentor.profiles.selectors import (
    get_profile_for_viewer,
    profile_completeness,
    profile_export,
)
from medmentor.profiles.services import (
    LINE_EMAIL_MAX,
    LINE_NOTE_MAX,
    block_add,
    block_remove,
    profile_get_or_create,
    profile_set_photo,
    profile_update,
    reporting_line_add,
    reporting_line_remove,
)
from medmentor.profiles.taxonomy import taxonomy
from medmentor.profiles.visibility import visible_fields

router = Router(tags=["profiles"])


class TermOut(Schema):
    code: str
    label: str
    label_en: str
    label_fr: str
    parent: str | None = None
    ordinal: int | None = None


class MissingOut(Schema):
    field: str
    label: str
    step: str


class CompletenessOut(Schema):
    percent: int
    missing: list[MissingOut]


class MyProfileOut(Schema):
    uuid: uuid.UUID
    completeness: CompletenessOut
    profile: dict[str, Any]


class ProfileIn(InputSchema):
    """Any subset of the profile's fields; taxonomy fields take codes."""

    display_name: str | None = None
    pronouns: str | None = None
    career_stage: str | None = None
    specialty: str | None = None
    other_specialties: list[str] | None = None
    institution: str | None = None
    department: str | None = None
    practice_setting: str | None = None
    province: str | None = None
    city: str | None = None
    languages: list[str] | None = None
    interests: list[str] | None = None
    bio: str | None = None
    is_mentee: bool | None = None
    is_mentor: bool | None = None
    goals_sought: list[str] | None = None
    seeking: str | None = None
    goals_offered: list[str] | None = None
    offering: str | None = None
    mentor_capacity: int | None = None
    accepting_mentees: bool | None = None
    cadence: str | None = None
    modality: str | None = None
    time_zone: str | None = None
    prefers_same_gender: int | None = None
    prefers_same_language: int | None = None
    prefers_other_institution: int | None = None
    prefers_same_specialty: int | None = None
    gender: str | None = None
    identities: list[str] | None = None
    gender_visibility: str | None = None
    pronouns_visibility: str | None = None
    city_visibility: str | None = None
    photo_visibility: str | None = None
    identities_visibility: str | None = None


class PersonOut(Schema):
    uuid: uuid.UUID
    name: str
    career_stage: str | None
    specialty: str | None
    province: str | None
    is_mentor: bool
    places_left: int
    # Only the personal fields the reader may see (gender, pronouns, city, photo,
    # identities); a field they may not see is absent.
    personal: dict[str, Any]


class MentorOut(PersonOut):
    languages: list[str]
    goals_offered: list[str]
    offering: str
    score: float | None
    eligible: bool
    why: str


class SearchOut(Schema):
    total: int
    page: int
    pages: int
    ranked: bool
    results: list[MentorOut]


class LineIn(InputSchema):
    kind: str
    email: str = Field("", max_length=LINE_EMAIL_MAX)
    person: uuid.UUID | None = None
    note: str = Field("", max_length=LINE_NOTE_MAX)


class LineOut(Schema):
    uuid: uuid.UUID
    kind: str
    other: str
    note: str
    source: str


def _mine(request: HttpRequest) -> MyProfileOut:
    profile = profile_get_or_create(user=current_user(request))
    completeness = profile_completeness(profile)
    return MyProfileOut(
        uuid=profile.uuid,
        completeness=CompletenessOut(
            percent=completeness.percent,
            missing=[
                MissingOut(field=m.field, label=str(m.label), step=m.step)
                for m in completeness.missing
            ],
        ),
        profile=profile_export(profile),
    )


@router.get("/me", response=responses(MyProfileOut, 401))
def my_profile(request: HttpRequest) -> MyProfileOut:
    return _mine(request)


@router.patch("/me", response=responses(MyProfileOut, 401, 403, 422))
def update_my_profile(request: HttpRequest, payload: ProfileIn) -> MyProfileOut:
    profile = profile_get_or_create(user=current_user(request))
    data = forms.form_data_of(profile)
    data.update(payload.dict(exclude_unset=True))
    form = forms.ProfileForm(data=data, instance=profile)
    profile_update(profile=profile, data=validated(form))
    return _mine(request)


@router.post("/me/photo", response=responses(MyProfileOut, 401, 403, 422))
def upload_my_photo(request: HttpRequest, photo: File[UploadedFile]) -> MyProfileOut:
    form = forms.PhotoForm(data={}, files=MultiValueDict({"photo": [photo]}))
    photo = validated(form)["photo"]
    profile = profile_get_or_create(user=current_user(request))
    profile_set_photo(profile=profile, upload=photo)
    return _mine(request)


@router.delete("/me/photo", response=responses(MyProfileOut, 401, 403))
def delete_my_photo(request: HttpRequest) -> MyProfileOut:
    profile = profile_get_or_create(user=current_user(request))
    profile_set_photo(profile=profile, upload=None)
    return _mine(request)


@router.get("/me/reporting-lines", response=responses(list[LineOut], 401))
def my_reporting_lines(request: HttpRequest) -> list[LineOut]:
    user = current_user(request)
    lines = ReportingLine.objects.filter(person=user).select_related("other__profile")
    return [_line(line) for line in lines]


def _line(line: ReportingLine) -> LineOut:
    return LineOut(
        uuid=line.uuid, kind=line.kind, other=line.other_label, note=line.note, source=line.source
    )


@router.post("/me/reporting-lines", response=responses({201: LineOut}, 401, 403, 404, 422))
def add_reporting_line(request: HttpRequest, payload: LineIn) -> Status[LineOut]:
    user = current_user(request)
    other = None
    if payload.person is not None:
        other = get_profile_for_viewer(user, payload.person).user
    elif payload.email:
        form = forms.ReportingLineForm(data={"email": payload.email, "kind": payload.kind})
        validated(form)
    line = reporting_line_add(
        person=user, kind=payload.kind, other=other, email=payload.email, note=payload.note
    )
    return Status(201, _line(line))


@router.delete(
    "/me/reporting-lines/{line_uuid}", response=responses({204: None}, 401, 403, 404, 422)
)
def delete_reporting_line(request: HttpRequest, line_uuid: uuid.UUID) -> Status[None]:
    user = current_user(request)
    line = ReportingLine.objects.filter(uuid=line_uuid, person=user).first()
    if line is None:
        raise Http404
    reporting_line_remove(person=user, line=line)
    return Status(204, None)


@router.get("/me/export", response=responses(dict[str, Any], 401))
def export_my_data(request: HttpRequest) -> dict[str, Any]:
    """Everything MedMentor holds about me, at once (the same document as "My data";
    docs/personal-data-export.md describes it). The export is logged."""
    return data_export_now(user=current_user(request))


def _personal(request: HttpRequest, profile: Profile, visible: frozenset[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in PERSONAL_FIELDS:
        if name not in visible:
            continue
        if name == "photo":
            if profile.photo:
                out["photo"] = request.build_absolute_uri(
                    reverse("profiles:photo", args=[profile.uuid])
                )
        elif name == "identities":
            out["identities"] = sorted(profile.identities.values_list("code", flat=True))
        elif getattr(profile, name):
            out[name] = getattr(profile, name)
    return out


@router.get("/people/{profile_uuid}", response=responses(PersonOut, 401, 404, 422))
def person(request: HttpRequest, profile_uuid: uuid.UUID) -> PersonOut:
    profile = get_profile_for_viewer(request.user, profile_uuid)
    visible = visible_fields(request.user, [profile])[profile.pk]
    return PersonOut(
        uuid=profile.uuid,
        name=profile.name,
        career_stage=profile.career_stage.code if profile.career_stage else None,
        specialty=profile.specialty.code if profile.specialty else None,
        province=profile.province.code if profile.province else None,
        is_mentor=profile.is_mentor,
        places_left=profile.places_left,
        personal=_personal(request, profile, visible),
    )


@router.post("/people/{profile_uuid}/block", response=responses({204: None}, 401, 403, 404, 422))
def block(request: HttpRequest, profile_uuid: uuid.UUID) -> Status[None]:
    user = current_user(request)
    profile = get_profile_for_viewer(user, profile_uuid)
    block_add(blocker=user, blocked=profile.user)
    return Status(204, None)


@router.delete("/people/{profile_uuid}/block", response=responses({204: None}, 401, 403, 422))
def unblock(request: HttpRequest, profile_uuid: uuid.UUID) -> Status[None]:
    other = Profile.objects.filter(uuid=profile_uuid).select_related("user").first()
    if other is not None:
        block_remove(blocker=current_user(request), blocked=other.user)
    return Status(204, None)


@router.get("/taxonomy", response=responses(dict[str, list[TermOut]], 401))
def all_taxonomies(request: HttpRequest) -> dict[str, list[TermOut]]:
    return {name: _terms(name) for name in TAXONOMIES}


@router.get("/taxonomy/{name}", response=responses(list[TermOut], 401, 404))
def one_taxonomy(request: HttpRequest, name: str) -> list[TermOut]:
    if name not in TAXONOMIES:
        raise Http404
    return _terms(name)


def _terms(name: str) -> list[TermOut]:
    vocab = taxonomy()
    specialties = vocab["specialties"].by_id
    out = []
    for term in vocab[name].active():
        parent_id = getattr(term, "parent_id", None)
        out.append(
            TermOut(
                code=term.code,
                label=term.label,
                label_en=term.label_en,
                label_fr=term.label_fr,
                parent=specialties[parent_id].code if parent_id in specialties else None,
                ordinal=getattr(term, "ordinal", None),
            )
        )
    return out


# The mentor search's own filters as query parameters: one list of fields for both.
class SearchIn(SearchFilters, InputSchema):
    pass


@router.get("/mentors", response=responses(SearchOut, 401, 422))
def mentor_search(request: HttpRequest, filters: Query[SearchIn]) -> SearchOut:
    form = forms.MentorSearchForm(data=filters.dict(), vocabularies=taxonomy())
    page = search_mentors(current_user(request), SearchFilters.from_cleaned(validated(form)))
    return SearchOut(
        total=page.total,
        page=page.page,
        pages=page.pages,
        ranked=page.ranked,
        results=[_mentor(request, r) for r in page.results],
    )


def _mentor(request: HttpRequest, r: MentorResult) -> MentorOut:
    p, f = r.profile, r.features
    personal: dict[str, Any] = {}
    for name in ("pronouns", "city"):
        if name in r.visible and getattr(p, name):
            personal[name] = getattr(p, name)
    if "photo" in r.visible and p.photo:
        personal["photo"] = request.build_absolute_uri(reverse("profiles:photo", args=[p.uuid]))
    return MentorOut(
        uuid=p.uuid,
        name=p.display_name or p.user.name,
        career_stage=_code("career-stages", p.career_stage_id),
        specialty=f.specialty,
        province=f.province,
        is_mentor=True,
        places_left=f.places_left,
        personal=personal,
        languages=sorted(f.languages),
        goals_offered=sorted(f.goals_offered),
        offering=p.offering,
        score=r.score,
        eligible=r.eligible,
        why=r.why,
    )


def _code(name: str, pk: int | None) -> str | None:
    term = taxonomy()[name].by_id.get(pk) if pk is not None else None
    return term.code if term is not None else None
