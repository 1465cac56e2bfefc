"""Unsubscribe links: a signed reference to one delivery, so that the link names one
person and one program without saying who (a random identifier, no address, no name),
cannot be forged without the site's secret, and cannot be turned into another person's."""

from __future__ import annotations

from django.core import signing

SALT = "medmentor.announcements.unsubscribe"


def unsubscribe_token(delivery_uuid: object) -> str:
    return signing.Signer(salt=SALT).sign(str(delivery_uuid).replace("-", ""))


def unsubscribe_token_read(token: str) -> str | None:
    """The delivery's UUID (hex) the token was made for, or ``None`` if it is not ours."""
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    if len(value) != 32 or any(c not in "0123456789abcdef" for c in value):
        return None
    return value
