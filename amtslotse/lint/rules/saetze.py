"""Sentence rules: length, subordinate clauses, one sentence per line."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby
from typing import TYPE_CHECKING

from amtslotse.lint.analysis import Analysis, Sentence
from amtslotse.lint.config import LintConfig
from amtslotse.lint.model import Hit
from amtslotse.lint.rules.base import clauses, span_hit, token_hit
from amtslotse.lint.rules.grammatik import is_zu_infinitive

if TYPE_CHECKING:  # spaCy is imported by the pipeline loader only (see amtslotse.lint.pipeline)
    from spacy.tokens import Token

#: Conjunctions that always open a subordinate clause.
_SUBORDINATORS = frozenset(
    [
        "dass",
        "weil",
        "obwohl",
        "obgleich",
        "obschon",
        "falls",
        "sofern",
        "sodass",
        "nachdem",
        "bevor",
        "ehe",
        "indem",
        "sobald",
        "solange",
        "wenn",
        "ob",
        "wohingegen",
        "seitdem",
    ]
)
#: Words that open a subordinate clause only in some uses ("da", "als", "wie" ...).
_MAYBE_SUBORDINATORS = frozenset(
    [
        "da",
        "damit",
        "als",
        "bis",
        "seit",
        "während",
        "wie",
        "wo",
        "was",
        "wann",
        "warum",
        "weshalb",
        "wieso",
        "wer",
        "wodurch",
        "womit",
        "wofür",
        "worüber",
        "woran",
        "wohin",
        "woher",
    ]
)
_RELATIVE = frozenset(
    [
        "der",
        "die",
        "das",
        "dem",
        "den",
        "deren",
        "dessen",
        "denen",
        "welcher",
        "welche",
        "welches",
        "welchem",
        "welchen",
    ]
)
_PREPOSITIONS = frozenset(
    [
        "an",
        "auf",
        "aus",
        "bei",
        "durch",
        "für",
        "gegen",
        "hinter",
        "in",
        "mit",
        "nach",
        "neben",
        "ohne",
        "über",
        "um",
        "unter",
        "von",
        "vor",
        "zu",
        "zwischen",
    ]
)
_INFINITIVE_OPENERS = frozenset({"um", "ohne", "statt", "anstatt"})
#: Lower-case words that end a clause without being its verb.
_NOT_VERBS = frozenset(
    # separable particles end main clauses ("..., den Vertrag und ein Foto mit.")
    [
        "mit",
        "an",
        "ab",
        "auf",
        "aus",
        "ein",
        "zu",
        "vor",
        "nach",
        "zurück",
        "her",
        "hin",
        "weg",
        "vorbei",
    ]
    + [
        "auch",
        "hier",
        "da",
        "dort",
        "heute",
        "morgen",
        "nicht",
        "bitte",
        "und",
        "oder",
        "noch",
        "schon",
        "jetzt",
        "nur",
        "so",
    ]
)

_HINTS = {
    "weil": "2 Sätze: „… . Der Grund ist: …“ oder „Deshalb …“",
    "da": "2 Sätze: „… . Der Grund ist: …“ oder „Deshalb …“",
    "wenn": "als Frage: „Haben Sie …? Dann …“",
    "falls": "als Frage: „Haben Sie …? Dann …“",
    "dass": "mit Doppel·punkt: „Wir wissen: …“",
    "ob": "als Frage: „Bitte sagen Sie uns: Haben Sie …?“",
}
_RELATIVE_HINT = "2 Sätze: das Wort im 2. Satz wiederholen"
_DEFAULT_HINT = "2 kurze Sätze schreiben"


def satzlaenge(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """A sentence has more words than ``satzlaenge.max_words`` (default 12).

    Flags: "Für die Bearbeitung Ihres Antrags benötigen wir von Ihnen noch
    eine aktuelle Meldebescheinigung und Ihren Mietvertrag." (16 words).
    Lets pass: "Bringen Sie Ihren Miet·vertrag mit." Numbers count as words.
    """
    for sentence in text.sentences:
        count = len(sentence.words)
        if count > config.max_words:
            yield span_hit(
                sentence.line,
                sentence.span,
                f"Der Satz hat {count} Wörter, erlaubt sind {config.max_words}",
                "in kürzere Sätze teilen",
            )


def _ends_with_verb(clause: list[Token]) -> bool:
    last = [t for t in clause if t.is_alpha]
    if len(last) < 2:
        return False
    word = last[-1].text
    return word[0].islower() and word not in _NOT_VERBS


def _opener(clause: list[Token], after_comma: bool, sentence_has_later_comma: bool) -> Token | None:
    """The token that opens ``clause`` as a subordinate clause, if it does."""
    for token in clause:
        if token.lower_ in _SUBORDINATORS:
            return token
    first = clause[0]
    word = first.lower_
    if after_comma:
        if word in _MAYBE_SUBORDINATORS and _ends_with_verb(clause):
            return first
        if word in _RELATIVE and _ends_with_verb(clause):
            return first
        if (
            word in _PREPOSITIONS
            and len(clause) > 2
            and clause[1].lower_ in _RELATIVE
            and _ends_with_verb(clause)
        ):
            return first
        if is_zu_infinitive(clause):
            return first
    elif word in _MAYBE_SUBORDINATORS and sentence_has_later_comma and _ends_with_verb(clause):
        return first
    if word in _INFINITIVE_OPENERS and is_zu_infinitive(clause):
        return first
    return None


#: Finite verbs that open a condition without "wenn": "Sollten Sie verhindert sein, ..."
_VERB_FIRST = frozenset(
    [
        "sollte",
        "sollten",
        "hätte",
        "hätten",
        "wäre",
        "wären",
        "würde",
        "würden",
        "haben",
        "hat",
        "sind",
        "ist",
        "brauchen",
        "benötigen",
    ]
)


def _verb_first_condition(clause: list[Token], sentence: Sentence) -> bool:
    """ "Haben Sie Fragen, rufen Sie an." - not a question, starts with a finite verb."""
    last = sentence.span[-1].text
    return clause[0].lower_ in _VERB_FIRST and last != "?" and len(clause) > 1


def nebensatz(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """A subordinate clause: conjunction, relative pronoun or "um ... zu".

    Flags: "Sie bekommen Geld, wenn Sie wenig verdienen.", "Das Formular,
    das Sie ausgefüllt haben, ...", "Wir brauchen den Ausweis, um Sie zu
    erkennen.", "Es wird gebeten, die Formulare einzureichen.". Lets pass:
    "Haben Sie wenig Geld? Dann bekommen Sie Hilfe.", enumerations such as
    "Bringen Sie den Ausweis, die Meldebescheinigung und das Foto mit."
    (the part after the comma does not end with a verb), and "Was brauchen
    Sie?" (a question word at the start without a comma). Conditions
    without "wenn" count too: "Sollten Sie verhindert sein, rufen Sie an."
    """
    for sentence in text.sentences:
        parts = list(clauses(sentence))
        starts = [p[0].i for p in parts]
        for index, clause in enumerate(parts):
            previous = (
                sentence.span.doc[clause[0].i - 1] if clause[0].i > sentence.span.start else None
            )
            after_comma = previous is not None and previous.text in {",", ";", "–", "—", "("}
            has_later_comma = index + 1 < len(parts) and any(
                sentence.span.doc[s - 1].text == "," for s in starts[index + 1 :]
            )
            token = _opener(clause, after_comma, has_later_comma)
            if (
                token is None
                and index == 0
                and has_later_comma
                and _verb_first_condition(clause, sentence)
            ):
                token = clause[0]
            if token is None:
                continue
            word = token.lower_
            hint = _HINTS.get(word, _RELATIVE_HINT if word in _RELATIVE else _DEFAULT_HINT)
            yield token_hit(sentence.line, token, f"Neben·satz mit „{token.text}“", hint)


def ein_satz_pro_zeile(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """A line holds more than one sentence.

    Flags: "Das Amt ist zu. Kommen Sie morgen wieder." on one line. Lets
    pass: each sentence on its own line, and "Bitte sagen Sie mir: Was
    brauchen Sie?" (a colon does not end a sentence), "z. B." and "am
    3. Mai" (dots of abbreviations and ordinal numbers).
    """
    for line, sentences in groupby(text.sentences, key=lambda s: s.line):
        for extra in list(sentences)[1:]:
            yield span_hit(
                line, extra.span, "Mehr als 1 Satz in der Zeile", "jeden Satz in eine eigene Zeile"
            )
