"""Booking codes, tokens, idempotency sealing, contact rules, service resolution."""

from __future__ import annotations

import pytest

from amtslotse.scheduling.domain.codes import (
    ALPHABET,
    new_access_token,
    new_booking_code,
    normalise_booking_code,
    token_digest,
    token_matches,
)
from amtslotse.scheduling.domain.contact import parse_contact
from amtslotse.scheduling.domain.idempotency import (
    SealBroken,
    key_digest,
    request_fingerprint,
    seal,
    unseal,
)
from amtslotse.scheduling.domain.model import ServiceOption
from amtslotse.scheduling.domain.resolve import resolve_services
from amtslotse.scheduling.errors import (
    AmbiguousService,
    InvalidContact,
    InvalidRequest,
    MixedLocations,
    UnknownService,
)


def test_booking_codes_are_short_grouped_and_unambiguous():
    codes = {new_booking_code() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 9 and code[4] == "-"
        assert set(code.replace("-", "")) <= set(ALPHABET)
    assert not set("01OIL") & set(ALPHABET)


def test_codes_are_accepted_as_people_type_them():
    assert normalise_booking_code("k7m4 pq2x") == "K7M4-PQ2X"
    assert normalise_booking_code("K7M4PQ2X") == "K7M4-PQ2X"
    assert normalise_booking_code("K7M4-PQ2O") is None  # O is not in the alphabet
    assert normalise_booking_code("K7M4") is None


def test_access_tokens_have_192_bits_and_only_digests_are_compared():
    token = new_access_token()
    assert len(token) == 32  # 24 bytes, base64url
    assert token_matches(token, token_digest(token))
    assert not token_matches(new_access_token(), token_digest(token))
    assert token not in token_digest(token)


def test_sealed_token_opens_only_with_the_idempotency_key():
    key, token = "a-client-chosen-key-123", new_access_token()
    sealed = seal(token, key)
    assert token not in sealed
    assert len(sealed) <= 128  # the column (idempotency_records.sealed_token)
    assert unseal(sealed, key) == token
    with pytest.raises(SealBroken):
        unseal(sealed, "another-client-key-456")
    assert seal(token, key) != sealed  # fresh nonce each time


def test_sealed_tokens_are_authenticated():
    """AES-GCM: a changed byte, or an old unauthenticated seal, never opens (issue 17)."""
    import base64

    key, token = "a-client-chosen-key-123", new_access_token()
    sealed = seal(token, key)
    raw = bytearray(base64.urlsafe_b64decode(sealed[3:]))
    for position in (0, 12, len(raw) - 1):  # nonce, ciphertext, tag
        changed = bytearray(raw)
        changed[position] ^= 1
        with pytest.raises(SealBroken):
            unseal(sealed[:3] + base64.urlsafe_b64encode(bytes(changed)).decode(), key)
    legacy = base64.urlsafe_b64encode(bytes(48)).decode()  # the XOR scheme had no prefix
    with pytest.raises(SealBroken):
        unseal(legacy, key)


def test_idempotency_keys_and_fingerprints():
    assert key_digest("0123456789abcdef") != key_digest("0123456789abcdeg")
    body = {"hold_id": "h", "contact": {"name": "A", "email": "a@b.de"}}
    same = {"contact": {"email": "a@b.de", "name": "A"}, "hold_id": "h"}
    assert request_fingerprint("k" * 16, body) == request_fingerprint("k" * 16, same)
    assert request_fingerprint("k" * 16, body) != request_fingerprint(
        "k" * 16, {**body, "hold_id": "i"}
    )


def test_contact_is_a_name_and_exactly_one_channel():
    assert parse_contact({"name": "  Erika   Muster ", "phone": "0340 123456"}).as_dict() == {
        "name": "Erika Muster",
        "phone": "+49340123456",
    }
    assert parse_contact({"name": "E", "email": "Erika@Example.org"}).email == "Erika@example.org"
    bad = [
        None,
        "Erika",
        {},
        {"name": "E"},
        {"name": "E", "phone": "0340 123456", "email": "a@b.de"},
        {"name": "E", "phone": "12"},
        {"name": "E", "email": "not-an-email"},
        {"name": "E", "phone": "0340 123456", "birthday": "1970-01-01"},
        {"name": "x" * 101, "phone": "0340 123456"},
        {"name": "E\x00", "phone": "0340 123456"},
        {"name": 5, "phone": "0340 123456"},
        {"name": "E", "phone": 340123456},
    ]
    for raw in bad:
        with pytest.raises(InvalidContact) as info:
            parse_contact(raw)
        assert info.value.errors


OFFERS = {
    "wohngeld": [ServiceOption("wohngeld", "wohngeldstelle", "skz", 30)],
    "impfung": [ServiceOption("impfung", "gesundheitsamt", "kreishaus", 20)],
    "bildung_teilhabe": [
        ServiceOption("bildung_teilhabe", "jobcenter", "skz", 30),
        ServiceOption("bildung_teilhabe", "sozialamt", "skz", 30),
    ],
}


def test_resolving_services():
    assert [
        o.office_id for o in resolve_services(["wohngeld", "bildung_teilhabe:sozialamt"], OFFERS)
    ] == ["wohngeldstelle", "sozialamt"]
    with pytest.raises(UnknownService):
        resolve_services(["reisepass"], OFFERS)
    with pytest.raises(UnknownService):
        resolve_services(["wohngeld:jobcenter"], OFFERS)
    with pytest.raises(AmbiguousService, match="bildung_teilhabe:jobcenter"):
        resolve_services(["bildung_teilhabe"], OFFERS)
    with pytest.raises(InvalidRequest, match="only once"):
        resolve_services(["wohngeld", "wohngeld"], OFFERS)
    with pytest.raises(MixedLocations) as info:
        resolve_services(["wohngeld", "impfung"], OFFERS)
    assert info.value.locations == {"wohngeld": "skz", "impfung": "kreishaus"}
