"""Run the benchmark suites; write bench/results.json and docs/benchmarks.md."""

from __future__ import annotations

import importlib
import json
import platform
import shutil
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from amtslotse.bench.model import BenchContext, Measurement
from amtslotse.settings import Paths

#: suite name → module with collect(ctx) -> list[Measurement]
SUITES = {
    "startup": "amtslotse.bench.startup",
    "nlu": "amtslotse.bench.nlu",
    "chat": "amtslotse.bench.chat",
    "scheduling": "amtslotse.bench.scheduling",
    "lint": "amtslotse.bench.lint",
    "scale": "amtslotse.bench.scale",
}


def _measured(r: dict) -> str:
    when = str(r.get("measured_at") or "")[:16].replace("T", " ")
    commit = str(r.get("commit") or "")
    return f"{when} ({commit})" if when and commit else when or "unknown"


def _table(results: list[dict]) -> str:
    """The results; a row measured before the newest run says *older run* in its value."""
    newest = max((str(r.get("measured_at") or "") for r in results), default="")
    rows = [
        "| suite | measurement | value | unit | target | met | measured | note |",
        "|---|---|---:|---|---|---|---|---|",
    ]
    for r in results:
        met = {True: "yes", False: "**no**", None: ""}[r.get("met")]
        value = "open" if r["value"] is None else f"{r['value']:.4g}"
        if str(r.get("measured_at") or "") < newest:
            value = f"*older run:* {value}"
        rows.append(
            f"| {r['suite']} | {r['name']} | {value} | {r['unit']} | "
            f"{r.get('target', '')} | {met} | {_measured(r)} | {r.get('note', '')} |"
        )
    return "\n".join(rows)


def current_commit(root: Path) -> str:
    """The short commit the benchmarks ran on, "+dirty" with uncommitted changes."""
    import subprocess

    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return (head or "unknown") + ("+dirty" if dirty else "")


def write_reports(
    paths: Paths, measurements: list[Measurement], suites_run: list[str]
) -> list[dict]:
    """Merge with earlier results of suites not run this time, then write both reports."""
    out = paths.root / "bench" / "results.json"
    previous: list[dict] = []
    if out.is_file():
        try:
            previous = [
                r for r in json.loads(out.read_text())["results"] if r["suite"] not in suites_run
            ]
        except (ValueError, KeyError):
            previous = []
    results = previous + [m.as_dict() for m in measurements]
    results.sort(key=lambda r: list(SUITES).index(r["suite"]) if r["suite"] in SUITES else 99)
    doc: dict[str, Any] = {
        "generated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": _cpus(),
            "system": platform.platform(),
        },
        "results": results,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    md = paths.root / "docs" / "benchmarks.md"
    md.parent.mkdir(parents=True, exist_ok=True)
    notes = kept_notes(md)
    md.write_text(
        "# Benchmarks\n\n"
        "Written by `make bench` (`amtslotse bench`); the raw figures are in "
        "`bench/results.json`. Targets come from the issues; a missed target is "
        "shown in bold.\n\n"
        f"Last run: {doc['generated']} on {doc['machine']['cpus']} CPUs, Python "
        f"{doc['machine']['python']}. Each row says when and at which commit it was "
        "measured; a row from an earlier run than the newest is marked *older run*.\n\n"
        + _table(results)
        + "\n"
        + notes
    )
    return results


#: Everything below this line in docs/benchmarks.md is hand-written and kept by every run.
NOTES_MARKER = "<!-- Notes: written by hand, kept by amtslotse bench. -->"


def kept_notes(md: Path) -> str:
    """The hand-written part of the report (from the marker on), or nothing."""
    if not md.is_file():
        return ""
    text = md.read_text(encoding="utf-8")
    at = text.find(NOTES_MARKER)
    return "" if at < 0 else "\n" + text[at:]


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


def run_benchmarks(paths: Paths, *, quick: bool = False, only: list[str] | None = None) -> int:
    names = only or list(SUITES)
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        from amtslotse.errors import UserFacingError

        raise UserFacingError(
            f"Unknown benchmark suite: {', '.join(unknown)}. Known: {', '.join(SUITES)}."
        )
    measurements: list[Measurement] = []
    extra: dict[str, str] = {}
    commit = current_commit(paths.root)
    scratch = Path(tempfile.mkdtemp(prefix="amtslotse-bench-"))
    try:
        for name in names:
            print(f"== {name}", flush=True)
            started = time.monotonic()
            module = importlib.import_module(SUITES[name])
            ctx = BenchContext(root=paths.root, scratch=scratch / name, quick=quick)
            ctx.scratch.mkdir(parents=True)
            got = module.collect(ctx)
            stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
            measurements += [replace(m, measured_at=stamp, commit=commit) for m in got]
            extra.update({k: v for k, v in ctx.extra.items() if isinstance(v, str)})
            print(f"   {len(got)} measurements in {time.monotonic() - started:.0f} s", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    results = write_reports(paths, measurements, names)
    if "nlu_per_concern" in extra:
        detail = paths.root / "docs" / "benchmarks-nlu.md"
        detail.write_text(
            "# NLU: precision and recall per concern\n\n"
            "Written by `make bench` (nlu suite) from tests/nlu/heldout_multi.yml, the blind "
            f"multi-concern set, at commit {commit}.\n\n" + extra["nlu_per_concern"] + "\n",
            encoding="utf-8",
        )
    print(_table(results))
    return 0
