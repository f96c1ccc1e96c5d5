"""Every error as ``application/problem+json`` (RFC 9457), from one middleware.

Handlers raise domain errors (``errors.py``) or aiohttp's HTTP exceptions; the
middleware maps them to a status and a stable ``type``. Anything unexpected is
logged without request data (it may hold personal data) and answered with a
generic 500 problem, never with a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from amtslotse.scheduling import errors
from amtslotse.scheduling.api import keys
from amtslotse.scheduling.api.contract import PROBLEM_CONTENT_TYPE
from amtslotse.scheduling.api.serialize import bundle_json

log = logging.getLogger(__name__)

TYPE_PREFIX = "urn:amtslotse:problem:"

# Most specific class first is not needed: lookup walks the exception's MRO.
_MAPPING: dict[type[errors.SchedulingError], tuple[int, str]] = {
    errors.InvalidRequest: (400, "invalid-request"),
    errors.UnknownService: (400, "unknown-service"),
    errors.AmbiguousService: (400, "ambiguous-service"),
    errors.MixedLocations: (400, "mixed-locations"),
    errors.InvalidBundleId: (400, "invalid-bundle-id"),
    errors.InvalidContact: (422, "invalid-contact"),
    errors.UnsupportedMediaType: (415, "unsupported-media-type"),
    errors.Unauthorized: (401, "unauthorized"),
    errors.NotFound: (404, "not-found"),
    errors.UnknownBundle: (404, "unknown-bundle"),
    errors.CodeLocked: (423, "code-locked"),
    errors.TooManyTries: (429, "too-many-tries"),
    errors.Conflict: (409, "conflict"),
    errors.SlotTaken: (409, "slot-taken"),
    errors.HoldExpired: (409, "hold-expired"),
    errors.HoldAlreadyBooked: (409, "hold-already-booked"),
    errors.IdempotencyKeyReused: (422, "idempotency-key-reused"),
    errors.Unavailable: (503, "unavailable"),
    errors.SchedulingError: (500, "internal-error"),
}

_HTTP_SLUGS = {
    400: "bad-request",
    404: "not-found",
    405: "method-not-allowed",
    413: "payload-too-large",
    415: "unsupported-media-type",
}


def problem_response(
    status: int,
    slug: str,
    title: str,
    detail: str,
    instance: str,
    extensions: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> web.Response:
    body = {
        "type": TYPE_PREFIX + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        **(extensions or {}),
    }
    return web.Response(
        status=status,
        text=json.dumps(body, ensure_ascii=False),
        content_type=PROBLEM_CONTENT_TYPE,
        charset="utf-8",
        headers=headers,
    )


def _domain_problem(exc: errors.SchedulingError, request: web.Request) -> web.Response:
    status, slug = next(_MAPPING[cls] for cls in type(exc).__mro__ if cls in _MAPPING)
    extensions = exc.extensions()
    if isinstance(exc, errors.SlotTaken):
        ids = request.app[keys.SCHEDULER].bundle_ids
        extensions["alternatives"] = [bundle_json(b, ids) for b in exc.alternatives]
    instance = request.path
    headers = exc.headers()
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="amtslotse"'
    return problem_response(
        status, slug, exc.title, exc.detail, instance, extensions, headers or None
    )


def _http_problem(exc: web.HTTPException, instance: str) -> web.Response:
    headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
    detail = exc.text if exc.text and exc.text != f"{exc.status}: {exc.reason}" else exc.reason
    if exc.status == 413:
        detail = "the request body is too large"
    slug = _HTTP_SLUGS.get(exc.status, f"http-{exc.status}")
    return problem_response(exc.status, slug, exc.reason, detail, instance, headers=headers)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def problem_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    # The instance is the path only: query strings may carry personal data.
    instance = request.path
    try:
        return await handler(request)
    except errors.SchedulingError as exc:
        return _domain_problem(exc, request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        return _http_problem(exc, instance)
    except asyncio.CancelledError:
        raise
    except Exception:
        route = request.match_info.route.resource
        where = route.canonical if route is not None else "?"
        log.exception("unexpected error in %s %s", request.method, where)
        return problem_response(
            500,
            "internal-error",
            "Internal error",
            "something went wrong on our side; please try again",
            instance,
        )
