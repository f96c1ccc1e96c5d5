"""Full stack: book Jobcenter + Sozialamt + Jugendamt through the REST channel.

The three legs must then appear back to back at the Soziales
Kompetenzzentrum in the backend's admin schedule.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest

pytestmark = pytest.mark.integration

SENDER = "integration-booking-1"
OFFICES = ("jobcenter", "sozialamt", "jugendamt")


def _say(assistant, message: str) -> list[dict]:
    status, messages = assistant.post(
        f"{assistant.settings.rasa_url}/webhooks/rest/webhook",
        {"sender": SENDER, "message": message},
    )
    assert status == 200, messages
    assert isinstance(messages, list)
    return messages


def _buttons(messages: list[dict]) -> list[dict]:
    return [b for m in messages for b in m.get("buttons") or []]


def _custom(messages: list[dict], kind: str) -> dict | None:
    found = [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == kind]
    return found[0] if found else None


def test_book_three_offices_back_to_back_at_the_skz(assistant):
    messages = _say(
        assistant, "Ich brauche Termine beim Jobcenter, beim Sozialamt und beim Jugendamt"
    )
    # Each office has several services: the bot asks per office, the citizen taps
    # one; then the bot shows what it books and asks once ("Ja, Zeiten zeigen").
    for _ in range(len(OFFICES) + 1):
        if _custom(messages, "booking_offer"):
            break
        [first, *_] = [b for b in _buttons(messages) if b["payload"].startswith("/termin_buchen")]
        messages = _say(assistant, first["payload"])
    offer = _custom(messages, "booking_offer")
    assert offer is not None, messages
    option = offer["options"][0]
    assert {leg["office_id"] for leg in option["legs"]} == set(OFFICES)
    messages = _say(assistant, f'/termin_waehlen{{"bundle_id": "{option["bundle_id"]}"}}')
    assert [b["payload"] for b in _buttons(messages)] == ["/affirm", "/deny"]
    _say(assistant, "/affirm")
    _say(assistant, "Erika Mustermann")
    messages = _say(assistant, "0171 1234567")
    confirmed = _custom(messages, "booking_confirmed")
    assert confirmed is not None, messages
    assert confirmed["location_id"] == "skz" and len(confirmed["legs"]) == 3

    # The backend keeps its admin token in the data dir unless one is configured.
    token = os.environ.get("AMTSLOTSE_ADMIN_TOKEN") or (
        (assistant.settings.data_dir / "admin-token").read_text().strip()
    )
    day = confirmed["legs"][0]["start"][:10]
    base = f"{assistant.settings.scheduling_base_url}/api/v1/admin/schedule"
    legs = []
    for office_id in OFFICES:
        status, body = assistant.get(
            f"{base}?office_id={office_id}&date={day}", {"Authorization": f"Bearer {token}"}
        )
        assert status == 200, body
        legs += [leg for leg in body["legs"] if leg["booking_code"] == confirmed["booking_code"]]
    assert len(legs) == 3
    legs.sort(key=lambda leg: leg["start"])
    for before, after in zip(legs, legs[1:], strict=False):
        gap = datetime.fromisoformat(after["start"]) - datetime.fromisoformat(before["end"])
        assert timedelta(0) <= gap <= timedelta(minutes=15)

    # "Ich kann nicht kommen": the bot knows the booking, shows it and asks first.
    messages = _say(assistant, "Ich kann nicht kommen")
    assert _custom(messages, "booking_cancelled") is None
    messages = _say(assistant, "Ja")
    assert _custom(messages, "booking_cancelled") == {
        "type": "booking_cancelled",
        "booking_code": confirmed["booking_code"],
    }
