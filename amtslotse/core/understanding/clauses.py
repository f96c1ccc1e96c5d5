"""Split a citizen's message into the parts that may each carry a concern.

Citizens name several concerns in one message in many ways: separate
sentences, lines or list items, or one sentence joined with "und",
"außerdem", "dazu noch", "ach ja, und". Each part is classified on its own
(amtslotse/rasa/components.py), so a message with three concerns becomes
three answers instead of one unsure guess.

The split is deliberately generous: a part that is no concern ("Geht das
an einem Tag?") is classified as one and then dropped by the resolver
(resolve.py). What must not happen is a concern cut in two so that neither
half says it; so subordinate clauses ("..., weil ...", "..., dass ...")
stay with their main clause.

>>> [c.text for c in split_clauses("Ich brauche Wohngeld. Außerdem Elterngeld.")]
['Ich brauche Wohngeld.', 'Außerdem Elterngeld.']
>>> [c.text for c in split_clauses("Wohngeld und Elterngeld, geht das an einem Tag?")]
['Wohngeld', 'Elterngeld, geht das an einem Tag?']
>>> [c.text for c in split_clauses("Ich möchte Wohngeld, weil die Miete steigt.")]
['Ich möchte Wohngeld, weil die Miete steigt.']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Clause", "split_clauses", "MAX_CLAUSES"]

#: More parts than this are not classified one by one (a long letter, not a list).
MAX_CLAUSES = 12

# A sentence ends at . ! ? ; (not inside numbers, dates or abbreviations).
_ABBREVIATIONS = (
    "z.b",
    "bzw",
    "ca",
    "dr",
    "nr",
    "str",
    "usw",
    "evtl",
    "ggf",
    "inkl",
    "u.a",
    "d.h",
    "geb",
    "abs",
    "prof",
    "jan",
    "feb",
    "okt",
    "nov",
    "dez",
)
# A list written on one line: "1. Wohngeld 2. Elterngeld", "- Wohngeld - Kita", "• a • b".
_INLINE_BULLET = re.compile(r"\s+(?=[-–•*·]+\s+[^\W\d_])")
_INLINE_NUMBER = re.compile(r"\s+(?=\d{1,2}[.)]\s+[^\W\d_])")
_NUMBERED = re.compile(r"(?:^|\s)1[.)]\s.*\s2[.)]\s", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=[^\W\d_]{3}[.!?])(?=[A-ZÄÖÜ][a-zäöüß])")
# List markers at the start of a line or part: "- ", "• ", "* ", "1) ", "2. ", "a) ".
_LIST_MARKER = re.compile(r"\s*(?:[-–•*·]+|\(?\d{1,2}[.)]|\(?[a-e]\))\s+")
# Where one sentence goes on with another concern. Matched case-insensitively,
# at a word boundary; the words themselves stay with the part that follows.
_JOINERS = (
    r",?\s+und\s+außerdem\b",
    r",?\s+und\s+ausserdem\b",
    r",?\s+außerdem\b",
    r",?\s+ausserdem\b",
    r",?\s+zusätzlich\b",
    r",?\s+und\s+dazu\b",
    r",?\s+dazu\s+noch\b",
    r",?\s+und\s+noch\b",
    r",?\s+und\s+auch\b",
    r",?\s+sowie\b",
    r",?\s+ach\s+ja\b",
    r",?\s+und\s+zwar\s+auch\b",
    r",?\s+plus\b",
    r"\s+\+\s+",
    r",?\s+und\s+",
    r",?\s+also\s+",
    r",?\s+and\s+",
    r",?\s+oder\s+",
    r",\s+(?:dann|danach|vorher|später|spaeter|jetzt|zuerst)\b",
    r"\s+[–—]\s+",
    r",\s+(?=(?:mein|meine|meinen|unser|unsere|wir|ich|für|fuer|die|der|das|ein|eine|einen|"
    r"einem|einer|den)\b)",
    # English lists: "I need to register my address, get my tax ID and ..."
    r",\s+(?=(?:get|register|extend|renew|apply|my|our|i|we)\s)",
    # An enumeration of nouns: "Elterngeld, Kindergeld und die Geburtsurkunde".
    r",\s+(?-i:(?=[A-ZÄÖÜ]))",
)
_JOIN = re.compile("|".join(f"(?:{j})" for j in _JOINERS), re.IGNORECASE)
# Written all in lower case, an enumeration has no capitals to show it: "perso
# abgelaufen, führerschein weg, auto muss zugelassen werden". Then every comma joins.
_LOWER_COMMA = re.compile(r",\s+(?=[^\W\d_])")
_CAPITAL_AFTER_START = re.compile(r"[^\w]\s*\b[A-ZÄÖÜ]")
# Subordinate clauses belong to the clause before them: no split right before these.
_SUBORDINATE = re.compile(
    r"^\W*(?:weil|da|dass|daß|damit|obwohl|wenn|falls|ob|seit|seitdem|nachdem|bevor|"
    r"sodass|so\s+dass|denn|aber|sondern|wo|wie|was|welche[rsmn]?)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Clause:
    """A part of the message: its text and where it stands (character offsets)."""

    text: str
    start: int
    end: int


def _is_abbreviation_end(text: str, end: int) -> bool:
    """True when the full stop at ``end`` ends an abbreviation or an ordinal ("3.", "z.B.").

    Only a number of one or two digits is an ordinal ("am 3. Mai"); after a
    longer one ("Telefon 0171 2345678. Ich brauche ...") the sentence ends.
    """
    before = text[:end].rstrip(".")
    word = re.split(r"\s", before)[-1].lower() if before else ""
    return (word.isdigit() and len(word) <= 2) or word.rstrip(".") in _ABBREVIATIONS


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    cuts = [*_SENTENCE_END.finditer(text), *_INLINE_BULLET.finditer(text)]
    if _NUMBERED.search(text):  # "1. ... 2. ...", not "am 3. Mai"
        cuts += _INLINE_NUMBER.finditer(text)
    cuts.sort(key=lambda m: m.start())
    for match in cuts:
        if match.start() < start:
            continue
        if text[match.start() - 1 : match.start()] == "." and _is_abbreviation_end(
            text, match.start() - 1
        ):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _joins(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """One sentence cut where it goes on with another part (never before a subordinate)."""
    parts: list[tuple[int, int]] = []
    cut = start
    joins = list(_JOIN.finditer(text, start, end))
    if not _CAPITAL_AFTER_START.search(text, start + 1, end):
        joins += _LOWER_COMMA.finditer(text, start, end)
        joins.sort(key=lambda m: m.start())
    for match in joins:
        if match.start() < cut:
            continue
        opened = text.count("(", start, match.start()) > text.count(")", start, match.start())
        if opened and ")" in text[match.start() : end]:
            continue  # inside brackets: "Die Kinder (8 und 11) brauchen einen Schulbus"
        rest = text[match.end() : end]
        # The joining words stay with what follows ("Außerdem Elterngeld"), a bare
        # "und"/"," is dropped.
        word = match.group(0).strip(" ,").lower()
        # After "und" a subordinate clause leads into a main clause of its own ("…, und weil
        # wir weniger Geld haben, wollen wir auch Wohngeld"), or asks a second question ("…,
        # und wie melde ich mein Auto ab?"); after a bare comma it belongs to the clause before.
        if _SUBORDINATE.match(rest) and word not in {"und", "and", "oder"}:
            continue
        keep_from = (
            match.start() if word not in {"und", "and", "oder", "also", "+", ""} else match.end()
        )
        while keep_from < end and text[keep_from] in " ,":
            keep_from += 1
        if text[cut : match.start()].strip(" ,"):
            parts.append((cut, match.start()))
            cut = keep_from
    parts.append((cut, end))
    return parts


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    marker = _LIST_MARKER.match(text, start, end)
    if marker:
        start = marker.end()
    while start < end and text[start] in " ,\t":
        start += 1
    while end > start and text[end - 1] in " ,\t":
        end -= 1
    return start, end


def split_clauses(text: str) -> list[Clause]:
    """The parts of ``text`` that may each name a concern, in order (at least one)."""
    clauses: list[Clause] = []
    for s_start, s_end in _sentences(text):
        for start, end in _joins(text, s_start, s_end):
            start, end = _trim(text, start, end)
            if end > start and _WORD.search(text, start, end):
                clauses.append(Clause(text[start:end], start, end))
    if not clauses:
        stripped = text.strip()
        offset = text.find(stripped) if stripped else 0
        return [Clause(stripped, offset, offset + len(stripped))]
    return clauses
