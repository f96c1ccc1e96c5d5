"""DELETE /holds/{hold_id}: a citizen who says "Nein" frees the desks at once.

Runs on SQLite and on a real PostgreSQL started by the test session.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from amtslotse.scheduling.db.schema import Booking, DeskSlot, Hold, Leg
from tests.scheduling.invariants import assert_no_desk_overbooked

PROBLEM = "application/problem+json"
# Wohngeldstelle has one desk: a held time is gone for everyone else.
TUESDAY = {"service": "wohngeld", "from": "2025-03-25", "to": "2025-03-25"}


async def _starts(client, limit: int = 1) -> list[str]:
    resp = await client.get("/api/v1/availability", params={**TUESDAY, "limit": str(limit)})
    assert resp.status == 200, await resp.text()
    return [b["start"] for b in (await resp.json())["bundles"]]


async def _hold(client, n: int = 0) -> dict:
    resp = await client.get("/api/v1/availability", params={**TUESDAY, "limit": str(n + 1)})
    bundle = (await resp.json())["bundles"][n]
    resp = await client.post("/api/v1/holds", json={"bundle_id": bundle["bundle_id"]})
    assert resp.status == 201, await resp.text()
    return {**await resp.json(), "start": bundle["start"]}


def _release(client, hold_id: str):  # type: ignore[no-untyped-def]
    return client.delete(f"/api/v1/holds/{hold_id}")


def _book(client, hold_id: str, key: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/api/v1/bookings",
        headers={"Idempotency-Key": key},
        json={"hold_id": hold_id, "contact": {"name": "Max Beispiel", "phone": "0340 123456"}},
    )


async def _problem(resp, status: int, slug: str) -> dict:
    assert resp.status == status, await resp.text()
    assert resp.content_type == PROBLEM
    body = await resp.json(content_type=PROBLEM)
    assert body["type"] == f"urn:amtslotse:problem:{slug}"
    return body


async def _count(db, model) -> int:
    async with db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(model)))


async def test_release_frees_the_time_at_once(backend, client, db):
    hold = await _hold(client)
    assert (await _starts(client))[0] != hold["start"]  # held: not offered

    resp = await _release(client, hold["hold_id"])
    assert resp.status == 204
    assert await resp.read() == b""
    assert (await _starts(client))[0] == hold["start"]  # offered again, no waiting
    for model in (Hold, Leg, DeskSlot):
        assert await _count(db, model) == 0, model.__tablename__
    # Someone else can hold the very same bundle now.
    resp = await client.post("/api/v1/holds", json={"bundle_id": hold["bundle_id"]})
    assert resp.status == 201


async def test_only_the_released_hold_goes(backend, client, db):
    first, second = await _hold(client, 0), await _hold(client, 1)
    assert (await _release(client, first["hold_id"])).status == 204
    async with db.reading() as session:
        assert list(await session.scalars(select(Hold.id))) == [second["hold_id"]]
    assert first["start"] in await _starts(client, limit=3)
    assert second["start"] not in await _starts(client, limit=3)


async def test_a_released_or_expired_hold_is_not_found(backend, client, clock):
    hold = await _hold(client)
    assert (await _release(client, hold["hold_id"])).status == 204
    await _problem(await _release(client, hold["hold_id"]), 404, "not-found")
    # Nor can it be booked any more.
    await _problem(await _book(client, hold["hold_id"], "release-key-0000001"), 404, "not-found")

    hold = await _hold(client)
    clock.advance(minutes=10)  # SCHEDULING_HOLD_MINUTES: expired
    await _problem(await _release(client, hold["hold_id"]), 404, "not-found")


async def test_a_booked_hold_is_cancelled_not_released(backend, client, db):
    hold = await _hold(client)
    resp = await _book(client, hold["hold_id"], "release-key-0000002")
    assert resp.status == 201
    booking = await resp.json()
    body = await _problem(await _release(client, hold["hold_id"]), 409, "hold-already-booked")
    assert "DELETE /bookings" in body["detail"]
    # The booking and its desk are untouched.
    auth = {"Authorization": f"Bearer {booking['access_token']}"}
    resp = await client.get(f"/api/v1/bookings/{booking['booking_code']}", headers=auth)
    assert (await resp.json())["status"] == "confirmed"
    assert (await _starts(client))[0] != hold["start"]
    assert await _count(db, DeskSlot) == 6  # 30 minutes in 5-minute slots
    # Still a conflict once the booking is cancelled: the hold is used up.
    resp = await client.delete(f"/api/v1/bookings/{booking['booking_code']}", headers=auth)
    assert resp.status == 200
    await _problem(await _release(client, hold["hold_id"]), 409, "hold-already-booked")


@pytest.mark.parametrize(
    "hold_id",
    [
        "0" * 32,  # well-formed, never issued
        "A" * 32,  # hold ids are lower-case hex
        "0" * 31,
        "0" * 33,
        "not-a-hold",
        "K7M4-PQ2X",  # a booking code is not a hold id
    ],
)
async def test_unknown_and_malformed_hold_ids_are_not_found(client, hold_id):
    body = await _problem(await _release(client, hold_id), 404, "not-found")
    assert body["instance"] == f"/api/v1/holds/{hold_id}"


async def test_release_and_booking_of_one_hold_race_and_one_wins(backend, client, db, clock):
    holds = [await _hold(client, n) for n in range(6)]
    hold_ids = [h["hold_id"] for h in holds]
    assert len(set(hold_ids)) == 6

    async def race(n: int, hold_id: str) -> tuple[int, int]:
        release = _release(client, hold_id)
        book = _book(client, hold_id, f"race-release-key-{n:04d}")
        if n % 2:  # either one sent first
            book_resp, release_resp = await asyncio.gather(book, release)
        else:
            release_resp, book_resp = await asyncio.gather(release, book)
        return release_resp.status, book_resp.status

    outcomes = await asyncio.gather(*(race(n, h) for n, h in enumerate(hold_ids)))
    # The release wins (the booking finds no hold) or the booking wins (the
    # release finds a booking); never both, never neither.
    assert set(outcomes) <= {(204, 404), (409, 201)}, outcomes
    booked = [o for o in outcomes if o == (409, 201)]
    assert await _count(db, Booking) == len(booked)
    assert await _count(db, Hold) == 0
    assert await _count(db, Leg) == len(booked)
    assert await _count(db, DeskSlot) == 6 * len(booked)
    await assert_no_desk_overbooked(db, clock())
