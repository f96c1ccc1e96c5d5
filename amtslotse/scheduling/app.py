"""The aiohttp application of the scheduling backend and its server loop."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator

from aiohttp import web

from amtslotse.core.content import Catalogue, ContentError, load_catalogue
from amtslotse.errors import SetupError
from amtslotse.scheduling.api import keys
from amtslotse.scheduling.api.access_log import RouteAccessLogger
from amtslotse.scheduling.api.problems import problem_middleware
from amtslotse.scheduling.api.routes import setup_routes
from amtslotse.scheduling.api.validation import contract_middleware
from amtslotse.scheduling.clock import Clock, utc_now
from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.housekeeping import deliver_mail_periodically, housekeep_periodically
from amtslotse.scheduling.notify.delivery import MailDelivery
from amtslotse.scheduling.notify.transports import MailTransport
from amtslotse.scheduling.provision import CatalogueLoader, prepare
from amtslotse.scheduling.scheduler import Scheduler
from amtslotse.scheduling.settings import SchedulingSettings

log = logging.getLogger(__name__)


# These loggers write SQL statements with their parameters (names, phone
# numbers) at DEBUG; keep them quiet whatever level the host configures.
_CHATTY_DRIVER_LOGGERS = ("aiosqlite", "asyncpg")

# How long shutdown waits for a housekeeping run in progress before cancelling it.
HOUSEKEEPING_STOP_SECONDS = 5.0


def create_app(
    settings: SchedulingSettings,
    *,
    clock: Clock = utc_now,
    transport: MailTransport | None = None,
    catalogue: Catalogue | None = None,
) -> web.Application:
    """App factory. The database engine is created when the app starts, not here.

    ``transport`` and ``catalogue`` default to what the settings say (SMTP or
    the outbox folder; the content in AMTSLOTSE_CONTENT_DIR); tests pass their own.
    """
    for name in _CHATTY_DRIVER_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    app = web.Application(
        client_max_size=settings.max_body_bytes,  # larger bodies: 413 problem
        # The problem middleware must be outside: it turns what the contract
        # middleware (authentication, request checks) raises into problem+json.
        middlewares=[problem_middleware, contract_middleware],
    )
    app[keys.SETTINGS] = settings

    wake = asyncio.Event()  # set when a booking or cancel queued a mail
    app[keys.MAIL_WAKE] = wake

    async def database(app: web.Application) -> AsyncIterator[None]:
        db = Database(settings.database_url)
        app[keys.DATABASE] = db
        app[keys.SCHEDULER] = Scheduler(
            db,
            rules=settings.search_rules,
            hold_duration=settings.hold_duration,
            clock=clock,
            bundle_key=settings.bundle_key,
            secret_key=settings.secret_key,
            on_mail_queued=wake.set,
        )
        yield
        await db.dispose()

    async def mail(app: web.Application) -> AsyncIterator[None]:
        """Reminders and the outbox (``housekeeping.py``); after ``database``, stopped before it."""
        if settings.mail_poll_seconds <= 0:
            yield
            return
        try:
            cat = (
                catalogue
                if catalogue is not None
                else await asyncio.to_thread(load_catalogue, settings.content_dir)
            )
        except ContentError as exc:
            # Queued mails wait in the outbox until the content is fixed and the backend restarts.
            log.warning("mail off: the content has %d problem(s)", len(exc.problems))
            yield
            return
        delivery = MailDelivery.from_settings(
            app[keys.DATABASE], settings, catalogue=cat, transport=transport, clock=clock
        )
        app[keys.MAIL] = delivery
        stop = asyncio.Event()
        task = asyncio.create_task(
            deliver_mail_periodically(delivery, settings.mail_poll_seconds, stop, wake)
        )
        yield
        stop.set()
        try:
            await asyncio.wait_for(task, HOUSEKEEPING_STOP_SECONDS)
        except asyncio.TimeoutError:
            log.warning("mail run cancelled at shutdown; the outbox keeps what is unsent")

    async def housekeeping(app: web.Application) -> AsyncIterator[None]:
        """Purge personal data while the backend runs (``housekeeping.py``).

        After ``database``, so it is stopped before the engine is disposed.
        """
        if settings.housekeeping_minutes <= 0:
            log.info("housekeeping off: run 'amtslotse db purge' from cron")
            yield
            return
        stop = asyncio.Event()
        task = asyncio.create_task(
            housekeep_periodically(
                app[keys.SCHEDULER],
                settings.purge_after_days,
                settings.housekeeping_minutes * 60,
                stop,
                settings.audit_days,
            )
        )
        app[keys.HOUSEKEEPING] = task
        yield
        stop.set()
        try:
            await asyncio.wait_for(task, HOUSEKEEPING_STOP_SECONDS)
        except asyncio.TimeoutError:
            log.warning("housekeeping run cancelled at shutdown; the next start repeats it")

    app.cleanup_ctx.append(database)
    app.cleanup_ctx.append(housekeeping)
    app.cleanup_ctx.append(mail)
    setup_routes(app)
    return app


async def serve(
    settings: SchedulingSettings,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    loader: CatalogueLoader | None = None,
) -> None:
    """Migrate and seed the database, then serve until SIGINT or SIGTERM."""
    if not settings.service_token:
        raise SetupError(
            "SCHEDULING_SERVICE_TOKEN is not set: without it nobody could hold or book. "
            "'amtslotse run' makes one per run; set the same one for the action server."
        )
    db = Database(settings.database_url)
    try:
        await prepare(db, settings.content_dir, loader)
    finally:
        await db.dispose()
    runner = web.AppRunner(create_app(settings), access_log_class=RouteAccessLogger)
    await runner.setup()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await web.TCPSite(runner, host, port).start()
        log.info("scheduling backend listening on http://%s:%d", host, port)
        await stop.wait()
    finally:
        await runner.cleanup()
