"""Scaling: 1 against 2 Rasa instances, the full stack through the portal.

Both stacks run on the production stores (PostgreSQL tracker store, Redis
lock store), so only the number of instances differs. For 20 and 40
concurrent conversations each stack serves the same turns (a greeting, then
concerns, alternating: Rasa alone, then Rasa with its action server) and the
suite reports throughput and latency, the memory of each process, and where
the CPU time goes: CPU milliseconds per turn for Rasa, the action servers,
the portal, the backend, PostgreSQL, Redis and the load generator itself.
On 2 cores, the sum of those is what caps the throughput: 2000 ms of CPU a
second divided by the CPU milliseconds a turn costs.
"""

from __future__ import annotations

import asyncio
import io
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import aiohttp
import psutil

from amtslotse.bench.chat import percentile
from amtslotse.bench.model import BenchContext, Measurement
from amtslotse.rasa.training.train import train
from amtslotse.run.processes import running_stack
from amtslotse.run.supervisor import Supervisor
from amtslotse.settings import Paths, Settings
from amtslotse.testing.postgres import OS_USER, PostgresServer, running_postgres

SUITE = "scale"
CONCURRENCY = (20, 40)
INSTANCES = (1, 2)
TARGET_SPEEDUP = 1.6
ROUNDS = 3
MESSAGES = (
    "Hallo",
    "Ich möchte Wohngeld beantragen",
    "Guten Tag",
    "Mein Ex zahlt keinen Unterhalt",
    "Hallo",
    "auto anmeldn",
    "Guten Morgen",
    "Ich alt. Rente klein.",
)


@dataclass
class Load:
    turns: int
    seconds: float
    latencies_ms: list[float]
    cpu_ms: dict[str, float]  # CPU time per part during the load
    load_average: float = 0.0  # of the machine (other work on it shows here), at the end
    rounds: tuple[float, ...] = ()  # the throughput of each round merged into this one

    @property
    def throughput(self) -> float:
        return self.turns / self.seconds

    @staticmethod
    def merge(loads: list[Load]) -> Load:
        """Several rounds of one configuration as one load (turns and times add up)."""
        cpu: dict[str, float] = {}
        for load in loads:
            for part, ms in load.cpu_ms.items():
                cpu[part] = cpu.get(part, 0.0) + ms
        return Load(
            turns=sum(x.turns for x in loads),
            seconds=sum(x.seconds for x in loads),
            latencies_ms=[ms for x in loads for ms in x.latencies_ms],
            cpu_ms=cpu,
            load_average=max(x.load_average for x in loads),
            rounds=tuple(x.throughput for x in loads),
        )

    def cpu_per_turn(self, part: str) -> float:
        return self.cpu_ms.get(part, 0.0) / self.turns


def _part(name: str) -> str:
    """rasa-1 → rasa, actions-2 → actions."""
    return name.split("-", 1)[0]


def _cpu_seconds(process: psutil.Process, *, children: bool = True) -> float:
    try:
        tree = [process, *(process.children(recursive=True) if children else [])]
        return sum(p.cpu_times().user + p.cpu_times().system for p in tree)
    except psutil.Error:
        return 0.0


def _postgres(pg: PostgresServer) -> psutil.Process | None:
    pid_file = pg.data_dir / "postmaster.pid"
    try:
        return psutil.Process(int(pid_file.read_text().split()[0]))
    except (OSError, ValueError, psutil.Error):
        return None


def _cpu_snapshot(supervisor: Supervisor, pg: PostgresServer) -> dict[str, float]:
    totals: dict[str, float] = {}
    for child in supervisor.children:
        part = _part(child.spec.name)
        proc = psutil.Process(child.process.pid)
        totals[part] = totals.get(part, 0.0) + _cpu_seconds(proc)
    postmaster = _postgres(pg)
    if postmaster is not None:
        totals["postgresql"] = _cpu_seconds(postmaster)
    # This process alone: the stack's processes are its descendants.
    totals["load generator"] = _cpu_seconds(psutil.Process(os.getpid()), children=False)
    return totals


