"""Counting demand as conversations happen, and the citizens' feedback, in the portal.

The portal passes every turn (``/api/chat`` and the hotline's) to
:meth:`Recorder.turn` after Rasa answered; the citizen gets the answer at
once, the counting runs after it on the database's worker thread.

How a conversation is counted (the rules are amtslotse.core.statistics'):

1. Each turn updates the conversation's row in ``stat_open``, keyed by
   HMAC-SHA256(key, channel + sender id), so no sender id is stored. The row
   holds the tally: concerns, offices, kinds, outcomes, bookings, feedback,
   and the last 5 messages, scrubbed (amtslotse.core.scrub), so that a
   "Nein" can point the editors at what was asked.
2. A message the bot did not understand is scrubbed and put into the
   editors' inbox at once (``inbox``), with the concerns the bot offered.
3. :meth:`Recorder.close_idle` (every minute, from the app) ends each
   conversation idle for ``STATISTICS_IDLE_MINUTES``: its contributions go
   into ``stat_counts`` for the week it started, and its row is deleted in
   the same transaction. So a concern counts once per conversation, the
   combinations are those of the whole conversation, and the counters are
   all that is left. A conversation that goes on after that pause counts as
   a new one (the usual definition of a session).
4. ``feedback`` and ``inbox`` rows older than ``FEEDBACK_RETENTION_DAYS``
   are deleted (:meth:`Recorder.purge`).

Several portal instances share the rows through the database (one
PostgreSQL database); a conversation's turns come one after the other (the
widget waits for each answer), and a row is read for update.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from amtslotse.core.content.yamlsource import read_yaml
from amtslotse.core.scrub import scrub
from amtslotse.core.statistics import (
    FEEDBACK_REASONS,
    Cell,
    Tally,
    answer_facts,
    contributions,
    week_of,
)
from amtslotse.portal.database import COUNTS, FEEDBACK, INBOX, OPEN, PortalDatabase

log = logging.getLogger(__name__)

#: How often the app ends idle conversations, and how often it purges old feedback.
CLOSE_EVERY_SECONDS = 60
PURGE_EVERY_SECONDS = 3600


@dataclass
class TokenCheck:
    """Admin tokens the scheduling backend said yes to (SHA-256 → when), for 5 minutes
    (amtslotse.portal.statistics_views: the portal never holds the admin token)."""

    ok: dict[str, float] = field(default_factory=dict)
    seconds: float = 300

    def known(self, token: str, now: float) -> bool:
        seen = self.ok.get(_digest(token))
        return seen is not None and now - seen < self.seconds

    def remember(self, token: str, now: float) -> None:
        self.ok = {k: v for k, v in self.ok.items() if now - v < self.seconds}
        self.ok[_digest(token)] = now


@dataclass(frozen=True)
class FeedbackResult:
    id: int
    follow_up: str  # the token that lets the widget add the reason once


class Recorder:
    """Tallies, counters, feedback and the inbox; every method runs on the DB's worker."""

    def __init__(
        self,
        db: PortalDatabase,
        key: bytes,
        *,
        idle_minutes: int = 30,
        retention_days: int = 30,
        timezone: str = "Europe/Berlin",
        fallback_texts: Iterable[str] = (),
        clock: Callable[[], float] = time.time,
    ):
        self.db = db
        self._key = key
        self.idle_seconds = idle_minutes * 60
        self.retention_seconds = retention_days * 86400
        self.timezone = timezone
        self.fallback_texts = tuple(fallback_texts)
        self.clock = clock
        self._pending: set[asyncio.Task[Any]] = set()

    def _id(self, channel: str, sender: str) -> str:
        return hmac.new(self._key, f"{channel}\0{sender}".encode(), hashlib.sha256).hexdigest()

    # -- turns ---------------------------------------------------------------

    def turn(self, channel: str, sender: str, message: str, answer: list[dict[str, Any]]) -> None:
        """Record one turn after the answer went out (never delays or fails the chat)."""
        task = asyncio.ensure_future(self._turn(channel, sender, message, answer))
        self._pending.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._pending.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # The type only: the exception may quote what the citizen wrote.
            log.error("counting a turn failed: %s", type(task.exception()).__name__)

    async def drain(self) -> None:
        """Wait until every turn recorded so far is in the database (tests, shutdown)."""
        while self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def _turn(
        self, channel: str, sender: str, message: str, answer: list[dict[str, Any]]
    ) -> None:
        now = self.clock()
        facts = answer_facts(answer, self.fallback_texts)
        typed = bool(message) and not message.startswith("/")
        cleaned = scrub(message).text if typed else ""

        def work(db: Connection) -> None:
            tally, row = self._tally(db, channel, sender, now)
            tally.observe(facts, cleaned)
            self._save(db, row, tally, now)
            if facts.outcome == "unanswered" and cleaned:
                db.execute(
                    sa.insert(INBOX).values(
                        created=now,
                        kind="nicht_verstanden",
                        channel=channel,
                        message=cleaned,
                        candidates=json.dumps(facts.candidates),
                        status="neu",
                    )
                )

        await self.db.run(work)

    def _tally(
        self, db: Connection, channel: str, sender: str, now: float
    ) -> tuple[Tally, dict[str, Any]]:
        key = self._id(channel, sender)
        query = sa.select(OPEN).where(OPEN.c.id == key)
        if db.dialect.name == "postgresql":
            query = query.with_for_update()
        found = db.execute(query).mappings().first()
        if found is not None and found["last"] >= now - self.idle_seconds:
            return Tally.from_json(json.loads(found["tally"])), {**dict(found), "new": False}
        if found is not None:  # idle: count it now, then start anew
            self._close(db, dict(found))
        week = week_of(now, self.timezone)
        return Tally(channel=channel), {"id": key, "week": week, "started": now, "new": True}

    @staticmethod
    def _save(db: Connection, row: dict[str, Any], tally: Tally, now: float) -> None:
        values = {"tally": json.dumps(tally.to_json()), "last": now}
        if row["new"]:
            db.execute(
                sa.insert(OPEN).values(
                    id=row["id"], week=row["week"], started=row["started"], **values
                )
            )
        else:
            db.execute(sa.update(OPEN).where(OPEN.c.id == row["id"]).values(**values))

    # -- ending conversations -----------------------------------------------

    def _close(self, db: Connection, row: dict[str, Any]) -> None:
        tally = Tally.from_json(json.loads(row["tally"]))
        for metric, key, events in contributions(tally):
            _add(db, row["week"], metric, key, events)
        db.execute(sa.delete(OPEN).where(OPEN.c.id == row["id"]))

    async def close_idle(self) -> int:
        """End every conversation idle for longer than the idle limit; how many ended."""
        limit = self.clock() - self.idle_seconds

        def work(db: Connection) -> int:
            rows = db.execute(sa.select(OPEN).where(OPEN.c.last < limit)).mappings().all()
            for row in rows:
                self._close(db, dict(row))
            return len(rows)

        return await self.db.run(work)

    async def purge(self) -> int:
        """Delete feedback and inbox rows older than the retention; how many went."""
        limit = self.clock() - self.retention_seconds

        def work(db: Connection) -> int:
            gone = db.execute(sa.delete(FEEDBACK).where(FEEDBACK.c.created < limit)).rowcount
            gone += db.execute(sa.delete(INBOX).where(INBOX.c.created < limit)).rowcount
            return int(gone or 0)

        return await self.db.run(work)

    async def cells(self, weeks: list[str]) -> list[Cell]:
        def work(db: Connection) -> list[Cell]:
            rows = db.execute(sa.select(COUNTS).where(COUNTS.c.week.in_(weeks))).mappings()
            return [
                Cell(r["week"], r["metric"], r["key"], r["conversations"], r["events"])
                for r in rows
            ]

        return await self.db.run(work)

    # -- feedback ------------------------------------------------------------

    async def feedback(
        self,
        channel: str,
        sender: str,
        helpful: bool,
        service_id: str | None,
        reason: str | None = None,
    ) -> FeedbackResult:
        """A "Ja" or "Nein" to the answer about ``service_id`` (None: an answer without one).

        After "Nein" the message that answer replied to goes into the inbox,
        as it was scrubbed when it came.
        """
        now = self.clock()
        token = secrets.token_urlsafe(16)
        reason = reason if reason in FEEDBACK_REASONS else None

        def work(db: Connection) -> int:
            tally, row = self._tally(db, channel, sender, now)
            known = service_id if service_id in tally.concerns else None
            tally.give_feedback(helpful, reason)
            inbox_id = None
            turn = None if helpful else tally.message_for(known)
            if turn is not None:
                inbox_id = db.execute(
                    sa.insert(INBOX).values(
                        created=now,
                        kind="nein",
                        channel=channel,
                        message=turn["message"],
                        service_id=known,
                        candidates=json.dumps([s for s in turn["services"] if s != known]),
                        reason=reason,
                        status="neu",
                    )
                ).inserted_primary_key[0]
            self._save(db, row, tally, now)
            return int(
                db.execute(
                    sa.insert(FEEDBACK).values(
                        created=now,
                        channel=channel,
                        service_id=known,
                        helpful=helpful,
                        reason=reason,
                        follow_up=_digest(token),
                        inbox_id=inbox_id,
                    )
                ).inserted_primary_key[0]
            )

        return FeedbackResult(await self.db.run(work), token)

    async def feedback_reason(
        self, channel: str, sender: str, feedback_id: int, token: str, reason: str
    ) -> bool:
        """Adds why the answer did not help to an earlier "Nein" (once; the token says whose)."""
        if reason not in FEEDBACK_REASONS:
            return False
        now = self.clock()

        def work(db: Connection) -> bool:
            found = db.execute(
                sa.select(FEEDBACK.c.follow_up, FEEDBACK.c.inbox_id, FEEDBACK.c.helpful).where(
                    FEEDBACK.c.id == feedback_id
                )
            ).first()
            if found is None or not found.follow_up or found.helpful:
                return False
            if not hmac.compare_digest(found.follow_up, _digest(token)):
                return False
            db.execute(
                sa.update(FEEDBACK)
                .where(FEEDBACK.c.id == feedback_id)
                .values(reason=reason, follow_up=None)
            )
            if found.inbox_id is not None:
                db.execute(
                    sa.update(INBOX).where(INBOX.c.id == found.inbox_id).values(reason=reason)
                )
            tally, row = self._tally(db, channel, sender, now)
            tally.reasons[reason] = tally.reasons.get(reason, 0) + 1
            self._save(db, row, tally, now)
            return True

        return await self.db.run(work)


