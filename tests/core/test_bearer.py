from medmentor.core.bearer import DIGEST_LENGTH, digest_of, new_secret


def test_a_new_secret_is_kept_only_as_its_digest():
    token = new_secret("mm_pat")
    assert token.plaintext.startswith("mm_pat_")
    assert len(token.plaintext) > 40  # 256 random bits, URL-safe
    assert token.digest == digest_of(token.plaintext)
    assert len(token.digest) == DIGEST_LENGTH
    assert token.plaintext not in token.digest
    assert token.plaintext.startswith(token.hint)
    assert new_secret("mm_pat").plaintext != token.plaintext
