"""Request handlers: parse, call the Scheduler, serialise. No business rules here."""

from __future__ import annotations

import hmac

from aiohttp import web
from sqlalchemy import text

from amtslotse.scheduling.api import keys
from amtslotse.scheduling.api.openapi import openapi_document
from amtslotse.scheduling.api.params import (
    bearer_token,
    credential,
    parse_audit_query,
    parse_availability,
    parse_day,
    read_json,
)
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
from amtslotse.scheduling.clock import local_date, local_midnight, rfc3339
from amtslotse.scheduling.errors import FieldError, InvalidRequest, Unauthorized, Unavailable
from amtslotse.scheduling.staff import STAFF_HEADER, CallerClaim, parse_claim, staff_account


def _scheduler(request: web.Request):  # type: ignore[no-untyped-def]
    return request.app[keys.SCHEDULER]


async def healthz(request: web.Request) -> web.Response:
    try:
        async with request.app[keys.DATABASE].reading() as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:  # any database failure means: not ready
        raise Unavailable("the database does not answer") from exc
    return web.Response(text="ok\n")


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(openapi_document())


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
    query = parse_availability(request.query, today=local_date(scheduler.clock()))
    bundles = await scheduler.availability(
        query.services, query.first_day, query.last_day, query.daypart, query.limit
    )
    return web.json_response({"bundles": [bundle_json(b) for b in bundles]})


async def create_hold(request: web.Request) -> web.Response:
    body = await read_json(request)
    if not isinstance(body, dict) or set(body) != {"bundle_id"}:
        raise InvalidRequest(
            'send {"bundle_id": "..."}',
            errors=[FieldError("/bundle_id", "required, and nothing else")],
        )
    held = await _scheduler(request).hold(body["bundle_id"])
    return web.json_response(hold_json(held), status=201)


async def release_hold(request: web.Request) -> web.Response:
    await _scheduler(request).release(request.match_info["hold_id"])
    return web.Response(status=204)


async def create_booking(request: web.Request) -> web.Response:
    body = await read_json(request)
    new = await _scheduler(request).book(body, request.headers.get("Idempotency-Key"))
    headers = {"Idempotent-Replayed": "true"} if new.replayed else None
    return web.json_response(new_booking_json(new), status=201, headers=headers)


async def get_booking(request: web.Request) -> web.Response:
    view = await _scheduler(request).booking(request.match_info["code"], credential(request))
    return web.json_response(booking_json(view))


async def cancel_booking(request: web.Request) -> web.Response:
    view = await _scheduler(request).cancel(request.match_info["code"], credential(request))
    return web.json_response(booking_json(view))


async def booking_ics(request: web.Request) -> web.Response:
    code = request.match_info["code"]
    body = await _scheduler(request).ics(code, credential(request))
    return web.Response(
        body=body,
        content_type="text/calendar",
        charset="utf-8",
        headers={"Content-Disposition": 'attachment; filename="termin.ics"'},
    )


def _require_admin(request: web.Request) -> None:
    token = bearer_token(request)
    expected = request.app[keys.SETTINGS].admin_token
    if not hmac.compare_digest(token.encode(), expected.encode()):
        raise Unauthorized("wrong admin token")


async def admin_schedule(request: web.Request) -> web.Response:
    _require_admin(request)
    office_id, day = parse_day(request.query)
    legs = await _scheduler(request).schedule(office_id, day)
    return web.json_response(
        {
            "office_id": office_id,
            "date": day.isoformat(),
            "generated_at": rfc3339(_scheduler(request).clock()),
            "legs": [scheduled_leg_json(leg) for leg in legs],
        }
    )


async def _staff_claim(request: web.Request) -> tuple[str, CallerClaim]:
    """The admin token, the acting staff member and what the caller said."""
    _require_admin(request)
    staff = staff_account(request.headers.get(STAFF_HEADER))
    return staff, parse_claim(await read_json(request))


async def admin_lookup(request: web.Request) -> web.Response:
    """The hotline finds a caller's booking by code, name and contact (audited)."""
    view = await _scheduler(request).staff_lookup(*await _staff_claim(request))
    return web.json_response(booking_json(view))


async def admin_cancel(request: web.Request) -> web.Response:
    """The hotline cancels for a caller identified by code, name and contact (audited)."""
    view = await _scheduler(request).staff_cancel(*await _staff_claim(request))
    return web.json_response(booking_json(view))


async def admin_audit(request: web.Request) -> web.Response:
    """The staff audit log, newest first; no contact data in it."""
    _require_admin(request)
    query = parse_audit_query(request.query)
    since = local_midnight(query["since"]) if query["since"] is not None else None
    rows = await _scheduler(request).audit_log(
        staff=query["staff"], code=query["code"], since=since, limit=query["limit"]
    )
    return web.json_response({"entries": [audit_row_json(r) for r in rows]})
