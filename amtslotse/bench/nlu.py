"""NLU benchmark: the trained model on sets it has never seen.

- tests/nlu/heldout.yml, heldout_general.yml (round two; tuned on since):
  the right office for a concern; greetings, follow-ups, booking turns.
- the blind sets of round three, reported: heldout_danger.yml (a child in
  danger: recall), heldout_nearmiss.yml (children, no danger: false alarms),
  heldout_long.yml (one concern of real length: direct answers, wrong
  offices, buttons), heldout_multi.yml (several concerns: the exact set).
- the same figures on tests/nlu/tuning/*, written by other writers, which the
  thresholds were tuned on: marked ``_tuning``, never the reported figure;
  the second round of tuning sets (danger2, nearmiss2, multi2, a fifth
  writer): marked ``_tuning2``; the third (danger3, nearmiss3, multi3, round
  six): ``_tuning3``.
"""

from __future__ import annotations

import asyncio

from amtslotse.bench.model import BenchContext, Measurement
from amtslotse.core.content import load_catalogue
from amtslotse.rasa.training.evaluate import (
    DangerScore,
    DirectScore,
    GeneralScore,
    MultiScore,
    Score,
    fallback_threshold,
    load_heldout,
    load_heldout_general,
    load_items,
    parse_all,
    score,
    score_danger,
    score_direct,
    score_general,
    score_multi,
)
from amtslotse.rasa.training.train import train
from amtslotse.settings import Paths

SUITE = "nlu"
#: How many of the weakest general intents the benchmark names.
WORST = 3


def _said(threshold: float) -> str:
    """How the bot decides to answer: a fallback threshold, or the ConcernResolver (0)."""
    return f"at confidence >= {threshold}" if threshold else "answered directly"


def concern_measurements(result: Score, threshold: float) -> list[Measurement]:
    wrong = len(result.wrong_confident)
    note = f"{result.total} held-out utterances"
    return [
        Measurement(
            SUITE,
            "top1_office_accuracy",
            100 * result.office_accuracy,
            "%",
            ">= 95",
            result.office_accuracy >= 0.95,
            note,
        ),
        Measurement(SUITE, "top1_service_accuracy", 100 * result.service_accuracy, "%", note=note),
        Measurement(
            SUITE,
            "wrong_office_named",
            wrong,
            "utterances",
            "0",
            wrong == 0,
            f"wrong office {_said(threshold)} (the bot would say it)",
        ),
        Measurement(
            SUITE,
            "fallback_share",
            100 * result.fallback / result.total,
            "%",
            note="the bot is unsure and offers the likeliest concerns as buttons",
        ),
    ]


def general_measurements(result: GeneralScore, threshold: float) -> list[Measurement]:
    note = f"{result.total} held-out general utterances ({len(result.per_intent)} intents)"
    worst = result.worst(WORST)
    concern = len(result.concern_confident)
    return [
        Measurement(SUITE, "general_top1_accuracy", 100 * result.accuracy, "%", note=note),
        Measurement(
            SUITE,
            "general_answered_right",
            100 * result.answered_right_share,
            "%",
            note=f"right intent {_said(threshold)} (else the bot offers concerns)",
        ),
        Measurement(
            SUITE,
            "general_worst_intent_accuracy",
            100 * worst[0].accuracy if worst else 0.0,
            "%",
            note=f"weakest {len(worst)}: " + ", ".join(str(r) for r in worst),
        ),
        Measurement(
            SUITE,
            "general_answered_as_concern",
            concern,
            "utterances",
            "0",
            concern == 0,
            f"general utterance answered with a concern ({_said(threshold)})",
        ),
    ]


#: The blind sets: reported ("heldout") and tuned on ("tuning", other writers).
BLIND = {
    "danger": ("heldout_danger.yml", "tuning/danger.yml"),
    "nearmiss": ("heldout_nearmiss.yml", "tuning/nearmiss.yml"),
    "long": ("heldout_long.yml", "tuning/long.yml"),
    "multi": ("heldout_multi.yml", "tuning/multi.yml"),
}
#: Later rounds of tuning sets, each by writers of their own: ``_tuning2`` (tuned on since
#: round four), ``_tuning3`` (since round six).
TUNING_ROUNDS = {
    "_tuning2": {
        "danger": "tuning/danger2.yml",
        "nearmiss": "tuning/nearmiss2.yml",
        "multi": "tuning/multi2.yml",
    },
    "_tuning3": {
        "danger": "tuning/danger3.yml",
        "nearmiss": "tuning/nearmiss3.yml",
        "multi": "tuning/multi3.yml",
    },
}

_ROUND = {"_tuning2": " (round two)", "_tuning3": " (round three)"}


def danger_measurements(result: DangerScore, tag: str = "") -> list[Measurement]:
    missed = ", ".join(f"{k} {v}" for k, v in sorted(result.missed_kinds.items())) or "none"
    which = ("tuning sets" + _ROUND.get(tag, "")) if tag else "held-out sets (blind)"
    return [
        Measurement(
            SUITE,
            f"danger_recall{tag}",
            result.recall,
            "share",
            "" if tag else ">= 0.98",
            None if tag else result.recall >= 0.98,
            f"{result.caught}/{result.danger_total} on the {which}; missed by kind: {missed}",
        ),
        Measurement(
            SUITE,
            f"danger_false_alarms{tag}",
            100 * result.false_alarm_share,
            "%",
            "" if tag else "<= 5",
            None if tag else result.false_alarm_share <= 0.05,
            f"{result.false_alarms}/{result.nearmiss_total} near misses (children, no danger)",
        ),
    ]


