"""Where a message goes: a mail server (SMTP_HOST), or a folder of .eml files.

Transports are blocking (the standard library's ``smtplib``) and run on a
worker thread (``delivery.py``), one message per call. Each raises on
failure; the caller retries later. Neither logs anything: the message holds
a name and an address.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from amtslotse.settings import MailConfig

#: Port of SMTP over TLS from the first byte (RFC 8314); other ports use STARTTLS.
IMPLICIT_TLS_PORT = 465
TIMEOUT_SECONDS = 30.0


class MailTransport(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Deliver one message or raise."""


@dataclass(frozen=True)
class SmtpTransport:
    """SMTP with STARTTLS (or TLS on port 465) and an optional login."""

    host: str
    port: int = 587
    starttls: bool = True
    user: str = ""
    password: str = field(default="", repr=False)
    timeout: float = TIMEOUT_SECONDS

    def send(self, message: EmailMessage) -> None:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.port == IMPLICIT_TLS_PORT:
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with smtp:
            smtp.ehlo()
            if self.starttls and self.port != IMPLICIT_TLS_PORT:
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(message)


@dataclass(frozen=True)
class FolderTransport:
    """Each message as ``<folder>/<time>-<id>.eml`` (mode 600), for a person to open.

    The default without SMTP_HOST, so ``make run`` shows what would be sent.
    Written to a temporary name first and renamed: a reader never sees half a file.
    """

    folder: Path

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        ident = hashlib.sha256(str(message["Message-ID"]).encode()).hexdigest()[:12]
        path = self.folder / f"{stamp}-{ident}.eml"
        temporary = path.with_suffix(".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(message.as_bytes())
        os.replace(temporary, path)


def transport_for(config: MailConfig, outbox: Path) -> MailTransport:
    """SMTP when SMTP_HOST is set, else the outbox folder."""
    if config.smtp_host:
        return SmtpTransport(
            host=config.smtp_host,
            port=config.smtp_port,
            starttls=config.smtp_starttls,
            user=config.smtp_user,
            password=config.smtp_password,
        )
    return FolderTransport(outbox)
