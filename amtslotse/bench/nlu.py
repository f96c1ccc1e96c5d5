"""NLU benchmark: routing accuracy on the independently written held-out set."""

from __future__ import annotations

import asyncio

from amtslotse.bench.model import BenchContext, Measurement
from amtslotse.content import load_catalogue
from amtslotse.settings import Paths
from amtslotse.training.evaluate import fallback_threshold, load_heldout, parse_all, score
from amtslotse.training.train import train

SUITE = "nlu"


def collect(ctx: BenchContext) -> list[Measurement]:
    paths = Paths(root=ctx.root)
    model = train(paths).model
    items = load_heldout(paths.root / "tests" / "nlu" / "heldout.yml")
    predictions = asyncio.run(parse_all(model, [i.text for i in items]))
    threshold = fallback_threshold(paths.bot / "config.yml")
    result = score(load_catalogue(paths.content), items, predictions, threshold)
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
