"""Scoring of the held-out set: what counts as a wrong office said with confidence."""

from __future__ import annotations

from amtslotse.content import load_catalogue
from amtslotse.training.evaluate import Labelled, Prediction, office_of, score


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
