"""The danger detector in Rasa's graph: what it does to a parsed message."""

from __future__ import annotations

import pytest
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from amtslotse.rasa.components import UNDERSTANDING, ChildDangerDetector


@pytest.fixture(scope="module")
def nlp():
    from amtslotse.rasa.nlp import load_pipeline
    from amtslotse.settings import Paths

    return load_pipeline(Paths().spacy_pipeline)


def _parsed(nlp, text, intent, concerns, belief=0.3, clause=0.3):
    message = Message(data={TEXT: text})
    message.set(SPACY_DOCS[TEXT], nlp(text))
    message.set(INTENT, {"name": intent, "confidence": 1.0 if len(concerns) > 1 else 0.55})
    ranking = [{"name": "anliegen_" + c, "confidence": 0.3} for c in concerns]
    message.set(INTENT_RANKING_KEY, ranking)
    message.set(ENTITIES, [{"entity": "concern", "value": c} for c in concerns])
    message.set(
        UNDERSTANDING,
        {
            "concerns": [{"service": c} for c in concerns],
            "several": len(concerns) > 1,
            "danger_belief": belief,
            "danger_belief_clause": clause,
        },
    )
    return message


def _detect(message):
    return ChildDangerDetector({}).process([message])[0]


def test_danger_the_words_say_is_none_leaves_the_other_concerns(nlp):
    text = (
        "Die Kleine hat sich aus Versehen im Bad eingeschlossen, Ende gut alles gut 😅 "
        "Kann ich meinen Wohngeldantrag im Bürgerbüro abgeben?"
    )
    both = ["kinderschutz", "unterlagen_abgeben"]
    message = _detect(_parsed(nlp, text, "anliegen_kinderschutz", both, 0.3, 0.8))
    assert message.get(INTENT)["name"] == "anliegen_unterlagen_abgeben"
    assert [e["value"] for e in message.get(ENTITIES)] == ["unterlagen_abgeben"]
    assert not message.get(UNDERSTANDING)["danger"]["danger"]


def test_danger_the_words_say_is_none_alone_makes_the_bot_ask(nlp):
    text = "Mein Sohn ist beim Rodeln gegen einen Baum gefahren, Platzwunde, schon genäht."
    message = _detect(_parsed(nlp, text, "anliegen_kinderschutz", ["kinderschutz"]))
    assert message.get(INTENT)["name"] == "nlu_fallback"
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "anliegen_kinderschutz"  # first button
    assert message.get(ENTITIES) == []


def test_danger_in_words_wins_whatever_the_classifiers_said(nlp):
    text = "Der Vater schlägt meinen Sohn, ich brauche auch Wohngeld."
    message = _detect(_parsed(nlp, text, "anliegen_wohngeld", ["wohngeld"], 0.1, 0.1))
    assert message.get(INTENT) == {"name": "anliegen_kinderschutz", "confidence": 1.0}
    assert message.get(UNDERSTANDING)["danger"]["danger"]
