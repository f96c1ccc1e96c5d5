"""Delete old conversations from Rasa's SQL tracker store.

Conversations hold what citizens typed, including the name and contact they
gave for a booking. Once a conversation has been idle for the retention
period, it is deleted whole. Rasa's table is ``events`` (one row per event,
``timestamp`` in Unix seconds); a test checks that against Rasa's own model.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

import sqlalchemy as sa

log = logging.getLogger(__name__)

#: Rasa's SQL tracker store table (rasa.core.tracker_store.SQLTrackerStore.SQLEvent).
EVENTS = sa.table(
    "events",
    sa.column("sender_id", sa.String),
    sa.column("timestamp", sa.Float),
)


def purge_conversations(url: str, older_than_days: float, *, now: float | None = None) -> int:
    """Delete every conversation whose newest event is older than the cutoff; returns how many."""
    cutoff = (time.time() if now is None else now) - older_than_days * 86400
    engine = sa.create_engine(url, future=True)
    try:
        if not sa.inspect(engine).has_table("events"):
            return 0  # Rasa has not stored a conversation yet
        idle = (
            sa.select(EVENTS.c.sender_id)
            .group_by(EVENTS.c.sender_id)
            .having(sa.func.max(EVENTS.c.timestamp) < cutoff)
        )
        with engine.begin() as connection:
            senders = list(connection.scalars(idle))
            for start in range(0, len(senders), 500):  # stay below SQLite's variable limit
                batch = senders[start : start + 500]
                connection.execute(sa.delete(EVENTS).where(EVENTS.c.sender_id.in_(batch)))
        return len(senders)
    finally:
        engine.dispose()


async def purge_periodically(
    url: str,
    older_than_days: float,
    interval_seconds: float,
    *,
    purge: Callable[[str, float], int] = purge_conversations,
) -> None:
    """Purge now and then every ``interval_seconds``, until cancelled.

    A failed run (database away, locked) is logged by its type only, since the
    message may hold the database URL, and tried again at the next interval.
    Several instances may run this at once: a delete of what is gone is a no-op.
    """
    while True:
        try:
            deleted = await asyncio.to_thread(purge, url, older_than_days)
        except Exception as error:  # noqa: BLE001 - housekeeping must outlive a bad run
            log.warning(
                "conversation purge failed (%s); next try in %.0f s",
                type(error).__name__,
                interval_seconds,
            )
        else:
            if deleted:
                log.info("deleted %d idle conversation(s)", deleted)
        await asyncio.sleep(interval_seconds)
