"""The PIN over HTTP: shown once, opens and cancels the booking, 5 wrong tries lock the code."""

from __future__ import annotations

import asyncio
import logging

import jsonschema
from aiohttp.test_utils import TestServer

from amtslotse.scheduling.api.access_log import RouteAccessLogger
from amtslotse.scheduling.api.openapi import openapi_document
from amtslotse.scheduling.app import create_app
from amtslotse.scheduling.domain.pin import link_token
from tests.scheduling.journeys import NAME, PHONE, book

PREFIX = "/api/v1"


def _pin(pin: str, client_key: str = "conversation-hash-0001") -> dict[str, str]:
    return {"Authorization": f"PIN {pin}", "X-Client-Key": client_key}


def _wrong(pin: str) -> str:
    return f"{(int(pin) + 1) % 1_000_000:06d}"


def _problem_fits(body: dict) -> None:
    doc = openapi_document()
    schema = {**doc["components"]["schemas"]["Problem"], "components": doc["components"]}
    jsonschema.validate(body, schema)


async def test_the_booking_answer_has_a_pin_that_opens_and_cancels(backend, client):
    booking = await book(client)
    code, pin = booking["booking_code"], booking["pin"]
    assert len(pin) == 6 and pin.isdigit()
    resp = await client.get(f"{PREFIX}/bookings/{code}", headers=_pin(pin))
    assert resp.status == 200 and (await resp.json())["status"] == "confirmed"
    # Typed with a space, as read out on the phone.
    spaced = f"{pin[:3]} {pin[3:]}"
    resp = await client.get(f"{PREFIX}/bookings/{code}/ics", headers=_pin(spaced))
    assert resp.status == 200 and resp.content_type == "text/calendar"
    resp = await client.delete(f"{PREFIX}/bookings/{code}", headers=_pin(pin))
    assert resp.status == 200 and (await resp.json())["status"] == "cancelled"


async def test_a_replay_with_the_same_key_shows_the_same_pin(client):
    resp = await client.get(f"{PREFIX}/availability", params={"service": "wohngeld", "limit": "1"})
    bundle = (await resp.json())["bundles"][0]
    hold = await (
        await client.post(f"{PREFIX}/holds", json={"bundle_id": bundle["bundle_id"]})
    ).json()
    body = {"hold_id": hold["hold_id"], "contact": {"name": NAME, "phone": PHONE}}
    headers = {"Idempotency-Key": "pin-replay-key-0001"}
    first = await (await client.post(f"{PREFIX}/bookings", json=body, headers=headers)).json()
    again = await client.post(f"{PREFIX}/bookings", json=body, headers=headers)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert (await again.json())["pin"] == first["pin"]


async def test_five_wrong_pins_lock_the_code_for_fifteen_minutes(backend, client, clock, settings):
    booking = await book(client)
    code, pin = booking["booking_code"], booking["pin"]
    for left in (4, 3, 2, 1):
        resp = await client.get(f"{PREFIX}/bookings/{code}", headers=_pin(_wrong(pin)))
        assert resp.status == 404
        problem = await resp.json(content_type="application/problem+json")
        assert problem["tries_left"] == left
        _problem_fits(problem)
    resp = await client.delete(f"{PREFIX}/bookings/{code}", headers=_pin(_wrong(pin)))
    assert resp.status == 423
    assert resp.headers["Retry-After"] == "900"
    problem = await resp.json(content_type="application/problem+json")
    assert problem["type"] == "urn:amtslotse:problem:code-locked"
    assert "15 Minuten gesperrt" in problem["detail"]
    _problem_fits(problem)
    # Locked means locked: the right PIN from another client is refused too ...
    resp = await client.delete(f"{PREFIX}/bookings/{code}", headers=_pin(pin, "another-client-01"))
    assert resp.status == 423
    # ... but the e-mail link and the access token still work for the citizen.
    token = link_token(settings.secret_key, code, None)  # wrong salt: not a valid link
    resp = await client.get(
        f"{PREFIX}/bookings/{code}", headers={"Authorization": f"Bearer {token}"}
    )
    assert resp.status == 404
    resp = await client.get(
        f"{PREFIX}/bookings/{code}",
        headers={"Authorization": f"Bearer {booking['access_token']}"},
    )
    assert resp.status == 200 and (await resp.json())["status"] == "confirmed"
    clock.advance(minutes=14, seconds=59)
    assert (await client.get(f"{PREFIX}/bookings/{code}", headers=_pin(pin))).status == 423
    clock.advance(seconds=1)
    resp = await client.delete(f"{PREFIX}/bookings/{code}", headers=_pin(pin))
    assert resp.status == 200 and (await resp.json())["status"] == "cancelled"


