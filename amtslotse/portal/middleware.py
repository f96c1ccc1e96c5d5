"""What every request and response passes: the real client, errors, security headers, CORS.

Order in the app (outermost first), and why:

1. :func:`forwarded`: behind a trusted reverse proxy, the request is
   re-made with the real client address and scheme (https whenever the
   public address is) before anything reads them (rate limits,
   ``request.secure`` for Secure cookies).
2. :func:`widget_cors`: CORS headers also on the widget's error answers.
3. :func:`error_middleware`: :class:`Problem` and every HTTP error
   (404, 405, 413, ...) as problem+json (RFC 9457), a bug as a 500 without
   details; redirects pass through.

Security headers are not a middleware: :func:`security_headers` runs on
``on_response_prepare``, which every response passes (redirects raised as
HTTPException, errors, files), so no path can skip them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from amtslotse.portal.clients import Proxies
from amtslotse.portal.errors import Problem, problem_response

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Middleware = Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]

# Everything is self-hosted: no inline script, no third-party origin.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'; "
    "object-src 'none'"
)
#: One year; no includeSubDomains: other hosts of the county may still serve http.
HSTS = "max-age=31536000"

_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def security_headers(*, hsts: bool) -> Callable[[web.Request, web.StreamResponse], Awaitable[None]]:
    """An ``on_response_prepare`` handler; ``hsts`` when the public address is https."""
    headers = {**_HEADERS, **({"Strict-Transport-Security": HSTS} if hsts else {})}

    async def add(request: web.Request, response: web.StreamResponse) -> None:
        for name, value in headers.items():
            response.headers.setdefault(name, value)

    return add


def forwarded(proxies: Proxies, *, public_https: bool) -> Middleware:
    """Requests carry the real client's address and scheme.

    From a trusted proxy, as it forwarded them; and when the public address
    is https (a TLS proxy in front), every request counts as https, so that
    ``request.secure`` (Secure cookies) holds whatever the proxy says.
    """

    @web.middleware
    async def real_client(request: web.Request, handler: Handler) -> web.StreamResponse:
        remote, scheme = request.remote, request.scheme
        if proxies:
            client = proxies.client(remote, scheme, request.headers)
            remote, scheme = client.remote or remote, client.scheme
        if public_https:
            scheme = "https"
        if (remote, scheme) == (request.remote, request.scheme):
            return await handler(request)
        if remote is None:
            return await handler(request.clone(scheme=scheme))
        return await handler(request.clone(remote=remote, scheme=scheme))

    return real_client


#: What a citizen or an agent reads when the portal refuses a request itself.
_HTTP_DETAILS = {
    404: "Diese Seite gibt es nicht.",
    405: "Diese Adresse kann das nicht.",
    413: "Die Nachricht ist zu lang. Bitte schreiben Sie kürzer.",
}


def http_problem(exc: web.HTTPException) -> web.Response:
    """An aiohttp HTTP error (4xx/5xx) as problem+json; keeps ``Allow`` of a 405."""
    response = problem_response(exc.status, exc.reason, _HTTP_DETAILS.get(exc.status, ""))
    if "Allow" in exc.headers:
        response.headers["Allow"] = exc.headers["Allow"]
    return response


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Problem (what handlers raise), HTTP errors and unexpected errors as problem+json."""
    try:
        return await handler(request)
    except Problem as refused:
        return refused.response()
    except web.HTTPException as exc:
        if exc.status < 400:
            raise  # a redirect
        return http_problem(exc)
    except Exception:  # the one place that turns a bug into a 500 without details
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem_response(500, "Internal error")


#: Paths the widget calls from a county's own website (cross-origin).
WIDGET_APIS = frozenset({"/api/chat", "/api/feedback", "/api/glossary"})


def widget_cors(origins: frozenset[str]) -> Middleware:
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
