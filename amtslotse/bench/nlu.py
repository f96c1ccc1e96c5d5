"""NLU benchmark: accuracy on the two independently written held-out sets.

tests/nlu/heldout.yml: does the bot name the right office for a concern?
tests/nlu/heldout_general.yml: does it greet, answer a follow-up or go on with
a booking when it should, and never name an office for a "Danke" or "Wo ist das?"
"""

from __future__ import annotations

import asyncio

from amtslotse.bench.model import BenchContext, Measurement
from amtslotse.core.content import load_catalogue
from amtslotse.rasa.training.evaluate import (
    GeneralScore,
    Score,
    fallback_threshold,
    load_heldout,
    load_heldout_general,
    parse_all,
    score,
    score_general,
)
from amtslotse.rasa.training.train import train
from amtslotse.settings import Paths

SUITE = "nlu"
#: How many of the weakest general intents the benchmark names.
WORST = 3


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
            f"wrong office at confidence >= {threshold} (the bot would say it)",
        ),
        Measurement(
            SUITE,
            "fallback_share",
            100 * result.fallback / result.total,
            "%",
            note=f"below {threshold}: the bot offers the likeliest concerns as buttons",
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
            note=f"right intent at confidence >= {threshold} (below it the bot offers concerns)",
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
            f"general utterance answered with a concern at confidence >= {threshold}",
        ),
    ]


def collect(ctx: BenchContext) -> list[Measurement]:
    paths = Paths(root=ctx.root)
    model = train(paths).model
    threshold = fallback_threshold(paths.bot / "config.yml")
    heldout = paths.root / "tests" / "nlu"

    items = load_heldout(heldout / "heldout.yml")
    general = load_heldout_general(heldout / "heldout_general.yml")
    # One model load for both sets.
    texts = [i.text for i in items] + [i.text for i in general]
    predictions = asyncio.run(parse_all(model, texts))
    result = score(load_catalogue(paths.content), items, predictions[: len(items)], threshold)
    general_result = score_general(general, predictions[len(items) :], threshold)

    return concern_measurements(result, threshold) + general_measurements(general_result, threshold)
