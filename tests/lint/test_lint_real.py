"""The real-text evaluation: its sets, the file of findings to judge, and the figures."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from amtslotse.bench.lint import part_measurements, run_sets
from amtslotse.bench.realtext import (
    EXPLICIT_PARTS,
    ErrorFinding,
    JudgeEntry,
    RealSentence,
    is_sentence,
    load_judgements,
    load_sentences,
    merge_judgements,
    part_of,
    score_leichte_sprache,
    score_official,
)

ROOT = Path(__file__).resolve().parents[2]
REAL = Path(__file__).with_name("real")
MACHINE_TRANSLATED = ("allgemeine-wohnungsangelegenheiten-el-575500", "grevenbroich")


@pytest.fixture(scope="module", params=["leichte_sprache.yml", "amtsdeutsch.yml"])
def real_set(request) -> list[RealSentence]:
    return load_sentences(REAL / request.param)


def test_each_set_has_300_sentences_from_public_bodies(real_set):
    assert len(real_set) >= 300
    assert len({s.text for s in real_set}) == len(real_set), "duplicates"
    for sentence in real_set:
        assert sentence.source.startswith("http") and sentence.publisher
        assert not any(m in sentence.source for m in MACHINE_TRANSLATED), sentence


def test_parts_go_by_publisher_so_no_writer_is_on_both_sides(real_set):
    parts = defaultdict(set)
    for sentence in real_set:
        if sentence.part not in EXPLICIT_PARTS:
            assert sentence.part == part_of(sentence.publisher)
        parts[sentence.publisher].add(sentence.part)
    assert all(len(p) == 1 for p in parts.values())
    assert sum(s.part == "report" for s in real_set) >= 150


def test_the_fresh_part_has_150_official_sentences_by_publishers_new_to_both_sets():
    official = load_sentences(REAL / "amtsdeutsch.yml")
    leichte = load_sentences(REAL / "leichte_sprache.yml")
    fresh = [s for s in official if s.part == "fresh"]
    assert len(fresh) >= 150
    assert not any(s.part == "fresh" for s in leichte)
    hashed = {s.publisher for s in official + leichte if s.part not in EXPLICIT_PARTS}
    assert not {s.publisher for s in fresh} & hashed
    assert len({s.publisher for s in fresh}) >= 30


def test_a_part_outside_the_known_ones_is_refused(tmp_path):
    path = tmp_path / "set.yml"
    path.write_text(
        "sentences:\n  - {text: Das Amt hilft., source: 'https://a.de', publisher: A, part: x}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="part must be one of"):
        load_sentences(path)


def test_every_entry_is_a_sentence_by_the_documented_rule(real_set, nlp):
    for doc, sentence in zip(nlp.pipe(s.text for s in real_set), real_set, strict=True):
        tokens = [t for t in doc if not t.is_space]
        assert is_sentence([t.text for t in tokens], [t.tag_ for t in tokens]), sentence.text


def _sentence(text: str, part: str = "report") -> RealSentence:
    return RealSentence(text, "https://example.org/" + text[:3], "Amt", part)


def test_false_alarms_count_only_sentences_judged_clean():
    clean = _sentence("Das Amt hilft.")
    alarm = _sentence("Die Wählerinnen wählen.")
    real = _sentence("Der Antrag wird geprüft.")
    open_ = _sentence("Wir helfen den Helferinnen.")
    found = {
        clean: [],
        alarm: [ErrorFinding(alarm, "kompositum", "Wählerinnen", "m")],
        real: [ErrorFinding(real, "passiv", "wird", "m")],
        open_: [ErrorFinding(open_, "kompositum", "Helferinnen", "m")],
    }
    verdicts = {found[alarm][0].key: False, found[real][0].key: True}
    score = score_leichte_sprache(found, verdicts)
    assert (score.judged_clean, score.false_alarm_sentences, score.open_sentences) == (2, 1, 1)
    assert score.false_alarm_share == 0.5
    by_rule = {r.rule: r for r in score.per_rule}
    assert by_rule["kompositum"].precision == 0.0 and by_rule["kompositum"].unjudged == 1
    assert by_rule["passiv"].precision == 1.0
    rows = {m.name: m for m in part_measurements("report", score, score_official({clean: []}))}
    false_alarms = rows["report_false_alarms_leichte_sprache"]
    assert false_alarms.value is None and false_alarms.met is None  # open: one is unjudged
    assert "between 33.3 % and 66.7 %" in false_alarms.note
    # Official German is gated on the fresh part only; a part without Leichte Sprache has
    # no Leichte Sprache rows.
    assert rows["report_official_german_caught"].met is None
    fresh = part_measurements(
        "fresh", score_leichte_sprache({}, {}), score_official({clean: [], real: found[real]})
    )
    assert [(m.name, m.met) for m in fresh] == [("fresh_official_german_caught", False)]


def test_merging_keeps_verdicts_adds_new_findings_and_drops_gone_ones():
    s = _sentence("Die Wählerinnen wählen.")
    old = JudgeEntry("kompositum", "Wählerinnen", s.text, s.source, s.part, "m", ["before"], False)
    gone = JudgeEntry("abkuerzung", "II", s.text, s.source, s.part, "m", ["current"], True)
    new = ErrorFinding(s, "passiv", "wählen", "m2")
    merged = merge_judgements([old, gone], [new], "current")
    assert [(e.rule, e.found_by, e.verdict) for e in merged] == [
        ("kompositum", ["before"], False),
        ("passiv", ["current"], None),
    ]


@pytest.mark.slow
def test_the_file_to_judge_lists_every_current_error_finding():
    """Update with: python -m amtslotse.bench.lint --update-judge-file"""
    found = run_sets(ROOT).leichte
    current = {f.key for items in found.values() for f in items}
    listed = {e.key for e in load_judgements(REAL / "findings_to_judge.yml")}
    listed_current = {
        e.key for e in load_judgements(REAL / "findings_to_judge.yml") if "current" in e.found_by
    }
    assert current <= listed, "run: python -m amtslotse.bench.lint --update-judge-file"
    assert listed_current == current, "run: python -m amtslotse.bench.lint --update-judge-file"
