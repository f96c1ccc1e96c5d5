"""Run the benchmark suites; write bench/results.json and docs/benchmarks.md."""

from __future__ import annotations

import importlib
import json
import platform
import shutil
import tempfile
import time
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
}


def _table(results: list[dict]) -> str:
    rows = [
        "| suite | measurement | value | unit | target | met | note |",
        "|---|---|---:|---|---|---|---|",
    ]
    for r in results:
        met = {True: "yes", False: "**no**", None: ""}[r.get("met")]
        value = "open" if r["value"] is None else f"{r['value']:.4g}"
        rows.append(
            f"| {r['suite']} | {r['name']} | {value} | {r['unit']} | "
            f"{r.get('target', '')} | {met} | {r.get('note', '')} |"
        )
    return "\n".join(rows)


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
        f"{doc['machine']['python']}.\n\n" + _table(results) + "\n" + notes
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
    scratch = Path(tempfile.mkdtemp(prefix="amtslotse-bench-"))
    try:
        for name in names:
            print(f"== {name}", flush=True)
            started = time.monotonic()
            module = importlib.import_module(SUITES[name])
            ctx = BenchContext(root=paths.root, scratch=scratch / name, quick=quick)
            ctx.scratch.mkdir(parents=True)
            got = module.collect(ctx)
            measurements += got
            print(f"   {len(got)} measurements in {time.monotonic() - started:.0f} s", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    results = write_reports(paths, measurements, names)
    print(_table(results))
    return 0
