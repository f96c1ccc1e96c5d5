"""``amtslotse lint`` as a user runs it (contract section 5)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from amtslotse.run.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run(args: list[str], capsys, monkeypatch, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(["lint", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_from_stdin_through_the_installed_command():
    """The real entry point: `.venv/bin/amtslotse lint --json -`."""
    exe = Path(sys.executable).with_name("amtslotse")
    result = subprocess.run(
        [str(exe), "lint", "--json", "-"],
        input="Sie brauchen einen Termin.\nDer Antrag wird von der Wohngeldstelle bearbeitet.\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert {(f["rule"], f["line"]) for f in data["findings"]} == {("passiv", 2), ("kompositum", 2)}
    assert set(data["findings"][0]) >= {
        "rule",
        "severity",
        "line",
        "column",
        "text",
        "message",
        "suggestion",
    }
    assert {"flesch_amstad", "wiener_sachtextformel"} <= set(data["scores"])


def test_clean_text_exits_0(capsys, monkeypatch):
    code, out, _ = run(["--json", "-"], capsys, monkeypatch, "Sie brauchen einen Termin.\n")
    assert code == 0
    assert json.loads(out)["findings"] == []


def test_warnings_alone_exit_0(capsys, monkeypatch):
    code, out, _ = run(["-"], capsys, monkeypatch, "Hier kann man parken.\n")
    assert code == 0
    assert out == "-:1:11: warning man: „man“ ist unpersönlich („Sie“ oder „wir“ schreiben)\n"


def test_human_output_names_file_line_and_column(tmp_path, capsys, monkeypatch):
    page = tmp_path / "seite.md"
    page.write_text("# Wohn·geld\n\n- Sie stellen den Wohngeldantrag.\n", encoding="utf-8")
    code, out, err = run([str(page)], capsys, monkeypatch)
    assert code == 1
    message = "Langes Wort ohne Medio·punkt „Wohngeldantrag“ („Wohn·geld·antrag“)"
    assert out == f"{page}:3:19: error kompositum: {message}\n"
    assert "1 errors" in err and "Flesch-Amstad" in err


def test_yaml_findings_name_the_line_in_the_file(tmp_path, capsys, monkeypatch):
    content = tmp_path / "wohngeld.yml"
    content.write_text(
        "id: wohngeld\n"
        "name: Wohn·geld\n"
        "synonyms: [Wohngeldantrag]\n"
        "text: |\n"
        "  Wohn·geld ist Geld für die Miete.\n"
        "  Man bekommt es vom Amt.\n"
        'title: "Hier kann man fragen."\n',
        encoding="utf-8",
    )
    code, out, _ = run(["--json", str(content)], capsys, monkeypatch)
    found = {(f["rule"], f["line"], f["column"]) for f in json.loads(out)["findings"]}
    assert found == {("man", 6, 3), ("man", 7, 19)}
    assert code == 0


def test_missing_file_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    missing = tmp_path / "fehlt.md"
    code, out, err = run([str(missing)], capsys, monkeypatch)
    assert code == 1
    assert out == ""
    assert err == f"amtslotse: {missing}: no such file; check the path\n"


def test_config_file_overrides_severities(tmp_path, capsys, monkeypatch):
    config = tmp_path / "lint.yml"
    config.write_text(
        "rules:\n  passiv:\n    severity: warning\n  kompositum:\n    severity: off\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        ["--json", "--config", str(config), "-"],
        capsys,
        monkeypatch,
        "Der Antrag wird von der Wohngeldstelle bearbeitet.\n",
    )
    assert code == 0
    assert [(f["rule"], f["severity"]) for f in json.loads(out)["findings"]] == [
        ("passiv", "warning")
    ]


def test_broken_config_is_reported(tmp_path, capsys, monkeypatch):
    config = tmp_path / "lint.yml"
    config.write_text("rules:\n  passive:\n    severity: error\n", encoding="utf-8")
    code, _, err = run(["--config", str(config), "-"], capsys, monkeypatch, "Text.\n")
    assert code == 1
    assert "unknown rule 'passive'" in err


def test_several_files_report_each_file(tmp_path, capsys, monkeypatch):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Hier kann man parken.\n", encoding="utf-8")
    b.write_text("Sie brauchen einen Termin.\n", encoding="utf-8")
    code, out, _ = run(["--json", str(a), str(b)], capsys, monkeypatch)
    data = json.loads(out)
    assert code == 0
    assert [f["file"] for f in data["findings"]] == [str(a)]
    assert [f["file"] for f in data["files"]] == [str(a), str(b)]
    assert data["scores"]["sentences"] == 2


@pytest.mark.parametrize("argv", [["lint"], ["lint", "--json"]])
def test_paths_are_required(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
