"""Bring a database up to date: migrate the schema, load the county's catalogue.

Used by ``amtslotse db upgrade|seed`` and before ``serve-scheduling`` starts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from amtslotse.core.content import Catalogue, ContentError, load_catalogue
from amtslotse.errors import UserFacingError
from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.db.migrate import upgrade
from amtslotse.scheduling.db.seed import SeedReport, is_seeded, seed_catalogue

log = logging.getLogger(__name__)

CatalogueLoader = Callable[[], Catalogue]


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
