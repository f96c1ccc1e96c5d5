"""Checks every request against its operation in ``contract.py`` before the handler runs.

The middleware finds the operation by the route's name, checks the bearer
token the operation's security asks for (or, where the operation allows it,
the shape of a booking's PIN), then the path, query, headers and JSON body,
and hands the handler the checked values (:func:`inputs`).
Authentication comes first: a client without the right token learns nothing
about what a valid request would look like.

All mistakes of one request are reported at once (``errors`` in the problem).
A path parameter that does not fit names no resource: 404, as for an unknown
one.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from multidict import MultiMapping

from amtslotse.scheduling.api import keys
from amtslotse.scheduling.api.contract import (
    ACCESS_TOKEN,
    ADMIN_TOKEN,
    SERVICE_TOKEN,
    Operation,
    operation_for,
)
from amtslotse.scheduling.api.schema import Arr, Context, Issues
from amtslotse.scheduling.domain.pin import normalise_pin
from amtslotse.scheduling.errors import (
    FieldError,
    InvalidRequest,
    NotFound,
    Unauthorized,
    UnsupportedMediaType,
)

# RFC 6750 b64token: what a bearer token may look like at all.
_TOKEN = re.compile(r"[A-Za-z0-9._~+/-]+=*", re.ASCII)
_JSON_TYPE = re.compile(r"application/(?:[a-z0-9.+-]+\+)?json", re.ASCII)
_INPUTS = "amtslotse.inputs"


@dataclass(frozen=True)
class Inputs:
    """The checked request: values by parameter name, the body, the bearer token or PIN.

    ``pin`` (6 digits, normalised) is set instead of ``token`` when the client
    sent ``Authorization: PIN ...`` to an operation that accepts it.
    """

    path: Mapping[str, Any]
    query: Mapping[str, Any]
    headers: Mapping[str, Any]
    body: Any
    token: str | None
    pin: str | None = None


def inputs(request: web.Request) -> Inputs:
    value: Inputs = request[_INPUTS]
    return value


def bearer_token(header: str | None) -> str:
    """The token of an ``Authorization: Bearer ...`` header, or Unauthorized."""
    scheme, _, token = (header or "").partition(" ")
    token = token.strip(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send 'Authorization: Bearer <token>'")
    if not _TOKEN.fullmatch(token):
        raise Unauthorized("this is not a bearer token")
    return token


def _matches(token: str, expected: str) -> bool:
    # Constant time, and an empty setting matches nothing (fail closed).
    return bool(expected) and hmac.compare_digest(token.encode("ascii"), expected.encode("ascii"))


def pin_of(header: str | None) -> str | None:
    """The 6 digits of ``Authorization: PIN 042 817``; None for another scheme.

    A PIN that is not 6 digits is refused here (401), before anything is
    counted: it cannot be anybody's PIN.
    """
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "pin":
        return None
    pin = normalise_pin(value.strip(" "))
    if pin is None:
        raise Unauthorized("send 'Authorization: PIN <6 digits>'")
    return pin


def authorise(operation: Operation, header: str | None, app: web.Application) -> str | None:
    if operation.security is None:
        return None
    token = bearer_token(header)
    settings = app[keys.SETTINGS]
    if operation.security is SERVICE_TOKEN and not _matches(token, settings.service_token):
        raise Unauthorized("wrong service token (SCHEDULING_SERVICE_TOKEN)")
    if operation.security is ADMIN_TOKEN and not _matches(token, settings.admin_token):
        raise Unauthorized("wrong admin token")
    # ACCESS_TOKEN: the booking decides; a wrong token reads as an unknown booking (404).
    assert operation.security in (SERVICE_TOKEN, ADMIN_TOKEN, ACCESS_TOKEN)
    return token


def _reject_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(raw: bytes, content_type: str | None) -> Any:
    """The JSON body (RFC 8259: UTF-8, no NaN); InvalidRequest or UnsupportedMediaType."""
    if content_type:
        media, _, parameters = content_type.partition(";")
        if not _JSON_TYPE.fullmatch(media.strip().lower()):
            raise UnsupportedMediaType("send the body as application/json")
        for parameter in parameters.split(";"):
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in (
                "utf-8",
                "utf8",
            ):
                raise UnsupportedMediaType("send the body as UTF-8 (charset=utf-8)")
    if not raw:
        raise InvalidRequest(
            "the request needs a JSON body", errors=[FieldError("/", "empty body")]
        )
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_reject_constants)
        # A lone surrogate ("\ud800") is valid JSON text but no Unicode string.
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError):
        raise InvalidRequest(
            "the body is not valid JSON", errors=[FieldError("/", "malformed JSON")]
        ) from None
    return body


def check_parameters(
    operation: Operation,
    path: Mapping[str, str],
    query: MultiMapping[str],
    headers: Mapping[str, str],
    ctx: Context,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Path, query and header values by name; raises NotFound or InvalidRequest."""
    issues = Issues()
    found: dict[str, dict[str, Any]] = {"path": {}, "query": {}, "header": {}}
    for param in operation.params:
        if param.where == "path":
            raw = path.get(param.name, "")
            value = param.schema.from_text(raw, param.name, issues, ctx)
            if issues:
                raise NotFound("there is nothing at this address")
            found["path"][param.name] = value
            continue
        if param.where == "header":
            values = [headers[param.name]] if param.name in headers else []
        else:
            values = query.getall(param.name, [])
        if not values:
            if param.required:
                issues.add(param.name, "required")
            continue
        if isinstance(param.schema, Arr) and param.where == "query":
            found["query"][param.name] = param.schema.from_texts(values, param.name, issues, ctx)
        elif len(values) > 1:
            issues.add(param.name, "give this parameter at most once")
        else:
            found[param.where][param.name] = param.schema.from_text(
                values[0], param.name, issues, ctx
            )
    if operation.strict_query:
        declared = {p.name for p in operation.params if p.where == "query"}
        for name in sorted(set(query) - declared):
            issues.add(name, "unknown parameter")
    issues.raise_if_any("the request is not valid")
    return found["path"], found["query"], found["header"]


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def contract_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    resource = request.match_info.route.resource
    operation = operation_for(request.method, resource.canonical) if resource else None
    if operation is None:  # aiohttp's own 404 and 405 answers
        return await handler(request)
    header = request.headers.get("Authorization")
    # A PIN is checked by the booking (and counted), like the access token.
    pin = pin_of(header) if operation.pin else None
    token = authorise(operation, header, request.app) if pin is None else None
    ctx = Context()
    path, query, headers = check_parameters(
        operation, request.match_info, request.query, request.headers, ctx
    )
    body = None
    if operation.body is not None:
        # read() enforces client_max_size (413) before anything is parsed.
        raw = await request.read()
        body = parse_json(raw, request.headers.get("Content-Type"))
        issues = Issues()
        body = operation.body.validate(body, "", issues, ctx)
        issues.raise_if_any("the request body is not valid")
    request[_INPUTS] = Inputs(path, query, headers, body, token, pin)
    return await handler(request)
