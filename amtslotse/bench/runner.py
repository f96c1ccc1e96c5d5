"""Run the benchmark suites; write bench/results.json and docs/benchmarks.md."""

from __future__ import annotations

import dataclasses
import importlib
import json
import platform
import shutil
import subprocess
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
    "scale": "amtslotse.bench.scale",
}


def _table(results: list[dict]) -> str:
    rows = [
        "| suite | measurement | value | unit | target | met | note | measured |",
        "|---|---|---:|---|---|---|---|---|",
    ]
    for r in results:
        met = {True: "yes", False: "**no**", None: ""}[r.get("met")]
        when = f"{r['measured_at'][:16]} {r['commit']}" if r.get("measured_at") else ""
        rows.append(
            f"| {r['suite']} | {r['name']} | {r['value']:.4g} | {r['unit']} | "
            f"{r.get('target', '')} | {met} | {r.get('note', '')} | {when} |"
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
    md.write_text(
        "# Benchmarks\n\n"
        "Written by `make bench` (`amtslotse bench`); the raw figures are in "
        "`bench/results.json`. Targets come from the issues; a missed target is "
        "shown in bold.\n\n"
        f"Last run: {doc['generated']} on {doc['machine']['cpus']} CPUs, Python "
        f"{doc['machine']['python']}.\n\n" + _table(results) + "\n"
    )
    return results


def _commit(root: Path) -> str:
    """The measured commit, with "+dirty" when the work tree has uncommitted changes."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=10
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short=12", "HEAD")
    if not head:
        return "unknown"
    return head + ("+dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


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
    commit = _commit(paths.root)
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
            measurements += [
                dataclasses.replace(m, measured_at=m.measured_at or stamp, commit=commit)
                for m in got
            ]
            print(f"   {len(got)} measurements in {time.monotonic() - started:.0f} s", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    results = write_reports(paths, measurements, names)
    print(_table(results))
    return 0
