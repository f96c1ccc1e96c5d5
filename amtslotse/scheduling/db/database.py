"""Engines, sessions and write transactions with retries.

SQLite allows one writer at a time. Writers therefore queue on an asyncio
lock inside the process (cheaper than 100 threads polling the busy timeout)
and start with ``BEGIN IMMEDIATE``, which takes the database write lock at
once, so a second process cannot interleave between our capacity check and
our insert. Readers use a second engine with plain ``BEGIN`` and, thanks to
WAL, are not blocked by the writer.

PostgreSQL runs writers concurrently; ``db/locks.py`` serialises the ones
that touch the same office and day. Lock and serialisation failures, and a
unique violation (a lost race caught by the backstop, or a colliding booking
code), roll back and re-run the whole unit of work.

Engines hide bound parameters in error messages: they may hold personal data.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.orm import sessionmaker

from amtslotse.scheduling.errors import Unavailable

log = logging.getLogger(__name__)

T = TypeVar("T")

_RETRY_SQLSTATES = {
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
    "55P03",  # lock_not_available
    "23505",  # unique_violation: re-run, the checks then report the real outcome
}
ATTEMPTS = 6


def _sqlstate(exc: DBAPIError) -> str | None:
    orig: Any = exc.orig
    for candidate in (orig, getattr(orig, "__cause__", None)):
        code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if code:
            return str(code)
    return None


def is_retryable(exc: BaseException) -> bool:
    if not isinstance(exc, DBAPIError):
        return False
    if _sqlstate(exc) in _RETRY_SQLSTATES:
        return True
    text = str(exc.orig).lower()
    if isinstance(exc, OperationalError) and ("locked" in text or "busy" in text):
        return True
    return isinstance(exc, IntegrityError) and "unique" in text


def _configure_sqlite(engine: AsyncEngine, begin: str) -> None:
    # pysqlite's own transaction handling emits BEGIN lazily and never
    # IMMEDIATE; switch it off and emit our own BEGIN (SQLAlchemy's recipe).
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)


class Database:
    """The engines of one database URL; create inside the event loop, then ``dispose()``."""

    def __init__(self, url: str, *, pool_size: int = 10, max_overflow: int = 20):
        self.url = url
        self.backend = make_url(url).get_backend_name()
        if self.backend == "sqlite":
            self.write_engine = create_async_engine(url, future=True, hide_parameters=True)
            self.read_engine = create_async_engine(url, future=True, hide_parameters=True)
            _configure_sqlite(self.write_engine, "BEGIN IMMEDIATE")
            _configure_sqlite(self.read_engine, "BEGIN")
            self._write_queue: asyncio.Lock | None = asyncio.Lock()
        else:
            engine = create_async_engine(
                url,
                future=True,
                pool_size=pool_size,
                max_overflow=max_overflow,
                pool_pre_ping=True,
                hide_parameters=True,
            )
            self.write_engine = self.read_engine = engine
            self._write_queue = None
        self._writers = sessionmaker(self.write_engine, class_=AsyncSession, expire_on_commit=False)
        self._readers = sessionmaker(self.read_engine, class_=AsyncSession, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.backend == "sqlite"

    @contextlib.asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncSession]:
        """A read-only session in one transaction (a consistent snapshot)."""
        async with self._readers() as session, session.begin():
            yield session

    async def write(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run ``work`` in one write transaction: all of it commits, or nothing.

        ``work`` must be safe to run again: on a retryable failure everything
        is rolled back and ``work`` starts over with a fresh session.
        """
        for attempt in range(1, ATTEMPTS + 1):
            try:
                # The in-process queue comes first: waiting there holds no connection.
                async with self._write_turn(), self._writers() as session, session.begin():
                    return await work(session)
            except DBAPIError as exc:
                if not is_retryable(exc):
                    raise
                if attempt == ATTEMPTS:
                    log.warning(
                        "write failed %d times (%s); giving up", attempt, type(exc).__name__
                    )
                    raise Unavailable("the database is busy; please try again") from exc
                log.info("write attempt %d hit %s; retrying", attempt, type(exc).__name__)
                # Jitter so that colliding writers do not collide again in step.
                await asyncio.sleep(random.uniform(0.005, 0.02) * attempt)
        raise AssertionError("unreachable")

    @contextlib.asynccontextmanager
    async def _write_turn(self) -> AsyncIterator[None]:
        if self._write_queue is None:
            yield
            return
        async with self._write_queue:
            yield

    async def dispose(self) -> None:
        await self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            await self.read_engine.dispose()
