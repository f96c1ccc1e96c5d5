"""Scoring of the held-out sets: a wrong office said with confidence, a general
utterance answered as a concern, and the nlu benchmark built from both."""

from __future__ import annotations

from pathlib import Path

import pytest

from amtslotse.bench.nlu import concern_measurements, general_measurements
from amtslotse.core.content import load_catalogue
from amtslotse.rasa.training.evaluate import (
    Labelled,
    LabelledIntent,
    Prediction,
    load_heldout_general,
    office_of,
    score,
    score_general,
)


def test_score_separates_right_fallback_and_wrong_office():
    cat = load_catalogue()
    items = [
        Labelled("Wohngeld bitte", "wohngeld"),
        Labelled("Unterhalt fehlt", "unterhaltsvorschuss"),
        Labelled("Nachhilfe bezahlen", "bildung_teilhabe"),
        Labelled("Termin Elterngeld", "elterngeld"),
        Labelled("Auto weg", "kfz_abmelden"),
    ]
    predictions = [
        Prediction("anliegen_wohngeld", 0.95),  # right
        Prediction("anliegen_beistandschaft", 0.9),  # same office (Jugendamt): office right
        Prediction("anliegen_eingliederungshilfe", 0.8),  # wrong office, said with confidence
        Prediction("termin_buchen", 0.9),  # wrong, but names no office
        Prediction("anliegen_rente", 0.3),  # below the threshold: the bot asks
    ]
    result = score(cat, items, predictions, threshold=0.75)
    assert result.total == 5
    assert result.service_correct == 1 and result.office_correct == 2
    assert result.fallback == 1
    assert [w[:3] for w in result.wrong_confident] == [
        ("Nachhilfe bezahlen", "bildung_teilhabe", "eingliederungshilfe")
    ]


def test_questions_count_as_their_own_office():
    cat = load_catalogue()
    assert office_of(cat, "job_verloren") == "clarify:job_verloren"
    assert office_of(cat, "bildung_teilhabe") == "clarify:bildung_teilhabe"
    assert office_of(cat, "kindergeld") == "extern_familienkasse"


# ------------------------------------------------ general held-out set (heldout_general.yml)


def _general_case():
    items = [
        LabelledIntent("Hallo", "greet"),
        LabelledIntent("Moin", "greet"),
        LabelledIntent("Danke und tschüss", "goodbye"),
        LabelledIntent("Wo ist das?", "frage_ort"),
        LabelledIntent("Wo genau?", "frage_ort"),
        LabelledIntent("Brauche ich einen Termin?", "frage_termin_noetig"),
        LabelledIntent("Hä?", "nicht_verstanden"),
    ]
    predictions = [
        Prediction("greet", 0.95),  # right
        Prediction("greet", 0.5),  # right intent, but the bot falls back
        Prediction("thanks", 0.9),  # wrong, names no office
        Prediction("anliegen_wohnsitz_anmelden", 0.8),  # a concern said with confidence
        Prediction("frage_ort", 0.9),  # right
        Prediction("termin_buchen", 0.4),  # wrong and below the threshold
        Prediction("anliegen_einbuergerung", 0.3),  # a concern, but the bot asks
    ]
    return items, predictions


def test_score_general_counts_right_answered_and_concerns():
    items, predictions = _general_case()
    result = score_general(items, predictions, threshold=0.75)
    assert result.total == 7
    assert result.correct == 3 and result.answered_right == 2
    assert result.fallback == 3
    assert result.accuracy == 3 / 7
    assert result.concern_confident == [
        ("Wo ist das?", "frage_ort", "anliegen_wohnsitz_anmelden", 0.8)
    ]
    assert [e[0] for e in result.errors] == [
        "Danke und tschüss",
        "Wo ist das?",
        "Brauche ich einen Termin?",
        "Hä?",
    ]


def test_score_general_per_intent_and_worst():
    items, predictions = _general_case()
    result = score_general(items, predictions, threshold=0.75)
    assert {k: (r.correct, r.total) for k, r in result.per_intent.items()} == {
        "greet": (2, 2),
        "goodbye": (0, 1),
        "frage_ort": (1, 2),
        "frage_termin_noetig": (0, 1),
        "nicht_verstanden": (0, 1),
    }
    # Lowest accuracy first; among equals the intent with more utterances, then by name.
    assert [r.intent for r in result.worst(3)] == [
        "frage_termin_noetig",
        "goodbye",
        "nicht_verstanden",
    ]
    assert str(result.per_intent["frage_ort"]) == "frage_ort 50 % (1/2)"
    assert result.worst(10)[-1].intent == "greet"


def test_score_general_needs_one_prediction_per_utterance():
    items, predictions = _general_case()
    with pytest.raises(ValueError):
        score_general(items, predictions[:-1], threshold=0.75)


def test_empty_general_score():
    result = score_general([], [], threshold=0.75)
    assert result.accuracy == 0.0 and result.answered_right_share == 0.0
    assert result.worst() == []


def test_load_heldout_general(tmp_path: Path):
    path = tmp_path / "general.yml"
    path.write_text(
        "utterances:\n  - text: Servus\n    intent: greet\n"
        '  - text: "Wo ist das?"\n    intent: frage_ort\n',
        encoding="utf-8",
    )
    assert load_heldout_general(path) == [
        LabelledIntent("Servus", "greet"),
        LabelledIntent("Wo ist das?", "frage_ort"),
    ]


def test_the_real_general_set_loads():
    items = load_heldout_general(Path(__file__).parent / "nlu" / "heldout_general.yml")
    assert len(items) >= 150
    assert all(not i.intent.startswith("anliegen_") for i in items)


# ------------------------------------------------ the nlu benchmark's measurements


def test_general_measurements_report_accuracy_worst_and_concerns():
    items, predictions = _general_case()
    result = score_general(items, predictions, threshold=0.75)
    got = {m.name: m for m in general_measurements(result, 0.75)}
    assert set(got) == {
        "general_top1_accuracy",
        "general_answered_right",
        "general_worst_intent_accuracy",
        "general_answered_as_concern",
    }
    assert got["general_top1_accuracy"].value == pytest.approx(100 * 3 / 7)
    assert got["general_answered_right"].value == pytest.approx(100 * 2 / 7)
    worst = got["general_worst_intent_accuracy"]
    assert worst.value == 0.0
    assert "frage_termin_noetig 0 % (0/1)" in worst.note and "nicht_verstanden" in worst.note
    concern = got["general_answered_as_concern"]
    assert concern.value == 1 and concern.target == "0" and concern.met is False
    assert all(m.suite == "nlu" for m in got.values())


def test_no_concern_answer_meets_the_target():
    result = score_general(
        [LabelledIntent("Danke", "thanks")], [Prediction("thanks", 0.99)], threshold=0.75
    )
    concern = {m.name: m for m in general_measurements(result, 0.75)}["general_answered_as_concern"]
    assert concern.value == 0 and concern.met is True


def test_concern_measurements_keep_their_names():
    cat = load_catalogue()
    result = score(
        cat,
        [Labelled("Wohngeld bitte", "wohngeld")],
        [Prediction("anliegen_wohngeld", 0.95)],
        threshold=0.75,
    )
    got = {m.name: m.value for m in concern_measurements(result, 0.75)}
    assert got == {
        "top1_office_accuracy": 100.0,
        "top1_service_accuracy": 100.0,
        "wrong_office_named": 0,
        "fallback_share": 0.0,
    }
