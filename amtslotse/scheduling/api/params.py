"""Parsing of query parameters, JSON bodies, bearer tokens and PINs.

All problems of one request are collected, so a client sees every mistake at
once (``errors`` in the problem document).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from aiohttp import web
from multidict import MultiMapping

from amtslotse.scheduling.access import (
    MAX_CLIENT_KEY,
    Credential,
    PinCredential,
    TokenCredential,
)
from amtslotse.scheduling.domain.model import Daypart
from amtslotse.scheduling.domain.search import MAX_SERVICES
from amtslotse.scheduling.errors import FieldError, InvalidRequest, Unauthorized

MAX_RANGE_DAYS = 62
DEFAULT_RANGE_DAYS = 14
DEFAULT_LIMIT = 20
MAX_LIMIT = 200
_SERVICE_REF = re.compile(r"^[a-z][a-z0-9_]{0,63}(:[a-z][a-z0-9_]{0,63})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AVAILABILITY_PARAMS = {"service", "from", "to", "daypart", "limit"}


@dataclass(frozen=True)
class AvailabilityQuery:
    services: tuple[str, ...]
    first_day: date
    last_day: date
    daypart: Daypart | None
    limit: int


def _single(query: MultiMapping[str], name: str, errors: list[FieldError]) -> str | None:
    values = query.getall(name, [])
    if len(values) > 1:
        errors.append(FieldError(name, "give this parameter at most once"))
        return None
    return values[0] if values else None


def _date(query: MultiMapping[str], name: str, errors: list[FieldError]) -> date | None:
    raw = _single(query, name, errors)
    if raw is None:
        return None
    try:
        if not _DATE.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(FieldError(name, "a date as YYYY-MM-DD"))
        return None


def parse_availability(query: MultiMapping[str], today: date) -> AvailabilityQuery:
    errors: list[FieldError] = []
    for name in sorted(set(query) - _AVAILABILITY_PARAMS):
        errors.append(FieldError(name, "unknown parameter"))
    services = tuple(query.getall("service", []))
    if not 1 <= len(services) <= MAX_SERVICES:
        errors.append(FieldError("service", f"give 1 to {MAX_SERVICES} service parameters"))
    for ref in services:
        if not _SERVICE_REF.match(ref):
            errors.append(FieldError("service", "a service id like 'wohngeld' (or 'id:office')"))
            break
    first_day = _date(query, "from", errors)
    last_day = _date(query, "to", errors)
    start = first_day or today
    end = last_day or (max(start, today) + timedelta(days=DEFAULT_RANGE_DAYS - 1))
    if first_day and last_day and first_day > last_day:
        errors.append(FieldError("from", "'from' is after 'to'"))
    elif (end - start).days + 1 > MAX_RANGE_DAYS:
        errors.append(FieldError("to", f"the range may cover at most {MAX_RANGE_DAYS} days"))
    daypart = None
    raw_daypart = _single(query, "daypart", errors)
    if raw_daypart is not None:
        try:
            daypart = Daypart(raw_daypart)
        except ValueError:
            errors.append(FieldError("daypart", "'vormittag' or 'nachmittag'"))
    limit = DEFAULT_LIMIT
    raw_limit = _single(query, "limit", errors)
    if raw_limit is not None:
        if raw_limit.isdigit() and 1 <= int(raw_limit) <= MAX_LIMIT:
            limit = int(raw_limit)
        else:
            errors.append(FieldError("limit", f"a whole number from 1 to {MAX_LIMIT}"))
    if errors:
        raise InvalidRequest("the query is not valid", errors=errors)
    return AvailabilityQuery(services, start, end, daypart, limit)


def parse_day(query: MultiMapping[str]) -> tuple[str, date]:
    errors: list[FieldError] = []
    office_id = _single(query, "office_id", errors)
    if office_id is None and not errors:
        errors.append(FieldError("office_id", "required"))
    day = _date(query, "date", errors)
    if day is None and not any(e.field == "date" for e in errors):
        errors.append(FieldError("date", "required, as YYYY-MM-DD"))
    if errors or office_id is None or day is None:
        raise InvalidRequest("the query is not valid", errors=errors)
    return office_id, day


async def read_json(request: web.Request) -> Any:
    """The JSON body; raises InvalidRequest for anything that is not JSON.

    ``request.read()`` enforces ``client_max_size`` (413 before parsing).
    """
    raw = await request.read()
    if not raw:
        raise InvalidRequest(
            "the request needs a JSON body", errors=[FieldError("/", "empty body")]
        )
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InvalidRequest(
            "the body is not valid JSON", errors=[FieldError("/", "malformed JSON")]
        ) from None


def bearer_token(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("send 'Authorization: Bearer <token>'")
    return token.strip()


CLIENT_KEY_HEADER = "X-Client-Key"
_CLIENT_KEY = re.compile(rf"^[\x21-\x7e]{{8,{MAX_CLIENT_KEY}}}$")


def credential(request: web.Request) -> Credential:
    """``Authorization: Bearer <access or link token>`` or ``Authorization: PIN <6 digits>``.

    With a PIN the caller names its client in ``X-Client-Key`` (8-128
    printable ASCII characters, e.g. a hash of the conversation); wrong PINs
    are counted per client by it, else by the network peer.
    """
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "pin" and value.strip():
        client = request.headers.get(CLIENT_KEY_HEADER)
        if client is not None and not _CLIENT_KEY.match(client):
            raise InvalidRequest(
                f"the {CLIENT_KEY_HEADER} header is not valid",
                errors=[FieldError(CLIENT_KEY_HEADER, f"8 to {MAX_CLIENT_KEY} printable ASCII")],
            )
        return PinCredential(value.strip(), client or f"peer:{request.remote or 'unknown'}")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthorized("send 'Authorization: Bearer <token>' or 'Authorization: PIN <pin>'")
    return TokenCredential(value.strip())


def parse_audit_query(query: MultiMapping[str]) -> dict[str, Any]:
    """``staff``, ``booking_code``, ``from`` (a day) and ``limit`` of GET /admin/audit."""
    errors: list[FieldError] = []
    for name in sorted(set(query) - {"staff", "booking_code", "from", "limit"}):
        errors.append(FieldError(name, "unknown parameter"))
    staff = _single(query, "staff", errors)
    code = _single(query, "booking_code", errors)
    since = _date(query, "from", errors)
    limit = 100
    raw_limit = _single(query, "limit", errors)
    if raw_limit is not None:
        if raw_limit.isdigit() and 1 <= int(raw_limit) <= 1000:
            limit = int(raw_limit)
        else:
            errors.append(FieldError("limit", "a whole number from 1 to 1000"))
    if errors:
        raise InvalidRequest("the query is not valid", errors=errors)
    return {"staff": staff, "code": code, "since": since, "limit": limit}
