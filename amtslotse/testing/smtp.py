"""A real SMTP server for tests: aiosmtpd on a free port, keeping what it receives.

    with running_smtp() as smtp:
        ...                          # send to 127.0.0.1:smtp.port
        message = smtp.wait_for(1)[0]  # an email.message.EmailMessage

``refuse_next(n)`` makes the next ``n`` messages fail with a temporary
error (451), as a mail server that is busy or being restarted does; the
sender's retries then get through.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import logging
import threading
import time
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from amtslotse.run.supervisor import free_port


class _Handler:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refused = 0
        self._refuse = 0
        self._lock = threading.Lock()
        self.arrived = threading.Condition(self._lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self._lock:
            if self._refuse > 0:
                self._refuse -= 1
                self.refused += 1
                return "451 4.3.0 Try again later"
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            assert isinstance(parsed, EmailMessage)
            self.messages.append(parsed)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, controller: Controller, handler: _Handler, port: int):
        self._controller = controller
        self._handler = handler
        self.host = "127.0.0.1"
        self.port = port

    @property
    def messages(self) -> list[EmailMessage]:
        with self._handler._lock:
            return list(self._handler.messages)

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        with self._handler._lock:
            return list(self._handler.envelopes)

    @property
    def refused(self) -> int:
        return self._handler.refused

    def refuse_next(self, count: int) -> None:
        with self._handler._lock:
            self._handler._refuse = count

    def wait_for(self, count: int, timeout: float = 10.0) -> list[EmailMessage]:
        """The first ``count`` messages, waiting up to ``timeout`` seconds for them."""
        deadline = time.monotonic() + timeout
        with self._handler.arrived:
            while len(self._handler.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{len(self._handler.messages)} mail(s) arrived, not {count}"
                    )
                self._handler.arrived.wait(left)
            return list(self._handler.messages[:count])


@contextlib.contextmanager
def running_smtp() -> Iterator[SmtpServer]:
    # aiosmtpd logs every line it receives at DEBUG; the tests look for personal
    # data in the logs of the code under test, not in the test server's.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    handler = _Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(controller, handler, port)
    finally:
        controller.stop()
