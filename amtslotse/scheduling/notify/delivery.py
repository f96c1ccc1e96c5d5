"""One run of the mail loop: queue due reminders, then send what is due in the outbox.

``MailDelivery.run_once`` is called by the backend's mail loop
(``housekeeping.deliver_mail_periodically``) at start, every minute, and at
once when a booking or cancel has queued a mail. Each due mail is rendered
from its booking at the moment of sending (``core/mail.py`` for the words,
``message.py`` for the parts, the booking's calendar file), sent on a
worker thread, and marked sent, retried later with backoff, or dropped when
it is no longer wanted (the booking was cancelled, has begun, or its
contact is purged). Only the outbox id, the kind and an exception's type
are logged: never an address, a name, a code or a PIN.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import quote

from sqlalchemy import select

from amtslotse.core.content import Catalogue
from amtslotse.core.mail import compose
from amtslotse.scheduling.clock import Clock, rfc3339, utc_now
from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.db.schema import (
    BOOKING_CANCELLED,
    MAIL_CANCELLATION,
    MAIL_CONFIRMATION,
    MAIL_REMINDER,
    Booking,
    Leg,
)
from amtslotse.scheduling.domain.idempotency import unseal
from amtslotse.scheduling.domain.pin import link_token, sealing_key
from amtslotse.scheduling.notify.message import build_message
from amtslotse.scheduling.notify.outbox import (
    BATCH,
    DueMail,
    claim_due,
    claim_reminders,
    mark_dropped,
    mark_failed,
    mark_sent,
)
from amtslotse.scheduling.notify.transports import MailTransport, transport_for
from amtslotse.scheduling.scheduler import booking_calendar
from amtslotse.scheduling.settings import SchedulingSettings

log = logging.getLogger(__name__)

#: The portal page the cancel link opens (amtslotse/portal/booking_views.py).
CANCEL_PATH = "/termin/{code}"


@dataclass(frozen=True)
class DeliveryReport:
    reminders_queued: int = 0
    sent: int = 0
    failed: int = 0  # failed this time (retried later, or given up)
    dropped: int = 0


def cancel_url(public_url: str, code: str, token: str) -> str:
    """The portal's cancel page for a booking, with its link token in the query."""
    return f"{public_url.rstrip('/')}{CANCEL_PATH.format(code=code)}?t={quote(token)}"


def _error_name(error: BaseException) -> str:
    """What may be logged and stored of a failure: its type, and an SMTP reply code."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({c for c, _ in error.recipients.values()})
        code = codes[0] if codes else None
    return f"{type(error).__name__} {code}" if isinstance(code, int) else type(error).__name__


class MailDelivery:
    def __init__(
        self,
        db: Database,
        *,
        catalogue: Catalogue,
        transport: MailTransport,
        secret_key: str,
        public_url: str,
        sender: str,
        retention_days: int,
        reminder_before: timedelta | None,
        clock: Clock = utc_now,
    ):
        self.db = db
        self.catalogue = catalogue
        self.transport = transport
        self.secret_key = secret_key
        self.public_url = public_url
        self.sender = sender
        self.retention_days = retention_days
        self.reminder_before = reminder_before
        self.clock = clock

    @classmethod
    def from_settings(
        cls,
        db: Database,
        settings: SchedulingSettings,
        *,
        catalogue: Catalogue,
        transport: MailTransport | None = None,
        clock: Clock = utc_now,
    ) -> MailDelivery:
        """As the settings say: SMTP or the outbox folder, the portal's links, the retention."""
        return cls(
            db,
            catalogue=catalogue,
            transport=transport or transport_for(settings.mail, settings.outbox_dir),
            secret_key=settings.secret_key,
            public_url=settings.public_url,
            sender=settings.mail.mail_from,
            retention_days=settings.purge_after_days,
            reminder_before=settings.reminder_before,
            clock=clock,
        )

    async def run_once(self) -> DeliveryReport:
        """Queue due reminders, then send every due mail (in batches)."""
        reminders = 0
        before = self.reminder_before
        if before is not None:
            reminders = await self.db.write(
                lambda session: claim_reminders(session, self.clock(), before)
            )
        sent = failed = dropped = 0
        while True:
            batch = await self.db.write(lambda session: claim_due(session, self.clock()))
            for due in batch:
                outcome = await self._deliver(due)
                sent += outcome == "sent"
                failed += outcome == "failed"
                dropped += outcome == "dropped"
            if len(batch) < BATCH:
                break
        if reminders or sent or failed or dropped:
            log.info(
                "mail: %d reminder(s) queued, %d sent, %d failed, %d dropped",
                reminders,
                sent,
                failed,
                dropped,
            )
        return DeliveryReport(reminders, sent, failed, dropped)

    async def _deliver(self, due: DueMail) -> str:
        now = self.clock()
        message, reason = await self._message(due)
        if message is None:
            await self.db.write(lambda session: mark_dropped(session, due.id, reason))
            return "dropped"
        try:
            await asyncio.to_thread(self.transport.send, message)
        except Exception as error:  # noqa: BLE001 - any failure of a send is retried
            name = _error_name(error)
            delay = await self.db.write(lambda session: mark_failed(session, due, now, name))
            if delay is None:
                log.warning(
                    "mail %d (%s) given up after %d tries: %s", due.id, due.kind, due.attempts, name
                )
            else:
                log.info(
                    "mail %d (%s) try %d failed (%s); again in %d s",
                    due.id,
                    due.kind,
                    due.attempts,
                    name,
                    delay.total_seconds(),
                )
            return "failed"
        await self.db.write(lambda session: mark_sent(session, due.id, self.clock()))
        return "sent"

    async def _message(self, due: DueMail) -> tuple[EmailMessage | None, str]:
        """The message for ``due``, or None and why it is no longer wanted."""
        now = self.clock()
        async with self.db.reading() as session:
            booking = await session.get(Booking, due.booking_id)
            if booking is None or booking.contact_email is None or booking.contact_name is None:
                return None, "no contact"
            cancelled = booking.status == BOOKING_CANCELLED
            if due.kind != MAIL_CANCELLATION and cancelled:
                return None, "cancelled"
            if due.kind == MAIL_REMINDER and booking.starts_at <= now:
                return None, "begun"
            legs = list(
                await session.scalars(
                    select(Leg).where(Leg.booking_id == booking.id).order_by(Leg.starts_at)
                )
            )
            ics = None if cancelled else await booking_calendar(session, booking, now)
            code, name, address = booking.code, booking.contact_name, booking.contact_email
            salt, location_id = booking.pin_salt, booking.location_id
        pin = None
        if due.kind == MAIL_CONFIRMATION and due.sealed_pin:
            pin = unseal(due.sealed_pin, sealing_key(self.secret_key))
        summary = {
            "booking_code": code,
            "location_id": location_id,
            "legs": [
                {
                    "service_id": leg.service_id,
                    "office_id": leg.office_id,
                    "start": rfc3339(leg.starts_at),
                    "end": rfc3339(leg.ends_at),
                }
                for leg in legs
            ],
        }
        mail = compose(
            self.catalogue,
            due.kind,
            summary,
            name=name,
            retention_days=self.retention_days,
            cancel_url=cancel_url(self.public_url, code, link_token(self.secret_key, code, salt)),
            pin=pin,
        )
        message = build_message(
            mail, to_name=name, to_address=address, sender=self.sender, now=now, ics=ics
        )
        return message, ""
