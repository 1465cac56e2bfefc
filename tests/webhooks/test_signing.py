"""verify_signature, the receivers' check: a delivery signed with the secret verifies; a
changed body, another secret, an old timestamp (a replay) or a malformed header does not,
each with a message saying why."""

from __future__ import annotations

import pytest

from medmentor.webhooks.signing import SignatureError, sign, verify_signature

SECRET = "mm_whsec_test-secret"
BODY = b'{"type":"member.enrolled"}'
NOW = 1_800_000_000


def test_a_signed_body_verifies_and_gives_its_timestamp():
    header = sign(SECRET, BODY, timestamp=NOW)
    assert header.startswith(f"t={NOW},v1=")
    assert verify_signature(SECRET, header, BODY, now=NOW + 5) == NOW


def test_a_changed_body_is_refused():
    header = sign(SECRET, BODY, timestamp=NOW)
    with pytest.raises(SignatureError, match="body was changed"):
        verify_signature(SECRET, header, BODY.replace(b"enrolled", b"declined"), now=NOW)


def test_another_secret_is_refused():
    header = sign(SECRET, BODY, timestamp=NOW)
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature("mm_whsec_another", header, BODY, now=NOW)


@pytest.mark.parametrize("late", [301, 3600, -301])
def test_a_timestamp_outside_the_tolerance_is_refused_as_a_replay(late):
    header = sign(SECRET, BODY, timestamp=NOW)
    with pytest.raises(SignatureError, match="replayed"):
        verify_signature(SECRET, header, BODY, now=NOW + late)
    assert verify_signature(SECRET, header, BODY, now=NOW + late, tolerance=abs(late)) == NOW


def test_the_timestamp_is_signed_too():
    """A replay with a fresh t= and the old signature does not verify."""
    signature = sign(SECRET, BODY, timestamp=NOW).split(",")[1]
    with pytest.raises(SignatureError, match="does not match"):
        verify_signature(SECRET, f"t={NOW + 1000},{signature}", BODY, now=NOW + 1000)


@pytest.mark.parametrize(
    ("header", "why"),
    [
        (None, "missing"),
        ("", "missing"),
        ("v1=abc", "no valid timestamp"),
        ("t=soon,v1=abc", "no valid timestamp"),
        ("t=1,t=2,v1=abc", "no valid timestamp"),
        (f"t={NOW}", "no v1= signature"),
        (f"t={NOW},v1", "malformed"),
        ("garbage", "malformed"),
    ],
)
def test_a_malformed_header_is_refused(header, why):
    with pytest.raises(SignatureError, match=why):
        verify_signature(SECRET, header, BODY, now=NOW)


def test_any_of_several_v1_signatures_may_match():
    """Room for sending under two secrets while a receiver switches."""
    good = sign(SECRET, BODY, timestamp=NOW).split(",")[1]
    assert verify_signature(SECRET, f"t={NOW},v1=00ff,{good}", BODY, now=NOW) == NOW
