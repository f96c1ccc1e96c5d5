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
    assert "| lint | sentences_per_second | 312.5 | sentences/s | >= 200 | yes | unknown |" in text
    assert (
        "| lint | report_false_alarms_leichte_sprache | open | % | <= 2 |  | unknown | open |"
        in (text)
    )
    assert text.endswith(f"{NOTES_MARKER}\n\n## Before and after\nby hand\n")
    stored = json.loads((tmp_path / "bench" / "results.json").read_text())["results"]
    assert [r["value"] for r in stored] == [312.5, None]


def test_rows_of_an_earlier_run_keep_their_time_and_commit_and_are_marked(tmp_path):
    paths = Paths(root=tmp_path)
    old = Measurement(
        "nlu",
        "danger_recall",
        0.9,
        "share",
        measured_at="2026-11-01T10:00:00+00:00",
        commit="aaa1111",
    )
    write_reports(paths, [old], ["nlu"])
    new = Measurement(
        "lint",
        "speed",
        300.0,
        "sentences/s",
        measured_at="2026-12-01T10:00:00+00:00",
        commit="bbb2222",
    )
    write_reports(paths, [new], ["lint"])
    text = (tmp_path / "docs" / "benchmarks.md").read_text()
    assert (
        "| nlu | danger_recall | *older run:* 0.9 | share |  |  | 2026-11-01 10:00 (aaa1111) |"
        in text
    )
    assert "| lint | speed | 300 | sentences/s |  |  | 2026-12-01 10:00 (bbb2222) |" in text
    stored = json.loads((tmp_path / "bench" / "results.json").read_text())["results"]
    assert {r["name"]: r["commit"] for r in stored} == {
        "danger_recall": "aaa1111",
        "speed": "bbb2222",
    }
