"""The hotline helps a caller without the PIN: code, name and phone; every step audited."""

from __future__ import annotations

import json

from tests.scheduling.conftest import ADMIN_TOKEN
from tests.scheduling.journeys import EMAIL, NAME, PHONE, book

PREFIX = "/api/v1"
AGENT = "agent.mueller"
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}", "X-Staff-Account": AGENT}


def _claim(code: str, **contact: str) -> dict:
    return {"booking_code": code, "contact": contact}


async def _audit(client, **params: str) -> list[dict]:
    resp = await client.get(f"{PREFIX}/admin/audit", params=params, headers=ADMIN)
    assert resp.status == 200, await resp.text()
    return (await resp.json())["entries"]


async def test_the_hotline_cancels_by_code_name_and_phone_and_the_audit_has_it(backend, client):
    booking = await book(client, contact={"name": NAME, "phone": PHONE})
    code = booking["booking_code"]
    # As the caller says it: lower case, other spacing, the number written differently.
    said = _claim(code.lower().replace("-", " "), name="erika  geheim", phone="+49 340 987654")
    resp = await client.post(f"{PREFIX}/admin/bookings/lookup", json=said, headers=ADMIN)
    assert resp.status == 200, await resp.text()
    found = await resp.json()
    assert found["booking_code"] == code and found["status"] == "confirmed"

    resp = await client.post(f"{PREFIX}/admin/bookings/cancel", json=said, headers=ADMIN)
    assert resp.status == 200
    assert (await resp.json())["status"] == "cancelled"
    # The desk is free again: the same time is offered.
    resp = await client.get(f"{PREFIX}/availability", params={"service": "wohngeld", "limit": "1"})
    assert (await resp.json())["bundles"][0]["start"] == booking["start"]

    entries = await _audit(client)
    assert [(e["action"], e["outcome"]) for e in entries] == [
        ("cancel", "cancelled"),
        ("lookup", "found"),
    ]
    assert {e["staff_account"] for e in entries} == {AGENT}
    assert {e["booking_code"] for e in entries} == {code}
    text = json.dumps(entries)
    for personal in ("Erika", "Geheim", "987654", "+49"):
        assert personal not in text


async def test_a_wrong_name_or_number_finds_nothing_and_is_audited(client):
    booking = await book(client, contact={"name": NAME, "email": EMAIL})
    code = booking["booking_code"]
    for wrong in (
        _claim(code, name="Erika Anders", email=EMAIL),
        _claim(code, name=NAME, email="someone@example.org"),
        _claim(code, name=NAME, phone=PHONE),
        _claim("ZZZZ-ZZZZ", name=NAME, email=EMAIL),
    ):
        resp = await client.post(f"{PREFIX}/admin/bookings/cancel", json=wrong, headers=ADMIN)
        assert resp.status == 404
    resp = await client.get(
        f"{PREFIX}/bookings/{code}", headers={"Authorization": f"Bearer {booking['access_token']}"}
    )
    assert (await resp.json())["status"] == "confirmed"
    entries = await _audit(client, staff=AGENT)
    assert [e["outcome"] for e in entries] == ["not_found"] * 4
    assert (await _audit(client, booking_code="ZZZZ-ZZZZ"))[0]["action"] == "cancel"
    assert await _audit(client, staff="someone.else") == []


async def test_the_staff_endpoints_need_the_admin_token_and_a_staff_account(client):
    booking = await book(client)
    claim = _claim(booking["booking_code"], name=NAME, email=EMAIL)
    resp = await client.post(
        f"{PREFIX}/admin/bookings/lookup",
        json=claim,
        headers={"Authorization": "Bearer wrong", "X-Staff-Account": AGENT},
    )
    assert resp.status == 401
    resp = await client.post(
        f"{PREFIX}/admin/bookings/lookup",
        json=claim,
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    assert resp.status == 400
    problem = await resp.json(content_type="application/problem+json")
    assert problem["errors"][0]["field"] == "X-Staff-Account"
    resp = await client.post(
        f"{PREFIX}/admin/bookings/lookup",
        json={"booking_code": "no code", "contact": {"name": NAME}, "extra": 1},
        headers=ADMIN,
    )
    assert resp.status == 400
    fields = {
        e["field"] for e in (await resp.json(content_type="application/problem+json"))["errors"]
    }
    # Every mistake at once: the code, the contact without phone or e-mail, the extra field.
    assert fields == {"/booking_code", "/contact", "/extra"}
    assert await _audit(client) == []  # refused requests are no look-ups


async def test_an_appointment_that_has_begun_stays(client, clock):
    booking = await book(client, contact={"name": NAME, "phone": PHONE})
    clock.now = clock.now.replace(year=2030)
    claim = _claim(booking["booking_code"], name=NAME, phone=PHONE)
    resp = await client.post(f"{PREFIX}/admin/bookings/cancel", json=claim, headers=ADMIN)
    assert resp.status == 409
    assert (await _audit(client))[0]["outcome"] == "begun"


async def test_the_purge_drops_old_audit_entries_counters_and_finished_mails(
    client, scheduler, db, clock
):
    from sqlalchemy import func, select

    from amtslotse.scheduling.db.schema import AuditEntry, OutboxMail, PinAttempts

    booking = await book(client)
    claim = _claim(booking["booking_code"], name=NAME, email=EMAIL)
    await client.post(f"{PREFIX}/admin/bookings/lookup", json=claim, headers=ADMIN)
    await client.get(
        f"{PREFIX}/bookings/{booking['booking_code']}",
        headers={"Authorization": "PIN 000000", "X-Client-Key": "purge-test-client"},
    )

    async def count(model) -> int:  # type: ignore[no-untyped-def]
        async with db.reading() as session:
            return int(await session.scalar(select(func.count()).select_from(model)))

    assert (await count(AuditEntry), await count(PinAttempts), await count(OutboxMail)) == (1, 2, 1)
    clock.advance(days=2)
    report = await scheduler.purge(30, audit_days=365)
    assert report.pin_attempts == 2 and report.audit_entries == 0
    assert report.mails == 0  # the confirmation is still pending: it stays
    clock.advance(days=365)
    report = await scheduler.purge(30, audit_days=365)
    assert report.audit_entries == 1 and await count(AuditEntry) == 0
