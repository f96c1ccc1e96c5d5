"""Chat-turn latency through Rasa's REST channel at 20 concurrent conversations.

Routing answers (NLU + action server + content) side by side with a plain
greeting (Rasa alone, a response from the domain).
"""

from __future__ import annotations

import asyncio
import io
import statistics
import time

import aiohttp

from amtslotse.bench.model import BenchContext, Measurement
from amtslotse.rasa.training.train import train
from amtslotse.run.processes import running_assistant
from amtslotse.settings import Paths

SUITE = "chat"
CONVERSATIONS = 20
ROUTING = (
    "Ich möchte Wohngeld beantragen",
    "Mein Ex zahlt keinen Unterhalt",
    "auto anmeldn",
    "Ich alt. Rente klein.",
)
GREETING = "Hallo"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


async def _conversation(
    session: aiohttp.ClientSession, url: str, n: int, turns: int, timings: dict[str, list[float]]
) -> None:
    for turn in range(turns):
        kind = "greeting" if turn % 2 == 0 else "routing"
        message = GREETING if kind == "greeting" else ROUTING[(n + turn) % len(ROUTING)]
        started = time.perf_counter()
        async with session.post(url, json={"sender": f"bench-{n}", "message": message}) as r:
            body = await r.json()
            assert r.status == 200 and body, body
        timings[kind].append((time.perf_counter() - started) * 1000)


async def _load(url: str, turns: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"greeting": [], "routing": []}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        await _conversation(session, url, 999, 2, {"greeting": [], "routing": []})  # warm-up
        await asyncio.gather(
            *(_conversation(session, url, n, turns, timings) for n in range(CONVERSATIONS))
        )
    return timings


def collect(ctx: BenchContext) -> list[Measurement]:
    train(Paths(root=ctx.root))
    turns = 4 if ctx.quick else 10
    with running_assistant(ctx.scratch / "var", io.StringIO()) as settings:
        timings = asyncio.run(_load(f"{settings.rasa_url}/webhooks/rest/webhook", turns))
    out = []
    for kind, values in timings.items():
        note = f"{len(values)} turns, {CONVERSATIONS} concurrent conversations"
        out.append(Measurement(SUITE, f"{kind}_median", statistics.median(values), "ms", note=note))
        out.append(Measurement(SUITE, f"{kind}_p95", percentile(values, 0.95), "ms", note=note))
    ratio = percentile(timings["routing"], 0.95) / percentile(timings["greeting"], 0.95)
    out.append(
        Measurement(
            SUITE,
            "routing_p95_over_greeting_p95",
            ratio,
            "x",
            "<= 2",
            ratio <= 2,
            "routing runs the action server, greeting does not",
        )
    )
    return out
