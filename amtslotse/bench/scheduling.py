"""Benchmarks of the scheduling backend for ``amtslotse bench``.

    bundle_search_*      pure search, 3 services at the SKZ, 20 working days,
                         half the desk time already taken (target p95 < 50 ms)
    availability_*       the same through the Scheduler, reading the database
    booking_throughput_* hold + book, one after another, bookings per second
    race_*               100 concurrent citizens want the same bundle; exactly
                         its capacity may win

The database figures come from SQLite and from a throw-away PostgreSQL
(``amtslotse.testing.postgres``); without PostgreSQL those rows say so.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta

from amtslotse.bench.model import BenchContext, Measurement
from amtslotse.core.content import Catalogue, load_catalogue
from amtslotse.errors import SetupError
from amtslotse.scheduling.clock import BERLIN, UTC
from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.db.migrate import upgrade
from amtslotse.scheduling.db.seed import seed_catalogue
from amtslotse.scheduling.domain.calendar import LocationCalendar
from amtslotse.scheduling.domain.capacity import DeskBoard
from amtslotse.scheduling.domain.model import BusyLeg, ServiceOption
from amtslotse.scheduling.domain.search import find_bundles
from amtslotse.scheduling.errors import Conflict
from amtslotse.scheduling.scheduler import Scheduler
from amtslotse.scheduling.settings import sqlite_url

SUITE = "scheduling"
SERVICES = ("buergergeld_antrag", "grundsicherung_alter", "unterhaltsvorschuss")
NOW = datetime(2025, 6, 2, 6, 0, tzinfo=BERLIN).astimezone(UTC)  # a Monday without holidays
WORKING_DAYS = 20
RACERS = 100
SEARCH_TARGET_MS = 50.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _timed(run: Callable[[], object], repetitions: int) -> list[float]:
    out = []
    for _ in range(repetitions):
        start = time.perf_counter()
        run()
        out.append((time.perf_counter() - start) * 1000)
    return out


def _calendar(catalogue: Catalogue, location_id: str) -> LocationCalendar:
    location = catalogue.locations[location_id]
    return LocationCalendar(
        location_id,
        weekly=tuple(tuple((i.start, i.end) for i in day) for day in location.hours.weekly),
        holiday_subdivision=catalogue.county.holiday_subdivision,
    )


def _working_days(calendar: LocationCalendar, first: date, count: int) -> date:
    day, seen = first, 0
    while True:
        if calendar.windows(day):
            seen += 1
            if seen == count:
                return day
        day += timedelta(days=1)


def _options(catalogue: Catalogue) -> list[ServiceOption]:
    out = []
    for sid in SERVICES:
        service = catalogue.services[sid]
        office = catalogue.offices[service.office_id or ""]
        out.append(ServiceOption(sid, office.id, office.location_id, service.minutes or 0))
    return out


def _busy(
    calendar: LocationCalendar, desks: dict[str, int], first: date, last: date
) -> list[BusyLeg]:
    """About half of every desk's opening time taken by 45-minute appointments."""
    rng = random.Random(7)
    busy = []
    day = first
    while day <= last:
        for w_start, w_end in calendar.windows(day):
            for office, count in desks.items():
                for desk in range(1, count + 1):
                    start = w_start
                    while start + timedelta(minutes=45) <= w_end:
                        if rng.random() < 0.5:
                            busy.append(BusyLeg(office, desk, start, start + timedelta(minutes=45)))
                        start += timedelta(minutes=45)
        day += timedelta(days=1)
    return busy


def _search_measurements(catalogue: Catalogue, repetitions: int) -> list[Measurement]:
    options = _options(catalogue)
    calendar = _calendar(catalogue, options[0].location_id)
    first = NOW.astimezone(BERLIN).date()
    last = _working_days(calendar, first, WORKING_DAYS)
    desks = {o.office_id: catalogue.offices[o.office_id].desks for o in options}
    board = DeskBoard(desks, _busy(calendar, desks, first, last))
    found: list[int] = []

    def run() -> None:
        found.append(
            len(
                find_bundles(
                    options, calendar=calendar, board=board, first_day=first, last_day=last, now=NOW
                )
            )
        )

    times = _timed(run, repetitions)
    p95 = _percentile(times, 0.95)
    note = f"{found[-1]} bundles over {WORKING_DAYS} working days, 50% of desk time taken"
    return [
        Measurement(
            SUITE, "bundle_search_median", round(statistics.median(times), 2), "ms", note=note
        ),
        Measurement(
            SUITE,
            "bundle_search_p95",
            round(p95, 2),
            "ms",
            f"< {SEARCH_TARGET_MS:g}",
            p95 < SEARCH_TARGET_MS,
            note,
        ),
    ]


