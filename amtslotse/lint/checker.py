"""The pure core: run every rule over a text and collect findings and scores."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from amtslotse.lint.analysis import analyse
from amtslotse.lint.config import RULE_IDS, LintConfig, load_config
from amtslotse.lint.model import Finding, LintReport, SourcedFinding
from amtslotse.lint.pipeline import checker_pipeline
from amtslotse.lint.readability import text_scores
from amtslotse.lint.rules import RULES
from amtslotse.lint.sources import Source

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

_ORDER = {rule: index for index, rule in enumerate(RULE_IDS)}


def check_text(text: str, config: LintConfig, nlp: Language) -> LintReport:
    """Check ``text`` (lines 1-based) against every rule that is not switched off.

    Findings come in input order (line, column, then rule order); the
    scores cover the whole text.
    """
    analysis = analyse(text, nlp)
    # Findings quote the input as written (the analysis has its middle dots normalised).
    written = text.split("\n")
    line_texts = {line.number: written[line.number - 1] for line in analysis.lines}
    findings = []
    for rule in RULES:
        severity = config.severity(rule.id)
        if severity is None:
            continue
        for hit in rule.check(analysis, config):
            findings.append(
                Finding(
                    rule=rule.id,
                    severity=severity,
                    line=hit.line,
                    column=hit.start + 1,
                    text=line_texts[hit.line][hit.start : hit.end],
                    message=hit.message,
                    suggestion=hit.suggestion,
                )
            )
    findings.sort(key=lambda f: (f.line, f.column, _ORDER.get(f.rule, len(_ORDER))))
    scores = text_scores([[t.text for t in s.words] for s in analysis.sentences])
    return LintReport(tuple(dict.fromkeys(findings)), scores)


def check_source(source: Source, config: LintConfig, nlp: Language) -> LintReport:
    """Check a file's text; findings carry the file's own line and column."""
    report = check_text(source.text, config, nlp)
    moved = []
    for finding in report.findings:
        line, column = source.locate(finding.line, finding.column)
        moved.append(
            Finding(
                finding.rule,
                finding.severity,
                line,
                column,
                finding.text,
                finding.message,
                finding.suggestion,
            )
        )
    return LintReport(tuple(moved), report.scores)


def lint_items(
    items: Iterable[tuple[str, str]],
    config: LintConfig | None = None,
    nlp: Language | None = None,
) -> list[SourcedFinding]:
    """Check many texts as one input, e.g. all content texts and bot responses.

    ``items`` are (source label, text) pairs such as
    ``("services/wohngeld.yml:12", "Wohn·geld ist Geld für die Miete.")``.
    They are read together, so a word spelled two ways in two items is
    ``uneinheitlicher-begriff``; each finding's line and column are those
    within its own item's text. ``config`` defaults to the project's
    lint.yml, ``nlp`` to the project's pipeline (loaded once).
    """
    pairs = list(items)
    config = config if config is not None else load_config()
    nlp = nlp if nlp is not None else checker_pipeline()
    owners: list[tuple[int, int]] = []  # combined line -> (item index, line within item)
    chunks: list[str] = []
    for index, (_, text) in enumerate(pairs):
        lines = text.split("\n")
        chunks.extend(lines)
        owners.extend((index, number) for number in range(1, len(lines) + 1))
    report = check_text("\n".join(chunks), config, nlp)
    result = []
    for finding in report.findings:
        index, line = owners[finding.line - 1]
        moved = Finding(
            finding.rule,
            finding.severity,
            line,
            finding.column,
            finding.text,
            finding.message,
            finding.suggestion,
        )
        result.append(SourcedFinding(pairs[index][0], moved))
    return result
