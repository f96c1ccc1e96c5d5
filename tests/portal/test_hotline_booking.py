"""The hotline cancels a caller's booking by code, name and phone: real portal, real backend.

The agent is logged in (a session of the portal); the portal asks the
backend's admin endpoints with the admin token and the agent's account, and
the backend's audit log names the agent for every look-up and cancel, found
or not, without the caller's name or number.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from amtslotse.portal.app import create_app as create_portal
from amtslotse.portal.auth import CSRF_HEADER, SESSION_COOKIE
from amtslotse.scheduling.app import create_app as create_backend
from tests.portal.conftest import portal_settings, staff_session

# The scheduling fixtures: a seeded database per test, a clock the test moves.
from tests.scheduling.conftest import (  # noqa: F401
    ADMIN_TOKEN,
    clock,
    database_url,
    db,
    settings,
)
from tests.scheduling.journeys import NAME, PHONE, book

AGENT = "agent.mueller"


@pytest.fixture
async def stack(db, settings, clock, aiohttp_client, aiohttp_server, tmp_path):  # noqa: F811
    """(backend client, portal client, the agent's headers) as `amtslotse run` wires them."""
    backend = await aiohttp_server(create_backend(settings, clock=clock))
    base = portal_settings(1, tmp_path / "portal")
    portal_cfg = dataclasses.replace(
        base,
        scheduling_url=str(backend.make_url("")).rstrip("/"),
        scheduling=dataclasses.replace(base.scheduling, admin_token=ADMIN_TOKEN),
    )
    auth, session = await staff_session(tmp_path / "portal", AGENT)
    portal = await aiohttp_client(create_portal(portal_cfg, auth=auth))
    portal.session.cookie_jar.update_cookies({SESSION_COOKIE: session.token})
    return await aiohttp_client(backend), portal, {CSRF_HEADER: session.csrf}


async def _audit(backend) -> list[dict]:  # type: ignore[no-untyped-def]
    resp = await backend.get(
        "/api/v1/admin/audit", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    assert resp.status == 200
    return list((await resp.json())["entries"])


async def _status(backend, booking) -> str:  # type: ignore[no-untyped-def]
    resp = await backend.get(
        f"/api/v1/bookings/{booking['booking_code']}",
        headers={"Authorization": f"Bearer {booking['access_token']}"},
    )
    return str((await resp.json())["status"])


async def test_the_hotline_cancels_by_code_name_and_phone_and_the_audit_has_it(stack):
    backend, portal, agent = stack
    booking = await book(backend, contact={"name": NAME, "phone": PHONE})
    code = booking["booking_code"]
    # As the caller says it on the phone: lower case, no dash, the number written otherwise.
    said = {"booking_code": code.lower().replace("-", " "), "name": "erika geheim"}
    said["contact"] = "+49 340 987654"

    resp = await portal.post("/api/hotline/booking/lookup", json=said, headers=agent)
    assert resp.status == 200, await resp.text()
    found = await resp.json()
    assert found["outcome"] == "found" and found["booking"]["booking_code"] == code
    assert found["booking"]["legs"][0]["office_name"]
    # What the agent reads out: the Leichte Sprache summary, then the question.
    assert found["read_out"][0] == "Das ist Ihr Termin."
    assert found["read_out"][-1] == "Möchten Sie diesen Termin absagen?"
    assert NAME not in json.dumps(found) and "987654" not in json.dumps(found)
    assert await _status(backend, booking) == "confirmed"  # looking up cancels nothing

    resp = await portal.post("/api/hotline/booking/cancel", json=said, headers=agent)
    assert resp.status == 200
    cancelled = await resp.json()
    assert cancelled["outcome"] == "cancelled" and cancelled["booking"]["status"] == "cancelled"
    assert cancelled["read_out"][0] == "Ich habe Ihren Termin abgesagt."
    assert await _status(backend, booking) == "cancelled"

    entries = await _audit(backend)
    assert [
        (e["staff_account"], e["action"], e["booking_code"], e["outcome"]) for e in entries
    ] == [
        (AGENT, "cancel", code, "cancelled"),
        (AGENT, "lookup", code, "found"),
    ]
    for personal in ("Erika", "Geheim", "987654", "+49"):
        assert personal not in json.dumps(entries)


async def test_a_wrong_name_finds_nothing_cancels_nothing_and_is_audited(stack):
    backend, portal, agent = stack
    booking = await book(backend, contact={"name": NAME, "phone": PHONE})
    wrong = {"booking_code": booking["booking_code"], "name": "Erika Anders", "contact": PHONE}
    resp = await portal.post("/api/hotline/booking/cancel", json=wrong, headers=agent)
    assert resp.status == 404
    problem = await resp.json(content_type="application/problem+json")
    assert "Fragen Sie noch einmal nach" in problem["detail"]  # phrased for the agent
    assert await _status(backend, booking) == "confirmed"
    (entry,) = await _audit(backend)
    assert (entry["staff_account"], entry["outcome"]) == (AGENT, "not_found")


async def test_the_agents_input_is_checked_before_the_backend_is_asked(stack):
    backend, portal, agent = stack
    for claim, detail in (
        ({"booking_code": "QX-00000", "name": NAME, "contact": PHONE}, "8 Zeichen"),
        ({"booking_code": "K7M4-PQ2X", "name": "", "contact": PHONE}, "Nach·namen"),
        ({"booking_code": "K7M4-PQ2X", "name": NAME, "contact": "0151 2345678"}, "E-Mail"),
    ):
        resp = await portal.post("/api/hotline/booking/lookup", json=claim, headers=agent)
        assert resp.status == 422
        assert detail in (await resp.json(content_type="application/problem+json"))["detail"]
    resp = await portal.post(
        "/api/hotline/booking/lookup",
        data=b"[" * 5000,
        headers={**agent, "Content-Type": "application/json; charset=foo"},
    )
    assert resp.status == 400
    assert await _audit(backend) == []  # nothing reached the backend


async def test_only_a_logged_in_agent_with_the_csrf_token_may_look_up(stack, aiohttp_client):
    backend, portal, agent = stack
    booking = await book(backend, contact={"name": NAME, "phone": PHONE})
    claim = {"booking_code": booking["booking_code"], "name": NAME, "contact": PHONE}
    resp = await portal.post("/api/hotline/booking/cancel", json=claim)  # no CSRF header
    assert resp.status == 403
    portal.session.cookie_jar.clear()
    resp = await portal.post("/api/hotline/booking/cancel", json=claim, headers=agent)
    assert resp.status == 401
    assert await _status(backend, booking) == "confirmed"
    assert await _audit(backend) == []


async def test_without_the_admin_token_the_console_says_what_is_missing(
    db,  # noqa: F811
    settings,  # noqa: F811
    aiohttp_client,
    aiohttp_server,
    tmp_path,
):
    backend = await aiohttp_server(create_backend(settings))
    portal_cfg = dataclasses.replace(
        portal_settings(1, tmp_path / "portal"),
        scheduling_url=str(backend.make_url("")).rstrip("/"),
    )
    auth, session = await staff_session(tmp_path / "portal", AGENT)
    portal = await aiohttp_client(create_portal(portal_cfg, auth=auth))
    portal.session.cookie_jar.update_cookies({SESSION_COOKIE: session.token})
    claim = {"booking_code": "K7M4-PQ2X", "name": NAME, "contact": PHONE}
    resp = await portal.post(
        "/api/hotline/booking/lookup", json=claim, headers={CSRF_HEADER: session.csrf}
    )
    assert resp.status == 503
    assert (
        "AMTSLOTSE_ADMIN_TOKEN"
        in (await resp.json(content_type="application/problem+json"))["detail"]
    )


async def test_the_console_page_has_the_form_with_labels(stack):
    _, portal, _ = stack
    html = await (await portal.get("/hotline")).text()
    for field in ("lookup-code", "lookup-name", "lookup-contact"):
        assert f'<label for="{field}">' in html and f'id="{field}"' in html
    assert 'id="booking-result"' in html
