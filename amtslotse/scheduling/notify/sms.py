"""The plug-in point for text messages (SMS). No provider is built in.

Citizens who book with a phone number instead of an e-mail address get no
confirmation or reminder today. A county that contracts an SMS gateway
implements :class:`TextMessageTransport` (blocking, raising on failure,
never logging the number) and wires it in at two places:

- ``notify/outbox.py``: ``claim_reminders`` queues reminders only for
  bookings with ``contact_email``; phone-only bookings would be queued too;
- ``notify/delivery.py``: ``MailDelivery._message`` drops mails without an
  e-mail address; for those it would send the text part of the mail
  (``message.text_part``) shortened to the subject and the summary, to
  ``contact_phone`` (E.164), through this transport.

The outbox, its claims, the retries and the privacy rules stay the same.
"""

from __future__ import annotations

from typing import Protocol


class TextMessageTransport(Protocol):
    def send_text(self, phone_e164: str, text: str) -> None:
        """Deliver one text message to ``phone_e164`` ("+4915123456789") or raise."""
