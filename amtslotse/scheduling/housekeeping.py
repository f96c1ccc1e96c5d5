"""Housekeeping inside the backend: personal data goes, mails go out, without a cron job.

While the backend runs it calls ``Scheduler.purge`` at start and then every
SCHEDULING_HOUSEKEEPING_MINUTES. That deletes the names and contacts of
appointments older than SCHEDULING_PURGE_AFTER_DAYS, idempotency records
older than a day (they hold sealed access tokens) and expired holds. It runs
at start too, so a backend that is restarted more often than the interval
still purges. A deployment that runs ``amtslotse db purge`` from cron sets
the interval to 0 (``app.py`` then starts nothing).

Several backend instances may run this at the same moment. Each statement of
the purge only touches rows that still need it (``purged_at IS NULL``, rows
past their time), and the database serialises the writers (SQLite: one
``BEGIN IMMEDIATE`` writer; PostgreSQL: row locks, after which the second
instance finds the rows done). A deadlock is retried by ``Database.write``; a
run that still fails is logged and tried again next time. The purge also
drops finished outbox rows, wrong-PIN counters that tell nothing any more and
audit entries older than SCHEDULING_AUDIT_DAYS.

The mail loop (``deliver_mail_periodically``) runs beside it, also while the
purge is left to cron: it queues the reminders that are due
(REMINDER_HOURS_BEFORE before the first leg) and sends what the outbox holds,
every minute and at once when a booking queued a mail. Its claims are safe
with several instances (``notify/outbox.py``): each reminder is queued once,
each mail taken by one instance.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from amtslotse.scheduling.notify.delivery import DeliveryReport, MailDelivery
from amtslotse.scheduling.scheduler import AUDIT_RETENTION_DAYS, PurgeReport, Scheduler

log = logging.getLogger(__name__)


async def housekeep(
    scheduler: Scheduler, older_than_days: int, audit_days: int = AUDIT_RETENTION_DAYS
) -> PurgeReport | None:
    """One run of the purge; never raises, so one bad run cannot end the loop."""
    try:
        report = await scheduler.purge(older_than_days, audit_days)
    except Exception as error:  # noqa: BLE001 - housekeeping must outlive a bad run
        # By type only: a database error's message may quote rows (booking codes,
        # contact data) or the database URL with its password.
        log.warning("housekeeping failed (%s); trying again at the next run", type(error).__name__)
        return None
    if report.bookings or report.idempotency_records or report.holds:
        log.info(
            "housekeeping removed contact data of %d booking(s), %d idempotency record(s) "
            "and %d expired hold(s)",
            report.bookings,
            report.idempotency_records,
            report.holds,
        )
    if report.mails or report.pin_attempts or report.audit_entries:
        log.info(
            "housekeeping deleted %d finished mail(s), %d old PIN counter(s) "
            "and %d old audit entr(ies)",
            report.mails,
            report.pin_attempts,
            report.audit_entries,
        )
    return report


async def housekeep_periodically(
    scheduler: Scheduler,
    older_than_days: int,
    interval_seconds: float,
    stop: asyncio.Event,
    audit_days: int = AUDIT_RETENTION_DAYS,
) -> None:
    """Run ``housekeep`` now and then every ``interval_seconds`` until ``stop`` is set.

    Stopping is by the event, not by cancelling: a run in progress ends its
    transaction (commit or rollback) before the engine is disposed, and the
    wait between runs ends at once.
    """
    while not stop.is_set():
        await housekeep(scheduler, older_than_days, audit_days)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), interval_seconds)


async def deliver_mail(delivery: MailDelivery) -> DeliveryReport | None:
    """One run of the mail loop; never raises (by type only in the log, as above)."""
    try:
        return await delivery.run_once()
    except Exception as error:  # noqa: BLE001 - the loop must outlive a bad run
        log.warning("mail run failed (%s); trying again at the next run", type(error).__name__)
        return None


async def deliver_mail_periodically(
    delivery: MailDelivery, interval_seconds: float, stop: asyncio.Event, wake: asyncio.Event
) -> None:
    """Run ``deliver_mail`` now, then whenever ``wake`` is set or the interval has passed."""
    while not stop.is_set():
        wake.clear()
        await deliver_mail(delivery)
        waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
        try:
            await asyncio.wait(waits, timeout=interval_seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()