def direct_measurements(result: DirectScore, tag: str = "") -> list[Measurement]:
    which = "tuning set" if tag else "held-out set (blind)"
    note = f"{result.total} messages of real length, {which}"
    wrong_share = result.share(result.wrong_office)
    return [
        Measurement(
            SUITE,
            f"long_direct_answers{tag}",
            100 * result.share(result.direct),
            "%",
            "" if tag else ">= 92",
            None if tag else result.share(result.direct) >= 0.92,
            note,
        ),
        Measurement(
            SUITE,
            f"long_wrong_office{tag}",
            100 * wrong_share,
            "%",
            "" if tag else "<= 1",
            None if tag else wrong_share <= 0.01,
            f"{result.wrong_office} messages answered with a wrong office",
        ),
        Measurement(
            SUITE, f"long_fallback_share{tag}", 100 * result.share(result.fallback), "%", note=note
        ),
        Measurement(
            SUITE,
            f"long_right_office_in_buttons{tag}",
            100 * result.right_in_buttons / result.fallback if result.fallback else 100.0,
            "%",
            note=f"{result.right_in_buttons}/{result.fallback} fallbacks offer the right office",
        ),
    ]


def multi_measurements(result: MultiScore, tag: str = "") -> list[Measurement]:
    which = ("tuning set" + _ROUND.get(tag, "")) if tag else "held-out set (blind)"
    worst = sorted(result.per_concern().items(), key=lambda kv: (min(kv[1][:2]), kv[0]))[:3]
    weakest = ", ".join(f"{c} P {p:.2f} R {r:.2f}" for c, (p, r, _) in worst)
    return [
        Measurement(
            SUITE,
            f"multi_exact_set{tag}",
            100 * result.exact_share,
            "%",
            "" if tag else ">= 90",
            None if tag else result.exact_share >= 0.90,
            f"{result.exact}/{result.total} messages with 2 to 4 concerns, {which}",
        ),
        Measurement(SUITE, f"multi_precision{tag}", result.precision, "share", note="micro"),
        Measurement(
            SUITE, f"multi_recall{tag}", result.recall, "share", note=f"micro; weakest: {weakest}"
        ),
    ]


def per_concern_table(result: MultiScore) -> str:
    """Precision and recall per concern on the multi-concern held-out set (markdown)."""
    rows = ["| concern | asked for | precision | recall |", "|---|---:|---:|---:|"]
    for concern, (p, r, n) in result.per_concern().items():
        rows.append(f"| {concern} | {n} | {p:.2f} | {r:.2f} |")
    return "\n".join(rows)


def collect(ctx: BenchContext) -> list[Measurement]:
    paths = Paths(root=ctx.root)
    model = train(paths).model
    threshold = fallback_threshold(paths.bot / "config.yml")
    here = paths.root / "tests" / "nlu"
    catalogue = load_catalogue(paths.content)

    items = load_heldout(here / "heldout.yml")
    general = load_heldout_general(here / "heldout_general.yml")
    blind = {
        (name, tag): load_items(here / path)
        for name, files in BLIND.items()
        for tag, path in zip(("", "_tuning"), files, strict=True)
    }
    blind.update(
        {
            (name, tag): load_items(here / path)
            for tag, files in TUNING_ROUNDS.items()
            for name, path in files.items()
        }
    )
    # One model load for every set.
    texts = [i.text for i in items] + [i.text for i in general]
    for rows in blind.values():
        texts += [str(r["text"]) for r in rows]
    predictions = asyncio.run(parse_all(model, texts))
    result = score(catalogue, items, predictions[: len(items)], threshold)
    at = len(items)
    general_result = score_general(general, predictions[at : at + len(general)], threshold)
    at += len(general)
    parsed = {}
    for key, rows in blind.items():
        parsed[key] = predictions[at : at + len(rows)]
        at += len(rows)
    out = concern_measurements(result, threshold) + general_measurements(general_result, threshold)
    for tag in ("", "_tuning"):
        out += danger_measurements(
            score_danger(
                blind[("danger", tag)],
                parsed[("danger", tag)],
                blind[("nearmiss", tag)],
                parsed[("nearmiss", tag)],
            ),
            tag,
        )
        out += direct_measurements(
            score_direct(catalogue, blind[("long", tag)], parsed[("long", tag)]), tag
        )
        multi = score_multi(blind[("multi", tag)], parsed[("multi", tag)])
        out += multi_measurements(multi, tag)
        if not tag:
            ctx.extra["nlu_per_concern"] = per_concern_table(multi)
    for tag in TUNING_ROUNDS:
        out += danger_measurements(
            score_danger(
                blind[("danger", tag)],
                parsed[("danger", tag)],
                blind[("nearmiss", tag)],
                parsed[("nearmiss", tag)],
            ),
            tag,
        )
        out += multi_measurements(score_multi(blind[("multi", tag)], parsed[("multi", tag)]), tag)
    return out
