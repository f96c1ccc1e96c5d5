"""The benchmark reports: results.json, the table, and the hand-written notes kept by every run."""

from __future__ import annotations

import json

from amtslotse.bench.model import Measurement
from amtslotse.bench.runner import NOTES_MARKER, write_reports
from amtslotse.settings import Paths


def test_a_run_rewrites_the_table_and_keeps_the_notes_below_the_marker(tmp_path):
    paths = Paths(root=tmp_path)
    md = tmp_path / "docs" / "benchmarks.md"
    md.parent.mkdir()
    md.write_text(f"# old table\n\n{NOTES_MARKER}\n\n## Before and after\nby hand\n")
    rows = [
        Measurement("lint", "sentences_per_second", 312.5, "sentences/s", ">= 200", True),
        Measurement("lint", "report_false_alarms_leichte_sprache", None, "%", "<= 2", None, "open"),
    ]
    write_reports(paths, rows, ["lint"])
    text = md.read_text()
    assert "old table" not in text
    assert "| lint | sentences_per_second | 312.5 | sentences/s | >= 200 | yes |" in text
    assert "| lint | report_false_alarms_leichte_sprache | open | % | <= 2 |  | open |" in text
    assert text.endswith(f"{NOTES_MARKER}\n\n## Before and after\nby hand\n")
    stored = json.loads((tmp_path / "bench" / "results.json").read_text())["results"]
    assert [r["value"] for r in stored] == [312.5, None]
