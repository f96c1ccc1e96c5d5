"""App factory and server entry point of the portal."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from string import Template

import aiohttp
from aiohttp import web

from amtslotse.portal import staff_views, views
from amtslotse.portal.auth import Auth, auth_from_config
from amtslotse.portal.content import PortalContent, load_content
from amtslotse.portal.middleware import error_middleware, security_headers, widget_cors
from amtslotse.portal.ratelimit import RateLimiter
from amtslotse.settings import Settings

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"

SETTINGS = web.AppKey("settings", Settings)
HTTP = web.AppKey("http", aiohttp.ClientSession)
LIMITER = web.AppKey("limiter", RateLimiter)
LOGIN_LIMITER = web.AppKey("login_limiter", RateLimiter)
AUTH = web.AppKey("auth", Auth)
CONTENT = web.AppKey("content", PortalContent)
PAGES = web.AppKey("pages", dict[str, Template])

#: Largest chat request body the portal accepts (a message is capped lower, in views).
MAX_BODY_BYTES = 16 * 1024


async def _http_client(app: web.Application) -> AsyncIterator[None]:
    timeout = aiohttp.ClientTimeout(total=30, connect=3)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        app[HTTP] = session
        yield


async def _content(app: web.Application) -> AsyncIterator[None]:
    """Catalogue and glossary once per start; the checker gets one thread of its own."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checker")
    try:
        app[CONTENT] = await asyncio.to_thread(load_content, app[SETTINGS].paths, executor)
        yield
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


async def _pages(app: web.Application) -> AsyncIterator[None]:
    def read() -> dict[str, Template]:
        return {p.stem: Template(p.read_text(encoding="utf-8")) for p in TEMPLATES.glob("*.html")}

    app[PAGES] = await asyncio.to_thread(read)
    yield


async def _auth(app: web.Application) -> AsyncIterator[None]:
    """Session secret from the environment or the data dir (made there once)."""
    app[AUTH] = await asyncio.to_thread(auth_from_config, app[SETTINGS].data_dir)
    yield


async def _conversation_purge(app: web.Application) -> AsyncIterator[None]:
    """Idle conversations (what citizens typed) are deleted while the portal runs.

    The portal is the one process every deployment has; with
    TRACKER_PURGE_INTERVAL_MINUTES=0 a cron job runs ``amtslotse conversations purge``.
    """
    from amtslotse.conversations import purge_periodically

    settings = app[SETTINGS]
    if settings.tracker_purge_interval_minutes <= 0:
        yield
        return
    task = asyncio.create_task(
        purge_periodically(
            settings.tracker_url,
            settings.tracker_retention_days,
            settings.tracker_purge_interval_minutes * 60,
        )
    )
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def create_app(
    settings: Settings,
    *,
    limiter: RateLimiter | None = None,
    auth: Auth | None = None,
    login_limiter: RateLimiter | None = None,
    widget_origins: frozenset[str] = frozenset(),
) -> web.Application:
    """``widget_origins``: county websites that embed the widget (CORS on its APIs)."""
    # security_headers must come first (outermost) so that security headers
    # are also set on the error responses error_middleware builds.
    app = web.Application(
        middlewares=[security_headers, widget_cors(widget_origins), error_middleware],
        client_max_size=MAX_BODY_BYTES,
    )
    app[SETTINGS] = settings
    app[LIMITER] = limiter or RateLimiter(
        per_minute=settings.chat_rate_per_minute, burst=settings.chat_rate_burst
    )
    # Failed logins per client: 5 at once, then 1 every 12 seconds.
    app[LOGIN_LIMITER] = login_limiter or RateLimiter(per_minute=5, burst=5)
    if auth is not None:
        app[AUTH] = auth
    else:
        app.cleanup_ctx.append(_auth)
    app.cleanup_ctx.extend([_http_client, _content, _pages, _conversation_purge])

    add = app.router
    add.add_get("/", views.index, name="index")
    add.add_get("/widget.js", views.widget_js, name="widget_js")
    add.add_get("/widget.css", views.widget_css, name="widget_css")
    add.add_static("/static/", STATIC, name="static")
    add.add_post("/api/chat", views.chat, name="chat")
    add.add_get("/api/glossary", views.glossary, name="glossary")
    add.add_post("/api/booking/ics", views.booking_ics, name="booking_ics")
    add.add_get("/healthz", views.healthz, name="healthz")

    add.add_get("/login", staff_views.login_page, name="login")
    add.add_post("/login", staff_views.login, name="login_post")
    add.add_post("/logout", staff_views.logout, name="logout")
    add.add_get("/hotline", staff_views.hotline_page, name="hotline")
    add.add_post("/api/hotline/chat", staff_views.hotline_chat, name="hotline_chat")
    add.add_get("/editor", staff_views.editor_page, name="editor")
    add.add_get("/api/editor/texts", staff_views.editor_texts, name="editor_texts")
    add.add_post("/api/lint", staff_views.lint, name="lint")
    return app


def widget_origins_from_env(env: Mapping[str, str]) -> frozenset[str]:
    """AMTSLOTSE_WIDGET_ORIGINS: comma-separated origins of county sites, e.g. https://kreis.de"""
    raw = env.get("AMTSLOTSE_WIDGET_ORIGINS", "")
    return frozenset(o.strip().rstrip("/") for o in raw.split(",") if o.strip())


def serve(settings: Settings, *, host: str, port: int) -> None:
    # No access log: request lines are harmless, but a log of who chatted when
    # is personal data we do not need.
    app = create_app(settings, widget_origins=widget_origins_from_env(os.environ))
    web.run_app(app, host=host, port=port, access_log=None, print=None)
