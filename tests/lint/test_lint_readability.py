"""Syllable counting and the two readability formulas."""

from __future__ import annotations

import pytest

from amtslotse.lint import (
    count_syllables,
    flesch_amstad,
    split_compound,
    text_scores,
    wiener_sachtextformel,
)
from amtslotse.lint.readability import combine_scores


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("Haus", 1),
        ("Wohngeld", 2),
        ("Wohn·geld", 2),
        ("Bürgergeld", 3),
        ("Arbeitsagentur", 5),
        ("Aufenthaltstitel", 5),
        ("Sozialamt", 4),
        ("Personalausweis", 5),
        ("Termin", 2),
        ("Euro", 2),
        ("Theater", 3),
        ("Ausländerbehörde", 6),
        ("Uhr", 1),
    ],
)
def test_syllables_of_known_words(word, syllables):
    assert count_syllables(word) == syllables


def test_flesch_amstad_formula():
    # 180 - ASL - 58.5 * ASW
    assert flesch_amstad(10, 1.5) == pytest.approx(180 - 10 - 87.75)


def test_wiener_sachtextformel_formula():
    assert wiener_sachtextformel(10, 8, 20, 50) == pytest.approx(
        0.1935 * 10 + 0.1672 * 8 + 0.1297 * 20 - 0.0327 * 50 - 0.875
    )


def test_easy_text_scores_better_than_officialese():
    easy = text_scores([["Sie", "bekommen", "Geld"], ["Das", "Geld", "ist", "für", "die", "Miete"]])
    hard = text_scores(
        [
            [
                "Die",
                "Bewilligung",
                "der",
                "Unterkunftskosten",
                "erfolgt",
                "nach",
                "Prüfung",
                "der",
                "Angemessenheit",
                "durch",
                "die",
                "Leistungsbehörde",
            ]
        ]
    )
    assert easy.flesch_amstad > hard.flesch_amstad
    assert easy.wiener_sachtextformel < hard.wiener_sachtextformel


def test_scores_of_parts_combine_to_the_scores_of_the_whole():
    a = [["Sie", "bekommen", "Geld"]]
    b = [["Das", "Amt", "hilft", "Ihnen", "beim", "Antrag"]]
    assert combine_scores([text_scores(a), text_scores(b)]) == text_scores(a + b)


def test_no_words_score_zero():
    assert text_scores([]).flesch_amstad == 0.0


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("Wohngeldantrag", ("Wohn", "geld", "antrag")),
        ("Bürgergeld", ("Bürger", "geld")),
        ("Aufenthaltstitel", ("Aufenthalts", "titel")),
        ("Gesundheitsamt", ("Gesundheits", "amt")),
        ("Führerscheinstelle", ("Führerschein", "stelle")),
        ("Unterlagen", ("Unterlagen",)),
        ("Gesellschaft", ("Gesellschaft",)),
        ("Widerstand", ("Widerstand",)),
        ("Bitterfeld", ("Bitterfeld",)),
    ],
)
def test_compound_splitting(word, parts):
    assert split_compound(word) == parts
