"""Double booking is impossible: races, crashes and the database backstop.

Runs on SQLite and on a real PostgreSQL started by the test session.
"""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from amtslotse.scheduling import scheduler as scheduler_module
from amtslotse.scheduling.db.schema import Booking, DeskSlot, Hold, Leg
from tests.scheduling.invariants import assert_no_desk_overbooked

CLIENTS = 120
THREE_OFFICES = ["buergergeld_antrag", "grundsicherung_alter", "unterhaltsvorschuss"]


async def _count(db, model) -> int:
    async with db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(model)))


async def test_race_of_many_clients_for_one_bundle(backend, client, db, clock):
    resp = await client.get(
        "/api/v1/availability", params=[("service", s) for s in THREE_OFFICES] + [("limit", "1")]
    )
    bundle = (await resp.json())["bundles"][0]

    async def citizen(n: int) -> int:
        resp = await client.post("/api/v1/holds", json={"bundle_id": bundle["bundle_id"]})
        if resp.status != 201:
            body = await resp.json(content_type="application/problem+json")
            assert resp.status == 409 and body["alternatives"], body
            return resp.status
        hold = await resp.json()
        resp = await client.post(
            "/api/v1/bookings",
            headers={"Idempotency-Key": f"race-client-{n:08d}-key"},
            json={
                "hold_id": hold["hold_id"],
                "contact": {"name": f"Person {n}", "phone": "0340 123456"},
            },
        )
        assert resp.status == 201, await resp.text()
        return resp.status

    statuses = await asyncio.gather(*(citizen(n) for n in range(CLIENTS)))
    # Sozialamt and Jugendamt have 2 desks each: exactly 2 bundles fit.
    assert statuses.count(201) == 2
    assert statuses.count(409) == CLIENTS - 2
    assert await _count(db, Booking) == 2
    assert await _count(db, Leg) == 6
    await assert_no_desk_overbooked(db, clock())


async def test_crash_between_legs_leaves_nothing_behind(backend, scheduler, db, monkeypatch):
    bundles = await scheduler.availability(
        THREE_OFFICES, date(2025, 3, 25), date(2025, 3, 25), limit=1
    )
    bundle_id = scheduler.bundle_ids.encode(bundles[0])
    real_insert_leg = scheduler_module.insert_leg
    calls = 0

    async def crash_after_first_leg(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("power cut between two legs")
        return await real_insert_leg(*args, **kwargs)

    monkeypatch.setattr(scheduler_module, "insert_leg", crash_after_first_leg)
    with pytest.raises(RuntimeError, match="power cut"):
        await scheduler.hold(bundle_id)
    assert calls == 2
    for model in (Hold, Leg, DeskSlot):
        assert await _count(db, model) == 0, model.__tablename__
    monkeypatch.setattr(scheduler_module, "insert_leg", real_insert_leg)
    held = await scheduler.hold(bundle_id)  # the same bundle is still free
    assert len(held.bundle.legs) == 3
    assert await _count(db, DeskSlot) == 27  # 3 legs x 45 min / 5-minute slots


async def test_database_refuses_a_second_leg_on_the_same_desk_slot(backend, scheduler, db):
    bundles = await scheduler.availability(
        ["wohngeld"], date(2025, 3, 25), date(2025, 3, 25), limit=1
    )
    await scheduler.hold(scheduler.bundle_ids.encode(bundles[0]))
    async with db.reading() as session:
        taken = (await session.scalars(select(DeskSlot).limit(1))).one()
        leg_id = taken.leg_id
        key = {
            "office_id": taken.office_id,
            "desk_no": taken.desk_no,
            "slot_start": taken.slot_start,
        }

    # Bypass Database.write's retries: one plain transaction on the write engine.
    with pytest.raises(IntegrityError):
        async with db.write_engine.begin() as connection:
            await connection.execute(insert(DeskSlot).values(**key, leg_id=leg_id))