async def _conversation(
    http: aiohttp.ClientSession, portal: str, sender: str, turns: int, latencies: list[float]
) -> None:
    for turn in range(turns):
        started = time.perf_counter()
        body = {"sender": sender, "message": MESSAGES[turn % len(MESSAGES)]}
        async with http.post(f"{portal}/api/chat", json=body) as r:
            answer = await r.json()
            assert r.status == 200 and answer, answer
        latencies.append((time.perf_counter() - started) * 1000)


async def _drive(
    portal: str, run: str, conversations: int, turns: int
) -> tuple[float, list[float]]:
    latencies: list[float] = []
    timeout = aiohttp.ClientTimeout(total=300)
    connector = aiohttp.TCPConnector(limit=conversations + 5)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as http:
        started = time.perf_counter()
        await asyncio.gather(
            *(
                _conversation(http, portal, f"bench-{run}-{n:03d}", turns, latencies)
                for n in range(conversations)
            )
        )
        return time.perf_counter() - started, latencies


def _load(
    portal: str,
    supervisor: Supervisor,
    pg: PostgresServer,
    run: str,
    conversations: int,
    turns: int,
) -> Load:
    before = _cpu_snapshot(supervisor, pg)
    seconds, latencies = asyncio.run(_drive(portal, run, conversations, turns))
    after = _cpu_snapshot(supervisor, pg)
    cpu = {part: (after[part] - before.get(part, 0.0)) * 1000 for part in after}
    return Load(len(latencies), seconds, latencies, cpu, os.getloadavg()[0])


def _rss_mib(supervisor: Supervisor) -> dict[str, float]:
    out = {}
    for child in supervisor.children:
        try:
            proc = psutil.Process(child.process.pid)
            out[child.spec.name] = (
                sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20
            )
        except psutil.Error:
            out[child.spec.name] = float("nan")
    return out


@contextmanager
def _stack(ctx: BenchContext, pg: PostgresServer, n: int) -> Iterator[tuple[str, Supervisor]]:
    """The full stack with ``n`` Rasa instances on fresh databases of ``pg`` and its own Redis."""
    pg.psql(f'CREATE DATABASE "rasa_{n}"')
    settings = Settings.from_env(
        {
            "DATABASE_URL": pg.create_database(f"scheduling_{n}"),
            "TRACKER_DB_DIALECT": "postgresql",
            "TRACKER_DB_URL": f"postgresql://{OS_USER}@127.0.0.1:{pg.port}/rasa_{n}",
            "LOCK_STORE": "redis",  # one instance too: the same stores, only the count differs
            # The load generator is one client for all conversations: no per-client caps.
            "CHAT_RATE_PER_MINUTE": "100000",
            "CHAT_RATE_BURST": "10000",
            "CHAT_NEW_CONVERSATIONS_PER_HOUR": "100000",
            "CHAT_HOLDS_PER_CLIENT": "100000",
            "TRACKER_PURGE_INTERVAL_MINUTES": "0",
        }
    )
    data = ctx.scratch / f"var{n}"
    log = io.StringIO()
    try:
        with running_stack(data, log, instances=n, configured=settings) as (s, sup):
            yield s.portal_url, sup
    finally:
        # The stack's log, for a look when a figure surprises (bench/tmp is not committed).
        keep = ctx.root / "bench" / "tmp" / f"scale-{n}x.log"
        keep.parent.mkdir(parents=True, exist_ok=True)
        keep.write_text(log.getvalue(), encoding="utf-8")


def collect(ctx: BenchContext) -> list[Measurement]:
    """Both stacks run side by side; their loads take turns, round after round.

    The machine is shared: other work comes and goes within minutes. Taking
    turns puts the 1- and 2-instance figures under the same conditions; a
    stack that waits costs little (health checks). Each configuration's rounds
    are merged; the speedup's note lists them.
    """
    train(Paths(root=ctx.root))
    rounds, turns = (1, 4) if ctx.quick else (ROUNDS, 8)
    samples: dict[tuple[int, int], list[Load]] = {
        (n, c): [] for n in INSTANCES for c in CONCURRENCY
    }
    with (
        running_postgres() as pg,
        _stack(ctx, pg, INSTANCES[0]) as first,
        _stack(ctx, pg, INSTANCES[1]) as second,
    ):
        stacks = dict(zip(INSTANCES, (first, second), strict=True))
        for n, (portal, supervisor) in stacks.items():
            # Warm-up: every Rasa server has answered, models and caches are in.
            _load(portal, supervisor, pg, f"warm{n}", 4 * n, 4)
        for r in range(rounds):
            for c in CONCURRENCY:
                for n, (portal, supervisor) in stacks.items():
                    samples[(n, c)].append(_load(portal, supervisor, pg, f"{n}x{c}r{r}", c, turns))
        rss = {n: _rss_mib(supervisor) for n, (_, supervisor) in stacks.items()}
    return _measurements({k: Load.merge(v) for k, v in samples.items()}, rss)


