"""Unit tests of the near-duplicate helper in similarity.py."""

import pytest
from similarity import (
    THRESHOLD,
    char_ngrams,
    find_near_duplicates,
    is_near_duplicate,
    jaccard,
    normalize,
    similarity,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Mein Auto ABMELDEN!", "mein auto abmelden"),
        ("  Wohngeld,   bitte...  ", "wohngeld bitte"),
        ("Ich will mein [Auto](fahrzeug) anmelden", "ich will mein auto anmelden"),
        ('Termin beim [Jobcenter]{"entity": "office"}?', "termin beim jobcenter"),
        ("[Kfz](fahrzeug:auto) abmelden", "kfz abmelden"),
        ("Führerschein verloren – was tun?", "führerschein verloren was tun"),
        ("Straße_Nr. 5", "straße nr 5"),
        ("", ""),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_char_ngrams():
    assert char_ngrams("abcd") == {"abc", "bcd"}
    assert char_ngrams("ab") == {"ab"}
    assert char_ngrams("") == frozenset()


def test_jaccard():
    assert jaccard(frozenset("ab"), frozenset("ab")) == 1.0
    assert jaccard(frozenset("ab"), frozenset("cd")) == 0.0
    assert jaccard(frozenset("abc"), frozenset("bcd")) == pytest.approx(2 / 4)
    assert jaccard(frozenset(), frozenset()) == 1.0


def test_similarity_ignores_case_punctuation_and_markup():
    assert similarity("Auto abmelden!", "auto ABMELDEN") == 1.0
    assert similarity("[Auto](fahrzeug) abmelden", "Auto abmelden") == 1.0
    assert similarity("Wohngeld beantragen", "Fischereischein verloren") < 0.2


def test_equal_texts_are_duplicates_regardless_of_length():
    assert is_near_duplicate("Wohngeld", "wohngeld!")
    assert is_near_duplicate("Auto abmelden", "Auto, abmelden.")


def test_short_texts_only_count_when_equal():
    # 3 words: very similar but not equal -> not flagged
    assert similarity("mein auto abmelden", "meine autos abmelden") >= 0.5
    assert not is_near_duplicate("mein auto abmelden", "meine autos abmelden")


def test_long_near_duplicate_is_flagged():
    a = "Ich möchte gerne mein altes Auto beim Landratsamt abmelden"
    b = "ich möchte gern mein altes auto beim landratsamt abmelden"
    assert similarity(a, b) >= THRESHOLD
    assert is_near_duplicate(a, b)


def test_long_different_texts_are_not_flagged():
    a = "Ich möchte mein altes Auto beim Landratsamt abmelden"
    b = "Ich möchte mein neues Auto beim Landratsamt anmelden lassen"
    assert similarity(a, b) < THRESHOLD
    assert not is_near_duplicate(a, b)


def test_threshold_is_inclusive():
    a = "aaaa bbbb cccc dddd"
    assert is_near_duplicate(a, a + " ", threshold=1.0)


def test_find_near_duplicates_within_one_list():
    texts = [
        "Ich möchte gerne mein altes Auto abmelden bitte",
        "Wohngeld beantragen",
        "ich möchte gern mein altes auto abmelden bitte",
        "wohngeld beantragen!",
        "Führerschein verloren",
    ]
    pairs = find_near_duplicates(texts)
    found = {(p.left, p.right) for p in pairs}
    assert found == {(texts[0], texts[2]), (texts[1], texts[3])}
    assert all(p.score >= THRESHOLD for p in pairs)
    assert "~" in str(pairs[0])


def test_find_near_duplicates_between_lists():
    held_out = ["Mein Ex zahlt keinen Unterhalt für unser Kind", "Angelschein"]
    training = [
        "mein ex zahlt keinen unterhalt für unser kind!",
        "Ich brauche einen Fischereischein",
        "angelschein",
    ]
    pairs = find_near_duplicates(held_out, training)
    assert {(p.left, p.right) for p in pairs} == {
        (held_out[0], training[0]),
        (held_out[1], training[2]),
    }


def test_find_near_duplicates_agrees_with_pairwise_check():
    texts = [
        "Ich brauche Wohngeld für meine Wohnung",
        "ich brauche wohngeld für meine wohnung bitte",
        "Ich brauche Wohngeld für die Wohnung",
        "Brauche Hilfe beim Wohngeld Antrag",
        "Auto anmelden",
        "auto anmelden",
        "Ich will mein Auto anmelden",
    ]
    expected = {
        (a, b) for i, a in enumerate(texts) for b in texts[i + 1 :] if is_near_duplicate(a, b)
    }
    assert {(p.left, p.right) for p in find_near_duplicates(texts)} == expected
