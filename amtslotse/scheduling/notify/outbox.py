"""The mail outbox in the database: queue, claim, and record each delivery.

A mail is queued in the transaction that makes it due: the confirmation
with the booking, the cancellation with the cancel; reminders are claimed by
the mail loop (``claim_reminders``). Sending happens outside any
transaction (``delivery.py``), so a slow mail server never holds a lock and
never fails a booking.

Several backend instances may run the mail loop at once. Both claims lock
the rows they take with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two
instances never take the same row; on SQLite ``BEGIN IMMEDIATE`` makes each
claim the only writer. A claimed mail is leased: if the instance dies while
sending, the mail is due again when the lease ends. The unique
(booking, kind) of ``outbox`` is the backstop that makes a second reminder
for one booking impossible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from amtslotse.scheduling.db.schema import (
    BOOKING_CONFIRMED,
    MAIL_DROPPED,
    MAIL_FAILED,
    MAIL_PENDING,
    MAIL_REMINDER,
    MAIL_SENT,
    Booking,
    OutboxMail,
)

#: Tries per mail: the first, then retries after 1, 2, 4, ... minutes (about 4 hours in all).
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=2)
#: A claimed mail is due again after this if its sender never reported back.
LEASE = timedelta(minutes=10)
#: Mails sent, given up or dropped stay this long for the record, then go.
KEEP_FINISHED = timedelta(days=7)
BATCH = 20


def retry_delay(attempts: int) -> timedelta | None:
    """The wait after the ``attempts``-th failed try, or None: give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


@dataclass(frozen=True)
class DueMail:
    id: int
    booking_id: int
    kind: str
    attempts: int  # including the try about to start
    sealed_pin: str | None


async def queue_mail(
    session: AsyncSession,
    booking_id: int,
    kind: str,
    now: datetime,
    *,
    sealed_pin: str | None = None,
) -> bool:
    """Queue one mail; False when this booking already has one of this kind."""
    existing = await session.scalar(
        select(OutboxMail.id).where(OutboxMail.booking_id == booking_id, OutboxMail.kind == kind)
    )
    if existing is not None:
        return False
    session.add(
        OutboxMail(
            booking_id=booking_id,
            kind=kind,
            status=MAIL_PENDING,
            attempts=0,
            created_at=now,
            next_attempt_at=now,
            sealed_pin=sealed_pin,
        )
    )
    await session.flush()
    return True


async def claim_reminders(session: AsyncSession, now: datetime, before: timedelta) -> int:
    """Queue the reminders that are due; return how many.

    A booking is claimed once: ``reminder_claimed_at`` is set whether a
    reminder is queued or not. None is queued for a booking made inside the
    reminder window (its confirmation has just gone out).
    """
    rows = (
        await session.execute(
            select(Booking.id, Booking.created_at, Booking.starts_at)
            .where(
                Booking.reminder_claimed_at.is_(None),
                Booking.status == BOOKING_CONFIRMED,
                Booking.contact_email.is_not(None),
                Booking.starts_at > now,
                Booking.starts_at <= now + before,
            )
            .order_by(Booking.starts_at, Booking.id)
            .limit(BATCH * 10)
            .with_for_update(skip_locked=True)
        )
    ).all()
    queued = 0
    for booking_id, created_at, starts_at in rows:
        claimed = await session.execute(
            update(Booking)
            .where(Booking.id == booking_id, Booking.reminder_claimed_at.is_(None))
            .values(reminder_claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue
        if created_at < starts_at - before:
            queued += await queue_mail(session, booking_id, MAIL_REMINDER, now)
    return queued


async def claim_due(session: AsyncSession, now: datetime, limit: int = BATCH) -> list[DueMail]:
    """Take up to ``limit`` mails that are due and lease them to this caller."""
    rows = list(
        await session.scalars(
            select(OutboxMail)
            .where(OutboxMail.status == MAIL_PENDING, OutboxMail.next_attempt_at <= now)
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    for row in rows:
        row.attempts = (row.attempts or 0) + 1
        row.next_attempt_at = now + LEASE
    return [DueMail(r.id, r.booking_id, r.kind, r.attempts, r.sealed_pin) for r in rows]


async def mark_sent(session: AsyncSession, mail_id: int, now: datetime) -> None:
    await session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id)
        .values(status=MAIL_SENT, sent_at=now, sealed_pin=None, last_error=None)
        .execution_options(synchronize_session=False)
    )


async def mark_failed(
    session: AsyncSession, mail: DueMail, now: datetime, error: str
) -> timedelta | None:
    """Record a failed try; return the wait before the next one (None: given up)."""
    delay = retry_delay(mail.attempts)
    values: dict[str, object] = {"last_error": error[:64]}
    if delay is None:
        values.update(status=MAIL_FAILED, sealed_pin=None)
    else:
        values["next_attempt_at"] = now + delay
    await session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return delay


async def mark_dropped(session: AsyncSession, mail_id: int, reason: str) -> None:
    await session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id)
        .values(status=MAIL_DROPPED, sealed_pin=None, last_error=reason[:64])
        .execution_options(synchronize_session=False)
    )


async def purge_outbox(session: AsyncSession, now: datetime) -> int:
    """Delete finished mails after ``KEEP_FINISHED``; return how many."""
    cutoff = now - KEEP_FINISHED
    result = await session.execute(
        delete(OutboxMail)
        .where(
            OutboxMail.status.in_([MAIL_SENT, MAIL_FAILED, MAIL_DROPPED]),
            or_(
                OutboxMail.sent_at < cutoff,
                and_(OutboxMail.sent_at.is_(None), OutboxMail.created_at < cutoff),
            ),
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)
