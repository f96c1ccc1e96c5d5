"""The danger detector has the last word on danger in the parse result."""

from __future__ import annotations

from rasa.shared.nlu.constants import ENTITIES, INTENT
from rasa.shared.nlu.training_data.message import Message

from amtslotse.rasa.components import _unconfirmed_danger_dropped


def _message(intent: str, *concerns: str) -> Message:
    message = Message(data={"text": "x"})
    message.set(INTENT, {"name": intent, "confidence": 0.5}, add_to_output=True)
    message.set(
        ENTITIES, [{"entity": "concern", "value": c, "start": 0, "end": 1} for c in concerns]
    )
    return message


def test_an_unconfirmed_danger_guess_becomes_a_question():
    """ "Platzwunde beim Rodeln": the classifiers guessed kinderschutz, the detector did not."""
    message = _message("anliegen_kinderschutz")
    understanding: dict = {"concerns": []}
    _unconfirmed_danger_dropped(message, understanding)
    assert message.get(INTENT)["name"] == "nlu_fallback"


def test_the_other_concerns_named_stay_and_lead():
    message = _message(
        "anliegen_kinderschutz", "kinderschutz", "fuehrerschein_antrag", "schueler_bafoeg"
    )
    understanding = {
        "concerns": [
            {"service": s} for s in ("kinderschutz", "fuehrerschein_antrag", "schueler_bafoeg")
        ]
    }
    _unconfirmed_danger_dropped(message, understanding)
    assert message.get(INTENT)["name"] == "anliegen_fuehrerschein_antrag"
    assert [e["value"] for e in message.get(ENTITIES)] == [
        "fuehrerschein_antrag",
        "schueler_bafoeg",
    ]
    assert [c["service"] for c in understanding["concerns"]] == [
        "fuehrerschein_antrag",
        "schueler_bafoeg",
    ]
    assert understanding["several"] is True


def test_other_intents_are_left_alone():
    message = _message("anliegen_wohngeld", "wohngeld")
    _unconfirmed_danger_dropped(message, {"concerns": [{"service": "wohngeld"}]})
    assert message.get(INTENT)["name"] == "anliegen_wohngeld"
    assert [e["value"] for e in message.get(ENTITIES)] == ["wohngeld"]
