"""A restart of the whole assistant in the middle of a booking loses nothing:
conversations live in the tracker store and holds in the scheduling database."""

from __future__ import annotations

import io

import pytest

from amtslotse.run.processes import running_assistant
from tests.conftest import Running

pytestmark = pytest.mark.integration

SENDER = "restart-check-1"


def _say(running: Running, message: str) -> list[dict]:
    status, messages = running.post(
        f"{running.settings.rasa_url}/webhooks/rest/webhook",
        {"sender": SENDER, "message": message},
    )
    assert status == 200 and isinstance(messages, list), messages
    return messages


def _custom(messages: list[dict], kind: str) -> dict | None:
    return next(
        (m["custom"] for m in messages if (m.get("custom") or {}).get("type") == kind), None
    )


def test_a_restart_in_the_middle_of_a_booking_loses_nothing(tmp_path):
    data_dir = tmp_path / "var"
    with running_assistant(data_dir, io.StringIO()) as settings:
        before = Running(settings, io.StringIO())
        messages = _say(before, "Ich möchte Wohngeld beantragen")
        [book] = [
            b
            for m in messages
            for b in m.get("buttons") or []
            if b["payload"].startswith("/termin_buchen")
        ]
        offer = _custom(_say(before, book["payload"]), "booking_offer")
        assert offer is not None
        bundle = offer["options"][0]["bundle_id"]
        _say(before, f'/termin_waehlen{{"bundle_id": "{bundle}"}}')
        asked = _say(before, "/affirm")
        assert "Wie ist Ihr Name?" in "\n".join(m.get("text", "") for m in asked)

    # New processes, new ports, the same data directory.
    with running_assistant(data_dir, io.StringIO()) as settings:
        after = Running(settings, io.StringIO())
        asked = _say(after, "Erika Mustermann")
        assert any("Wie erreicht das Amt Sie?" in m.get("text", "") for m in asked), asked
        confirmed = _custom(_say(after, "0171 2345678"), "booking_confirmed")
        assert confirmed is not None
        assert [leg["office_id"] for leg in confirmed["legs"]] == ["wohngeldstelle"]
        assert confirmed["start"] == offer["options"][0]["start"]
