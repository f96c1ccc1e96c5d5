"""Full stack through the REST channel, as citizens talk: several concerns, one visit.

Every test is one conversation with the real processes (Rasa, the action
server, the backend). The phrasing is a citizen's, not the training data's.
"""

from __future__ import annotations

import itertools
import os
from datetime import datetime, timedelta

import pytest

pytestmark = pytest.mark.integration

_senders = itertools.count(1)


class Chat:
    def __init__(self, assistant):
        self.assistant = assistant
        self.sender = f"integration-conv-{next(_senders):04d}"
        self.messages: list[dict] = []

    def say(self, message: str) -> list[dict]:
        status, messages = self.assistant.post(
            f"{self.assistant.settings.rasa_url}/webhooks/rest/webhook",
            {"sender": self.sender, "message": message},
        )
        assert status == 200, messages
        assert isinstance(messages, list) and messages, f"no answer to {message!r}"
        self.messages = messages
        return messages

    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.messages)

    def custom(self, kind: str) -> dict | None:
        found = [m["custom"] for m in self.messages if (m.get("custom") or {}).get("type") == kind]
        return found[-1] if found else None

    def buttons(self) -> list[dict]:
        return [b for m in self.messages for b in m.get("buttons") or []]

    def press(self, title_part: str) -> list[dict]:
        for button in self.buttons():
            if title_part in button["title"]:
                return self.say(button["payload"])
        raise AssertionError(f"no button {title_part!r}: {self.buttons()}")

    def book_first(self, name: str = "Erika Mustermann", phone: str = "0171 1234567") -> dict:
        offer = self.custom("booking_offer")
        assert offer is not None, self.messages
        option = offer["options"][0]
        self.say(f'/termin_waehlen{{"bundle_id": "{option["bundle_id"]}"}}')
        self.say("/affirm")
        self.say(name)
        self.say(phone)
        confirmed = self.custom("booking_confirmed")
        assert confirmed is not None, self.messages
        return confirmed


@pytest.fixture
def chat(assistant):
    return lambda: Chat(assistant)


def _schedule(assistant, office_id: str, day: str) -> list[dict]:
    token = os.environ.get("AMTSLOTSE_ADMIN_TOKEN") or (
        (assistant.settings.data_dir / "admin-token").read_text().strip()
    )
    status, body = assistant.get(
        f"{assistant.settings.scheduling_base_url}/api/v1/admin/schedule"
        f"?office_id={office_id}&date={day}",
        {"Authorization": f"Bearer {token}"},
    )
    assert status == 200, body
    return list(body["legs"])


def test_three_concerns_in_one_message_become_one_booking_back_to_back(assistant, chat):
    c = chat()
    c.say(
        "Ich möchte Bürgergeld beantragen. Außerdem ist das Pflegeheim meiner Mutter zu "
        "teuer, und wir brauchen eine Erziehungsberatung. Geht das an einem Tag?"
    )
    items = c.custom("concern_list")["items"]
    assert {i["service_id"] for i in items} == {
        "buergergeld_antrag",
        "hilfe_zur_pflege",
        "erziehungsberatung",
    }
    assert "Möchten Sie 1 Termin für alles im Sozialen Kompetenz·zentrum?" in c.text()
    c.say("ja gerne")
    confirmed = c.book_first()
    assert confirmed["location_id"] == "skz" and len(confirmed["legs"]) == 3
    day = confirmed["legs"][0]["start"][:10]
    legs = [
        leg
        for office in ("jobcenter", "sozialamt", "jugendamt")
        for leg in _schedule(assistant, office, day)
        if leg["booking_code"] == confirmed["booking_code"]
    ]
    assert len(legs) == 3
    legs.sort(key=lambda leg: leg["start"])
    for before, after in zip(legs, legs[1:], strict=False):
        gap = datetime.fromisoformat(after["start"]) - datetime.fromisoformat(before["end"])
        assert timedelta(0) <= gap <= timedelta(minutes=15)


def test_two_concerns_in_two_turns_then_termin_bitte_book_both(chat):
    c = chat()
    c.say("Ich möchte Bürgergeld beantragen")
    c.say("und eine Erziehungsberatung")
    assert {i["service_id"] for i in c.custom("concern_list")["items"]} == {
        "buergergeld_antrag",
        "erziehungsberatung",
    }
    c.say("Termin bitte")
    assert "Ist das richtig?" in c.text()
    c.say("ja")
    confirmed = c.book_first()
    assert {leg["service_id"] for leg in confirmed["legs"]} == {
        "buergergeld_antrag",
        "erziehungsberatung",
    }


def test_a_concern_added_and_one_removed_while_times_are_offered(chat):
    c = chat()
    c.say("Ich brauche Wohngeld, am liebsten Dienstag nachmittag")
    if not c.custom("booking_offer"):
        c.press("Termin")
    offer = c.custom("booking_offer")
    assert offer and all(
        datetime.fromisoformat(o["start"]).weekday() == 1 for o in offer["options"]
    )
    c.say("Ich brauche auch noch eine Erziehungsberatung")
    offer = c.custom("booking_offer")
    assert offer is not None, c.messages
    assert {leg["service_id"] for leg in offer["options"][0]["legs"]} == {
        "wohngeld",
        "erziehungsberatung",
    }
    assert all(datetime.fromisoformat(o["start"]).weekday() == 1 for o in offer["options"])
    c.say("Das Wohngeld nicht mehr")
    offer = c.custom("booking_offer")
    assert offer is not None, c.messages
    assert [leg["service_id"] for leg in offer["options"][0]["legs"]] == ["erziehungsberatung"]
    c.say("Was habe ich alles?")
    assert [i["service_id"] for i in c.custom("concern_list")["items"]] == ["erziehungsberatung"]


