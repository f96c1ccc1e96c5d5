"""`amtslotse content check` in CI: all content, bot responses and composed answers pass."""

from __future__ import annotations

import json

from amtslotse.run.cli import main


def test_every_citizen_facing_text_passes_the_checker(capsys):
    code = main(["content", "check", "--json"])
    report = json.loads(capsys.readouterr().out)
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert code == 0 and errors == [], errors
    # Content files, the domain's responses and the composed answers all took part.
    assert report["texts"] > 400


def test_a_broken_text_is_reported_at_its_file_and_line(tmp_path, monkeypatch, capsys):
    import shutil

    from amtslotse.core.content import default_content_root

    content = tmp_path / "content"
    shutil.copytree(default_content_root(), content)
    path = content / "services" / "wohngeld.yml"
    lines = path.read_text().splitlines()
    index = lines.index("text: |") + 1
    lines[index] = "  Der Antrag wird von der Wohngeldstelle bearbeitet."
    path.write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("AMTSLOTSE_CONTENT_DIR", str(content))
    code = main(["content", "check", "--json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    here = [
        f
        for f in findings
        if f["where"].endswith(f"services/wohngeld.yml:{index + 1}:5")
        or f"services/wohngeld.yml:{index + 1}:" in f["where"]
    ]
    assert code == 1
    assert {"passiv", "kompositum"} <= {f["rule"] for f in here}, findings


def test_content_problems_are_reported_with_file_and_line(tmp_path, monkeypatch, capsys):
    import shutil

    from amtslotse.core.content import default_content_root

    content = tmp_path / "content"
    shutil.copytree(default_content_root(), content)
    offices = content / "offices.yml"
    offices.write_text(offices.read_text().replace("location: skz", "location: skzz", 1))
    line = offices.read_text().splitlines().index("  location: skzz") + 1
    monkeypatch.setenv("AMTSLOTSE_CONTENT_DIR", str(content))
    assert main(["content", "check"]) == 1
    err = capsys.readouterr().err
    assert (
        f"{content}/offices.yml:{line}: location 'skzz' does not exist; did you mean 'skz'?" in err
    )
    assert "Traceback" not in err
