"""Personal data stays out of logs; the access log names routes, not URLs."""

from __future__ import annotations

import logging

from aiohttp.test_utils import TestServer

from amtslotse.scheduling.api.access_log import RouteAccessLogger
from amtslotse.scheduling.app import create_app
from tests.scheduling.conftest import SERVICE_AUTH

NAME, PHONE = "Erika Geheim", "0340 987654"


async def test_booking_journey_logs_no_personal_data(aiohttp_client, db, settings, clock, caplog):
    caplog.set_level(logging.DEBUG)
    server = TestServer(create_app(settings, clock=clock))
    # Started here because aiohttp_client would start it with the default logger.
    await server.start_server(access_log_class=RouteAccessLogger)
    client = await aiohttp_client(server, headers=SERVICE_AUTH)
    resp = await client.get("/api/v1/availability", params={"service": "wohngeld", "limit": "1"})
    bundle = (await resp.json())["bundles"][0]
    hold = await (
        await client.post("/api/v1/holds", json={"bundle_id": bundle["bundle_id"]})
    ).json()
    resp = await client.post(
        "/api/v1/bookings",
        headers={"Idempotency-Key": "privacy-key-000001"},
        json={"hold_id": hold["hold_id"], "contact": {"name": NAME, "phone": PHONE}},
    )
    booking = await resp.json()
    code, token = booking["booking_code"], booking["access_token"]
    await client.get(f"/api/v1/bookings/{code}", headers={"Authorization": f"Bearer {token}"})
    await client.post("/api/v1/bookings", data=b"{broken", headers={"Idempotency-Key": "x" * 16})
    await client.delete(f"/api/v1/holds/{hold['hold_id']}")  # booked: 409
    resp = await client.get("/api/v1/availability", params={"service": "wohngeld", "limit": "1"})
    bundle = (await resp.json())["bundles"][0]
    other = await (
        await client.post("/api/v1/holds", json={"bundle_id": bundle["bundle_id"]})
    ).json()
    assert (await client.delete(f"/api/v1/holds/{other['hold_id']}")).status == 204

    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "GET /api/v1/bookings/{code} 200" in text  # the access log is on ...
    assert "DELETE /api/v1/holds/{hold_id} 204" in text
    for secret in (NAME, "Geheim", "+49340987654", code, token, hold["hold_id"], other["hold_id"]):
        assert secret not in text  # ... and carries none of these
