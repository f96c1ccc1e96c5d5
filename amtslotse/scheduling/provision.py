"""Bring a database up to date: migrate the schema, load the county's catalogue.

Used by ``amtslotse db upgrade|seed`` and before ``serve-scheduling`` starts.
Any number of backends may start together: on PostgreSQL, migration and
seeding run under one advisory lock (:func:`provisioning`), so the first
backend migrates and seeds while the others wait, then find the schema at
head and the catalogue loaded. On SQLite the migration's transaction holds
the database's single write lock (``BEGIN IMMEDIATE``), which serialises
the same way.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

from sqlalchemy import text

from amtslotse.core.content import Catalogue, ContentError, load_catalogue
from amtslotse.errors import UserFacingError
from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.db.migrate import upgrade
from amtslotse.scheduling.db.seed import SeedReport, is_seeded, seed_catalogue

log = logging.getLogger(__name__)

CatalogueLoader = Callable[[], Catalogue]

#: The advisory lock key of migration and seeding (any fixed 64-bit number; "amtslots").
PROVISIONING_LOCK = 0x616D74736C6F7473


@contextlib.asynccontextmanager
async def provisioning(db: Database) -> AsyncIterator[None]:
    """Hold the database-wide provisioning lock (PostgreSQL; nothing to do on SQLite).

    A session-level advisory lock on a connection of its own: it is held
    across the transactions of the migration and the seed, and PostgreSQL
    releases it by itself if this process dies.
    """
    if db.backend != "postgresql":
        yield
        return
    async with db.write_engine.connect() as connection:
        await connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": PROVISIONING_LOCK})
        await connection.commit()
        try:
            yield
        finally:
            await connection.execute(
                text("SELECT pg_advisory_unlock(:key)"), {"key": PROVISIONING_LOCK}
            )
            await connection.commit()


def _load(loader: CatalogueLoader | None, content_dir: Path | None) -> Catalogue:
    try:
        # load_catalogue is looked up at call time (not bound as a default) so tests can swap it.
        return loader() if loader is not None else load_catalogue(content_dir)
    except ContentError as exc:
        raise UserFacingError(
            f"the content in content/leichte_sprache/ has {len(exc.problems)} problem(s); "
            f"run 'amtslotse content check' to see them. First: {exc.problems[0]}"
        ) from exc


async def seed_from_content(
    db: Database, content_dir: Path | None = None, loader: CatalogueLoader | None = None
) -> SeedReport:
    """Seed from the content in ``content_dir`` (this checkout's if None), or ``loader``."""
    return await seed_catalogue(db, _load(loader, content_dir))


async def prepare(
    db: Database, content_dir: Path | None = None, loader: CatalogueLoader | None = None
) -> None:
    """Migrate, then seed. Broken content stops the start only on an empty database.

    With data already seeded the backend can still serve bookings while an
    editor fixes a content file, so that case is a warning.
    """
    async with provisioning(db):
        await _migrate_and_seed(db, content_dir, loader)


async def _migrate_and_seed(
    db: Database, content_dir: Path | None, loader: CatalogueLoader | None
) -> None:
    await upgrade(db)
    try:
        report = await seed_from_content(db, content_dir, loader)
        log.info(
            "catalogue loaded: %d locations, %d offices, %d services",
            report.locations,
            report.offices,
            report.services,
        )
    except UserFacingError as exc:
        if not await is_seeded(db):
            raise
        log.warning("catalogue not reloaded, serving the previous one: %s", exc)
