"""The editors' inbox: answers with the most "Nein", messages the bot did not understand.

What the inbox holds was scrubbed before it was stored
(amtslotse.portal.statistics) and is deleted after
``FEEDBACK_RETENTION_DAYS``. An editor takes a message over as an example
of a concern (the content file gets it as a synonym, see
amtslotse.portal.editing) or marks it done.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from amtslotse.portal.database import FEEDBACK, INBOX, PortalDatabase

#: Messages one page of the inbox shows.
PAGE = 100


@dataclass(frozen=True)
class InboxMessage:
    id: int
    created: float
    kind: str  # nicht_verstanden, nein
    channel: str
    message: str
    service_id: str | None
    candidates: tuple[str, ...]
    reason: str | None
    status: str


@dataclass(frozen=True)
class AnswerScore:
    """Feedback on the answers about one concern (None: answers without a concern)."""

    service_id: str | None
    no: int
    yes: int


@dataclass(frozen=True)
class InboxView:
    messages: list[InboxMessage]
    answers: list[AnswerScore]


class Inbox:
    def __init__(self, db: PortalDatabase, clock: Callable[[], float] = time.time):
        self.db = db
        self.clock = clock

    async def inbox(self, status: str = "neu") -> InboxView:
        """Open messages, newest first, and the concerns by their "Nein" count."""

        def work(db: Connection) -> InboxView:
            rows = db.execute(
                sa.select(INBOX)
                .where(INBOX.c.status == status)
                .order_by(INBOX.c.created.desc(), INBOX.c.id.desc())
                .limit(PAGE)
            ).mappings()
            messages = [_message(r) for r in rows]
            no = sa.func.sum(sa.case((FEEDBACK.c.helpful.is_(False), 1), else_=0))
            yes = sa.func.sum(sa.case((FEEDBACK.c.helpful.is_(True), 1), else_=0))
            scores = db.execute(
                sa.select(FEEDBACK.c.service_id, no.label("no"), yes.label("yes"))
                .group_by(FEEDBACK.c.service_id)
                .order_by(no.desc(), FEEDBACK.c.service_id)
            ).all()
            answers = [AnswerScore(s.service_id, int(s.no or 0), int(s.yes or 0)) for s in scores]
            return InboxView(messages, [a for a in answers if a.no])

        return await self.db.run(work)

    async def get(self, message_id: int) -> InboxMessage | None:
        def work(db: Connection) -> InboxMessage | None:
            row = db.execute(sa.select(INBOX).where(INBOX.c.id == message_id)).mappings().first()
            return _message(row) if row is not None else None

        return await self.db.run(work)

    async def handle(
        self, message_id: int, account: str, *, adopted_service: str | None = None
    ) -> bool:
        """Marks a message taken over (as an example of ``adopted_service``) or done."""
        now = self.clock()

        def work(db: Connection) -> bool:
            done = db.execute(
                sa.update(INBOX)
                .where(INBOX.c.id == message_id, INBOX.c.status == "neu")
                .values(
                    status="uebernommen" if adopted_service else "erledigt",
                    handled_by=account,
                    handled_at=now,
                    adopted_service=adopted_service,
                )
            )
            return bool(done.rowcount)

        return await self.db.run(work)


def _message(r: Any) -> InboxMessage:
    return InboxMessage(
        r["id"],
        r["created"],
        r["kind"],
        r["channel"],
        r["message"],
        r["service_id"],
        tuple(json.loads(r["candidates"] or "[]")),
        r["reason"],
        r["status"],
    )
