"""OpenAPI 3.1 description of the scheduling backend, built in code.

Built from small helpers so that shared shapes (a leg, a bundle, a problem)
are written once. ``tests/scheduling/test_openapi.py`` checks that every route
in ``routes.py`` is described here and vice versa, and validates real
responses against these schemas (JSON Schema 2020-12, as OpenAPI 3.1 uses).
"""

from __future__ import annotations

from typing import Any

from amtslotse.scheduling.api.problems import PROBLEM_CONTENT_TYPE

Schema = dict[str, Any]

DATE_TIME = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$",
    "description": "RFC 3339 in Europe/Berlin with its offset",
}
DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
ID = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
HOLD_ID = {
    "type": "string",
    "pattern": "^[0-9a-f]{32}$",
    "description": "128 random bits; whoever knows it may book or release the hold",
}
BOOKING_CODE = {
    "type": "string",
    "pattern": "^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$",
    "example": "K7M4-PQ2X",
}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(
    required: dict[str, Schema], optional: dict[str, Schema] | None = None, description: str = ""
) -> Schema:
    schema: Schema = {
        "type": "object",
        "required": sorted(required),
        "properties": {**required, **(optional or {})},
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


_BOOKING: dict[str, Schema] = {
    "booking_code": BOOKING_CODE,
    "status": {"type": "string", "enum": ["confirmed", "cancelled"]},
    "location_id": ID,
    "start": DATE_TIME,
    "end": DATE_TIME,
    "legs": array(ref("Leg")),
    "contact": nullable(ref("Contact")),
    "created_at": DATE_TIME,
    "cancelled_at": nullable(DATE_TIME),
    "ics_url": {"type": "string"},
}

SCHEMAS: dict[str, Schema] = {
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details, plus extension members.",
        "required": ["type", "title", "status", "detail", "instance"],
        "properties": {
            "type": {"type": "string", "pattern": "^urn:amtslotse:problem:[a-z0-9-]+$"},
            "title": {"type": "string"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "errors": array(obj({"field": {"type": "string"}, "message": {"type": "string"}})),
            "alternatives": array(ref("Bundle")),
            "tries_left": {
                "type": "integer",
                "minimum": 0,
                "description": "wrong PIN: tries before the code (or the client) is locked",
            },
            "retry_after_seconds": {
                "type": "integer",
                "minimum": 1,
                "description": "code-locked, too-many-tries: when to try again",
            },
            "locations": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "service id -> location id (mixed-locations)",
            },
        },
    },
    "Leg": obj({"service_id": ID, "office_id": ID, "start": DATE_TIME, "end": DATE_TIME}),
    "Bundle": obj(
        {
            "bundle_id": {"type": "string", "description": "opaque; pass to POST /holds"},
            "location_id": ID,
            "start": DATE_TIME,
            "end": DATE_TIME,
            "legs": {**array(ref("Leg")), "minItems": 1, "maxItems": 4},
        }
    ),
    "Availability": obj({"bundles": array(ref("Bundle"))}),
    "HoldRequest": obj({"bundle_id": {"type": "string"}}),
    "Hold": obj(
        {
            "hold_id": HOLD_ID,
            "expires_at": DATE_TIME,
            "bundle_id": {"type": "string"},
            "location_id": ID,
            "legs": array(ref("Leg")),
        }
    ),
    "Contact": {
        "type": "object",
        "description": "A name and exactly one of phone or email; nothing else is accepted.",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 100},
            "phone": {"type": "string", "description": "stored as E.164"},
            "email": {"type": "string", "format": "email"},
        },
        "additionalProperties": False,
        "oneOf": [{"required": ["phone"]}, {"required": ["email"]}],
    },
    "BookingRequest": obj({"hold_id": HOLD_ID, "contact": ref("Contact")}),
    "Booking": obj(_BOOKING),
    "NewBooking": obj(
        {
            **_BOOKING,
            "access_token": {
                "type": "string",
                "minLength": 32,
                "description": "shown only here (and on a replay with the same key); keep it",
            },
            "pin": {
                **nullable({"type": "string", "pattern": "^[0-9]{6}$"}),
                "description": "6 digits a person can read out; with the booking code it opens "
                "the booking (Authorization: PIN). Shown only here (and on a replay); the "
                "backend keeps only an HMAC of it. null only on a replay of a booking made "
                "before PINs existed.",
            },
        }
    ),
    "CallerClaim": obj(
        {"booking_code": BOOKING_CODE, "contact": ref("Contact")},
        description="What the caller tells the hotline: the code and the name and phone "
        "or e-mail given when booking. All three must match.",
    ),
    "AuditEntry": obj(
        {
            "at": DATE_TIME,
            "staff_account": {"type": "string"},
            "action": {"type": "string", "enum": ["lookup", "cancel"]},
            "booking_code": nullable(BOOKING_CODE),
            "outcome": {
                "type": "string",
                "enum": ["found", "not_found", "cancelled", "already_cancelled", "begun"],
            },
        },
        description="One look-up or cancel by the hotline. No contact data.",
    ),
    "AuditLog": obj({"entries": array(ref("AuditEntry"))}),
    "Location": obj(
        {
            "id": ID,
            "name": {"type": "string"},
            "address": obj(
                {
                    "street": {"type": "string"},
                    "postcode": {"type": "string"},
                    "city": {"type": "string"},
                }
            ),
            "appointments": {"type": "boolean"},
            "timezone": {"type": "string"},
            "opening_hours": {
                "type": "object",
                "additionalProperties": array(
                    {"type": "string", "pattern": r"^\d{2}:\d{2}-\d{2}:\d{2}$"}
                ),
            },
        }
    ),
    "Office": obj(
        {
            "id": ID,
            "name": {"type": "string"},
            "location_id": ID,
            "desks": {"type": "integer", "minimum": 0},
            "walk_in_only": {"type": "boolean"},
        }
    ),
    "Service": obj(
        {
            "id": ID,
            "name": {"type": "string"},
            "walk_in": {"type": "string", "enum": ["yes", "no", "urgent", "external"]},
            "bookable": {"type": "boolean"},
            "offices": array(
                obj({"office_id": ID, "location_id": ID, "minutes": {"type": "integer"}})
            ),
        }
    ),
    "ScheduledLeg": obj(
        {
            "booking_code": BOOKING_CODE,
            "service_id": ID,
            "desk_no": {"type": "integer", "minimum": 1},
            "start": DATE_TIME,
            "end": DATE_TIME,
            "contact": nullable(ref("Contact")),
        }
    ),
    "Schedule": obj(
        {
            "office_id": ID,
            "date": DATE,
            "generated_at": DATE_TIME,
            "legs": array(ref("ScheduledLeg")),
        }
    ),
}


