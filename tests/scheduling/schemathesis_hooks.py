"""Schemathesis hooks for test_schemathesis.py (loaded by ``SCHEMATHESIS_HOOKS``).

Two things the OpenAPI document says in words, not in JSON Schema, get a
generator here, so that "valid" means valid for the fuzzer too:

- the formats this API defines (``phone``, ``person-name``) and what
  ``email`` means here (an address that could be delivered to);
- the rules across ``/availability`` parameters: all services at one
  location, each service named once, ``from`` not after ``to``, at most 62
  days. Only positive cases are held to them; negative cases and the unit
  tests (test_api_errors.py) check that breaking them is a 400;
- the PIN scheme, which schemathesis does not know (only basic and bearer);
- an ``Idempotency-Key`` names one request: reused with another body it is
  a 422 (as the IETF Idempotency-Key draft says; test_api_flow.py checks it),
  so each positive booking case gets a key of its own.

Nothing is excluded from the checks: every check runs on every case.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import requests
import schemathesis
from hypothesis import strategies as st

from amtslotse.core.contact import normalise_phone
from amtslotse.scheduling.api.contract import day_range
from amtslotse.scheduling.domain.contact import name_problem
from amtslotse.scheduling.domain.model import ServiceOption
from amtslotse.scheduling.domain.resolve import resolve_services
from amtslotse.scheduling.errors import InvalidRequest

_KEYS = itertools.count(1)
# The bookable offers of the running backend (GET /services), read once.
_OFFERS: dict[str, list[ServiceOption]] = {}

_NAME_LETTERS = st.characters(whitelist_categories=("Lu", "Ll", "Lo"), max_codepoint=0x2FF)
_names = st.lists(st.text(_NAME_LETTERS, min_size=1, max_size=12), min_size=1, max_size=4).map(
    " ".join
)
_local = st.from_regex(r"[a-z0-9](?:[a-z0-9._-]{0,20}[a-z0-9])?", fullmatch=True).filter(
    lambda s: ".." not in s
)
_domains = st.sampled_from(["example.org", "landkreis.de", "posteo.de", "mail.example.com"])
_phones = st.one_of(
    st.from_regex(r"0340 [1-9][0-9]{5,6}", fullmatch=True),
    st.from_regex(r"0151 [1-9][0-9]{7}", fullmatch=True),
    st.from_regex(r"\+49 30 [1-9][0-9]{7}", fullmatch=True),
).filter(lambda s: normalise_phone(s) is not None)

# Dates of the calendar the API serves (its pattern: 2000-2099), not of all time.
schemathesis.openapi.format(
    "date", st.dates(date(2000, 1, 1), date(2099, 12, 31)).map(date.isoformat)
)
schemathesis.openapi.format("person-name", _names.filter(lambda s: name_problem(s) is None))
schemathesis.openapi.format("phone", _phones)
schemathesis.openapi.format("email", st.builds(lambda a, b: f"{a}@{b}", _local, _domains))
# The PIN scheme (``Authorization: PIN <6 digits>``): schemathesis names the format of an
# HTTP scheme's header ``_<scheme>_auth`` and knows only basic and bearer. PINs as a person
# types them, so that wrong PINs are counted and the 404, 423 and 429 answers are reached.
schemathesis.openapi.format(
    "_pin_auth", st.from_regex(r"PIN [0-9]{3}[ -]?[0-9]{3}", fullmatch=True)
)


def _offers(schema: Any) -> dict[str, list[ServiceOption]]:
    if not _OFFERS:
        base = schema.get_base_url()
        for service in requests.get(f"{base}/services", timeout=10).json()["services"]:
            _OFFERS[service["id"]] = [
                ServiceOption(service["id"], o["office_id"], o["location_id"], o["minutes"])
                for o in service["offices"]
            ]
    return _OFFERS


def _fits_the_rules(query: dict[str, Any], offers: dict[str, list[ServiceOption]]) -> bool:
    """The backend's own rules (resolve_services, day_range) on the generated query."""
    refs = query.get("service")
    refs = [refs] if isinstance(refs, str) else list(refs or [])
    try:
        first = date.fromisoformat(query["from"]) if "from" in query else None
        last = date.fromisoformat(query["to"]) if "to" in query else None
        resolve_services(refs, offers)
        day_range(first, last, datetime.now(ZoneInfo("Europe/Berlin")).date())
    except (TypeError, ValueError):
        return True  # not even a date or a list: the schema decides
    except InvalidRequest:
        return False
    return True


def _positive(case: Any) -> bool:
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_positive


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    if not _positive(case) or case.operation.path != "/availability":
        return True
    return _fits_the_rules(dict(case.query or {}), _offers(case.operation.schema))


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    headers = case.headers or {}
    if _positive(case) and case.operation.path == "/bookings" and "Idempotency-Key" in headers:
        headers["Idempotency-Key"] = f"fuzz-request-{next(_KEYS):012d}"
    return case
