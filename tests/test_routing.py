"""Answers about who handles a concern, built from the shipped content."""

from __future__ import annotations

import pytest

from amtslotse.core import routing
from amtslotse.core.content import Catalogue, load_catalogue


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue()


def test_wohngeld_names_the_wohngeldstelle_and_says_an_appointment_is_needed(cat):
    reply = routing.office_reply(cat, cat.services["wohngeld"])
    assert "Zuständig ist: Wohn·geld·stelle." in reply.lines
    assert "Sie brauchen einen Termin." in reply.lines
    assert "Adresse: Chemieparkstraße 7, 06766 Bitterfeld-Wolfen." in reply.lines
    assert "Das sind Beispiel·daten." in reply.lines
    payload = reply.custom
    assert payload["type"] == "office_answer"
    assert payload["service_id"] == "wohngeld" and payload["office_id"] == "wohngeldstelle"
    assert payload["walk_in"] is False and payload["urgent"] is False
    assert payload["location"]["id"] == "skz"
    assert "Dienstag: 8 Uhr bis 12 Uhr und 13 Uhr bis 18 Uhr." in payload["opening_hours"]
    assert reply.remember == {"service_id": "wohngeld", "office_id": "wohngeldstelle"}


def test_walk_in_service_sends_the_citizen_to_the_buergerbuero(cat):
    reply = routing.office_reply(cat, cat.services["beglaubigung"])
    assert "Sie brauchen keinen Termin." in reply.lines
    assert "Adresse: Röhrenstraße 33, 06749 Bitterfeld-Wolfen." in reply.lines
    assert reply.custom["walk_in"] is True and reply.custom["location"]["id"] == "buergerbuero"
    assert reply.custom["bookable"] is False


def test_walk_in_at_the_buergerbuero_also_for_another_office(cat):
    reply = routing.office_reply(cat, cat.services["kfz_abmelden"])
    assert reply.custom["office_id"] == "kfz_zulassung"
    assert reply.custom["location"]["id"] == "buergerbuero" and reply.custom["walk_in"] is True


def test_external_concern_says_who_is_responsible_with_the_phone_number(cat):
    reply = routing.office_reply(cat, cat.services["kindergeld"])
    assert reply.custom["office_id"] == "extern_familienkasse"
    assert reply.custom["county_responsible"] is False and reply.custom["location"] is None
    assert "Telefon: 0800 4 5555 30." in reply.lines


def test_child_in_danger_gets_emergency_numbers_and_never_a_booking(cat):
    reply = routing.office_reply(cat, cat.services["kinderschutz"])
    text = reply.text
    assert "110" in text and "112" in text and "116 111" in text
    assert cat.county.jugendamt_emergency_phone in text
    assert reply.custom["urgent"] is True and reply.custom["bookable"] is False
    assert reply.lines[0] == "Ist ein Kind in Gefahr?"
    assert not reply.buttons


def test_bildung_und_teilhabe_asks_before_naming_an_office(cat):
    reply = routing.office_reply(cat, cat.services["bildung_teilhabe"])
    assert reply.custom["type"] == "clarify"
    assert sorted(reply.custom["candidates"]) == ["jobcenter", "sozialamt"]
    assert all(b.payload.startswith("/anliegen_bildung_teilhabe{") for b in reply.buttons)
    answered = routing.office_reply(cat, cat.services["bildung_teilhabe"], "sozialamt")
    assert answered.custom["office_id"] == "sozialamt"


def test_lost_job_clarification_offers_both_services(cat):
    reply = routing.clarify_reply(
        cat, cat.clarifications["job_verloren"], intent="anliegen_job_verloren"
    )
    assert [b.payload for b in reply.buttons] == [
        "/anliegen_arbeitslosengeld",
        "/anliegen_buergergeld_antrag",
    ]
    assert reply.custom["candidates"] == ["extern_agentur_fuer_arbeit", "jobcenter"]


def test_follow_ups_use_the_content(cat):
    wohngeld = cat.services["wohngeld"]
    assert routing.documents_reply(cat, wohngeld).lines[1:] == wohngeld.documents
    assert "Freitag: 8 Uhr bis 12 Uhr." in routing.hours_reply(cat, wohngeld).lines
    assert routing.appointment_reply(cat, wohngeld).lines[0] == "Sie brauchen einen Termin."
    simpler = routing.simpler_reply(cat, wohngeld)
    assert simpler.lines[0] == "Ich erkläre es einfacher."
    assert any(line.startswith("Das Wort Wohn·geld bedeutet") for line in simpler.lines)


def test_every_service_gets_an_answer(cat):
    for service in cat.services.values():
        reply = routing.office_reply(cat, service)
        assert reply.lines and reply.custom is not None, service.id


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "no_words"),
        ("😀😀😀", "no_words"),
        ("123 456", "no_words"),
        ("Привет как дела", "other_alphabet"),
        ("مرحبا أحتاج مساعدة", "other_alphabet"),
        ("Wohngeld?", None),
        ("Привет, мне нужен Bürgergeld", None),
        ("Führerschein", None),
        ("<script>alert(1)</script>", "markup"),
    ],
)
def test_unreadable_messages_are_recognised(text, reason):
    assert routing.unreadable(text) == reason


def test_bad_input_gets_a_short_polite_answer(cat):
    assert routing.bad_input_reply(cat, "no_words").lines[0] == "Entschuldigung."
    assert (
        "Please write in German or English." in routing.bad_input_reply(cat, "other_alphabet").lines
    )
