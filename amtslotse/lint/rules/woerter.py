"""Word rules: abbreviations, special characters, compounds, hard words, consistent spelling."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from amtslotse.lint.analysis import Analysis
from amtslotse.lint.config import LintConfig
from amtslotse.lint.lexicon import is_name, nouns, split_compound, zipf
from amtslotse.lint.model import Hit
from amtslotse.lint.rules.base import token_hit
from amtslotse.lint.rules.zahlen import date_time_spans, is_date_abbreviation

if TYPE_CHECKING:  # spaCy is imported by the pipeline loader only (see amtslotse.lint.pipeline)
    from spacy.tokens import Token

MEDIOPUNKT = "·"
_SEGMENT_SPLIT = re.compile(r"[·\-]")
_DOTTED = re.compile(r"^[A-Za-zÄÖÜäöüß]+\.(?:[A-Za-zÄÖÜäöüß]+\.)*$")
_ACRONYM = re.compile(
    r"^[A-Za-zÄÖÜäöüß0-9]*[A-ZÄÖÜ][A-Za-zÄÖÜäöüß0-9]*[A-ZÄÖÜ][A-Za-zÄÖÜäöüß0-9]*$"
)


def _normalise_abbreviation(text: str) -> str:
    return text.replace(" ", "")


def _abbreviations(text: Analysis) -> Iterator[tuple[int, int, int, str]]:
    """(line, start, end, written form) of each abbreviation; "z. B." is one, not two."""
    for line in text.lines:
        tokens = list(line.doc)
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if _DOTTED.match(token.text) and not is_date_abbreviation(token.text):
                end = index
                while (
                    len(tokens[end].text) <= 2
                    and end + 1 < len(tokens)
                    and _DOTTED.match(tokens[end + 1].text)
                    and len(tokens[end + 1].text) <= 2
                ):
                    end += 1  # "z." "B." -> "z. B."
                first, last = tokens[index], tokens[end]
                yield (
                    line.number,
                    first.idx,
                    last.idx + len(last.text),
                    line.doc.text[first.idx : last.idx + len(last.text)],
                )
                index = end + 1
                continue
            for part in _SEGMENT_SPLIT.split(token.text):
                if _is_short_form(part):
                    start = token.idx + token.text.index(part)
                    yield line.number, start, start + len(part), part
            index += 1


def _is_short_form(word: str) -> bool:
    """Acronyms ("SGB", "BAföG") and listed short forms ("Kfz"); not shouted words ("WICHTIG")."""
    if len(word) < 2 or not word.isalnum() or word.isdigit():
        return False
    if _ACRONYM.match(word):
        return not (word.isupper() and len(word) > 4 and zipf(word.lower()) >= 3.0)
    return len(word) <= 5 and word in nouns().abbreviations and word.lower() not in nouns().lemmas


def abkuerzung(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """An abbreviation: dotted short forms ("z. B.", "bzw.", "Nr.") and acronyms ("SGB", "IBAN").

    Flags: "Bringen Sie z. B. Ihren Ausweis mit." (suggests "zum
    Beispiel", from ``abkuerzung.expansions``). Lets pass: abbreviations in
    ``abkuerzung.allowed`` ("Kfz"), those in ``abkuerzung.explained`` when
    the same input contains their explanation, and weekday and month short
    forms (``datum-uhrzeit`` reports those).
    """
    full_text = "\n".join(line.doc.text for line in text.lines).lower()
    expansions = {_normalise_abbreviation(k): v for k, v in config.abbreviation_expansions.items()}
    allowed = {_normalise_abbreviation(k) for k in config.allowed_abbreviations}
    explained = {_normalise_abbreviation(k): v for k, v in config.explained_abbreviations.items()}
    for line, start, end, written in _abbreviations(text):
        key = _normalise_abbreviation(written)
        explanation = explained.get(key)
        if key in allowed or (explanation and explanation.lower() in full_text):
            continue
        if explanation:
            suggestion = f"erklären: „{explanation}“"
        elif key in expansions:
            suggestion = f"„{expansions[key]}“"
        else:
            suggestion = "das ganze Wort schreiben"
        yield Hit(line, start, end, f"Abkürzung „{written}“", suggestion)


_PLAIN_CHARACTERS = frozenset(".,?!:·-")


def sonderzeichen(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """Special characters: § % & / ; ( ) quotes * + … and dashes between words.

    Flags: "Sie bekommen 50 % der Kosten." (suggests "Prozent" from
    ``sonderzeichen.replacements``), "Bürger*innen", "(siehe Anlage)".
    Lets pass: . , ? ! : · and the hyphen in words and numbers
    ("E-Mail", "0000-100"), web and e-mail addresses, characters in
    ``sonderzeichen.allowed``.
    """
    for line in text.lines:
        dates = [
            (a, b) for a, b, _, _ in date_time_spans(line.doc.text)
        ]  # "8–12 Uhr": datum-uhrzeit's
        for token in line.tokens():
            if token.like_url or token.like_email or any(a <= token.idx < b for a, b in dates):
                continue
            if (
                token.text == "-"
                and token.i > 0
                and token.doc[token.i - 1].whitespace_
                and token.whitespace_
            ):
                yield token_hit(line.number, token, "Gedanken·strich", "einen neuen Satz beginnen")
                continue
            run_start: int | None = None
            for offset, char in enumerate(token.text + " "):
                special = not (
                    char.isalnum()
                    or char.isspace()
                    or char in _PLAIN_CHARACTERS
                    or char in config.allowed_characters
                )
                if special and run_start is None:
                    run_start = offset
                elif not special and run_start is not None:
                    chars = token.text[run_start:offset]
                    replacement = config.character_replacements.get(chars[0])
                    yield Hit(
                        line.number,
                        token.idx + run_start,
                        token.idx + offset,
                        f"Sonder·zeichen „{chars}“",
                        f"„{replacement}“"
                        if replacement
                        else "weglassen oder mit Wörtern schreiben",
                    )
                    run_start = None


def _known_spellings(text: Analysis, config: LintConfig) -> dict[str, str]:
    """Mediopunkt spellings in input and config by their letters: "wohngeld" -> "Wohn·geld"."""
    known: dict[str, str] = {}
    for word in [*config.hard_word_exempt, *config.compound_exempt]:
        for part in word.split():
            if MEDIOPUNKT in part:
                known.setdefault(part.replace(MEDIOPUNKT, "").lower(), part)
    for _, token in text.tokens():
        for part in token.text.split("-"):
            if MEDIOPUNKT in part:
                known[part.replace(MEDIOPUNKT, "").lower()] = part
    return known


def compound_suggestion(segment: str, known: dict[str, str]) -> str | None:
    """The Mediopunkt spelling of a compound, or None when it is none.

    >>> compound_suggestion("Wohngeldantrag", {})
    'Wohn·geld·antrag'
    >>> compound_suggestion("Führerscheinstelle", {"führerscheinstelle": "Führer·schein·stelle"})
    'Führer·schein·stelle'
    """
    spelled = known.get(segment.lower())
    if spelled:
        return spelled[0].upper() + spelled[1:] if segment[0].isupper() else spelled
    parts = split_compound(segment)
    return MEDIOPUNKT.join(parts) if len(parts) > 1 else None


def kompositum(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """A long compound noun written without Mediopunkt (house style: "Bürger·geld").

    Flags: "Wohngeldantrag" (suggests "Wohn·geld·antrag"), the second part
    of "Kfz-Zulassungsstelle". Lets pass: "Wohn·geld·antrag", words shorter
    than ``kompositum.min_letters``, words that are no compound
    ("Unterlagen", "Gesellschaft"), names ("Bitterfeld") and
    ``kompositum.exempt``.
    """
    known = _known_spellings(text, config)
    exempt = {w.lower() for w in config.compound_exempt}
    for line, token in text.tokens():
        if token.like_url or token.like_email or token.text.lower() in exempt:
            continue
        offset = 0
        for segment in token.text.split("-"):
            start = token.idx + offset
            offset += len(segment) + 1
            if (
                MEDIOPUNKT in segment
                or len(segment) < config.compound_min_letters
                or not segment.isalpha()
                or not segment[0].isupper()
                or segment.lower() in exempt
            ):
                continue
            suggestion = compound_suggestion(segment, known)
            if suggestion:
                yield Hit(
                    line,
                    start,
                    start + len(segment),
                    f"Langes Wort ohne Medio·punkt „{segment}“",
                    f"„{suggestion}“",
                )


def _difficulty(word: str) -> float:
    """Zipf of the rarest part: "Wohn·geld" is as easy as "wohnen" and "Geld"."""
    scores = []
    for segment in _SEGMENT_SPLIT.split(word):
        if not segment:
            continue
        parts = split_compound(segment) if segment[0].isupper() else (segment,)
        for part in parts:
            lower = part.lower()
            scores.append(
                max(zipf(lower), zipf(lower + "en"), zipf(lower + "e"), zipf(lower.rstrip("s")))
            )
    return min(scores) if scores else 8.0


def schweres_wort(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """A hard word: officialese from ``schweres-wort.words`` or a rare word (wordfreq).

    Flags: "Sie erhalten einen Bescheid." (suggests "Brief vom Amt"), rare
    words such as "Zuwendungsempfänger". Lets pass: common words ("Termin",
    "Wohn·geld"), names, numbers and ``schweres-wort.exempt`` (office names).
    """
    exempt = {w.replace(MEDIOPUNKT, "").lower() for w in config.hard_word_exempt}
    listed = {k.lower(): v for k, v in config.hard_words.items()}
    for line, token in text.tokens():
        word = token.text
        plain = word.replace(MEDIOPUNKT, "").lower()
        if not any(c.isalpha() for c in word) or token.like_url or token.like_email:
            continue
        lemma = token.lemma_.replace(MEDIOPUNKT, "").lower()
        simpler = listed.get(plain) or listed.get(lemma)
        if simpler is not None:
            yield token_hit(
                line, token, f"Schweres Wort „{word}“", f"„{simpler}“" if simpler else "erklären"
            )
            continue
        if (
            plain in exempt
            or lemma in exempt
            or len(plain) < 5
            or not _SEGMENT_SPLIT.sub("", word).isalpha()
            or is_name(plain)
            or _is_short_form(word)
        ):
            continue
        if max(_difficulty(word), zipf(lemma)) < config.hard_word_max_zipf:
            yield token_hit(
                line, token, f"Seltenes Wort „{word}“", "erklären oder ein bekanntes Wort nehmen"
            )


def uneinheitlicher_begriff(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """One word spelled two ways in one input: with and without Mediopunkt or hyphen.

    Flags "Bürgergeld" when the input also has "Bürger·geld" (suggests the
    Mediopunkt spelling), "Email" next to "E-Mail". Lets pass one spelling
    used throughout, and inflected forms ("Wohn·geld", "Wohn·geldes").
    """
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    tokens: list[tuple[int, Token]] = []
    for line, token in text.tokens():
        if (
            token.is_alpha
            or MEDIOPUNKT in token.text
            or ("-" in token.text and any(c.isalpha() for c in token.text))
        ):
            key = _SEGMENT_SPLIT.sub("", token.text).lower()
            spellings[key][token.text] += 1
            tokens.append((line, token))
    preferred: dict[str, str] = {}
    for key, counter in spellings.items():
        if len({form.lower() for form in counter}) > 1:  # case alone (sentence start) is no variant
            preferred[key] = max(
                counter, key=lambda f: (f.count(MEDIOPUNKT), f.count("-"), counter[f])
            )
    for line, token in tokens:
        key = _SEGMENT_SPLIT.sub("", token.text).lower()
        best = preferred.get(key)
        if best and token.text.lower() != best.lower():
            yield token_hit(
                line,
                token,
                f"„{token.text}“ und „{best}“ in einem Text",
                f"immer „{best}“ schreiben",
            )