class _Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


async def _database_measurements(
    url: str, label: str, catalogue: Catalogue, quick: bool
) -> list[Measurement]:
    db = Database(url)
    clock = _Clock()
    try:
        await upgrade(db)
        await seed_catalogue(db, catalogue)
        scheduler = Scheduler(db, clock=clock)
        first = NOW.astimezone(BERLIN).date()
        last = first + timedelta(days=27)

        # Booking throughput: the earliest free bundle, again and again.
        bookings = 10 if quick else 60
        start = time.perf_counter()
        for n in range(bookings):
            bundle = (await scheduler.availability(SERVICES, first, last, limit=1))[0]
            held = await scheduler.hold(scheduler.bundle_ids.encode(bundle))
            await scheduler.book(
                {"hold_id": held.hold_id, "contact": {"name": "Bench", "phone": "0340 123456"}},
                f"bench-{label}-{n:08d}",
            )
        throughput = bookings / (time.perf_counter() - start)

        # Availability through the database, now with those bookings in place.
        times = []
        for _ in range(5 if quick else 30):
            t0 = time.perf_counter()
            await scheduler.availability(SERVICES, first, last)
            times.append((time.perf_counter() - t0) * 1000)

        # The race: everyone wants the earliest bundle of a later day.
        race_day = first + timedelta(days=14)
        bundle = (
            await scheduler.availability(SERVICES, race_day, race_day + timedelta(days=7), limit=1)
        )[0]
        capacity = min(catalogue.offices[leg.office_id].desks for leg in bundle.legs)
        bundle_id = scheduler.bundle_ids.encode(bundle)

        async def citizen(n: int) -> bool:
            try:
                held = await scheduler.hold(bundle_id)
                await scheduler.book(
                    {"hold_id": held.hold_id, "contact": {"name": "Race", "phone": "0340 123456"}},
                    f"race-{label}-{n:08d}-key",
                )
                return True
            except Conflict:
                return False

        t0 = time.perf_counter()
        won = sum(await asyncio.gather(*(citizen(n) for n in range(RACERS))))
        race_ms = (time.perf_counter() - t0) * 1000
    finally:
        await db.dispose()
    return [
        Measurement(
            SUITE,
            f"availability_p95_{label}",
            round(_percentile(times, 0.95), 2),
            "ms",
            note="3 services, 4 weeks, through the database",
        ),
        Measurement(
            SUITE,
            f"booking_throughput_{label}",
            round(throughput, 1),
            "bookings/s",
            note="search + hold + book, sequential",
        ),
        Measurement(
            SUITE,
            f"race_bookings_{label}",
            won,
            "bookings",
            f"== {capacity}",
            won == capacity,
            f"{RACERS} concurrent citizens, one bundle",
        ),
        Measurement(
            SUITE,
            f"race_duration_{label}",
            round(race_ms, 1),
            "ms",
            note=f"{RACERS} concurrent hold + book attempts",
        ),
    ]


def collect(ctx: BenchContext) -> list[Measurement]:
    from amtslotse.testing.postgres import running_postgres

    catalogue = load_catalogue(ctx.root / "content" / "leichte_sprache")
    out = _search_measurements(catalogue, 20 if ctx.quick else 200)
    ctx.scratch.mkdir(parents=True, exist_ok=True)
    sqlite_file = ctx.scratch / "scheduling-bench.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        sqlite_file.with_name(sqlite_file.name + suffix).unlink(missing_ok=True)
    out += asyncio.run(
        _database_measurements(sqlite_url(sqlite_file), "sqlite", catalogue, ctx.quick)
    )
    try:
        with running_postgres() as server:
            url = server.create_database("bench")
            out += asyncio.run(_database_measurements(url, "postgres", catalogue, ctx.quick))
    except SetupError as exc:
        out.append(
            Measurement(
                SUITE,
                "postgres",
                0,
                "",
                "available",
                False,
                f"PostgreSQL benchmarks not run: {exc}",
            )
        )
    return out
