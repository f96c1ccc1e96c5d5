"""App factory and server entry point of the portal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
from aiohttp import web

from amtslotse.portal import views
from amtslotse.portal.middleware import error_middleware, security_headers
from amtslotse.portal.ratelimit import RateLimiter
from amtslotse.settings import Settings

STATIC = Path(__file__).parent / "static"

SETTINGS = web.AppKey("settings", Settings)
HTTP = web.AppKey("http", aiohttp.ClientSession)
LIMITER = web.AppKey("limiter", RateLimiter)

#: Largest chat request body the portal accepts (a message is capped lower, in views).
MAX_BODY_BYTES = 16 * 1024


async def _http_client(app: web.Application) -> AsyncIterator[None]:
    timeout = aiohttp.ClientTimeout(total=30, connect=3)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        app[HTTP] = session
        yield


def create_app(settings: Settings, *, limiter: RateLimiter | None = None) -> web.Application:
    # error_middleware must come first (outermost) so that security headers
    # are also set on the error responses it builds.
    app = web.Application(
        middlewares=[security_headers, error_middleware], client_max_size=MAX_BODY_BYTES
    )
    app[SETTINGS] = settings
    app[LIMITER] = limiter or RateLimiter(per_minute=30, burst=10)
    app.cleanup_ctx.append(_http_client)
    app.router.add_get("/", views.index, name="index")
    app.router.add_get("/widget.js", views.widget_js, name="widget_js")
    app.router.add_get("/widget.css", views.widget_css, name="widget_css")
    app.router.add_post("/api/chat", views.chat, name="chat")
    app.router.add_get("/healthz", views.healthz, name="healthz")
    return app


def serve(settings: Settings, *, host: str, port: int) -> None:
    # No access log: request lines are harmless, but a log of who chatted when
    # is personal data we do not need.
    web.run_app(create_app(settings), host=host, port=port, access_log=None, print=None)
