"""The chat card's calendar download with the PIN, through the real portal and backend."""

from __future__ import annotations

import dataclasses

import pytest

from amtslotse.portal.app import create_app as create_portal
from tests.portal.conftest import portal_settings

# The scheduling fixtures: a seeded database per test, a clock the test moves.
from tests.scheduling.conftest import clock, database_url, db, settings  # noqa: F401
from tests.scheduling.journeys import NAME, PHONE, book


@pytest.fixture
async def stack(db, settings, clock, aiohttp_client, aiohttp_server, tmp_path):  # noqa: F811
    from amtslotse.scheduling.app import create_app as create_backend

    backend = await aiohttp_server(create_backend(settings, clock=clock))
    portal_cfg = dataclasses.replace(
        portal_settings(1, tmp_path / "portal"),
        scheduling_url=str(backend.make_url("")).rstrip("/"),
    )
    return await aiohttp_client(backend), await aiohttp_client(create_portal(portal_cfg))


async def test_the_pin_of_the_chat_card_fetches_the_calendar_file(stack):
    backend, portal = stack
    booking = await book(backend, contact={"name": NAME, "phone": PHONE})
    code, pin = booking["booking_code"], booking["pin"]
    resp = await portal.post("/api/booking/ics", data={"code": code, "token": pin})
    assert resp.status == 200 and resp.content_type == "text/calendar"
    assert "BEGIN:VEVENT" in await resp.text()
    # The access token works too (as before PINs).
    resp = await portal.post(
        "/api/booking/ics", data={"code": code, "token": booking["access_token"]}
    )
    assert resp.status == 200


async def test_wrong_pins_at_the_download_lock_the_code_like_anywhere(stack):
    backend, portal = stack
    booking = await book(backend, contact={"name": NAME, "phone": PHONE})
    code, wrong = booking["booking_code"], f"{(int(booking['pin']) + 1) % 1_000_000:06d}"
    statuses = []
    for _ in range(5):
        resp = await portal.post("/api/booking/ics", data={"code": code, "token": wrong})
        statuses.append(resp.status)
    assert statuses == [404, 404, 404, 404, 429]
    problem = await resp.json(content_type="application/problem+json")
    assert "15 Minuten gesperrt" in problem["detail"]
