"""The action server's scheduling client against the real backend app on SQLite.

It sends the service token on every write, and names a hold's holder by a
hash of the conversation id, so the backend keeps one hold per conversation.
A booking opens with its access token or its PIN; wrong PINs count per
conversation (X-Client-Key, another hash of the id).
"""

from __future__ import annotations

from datetime import date

import pytest

from actions.api.scheduling import (
    SchedulingClient,
    SchedulingProblem,
    client_key_of,
    holder_of,
)
from amtslotse.scheduling.app import create_app

# The backend's own fixtures: a migrated, seeded SQLite database and its settings.
from tests.scheduling.conftest import (  # noqa: F401
    SERVICE_TOKEN,
    FakeClock,
    clock,
    database_url,
    db,
    settings,
)

MONDAY = date(2025, 3, 24)


@pytest.fixture
async def server(aiohttp_server, db, settings, clock: FakeClock):  # type: ignore[no-untyped-def]  # noqa: F811
    return await aiohttp_server(create_app(settings, clock=clock))


@pytest.fixture
async def scheduling(server):  # type: ignore[no-untyped-def]
    client = SchedulingClient(str(server.make_url("")), service_token=SERVICE_TOKEN)
    yield client
    await client.close()


async def test_holds_and_bookings_carry_the_service_token(scheduling, server):
    bundles = await scheduling.availability(["wohngeld"], MONDAY, MONDAY, limit=1)
    hold = await scheduling.hold(bundles[0]["bundle_id"], conversation="conv-0001")
    booking = await scheduling.book(
        hold["hold_id"], {"name": "Erika Muster", "phone": "0340 123456"}, "client-key-0000001"
    )
    assert booking["booking_code"] and booking["access_token"]

    tokenless = SchedulingClient(str(server.make_url("")))
    try:
        with pytest.raises(SchedulingProblem) as refused:
            await tokenless.hold(bundles[0]["bundle_id"])
        assert refused.value.status == 401 and refused.value.slug == "unauthorized"
    finally:
        await tokenless.close()


async def test_one_conversation_keeps_one_hold(scheduling):
    bundles = await scheduling.availability(["wohngeld"], MONDAY, MONDAY, limit=10)
    first = bundles[0]
    later = next(b for b in bundles if b["start"] >= first["end"])
    old = await scheduling.hold(first["bundle_id"], conversation="conv-0002")
    await scheduling.hold(later["bundle_id"], conversation="conv-0002")
    assert await scheduling.release_hold(old["hold_id"]) is False  # given back already
    # Another conversation may take the first time now.
    assert await scheduling.hold(first["bundle_id"], conversation="conv-0003")


def test_the_holder_is_an_opaque_hash_of_the_conversation():
    holder = holder_of("8f3c0e6a-2f64-4c1e-9d3b-conversation")
    assert len(holder) == 32 and "conversation" not in holder
    assert holder == holder_of("8f3c0e6a-2f64-4c1e-9d3b-conversation")
    assert holder != holder_of("another-conversation")


async def _booked(scheduling: SchedulingClient, conversation: str) -> dict:
    bundles = await scheduling.availability(["wohngeld"], MONDAY, MONDAY, limit=1)
    hold = await scheduling.hold(bundles[0]["bundle_id"], conversation=conversation)
    return await scheduling.book(
        hold["hold_id"],
        {"name": "Erika Muster", "phone": "0340 123456"},
        f"idempotency-key-{conversation}",
    )


async def test_a_booking_opens_with_its_token_or_its_pin(scheduling):
    booking = await _booked(scheduling, "conv-0004")
    code, token, pin = booking["booking_code"], booking["access_token"], booking["pin"]
    assert (await scheduling.booking(code, token))["status"] == "confirmed"
    shown = await scheduling.booking(code, pin, conversation="a-fresh-conversation")
    assert shown["booking_code"] == code and shown["status"] == "confirmed"
    cancelled = await scheduling.cancel(code, pin, conversation="a-fresh-conversation")
    assert cancelled["status"] == "cancelled"


async def test_wrong_pins_count_per_conversation(scheduling):
    """Ten wrong PINs from one conversation block it; another conversation may still try."""
    codes = [(await _booked(scheduling, f"conv-1{i}"))["booking_code"] for i in range(3)]
    statuses = []
    for i in range(11):
        try:
            await scheduling.booking(codes[i % 3], "000000", conversation="the-guesser")
        except SchedulingProblem as problem:
            statuses.append(problem.status)
    assert statuses == [404] * 9 + [429, 429]
    with pytest.raises(SchedulingProblem) as other:
        await scheduling.booking(codes[1], "000000", conversation="someone-else")
    assert other.value.status == 404 and other.value.problem["tries_left"] >= 1


def test_the_client_key_is_another_opaque_hash_of_the_conversation():
    key = client_key_of("8f3c0e6a-2f64-4c1e-9d3b-conversation")
    assert len(key) == 32 and key != holder_of("8f3c0e6a-2f64-4c1e-9d3b-conversation")
    assert key == client_key_of("8f3c0e6a-2f64-4c1e-9d3b-conversation")
