"""The input as the rules see it: lines, their spaCy docs and their sentences.

Every line is analysed on its own (Leichte Sprache puts one sentence on a
line, so no sentence runs across lines). The sentencizer's cuts are mended
where German punctuation misleads it: a "sentence" that starts in lower case
or with a digit continues the one before ("Mo.-Fr. 8-12 Uhr"), and an
ordinal number with its dot before a word that is no noun ends a sentence
("Das steht auf Seite 3. Dann ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from amtslotse.lint.lexicon import is_noun

if TYPE_CHECKING:  # spaCy is imported by the pipeline loader only (see amtslotse.lint.pipeline)
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token

#: Middle dots Leichte Sprache texts use between compound parts, and hyphen look-alikes.
#: The rules read them as "·" and "-" (one character for one, so columns stay exact).
_MARKS = str.maketrans(
    {dot: "·" for dot in "\u0387\u2027\u2219\u22c5\u30fb\uff65"} | {"\u2010": "-", "\u2011": "-"}
)
_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_ORDINAL = re.compile(r"^\d{1,4}\.$")


@dataclass(frozen=True)
class Line:
    """One line of the input (``number`` is 1-based) and its spaCy doc."""

    number: int
    doc: Doc

    @property
    def placeholders(self) -> list[tuple[int, int]]:
        """Character spans of template placeholders such as ``{office}`` (filled in by the bot)."""
        return [m.span() for m in _PLACEHOLDER.finditer(self.doc.text)]

    def tokens(self) -> Iterator[Token]:
        """The line's tokens outside placeholders, without whitespace tokens."""
        holes = self.placeholders
        for token in self.doc:
            if token.is_space or any(a <= token.idx < b for a, b in holes):
                continue
            yield token


@dataclass(frozen=True)
class Sentence:
    """One sentence: the line it is on and its tokens."""

    line: int
    span: Span

    @property
    def words(self) -> list[Token]:
        """Tokens with a letter or digit (what readers count as words)."""
        return [t for t in self.span if is_word(t)]


@dataclass(frozen=True)
class Analysis:
    """All lines and sentences of one input, in order."""

    lines: tuple[Line, ...]
    sentences: tuple[Sentence, ...]

    def tokens(self) -> Iterator[tuple[int, Token]]:
        """(line number, token) for every token of the input outside placeholders."""
        for line in self.lines:
            for token in line.tokens():
                yield line.number, token


def is_word(token: Token) -> bool:
    """True for tokens with a letter or digit: "Termin", "3", "z." yes; ",", "–" no."""
    return any(ch.isalnum() for ch in token.text)


def sentence_spans(doc: Doc) -> list[Span]:
    """The sentences of one line's doc, with the sentencizer's cuts mended."""
    starts = {0}
    for token in doc:
        if token.i == 0:
            continue
        if token.is_sent_start and not (token.text[:1].islower() or token.text[:1].isdigit()):
            starts.add(token.i)
        if _ORDINAL.match(token.text) and token.i + 1 < len(doc):
            following = doc[token.i + 1]
            if following.text[:1].isupper() and following.is_alpha and not is_noun(following.text):
                starts.add(token.i + 1)
    bounds = sorted(starts) + [len(doc)]
    return [
        doc[a:b]
        for a, b in zip(bounds, bounds[1:], strict=False)
        if any(is_word(t) for t in doc[a:b])
    ]


def normalise_marks(text: str) -> str:
    """Every middle dot as "·" and every hyphen as "-", at the same offsets.

    >>> normalise_marks("Bürger∙geld und Wohn‧geld")
    'Bürger·geld und Wohn·geld'
    """
    return text.translate(_MARKS)


def analyse(text: str, nlp: Language) -> Analysis:
    """Split ``text`` into lines and sentences; blank lines are skipped.

    The docs are of the text with its marks normalised (:func:`normalise_marks`).
    """
    text = normalise_marks(text)
    numbered = [(i, line) for i, line in enumerate(text.split("\n"), start=1) if line.strip()]
    lines = tuple(
        Line(n, doc)
        for (n, _), doc in zip(numbered, nlp.pipe(t for _, t in numbered), strict=False)
    )
    sentences = tuple(
        Sentence(line.number, span) for line in lines for span in sentence_spans(line.doc)
    )
    return Analysis(lines, sentences)
