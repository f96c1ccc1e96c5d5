"""The portal's own tables beside the staff sessions: statistics, feedback, inbox, change log.

Same database and same way as :mod:`amtslotse.portal.sessions`: ``PORTAL_DB_URL``
(SQLite in the data dir by default, one PostgreSQL database for several
portal instances), SQLAlchemy's synchronous engine, written 2.0-style, used
from a worker thread. Here it is **one** thread per process
(:meth:`PortalDatabase.run`): the statistics of a conversation are read and
written in the order its turns came, and SQLite never sees two writers of
one process at once.

Tables, and what they keep:

- ``stat_open``: one row per open conversation, keyed by an HMAC of its
  sender id; its tally (amtslotse.core.statistics.Tally) until it ends.
- ``stat_counts``: the counters per ISO week, metric and key. Kept.
- ``feedback``: each "Ja"/"Nein" with the concern it was about and the
  reason (no text, no conversation id). Kept ``FEEDBACK_RETENTION_DAYS``.
- ``inbox``: scrubbed messages the bot did not understand, or after which a
  citizen said "Nein". Kept ``FEEDBACK_RETENTION_DAYS``.
- ``content_changes``: who changed which text of the content, from what to
  what, and who started a training. Kept (an audit log of the content).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)

OPEN = sa.Table(
    "stat_open",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # HMAC of channel and sender
    sa.Column("week", sa.String(8), nullable=False),
    sa.Column("started", sa.Float, nullable=False),
    sa.Column("last", sa.Float, nullable=False, index=True),
    sa.Column("tally", sa.Text, nullable=False),
)

COUNTS = sa.Table(
    "stat_counts",
    metadata,
    sa.Column("week", sa.String(8), primary_key=True),
    sa.Column("metric", sa.String(32), primary_key=True),
    sa.Column("key", sa.String(400), primary_key=True),
    sa.Column("conversations", sa.Integer, nullable=False),
    sa.Column("events", sa.Integer, nullable=False),
)

FEEDBACK = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created", sa.Float, nullable=False, index=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("service_id", sa.String(64)),
    sa.Column("helpful", sa.Boolean, nullable=False),
    sa.Column("reason", sa.String(32)),
    # SHA-256 of the one-time token that lets the widget add the reason; then cleared.
    sa.Column("follow_up", sa.String(64)),
    sa.Column("inbox_id", sa.Integer),
)

INBOX = sa.Table(
    "inbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created", sa.Float, nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # nicht_verstanden, nein
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("message", sa.Text, nullable=False),  # scrubbed
    sa.Column("service_id", sa.String(64)),  # the answer's concern (after a "Nein")
    sa.Column("candidates", sa.Text, nullable=False, default="[]"),  # JSON: service ids
    sa.Column("reason", sa.String(32)),
    sa.Column("status", sa.String(16), nullable=False, default="neu"),  # neu, uebernommen, erledigt
    sa.Column("handled_by", sa.String(64)),
    sa.Column("handled_at", sa.Float),
    sa.Column("adopted_service", sa.String(64)),
)

CHANGES = sa.Table(
    "content_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("account", sa.String(64), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),  # text, synonyms, review, training
    sa.Column("file", sa.String(200), nullable=False),
    sa.Column("entry", sa.String(140), nullable=False),
    sa.Column("field", sa.String(140), nullable=False),
    sa.Column("before", sa.Text, nullable=False, default=""),
    sa.Column("after", sa.Text, nullable=False, default=""),
)

T = TypeVar("T")


class PortalDatabase:
    """The engine (made on first use, tables created if missing) and its one worker thread."""

    def __init__(self, url: str):
        self.url = url
        self._engine: Engine | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="portal-db")

    def engine(self) -> Engine:
        if self._engine is None:
            engine = sa.create_engine(self.url, future=True)
            try:
                metadata.create_all(engine)
            except SQLAlchemyError:
                metadata.create_all(engine)  # another instance created them at the same time
            self._engine = engine
        return self._engine

    async def run(self, work: Callable[[Connection], T]) -> T:
        """``work(connection)`` in one transaction, on the worker thread."""

        def transaction() -> T:
            with self.engine().begin() as db:
                return work(db)

        return await asyncio.get_running_loop().run_in_executor(self._worker, transaction)

    async def open(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._worker, self.engine)

    async def close(self) -> None:
        engine, self._engine = self._engine, None
        if engine is not None:
            await asyncio.get_running_loop().run_in_executor(self._worker, engine.dispose)
        self._worker.shutdown(wait=True)
