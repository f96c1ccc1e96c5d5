"""``amtslotse content check``: validate the content, then lint every citizen-facing text."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from amtslotse.settings import Paths


def register(subparsers: argparse._SubParsersAction) -> None:
    content = subparsers.add_parser("content", help="check the editors' content")
    sub = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="validate content and lint all content and bot texts")
    check.add_argument("--json", action="store_true", help="machine-readable findings")
    check.add_argument("--config", default=None, help="checker config (default: lint.yml)")
    check.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    from datetime import date

    from amtslotse.core.content import ContentError, load_catalogue
    from amtslotse.core.content.checks import editorial_checks
    from amtslotse.core.content.texts import citizen_texts, content_prefix
    from amtslotse.lint import lint_items, load_config

    paths = Paths.from_env()
    try:
        cat = load_catalogue(paths.content)
    except ContentError as exc:
        for problem in exc.problems:
            print(f"{content_prefix(paths.content, paths.root)}{problem}", file=sys.stderr)
        print(
            f"{len(exc.problems)} content problem(s): fix them, then run the check again.",
            file=sys.stderr,
        )
        return 1
    texts = citizen_texts(cat, paths.content, paths.bot / "domain", paths.root)
    config = load_config(Path(args.config) if args.config else None, default=paths.lint_config)
    findings = lint_items(((str(i), t.text) for i, t in enumerate(texts)), config)
    rows = []
    for item in findings:
        text = texts[int(item.source)]
        f = item.finding
        rows.append(
            {
                "where": text.where(f.line, f.column),
                "rule": f.rule,
                "severity": f.severity.value,
                "text": f.text,
                "message": f.message,
                "suggestion": f.suggestion,
            }
        )
    # Sources, button labels and questions: what the language checker cannot see.
    prefix = content_prefix(paths.content, paths.root)
    for check in editorial_checks(cat, date.today()):
        rows.append(
            {
                "where": f"{prefix}{check.where}",
                "rule": check.rule,
                "severity": check.severity,
                "text": check.text,
                "message": check.message,
                "suggestion": check.suggestion,
            }
        )
    errors = sum(r["severity"] == "error" for r in rows)
    if args.json:
        print(json.dumps({"texts": len(texts), "findings": rows}, ensure_ascii=False, indent=2))
    else:
        for r in rows:
            hint = f" (suggestion: {r['suggestion']})" if r["suggestion"] else ""
            print(f"{r['where']}: {r['severity']} {r['rule']}: {r['message']}{hint}")
        print(
            f"Checked {len(texts)} texts: {errors} error(s), {len(rows) - errors} other finding(s)."
        )
    return 1 if errors else 0
