"""Writes of the directory. Every listing becomes public through one of two doors: a
moderator approving a confirmed submission, or a program run on MedMentor publishing
itself (``listing_publish_platform_program``)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from medmentor.accounts.models import User
from medmentor.core.ratelimit import Rate
from medmentor.directory import selectors
from medmentor.directory.emails import absolute_url, send_directory_email
from medmentor.directory.models import (
    CONTENT_FIELDS,
    Listing,
    ListingClaim,
    ListingReport,
    Source,
    Status,
    Submission,
    SubmissionKind,
    SubmissionState,
)

# A flood from one address or one network is throttled; nothing is stored past the limit.
SUBMISSIONS_PER_ADDRESS = Rate(limit=3, period=60 * 60)
SUBMISSIONS_PER_IP = Rate(limit=10, period=60 * 60)

CONFIRM_SALT = "medmentor.directory.submission.confirm"
CONFIRM_WITHIN = timedelta(days=3)


class Throttled(Exception):
    """Past a rate limit: ``message`` says to the visitor what they did too often."""

    def __init__(self, message: StrOrPromise) -> None:
        super().__init__(message)
        self.message = message


class InvalidConfirmation(Exception):
    """A confirmation link that is forged, expired or for a submission already decided."""


def submission_create(
    *,
    content: dict[str, Any],
    language: str,
    ip_address: str,
    listing: Listing | None = None,
    address_proven: bool = False,
) -> Submission:
    """Stores a submission (a new program, or a correction of ``listing``) and e-mails the
    submitter a link to confirm it. ``content`` holds the program's facts, the
    ``submitter_email`` and an optional ``message``, as the submission form cleans them.
    When the submitter's address is already proven (the program's contact answering our
    yearly request, a confirmed owner), the submission goes straight to the moderators.
    Raises ``Throttled`` past the rate limits."""
    submitter_email = str(content["submitter_email"])
    within_address = SUBMISSIONS_PER_ADDRESS.consume(scope="directory-email", key=submitter_email)
    within_ip = SUBMISSIONS_PER_IP.consume(scope="directory-ip", key=ip_address)
    if not (within_address and within_ip):
        raise Throttled(_("Too many submissions from you for now. Please try again in an hour."))
    with transaction.atomic():
        submission = Submission(
            **{field: content[field] for field in CONTENT_FIELDS if field in content},
            kind=SubmissionKind.CORRECTION if listing else SubmissionKind.NEW,
            listing=listing,
            submitter_email=submitter_email.strip().lower(),
            submitter_language="fr" if language.startswith("fr") else "en",
            message=content.get("message", ""),
        )
        if address_proven:
            submission.state = SubmissionState.PENDING
            submission.confirmed_at = timezone.now()
        submission.full_clean()
        submission.save()
        if not address_proven:
            transaction.on_commit(partial(_send_confirmation, submission))
    return submission


def confirmation_token(submission: Submission) -> str:
    return signing.dumps(str(submission.uuid), salt=CONFIRM_SALT)


def _send_confirmation(submission: Submission) -> None:
    path = reverse("directory:confirm", kwargs={"token": confirmation_token(submission)})
    send_directory_email(
        template="confirm",
        to=submission.submitter_email,
        language=submission.submitter_language,
        context={
            "submission": submission,
            "confirm_url": absolute_url(path),
            "days": CONFIRM_WITHIN.days,
        },
    )


def submission_from_token(*, token: str) -> Submission:
    """The unconfirmed submission a confirmation link names, or ``InvalidConfirmation``."""
    try:
        submission_uuid = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_WITHIN)
        return Submission.objects.get(uuid=submission_uuid)
    except (signing.BadSignature, Submission.DoesNotExist, ValidationError):
        raise InvalidConfirmation from None


def submission_confirm(*, token: str) -> Submission:
    """The submitter owns the address: the submission joins the moderation queue. A second
    click on the same link changes nothing."""
    with transaction.atomic():
        submission = submission_from_token(token=token)
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.state == SubmissionState.UNCONFIRMED:
            submission.state = SubmissionState.PENDING
            submission.confirmed_at = timezone.now()
            submission.save(update_fields=["state", "confirmed_at"])
    return submission


def _lock_pending(submission: Submission) -> Submission:
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.state != SubmissionState.PENDING:
        raise ValidationError(_("This submission is not waiting for moderation."))
    return locked


def submission_edit(*, submission: Submission, content: dict[str, Any]) -> Submission:
    """A moderator's changes to a submission before deciding on it."""
    with transaction.atomic():
        submission = _lock_pending(submission)
        for field in CONTENT_FIELDS:
            if field in content:
                setattr(submission, field, content[field])
        submission.full_clean()
        submission.save()
    return submission


