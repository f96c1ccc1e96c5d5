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


def _check_json(content, monkeypatch, capsys) -> tuple[int, list[dict]]:
    monkeypatch.setenv("AMTSLOTSE_CONTENT_DIR", str(content))
    code = main(["content", "check", "--json"])
    return code, json.loads(capsys.readouterr().out)["findings"]


def _copy(tmp_path):
    import shutil

    from amtslotse.core.content import default_content_root

    content = tmp_path / "content"
    shutil.copytree(default_content_root(), content)
    return content


def test_the_shipped_content_passes_the_editorial_checks():
    from datetime import date

    from amtslotse.core.content import load_catalogue
    from amtslotse.core.content.checks import editorial_checks

    cat = load_catalogue()
    checks = editorial_checks(cat, date(2026, 12, 2))
    # Only the reviews opened again after a rewrite are listed, as warnings.
    assert {c.rule for c in checks} <= {"bewertung-offen"}
    opened = {s.id for s in cat.services.values() if s.review is None or s.review.score is None}
    assert {c.text for c in checks} == opened
    assert all(c.severity == "warning" and c.where.startswith("services/") for c in checks)
    # A year later every source is due for a new check, as a warning with file:line.
    later = editorial_checks(cat, date(2028, 1, 1))
    assert {c.rule for c in later} - {"bewertung-offen"} == {"quelle-alt"}
    assert all(c.severity == "warning" and c.where.startswith("services/") for c in later)


def test_an_old_source_is_a_warning_at_its_line(tmp_path, monkeypatch, capsys):
    content = _copy(tmp_path)
    path = content / "services" / "wohngeld.yml"
    lines = path.read_text().splitlines()
    index = lines.index("    checked: 2026-12-01")
    lines[index] = "    checked: 2020-01-01"
    path.write_text("\n".join(lines) + "\n")
    code, findings = _check_json(content, monkeypatch, capsys)
    old = [f for f in findings if f["rule"] == "quelle-alt"]
    assert code == 0  # a warning: the content still passes
    assert [f["where"] for f in old] == [f"{content}/services/wohngeld.yml:{index + 1}"]
    assert old[0]["severity"] == "warning" and "days ago" in old[0]["message"]


def test_a_label_longer_than_the_widget_shows_is_an_error_at_its_line(
    tmp_path, monkeypatch, capsys
):
    content = _copy(tmp_path)
    path = content / "services" / "bildung_teilhabe.yml"
    old = "    - title: Wir bekommen Wohn·geld oder Kinder·zuschlag."
    long = "    - title: Wir bekommen Wohn·geld oder Kinder·zuschlag vom Amt in der Stadt."
    path.write_text(path.read_text().replace(old, long))
    line = path.read_text().splitlines().index(long) + 1
    code, findings = _check_json(content, monkeypatch, capsys)
    cut = [f for f in findings if f["rule"] == "knopf-zu-lang"]
    assert code == 1
    assert [f["where"] for f in cut] == [f"{content}/services/bildung_teilhabe.yml:{line}"]


def test_a_question_without_dont_know_is_an_error(tmp_path, monkeypatch, capsys):
    content = _copy(tmp_path)
    path = content / "clarifications.yml"
    text = path.read_text()
    start = text.index("    # The Agentur für Arbeit checks")
    path.write_text(text[:start])
    code, findings = _check_json(content, monkeypatch, capsys)
    assert code == 1
    assert [f["rule"] for f in findings if f["severity"] == "error"] == ["ich-weiss-es-nicht"]


def test_a_service_without_source_is_an_error(tmp_path, monkeypatch, capsys):
    content = _copy(tmp_path)
    path = content / "services" / "rente.yml"
    text = path.read_text()
    path.write_text(text[: text.index("# The official pages")])
    code, findings = _check_json(content, monkeypatch, capsys)
    missing = [f for f in findings if f["rule"] == "quelle-fehlt"]
    assert code == 1 and [f["where"] for f in missing] == [f"{content}/services/rente.yml:1"]


