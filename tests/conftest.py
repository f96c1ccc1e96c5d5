"""Fixtures shared by several test folders.

``assistant`` starts the real assistant (all four processes) once per test
session, for the integration tests (tests/integration) and the browser tests
(tests/browser). The processes are the ones `amtslotse run` starts, on free
ports, with a scratch data directory that holds one staff account for the
hotline console, the editors' pages and the statistics, and with a copy of
the content (``settings.paths.content``: editors' saves in the browser tests change
that copy, never the checkout's files); the fixture always stops them again.
The backend's mail goes to a real SMTP server (aiosmtpd) started with it,
``Running.smtp``.
"""

from __future__ import annotations

import io
import json
import shutil
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from amtslotse.errors import SetupError
from amtslotse.portal.accounts import add_account
from amtslotse.rasa.training.train import train
from amtslotse.run.processes import running_assistant
from amtslotse.settings import Paths, Settings
from amtslotse.testing.smtp import SmtpServer, running_smtp

#: The staff account in the assistant's data dir (a cheap hash: tests only). The
#: browser tests use the hotline console, the editors' pages and the statistics.
STAFF_USER = "test-agent"
STAFF_PASSWORD = "test-password-for-the-console"
STAFF_ROLES = frozenset({"hotline", "editor", "planner"})
STAFF_HASH_ITERATIONS = 1000


@dataclass
class Running:
    settings: Settings
    log: io.StringIO
    smtp: SmtpServer | None = None  # the mail server of the session's assistant
    staff_user: str = STAFF_USER
    staff_password: str = STAFF_PASSWORD

    def post(self, url: str, body: dict, headers: dict | None = None) -> tuple[int, object]:
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        return self._open(request)

    def get(self, url: str, headers: dict | None = None) -> tuple[int, object]:
        return self._open(urllib.request.Request(url, headers=headers or {}))

    @staticmethod
    def _open(request: urllib.request.Request) -> tuple[int, object]:
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            raw, status = error.read(), error.code
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode(errors="replace")

    def chat(self, message: str, sender: str = "integration-0001") -> list[dict]:
        status, body = self.post(
            f"{self.settings.portal_url}/api/chat", {"sender": sender, "message": message}
        )
        assert status == 200, body
        assert isinstance(body, list)
        return body


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    train(Paths())  # no-op when the model is current (make test trains first)
    log = io.StringIO()
    data_dir = tmp_path_factory.mktemp("var")
    content = tmp_path_factory.mktemp("content") / "leichte_sprache"
    shutil.copytree(Paths().content, content)
    add_account(
        data_dir, STAFF_USER, STAFF_PASSWORD, roles=STAFF_ROLES, iterations=STAFF_HASH_ITERATIONS
    )
    try:
        # All tests chat from 127.0.0.1: one client for the portal's rate limit.
        with running_smtp() as smtp, pytest.MonkeyPatch.context() as env:
            env.setenv("CHAT_RATE_PER_MINUTE", "6000")
            env.setenv("CHAT_RATE_BURST", "1000")
            env.setenv("SMTP_HOST", smtp.host)
            env.setenv("SMTP_PORT", str(smtp.port))
            env.setenv("SMTP_STARTTLS", "false")
            env.setenv("CHAT_NEW_CONVERSATIONS_PER_HOUR", "1000")
            env.setenv("CHAT_HOLDS_PER_CLIENT", "1000")
            # The portal on a public address of its own, the others internal
            # (both loopback, so the tests reach them; 127.0.0.0/8 is all local).
            env.setenv("AMTSLOTSE_PUBLIC_HOST", "127.0.0.2")
            env.setenv("AMTSLOTSE_HOST", "127.0.0.1")
            env.setenv("AMTSLOTSE_CONTENT_DIR", str(content))
            with running_assistant(data_dir, log) as settings:
                yield Running(settings, log, smtp)
    except SetupError:
        print(log.getvalue()[-8000:])
        raise
