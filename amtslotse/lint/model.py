"""The checker's plain data: severities, findings, scores and the report."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any


class Severity(str, enum.Enum):
    """How bad a finding is; only ``error`` makes ``amtslotse lint`` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Hit:
    """What a rule reports: where in one line (0-based character offsets) and why.

    The checker turns hits into :class:`Finding` objects, adding the rule id,
    the configured severity and the 1-based line and column.
    """

    line: int
    start: int
    end: int
    message: str
    suggestion: str | None = None


@dataclass(frozen=True)
class Finding:
    """One problem in the input; ``line`` and ``column`` are 1-based."""

    rule: str
    severity: Severity
    line: int
    column: int
    text: str
    message: str
    suggestion: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    def describe(self) -> str:
        """``severity rule: message (suggestion)`` as printed after ``file:line:column:``."""
        text = f"{self.severity.value} {self.rule}: {self.message}"
        return f"{text} ({self.suggestion})" if self.suggestion else text


@dataclass(frozen=True)
class SourcedFinding:
    """A finding together with the label of the item it was found in.

    >>> f = Finding("man", Severity.WARNING, 1, 5, "man", "msg")
    >>> str(SourcedFinding("services/wohngeld.yml:12", f))
    'services/wohngeld.yml:12: line 1, column 5: warning man: msg'
    """

    source: str
    finding: Finding

    def __str__(self) -> str:
        f = self.finding
        return f"{self.source}: line {f.line}, column {f.column}: {f.describe()}"


@dataclass(frozen=True)
class Scores:
    """Readability of one input (German Flesch by Amstad, first Wiener Sachtextformel).

    The counts are kept so that scores of several inputs can be combined
    (see ``amtslotse.lint.readability.combine_scores``).
    """

    sentences: int
    words: int
    syllables: int
    words_one_syllable: int
    words_three_syllables_or_more: int
    words_over_six_letters: int
    words_per_sentence: float
    syllables_per_word: float
    flesch_amstad: float
    wiener_sachtextformel: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class LintReport:
    """Findings (in input order) and readability scores of one input."""

    findings: tuple[Finding, ...]
    scores: Scores

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {"findings": [f.to_json() for f in self.findings], "scores": self.scores.to_json()}