def test_review_marks_texts_and_content_check_stops_warning_about_them(
    tmp_path, monkeypatch, capsys
):
    import shutil

    from amtslotse.core.content import default_content_root, load_catalogue
    from amtslotse.core.content.review import review_states

    content = tmp_path / "content"
    shutil.copytree(default_content_root(), content)
    monkeypatch.setenv("AMTSLOTSE_CONTENT_DIR", str(content))
    before = (content / "services" / "wohngeld.yml").read_text()
    main(["content", "check", "--json"])
    warned = {
        f["text"]
        for f in json.loads(capsys.readouterr().out)["findings"]
        if f["rule"] == "ungeprueft"
    }
    assert "services/wohngeld.yml" in warned and "glossary.yml" in warned

    # A whole file, and one text by its line.
    kindergeld = (content / "services" / "kindergeld.yml").read_text().splitlines()
    line = kindergeld.index("text: |") + 2  # the text's first line
    code = main(
        [
            "content",
            "review",
            "--von",
            "Prüf·gruppe Lebenshilfe",
            "--am",
            "2026-12-03",
            str(content / "services" / "wohngeld.yml"),
            f"{content}/services/kindergeld.yml:{line}",
        ]
    )
    assert code == 0, capsys.readouterr().err
    after = (content / "services" / "wohngeld.yml").read_text()
    # Only the geprueft block is new: every line of the file is still there, in order.
    assert after.startswith(before) and "\ngeprueft:\n  name: {am: 2026-12-03" in after
    states = review_states(load_catalogue(content))
    assert all(v.checked for k, v in states.items() if k.startswith("services.wohngeld."))
    assert states["services.kindergeld.text"].checked
    assert not states["services.kindergeld.simple"].checked
    capsys.readouterr()
    main(["content", "check", "--json"])
    warned = {
        f["text"]
        for f in json.loads(capsys.readouterr().out)["findings"]
        if f["rule"] == "ungeprueft"
    }
    assert "services/wohngeld.yml" not in warned and "services/kindergeld.yml" in warned


def test_review_names_what_it_cannot_mark(tmp_path, monkeypatch, capsys):
    assert main(["content", "review", "--von", "Gruppe", "nirgends.yml"]) == 2
    assert main(["content", "review", "--von", "Gruppe", "--am", "gestern", "county.yml"]) == 2
    err = capsys.readouterr().err
    assert "nirgends.yml is not a file" in err and "YYYY-MM-DD" in err


def test_a_hard_word_without_glossary_term_is_an_error_at_its_line(tmp_path, monkeypatch, capsys):
    content = _copy(tmp_path)
    path = content / "services" / "beistandschaft.yml"
    text = path.read_text()
    old = next(line for line in text.splitlines() if line.startswith("hard_words:"))
    path.write_text(text.replace(old, old.replace("Beistand·schaft", "Beistandschaft")))
    line = path.read_text().splitlines().index(old.replace("Beistand·schaft", "Beistandschaft")) + 1
    code, findings = _check_json(content, monkeypatch, capsys)
    unexplained = [f for f in findings if f["rule"] == "glossar-fehlt"]
    assert code == 1
    assert [f["where"] for f in unexplained] == [f"{content}/services/beistandschaft.yml:{line}"]
    assert unexplained[0]["severity"] == "error"
    assert "Beistand·schaft" in unexplained[0]["suggestion"]


def test_a_block_list_of_hard_words_names_the_line_of_each_word(tmp_path):
    from datetime import date

    from amtslotse.core.content import load_catalogue
    from amtslotse.core.content.checks import editorial_checks

    content = _copy(tmp_path)
    path = content / "services" / "wohngeld.yml"
    text = path.read_text()
    old = next(line for line in text.splitlines() if line.startswith("hard_words:"))
    path.write_text(text.replace(old, "hard_words:\n  - Wohn·geld\n  - Miet·zuschuss"))
    line = path.read_text().splitlines().index("  - Miet·zuschuss") + 1
    checks = [c for c in editorial_checks(load_catalogue(content), date(2026, 12, 1))]
    assert [(c.rule, c.where) for c in checks if c.rule == "glossar-fehlt"] == [
        ("glossar-fehlt", f"services/wohngeld.yml:{line}")
    ]


def test_an_open_review_is_a_warning_not_an_error(tmp_path, monkeypatch, capsys):
    content = _copy(tmp_path)
    path = content / "services" / "hilfe_zur_pflege.yml"
    text = path.read_text()
    start = text.index("\nreview:\n") + 1
    path.write_text(text[:start] + "review:\n  score: null\n  reviewer: null\n  date: null\n")
    line = path.read_text().splitlines().index("  score: null") + 1
    code, findings = _check_json(content, monkeypatch, capsys)
    opened = [f for f in findings if f["rule"] == "bewertung-offen"]
    assert f"{content}/services/hilfe_zur_pflege.yml:{line}" in [f["where"] for f in opened]
    assert all(f["severity"] == "warning" for f in opened)
    assert code == 0  # a warning: the content still passes
