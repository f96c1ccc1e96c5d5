"""Booking over HTTP in one call, for tests whose subject comes after the booking.

It sends the service token itself (as the action server does), so any
client of the app can book, also one made without the fixture's headers.
"""

from __future__ import annotations

import itertools
from typing import Any

from tests.scheduling.conftest import SERVICE_AUTH

_keys = itertools.count(1)
NAME, PHONE, EMAIL = "Erika Geheim", "0340 987654", "erika.geheim@example.org"


async def book(
    client: Any,
    *,
    contact: dict[str, str] | None = None,
    services: tuple[str, ...] = ("wohngeld",),
    **params: str,
) -> dict[str, Any]:
    """Availability, hold, booking: the new booking's JSON (with access_token and pin)."""
    query = [("service", s) for s in services] + [("limit", "1")] + list(params.items())
    resp = await client.get("/api/v1/availability", params=query)
    assert resp.status == 200, await resp.text()
    bundle = (await resp.json())["bundles"][0]
    resp = await client.post(
        "/api/v1/holds", json={"bundle_id": bundle["bundle_id"]}, headers=SERVICE_AUTH
    )
    assert resp.status == 201, await resp.text()
    hold = await resp.json()
    resp = await client.post(
        "/api/v1/bookings",
        headers={**SERVICE_AUTH, "Idempotency-Key": f"journey-key-{next(_keys):08d}"},
        json={"hold_id": hold["hold_id"], "contact": contact or {"name": NAME, "email": EMAIL}},
    )
    assert resp.status == 201, await resp.text()
    return dict(await resp.json())
