"""CLI: ``amtslotse db upgrade|seed|purge`` and ``amtslotse serve-scheduling``.

Heavy imports happen inside the handlers so that ``amtslotse --help`` stays fast.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from amtslotse.errors import SetupError

T = TypeVar("T")


def _settings():  # type: ignore[no-untyped-def]
    from amtslotse.scheduling.settings import SchedulingSettings
    from amtslotse.settings import Settings

    return SchedulingSettings.from_settings(Settings.from_env())


def _with_database(work: Callable[..., Awaitable[T]]) -> T:
    from amtslotse.scheduling.db.database import Database

    async def run() -> T:
        db = Database(_settings().database_url)
        try:
            return await work(db)
        finally:
            await db.dispose()

    return asyncio.run(run())


def _upgrade(args: argparse.Namespace) -> int:
    from amtslotse.scheduling.db.migrate import current_revision, upgrade
    from amtslotse.scheduling.provision import provisioning

    async def work(db):  # type: ignore[no-untyped-def]
        async with provisioning(db):  # backends starting now wait for this
            await upgrade(db)
        return await current_revision(db)

    print(f"database schema at revision {_with_database(work)}")
    return 0


def _seed(args: argparse.Namespace) -> int:
    from amtslotse.scheduling.db.migrate import upgrade
    from amtslotse.scheduling.provision import provisioning, seed_from_content

    content = _settings().content_dir

    async def work(db):  # type: ignore[no-untyped-def]
        async with provisioning(db):
            await upgrade(db)
            return await seed_from_content(db, content)

    report = _with_database(work)
    print(
        f"seeded {report.locations} locations, {report.offices} offices, "
        f"{report.services} services ({report.bookable_offers} bookable offers)"
    )
    return 0


def _purge(args: argparse.Namespace) -> int:
    from amtslotse.scheduling.scheduler import Scheduler

    settings = _settings()
    days = settings.purge_after_days if args.older_than_days is None else args.older_than_days
    if days < 1:
        raise SetupError("--older-than-days must be at least 1.")

    async def work(db):  # type: ignore[no-untyped-def]
        return await Scheduler(db).purge(days, settings.audit_days)

    report = _with_database(work)
    print(
        f"removed contact data of {report.bookings} bookings older than {days} days; "
        f"deleted {report.idempotency_records} idempotency records, {report.holds} "
        f"expired holds, {report.mails} finished mails, {report.pin_attempts} old PIN "
        f"counters and {report.audit_entries} old audit entries"
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from amtslotse import logs
    from amtslotse.scheduling.app import serve

    logs.configure()
    settings = _settings()
    try:
        asyncio.run(serve(settings, args.host, args.port))
    except OSError as exc:
        raise SetupError(
            f"cannot listen on {args.host}:{args.port} ({exc.strerror}); "
            "is another backend running? Use --port."
        ) from exc
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="scheduling database: upgrade, seed, purge")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    p = db_commands.add_parser("upgrade", help="create or migrate the schema (Alembic)")
    p.set_defaults(handler=_upgrade)
    p = db_commands.add_parser("seed", help="load locations, offices, services from the content")
    p.set_defaults(handler=_seed)
    p = db_commands.add_parser("purge", help="delete contact data of past appointments")
    p.add_argument(
        "--older-than-days",
        type=int,
        default=None,
        metavar="N",
        help="appointments that ended N days ago (default SCHEDULING_PURGE_AFTER_DAYS)",
    )
    p.set_defaults(handler=_purge)

    p = subparsers.add_parser("serve-scheduling", help="run the scheduling backend (port 8000)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(handler=_serve)
