"""JSON shapes of the API (declared in ``api/contract.py``)."""

from __future__ import annotations

from typing import Any

from amtslotse.scheduling.api.contract import API_PREFIX
from amtslotse.scheduling.clock import rfc3339
from amtslotse.scheduling.db.schema import Location, OpeningHours, Service
from amtslotse.scheduling.domain.bundle_id import BundleIds
from amtslotse.scheduling.domain.model import Bundle, Leg, ServiceOption
from amtslotse.scheduling.scheduler import BookingView, HeldBundle, NewBooking, ScheduledLeg
from amtslotse.scheduling.staff import AuditRow

WEEKDAY_KEYS = ("mo", "di", "mi", "do", "fr", "sa", "so")


def leg_json(leg: Leg) -> dict[str, Any]:
    return {
        "service_id": leg.service_id,
        "office_id": leg.office_id,
        "start": rfc3339(leg.start),
        "end": rfc3339(leg.end),
    }


def bundle_json(bundle: Bundle, ids: BundleIds) -> dict[str, Any]:
    return {
        "bundle_id": ids.encode(bundle),
        "location_id": bundle.location_id,
        "start": rfc3339(bundle.start),
        "end": rfc3339(bundle.end),
        "legs": [leg_json(leg) for leg in bundle.legs],
    }


def hold_json(held: HeldBundle, ids: BundleIds) -> dict[str, Any]:
    return {
        "hold_id": held.hold_id,
        "expires_at": rfc3339(held.expires_at),
        "bundle_id": ids.encode(held.bundle),
        "location_id": held.bundle.location_id,
        "legs": [leg_json(leg) for leg in held.bundle.legs],
    }


def booking_json(view: BookingView) -> dict[str, Any]:
    return {
        "booking_code": view.code,
        "status": view.status,
        "location_id": view.location_id,
        "start": rfc3339(view.legs[0].start),
        "end": rfc3339(view.legs[-1].end),
        "legs": [leg_json(leg) for leg in view.legs],
        "contact": view.contact.as_dict() if view.contact else None,
        "created_at": rfc3339(view.created_at),
        "cancelled_at": rfc3339(view.cancelled_at) if view.cancelled_at else None,
        "ics_url": f"{API_PREFIX}/bookings/{view.code}/ics",
    }


def new_booking_json(new: NewBooking) -> dict[str, Any]:
    return {**booking_json(new.booking), "access_token": new.access_token, "pin": new.pin}


def audit_row_json(row: AuditRow) -> dict[str, Any]:
    return {
        "at": rfc3339(row.at),
        "staff_account": row.staff_account,
        "action": row.action,
        "booking_code": row.booking_code,
        "outcome": row.outcome,
    }


def location_json(location: Location, hours: list[OpeningHours]) -> dict[str, Any]:
    weekly: dict[str, list[str]] = {key: [] for key in WEEKDAY_KEYS}
    for span in hours:
        weekly[WEEKDAY_KEYS[span.weekday]].append(
            f"{span.opens.strftime('%H:%M')}-{span.closes.strftime('%H:%M')}"
        )
    return {
        "id": location.id,
        "name": location.name,
        "address": {
            "street": location.street,
            "postcode": location.postcode,
            "city": location.city,
        },
        "appointments": location.appointments,
        "timezone": location.timezone,
        "opening_hours": weekly,
    }


def service_json(service: Service, offers: list[ServiceOption]) -> dict[str, Any]:
    return {
        "id": service.id,
        "name": service.name,
        "walk_in": service.walk_in,
        "bookable": bool(offers),
        "offices": [
            {"office_id": o.office_id, "location_id": o.location_id, "minutes": o.minutes}
            for o in offers
        ],
    }


def scheduled_leg_json(leg: ScheduledLeg) -> dict[str, Any]:
    return {
        "booking_code": leg.booking_code,
        "service_id": leg.service_id,
        "desk_no": leg.desk_no,
        "start": rfc3339(leg.start),
        "end": rfc3339(leg.end),
        "contact": leg.contact.as_dict() if leg.contact else None,
    }
