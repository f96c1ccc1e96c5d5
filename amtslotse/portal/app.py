"""App factory and server entry point of the portal.

Shape as in the scheduling backend: typed state in keys.py, URLs in
routes.py, handlers in views.py and staff_views.py that raise
:class:`~amtslotse.portal.errors.Problem`, one error middleware.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from string import Template

import aiohttp
from aiohttp import web

from amtslotse.portal.auth import Auth, auth_from_settings, session_secret
from amtslotse.portal.caps import NewConversations, SlidingWindow
from amtslotse.portal.clients import Proxies
from amtslotse.portal.content import load_content
from amtslotse.portal.database import PortalDatabase
from amtslotse.portal.feedback import Inbox
from amtslotse.portal.keys import (
    ADMIN_TOKENS,
    AUTH,
    CHOICES,
    CONTENT,
    DB,
    EDITOR,
    HTTP,
    INBOX,
    LIMITER,
    NEW_CONVERSATIONS,
    PAGES,
    RASA,
    SETTINGS,
    STATS,
    TEMPLATES,
    TRAINING,
)
from amtslotse.portal.middleware import (
    error_middleware,
    forwarded,
    security_headers,
    widget_cors,
)
from amtslotse.portal.rasa_client import RasaClient
from amtslotse.portal.ratelimit import RateLimiter
from amtslotse.portal.routes import setup_routes
from amtslotse.portal.statistics import TokenCheck
from amtslotse.portal.training import Training
from amtslotse.settings import Settings

#: Largest request body the portal accepts (a message is capped lower, in views).
MAX_BODY_BYTES = 16 * 1024


async def _http_client(app: web.Application) -> AsyncIterator[None]:
    """One HTTP session; the Rasa servers' client and its health checks run on it."""
    timeout = aiohttp.ClientTimeout(total=30, connect=3)
    # Idle connections are dropped before the servers drop them (Sanic after 5 s),
    # so a request never goes out on a connection that is being closed.
    connector = aiohttp.TCPConnector(keepalive_timeout=4)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        app[HTTP] = session
        app[RASA] = rasa = RasaClient(session, app[SETTINGS].rasa_urls)
        watch = asyncio.create_task(rasa.watch())
        yield
        watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watch


async def _content(app: web.Application) -> AsyncIterator[None]:
    """Catalogue and glossary once per start; the checker gets one thread of its own."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checker")
    try:
        app[CONTENT] = await asyncio.to_thread(load_content, app[SETTINGS].paths, executor)
        yield
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


async def _editing(app: web.Application) -> AsyncIterator[None]:
    """Saving content changes and training: after _content and _statistics (their DB)."""
    from amtslotse.portal.editing import Editor

    app[EDITOR] = Editor(app[CONTENT], app[DB])
    if TRAINING not in app:
        app[TRAINING] = Training(app[SETTINGS].paths)
    yield
    await app[TRAINING].close()


async def _pages(app: web.Application) -> AsyncIterator[None]:
    def read() -> dict[str, Template]:
        return {p.stem: Template(p.read_text(encoding="utf-8")) for p in TEMPLATES.glob("*.html")}

    app[PAGES] = await asyncio.to_thread(read)
    yield


async def _auth(app: web.Application) -> AsyncIterator[None]:
    """Logins and sessions: the secret from the settings or the data dir (made there once),
    the session table created if missing."""
    if AUTH not in app:
        app[AUTH] = await asyncio.to_thread(auth_from_settings, app[SETTINGS])
    await app[AUTH].sessions.open()
    yield
    await app[AUTH].close()


async def _statistics(app: web.Application) -> AsyncIterator[None]:
    """The portal's tables (amtslotse.portal.database) and the demand counting on them.

    After _auth: the session secret (made there if missing) keys the
    conversations' statistics rows too (amtslotse.portal.statistics).
    """
    from amtslotse.portal.statistics import Recorder, fallback_texts, run_periodically

    settings = app[SETTINGS]
    if not settings.portal_db_url:  # SQLite in the data dir
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    db = PortalDatabase(settings.portal_db)
    await db.open()
    secret = await asyncio.to_thread(session_secret, settings.data_dir, settings.session_secret)
    key = hmac.new(secret, b"amtslotse statistics", hashlib.sha256).digest()
    texts = await asyncio.to_thread(fallback_texts, settings.paths.bot / "domain")
    app[DB] = db
    app[STATS] = Recorder(
        db,
        key,
        idle_minutes=settings.statistics_idle_minutes,
        retention_days=settings.feedback_retention_days,
        fallback_texts=texts,
    )
    app[INBOX] = Inbox(db)
    task = asyncio.create_task(run_periodically(app[STATS]))
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    await app[STATS].drain()
    await db.close()


async def _conversation_purge(app: web.Application) -> AsyncIterator[None]:
    """Idle conversations (what citizens typed) are deleted while the portal runs.

    The portal is the one process every deployment has; with
    TRACKER_PURGE_INTERVAL_MINUTES=0 a cron job runs ``amtslotse conversations purge``.
    """
    from amtslotse.rasa.trackers import purge_periodically

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
    training: Training | None = None,
) -> web.Application:
    # forwarded comes first: everything after it (rate limits, cookies) sees the
    # real client. Security headers are set on on_response_prepare, which every
    # response passes, also errors and redirects raised as HTTPException.
    app = web.Application(
        middlewares=[
            forwarded(Proxies(settings.trusted_proxies), public_https=settings.public_https),
            widget_cors(frozenset(settings.widget_origins)),
            error_middleware,
        ],
        client_max_size=MAX_BODY_BYTES,
    )
    # aiohttp 3.9 types this signal's items as taking the handler.
    app.on_response_prepare.append(security_headers(hsts=settings.public_https))  # type: ignore[arg-type]
    app[SETTINGS] = settings
    app[LIMITER] = limiter or RateLimiter(
        per_minute=settings.chat_rate_per_minute, burst=settings.chat_rate_burst
    )
    # Why these two bound the times one client holds: amtslotse.portal.caps.
    app[NEW_CONVERSATIONS] = NewConversations(settings.chat_new_conversations_per_hour)
    app[CHOICES] = SlidingWindow(
        settings.chat_holds_per_client, settings.scheduling.hold_minutes * 60
    )
    app[ADMIN_TOKENS] = TokenCheck()
    if auth is not None:
        app[AUTH] = auth
    if training is not None:
        app[TRAINING] = training
    app.cleanup_ctx.extend(
        [_auth, _statistics, _http_client, _content, _editing, _pages, _conversation_purge]
    )
    setup_routes(app)
    return app


def serve(settings: Settings, *, host: str, port: int) -> None:
    from amtslotse import logs

    logs.configure()
    # No access log: request lines are harmless, but a log of who chatted when
    # is personal data we do not need.
    web.run_app(create_app(settings), host=host, port=port, access_log=None, print=None)