def _json(schema: Schema, description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _problem(description: str) -> Schema:
    return {
        "description": description,
        "content": {PROBLEM_CONTENT_TYPE: {"schema": ref("Problem")}},
    }


def _query(
    name: str, schema: Schema, description: str, required: bool = False, **extra: Any
) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": schema,
        "description": description,
        **extra,
    }


_CODE = {"name": "code", "in": "path", "required": True, "schema": BOOKING_CODE}
_CLIENT_KEY = {
    "name": "X-Client-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 8, "maxLength": 128},
    "description": "With a PIN: who is trying, for the per-client limit (10 wrong PINs an "
    "hour). Send an opaque hash of the conversation or of the citizen's address, never the "
    "address itself; without it the network peer counts.",
}
_STAFF = {
    "name": "X-Staff-Account",
    "in": "header",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"},
    "description": "the staff member who acts; written to the audit log",
}
_HOLD = {"name": "hold_id", "in": "path", "required": True, "schema": HOLD_ID}
_BEARER: list[dict[str, list[str]]] = [{"bearer": []}]
# A booking opens with its access token, the link token of the e-mails (both bearer) or its PIN.
_BOOKING_ACCESS: list[dict[str, list[str]]] = [{"bearer": []}, {"pin": []}]
_PIN_PROBLEMS = {
    "423": _problem("5 wrong PINs for this code: locked for 15 minutes (Retry-After)"),
    "429": _problem("too many wrong PINs from this client (Retry-After)"),
}
_ADMIN: list[dict[str, list[str]]] = [{"admin": []}]
_BAD = _problem("invalid request (see errors)")
_AUTH = _problem("missing or malformed bearer token")
_NOT_FOUND = _problem("no such booking for this token")


