"""Concerns, options, contact checks and replies of the booking flow (pure)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from amtslotse.core.booking import answers
from amtslotse.core.booking.offers import idempotency_key, pick_options
from amtslotse.core.booking.reference import find_code, find_token
from amtslotse.core.booking.when import default_preference, parse_preference
from amtslotse.core.contact import clean_contact, clean_name, contact_for
from amtslotse.core.content import load_catalogue

TODAY = date(2025, 12, 1)


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def bundle(start: str, service: str = "wohngeld", office: str = "wohngeldstelle") -> dict:
    end = start[:-8] + "59:00+01:00"
    return {
        "bundle_id": f"b-{start}",
        "location_id": "skz",
        "start": start,
        "end": end,
        "legs": [{"service_id": service, "office_id": office, "start": start, "end": end}],
    }


def test_pick_options_spreads_over_days_and_honours_exclusions():
    bundles = [
        bundle("2025-12-02T09:00:00+01:00"),
        bundle("2025-12-02T09:15:00+01:00"),
        bundle("2025-12-05T09:00:00+01:00"),  # a Friday
        bundle("2025-12-08T10:00:00+01:00"),
        bundle("2025-12-09T10:00:00+01:00"),
    ]
    options = pick_options(bundles, parse_preference("nicht am Freitag", TODAY))
    assert [o["start"][:10] for o in options] == ["2025-12-02", "2025-12-08", "2025-12-09"]
    later = pick_options(
        bundles,
        default_preference(TODAY),
        after=datetime.fromisoformat("2025-12-05T09:00:00+01:00"),
    )
    assert [o["start"][:10] for o in later] == ["2025-12-08", "2025-12-09"]


def test_idempotency_key_is_stable_per_conversation_and_hold():
    assert idempotency_key("a", "h1") == idempotency_key("a", "h1")
    assert idempotency_key("a", "h1") != idempotency_key("a", "h2")
    assert idempotency_key("a", "h1") != idempotency_key("b", "h1")
    assert len(idempotency_key("a", "h1")) == 64


def test_contact_checks():
    assert clean_contact("0171 1234567") == "+491711234567"
    assert clean_contact("erika@example.org") == "erika@example.org"
    assert clean_contact("12345") is None and clean_contact("erika@") is None
    assert clean_name("  Erika   Mustermann ") == "Erika Mustermann"
    assert clean_name("0171 1234567") is None
    assert contact_for("Erika", "+491711234567").as_dict() == {
        "name": "Erika",
        "phone": "+491711234567",
    }
    assert contact_for("Erika", "e@example.org").as_dict()["email"] == "e@example.org"


def test_code_and_token_from_typed_text():
    assert find_code("mein code ist k7m4 pq2x") == "K7M4-PQ2X"
    assert find_code("0000-1111") is None  # 0 and 1 are not in the alphabet
    text = "K7M4-PQ2X abcDEF12345678901234567890abcd"
    assert find_token(text) == "abcDEF12345678901234567890abcd"


def test_time_in_words(cat):
    t = datetime.fromisoformat("2025-12-09T09:30:00+01:00")
    assert answers.time_words(cat, t) == "Dienstag, 9. Dezember, 9:30 Uhr"


def test_offer_reply_has_buttons_payload_and_other_times(cat):
    options = [bundle("2025-12-02T09:00:00+01:00"), bundle("2025-12-03T10:00:00+01:00")]
    reply = answers.offer_reply(cat, options)
    assert [b.payload.split("{")[0] for b in reply.buttons] == [
        "/termin_waehlen",
        "/termin_waehlen",
        "/termin_andere_zeiten",
    ]
    assert reply.custom["type"] == "booking_offer"
    assert [o["bundle_id"] for o in reply.custom["options"]] == [o["bundle_id"] for o in options]
    assert reply.remember["booking_offer"] == options


def test_confirmation_names_office_time_address_documents_and_code(cat):
    booking = {**bundle("2025-12-09T09:30:00+01:00"), "booking_code": "K7M4-PQ2X"}
    reply = answers.confirmed_reply(cat, {**booking, "pin": "482913"}, "tok")
    assert "Wohn·geld·stelle: Dienstag, 9. Dezember, 9:30 Uhr." in reply.lines
    assert "Adresse: Chemieparkstraße 7, 06766 Bitterfeld-Wolfen." in reply.lines
    assert any("Wohn·geld" in ln and "bringen Sie mit" in ln for ln in reply.lines)
    assert (
        "Ihre Termin·nummer: K7M4-PQ2X." in reply.lines
        and "Ihre Geheim·zahl: 482913." in reply.lines
    )
    assert "tok" not in reply.text  # no secret longer than the PIN in the text
    assert reply.custom["pin"] == "482913"
    assert reply.custom["type"] == "booking_confirmed" and reply.custom["location_id"] == "skz"
    assert reply.remember == {"booking_code": "K7M4-PQ2X", "booking_token": "tok"}


def test_office_answer_offers_the_booking_as_its_first_button(cat):
    from amtslotse.core.routing import office_reply

    reply = office_reply(cat, cat.services["wohngeld"])
    assert reply.buttons[0].payload == '/termin_buchen{"service": "wohngeld:wohngeldstelle"}'
    assert reply.buttons[0].title == "Termin machen"
    walk_in = office_reply(cat, cat.services["beglaubigung"])
    assert not any(b.payload.startswith("/termin_buchen") for b in walk_in.buttons)
