"""The backend deletes personal data by itself while it runs (``housekeeping.py``)."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from datetime import date

import pytest
from sqlalchemy import func, select

from amtslotse.errors import SetupError
from amtslotse.scheduling.api import keys
from amtslotse.scheduling.app import create_app
from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.db.schema import Booking, Hold, IdempotencyRecord, Leg
from amtslotse.scheduling.housekeeping import housekeep_periodically
from amtslotse.scheduling.scheduler import Scheduler
from amtslotse.scheduling.settings import SchedulingSettings

TUESDAY = date(2025, 3, 25)
NAME, PHONE = "Erika Geheim", "0340 987654"
NOTHING_LEFT = {"contacts": 0, "idempotency": 0, "holds": 0, "hold_legs": 0}


async def _book_and_hold(scheduler: Scheduler, n: int = 0) -> None:
    """One booking (with contact data and an idempotency record) and one open hold."""
    for book in (True, False):
        bundles = await scheduler.availability(["wohngeld"], TUESDAY, TUESDAY, limit=1)
        held = await scheduler.hold(scheduler.bundle_ids.encode(bundles[0]))
        if book:
            body = {"hold_id": held.hold_id, "contact": {"name": NAME, "phone": PHONE}}
            await scheduler.book(body, f"housekeeping-key-{n:04d}")


async def _left(db: Database) -> dict[str, int]:
    """Personal data and leftovers still in the database."""
    async with db.reading() as session:

        async def count(stmt) -> int:  # type: ignore[no-untyped-def]
            return int(await session.scalar(stmt))

        return {
            "contacts": await count(select(func.count()).where(Booking.contact_name.is_not(None))),
            "idempotency": await count(select(func.count()).select_from(IdempotencyRecord)),
            "holds": await count(select(func.count()).select_from(Hold)),
            "hold_legs": await count(select(func.count()).where(Leg.hold_id.is_not(None))),
        }


async def _until_left(db: Database, expected: dict[str, int], timeout: float = 5.0) -> None:
    """Wait (polling, no fixed sleep) until the housekeeping has left exactly ``expected``."""
    deadline = time.monotonic() + timeout
    while (left := await _left(db)) != expected:
        assert time.monotonic() < deadline, f"housekeeping left {left}, not {expected}"
        await asyncio.sleep(0.01)


async def test_the_app_purges_at_start_and_stops_on_cleanup(
    backend, db, settings, scheduler, clock, aiohttp_client
):
    await _book_and_hold(scheduler)
    clock.advance(days=40)  # past SCHEDULING_PURGE_AFTER_DAYS (30) after the appointment
    assert await _left(db) == {"contacts": 1, "idempotency": 1, "holds": 1, "hold_legs": 1}

    app = create_app(dataclasses.replace(settings, housekeeping_minutes=60), clock=clock)
    client = await aiohttp_client(app)
    # No request and no command: the run at start deletes it all.
    await _until_left(db, NOTHING_LEFT)
    task = app[keys.HOUSEKEEPING]
    assert not task.done()  # now waiting for the next run, an hour away

    started = time.monotonic()
    await client.close()  # the app's cleanup
    assert time.monotonic() - started < 1.0  # does not wait out the interval
    assert task.done() and not task.cancelled()  # stopped, not killed
    assert task.exception() is None


async def test_interval_zero_leaves_the_purge_to_cron(
    db, settings, scheduler, clock, aiohttp_client
):
    await _book_and_hold(scheduler)
    clock.advance(days=40)
    assert settings.housekeeping_minutes == 0  # the fixture's choice, as a cron deployment
    app = create_app(settings, clock=clock)
    client = await aiohttp_client(app)
    assert keys.HOUSEKEEPING not in app
    await asyncio.sleep(0.2)
    assert await _left(db) == {"contacts": 1, "idempotency": 1, "holds": 1, "hold_legs": 1}
    await client.close()


async def test_runs_again_every_interval(db, scheduler, clock):
    stop = asyncio.Event()
    task = asyncio.create_task(housekeep_periodically(scheduler, 30, 0.02, stop))
    try:
        await _until_left(db, NOTHING_LEFT)  # nothing to do yet
        await _book_and_hold(scheduler)
        clock.advance(minutes=11)  # the new hold has expired
        await _until_left(db, {**NOTHING_LEFT, "contacts": 1, "idempotency": 1})
        clock.advance(days=2)  # idempotency records are kept for a day
        await _until_left(db, {**NOTHING_LEFT, "contacts": 1})
        clock.advance(days=40)
        await _until_left(db, NOTHING_LEFT)
    finally:
        stop.set()
        await asyncio.wait_for(task, 1.0)


async def test_a_failing_run_is_logged_without_data_and_retried(
    db, scheduler, clock, monkeypatch, caplog
):
    caplog.set_level(logging.DEBUG, logger="amtslotse.scheduling")
    await _book_and_hold(scheduler)
    clock.advance(days=40)
    real_purge = scheduler.purge
    calls = 0

    async def flaky(days: int, audit_days: int):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError(f"could not update booking of {NAME}, {PHONE}")
        return await real_purge(days, audit_days)

    monkeypatch.setattr(scheduler, "purge", flaky)
    stop = asyncio.Event()
    task = asyncio.create_task(housekeep_periodically(scheduler, 30, 0.02, stop))
    try:
        await _until_left(db, NOTHING_LEFT)
    finally:
        stop.set()
        await asyncio.wait_for(task, 1.0)
    assert calls >= 2
    assert "housekeeping failed (RuntimeError)" in caplog.text
    assert "removed contact data of 1 booking(s)" in caplog.text
    assert NAME not in caplog.text and "Geheim" not in caplog.text and "987654" not in caplog.text


async def test_several_instances_may_purge_at_the_same_time(backend, db, settings, clock):
    # Separate engines, as separate backend processes have.
    instances = [Database(settings.database_url) for _ in range(3)]
    try:
        schedulers = [Scheduler(d, clock=clock) for d in instances]
        for n in range(4):
            await _book_and_hold(schedulers[0], n)
        clock.advance(days=40)
        reports = await asyncio.gather(*(s.purge(30) for s in schedulers * 2))
    finally:
        for instance in instances:
            await instance.dispose()
    # Each row was handled exactly once, by whichever instance came first.
    assert sum(r.bookings for r in reports) == 4
    assert sum(r.idempotency_records for r in reports) == 4
    assert sum(r.holds for r in reports) == 4
    assert await _left(db) == NOTHING_LEFT


def test_setting_from_the_environment(tmp_path):
    env = {"AMTSLOTSE_DATA_DIR": str(tmp_path), "AMTSLOTSE_ADMIN_TOKEN": "t"}
    assert SchedulingSettings.from_env(env).housekeeping_minutes == 60
    off = SchedulingSettings.from_env({**env, "SCHEDULING_HOUSEKEEPING_MINUTES": "0"})
    assert off.housekeeping_minutes == 0
    with pytest.raises(SetupError, match="SCHEDULING_HOUSEKEEPING_MINUTES"):
        SchedulingSettings.from_env({**env, "SCHEDULING_HOUSEKEEPING_MINUTES": "-1"})