def submission_approve(*, submission: Submission, moderator: User) -> Listing:
    """Publishes a new program, or applies a correction to its listing; either way the
    listing counts as verified today. The submitter is told."""
    with transaction.atomic():
        submission = _lock_pending(submission)
        now = timezone.now()
        listing = submission.listing or Listing(source=Source.SUBMITTED)
        for field in CONTENT_FIELDS:
            setattr(listing, field, getattr(submission, field))
        if submission.listing is None:
            listing.is_public = True
            listing.published_at = now
        listing.last_verified = timezone.localdate()
        listing.unverified_since = None
        listing.full_clean()
        listing.save()
        submission.listing = listing
        submission.state = SubmissionState.APPROVED
        submission.decided_at = now
        submission.decided_by = moderator
        submission.save()
        transaction.on_commit(partial(_send_decision, submission, "approved"))
    return listing


def submission_reject(*, submission: Submission, moderator: User, reason: str) -> Submission:
    """Nothing is published; the submitter receives the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the submitter a reason.")})
    with transaction.atomic():
        submission = _lock_pending(submission)
        submission.state = SubmissionState.REJECTED
        submission.rejection_reason = reason
        submission.decided_at = timezone.now()
        submission.decided_by = moderator
        submission.save()
        transaction.on_commit(partial(_send_decision, submission, "rejected"))
    return submission


def _send_decision(submission: Submission, template: str) -> None:
    listing_url = (
        absolute_url(reverse("directory:detail", kwargs={"listing_uuid": submission.listing.uuid}))
        if submission.listing and submission.listing.is_public
        else absolute_url(reverse("directory:index"))
    )
    send_directory_email(
        template=template,
        to=submission.submitter_email,
        language=submission.submitter_language,
        context={"submission": submission, "listing_url": listing_url},
    )


def listing_mark_verified(*, listing: Listing) -> Listing:
    """A moderator checked the listing against the program's own page (or the program's
    contact confirmed it): checked today, and no longer unverified."""
    with transaction.atomic():
        listing.last_verified = timezone.localdate()
        listing.unverified_since = None
        listing.save(update_fields=["last_verified", "unverified_since", "updated_at"])
    return listing


# --- Kept current: the yearly request to each program's contact -----------------------

LISTING_CONFIRM_SALT = "medmentor.directory.listing.confirm"
# The link stays good past the answer period, so that a late answer still counts.
LISTING_CONFIRM_LINK_WITHIN = timedelta(days=90)


def listing_confirmation_token(listing: Listing) -> str:
    return signing.dumps(str(listing.uuid), salt=LISTING_CONFIRM_SALT)


def listing_from_confirmation_token(*, token: str) -> Listing:
    """The listing a program contact's link names (still public, not run on MedMentor),
    or ``InvalidConfirmation``: forged, older than 90 days, or for a withdrawn listing."""
    try:
        listing_uuid = signing.loads(
            token, salt=LISTING_CONFIRM_SALT, max_age=LISTING_CONFIRM_LINK_WITHIN
        )
        return selectors.listing_get_correctable(listing_uuid=listing_uuid)
    except (signing.BadSignature, ValidationError, Http404):
        raise InvalidConfirmation from None


def listings_request_confirmation() -> str:
    """The daily round (a periodic job): e-mails each program whose listing was not checked
    for a year a signed link to confirm or correct it, at most once a year; then marks
    "unverified" the listings whose program did not answer within the answer period.
    Returns what it did, for the scheduler's log."""
    asked = 0
    for listing in selectors.listings_due_for_confirmation():
        with transaction.atomic():
            # The update checks "still due" again, row-locked: one worker asks, once.
            due = selectors.listings_due_for_confirmation().filter(pk=listing.pk)
            if not due.update(confirmation_requested_at=timezone.now()):
                continue  # another worker asked it in the meantime
            transaction.on_commit(partial(_send_confirmation_request, listing))
        asked += 1
    with transaction.atomic():
        unanswered = selectors.listings_unanswered().update(
            unverified_since=timezone.localdate(), updated_at=timezone.now()
        )
    return f"{asked} asked, {unanswered} unverified"