def fallback_texts(domain_dir: Path) -> list[str]:
    """The texts of Rasa's own fallback response (``utter_default``): "not understood"."""
    texts = []
    for path in sorted(domain_dir.glob("*.yml")):
        doc = read_yaml(path)
        responses = doc.get("responses") if isinstance(doc, dict) else None
        for variation in (responses or {}).get("utter_default") or []:
            if isinstance(variation, dict) and isinstance(variation.get("text"), str):
                texts.append(variation["text"].strip())
    return texts


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _add(db: Connection, week: str, metric: str, key: str, events: int) -> None:
    """counter += (1 conversation, ``events``), atomically (an upsert: instances may race)."""
    values = {"week": week, "metric": metric, "key": key, "conversations": 1, "events": events}
    if db.dialect.name in ("postgresql", "sqlite"):
        dialect = postgresql if db.dialect.name == "postgresql" else sqlite
        insert = dialect.insert(COUNTS).values(**values)
        db.execute(
            insert.on_conflict_do_update(
                index_elements=[COUNTS.c.week, COUNTS.c.metric, COUNTS.c.key],
                set_={
                    "conversations": COUNTS.c.conversations + 1,
                    "events": COUNTS.c.events + insert.excluded.events,
                },
            )
        )
        return
    where = (COUNTS.c.week == week) & (COUNTS.c.metric == metric) & (COUNTS.c.key == key)
    bump = {"conversations": COUNTS.c.conversations + 1, "events": COUNTS.c.events + events}
    if not db.execute(sa.update(COUNTS).where(where).values(**bump)).rowcount:
        db.execute(sa.insert(COUNTS).values(**values))


async def run_periodically(recorder: Recorder) -> None:
    """Ends idle conversations every minute and purges old feedback every hour (app task)."""
    last_purge = -float(PURGE_EVERY_SECONDS)
    while True:
        try:
            await recorder.close_idle()
            if time.monotonic() - last_purge >= PURGE_EVERY_SECONDS:
                await recorder.purge()
                last_purge = time.monotonic()
        except Exception as exc:  # the database may be away for a moment: next round
            log.error("statistics housekeeping failed: %s", type(exc).__name__)
        await asyncio.sleep(CLOSE_EVERY_SECONDS)
