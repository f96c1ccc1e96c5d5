"""Property: no sequence of holds, releases, bookings, cancellations, expiries and purges
overbooks a desk, and a release answers what the hold's history says it must.
"""

from __future__ import annotations

import asyncio
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.db.migrate import upgrade
from amtslotse.scheduling.db.schema import Leg
from amtslotse.scheduling.db.seed import seed_catalogue
from amtslotse.scheduling.errors import Conflict, HoldAlreadyBooked, NotFound
from amtslotse.scheduling.scheduler import HeldBundle, Scheduler
from amtslotse.scheduling.settings import sqlite_url
from tests.scheduling.conftest import FakeClock
from tests.scheduling.demo import demo_catalogue
from tests.scheduling.invariants import assert_no_desk_overbooked

DAY = date(2025, 3, 25)
REQUESTS = [
    ["wohngeld"],
    ["buergergeld_antrag", "grundsicherung_alter"],
    ["grundsicherung_alter", "unterhaltsvorschuss", "wohngeld"],
    ["erziehungsberatung", "bildung_teilhabe:sozialamt"],
]

operations = st.lists(
    st.one_of(
        st.tuples(st.just("hold"), st.integers(0, len(REQUESTS) - 1), st.integers(0, 5)),
        st.tuples(st.just("hold_stale"), st.integers(0, 30)),
        st.tuples(st.just("book"), st.integers(0, 30)),
        st.tuples(st.just("cancel"), st.integers(0, 30)),
        st.tuples(st.just("release"), st.integers(0, 30)),
        st.tuples(st.just("wait"), st.integers(1, 12)),
        st.tuples(st.just("purge")),
    ),
    min_size=1,
    max_size=25,
)


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"

    async def build() -> None:
        db = Database(sqlite_url(path))
        await upgrade(db)
        await seed_catalogue(db, demo_catalogue())
        await db.dispose()

    asyncio.run(build())
    return path


def _expected_release(state: str, expires_at: datetime, now: datetime) -> str:
    """What DELETE /holds/{id} must answer, from the hold's history alone."""
    if state == "booked":
        return "booked"  # 409: cancel the booking instead
    if state == "released" or expires_at <= now:
        return "gone"  # 404
    return "released"  # 204


async def _release(db: Database, scheduler: Scheduler, hold_id: str) -> str:
    try:
        await scheduler.release(hold_id)
    except HoldAlreadyBooked:
        return "booked"
    except NotFound:
        return "gone"
    async with db.reading() as session:
        left = await session.scalar(select(func.count()).where(Leg.hold_id == hold_id))
    assert left == 0, "a released hold keeps legs"
    return "released"


async def _run(path: Path, ops: list[tuple]) -> None:
    clock = FakeClock()
    db = Database(sqlite_url(path))
    scheduler = Scheduler(db, clock=clock)
    seen_bundles: list[str] = []
    holds: list[str] = []
    expiry: dict[str, datetime] = {}
    state: dict[str, str] = {}  # hold id -> held | booked | released
    bookings: list[tuple[str, str]] = []

    def remember(held: HeldBundle) -> None:
        holds.append(held.hold_id)
        expiry[held.hold_id], state[held.hold_id] = held.expires_at, "held"

    try:
        for n, op in enumerate(ops):
            try:
                if op[0] == "hold":
                    found = await scheduler.availability(REQUESTS[op[1]], DAY, DAY, limit=6)
                    if found:
                        bundle_id = scheduler.bundle_ids.encode(found[op[2] % len(found)])
                        seen_bundles.append(bundle_id)
                        remember(await scheduler.hold(bundle_id))
                elif op[0] == "hold_stale" and seen_bundles:
                    remember(await scheduler.hold(seen_bundles[op[1] % len(seen_bundles)]))
                elif op[0] == "book" and holds:
                    hold_id = holds[op[1] % len(holds)]
                    body = {"hold_id": hold_id, "contact": {"name": "P", "phone": "0340 123456"}}
                    if state[hold_id] == "released":
                        with pytest.raises(NotFound):  # released means gone for good
                            await scheduler.book(body, f"property-key-{n:06d}")
                    else:
                        new = await scheduler.book(body, f"property-key-{n:06d}")
                        state[hold_id] = "booked"
                        bookings.append((new.booking.code, new.access_token))
                elif op[0] == "cancel" and bookings:
                    await scheduler.cancel(*bookings[op[1] % len(bookings)])
                elif op[0] == "release" and holds:
                    hold_id = holds[op[1] % len(holds)]
                    expected = _expected_release(state[hold_id], expiry[hold_id], clock())
                    assert await _release(db, scheduler, hold_id) == expected
                    if expected == "released":
                        state[hold_id] = "released"
                elif op[0] == "wait":
                    clock.advance(minutes=op[1])
                elif op[0] == "purge":
                    await scheduler.purge(30)
            except (Conflict, NotFound):
                pass  # a lost race or an expired/used hold: allowed outcomes
            await assert_no_desk_overbooked(db, clock())
    finally:
        await db.dispose()


@settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_no_sequence_of_operations_overbooks_a_desk(template_db, tmp_path, ops):
    path = tmp_path / "example.sqlite3"
    shutil.copyfile(template_db, path)
    asyncio.run(_run(path, ops))
