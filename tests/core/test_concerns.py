"""The citizen's concern list (amtslotse/core/concerns.py) and what the bot says about it."""

from __future__ import annotations

import pytest

from amtslotse.core import listing
from amtslotse.core.concerns import (
    APPOINTMENT,
    EXTERNAL,
    URGENT,
    WALK_IN,
    Concern,
    ConcernList,
    booking_groups,
)
from amtslotse.core.content import load_catalogue


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def test_every_concern_goes_on_the_list_once_with_office_building_and_kind(cat):
    concerns = ConcernList().add_all(
        cat, ["wohngeld", "beglaubigung", "kindergeld", "kinderschutz", "wohngeld"]
    )
    assert [(i.service_id, i.office_id, i.location_id, i.kind) for i in concerns.items] == [
        ("wohngeld", "wohngeldstelle", "skz", APPOINTMENT),
        ("beglaubigung", "buergerbuero", "buergerbuero", WALK_IN),
        ("kindergeld", "extern_familienkasse", None, EXTERNAL),
        ("kinderschutz", "jugendamt", "skz", URGENT),
    ]
    assert [i.service_id for i in concerns.bookable()] == ["wohngeld"]


def test_a_service_several_offices_offer_waits_for_the_choice(cat):
    concerns = ConcernList().add(cat, "bildung_teilhabe")
    assert concerns.undecided() and not concerns.bookable()
    chosen = concerns.choose_office(cat, "bildung_teilhabe", "sozialamt")
    assert chosen.items[0].office_id == "sozialamt" and chosen.items[0].bookable


def test_the_list_survives_the_slot_and_drops_what_it_does_not_know(cat):
    concerns = ConcernList().add_all(cat, ["wohngeld", "elterngeld"])
    slot = [*concerns.to_slot(), {"service_id": "gibt_es_nicht"}, "kaputt"]
    assert ConcernList.from_slot(cat, slot) == concerns
    assert ConcernList.from_slot(cat, None) == ConcernList()


def test_removing_and_the_payload(cat):
    concerns = ConcernList().add_all(cat, ["wohngeld", "elterngeld"]).remove(["wohngeld"])
    assert concerns.payload(cat) == {
        "type": "concern_list",
        "items": [
            {
                "service_id": "elterngeld",
                "office_id": "jugendamt",
                "location_id": "skz",
                "kind": "appointment",
                "bookable": True,
                "service_name": cat.services["elterngeld"].name,
                "office_name": "Jugend·amt",
            }
        ],
    }


def test_bookable_concerns_group_by_building_in_list_order(cat):
    concerns = ConcernList().add_all(
        cat, ["wohngeld", "kfz_zulassen", "buergergeld_antrag", "beglaubigung"]
    )
    assert booking_groups(concerns.items) == [
        (
            "skz",
            (Concern("wohngeld", "wohngeldstelle"), Concern("buergergeld_antrag", "jobcenter")),
        ),
        ("kreishaus", (Concern("kfz_zulassen", "kfz_zulassung"),)),
    ]


def test_the_list_answer_is_one_sentence_a_concern_then_one_question(cat):
    concerns = ConcernList().add_all(
        cat, ["buergergeld_antrag", "hilfe_zur_pflege", "erziehungsberatung"]
    )
    reply = listing.list_reply(cat, concerns)
    assert reply.lines == (
        "Das habe ich für Sie notiert:",
        "Für Bürger·geld brauchen Sie einen Termin beim Job·center.",
        f"Für {cat.services['hilfe_zur_pflege'].name} brauchen Sie einen Termin beim Sozial·amt.",
        f"Für {cat.services['erziehungsberatung'].name} brauchen Sie einen Termin beim Jugend·amt.",
        "Möchten Sie 1 Termin für alles im Sozialen Kompetenz·zentrum?",
    )
    assert reply.remember[listing.PENDING] == listing.ASK_BOOK
    assert reply.buttons[0].payload == listing.book_payload(
        [i.concern for i in concerns.bookable() if i.concern]
    )


def test_the_list_answer_for_other_offices_and_walk_ins_asks_nothing(cat):
    concerns = ConcernList().add_all(cat, ["beglaubigung", "kindergeld"])
    reply = listing.list_reply(cat, concerns)
    assert not reply.buttons
    assert "Für Kinder·geld fragen Sie die Familien·kasse." in reply.lines
    assert reply.lines[-1] == "Dafür brauchen Sie hier keinen Termin."


def test_two_buildings_say_so_and_ask_for_the_first(cat):
    reply = listing.list_reply(cat, ConcernList().add_all(cat, ["wohngeld", "kfz_zulassen"]))
    assert reply.lines[-2:] == (
        "Die Ämter sind in 2 Häusern.",
        "Möchten Sie zuerst einen Termin im Sozialen Kompetenz·zentrum?",
    )
