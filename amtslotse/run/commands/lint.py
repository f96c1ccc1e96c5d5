"""``amtslotse lint``: the Leichte Sprache checker on the command line (contract section 5).

    amtslotse lint [--json] [--config FILE] PATH... | -

Human output, one finding a line: ``file:line:column: severity rule:
message (suggestion)``, then a summary on stderr. ``--json`` prints
``{"findings": [...], "scores": {...}}`` (findings carry ``file`` too; with
several inputs ``files`` lists each one's scores). Exit status 1 when any
finding is an error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from amtslotse.lint.checker import check_source
from amtslotse.lint.config import load_config
from amtslotse.lint.model import LintReport, Severity
from amtslotse.lint.pipeline import checker_pipeline
from amtslotse.lint.readability import combine_scores
from amtslotse.lint.sources import Source, read_source
from amtslotse.settings import Paths

STDIN = "-"


def register(subparsers: Any) -> None:
    """Add the ``lint`` subcommand."""
    parser = subparsers.add_parser(
        "lint",
        help="check texts for Leichte Sprache",
        description="Check Markdown, YAML content files or plain text for Leichte Sprache. "
        "'-' reads stdin, one paragraph a line. Exit status 1 when any finding is an error.",
    )
    parser.add_argument("--json", action="store_true", help="print findings and scores as JSON")
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="thresholds, severities and allow-lists (default: content/leichte_sprache/lint.yml)",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files to check, or - for stdin")
    parser.set_defaults(handler=run)


def _read(paths: list[str], skip_keys: frozenset[str]) -> list[Source]:
    # Read every input before loading the pipeline: a wrong path fails fast.
    return [
        Source(STDIN, sys.stdin.read().rstrip("\n"))
        if p == STDIN
        else read_source(Path(p), skip_keys)
        for p in paths
    ]


def _json(results: list[tuple[Source, LintReport]]) -> dict[str, Any]:
    findings = []
    for source, report in results:
        for finding in report.findings:
            findings.append({**finding.to_json(), "file": source.label})
    data: dict[str, Any] = {
        "findings": findings,
        "scores": combine_scores([r.scores for _, r in results]).to_json(),
    }
    if len(results) > 1:
        data["files"] = [{"file": s.label, "scores": r.scores.to_json()} for s, r in results]
    return data


def run(args: argparse.Namespace) -> int:
    """Check the inputs, print the findings; 1 when any finding is an error."""
    config = load_config(args.config, default=Paths.from_env().lint_config)
    sources = _read(args.paths, config.yaml_skip_keys)
    nlp = checker_pipeline()
    results = [(source, check_source(source, config, nlp)) for source in sources]
    if args.json:
        json.dump(_json(results), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for source, report in results:
            for f in report.findings:
                print(f"{source.label}:{f.line}:{f.column}: {f.describe()}")
        counts = Counter(f.severity for _, r in results for f in r.findings)
        scores = combine_scores([r.scores for _, r in results])
        errors, warnings, notes = (
            counts[s] for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        )
        print(
            f"{errors} errors, {warnings} warnings, {notes} notes"
            f" in {len(results)} input(s); Flesch-Amstad {scores.flesch_amstad},"
            f" Wiener Sachtextformel {scores.wiener_sachtextformel}",
            file=sys.stderr,
        )
    return 1 if any(r.has_errors for _, r in results) else 0
