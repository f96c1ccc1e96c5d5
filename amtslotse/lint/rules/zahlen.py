"""Number rules: digits instead of number words, dates and times in one plain form."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from amtslotse.core.content.model import MONTH_NAMES
from amtslotse.lint.analysis import Analysis
from amtslotse.lint.config import LintConfig
from amtslotse.lint.model import Hit
from amtslotse.lint.rules.base import is_sentence_start, token_hit

_UNITS = {
    "eins": 1,
    "ein": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
}
_SMALL = {
    "null": 0,
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "sechzehn": 16,
    "siebzehn": 17,
    "zwanzig": 20,
    "dreißig": 30,
    "sechzig": 60,
    "siebzig": 70,
}
_SMALL.update(
    {
        u + "zehn": v + 10
        for u, v in _UNITS.items()
        if v >= 3 and u not in {"sechs", "sieben", "ein"}
    }
)
_SMALL.update({u + "zig": v * 10 for u, v in _UNITS.items() if v in {4, 5, 8, 9}})
_TENS = {w: v for w, v in _SMALL.items() if v >= 20}


def number_value(word: str) -> int | None:
    """The value of a German number word, or None.

    >>> [number_value(w) for w in ("drei", "zwölf", "einundzwanzig", "zweihundertfünfzig", "ein")]
    [3, 12, 21, 250, None]
    """
    word = word.lower()
    if word == "ein":
        return None  # the article
    return _parse(word)


def _parse(word: str) -> int | None:
    if not word:
        return None
    if word in _UNITS and word != "ein":
        return _UNITS[word]
    if word in _SMALL:
        return _SMALL[word]
    for unit, size in (("tausend", 1000), ("hundert", 100)):
        if unit in word:
            head, _, rest = word.partition(unit)
            factor = 1 if head in {"", "ein"} else _parse(head)
            remainder = 0 if not rest else _parse(rest)
            if factor is None or remainder is None:
                return None
            return factor * size + remainder
    if "und" in word:
        unit, _, tens = word.partition("und")
        if unit in _UNITS and tens in _TENS:
            return _UNITS[unit] + _TENS[tens]
    return None


def zahlwort(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """A number written as a word; Leichte Sprache writes digits.

    Flags: "Sie brauchen zwei Fotos." (suggests "2"), "dreimal" (suggests
    "3-mal"), "Drei Personen ...". Lets pass: "2 Fotos", the article "ein"
    ("ein Foto"), "Achten Sie ..." and "in Acht nehmen" (capitalised mid-sentence).
    """
    for sentence in text.sentences:
        for token in sentence.span:
            if not token.is_alpha:
                continue
            word = token.lower_
            if token.text[0].isupper() and not is_sentence_start(token, sentence):
                continue
            suffix = ""
            if word.endswith("mal") and len(word) > 3:
                word, suffix = word[:-3], "-mal"
            value = number_value(word)
            if value is None or (suffix and word == "ein"):
                continue
            yield token_hit(sentence.line, token, f"Zahl·wort „{token.text}“", f"„{value}{suffix}“")


_MONTHS = MONTH_NAMES
_MONTH_ABBREVIATIONS = {m[:3]: m for m in _MONTHS if m != "Mai"} | {
    "Sept": "September",
    "Mrz": "März",
}
_WEEKDAYS = {
    "Mo": "Montag",
    "Di": "Dienstag",
    "Mi": "Mittwoch",
    "Do": "Donnerstag",
    "Fr": "Freitag",
    "Sa": "Samstag",
    "So": "Sonntag",
}


def _date(day: str, month: str, year: str | None) -> str | None:
    d, m = int(day), int(month)
    if not (1 <= d <= 31 and 1 <= m <= 12):
        return None
    full_year = "" if not year else f" {int(year) + 2000 if len(year) == 2 else int(year)}"
    return f"„{d}. {_MONTHS[m - 1]}{full_year}“"


def _hour(hour: str, minute: str | None) -> str:
    return f"{int(hour)}:{minute} Uhr" if minute and minute != "00" else f"{int(hour)} Uhr"


_WD = "|".join(_WEEKDAYS)
#: (pattern, message, suggestion from the match) - first match wins at a position.
_DATE_TIME_PATTERNS: tuple[
    tuple[re.Pattern[str], str, Callable[[re.Match[str]], str | None]], ...
] = (
    (
        re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
        "Datum in Zahlen",
        lambda m: _date(m[3], m[2], m[1]),
    ),
    (
        re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?(?![\d])"),
        "Datum in Zahlen",
        lambda m: _date(m[1], m[2], m[3]),
    ),
    (
        re.compile(
            r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(?:-|–|bis)\s*(\d{1,2})(?:[:.](\d{2}))?\s*(?:Uhr|h)\b"
        ),
        "Zeit·spanne in Kurz·form",
        lambda m: f"„von {_hour(m[1], m[2])} bis {_hour(m[3], m[4])}“",
    ),
    (
        re.compile(r"\b(\d{1,2})[:.](\d{2})\s*(?:-|–)\s*(\d{1,2})[:.](\d{2})\b"),
        "Zeit·spanne in Kurz·form",
        lambda m: f"„von {_hour(m[1], m[2])} bis {_hour(m[3], m[4])}“",
    ),
    (
        re.compile(r"\b(\d{1,2})\.(\d{2})\s*Uhr\b"),
        "Uhrzeit mit Punkt",
        lambda m: f"„{_hour(m[1], m[2])}“",
    ),
    (
        re.compile(r"\b(\d{1,2}):(\d{2})(?!\s*Uhr)(?![\d:])"),
        "Uhrzeit ohne „Uhr“",
        lambda m: f"„{_hour(m[1], m[2])}“",
    ),
    (
        re.compile(r"\b(0\d|\d{1,2}):00\s*Uhr\b|\b(0\d)\s*Uhr\b"),
        "Uhrzeit mit Nullen",
        lambda m: f"„{int(m[1] or m[2])} Uhr“",
    ),
    (re.compile(r"\b(\d{1,2})\s?h\b"), "Uhrzeit mit „h“", lambda m: f"„{int(m[1])} Uhr“"),
    (
        re.compile(rf"\b({_WD})\.?\s*(?:-|–|bis)\s*({_WD})\b\.?"),
        "Wochen·tage abgekürzt",
        lambda m: f"„{_WEEKDAYS[m[1]]} bis {_WEEKDAYS[m[2]]}“",
    ),
    (
        re.compile(rf"\b({_WD})\.(?=[\s,])"),
        "Wochen·tag abgekürzt",
        lambda m: f"„{_WEEKDAYS[m[1]]}“",
    ),
    (
        re.compile(r"\b(" + "|".join(_MONTH_ABBREVIATIONS) + r")\.(?=\s)"),
        "Monat abgekürzt",
        lambda m: f"„{_MONTH_ABBREVIATIONS[m[1]]}“",
    ),
)


def date_time_spans(line: str) -> list[tuple[int, int, str, str]]:
    """(start, end, message, suggestion) of every date or time written the hard way in ``line``.

    >>> date_time_spans("Am 03.05.2024 um 14.30 Uhr.")
    [(3, 13, 'Datum in Zahlen', '„3. Mai 2024“'), (17, 26, 'Uhrzeit mit Punkt', '„14:30 Uhr“')]
    """
    found: list[tuple[int, int, str, str]] = []
    for pattern, message, suggest in _DATE_TIME_PATTERNS:
        for match in pattern.finditer(line):
            if any(a < match.end() and match.start() < b for a, b, _, _ in found):
                continue
            suggestion = suggest(match)
            if suggestion is not None:  # "14.30." is no date (month 30): a later pattern takes it
                found.append((match.start(), match.end(), message, suggestion))
    return sorted(found)


def datum_uhrzeit(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """Dates and times not in the plain form "3. Mai 2024" and "14:30 Uhr".

    Flags: "03.05.2024", "2024-05-03", "14.30 Uhr", "14:30" without "Uhr",
    "8-12 Uhr" (suggests "von 8 Uhr bis 12 Uhr"), "08:00 Uhr", "Mo.-Fr.",
    "Jan.". Lets pass: "3. Mai 2024", "14:30 Uhr", "8 Uhr", "von Montag bis
    Freitag", and "5,50 Euro".
    """
    for line in text.lines:
        for start, end, message, suggestion in date_time_spans(line.doc.text):
            yield Hit(line.number, start, end, message, suggestion)


def is_date_abbreviation(word: str) -> bool:
    """True for weekday and month abbreviations ("Mo.", "Fr", "Jan."), left to ``datum-uhrzeit``."""
    return word.rstrip(".") in _WEEKDAYS or word.rstrip(".") in _MONTH_ABBREVIATIONS