def _send_confirmation_request(listing: Listing) -> None:
    token = listing_confirmation_token(listing)
    send_directory_email(
        template="still_current",
        to=listing.contact_email,
        language="fr" if "fr" in listing.languages and "en" not in listing.languages else "en",
        context={
            "listing": listing,
            "confirm_url": absolute_url(
                reverse("directory:listing_confirm", kwargs={"token": token})
            ),
            "answer_days": selectors.ANSWER_WITHIN.days,
        },
    )


def listing_correct_from_program(
    *, listing: Listing, address: str, content: dict[str, Any], language: str, ip_address: str
) -> Submission:
    """The program itself proposes changes, from an address already proven (its contact
    through the yearly link, or a confirmed owner): they go to the moderators at once, and
    the program has answered, so the listing is no longer unverified."""
    submission = submission_create(
        content={**content, "submitter_email": address},
        language=language,
        ip_address=ip_address,
        listing=listing,
        address_proven=True,
    )
    Listing.objects.filter(pk=listing.pk).update(unverified_since=None)
    return submission


# --- Reports of outdated listings ----------------------------------------------------

REPORTS_PER_IP = Rate(limit=10, period=60 * 60)


def listing_report(
    *, listing: Listing, reason: str, details: str, ip_address: str
) -> ListingReport:
    """A visitor says a listing is out of date; the moderators see it in their queue.
    Raises ``Throttled`` past the rate limit."""
    if not REPORTS_PER_IP.consume(scope="directory-report", key=ip_address):
        raise Throttled(_("Too many reports from you for now. Please try again in an hour."))
    report = ListingReport(listing=listing, reason=reason, details=details.strip())
    report.full_clean()
    report.save()
    return report


def listing_reports_resolve(*, listing: Listing, moderator: User) -> int:
    """The moderator dealt with what visitors reported about a listing."""
    with transaction.atomic():
        return ListingReport.objects.filter(listing=listing, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=moderator
        )


# --- Claims: the people who run a listed program --------------------------------------

CLAIM_SALT = "medmentor.directory.claim"
CLAIM_WITHIN = timedelta(days=3)
CLAIMS_PER_USER = Rate(limit=5, period=60 * 60)


def claim_start(*, listing: Listing, user: User, email: str, language: str) -> ListingClaim:
    """Someone logged in says they run the program, giving an address at the program's
    domain (or its published contact address): a link goes to that address. Raises
    ``ValidationError`` on the ``email`` field when the address proves nothing, and
    ``Throttled`` past the rate limit."""
    email = email.strip().lower()
    if not selectors.address_proves_control(listing=listing, email=email):
        domain = selectors.listing_domain(listing)
        message = (
            _("Use an address at the program's own domain (%(domain)s).") % {"domain": domain}
            if domain
            else _("Use the program's contact address.")
        )
        raise ValidationError({"email": message})
    if not CLAIMS_PER_USER.consume(scope="directory-claim", key=str(user.pk)):
        raise Throttled(
            _("You have asked for too many confirmation links. Please try again in an hour.")
        )
    with transaction.atomic():
        # Asking again (another address, or the link lost) needs the new link opened.
        claim, _created = ListingClaim.objects.update_or_create(
            listing=listing,
            user=user,
            defaults={"email": email, "created_at": timezone.now(), "confirmed_at": None},
        )
        transaction.on_commit(partial(_send_claim_link, claim, language))
    return claim


def _send_claim_link(claim: ListingClaim, language: str) -> None:
    token = signing.dumps({"claim": claim.pk, "email": claim.email}, salt=CLAIM_SALT)
    send_directory_email(
        template="claim",
        to=claim.email,
        language="fr" if language.startswith("fr") else "en",
        context={
            "listing": claim.listing,
            "confirm_url": absolute_url(
                reverse("directory:claim_confirm", kwargs={"token": token})
            ),
            "days": CLAIM_WITHIN.days,
        },
    )


