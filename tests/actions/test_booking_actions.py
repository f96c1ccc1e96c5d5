"""The booking and list actions against the real scheduling backend on SQLite.

Each test is a short conversation: the slots one action sets are what the
next one reads, as in Rasa. The backend is the real app (tests/actions/conftest.py).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from actions.booking import (
    ActionBookingConfirm,
    ActionBookingHold,
    ActionBookingSearch,
    ActionBookingStart,
)
from actions.booking_forms import (
    ValidateBookingContactForm,
    ValidateBookingLookupForm,
    is_an_answer,
)
from actions.booking_manage import ActionBookingManage
from actions.concerns import (
    ActionAnswerConcern,
    ActionAnswerYesNo,
    ActionListRemove,
    ActionListShow,
)
from actions.state import Turn
from amtslotse.core.content.model import Catalogue

SKZ_THREE = ("buergergeld_antrag", "hilfe_zur_pflege", "erziehungsberatung")


def payload_entities(payload: str) -> list[dict[str, Any]]:
    """The entities Rasa reads from a button payload ``/intent{"key": "value"}``."""
    body = payload.partition("{")[2]
    data = json.loads("{" + body) if body else {}
    return [{"entity": k, "value": v} for k, v in data.items()]


def press(conversation: Any, title_part: str) -> tuple[str, list[dict[str, Any]]]:
    """The intent and entities of the button whose title contains ``title_part``."""
    for button in conversation.buttons():
        if title_part in button["title"]:
            payload = button["payload"]
            intent = payload[1:].partition("{")[0]
            return intent, payload_entities(payload)
    raise AssertionError(f"no button {title_part!r} in {conversation.buttons()}")


async def book_first_offer(c: Any, name: str = "Erika Muster", contact: str = "0171 1234567"):
    """Pick the first time offered and give consent, name and contact: the booking."""
    option = c.custom("booking_offer")[0]["options"][0]
    await c.run(
        ActionBookingHold(),
        "termin_waehlen",
        entities=[{"entity": "bundle_id", "value": option["bundle_id"]}],
    )
    assert isinstance(c.slots["booking_hold"], dict)
    c.slots.update(booking_privacy=True, contact_name=name, contact_value="+491711234567")
    await c.run(ActionBookingConfirm(), "kontakt_angabe", text=contact)
    return option


async def schedule(backend: Any, office_id: str, day: str) -> list[dict[str, Any]]:
    import aiohttp

    async with (
        aiohttp.ClientSession() as session,
        session.get(
            f"{backend.url}/api/v1/admin/schedule",
            params={"office_id": office_id, "date": day},
            headers={"Authorization": f"Bearer {backend.admin_token}"},
        ) as r,
    ):
        assert r.status == 200, await r.text()
        return list((await r.json())["legs"])


# ------------------------------------------------------------- several concerns


async def test_three_concerns_in_one_message_become_one_booking_with_three_legs(
    backend, talk, cat: Catalogue
):
    c = talk()
    await c.run(ActionAnswerConcern(), "anliegen_buergergeld_antrag", concerns=SKZ_THREE)
    items = c.custom("concern_list")[0]["items"]
    assert [i["service_id"] for i in items] == list(SKZ_THREE)
    assert {(i["location_id"], i["kind"], i["bookable"]) for i in items} == {
        ("skz", "appointment", True)
    }
    assert "Möchten Sie 1 Termin für alles im Sozialen Kompetenz·zentrum?" in c.text()
    assert len(c.text().splitlines()) <= 6
    await c.run(ActionAnswerYesNo(), "affirm", text="ja")
    options = c.custom("booking_offer")[0]["options"]
    assert options and all(len(o["legs"]) == 3 for o in options)
    option = await book_first_offer(c)
    booked = c.custom("booking_confirmed")[0]
    assert {leg["service_id"] for leg in booked["legs"]} == set(SKZ_THREE)
    day = option["start"][:10]
    for office in ("jobcenter", "sozialamt", "jugendamt"):
        assert [leg["service_id"] for leg in await schedule(backend, office, day)]


async def test_two_concerns_in_two_turns_then_termin_bitte_books_both(backend, talk):
    c = talk()
    await c.run(ActionAnswerConcern(), "anliegen_buergergeld_antrag", text="Ich möchte Bürgergeld")
    await c.run(ActionAnswerConcern(), "anliegen_erziehungsberatung", text="und eine Beratung")
    assert [i["service_id"] for i in c.slots["concern_list"]] == [
        "buergergeld_antrag",
        "erziehungsberatung",
    ]
    await c.run(ActionBookingStart(), "termin_buchen", text="Termin bitte")
    # The list first, asked once.
    assert "Ich suche 1 Termin für diese Sachen:" in c.text()
    assert "Ist das richtig?" in c.text() and not c.custom("booking_offer")
    await c.run(ActionAnswerYesNo(), "affirm", text="ja")
    options = c.custom("booking_offer")[0]["options"]
    assert {leg["service_id"] for leg in options[0]["legs"]} == {
        "buergergeld_antrag",
        "erziehungsberatung",
    }


async def test_a_concern_added_while_times_are_offered_keeps_the_time_wish(backend, talk):
    c = talk()
    await c.run(ActionAnswerConcern(), "anliegen_wohngeld", text="Wohngeld")
    await c.run(ActionBookingStart(), "termin_buchen", text="Termin am Dienstag nachmittag")
    first = c.custom("booking_offer")[0]["options"]
    assert all(datetime.fromisoformat(o["start"]).weekday() == 1 for o in first)
    await c.run(
        ActionAnswerConcern(),
        "anliegen_erziehungsberatung",
        # No time in it (ctparse reads "eine" as 1 o'clock): the wish stays.
        text="Ich brauche auch noch eine Erziehungsberatung",
    )
    again = c.custom("booking_offer")[0]["options"]
    assert {leg["service_id"] for leg in again[0]["legs"]} == {"wohngeld", "erziehungsberatung"}
    assert all(datetime.fromisoformat(o["start"]).weekday() == 1 for o in again)
    assert all(datetime.fromisoformat(o["start"]).hour >= 13 for o in again)


async def test_a_time_wish_said_with_the_concern_holds_for_the_button(backend, talk):
    c = talk()
    await c.run(
        ActionAnswerConcern(),
        "anliegen_wohngeld",
        text="Ich brauche Wohngeld, am liebsten Dienstag nachmittag",
    )
    await c.run(ActionBookingStart(), "termin_buchen", text="/termin_buchen")
    options = c.custom("booking_offer")[0]["options"]
    assert options and all(datetime.fromisoformat(o["start"]).weekday() == 1 for o in options)
    assert all(datetime.fromisoformat(o["start"]).hour >= 13 for o in options)


async def test_a_concern_removed_while_times_are_offered(backend, talk):
    c = talk()
    await c.run(ActionAnswerConcern(), "anliegen_wohngeld", concerns=("wohngeld", "elterngeld"))
    await c.run(ActionAnswerYesNo(), "affirm", text="ja")
    assert len(c.custom("booking_offer")[0]["options"][0]["legs"]) == 2
    await c.run(
        ActionListRemove(),
        "liste_entfernen",
        text="Das Wohngeld nicht mehr",
        concerns=("wohngeld",),
    )
    assert "Wohn·geld ist nicht mehr auf Ihrer Liste." in c.text()
    legs = c.custom("booking_offer")[0]["options"][0]["legs"]
    assert [leg["service_id"] for leg in legs] == ["elterngeld"]
    await c.run(ActionListShow(), "liste_anzeigen", text="Was habe ich alles?")
    assert [i["service_id"] for i in c.custom("concern_list")[0]["items"]] == ["elterngeld"]


async def test_two_buildings_give_two_bookings_one_after_the_other(backend, talk):
    c = talk()
    await c.run(ActionAnswerConcern(), "anliegen_wohngeld", concerns=("wohngeld", "kfz_zulassen"))
    assert "Die Ämter sind in 2 Häusern." in c.text()
    assert "Möchten Sie zuerst einen Termin im Sozialen Kompetenz·zentrum?" in c.text()
    await c.run(ActionAnswerYesNo(), "affirm", text="ja")
    assert [leg["service_id"] for leg in c.custom("booking_offer")[0]["options"][0]["legs"]] == [
        "wohngeld"
    ]
    await book_first_offer(c)
    assert "Sie brauchen noch einen Termin im Kreis·haus." in c.text()
    await c.run(ActionAnswerYesNo(), "affirm", text="ja")
    assert [leg["service_id"] for leg in c.custom("booking_offer")[0]["options"][0]["legs"]] == [
        "kfz_zulassen"
    ]


async def test_walk_in_and_external_concerns_are_explained_never_booked(backend, talk):
    c = talk()
    await c.run(
        ActionAnswerConcern(), "anliegen_beglaubigung", concerns=("beglaubigung", "kindergeld")
    )
    assert (
        "Für Beglaubigung gehen Sie einfach zum Bürger·büro."
        in c.text().replace("Beglaubigungen", "Beglaubigung")
        or "zum Bürger·büro" in c.text()
    )
    assert "Familien·kasse" in c.text()
    assert not c.buttons() or all("termin_buchen" not in b["payload"] for b in c.buttons())
    await c.run(ActionBookingStart(), "termin_buchen", text="Termin bitte")
    assert not c.custom("booking_offer")


# ------------------------------------------------------------- a child in danger


async def test_danger_in_the_middle_of_a_booking_gives_the_numbers_and_frees_the_time(
    backend, talk
):
    c = talk()
    await c.run(ActionAnswerConcern(), "anliegen_wohngeld", text="Wohngeld")
    await c.run(ActionBookingStart(), "termin_buchen", text="Termin bitte")
    option = c.custom("booking_offer")[0]["options"][0]
    await c.run(
        ActionBookingHold(),
        "termin_waehlen",
        entities=[{"entity": "bundle_id", "value": option["bundle_id"]}],
    )
    c.active_loop = "booking_contact_form"
    await c.run(
        ActionAnswerConcern(),
        "anliegen_kinderschutz",
        text="das kind nebenan ist seit tagen allein und hat hunger",
        danger=True,
    )
    assert "110" in c.text() and "116 111" in c.text()
    assert c.active_loop is None and c.slots["booking_hold"] is None
    assert not c.custom("booking_offer")
    # The time is free again for others.
    await c.run(ActionBookingSearch(), "termin_andere_zeiten")


# ------------------------------------------------------------- cancelling safely


async def test_a_typed_unknown_code_cancels_nothing(backend, talk):
    c = talk()
    await c.run(ActionAnswerConcern(), "anliegen_wohngeld", text="Wohngeld")
    await c.run(ActionBookingStart(), "termin_buchen", text="Termin bitte")
    await book_first_offer(c)
    code = c.slots["booking_code"]
    await c.run(ActionBookingManage(), "termin_absagen", text="bitte den termin QX-00000 absagen")
    assert "Diese Termin·nummer finde ich nicht." in c.text()
    await c.run(ActionBookingManage(), "termin_anzeigen", text="Termin zeigen")
    assert code in c.slots["booking_code"] and "abgesagt" not in c.text()


async def test_cancelling_asks_first_and_no_keeps_the_booking(backend, talk):
    c = talk()
    await c.run(ActionAnswerConcern(), "anliegen_wohngeld", text="Wohngeld")
    await c.run(ActionBookingStart(), "termin_buchen", text="Termin bitte")
    await book_first_offer(c)
    await c.run(ActionBookingManage(), "termin_absagen", text="Termin absagen")
    assert "Möchten Sie diesen Termin absagen?" in c.text() and not c.custom("booking_cancelled")
    await c.run(ActionAnswerYesNo(), "deny", text="nein")
    assert "Ihr Termin bleibt." in c.text()
    await c.run(ActionBookingManage(), "termin_absagen", text="Termin absagen")
    await c.run(ActionAnswerYesNo(), "affirm", text="ja")
    assert c.custom("booking_cancelled")


async def test_moving_keeps_the_old_booking_until_the_new_one_stands(backend, talk):
    c = talk()
    await c.run(ActionAnswerConcern(), "anliegen_wohngeld", text="Wohngeld")
    await c.run(ActionBookingStart(), "termin_buchen", text="Termin bitte")
    old = await book_first_offer(c)
    old_code = c.slots["booking_code"]
    await c.run(
        ActionBookingManage(),
        "termin_verschieben",
        text="Ich kann an dem Tag nicht, geht Donnerstag?",
    )
    options = c.custom("booking_offer")[0]["options"]
    assert all(datetime.fromisoformat(o["start"]).weekday() == 3 for o in options)
    # Nothing is cancelled yet: the old leg is still in the schedule.
    assert await schedule(backend, "wohngeldstelle", old["start"][:10])
    await book_first_offer(c)
    assert "Ihr alter Termin ist jetzt abgesagt." in c.text()
    assert c.slots["booking_code"] != old_code
    assert not await schedule(backend, "wohngeldstelle", old["start"][:10])


# ------------------------------------------------------------- the contact form


def test_a_clear_new_concern_is_no_name_but_a_name_like_a_weekday_is():
    concern = Turn("Und Elterngeld auch noch", "anliegen_elterngeld", 0.97, ("elterngeld",))
    assert not is_an_answer(concern)
    assert is_an_answer(Turn("Julia Mittwoch", "termin_zeit", 0.99))
    assert is_an_answer(Turn("Maria Wohngeld", "anliegen_wohngeld", 0.9, ("wohngeld",)))
    assert not is_an_answer(Turn("Was habe ich alles?", "liste_anzeigen", 0.9))


async def test_the_name_question_takes_a_name_and_refuses_a_sentence(talk):
    form = ValidateBookingContactForm()
    from rasa_sdk.executor import CollectingDispatcher

    c = talk()
    dispatcher = CollectingDispatcher()
    out = form.validate_contact_name("ich weiß nicht", dispatcher, c.tracker("kontakt_angabe"), {})
    assert out == {"contact_name": None} and dispatcher.messages
    out = form.validate_contact_name("Özlem Yılmaz", CollectingDispatcher(), c.tracker("x"), {})
    assert out == {"contact_name": "Özlem Yılmaz"}


def test_the_lookup_form_reads_code_and_pin_from_one_paste(talk):
    form = ValidateBookingLookupForm()
    from rasa_sdk.executor import CollectingDispatcher

    out = form.validate_lookup_code(
        "Nummer K7M4-PQ2X PIN 482 913", CollectingDispatcher(), talk().tracker("x"), {}
    )
    assert out == {"lookup_code": "K7M4-PQ2X", "lookup_secret": "482913"}


async def test_the_backend_down_names_the_hotline(talk):
    c = talk()  # no backend fixture: nothing listens at the client's address
    await c.run(ActionAnswerConcern(), "anliegen_wohngeld", text="Wohngeld")
    await c.run(ActionBookingStart(), "termin_buchen", text="Termin bitte")
    assert "Bürger·telefon: 03496 0000-0." in c.text()


# ------------------------------------------------------------- the PIN in a fresh chat


async def _booked_elsewhere(talk: Any) -> tuple[str, str, str]:
    """A booking made in one conversation: its code, the PIN it showed, the kept secret."""
    c = talk(sender="the-first-conversation")
    await c.run(ActionAnswerConcern(), "anliegen_wohngeld", text="Wohngeld")
    await c.run(ActionBookingStart(), "termin_buchen", text="Termin bitte")
    await book_first_offer(c)
    (confirmed,) = c.custom("booking_confirmed")
    pin = confirmed["pin"]
    assert len(pin) == 6 and pin.isdigit() and f"Ihre Geheim·zahl: {pin}." in c.text()
    # The conversation keeps the access token for its own "absagen"; it is never shown.
    kept = c.slots["booking_token"]
    assert kept != pin and len(kept) >= 32 and kept not in c.text()
    return c.slots["booking_code"], pin, kept


async def _lookup(c: Any, code: str, pin: str) -> None:
    """The end of booking_lookup_form: what the citizen typed, then the manage action."""
    c.slots.update(lookup_code=code, lookup_secret=pin)
    await c.run(ActionBookingManage(), "kontakt_angabe", text=pin)


async def test_code_and_pin_from_a_fresh_conversation_cancel(backend, talk):
    code, pin, _ = await _booked_elsewhere(talk)
    c = talk(sender="a-fresh-conversation")
    await c.run(ActionBookingManage(), "termin_absagen", text="Termin absagen")
    assert c.slots.get("lookup_code") is None  # the form asks for the code, then the PIN
    await _lookup(c, code, pin)
    assert "Möchten Sie diesen Termin absagen?" in c.text() and not c.custom("booking_cancelled")
    assert c.slots["lookup_code"] is None and c.slots["lookup_secret"] is None
    await c.run(ActionAnswerYesNo(), "affirm", text="ja")
    assert c.custom("booking_cancelled") == [{"type": "booking_cancelled", "booking_code": code}]
    legs = await schedule(backend, "wohngeldstelle", "2025-12-01")
    legs += await schedule(backend, "wohngeldstelle", "2025-12-02")
    assert code not in {leg["booking_code"] for leg in legs}


async def test_five_wrong_pins_lock_the_code_and_the_chat_says_so(backend, talk):
    code, pin, kept = await _booked_elsewhere(talk)
    wrong = f"{(int(pin) + 1) % 1_000_000:06d}"
    c = talk(sender="someone-guessing")
    for _ in range(4):
        await c.run(ActionBookingManage(), "termin_absagen", text="Termin absagen")
        await _lookup(c, code, wrong)
        assert "Ich finde diesen Termin nicht." in c.text()
    # The 5th wrong PIN locks the code, and the 6th try (even with the right PIN) is refused.
    for typed in (wrong, pin):
        await c.run(ActionBookingManage(), "termin_absagen", text="Termin absagen")
        await _lookup(c, code, typed)
        assert "Zu viele falsche Versuche." in c.text()
        assert "Bitte warten Sie 15 Minuten." in c.text()
        assert "Möchten Sie diesen Termin absagen?" not in c.text()
    # The conversation that booked still has its own way in (the access token).
    first = talk(
        sender="the-first-conversation", slots={"booking_code": code, "booking_token": kept}
    )
    await first.run(ActionBookingManage(), "termin_anzeigen", text="Termin zeigen")
    assert "Das ist Ihr Termin." in first.text()


def test_the_lookup_form_asks_again_for_a_pin_and_sends_nothing_else(talk):
    from rasa_sdk.executor import CollectingDispatcher

    form = ValidateBookingLookupForm()
    dispatcher = CollectingDispatcher()
    out = form.validate_lookup_secret("weiß ich nicht", dispatcher, talk().tracker("x"), {})
    assert out == {"lookup_secret": None}
    assert "Eine Geheim·zahl hat 6 Zahlen." in dispatcher.messages[0]["text"]
    out = form.validate_lookup_secret("482 913", CollectingDispatcher(), talk().tracker("x"), {})
    assert out == {"lookup_secret": "482913"}


async def test_the_privacy_notice_states_the_configured_retention(talk, down_runtime):
    import dataclasses

    from actions.booking_forms import ActionAskBookingPrivacy

    scheduling = dataclasses.replace(down_runtime.settings.scheduling, purge_after_days=45)
    down_runtime.settings = dataclasses.replace(down_runtime.settings, scheduling=scheduling)
    c = talk()
    await c.run(ActionAskBookingPrivacy(), "termin_waehlen")
    assert "Das Amt löscht die Daten 45 Tage nach dem Termin." in c.text()
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    ValidateBookingContactForm().validate_contact_name(
        "Warum brauchen Sie meinen Namen?", dispatcher, c.tracker("x"), {}
    )
    assert "Das Amt löscht Ihre Daten 45 Tage nach dem Termin." in dispatcher.messages[0]["text"]