def _paths() -> dict[str, Any]:
    return {
        "/healthz": {
            "servers": [{"url": "/"}],
            "get": {
                "operationId": "healthz",
                "summary": "Readiness (outside /api/v1)",
                "responses": {
                    "200": {
                        "description": "ready",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    },
                    "503": _problem("database not reachable"),
                },
            },
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This document",
                "responses": {"200": _json({"type": "object"}, "OpenAPI 3.1")},
            }
        },
        "/locations": {
            "get": {
                "operationId": "locations",
                "summary": "Locations and hours",
                "responses": {
                    "200": _json(obj({"locations": array(ref("Location"))}), "all locations")
                },
            }
        },
        "/offices": {
            "get": {
                "operationId": "offices",
                "summary": "Offices and their desks",
                "responses": {"200": _json(obj({"offices": array(ref("Office"))}), "all offices")},
            }
        },
        "/services": {
            "get": {
                "operationId": "services",
                "summary": "Services and where to book them",
                "responses": {
                    "200": _json(obj({"services": array(ref("Service"))}), "all services")
                },
            }
        },
        "/availability": {
            "get": {
                "operationId": "availability",
                "summary": "Combined appointments (bundles) for 1-4 services, earliest first",
                "parameters": [
                    _query(
                        "service",
                        {
                            "type": "array",
                            "items": {"type": "string"},
                            "minItems": 1,
                            "maxItems": 4,
                        },
                        "service id, repeated; 'id:office' where several offices offer it",
                        required=True,
                        style="form",
                        explode=True,
                    ),
                    _query("from", DATE, "first day (default today)"),
                    _query("to", DATE, "last day (default from + 13 days; at most 62 days)"),
                    _query(
                        "daypart",
                        {"type": "string", "enum": ["vormittag", "nachmittag"]},
                        "bundles starting before (vormittag) or from (nachmittag) 12:00",
                    ),
                    _query(
                        "limit",
                        {"type": "integer", "minimum": 1, "maximum": 200, "default": 20},
                        "most bundles to return",
                    ),
                ],
                "responses": {
                    "200": _json(ref("Availability"), "bundles, earliest first"),
                    "400": _BAD,
                },
            }
        },
        "/holds": {
            "post": {
                "operationId": "createHold",
                "summary": "Reserve all legs of a bundle for a while",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("HoldRequest")}},
                },
                "responses": {
                    "201": _json(ref("Hold"), "held"),
                    "400": _BAD,
                    "409": _problem("no longer free; see alternatives"),
                    "413": _problem("body too large"),
                },
            }
        },
        "/holds/{hold_id}": {
            "parameters": [_HOLD],
            "delete": {
                "operationId": "releaseHold",
                "summary": "Give a hold's desks back before it expires",
                "description": "For a citizen who declines or wants other times. The hold id "
                "is the only credential. A booking made from the hold is cancelled with "
                "DELETE /bookings/{code} instead.",
                "responses": {
                    "204": {"description": "released; its times are offered again at once"},
                    "404": _problem("no such hold (unknown, expired or released already)"),
                    "409": _problem("the hold has become a booking"),
                },
            },
        },
        "/bookings": {
            "post": {
                "operationId": "createBooking",
                "summary": "Book a hold (idempotent per key)",
                "parameters": [
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string", "minLength": 16, "maxLength": 255},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("BookingRequest")}},
                },
                "responses": {
                    "201": _json(
                        ref("NewBooking"), "booked (or the same booking again for a known key)"
                    ),
                    "400": _BAD,
                    "404": _problem("no such hold"),
                    "409": _problem("hold expired or already booked; see alternatives"),
                    "413": _problem("body too large"),
                    "422": _problem("invalid contact, or the key was used for another request"),
                },
            }
        },
        "/bookings/{code}": {
            "parameters": [_CODE],
            "get": {
                "operationId": "getBooking",
                "summary": "A booking",
                "security": _BOOKING_ACCESS,
                "parameters": [_CLIENT_KEY],
                "responses": {
                    "200": _json(ref("Booking"), "the booking"),
                    "400": _BAD,
                    "401": _AUTH,
                    "404": _NOT_FOUND,
                    **_PIN_PROBLEMS,
                },
            },
            "delete": {
                "operationId": "cancelBooking",
                "summary": "Cancel a booking",
                "security": _BOOKING_ACCESS,
                "parameters": [_CLIENT_KEY],
                "responses": {
                    "200": _json(ref("Booking"), "cancelled (also when it was)"),
                    "400": _BAD,
                    "401": _AUTH,
                    "404": _NOT_FOUND,
                    "409": _problem("the appointment has already begun"),
                    **_PIN_PROBLEMS,
                },
            },
        },
        "/bookings/{code}/ics": {
            "parameters": [_CODE],
            "get": {
                "operationId": "bookingIcs",
                "summary": "The booking as iCalendar",
                "security": _BOOKING_ACCESS,
                "parameters": [_CLIENT_KEY],
                "responses": {
                    "200": {
                        "description": "one VEVENT per leg",
                        "content": {"text/calendar": {"schema": {"type": "string"}}},
                    },
                    "401": _AUTH,
                    "404": _NOT_FOUND,
                },
            },
        },
        "/admin/schedule": {
            "get": {
                "operationId": "adminSchedule",
                "summary": "Booked legs of one office and day",
                "security": _ADMIN,
                "parameters": [
                    _query("office_id", ID, "office", required=True),
                    _query("date", DATE, "local day", required=True),
                ],
                "responses": {
                    "200": _json(ref("Schedule"), "the day's legs"),
                    "400": _BAD,
                    "401": _AUTH,
                    "404": _problem("unknown office"),
                },
            }
        },
        "/admin/bookings/lookup": {
            "post": {
                "operationId": "adminLookupBooking",
                "summary": "The hotline finds a caller's booking by code, name and contact",
                "description": "For a caller without the PIN. A POST so that no name or "
                "contact is in a URL. Every call (found or not) is in the audit log.",
                "security": _ADMIN,
                "parameters": [_STAFF],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("CallerClaim")}},
                },
                "responses": {
                    "200": _json(ref("Booking"), "the booking (with its contact)"),
                    "400": _BAD,
                    "401": _AUTH,
                    "404": _problem("no booking with this code, name and contact"),
                    "422": _problem("invalid contact"),
                },
            }
        },
        "/admin/bookings/cancel": {
            "post": {
                "operationId": "adminCancelBooking",
                "summary": "The hotline cancels for a caller identified by code, name and contact",
                "security": _ADMIN,
                "parameters": [_STAFF],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("CallerClaim")}},
                },
                "responses": {
                    "200": _json(ref("Booking"), "cancelled (also when it was)"),
                    "400": _BAD,
                    "401": _AUTH,
                    "404": _problem("no booking with this code, name and contact"),
                    "409": _problem("the appointment has already begun"),
                    "422": _problem("invalid contact"),
                },
            }
        },
        "/admin/audit": {
            "get": {
                "operationId": "adminAudit",
                "summary": "The hotline's look-ups and cancels, newest first (no contact data)",
                "security": _ADMIN,
                "parameters": [
                    _query("staff", {"type": "string"}, "only this staff account"),
                    _query("booking_code", BOOKING_CODE, "only this booking"),
                    _query("from", DATE, "only from this local day on"),
                    _query(
                        "limit",
                        {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
                        "most entries to return",
                    ),
                ],
                "responses": {
                    "200": _json(ref("AuditLog"), "the entries"),
                    "400": _BAD,
                    "401": _AUTH,
                },
            }
        },
    }


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Amtslotse scheduling backend",
            "version": "1.0.0",
            "description": "Combined appointments at the county's offices. Every error is "
            "application/problem+json (RFC 9457).",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": _paths(),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "access_token from POST /bookings, or the link token in "
                    "the cancel link of the e-mails (/termin/{code}?t=...)",
                },
                "pin": {
                    "type": "http",
                    "scheme": "PIN",
                    "description": "Authorization: PIN <6 digits> (the pin from POST "
                    "/bookings). 5 wrong PINs lock the code for 15 minutes (423); 10 wrong "
                    "PINs an hour block the client (429, see X-Client-Key).",
                },
                "admin": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "AMTSLOTSE_ADMIN_TOKEN",
                },
            },
        },
    }
