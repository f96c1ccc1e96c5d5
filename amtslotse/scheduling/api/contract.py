"""The API's shape, declared once: every operation's parameters, body, security and statuses.

``routes.py`` registers a route for each :data:`OPERATIONS` entry,
``validation.py`` checks each request against it before the handler runs, and
``openapi.py`` renders ``/openapi.json`` from it. A regex, a limit or a status
written here is the one the server enforces and the one the document shows.

Statuses are exact: each operation lists every status it can answer (besides
405 for a method the path does not have, which every path answers with
``Allow``, and 500, which is a bug). Rules that JSON Schema cannot state
(a range of days, services at one location) are in the operation's
description and answer 400 with the field named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from amtslotse.core.contact import (
    MAX_EMAIL_LENGTH,
    MAX_PHONE_LENGTH,
    normalise_email,
    normalise_phone,
)
from amtslotse.scheduling.api.schema import (
    Arr,
    Bool,
    Int,
    Map,
    Named,
    Node,
    Nullable,
    Obj,
    Raw,
    Str,
    date_problem,
)
from amtslotse.scheduling.domain.bundle_id import BUNDLE_ID_PATTERN
from amtslotse.scheduling.domain.codes import (
    BOOKING_CODE_PATTERN,
    HOLD_ID_PATTERN,
    TYPED_CODE_PATTERN,
)
from amtslotse.scheduling.domain.contact import name_problem
from amtslotse.scheduling.domain.idempotency import MAX_KEY_LENGTH, MIN_KEY_LENGTH
from amtslotse.scheduling.domain.lockout import CLIENT_POLICY, CODE_POLICY
from amtslotse.scheduling.domain.search import MAX_SERVICES
from amtslotse.scheduling.errors import FieldError, InvalidBundleId, InvalidContact, InvalidRequest
from amtslotse.scheduling.staff import (
    ALREADY_CANCELLED,
    AUDIT_CANCEL,
    AUDIT_LOOKUP,
    BEGUN,
    CANCELLED,
    FOUND,
    MAX_AUDIT_ROWS,
    NOT_FOUND,
    STAFF_ACCOUNT_PATTERN,
)

API_PREFIX = "/api/v1"
PROBLEM_CONTENT_TYPE = "application/problem+json"

MAX_RANGE_DAYS = 62
DEFAULT_RANGE_DAYS = 14
DEFAULT_LIMIT = 20
MAX_LIMIT = 200
HOLDER_PATTERN = "[A-Za-z0-9_-]{1,64}"
#: X-Client-Key: who tries PINs, opaque (a hash, never an address).
MAX_CLIENT_KEY = 128
CLIENT_KEY_PATTERN = f"[!-~]{{8,{MAX_CLIENT_KEY}}}"
DEFAULT_AUDIT_LIMIT = 100
_ID_PATTERN = "[a-z][a-z0-9_]{0,63}"


def day_range(first: date | None, last: date | None, today: date) -> tuple[date, date]:
    """The days ``/availability`` searches: the rules across 'from' and 'to'.

    JSON Schema cannot compare two parameters, so this is the one place they
    are checked (400, naming the field). Days before today are never
    searched, so they do not count towards the range.
    """
    start = first or today
    # The schema keeps dates within 2000-2099, so this cannot overflow.
    last = last or max(start, today) + timedelta(days=DEFAULT_RANGE_DAYS - 1)
    if start > last:
        raise InvalidRequest(
            "the query is not valid", errors=[FieldError("from", "'from' is after 'to'")]
        )
    if (last - max(start, today)).days + 1 > MAX_RANGE_DAYS:
        raise InvalidRequest(
            "the query is not valid",
            errors=[FieldError("to", f"the range may cover at most {MAX_RANGE_DAYS} days")],
        )
    return start, last


# -- shared shapes -------------------------------------------------------------------


def _email_problem(text: str) -> str | None:
    return None if normalise_email(text) else "not a valid email address"


def _phone_problem(text: str) -> str | None:
    return None if normalise_phone(text) else "not a valid phone number"


# A calendar date of this century: the calendar has nothing before or after, and the
# bound keeps every day's arithmetic far from the ends of ``datetime``.
DAY_PATTERN = "20[0-9]{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"


def day(description: str) -> Str:
    return Str(
        pattern=DAY_PATTERN,
        format="date",
        check_format=date_problem,
        message="a date as YYYY-MM-DD, from 2000 to 2099",
        description=description,
    )


ID = Str(pattern=_ID_PATTERN, message="an id like 'wohngeld'")
DATE_TIME = Str(
    format="date-time",
    pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}",
    description="RFC 3339 in Europe/Berlin with its offset",
)
HOLD_ID = Str(
    pattern=HOLD_ID_PATTERN,
    description="128 random bits; with the service token, whoever knows it may book or "
    "release the hold",
)
BOOKING_CODE = Str(pattern=BOOKING_CODE_PATTERN, example="K7M4-PQ2X")
TYPED_CODE = Str(
    pattern=TYPED_CODE_PATTERN,
    example="K7M4-PQ2X",
    message="a booking code like K7M4-PQ2X",
    description="as issued, or as typed or read out: any case, spaces or dashes between",
)
BUNDLE_ID = Str(
    pattern=BUNDLE_ID_PATTERN,
    max_length=1024,
    message="a bundle_id from GET /availability",
    description="opaque and signed by this backend; pass it to POST /holds as it is",
    problem=InvalidBundleId,
)

LEG = Named("Leg", Obj({"service_id": ID, "office_id": ID, "start": DATE_TIME, "end": DATE_TIME}))
LEGS = Arr(LEG, min_items=1, max_items=MAX_SERVICES)
BUNDLE = Named(
    "Bundle",
    Obj(
        {
            "bundle_id": BUNDLE_ID,
            "location_id": ID,
            "start": DATE_TIME,
            "end": DATE_TIME,
            "legs": LEGS,
        }
    ),
)
CONTACT = Named(
    "Contact",
    Obj(
        required={
            "name": Str(
                min_length=1,
                max_length=100,
                format="person-name",
                check_format=name_problem,
                description="a name: some text that is not blank and has no control characters",
            )
        },
        optional={
            "phone": Str(
                max_length=MAX_PHONE_LENGTH,
                format="phone",
                check_format=_phone_problem,
                description="a phone number (German unless it starts with +); stored as E.164",
            ),
            "email": Str(
                max_length=MAX_EMAIL_LENGTH,
                format="email",
                check_format=_email_problem,
                description="an address that could be delivered to (no DNS lookup)",
            ),
        },
        exactly_one_of=("phone", "email"),
        message="an object with name and phone or email",
        unknown_message="not accepted: only name and phone or email",
        description="A name and exactly one of phone or email; nothing else is accepted.",
        problem=InvalidContact,
    ),
)
_BOOKING_FIELDS: dict[str, Node] = {
    "booking_code": BOOKING_CODE,
    "status": Str(enum=("confirmed", "cancelled")),
    "location_id": ID,
    "start": DATE_TIME,
    "end": DATE_TIME,
    "legs": LEGS,
    "contact": Nullable(CONTACT, description="null once purged"),
    "created_at": DATE_TIME,
    "cancelled_at": Nullable(DATE_TIME),
    "ics_url": Str(),
}
BOOKING = Named("Booking", Obj(_BOOKING_FIELDS))
NEW_BOOKING = Named(
    "NewBooking",
    Obj(
        {
            **_BOOKING_FIELDS,
            "access_token": Str(
                min_length=32,
                description="shown only here (and on a replay with the same key); keep it",
            ),
            "pin": Nullable(
                Str(pattern="[0-9]{6}", example="042817"),
                description="6 digits a person can read out; with the booking code it opens "
                "the booking (Authorization: PIN). Shown only here (and on a replay); the "
                "backend keeps only an HMAC of it. null only on a replay of a booking made "
                "before PINs existed.",
            ),
        }
    ),
)
PROBLEM = Named(
    "Problem",
    Raw(
        {
            "type": "object",
            "description": "RFC 9457 problem details, plus extension members.",
            "required": ["type", "title", "status", "detail", "instance"],
            "properties": {
                "type": {"type": "string", "pattern": "^urn:amtslotse:problem:[a-z0-9-]+$"},
                "title": {"type": "string"},
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "detail": {"type": "string"},
                "instance": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "message"],
                        "properties": {
                            "field": {"type": "string"},
                            "message": {"type": "string"},
                        },
                        "additionalProperties": False,
                    },
                    "description": "each wrong input: query parameter, header or JSON pointer",
                },
                "alternatives": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Bundle"},
                    "description": "free bundles instead (slot-taken, hold-expired)",
                },
                "locations": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "service id -> location id (mixed-locations)",
                },
                "tries_left": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "a wrong PIN: tries before the code (or the client) is locked",
                },
                "retry_after_seconds": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "code-locked, too-many-tries: when to try again (as "
                    "Retry-After)",
                },
            },
        }
    ),
)
LOCATION = Named(
    "Location",
    Obj(
        {
            "id": ID,
            "name": Str(),
            "address": Obj({"street": Str(), "postcode": Str(), "city": Str()}),
            "appointments": Bool(),
            "timezone": Str(),
            "opening_hours": Map(
                Arr(Str(pattern="[0-9]{2}:[0-9]{2}-[0-9]{2}:[0-9]{2}")),
                description="weekday (mo ... so) -> opening spans, local time",
            ),
        }
    ),
)
OFFICE = Named(
    "Office",
    Obj(
        {
            "id": ID,
            "name": Str(),
            "location_id": ID,
            "desks": Int(minimum=0),
            "walk_in_only": Bool(),
        }
    ),
)
SERVICE = Named(
    "Service",
    Obj(
        {
            "id": ID,
            "name": Str(),
            "walk_in": Str(enum=("yes", "no", "urgent", "external")),
            "bookable": Bool(),
            "offices": Arr(Obj({"office_id": ID, "location_id": ID, "minutes": Int(minimum=1)})),
        }
    ),
)
HOLD = Named(
    "Hold",
    Obj(
        {
            "hold_id": HOLD_ID,
            "expires_at": DATE_TIME,
            "bundle_id": BUNDLE_ID,
            "location_id": ID,
            "legs": LEGS,
        }
    ),
)
SCHEDULE = Named(
    "Schedule",
    Obj(
        {
            "office_id": ID,
            "date": day("the local day"),
            "generated_at": DATE_TIME,
            "legs": Arr(
                Named(
                    "ScheduledLeg",
                    Obj(
                        {
                            "booking_code": BOOKING_CODE,
                            "service_id": ID,
                            "desk_no": Int(minimum=1),
                            "start": DATE_TIME,
                            "end": DATE_TIME,
                            "contact": Nullable(CONTACT),
                        }
                    ),
                )
            ),
        }
    ),
)


CALLER_CLAIM = Named(
    "CallerClaim",
    Obj(
        {"booking_code": TYPED_CODE, "contact": CONTACT},
        message='send {"booking_code": "...", "contact": {"name": "...", "phone": "..."}}',
        description="What the caller tells the hotline: the booking code and the name and "
        "phone or e-mail given when booking. All three must match.",
    ),
)
AUDIT_LOG = Named(
    "AuditLog",
    Obj(
        {
            "entries": Arr(
                Named(
                    "AuditEntry",
                    Obj(
                        {
                            "at": DATE_TIME,
                            "staff_account": Str(pattern=STAFF_ACCOUNT_PATTERN),
                            "action": Str(enum=(AUDIT_LOOKUP, AUDIT_CANCEL)),
                            "booking_code": Nullable(BOOKING_CODE),
                            "outcome": Str(
                                enum=(FOUND, NOT_FOUND, CANCELLED, ALREADY_CANCELLED, BEGUN)
                            ),
                        },
                        description="One look-up or cancel by the hotline. No contact data.",
                    ),
                )
            )
        }
    ),
)


# -- operations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    where: str  # "query", "header" or "path"
    schema: Node
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class Response:
    description: str
    schema: Node | None = None
    content_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)  # name -> description
    links: Mapping[str, Mapping[str, object]] = field(default_factory=dict)


@dataclass(frozen=True)
class Security:
    """An HTTP authentication scheme: ``scheme`` names it in the document.

    ``http_scheme`` is the word before the credential in ``Authorization``.
    """

    scheme: str
    description: str
    http_scheme: str = "bearer"


SERVICE_TOKEN = Security("service", "SCHEDULING_SERVICE_TOKEN: only the action server books")
ACCESS_TOKEN = Security(
    "booking",
    "the access_token from POST /bookings, or the link token in the cancel link of the "
    "e-mails (/termin/{code}?t=...)",
)
PIN = Security(
    "pin",
    f"Authorization: PIN <6 digits>: the pin from POST /bookings, as a person reads it out "
    f"(spaces or dashes between the digits are fine). {CODE_POLICY.max_failures} wrong PINs "
    f"lock the code for {CODE_POLICY.lock.seconds // 60} minutes (423); "
    f"{CLIENT_POLICY.max_failures} wrong PINs an hour block the client (429, see "
    "X-Client-Key). The lock holds for the PIN only: the access token and the e-mail link "
    "still open the booking.",
    http_scheme="PIN",
)
ADMIN_TOKEN = Security("admin", "AMTSLOTSE_ADMIN_TOKEN")
SECURITY_SCHEMES = (SERVICE_TOKEN, ACCESS_TOKEN, PIN, ADMIN_TOKEN)


@dataclass(frozen=True)
class Operation:
    name: str  # route name and operationId
    method: str
    path: str  # below API_PREFIX, or the full path where ``prefixed`` is False
    summary: str
    responses: Mapping[int, Response]
    params: tuple[Param, ...] = ()
    body: Node | None = None
    security: Security | None = None
    # The booking's code with its PIN opens it too (Authorization: PIN ...).
    pin: bool = False
    description: str = ""
    prefixed: bool = True
    # Unknown query parameters are an error (a typo should not pass unnoticed).
    strict_query: bool = True

    @property
    def url(self) -> str:
        return f"{API_PREFIX}{self.path}" if self.prefixed else self.path


def _problem(description: str, **headers: str) -> Response:
    return Response(description, PROBLEM, PROBLEM_CONTENT_TYPE, headers)


def _json(description: str, schema: Node, **kw: object) -> Response:
    return Response(description, schema, **kw)  # type: ignore[arg-type]


_BAD_QUERY = _problem("a query parameter is wrong or unknown (see errors)")
_BAD_BODY = _problem(
    "the query, the body or a header is not valid (see errors); the body must be JSON"
)
_UNAVAILABLE = _problem("the database does not answer or stays busy; try again")
_TOO_LARGE = _problem("the body is larger than 16 KiB")
_NOT_JSON = _problem("the body is not application/json (UTF-8)")
_AUTH = _problem(
    "no bearer token, or not the right one",
    **{"WWW-Authenticate": "Bearer realm=amtslotse"},
)
_BOOKING_AUTH = _problem(
    "no bearer token and no PIN, or a PIN that is not 6 digits (a wrong token or PIN is a 404)",
    **{"WWW-Authenticate": "Bearer realm=amtslotse"},
)
_NO_BOOKING = _problem(
    "no booking with this code for this access token or PIN; after a wrong PIN, "
    "'tries_left' says how many tries remain"
)
_CODE_LOCKED = _problem(
    f"{CODE_POLICY.max_failures} wrong PINs for this code: its PIN is locked for "
    f"{CODE_POLICY.lock.seconds // 60} minutes (code-locked; 'detail' is a sentence a "
    "citizen can read)",
    **{"Retry-After": "seconds until the lock ends"},
)
_TOO_MANY_TRIES = _problem(
    f"{CLIENT_POLICY.max_failures} wrong PINs within an hour from this client (too-many-tries)",
    **{"Retry-After": "seconds until the client may try again"},
)
_CLIENT_KEY = Param(
    "X-Client-Key",
    "header",
    Str(pattern=CLIENT_KEY_PATTERN, message=f"8 to {MAX_CLIENT_KEY} printable ASCII characters"),
    description="With a PIN: who is trying, for the per-client limit. Send an opaque hash of "
    "the conversation or of the caller, never an address; without it the network peer counts.",
)
_STAFF = Param(
    "X-Staff-Account",
    "header",
    Str(
        pattern=STAFF_ACCOUNT_PATTERN,
        message="1 to 64 letters, digits, '.', '_', '@' or '-'",
    ),
    required=True,
    description="the staff member who acts; written to the audit log",
)
_NO_CLAIMED_BOOKING = _problem("no booking with this code, name and contact")
_BAD_CONTACT = _problem("the contact is not valid (invalid-contact, see errors)")

_CODE = Param(
    "code",
    "path",
    Str(pattern=TYPED_CODE_PATTERN, example="K7M4-PQ2X"),
    required=True,
    description="as issued, or as typed or read out: any case, spaces or dashes between",
)
_BY_CODE = {"code": "$response.body#/booking_code"}
_CLAIM = {"booking_code": "$response.body#/booking_code", "contact": "$response.body#/contact"}


def _reference(name: str, schema: Node, summary: str) -> Operation:
    return Operation(
        name,
        "GET",
        f"/{name}",
        summary,
        {200: _json(f"all {name}", Obj({name: Arr(schema)})), 400: _BAD_QUERY, 503: _UNAVAILABLE},
    )


def _hotline(
    name: str,
    action: str,
    summary: str,
    ok: Response,
    more: Mapping[int, Response] | None = None,
    *,
    description: str,
) -> Operation:
    """POST /admin/bookings/{action}: the staff member and what the caller said."""
    responses = {
        200: ok,
        400: _BAD_BODY,
        401: _AUTH,
        404: _NO_CLAIMED_BOOKING,
        413: _TOO_LARGE,
        415: _NOT_JSON,
        422: _BAD_CONTACT,
        503: _UNAVAILABLE,
        **(more or {}),
    }
    return Operation(
        name,
        "POST",
        f"/admin/bookings/{action}",
        summary,
        dict(sorted(responses.items())),
        params=(_STAFF,),
        body=CALLER_CLAIM,
        security=ADMIN_TOKEN,
        description=description,
    )


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "healthz",
        "GET",
        "/healthz",
        "Readiness (outside /api/v1)",
        {
            200: Response("ready", Str(), "text/plain"),
            503: _problem("the database does not answer"),
        },
        prefixed=False,
        strict_query=False,  # monitors may add cache busters
    ),
    Operation(
        "openapi",
        "GET",
        "/openapi.json",
        "This document",
        {
            200: _json(
                "OpenAPI 3.1; enums list the catalogue as it is now", Raw({"type": "object"})
            ),
            400: _BAD_QUERY,
            503: _UNAVAILABLE,
        },
    ),
    _reference("locations", LOCATION, "Locations and hours"),
    _reference("offices", OFFICE, "Offices and their desks"),
    _reference("services", SERVICE, "Services and where to book them"),
    Operation(
        "availability",
        "GET",
        "/availability",
        "Combined appointments (bundles) for 1-4 services, earliest first",
        {
            200: _json(
                "bundles, earliest first (none outside the booking horizon)",
                Obj({"bundles": Arr(BUNDLE)}),
                links={
                    "HoldFirstBundle": {
                        "operationId": "createHold",
                        "requestBody": {"bundle_id": "$response.body#/bundles/0/bundle_id"},
                    }
                },
            ),
            400: _problem(
                "a parameter is wrong (see errors): also when the services are at different "
                "locations (mixed-locations, with 'locations'), a service is named twice, "
                "'from' is after 'to', or the range is longer than 62 days"
            ),
            503: _UNAVAILABLE,
        },
        params=(
            Param(
                "service",
                "query",
                Arr(
                    Str(
                        pattern=f"{_ID_PATTERN}(?::{_ID_PATTERN})?",
                        enum_from="service_refs",
                        message="a bookable service id like 'wohngeld' (or 'id:office')",
                    ),
                    min_items=1,
                    max_items=MAX_SERVICES,
                    unique=True,
                    message=f"give 1 to {MAX_SERVICES} service parameters",
                ),
                required=True,
                description="a bookable service, repeated for each; 'id:office' where several "
                "offices offer it. All must be at one location, each named once.",
            ),
            Param("from", "query", day("first day (default today)")),
            Param(
                "to",
                "query",
                day(
                    f"last day (default from + {DEFAULT_RANGE_DAYS - 1} days; not before 'from', "
                    f"at most {MAX_RANGE_DAYS} days in all)"
                ),
            ),
            Param(
                "daypart",
                "query",
                Str(enum=("vormittag", "nachmittag"), message="'vormittag' or 'nachmittag'"),
                description="bundles starting before (vormittag) or from (nachmittag) 12:00",
            ),
            Param(
                "limit",
                "query",
                Int(minimum=1, maximum=MAX_LIMIT, default=DEFAULT_LIMIT),
                description="most bundles to return",
            ),
        ),
    ),
    Operation(
        "createHold",
        "POST",
        "/holds",
        "Reserve all legs of a bundle for a while",
        {
            201: _json(
                "held until expires_at",
                HOLD,
                links={
                    "BookHold": {
                        "operationId": "createBooking",
                        "requestBody": {"hold_id": "$response.body#/hold_id"},
                    },
                    "ReleaseHold": {
                        "operationId": "releaseHold",
                        "parameters": {"hold_id": "$response.body#/hold_id"},
                    },
                },
            ),
            400: _BAD_BODY,
            401: _AUTH,
            404: _problem(
                "no such bundle: the id is not signed by this backend (forged, edited or from "
                "before a key change), or names a service an office no longer offers"
            ),
            409: _problem("no longer free (or no longer bookable); see alternatives"),
            413: _TOO_LARGE,
            415: _NOT_JSON,
            503: _UNAVAILABLE,
        },
        body=Obj(
            required={"bundle_id": BUNDLE_ID},
            optional={
                "holder": Str(
                    pattern=HOLDER_PATTERN,
                    message="1 to 64 characters A-Z, a-z, 0-9, _ or -",
                    description="who holds, opaque (the chat sends a hash of the conversation "
                    "id): each holder has at most one hold; a new one gives the previous back "
                    "in the same transaction",
                )
            },
            message='send {"bundle_id": "..."}',
        ),
        security=SERVICE_TOKEN,
    ),
    Operation(
        "releaseHold",
        "DELETE",
        "/holds/{hold_id}",
        "Give a hold's desks back before it expires",
        {
            204: Response("released; its times are offered again at once"),
            400: _BAD_QUERY,
            401: _AUTH,
            404: _problem("no such hold (unknown, expired or released already)"),
            409: _problem("the hold has become a booking; cancel that instead"),
            503: _UNAVAILABLE,
        },
        params=(Param("hold_id", "path", HOLD_ID, required=True),),
        security=SERVICE_TOKEN,
        description="For a citizen who declines or wants other times. A booking made from "
        "the hold is cancelled with DELETE /bookings/{code} instead.",
    ),
    Operation(
        "createBooking",
        "POST",
        "/bookings",
        "Book a hold (idempotent per key)",
        {
            201: _json(
                "booked (or the same booking again for a known key)",
                NEW_BOOKING,
                headers={"Idempotent-Replayed": "'true' when this answers a repeated key"},
                links={
                    "GetBooking": {"operationId": "getBooking", "parameters": _BY_CODE},
                    "BookingIcs": {"operationId": "bookingIcs", "parameters": _BY_CODE},
                    "CancelBooking": {"operationId": "cancelBooking", "parameters": _BY_CODE},
                    # What a caller tells the hotline: the code and the contact booked with.
                    "HotlineLookup": {"operationId": "adminLookupBooking", "requestBody": _CLAIM},
                    "HotlineCancel": {"operationId": "adminCancelBooking", "requestBody": _CLAIM},
                },
            ),
            400: _BAD_BODY,
            401: _AUTH,
            404: _problem("no such hold"),
            409: _problem("hold expired (see alternatives) or already booked"),
            413: _TOO_LARGE,
            415: _NOT_JSON,
            422: _problem("invalid contact, or the key was used for another request"),
            503: _UNAVAILABLE,
        },
        params=(
            Param(
                "Idempotency-Key",
                "header",
                Str(
                    min_length=MIN_KEY_LENGTH,
                    max_length=MAX_KEY_LENGTH,
                    # Printable ASCII; no space at either end (HTTP strips it anyway).
                    pattern=f"[!-~][ -~]{{{MIN_KEY_LENGTH - 2},{MAX_KEY_LENGTH - 2}}}[!-~]",
                    message="printable ASCII, no space at either end",
                ),
                required=True,
                description="e.g. a random UUID; the same key and body answer the same booking "
                "for a day",
            ),
        ),
        body=Obj(
            {"hold_id": HOLD_ID, "contact": CONTACT}, message="the body must be a JSON object"
        ),
        security=SERVICE_TOKEN,
    ),
    Operation(
        "getBooking",
        "GET",
        "/bookings/{code}",
        "A booking",
        {
            200: _json("the booking (also when cancelled)", BOOKING),
            400: _BAD_QUERY,
            401: _BOOKING_AUTH,
            404: _NO_BOOKING,
            423: _CODE_LOCKED,
            429: _TOO_MANY_TRIES,
            503: _UNAVAILABLE,
        },
        params=(_CODE, _CLIENT_KEY),
        security=ACCESS_TOKEN,
        pin=True,
    ),
    Operation(
        "cancelBooking",
        "DELETE",
        "/bookings/{code}",
        "Cancel a booking",
        {
            200: _json("cancelled (also when it was); the record stays readable", BOOKING),
            400: _BAD_QUERY,
            401: _BOOKING_AUTH,
            404: _NO_BOOKING,
            409: _problem("the appointment has already begun"),
            423: _CODE_LOCKED,
            429: _TOO_MANY_TRIES,
            503: _UNAVAILABLE,
        },
        params=(_CODE, _CLIENT_KEY),
        security=ACCESS_TOKEN,
        pin=True,
        description="A booking with an e-mail address gets a cancellation mail.",
    ),
    Operation(
        "bookingIcs",
        "GET",
        "/bookings/{code}/ics",
        "The booking as iCalendar",
        {
            200: Response(
                "one VEVENT per leg; STATUS:CANCELLED once cancelled",
                Str(),
                "text/calendar",
                {"Content-Disposition": "attachment; filename=termin.ics"},
            ),
            400: _BAD_QUERY,
            401: _BOOKING_AUTH,
            404: _NO_BOOKING,
            423: _CODE_LOCKED,
            429: _TOO_MANY_TRIES,
            503: _UNAVAILABLE,
        },
        params=(_CODE, _CLIENT_KEY),
        security=ACCESS_TOKEN,
        pin=True,
    ),
    Operation(
        "adminSchedule",
        "GET",
        "/admin/schedule",
        "Booked legs of one office and day",
        {
            200: _json("the day's legs", SCHEDULE),
            400: _BAD_QUERY,
            401: _AUTH,
            404: _problem("unknown office"),
            503: _UNAVAILABLE,
        },
        params=(
            Param("office_id", "query", ID, required=True, description="office"),
            Param("date", "query", day("local day"), required=True),
        ),
        security=ADMIN_TOKEN,
    ),
    _hotline(
        "adminLookupBooking",
        "lookup",
        "The hotline finds a caller's booking by code, name and contact",
        _json("the booking, with its contact", BOOKING),
        description="For a caller without the PIN. A POST, so that no name or contact is in "
        "a URL. Every call, found or not, is in the audit log (GET /admin/audit) with the "
        "staff account and the code, never the name or contact.",
    ),
    _hotline(
        "adminCancelBooking",
        "cancel",
        "The hotline cancels for a caller identified by code, name and contact",
        _json("cancelled (also when it was)", BOOKING),
        {409: _problem("the appointment has already begun")},
        description="Audited like the look-up. A booking with an e-mail address gets a "
        "cancellation mail.",
    ),
    Operation(
        "adminAudit",
        "GET",
        "/admin/audit",
        "The hotline's look-ups and cancels, newest first (no contact data)",
        {
            200: _json("the entries", AUDIT_LOG),
            400: _BAD_QUERY,
            401: _AUTH,
            503: _UNAVAILABLE,
        },
        params=(
            Param(
                "staff",
                "query",
                Str(pattern=STAFF_ACCOUNT_PATTERN, message="a staff account name"),
                description="only this staff account",
            ),
            Param("booking_code", "query", TYPED_CODE, description="only this booking"),
            Param("from", "query", day("only from this local day on")),
            Param(
                "limit",
                "query",
                Int(minimum=1, maximum=MAX_AUDIT_ROWS, default=DEFAULT_AUDIT_LIMIT),
                description="most entries to return",
            ),
        ),
        security=ADMIN_TOKEN,
    ),
)

BY_NAME: dict[str, Operation] = {op.name: op for op in OPERATIONS}
#: (method, URL template) -> operation; HEAD is answered like GET.
BY_ROUTE: dict[tuple[str, str], Operation] = {(op.method, op.url): op for op in OPERATIONS}


def operation_for(method: str, url: str) -> Operation | None:
    return BY_ROUTE.get(("GET" if method == "HEAD" else method, url))
