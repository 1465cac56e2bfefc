"""The signature of a webhook delivery, and its check (for receivers and our tests).

Header: ``MedMentor-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>``, the HMAC taken
with the endpoint's secret over ``f"{t}.{raw body}"``. Plain Python, no Django: a receiver
may copy this module as it is (docs/webhooks.md).
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "MedMentor-Signature"
EVENT_HEADER = "MedMentor-Event"
DELIVERY_HEADER = "MedMentor-Delivery"
SCHEME = "v1"
DEFAULT_TOLERANCE = 300  # seconds either side of the receiver's clock


class SignatureError(ValueError):
    """The delivery cannot be trusted; the message says why."""


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int) -> str:
    """The ``MedMentor-Signature`` header's value for ``body`` sent at ``timestamp``."""
    return f"t={timestamp},{SCHEME}={_digest(secret, timestamp, body)}"


def verify_signature(
    secret: str,
    header: str | None,
    body: bytes,
    *,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE,
) -> int:
    """Check a delivery: ``header`` is the ``MedMentor-Signature`` value, ``body`` the raw
    bytes received, ``now`` the receiver's Unix time. Returns the signed timestamp, or
    raises ``SignatureError`` for a malformed header, a timestamp outside ``tolerance``
    (a replay) or a signature that does not match (wrong secret, or a changed body)."""
    if not header:
        raise SignatureError("The MedMentor-Signature header is missing.")
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep or not key or not value:
            raise SignatureError("The MedMentor-Signature header is malformed.")
        parts.setdefault(key, []).append(value)
    stamps = parts.get("t", [])
    if len(stamps) != 1 or not stamps[0].isdigit():
        raise SignatureError("The MedMentor-Signature header has no valid timestamp (t=).")
    signatures = parts.get(SCHEME, [])
    if not signatures:
        raise SignatureError(f"The MedMentor-Signature header has no {SCHEME}= signature.")
    timestamp = int(stamps[0])
    if abs(now - timestamp) > tolerance:
        raise SignatureError(
            f"The signature's timestamp is more than {tolerance} seconds from now: "
            "an old delivery replayed, or a clock off."
        )
    expected = _digest(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError(
            "The signature does not match: the body was changed, or the secret is not this "
            "endpoint's."
        )
    return timestamp