async def test_unknown_codes_lock_the_same_way(client):
    for _ in range(4):
        resp = await client.get(f"{PREFIX}/bookings/ZZZZ-ZZZZ", headers=_pin("123456"))
        assert resp.status == 404
    assert (await client.get(f"{PREFIX}/bookings/ZZZZ-ZZZZ", headers=_pin("123456"))).status == 423


async def test_a_right_pin_clears_the_count(client):
    booking = await book(client)
    code, pin = booking["booking_code"], booking["pin"]
    for _ in range(4):
        await client.get(f"{PREFIX}/bookings/{code}", headers=_pin(_wrong(pin)))
    assert (await client.get(f"{PREFIX}/bookings/{code}", headers=_pin(pin))).status == 200
    resp = await client.get(f"{PREFIX}/bookings/{code}", headers=_pin(_wrong(pin)))
    assert (await resp.json(content_type="application/problem+json"))["tries_left"] == 4


async def test_one_client_may_guess_ten_times_an_hour(client, clock):
    # Four codes, so that no code gets five wrong tries: only the client limit acts.
    codes = [(await book(client))["booking_code"] for _ in range(4)]
    statuses = []
    for i in range(11):
        resp = await client.get(
            f"{PREFIX}/bookings/{codes[i % 4]}", headers=_pin("000000", "guessing-client-1")
        )
        statuses.append(resp.status)
    assert statuses[:9] == [404] * 9
    assert statuses[9:] == [429, 429]
    resp = await client.get(
        f"{PREFIX}/bookings/{codes[0]}", headers=_pin("000000", "guessing-client-1")
    )
    assert resp.status == 429 and int(resp.headers["Retry-After"]) <= 3600
    assert (
        await client.get(f"{PREFIX}/bookings/{codes[1]}", headers=_pin("000000", "someone-else-1"))
    ).status == 404
    clock.advance(hours=1)
    assert (
        await client.get(
            f"{PREFIX}/bookings/{codes[3]}", headers=_pin("000000", "guessing-client-1")
        )
    ).status == 404


async def test_a_malformed_client_key_is_a_clear_400(client):
    resp = await client.get(
        f"{PREFIX}/bookings/ZZZZ-ZZZZ", headers={"Authorization": "PIN 123456", "X-Client-Key": "x"}
    )
    assert resp.status == 400
    problem = await resp.json(content_type="application/problem+json")
    assert problem["errors"][0]["field"] == "X-Client-Key"


async def test_parallel_guesses_are_all_counted(backend, db, settings, clock, aiohttp_client):
    """Two backend instances, twelve wrong PINs at once: exactly five count, the rest are locked."""
    first = await aiohttp_client(create_app(settings, clock=clock))
    second = await aiohttp_client(create_app(settings, clock=clock))
    booking = await book(first)
    code, wrong = booking["booking_code"], _wrong(booking["pin"])
    answers = await asyncio.gather(
        *(
            (first if i % 2 else second).get(
                f"{PREFIX}/bookings/{code}", headers=_pin(wrong, f"parallel-client-{i:02d}")
            )
            for i in range(12)
        )
    )
    statuses = sorted(r.status for r in answers)
    assert statuses == [404] * 4 + [423] * 8


async def test_pins_and_tokens_stay_out_of_the_log(db, settings, clock, aiohttp_client, caplog):
    caplog.set_level(logging.DEBUG)
    server = TestServer(create_app(settings, clock=clock))
    # The backend's own access log, as in serve(); aiohttp_client would use the default.
    await server.start_server(access_log_class=RouteAccessLogger)
    client = await aiohttp_client(server)
    booking = await book(client)
    code, pin = booking["booking_code"], booking["pin"]
    for _ in range(6):
        await client.get(f"{PREFIX}/bookings/{code}", headers=_pin(_wrong(pin)))
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "GET /api/v1/bookings/{code} 423" in text
    for secret in (code, pin, _wrong(pin), booking["access_token"], "conversation-hash-0001"):
        assert secret not in text