def claim_confirm(*, token: str, user: User) -> ListingClaim:
    """The link from the program's address, opened by the person who claimed: they now
    own the listing. Any other person, or a link for an address since changed, gets
    ``InvalidConfirmation``."""
    try:
        signed = signing.loads(token, salt=CLAIM_SALT, max_age=CLAIM_WITHIN)
        with transaction.atomic():
            claim = ListingClaim.objects.select_for_update().get(
                pk=signed["claim"], email=signed["email"], user=user
            )
            if claim.confirmed_at is None:
                claim.confirmed_at = timezone.now()
                claim.save(update_fields=["confirmed_at"])
    except (signing.BadSignature, ListingClaim.DoesNotExist, KeyError, TypeError):
        raise InvalidConfirmation from None
    return claim


def listing_publish_platform_program(
    *,
    key: str,
    name_en: str,
    name_fr: str,
    organisation_en: str | None = None,
    organisation_fr: str | None = None,
    join_url: str,
    description_en: str = "",
    description_fr: str = "",
    audiences: list[str] | None = None,
    specialties: list[str] | None = None,
    region: str = "",
    formats: list[str] | None = None,
    languages: list[str] | None = None,
    cost: str = "",
    contact_email: str = "",
    status: str = Status.ACTIVE,
) -> Listing:
    """Lists (or updates the listing of) a program run on MedMentor, with a "Join here"
    button to ``join_url``. Called by the programs app whenever such a program opens or
    changes; calling it again with the same ``key`` updates the one listing. Without an
    organisation, a listing keeps the one it has (a listing handed over by its owner),
    and a new one says MedMentor."""
    with transaction.atomic():
        listing = Listing.objects.select_for_update().filter(platform_key=key).first()
        listing = listing or Listing(platform_key=key, source=Source.MEDMENTOR)
        if organisation_en is None:
            organisation_en = listing.organisation_en or "MedMentor"
            organisation_fr = listing.organisation_fr if listing.pk else "MedMentor"
        facts: dict[str, Any] = {
            "name_en": name_en,
            "name_fr": name_fr,
            "organisation_en": organisation_en,
            "organisation_fr": organisation_fr or "",
            "description_en": description_en,
            "description_fr": description_fr,
            "audiences": list(audiences or []),
            "specialties": list(specialties or []),
            "region": region,
            "formats": list(formats or []),
            "languages": list(languages or []),
            "cost": cost,
            # Its page on MedMentor is the program's official address.
            "website_url": join_url,
            "join_url": join_url,
            "contact_email": contact_email,
            "status": status,
        }
        for field, value in facts.items():
            setattr(listing, field, value)
        listing.is_public = True
        listing.published_at = listing.published_at or timezone.now()
        listing.last_verified = timezone.localdate()
        listing.full_clean()
        listing.save()
    return listing


def listing_hand_over(*, claim: ListingClaim, key: str) -> Listing:
    """The owner of a listed program now runs it on MedMentor: the listing (its address,
    and so its place in search engines, unchanged) becomes the program's, with "Join
    here", kept current by ``listing_publish_platform_program`` under ``key``."""
    with transaction.atomic():
        listing = Listing.objects.select_for_update().get(pk=claim.listing_id)
        if listing.is_platform_program:
            raise ValidationError(_("This listing already belongs to a program on MedMentor."))
        listing.platform_key = key
        listing.source = Source.MEDMENTOR
        listing.save(update_fields=["platform_key", "source", "updated_at"])
    return listing


def listing_withdraw_platform_program(*, key: str) -> None:
    """Takes a program run on MedMentor out of the directory (it closed or went private).
    Withdrawing a program that is not listed does nothing."""
    with transaction.atomic():
        Listing.objects.filter(platform_key=key, source=Source.MEDMENTOR).update(
            is_public=False, updated_at=timezone.now()
        )


def submissions_purge_unconfirmed() -> int:
    """Deletes submissions nobody confirmed in time, with the address they carry (their
    links have expired, so they can never be confirmed). Returns how many went."""
    cutoff = timezone.now() - CONFIRM_WITHIN
    with transaction.atomic():
        deleted, _by_model = Submission.objects.filter(
            state=SubmissionState.UNCONFIRMED, created_at__lt=cutoff
        ).delete()
    return deleted