def test_wohngeld_and_a_car_are_two_bookings_clearly_explained(chat):
    c = chat()
    c.say("Ich brauche Wohngeld und muss mein neues Auto anmelden")
    assert "Die Ämter sind in 2 Häusern." in c.text()
    c.say("ja")
    first = c.book_first()
    assert first["location_id"] == "skz"
    assert "Sie brauchen noch einen Termin im Kreis·haus." in c.text()
    c.say("ja")
    second = c.book_first()
    assert second["location_id"] == "kreishaus" and second["booking_code"] != first["booking_code"]


def test_a_typed_yes_after_an_answer_asks_to_book_it_and_a_second_yes_offers_times(chat):
    c = chat()
    c.say("Wir brauchen Wohngeld, die Miete ist zu hoch geworden")
    assert any("termin_buchen" in b["payload"] for b in c.buttons())
    c.say("Ja")
    assert "Möchten Sie einen Termin" in c.text(), c.messages
    assert "Schreiben Sie mir Ihr Anliegen" not in c.text()
    c.say("ja")
    assert c.custom("booking_offer") is not None, c.messages


def test_walk_in_and_external_concerns_are_explained_not_booked(chat):
    c = chat()
    c.say("Ich brauche eine beglaubigte Kopie von meinem Zeugnis und Kindergeld für mein Baby")
    kinds = {i["service_id"]: i["kind"] for i in c.custom("concern_list")["items"]}
    assert kinds == {"beglaubigung": "walk_in", "kindergeld": "external"}
    assert "Bürger·büro" in c.text() and "Familien·kasse" in c.text()
    assert not any("termin_buchen" in b["payload"] for b in c.buttons())


def test_a_child_in_danger_described_plainly_gets_the_numbers_at_once(chat):
    c = chat()
    c.say(
        "Ich bin Lehrerin. Ein Mädchen aus meiner Klasse kommt seit Wochen ohne Frühstück "
        "und hat blaue Flecken an den Armen."
    )
    assert "110" in c.text() and "116 111" in c.text()
    assert not any("termin_buchen" in b["payload"] for b in c.buttons())


def test_danger_in_the_middle_of_a_booking_ends_it_and_gives_the_numbers(chat):
    c = chat()
    c.say("Ich brauche einen Termin für Elterngeld")
    c.press("Termin")
    option = c.custom("booking_offer")["options"][0]
    c.say(f'/termin_waehlen{{"bundle_id": "{option["bundle_id"]}"}}')
    c.say("/affirm")
    c.say("kind in haus immer allein. weint viel in nacht. mama nicht da seit 3 tage")
    assert "110" in c.text() and "116 111" in c.text()
    assert "Name" not in c.text()


@pytest.mark.parametrize(
    ("message", "office"),
    [
        ("Ich hätte gern einen Termin bei der Elterngeldstelle.", "jugendamt"),
        (
            "Hab mir nen gebrauchten Golf gekauft und brauch nen Termin zum Anmelden",
            "kfz_zulassung",
        ),
    ],
)
def test_office_and_place_names_are_words_for_concerns(chat, message, office):
    c = chat()
    c.say(message)
    assert "Bei welchem Amt" not in c.text(), c.messages
    offer, answer = c.custom("booking_offer"), c.custom("office_answer")
    offices = (
        {leg["office_id"] for o in offer["options"] for leg in o["legs"]}
        if offer
        else {answer["office_id"]}
        if answer
        else set()
    )
    if not offices:
        # Several concerns on the list: the booking question names them.
        offices = {i["office_id"] for i in (c.custom("concern_list") or {}).get("items", [])}
    assert office in offices, c.messages


def test_markup_gets_the_cannot_read_answer(chat):
    c = chat()
    c.say("<script>alert(1)</script>")
    assert "Bitte schreiben Sie Ihre Frage in Worten." in c.text()
    assert not c.custom("clarify")


def test_a_wrong_code_cancels_nothing_and_no_keeps_the_booking(chat):
    c = chat()
    c.say("Ich brauche einen Termin für Wohngeld")
    if not c.custom("booking_offer"):  # a sure concern with "Termin" gets the times at once
        c.press("Termin")
    confirmed = c.book_first()
    c.say("bitte den termin QX-00000 absagen")
    assert "Diese Termin·nummer finde ich nicht." in c.text()
    assert not c.custom("booking_cancelled")
    c.say("Termin absagen")
    assert "Möchten Sie diesen Termin absagen?" in c.text()
    c.say("Nein")
    assert "Ihr Termin bleibt" in c.text() and not c.custom("booking_cancelled")
    c.say("Ich möchte meinen Termin absagen")
    c.say("Ja")
    assert c.custom("booking_cancelled")["booking_code"] == confirmed["booking_code"]
