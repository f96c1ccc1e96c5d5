"""Checker benchmark: speed, and what it does on real Leichte Sprache and official German.

Figures per part of the real-text sets (see ``amtslotse.bench.realtext``):
``dev`` was looked at while fixing rules; ``report`` was held out in issue
16's first round and, its totals looked at too often, is tuned on in round
two; ``fresh`` (official German only, collected for round two) is the
held-out part now. The targets are read where the data is still held out:
official German caught on ``fresh`` (:data:`OFFICIAL_TARGET_PART`), false
alarms on ``report`` (:data:`LEICHTE_TARGET_PART`, the Leichte Sprache has
no fresh part).

- false alarms on clean Leichte Sprache (target <= 2 %): sentences the
  reviewer judged clean (every error finding judged false, or none) that
  still get an error; open while findings are unjudged;
- the share of official-German sentences with at least one error (target
  >= 97 %);
- precision per rule over the judged findings, and how many are unjudged;
- sentences per second of the whole checker on the Leichte Sprache set
  (target >= 200; CPU time, so other work on a shared machine does not count).

``python -m amtslotse.bench.lint --update-judge-file`` brings
tests/lint/real/findings_to_judge.yml up to date with the current checker
(verdicts are kept, new findings come with an empty verdict).
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

from amtslotse.bench.model import BenchContext, Measurement
from amtslotse.bench.realtext import (
    ErrorFinding,
    LeichteSpracheScore,
    OfficialScore,
    RealSentence,
    error_findings,
    in_part,
    load_judgements,
    load_sentences,
    merge_judgements,
    score_leichte_sprache,
    score_official,
    write_judgements,
)

SUITE = "lint"
MIN_SENTENCES_PER_SECOND = 200
MAX_FALSE_ALARMS = 0.02
MIN_CAUGHT = 0.97
#: The parts the targets are read on.
OFFICIAL_TARGET_PART = "fresh"
LEICHTE_TARGET_PART = "report"
#: The parts reported, in the order of the rows.
REPORTED_PARTS = ("fresh", "report", "dev")


def real_dir(root: Path) -> Path:
    return root / "tests" / "lint" / "real"


def _checker(root: Path):  # type: ignore[no-untyped-def]
    from amtslotse.lint import check_text, checker_pipeline, load_config

    nlp = checker_pipeline()
    config = load_config(root / "content" / "leichte_sprache" / "lint.yml")
    return lambda text: check_text(text, config, nlp).findings


@dataclass(frozen=True)
class RealRun:
    """The error findings on both sets, and the checker's CPU time for each."""

    leichte: dict[RealSentence, list[ErrorFinding]]
    official: dict[RealSentence, list[ErrorFinding]]
    seconds_leichte: float
    seconds_official: float

    @property
    def speed_leichte(self) -> float:
        return len(self.leichte) / self.seconds_leichte

    @property
    def speed_official(self) -> float:
        return len(self.official) / self.seconds_official


def run_sets(root: Path) -> RealRun:
    """Check both sets page by page; time the checker in CPU seconds of this process.

    CPU time, not wall time: the machine is shared, and the target is per core.
    """
    check = _checker(root)
    # Loads the word data (nouns, frequencies, hyphenation, HanTa); not part of the timing.
    check("Das Amt hilft Ihnen beim Wohngeldantrag mit der IBAN.")
    leichte = load_sentences(real_dir(root) / "leichte_sprache.yml")
    official = load_sentences(real_dir(root) / "amtsdeutsch.yml")
    started = time.process_time()
    found_leichte = error_findings(check, leichte)
    middle = time.process_time()
    found_official = error_findings(check, official)
    ended = time.process_time()
    return RealRun(found_leichte, found_official, middle - started, ended - middle)


def _percent(value: float | None) -> float | None:
    return None if value is None else 100 * value


def part_measurements(
    part: str, leichte: LeichteSpracheScore, official: OfficialScore
) -> list[Measurement]:
    """The rows of one part (the targets on their parts; no Leichte Sprache rows without any)."""
    rows = _leichte_rows(part, leichte) if leichte.sentences else []
    if official.sentences:
        gated = part == OFFICIAL_TARGET_PART
        rows.append(
            Measurement(
                SUITE,
                f"{part}_official_german_caught",
                100 * official.caught_share,
                "%",
                f">= {100 * MIN_CAUGHT:g}" if gated else "",
                official.caught_share >= MIN_CAUGHT if gated else None,
                f"{official.caught} of {official.sentences} sentences get an error",
            )
        )
    return rows


