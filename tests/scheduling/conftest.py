"""Fixtures: a fixed clock, a migrated and seeded database, the real app.

Every test gets its own database (a SQLite file, or a fresh database on the
session's PostgreSQL server for tests marked ``postgres``).
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from amtslotse.scheduling.app import create_app
from amtslotse.scheduling.clock import BERLIN, UTC
from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.db.migrate import upgrade
from amtslotse.scheduling.db.seed import seed_catalogue
from amtslotse.scheduling.scheduler import Scheduler
from amtslotse.scheduling.settings import SchedulingSettings, sqlite_url
from amtslotse.testing.postgres import PostgresServer, running_postgres
from tests.scheduling.demo import demo_catalogue

ADMIN_TOKEN = "test-admin-token-0123456789"
SERVICE_TOKEN = "test-service-token-0123456789"
SERVICE_AUTH = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
BUNDLE_KEY = b"test-bundle-key-0123456789abcdefghij"
_db_numbers = itertools.count(1)


class FakeClock:
    """A clock the test moves by hand; starts Monday 2025-03-24 07:00 Berlin."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime(2025, 3, 24, 7, 0, tzinfo=BERLIN).astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def set_local(self, *args: int) -> None:
        self.now = datetime(*args, tzinfo=BERLIN).astimezone(UTC)

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    with running_postgres() as server:
        yield server


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite by default; PostgreSQL for tests that use ``backend`` = postgres."""
    kind = request.getfixturevalue("backend") if "backend" in request.fixturenames else "sqlite"
    if kind == "postgres":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return server.create_database(f"test_{next(_db_numbers)}")
    return sqlite_url(tmp_path / "scheduling.sqlite3")


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> SchedulingSettings:
    """Housekeeping and the mail loop off: a run at app start would race the tests
    that move the clock.

    ``test_housekeeping.py`` and ``test_mail.py`` turn them on where they are the subject.
    """
    return SchedulingSettings(
        database_url=database_url,
        admin_token=ADMIN_TOKEN,
        data_dir=tmp_path,
        service_token=SERVICE_TOKEN,
        bundle_key=BUNDLE_KEY,
        housekeeping_minutes=0,
        mail_poll_seconds=0,
    )


@pytest.fixture
async def db(settings: SchedulingSettings) -> AsyncIterator[Database]:
    """The migrated database with the demo catalogue."""
    database = Database(settings.database_url)
    await upgrade(database)
    await seed_catalogue(database, demo_catalogue())
    yield database
    await database.dispose()


@pytest.fixture
def scheduler(db: Database, settings: SchedulingSettings, clock: FakeClock) -> Scheduler:
    return Scheduler(
        db,
        rules=settings.search_rules,
        hold_duration=settings.hold_duration,
        clock=clock,
        bundle_key=settings.bundle_key,
    )


@pytest.fixture
async def client(db: Database, settings: SchedulingSettings, clock: FakeClock, aiohttp_client):  # type: ignore[no-untyped-def]
    """The real app over HTTP, on the seeded database (``db`` runs first).

    It sends the service token, as the action server does; a request may
    replace the header. ``anonymous`` is the same app without it.
    """
    return await aiohttp_client(create_app(settings, clock=clock), headers=SERVICE_AUTH)


@pytest.fixture
async def anonymous(client):  # type: ignore[no-untyped-def]
    """A second client of the same app that sends no token."""
    import aiohttp

    async with aiohttp.ClientSession(base_url=str(client.make_url("/"))) as session:
        yield session
