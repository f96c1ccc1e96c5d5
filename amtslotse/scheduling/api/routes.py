"""URL map of the backend: one route per operation of ``contract.py``, by its name."""

from __future__ import annotations

from aiohttp import web

from amtslotse.scheduling.api import views
from amtslotse.scheduling.api.contract import OPERATIONS
from amtslotse.scheduling.api.views import Handler

HANDLERS: dict[str, Handler] = {
    "healthz": views.healthz,
    "openapi": views.openapi,
    "locations": views.locations,
    "offices": views.offices,
    "services": views.services,
    "availability": views.availability,
    "createHold": views.create_hold,
    "releaseHold": views.release_hold,
    "createBooking": views.create_booking,
    "getBooking": views.get_booking,
    "cancelBooking": views.cancel_booking,
    "bookingIcs": views.booking_ics,
    "adminSchedule": views.admin_schedule,
    "adminLookupBooking": views.admin_lookup,
    "adminCancelBooking": views.admin_cancel,
    "adminAudit": views.admin_audit,
}


def setup_routes(app: web.Application) -> None:
    resources: dict[str, web.Resource] = {}
    for operation in OPERATIONS:
        # One resource per path: a method it lacks is a 405 with Allow, not a 404.
        resource = resources.get(operation.url) or app.router.add_resource(operation.url)
        resources[operation.url] = resource
        resource.add_route(operation.method, HANDLERS[operation.name])
        if operation.method == "GET":
            resource.add_route("HEAD", HANDLERS[operation.name])  # RFC 9110 9.3.2