def _measurements(
    loads: dict[tuple[int, int], Load], rss: dict[int, dict[str, float]]
) -> list[Measurement]:
    out: list[Measurement] = []
    cores = os.cpu_count() or 1
    for (n, c), load in loads.items():
        note = (
            f"{load.turns} turns, {c} concurrent conversations through the portal, {n} Rasa; "
            f"machine load average {load.load_average:.1f}"
        )
        tag = f"{n}x_{c}c"
        out += [
            Measurement(SUITE, f"throughput_{tag}", load.throughput, "turns/s", note=note),
            Measurement(SUITE, f"p50_{tag}", statistics.median(load.latencies_ms), "ms", note=note),
            Measurement(SUITE, f"p95_{tag}", percentile(load.latencies_ms, 0.95), "ms", note=note),
        ]
    for c in CONCURRENCY:
        one, two = loads[(1, c)], loads[(2, c)]
        speedup = two.throughput / one.throughput
        per_round = ", ".join(f"{b / a:.2f}" for a, b in zip(one.rounds, two.rounds, strict=False))
        out.append(
            Measurement(
                SUITE,
                f"speedup_2x_over_1x_{c}c",
                speedup,
                "x",
                f">= {TARGET_SPEEDUP}",
                speedup >= TARGET_SPEEDUP,
                f"throughput with 2 Rasa instances over 1, {c} conversations, {cores} cores"
                + (f"; per round: {per_round}" if per_round else ""),
            )
        )
    for (n, c), load in loads.items():
        if c != max(CONCURRENCY):
            continue
        total = sum(load.cpu_ms.values()) / load.turns
        for part in sorted(load.cpu_ms, key=lambda p: -load.cpu_ms[p]):
            share = load.cpu_ms[part] / sum(load.cpu_ms.values()) * 100
            out.append(
                Measurement(
                    SUITE,
                    f"cpu_per_turn_{part.replace(' ', '_')}_{n}x",
                    load.cpu_per_turn(part),
                    "ms",
                    note=f"CPU time per turn, {share:.0f} % of all, {c} conversations, {n} Rasa",
                )
            )
        ceiling = cores * 1000 / total
        out.append(
            Measurement(
                SUITE,
                f"cpu_ceiling_{n}x",
                ceiling,
                "turns/s",
                note=(
                    f"{cores} cores / {total:.0f} ms CPU per turn (all processes): the most "
                    f"this machine could serve with {n} Rasa"
                ),
            )
        )
        rasa_busy = load.cpu_ms.get("rasa", 0.0) / 1000 / load.seconds / n
        out.append(
            Measurement(
                SUITE,
                f"rasa_busy_{n}x",
                rasa_busy * 100,
                "% of a core",
                note=(
                    f"CPU each Rasa server used per second of load, {c} conversations, {n} Rasa "
                    "(below 100 %: it waited, e.g. on its synchronous tracker store, or the "
                    "machine gave the core to others)"
                ),
            )
        )
        busy = sum(load.cpu_ms.values()) / 1000 / load.seconds
        out.append(
            Measurement(
                SUITE,
                f"cores_busy_{n}x",
                busy,
                "cores",
                note=f"CPU seconds of the stack per second of load, {c} conversations, {n} Rasa",
            )
        )
    for n, processes in rss.items():
        for name, mib in processes.items():
            out.append(
                Measurement(
                    SUITE, f"rss_{name}_{n}x", mib, "MiB", note=f"resident memory, {n} Rasa"
                )
            )
    return out
