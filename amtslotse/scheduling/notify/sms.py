"""The plug-in point for text messages (SMS). There is no provider: none is built in.

Citizens who book with a phone number instead of an e-mail address get no
reminder today. A county that contracts an SMS gateway adds a class with
this ``send_text`` (blocking, raising on failure, never logging the number)
and hands it to :class:`~amtslotse.scheduling.notify.delivery.MailDelivery`
as ``texts=``. The delivery then sends the reminder's text part, shortened
to the subject and the summary, to ``contact_phone`` (E.164) for bookings
without an e-mail address, with the same outbox, claims and retries as the
mails. Until then ``texts`` is None and nothing is queued for phone-only
bookings.
"""

from __future__ import annotations

from typing import Protocol


class TextMessageTransport(Protocol):
    def send_text(self, phone_e164: str, text: str) -> None:
        """Deliver one text message to ``phone_e164`` ("+4915123456789") or raise."""
