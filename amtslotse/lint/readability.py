"""Readability formulas for German text.

- Flesch reading ease adapted to German by Toni Amstad (1978):
  ``180 - ASL - 58.5 * ASW`` (ASL words per sentence, ASW syllables per
  word); 0 = very hard, 100 = very easy; Leichte Sprache aims above 80.
- First Wiener Sachtextformel (Bamberger and Vanecek, 1984):
  ``0.1935*MS + 0.1672*SL + 0.1297*IW - 0.0327*ES - 0.875`` with MS the
  percentage of words with three or more syllables, SL words per sentence,
  IW the percentage of words with more than six letters and ES the
  percentage of one-syllable words; roughly the school year (4 = easy,
  15 = very hard).
"""

from __future__ import annotations

from collections.abc import Sequence

from amtslotse.lint.lexicon import count_syllables
from amtslotse.lint.model import Scores


def flesch_amstad(words_per_sentence: float, syllables_per_word: float) -> float:
    """German Flesch reading ease.

    >>> round(flesch_amstad(5, 1.5), 2)
    87.25
    """
    return 180.0 - words_per_sentence - 58.5 * syllables_per_word


def wiener_sachtextformel(
    pct_three_syllables: float,
    words_per_sentence: float,
    pct_long_words: float,
    pct_one_syllable: float,
) -> float:
    """First Wiener Sachtextformel (percentages as 0-100).

    >>> round(wiener_sachtextformel(10, 8, 20, 50), 2)
    3.36
    """
    return (
        0.1935 * pct_three_syllables
        + 0.1672 * words_per_sentence
        + 0.1297 * pct_long_words
        - 0.0327 * pct_one_syllable
        - 0.875
    )


def scores_from_counts(
    sentences: int, words: int, syllables: int, one_syllable: int, three_plus: int, long_words: int
) -> Scores:
    """Scores from raw counts; an input without words scores zero everywhere."""
    if not words or not sentences:
        return Scores(
            sentences, words, syllables, one_syllable, three_plus, long_words, 0.0, 0.0, 0.0, 0.0
        )
    wps = words / sentences
    spw = syllables / words
    pct = 100.0 / words
    return Scores(
        sentences=sentences,
        words=words,
        syllables=syllables,
        words_one_syllable=one_syllable,
        words_three_syllables_or_more=three_plus,
        words_over_six_letters=long_words,
        words_per_sentence=round(wps, 2),
        syllables_per_word=round(spw, 3),
        flesch_amstad=round(flesch_amstad(wps, spw), 1),
        wiener_sachtextformel=round(
            wiener_sachtextformel(pct * three_plus, wps, pct * long_words, pct * one_syllable), 1
        ),
    )


def text_scores(sentences: Sequence[Sequence[str]]) -> Scores:
    """Scores for sentences given as lists of words; a number counts as one syllable.

    >>> s = text_scores([["Das", "Haus", "ist", "groß"], ["Sie", "bekommen", "Wohn·geld"]])
    >>> (s.words, s.syllables, s.flesch_amstad)
    (7, 10, 92.9)
    """
    words = [w for sentence in sentences for w in sentence]
    syllables = [count_syllables(w) if any(c.isalpha() for c in w) else 1 for w in words]
    return scores_from_counts(
        sentences=sum(1 for s in sentences if s),
        words=len(words),
        syllables=sum(syllables),
        one_syllable=sum(s == 1 for s in syllables),
        three_plus=sum(s >= 3 for s in syllables),
        long_words=sum(sum(c.isalpha() for c in w) > 6 for w in words),
    )


def combine_scores(parts: Sequence[Scores]) -> Scores:
    """The scores of several inputs read as one text."""
    return scores_from_counts(
        sentences=sum(p.sentences for p in parts),
        words=sum(p.words for p in parts),
        syllables=sum(p.syllables for p in parts),
        one_syllable=sum(p.words_one_syllable for p in parts),
        three_plus=sum(p.words_three_syllables_or_more for p in parts),
        long_words=sum(p.words_over_six_letters for p in parts),
    )
