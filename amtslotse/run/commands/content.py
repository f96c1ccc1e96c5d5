"""``amtslotse content check`` and ``amtslotse content review``.

``check`` validates the content, lints every citizen-facing text and reports
the editorial checks, among them the texts no readers of the target group
have checked yet (``ungeprueft``, a warning per file).

``review --von GRUPPE PATH...`` marks texts as checked: every text of a
content file, or with ``FILE:LINE`` the text that stands at that line.
The mark holds the text's hash, so changing the text clears it.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from amtslotse.settings import Paths

#: How long ``review`` waits for a save of the portal to end.
LOCK_WAIT_SECONDS = 30.0


def register(subparsers: argparse._SubParsersAction) -> None:
    content = subparsers.add_parser("content", help="check the editors' content")
    sub = content.add_subparsers(dest="content_command", metavar="ACTION", required=True)
    check = sub.add_parser("check", help="validate content and lint all content and bot texts")
    check.add_argument("--json", action="store_true", help="machine-readable findings")
    check.add_argument("--config", default=None, help="checker config (default: lint.yml)")
    check.set_defaults(handler=_check)
    review = sub.add_parser(
        "review", help="mark texts as checked by readers of the target group (geprueft)"
    )
    review.add_argument("paths", nargs="+", metavar="PATH", help="a content file, or FILE:LINE")
    review.add_argument("--von", required=True, help="who checked, e.g. 'Prüf·gruppe Lebenshilfe'")
    review.add_argument("--am", default=None, help="the day of the check (default: today)")
    review.set_defaults(handler=_review)


def _check(args: argparse.Namespace) -> int:
    from amtslotse.core.content import ContentError, load_catalogue
    from amtslotse.core.content.checks import editorial_checks
    from amtslotse.core.content.review import review_checks
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
    for check in [*editorial_checks(cat, date.today()), *review_checks(cat)]:
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


def _content_file(paths: Paths, raw: str) -> tuple[str, int | None]:
    """``(file relative to the content folder, line or None)`` of a PATH argument."""
    name, _, line = raw.rpartition(":") if raw.rpartition(":")[2].isdigit() else (raw, "", "")
    candidate = Path(name)
    for base in (Path.cwd(), paths.root, paths.content):
        full = (base / candidate).resolve()
        if not full.is_file():
            continue
        try:
            return str(full.relative_to(paths.content.resolve())), int(line) if line else None
        except ValueError:
            continue
    raise ValueError(f"{raw} is not a file in {paths.content}")


def _review(args: argparse.Namespace) -> int:
    from amtslotse.core.content.changes import ContentLock

    paths = Paths.from_env()
    try:
        day = date.fromisoformat(args.am) if args.am else date.today()
    except ValueError:
        print(f"--am {args.am}: write the day as YYYY-MM-DD.", file=sys.stderr)
        return 2
    von = " ".join(args.von.split())
    if not von:
        print("--von: name who checked the texts.", file=sys.stderr)
        return 2
    # Read and written under the folder's lock: a portal saving meanwhile waits (and the
    # other way round), so neither writes over what the other just saved.
    lock = ContentLock(paths.content)
    if not lock.wait(LOCK_WAIT_SECONDS):
        print(
            f"Someone is saving content in {paths.content} right now; try again.",
            file=sys.stderr,
        )
        return 1
    try:
        return _mark(paths, args.paths, day, von)
    finally:
        lock.release()


def _mark(paths: Paths, raws: list[str], day: date, von: str) -> int:
    from collections import defaultdict

    from amtslotse.core.content import ContentError, load_catalogue
    from amtslotse.core.content.changes import EditError, review_file
    from amtslotse.core.content.model import TextSource

    try:
        cat = load_catalogue(paths.content)
    except ContentError as exc:
        print(f"The content has problems; fix them first:\n{exc}", file=sys.stderr)
        return 1
    wanted: dict[str, list[TextSource]] = defaultdict(list)
    for raw in raws:
        try:
            file, line = _content_file(paths, raw)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        sources = sorted(
            (s for s in cat.sources.values() if s.file == file),
            key=lambda s: int(s.location.rpartition(":")[2]),
        )
        if line is not None:
            # The text that starts at or before the line, and covers it.
            sources = [
                s
                for s in sources
                if int(s.location.rpartition(":")[2])
                <= line
                < int(s.location.rpartition(":")[2]) + max(1, len(s.text.splitlines()))
            ][-1:]
        if not sources:
            where = f"{file}:{line}" if line else file
            print(f"{where}: no citizen-facing text here.", file=sys.stderr)
            return 1
        wanted[file] += sources
    for file, sources in wanted.items():
        try:
            review_file(paths.content / file, sources, day, von)
        except EditError as exc:
            print(f"{file}: {exc}", file=sys.stderr)
            return 1
        print(f"{file}: {len(sources)} text(s) marked as checked by {von} on {day.isoformat()}.")
    return 0
