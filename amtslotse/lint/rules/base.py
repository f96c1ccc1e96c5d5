"""What every rule shares: the Rule record, hits from tokens, clause cutting."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from amtslotse.lint.analysis import Analysis, Sentence
from amtslotse.lint.config import LintConfig
from amtslotse.lint.model import Hit

if TYPE_CHECKING:  # spaCy is imported by the pipeline loader only (see amtslotse.lint.pipeline)
    from spacy.tokens import Span, Token

#: A rule reads the analysed input and the config and yields hits.
Check = Callable[[Analysis, LintConfig], Iterable[Hit]]

#: Punctuation that ends a clause inside a sentence.
CLAUSE_BREAKS = frozenset({",", ";", ":", "–", "—", "(", ")", ".", "?", "!"})


@dataclass(frozen=True)
class Rule:
    """One rule: its stable id, a one-line summary and the check."""

    id: str
    summary: str
    check: Check


def token_hit(line: int, token: Token, message: str, suggestion: str | None = None) -> Hit:
    """A hit covering one token."""
    return Hit(line, token.idx, token.idx + len(token.text), message, suggestion)


def span_hit(line: int, span: Span, message: str, suggestion: str | None = None) -> Hit:
    """A hit covering a span of tokens (offsets within the line)."""
    return Hit(line, span.start_char, span.end_char, message, suggestion)


def clauses(sentence: Sentence) -> Iterator[list[Token]]:
    """The sentence cut at commas, colons, dashes and brackets (punctuation dropped).

    "Ihr Antrag wurde abgelehnt, weil Unterlagen fehlen." gives
    [Ihr, Antrag, wurde, abgelehnt] and [weil, Unterlagen, fehlen].
    """
    current: list[Token] = []
    for token in sentence.span:
        if token.text in CLAUSE_BREAKS or (token.text == "-" and token.whitespace_):
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


_MARKS = re.compile(r"[·\-]")


def explained_by_glossary(token: Token, config: LintConfig) -> bool:
    """The county's glossary explains the word (as written or as its lemma)."""
    plain = _MARKS.sub("", token.text).lower()
    lemma = _MARKS.sub("", token.lemma_).lower()
    return plain in config.glossary_words or lemma in config.glossary_words


def is_sentence_start(token: Token, sentence: Sentence) -> bool:
    """True for the first word of the sentence (capitalised for grammar, not as a noun)."""
    return token.i == sentence.span.start or (
        token.i > 0 and token.doc[token.i - 1].text in {"„", '"', "(", ":"}
    )


def demo(rule: str, text: str) -> list[str]:
    """What ``rule`` flags in ``text`` with this checkout's config: for docstring examples.

    Each item is the flagged text, with the suggestion after a colon where
    there is one; tests/lint/test_lint_docstrings.py runs the examples.
    """
    from amtslotse.lint.checker import check_text
    from amtslotse.lint.config import load_config
    from amtslotse.lint.pipeline import checker_pipeline

    report = check_text(text, load_config(), checker_pipeline())
    return [
        f"{f.text}: {f.suggestion}" if f.suggestion else f.text
        for f in report.findings
        if f.rule == rule
    ]