def _leichte_rows(part: str, leichte: LeichteSpracheScore) -> list[Measurement]:
    gated = part == LEICHTE_TARGET_PART
    false_alarms = leichte.false_alarm_share
    if leichte.open_sentences:
        # Until every finding is judged the share is open: give its bounds.
        low = leichte.false_alarm_sentences / (leichte.judged_clean + leichte.open_sentences)
        high = (leichte.false_alarm_sentences + leichte.open_sentences) / (
            leichte.judged_clean + leichte.open_sentences
        )
        value, met = None, None
        note = (
            f"open: {leichte.open_sentences} sentences have unjudged findings; "
            f"between {100 * low:.1f} % and {100 * high:.1f} % once judged"
        )
    else:
        value = _percent(false_alarms)
        met = (false_alarms or 0.0) <= MAX_FALSE_ALARMS if gated else None
        note = (
            f"{leichte.false_alarm_sentences} of {leichte.judged_clean} sentences judged clean"
            " still get an error"
        )
    rows = [
        Measurement(
            SUITE,
            f"{part}_false_alarms_leichte_sprache",
            value,
            "%",
            f"<= {100 * MAX_FALSE_ALARMS:g}" if gated else "",
            met,
            note,
        ),
        Measurement(
            SUITE,
            f"{part}_error_share_leichte_sprache",
            100 * leichte.error_share,
            "%",
            note=f"{leichte.with_error} of {leichte.sentences} sentences get an error "
            "(true or false)",
        ),
        Measurement(
            SUITE,
            f"{part}_unjudged_findings",
            leichte.unjudged,
            "findings",
            note=f"of {leichte.findings} error findings on Leichte Sprache "
            "(tests/lint/real/findings_to_judge.yml)",
        ),
    ]
    for rule in leichte.per_rule:
        rows.append(
            Measurement(
                SUITE,
                f"{part}_precision_{rule.rule}",
                _percent(rule.precision),
                "%",
                note=f"{rule.true} true, {rule.false} false, {rule.unjudged} unjudged",
            )
        )
    return rows


def collect(ctx: BenchContext) -> list[Measurement]:
    run = run_sets(ctx.root)
    verdicts = {
        e.key: e.verdict
        for e in load_judgements(real_dir(ctx.root) / "findings_to_judge.yml")
        if e.verdict is not None
    }
    rows = [
        Measurement(
            SUITE,
            "sentences_per_second",
            run.speed_leichte,
            "sentences/s",
            f">= {MIN_SENTENCES_PER_SECOND}",
            run.speed_leichte >= MIN_SENTENCES_PER_SECOND,
            f"whole checker on the {len(run.leichte)} Leichte Sprache sentences, page by page, "
            "CPU time of one process, word caches cold",
        ),
        Measurement(
            SUITE,
            "sentences_per_second_official_german",
            run.speed_official,
            "sentences/s",
            note=f"the {len(run.official)} official-German sentences (about twice as long)",
        ),
    ]
    for part in REPORTED_PARTS:
        rows += part_measurements(
            part,
            score_leichte_sprache(in_part(run.leichte, part), verdicts),
            score_official(in_part(run.official, part)),
        )
    return rows


def update_judge_file(root: Path) -> int:
    """Set ``found_by: current`` on exactly the current error findings; keep verdicts."""
    path = real_dir(root) / "findings_to_judge.yml"
    findings = [f for items in run_sets(root).leichte.values() for f in items]
    entries = merge_judgements(load_judgements(path), findings, "current")
    write_judgements(path, entries)
    open_ = sum(1 for e in entries if "current" in e.found_by and e.verdict is None)
    print(f"{path}: {len(entries)} findings, {open_} current ones without a verdict")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m amtslotse.bench.lint", description=__doc__)
    parser.add_argument("--update-judge-file", action="store_true", required=True)
    parser.parse_args(argv)
    from amtslotse.settings import Paths

    return update_judge_file(Paths().root)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
