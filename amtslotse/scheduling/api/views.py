"""Request handlers: take the checked inputs, call the Scheduler, serialise. No rules here.

``validation.py`` has checked the token, parameters and body against the
operation in ``contract.py`` before a handler runs; :func:`inputs` hands over
the checked values.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from aiohttp import web
from sqlalchemy import text

from amtslotse.scheduling.access import Credential, PinCredential, TokenCredential
from amtslotse.scheduling.api import keys
from amtslotse.scheduling.api.contract import DEFAULT_AUDIT_LIMIT, DEFAULT_LIMIT, day_range
from amtslotse.scheduling.api.openapi import openapi_document
from amtslotse.scheduling.api.serialize import (
    audit_row_json,
    booking_json,
    bundle_json,
    hold_json,
    location_json,
    new_booking_json,
    scheduled_leg_json,
    service_json,
)
from amtslotse.scheduling.api.validation import inputs
from amtslotse.scheduling.clock import local_date, local_midnight, rfc3339
from amtslotse.scheduling.domain.codes import normalise_booking_code
from amtslotse.scheduling.domain.model import Daypart
from amtslotse.scheduling.errors import Unavailable
from amtslotse.scheduling.scheduler import Scheduler
from amtslotse.scheduling.staff import parse_claim

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _scheduler(request: web.Request) -> Scheduler:
    return request.app[keys.SCHEDULER]


async def healthz(request: web.Request) -> web.Response:
    try:
        async with request.app[keys.DATABASE].reading() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:  # any database failure means: not ready
        raise Unavailable("the database does not answer") from exc
    return web.Response(text="ok\n")


async def openapi(request: web.Request) -> web.Response:
    refs = await _scheduler(request).service_refs()
    return web.json_response(openapi_document({"service_refs": refs}))


async def locations(request: web.Request) -> web.Response:
    rows = await _scheduler(request).locations()
    return web.json_response({"locations": [location_json(loc, hours) for loc, hours in rows]})


async def offices(request: web.Request) -> web.Response:
    rows = await _scheduler(request).offices()
    return web.json_response(
        {
            "offices": [
                {
                    "id": o.id,
                    "name": o.name,
                    "location_id": o.location_id,
                    "desks": o.desks,
                    "walk_in_only": o.desks == 0,
                }
                for o in rows
            ]
        }
    )


async def services(request: web.Request) -> web.Response:
    rows = await _scheduler(request).services()
    return web.json_response({"services": [service_json(s, offers) for s, offers in rows]})


async def availability(request: web.Request) -> web.Response:
    scheduler = _scheduler(request)
    query = inputs(request).query
    first = date.fromisoformat(query["from"]) if "from" in query else None
    last = date.fromisoformat(query["to"]) if "to" in query else None
    first_day, last_day = day_range(first, last, local_date(scheduler.clock()))
    daypart = Daypart(query["daypart"]) if "daypart" in query else None
    bundles = await scheduler.availability(
        query["service"], first_day, last_day, daypart, query.get("limit", DEFAULT_LIMIT)
    )
    ids = scheduler.bundle_ids
    return web.json_response({"bundles": [bundle_json(b, ids) for b in bundles]})


async def create_hold(request: web.Request) -> web.Response:
    body = inputs(request).body
    scheduler = _scheduler(request)
    held = await scheduler.hold(body["bundle_id"], holder=body.get("holder"))
    return web.json_response(hold_json(held, scheduler.bundle_ids), status=201)


async def release_hold(request: web.Request) -> web.Response:
    await _scheduler(request).release(inputs(request).path["hold_id"])
    return web.Response(status=204)


async def create_booking(request: web.Request) -> web.Response:
    checked = inputs(request)
    new = await _scheduler(request).book(checked.body, checked.headers["Idempotency-Key"])
    headers = {"Idempotent-Replayed": "true"} if new.replayed else None
    return web.json_response(new_booking_json(new), status=201, headers=headers)


def _code_and_credential(request: web.Request) -> tuple[str, Credential]:
    """The code and what opens it: a token, or the PIN with who is trying."""
    checked = inputs(request)
    code = checked.path["code"]
    if checked.pin is not None:
        # Wrong PINs count per client: the one it names, else the network peer.
        client = checked.headers.get("X-Client-Key") or f"peer:{request.remote or 'unknown'}"
        return code, PinCredential(checked.pin, client)
    assert checked.token is not None  # the operation's security asks for one
    return code, TokenCredential(checked.token)


async def get_booking(request: web.Request) -> web.Response:
    view = await _scheduler(request).booking(*_code_and_credential(request))
    return web.json_response(booking_json(view))


async def cancel_booking(request: web.Request) -> web.Response:
    view = await _scheduler(request).cancel(*_code_and_credential(request))
    return web.json_response(booking_json(view))


async def booking_ics(request: web.Request) -> web.Response:
    body = await _scheduler(request).ics(*_code_and_credential(request))
    return web.Response(
        body=body,
        content_type="text/calendar",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="termin.ics"'},
    )


async def admin_schedule(request: web.Request) -> web.Response:
    query = inputs(request).query
    office_id, day = query["office_id"], date.fromisoformat(query["date"])
    scheduler = _scheduler(request)
    legs = await scheduler.schedule(office_id, day)
    return web.json_response(
        {
            "office_id": office_id,
            "date": day.isoformat(),
            "generated_at": rfc3339(scheduler.clock()),
            "legs": [scheduled_leg_json(leg) for leg in legs],
        }
    )


async def admin_lookup(request: web.Request) -> web.Response:
    """The hotline finds a caller's booking by code, name and contact (audited)."""
    checked = inputs(request)
    view = await _scheduler(request).staff_lookup(
        checked.headers["X-Staff-Account"], parse_claim(checked.body)
    )
    return web.json_response(booking_json(view))


async def admin_cancel(request: web.Request) -> web.Response:
    """The hotline cancels for a caller identified by code, name and contact (audited)."""
    checked = inputs(request)
    view = await _scheduler(request).staff_cancel(
        checked.headers["X-Staff-Account"], parse_claim(checked.body)
    )
    return web.json_response(booking_json(view))


async def admin_audit(request: web.Request) -> web.Response:
    """The staff audit log, newest first; no contact data in it."""
    query = inputs(request).query
    since = local_midnight(date.fromisoformat(query["from"])) if "from" in query else None
    code = normalise_booking_code(query["booking_code"]) if "booking_code" in query else None
    rows = await _scheduler(request).audit_log(
        staff=query.get("staff"),
        code=code,
        since=since,
        limit=query.get("limit", DEFAULT_AUDIT_LIMIT),
    )
    return web.json_response({"entries": [audit_row_json(r) for r in rows]})
