"""Security headers on every response; errors as problem+json, never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from amtslotse.portal.errors import Problem, problem_response

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# Everything is self-hosted: no inline script, no third-party origin.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'; "
    "object-src 'none'"
)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    return response


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Problem (what handlers raise) and unexpected errors as problem+json."""
    try:
        return await handler(request)
    except Problem as refused:
        return refused.response()
    except web.HTTPRequestEntityTooLarge:
        return problem_response(413, "Request too large")
    except web.HTTPException:
        raise
    except Exception:  # the one place that turns a bug into a 500 without details
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem_response(500, "Internal error")


#: Paths the widget calls from a county's own website (cross-origin).
WIDGET_APIS = frozenset({"/api/chat", "/api/glossary"})


def widget_cors(
    origins: frozenset[str],
) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """CORS for the widget's APIs, for the county websites in ``origins`` only (no cookies)."""

    @web.middleware
    async def cors(request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        allowed = request.path in WIDGET_APIS and origin in origins
        if allowed and request.method == "OPTIONS":
            response: web.StreamResponse = web.Response(status=204)
            response.headers["Access-Control-Allow-Methods"] = "GET, POST"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "600"
        else:
            response = await handler(request)
        if allowed:
            response.headers["Access-Control-Allow-Origin"] = origin or ""
            response.headers["Vary"] = "Origin"
        return response

    return cors
