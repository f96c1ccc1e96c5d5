"""URL map of the backend; ``openapi.py`` must describe exactly these routes."""

from __future__ import annotations

from aiohttp import web

from amtslotse.scheduling.api import views
from amtslotse.scheduling.api.serialize import API_PREFIX


def setup_routes(app: web.Application) -> None:
    r = app.router
    r.add_get("/healthz", views.healthz, name="healthz")
    r.add_get(f"{API_PREFIX}/openapi.json", views.openapi, name="openapi")
    r.add_get(f"{API_PREFIX}/locations", views.locations, name="locations")
    r.add_get(f"{API_PREFIX}/offices", views.offices, name="offices")
    r.add_get(f"{API_PREFIX}/services", views.services, name="services")
    r.add_get(f"{API_PREFIX}/availability", views.availability, name="availability")
    r.add_post(f"{API_PREFIX}/holds", views.create_hold, name="holds")
    r.add_delete(f"{API_PREFIX}/holds/{{hold_id}}", views.release_hold, name="hold_release")
    r.add_post(f"{API_PREFIX}/bookings", views.create_booking, name="bookings")
    r.add_get(f"{API_PREFIX}/bookings/{{code}}", views.get_booking, name="booking")
    r.add_delete(f"{API_PREFIX}/bookings/{{code}}", views.cancel_booking, name="booking_cancel")
    r.add_get(f"{API_PREFIX}/bookings/{{code}}/ics", views.booking_ics, name="booking_ics")
    r.add_get(f"{API_PREFIX}/admin/schedule", views.admin_schedule, name="admin_schedule")
    r.add_post(f"{API_PREFIX}/admin/bookings/lookup", views.admin_lookup, name="admin_lookup")
    r.add_post(f"{API_PREFIX}/admin/bookings/cancel", views.admin_cancel, name="admin_cancel")
    r.add_get(f"{API_PREFIX}/admin/audit", views.admin_audit, name="admin_audit")
