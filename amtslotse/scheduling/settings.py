"""Settings of the scheduling backend, built from the project's one Settings.

The variables (DATABASE_URL, AMTSLOTSE_ADMIN_TOKEN, SCHEDULING_*, SMTP_*,
MAIL_FROM, REMINDER_HOURS_BEFORE, AMTSLOTSE_PUBLIC_URL) are read by
amtslotse.settings; this module adds what the backend derives from them: the
SQLite default in the data dir, the asyncio driver for PostgreSQL URLs, and
the admin token, bundle key and secret key kept in ``<data dir>/admin-token``,
``<data dir>/bundle-key`` and ``<data dir>/scheduling-secret`` (mode 600, made
once) when none is set.

The service token (SCHEDULING_SERVICE_TOKEN) is never made here: the process
that starts the backend makes it and hands it to the action server too
(``amtslotse run``). Without one the write routes refuse everything and
``serve`` does not start.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from amtslotse.scheduling.domain.model import SearchRules
from amtslotse.settings import MailConfig, Settings

MAX_BODY_BYTES = 16 * 1024  # a booking request is a few hundred bytes


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


MIN_BUNDLE_KEY_LENGTH = 32


def kept_admin_token(data_dir: Path) -> str:
    """The token in ``<data dir>/admin-token``, created (mode 600) on first use.

    ``amtslotse run`` reads it too, to hand the same token to the portal (the
    hotline console's look-ups go through the backend's admin endpoints).
    """
    return _secret_file(data_dir / "admin-token")


def _bundle_key(configured: str, data_dir: Path) -> bytes:
    """SCHEDULING_BUNDLE_KEY, else the key in ``<data dir>/bundle-key`` (made once)."""
    if configured:
        if len(configured) < MIN_BUNDLE_KEY_LENGTH:
            from amtslotse.errors import SetupError

            raise SetupError(
                f"SCHEDULING_BUNDLE_KEY must have at least {MIN_BUNDLE_KEY_LENGTH} characters."
            )
        return configured.encode("utf-8")
    return _secret_file(data_dir / "bundle-key").encode("ascii")


def _secret_file(path: Path) -> str:
    """The secret in ``path``, created (mode 600) with 256 random bits on first use."""
    if path.is_file():
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token
        path.unlink()  # empty: a start that died while writing it
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    # Created with mode 600 from the start: never readable by others, not even briefly.
    # O_EXCL: of two processes starting at once, one writes, the other reads its key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(100):  # the other process is writing it: a moment
            existing = path.read_text(encoding="utf-8").strip()
            if existing:
                return existing
            time.sleep(0.01)
        raise
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    os.chmod(path, 0o600)
    return token


@dataclass(frozen=True)
class SchedulingSettings:
    database_url: str
    admin_token: str = field(repr=False)  # never in logs or tracebacks
    data_dir: Path
    # Bearer token of the write routes (holds, bookings); empty: they refuse everything.
    service_token: str = field(default="", repr=False)
    # Signs bundle ids; None: a random key for this process only (tests, one-off tools).
    bundle_key: bytes | None = field(default=None, repr=False)
    hold_minutes: int = 10
    min_notice_minutes: int = 120
    horizon_days: int = 60
    purge_after_days: int = 30
    housekeeping_minutes: int = 60  # 0: off, a cron job runs ``amtslotse db purge``
    max_body_bytes: int = MAX_BODY_BYTES
    # The editors' content the catalogue is seeded from (AMTSLOTSE_CONTENT_DIR).
    content_dir: Path | None = None
    # Keys the PIN hashes and signs the links in e-mails (SCHEDULING_SECRET_KEY).
    # Random when the settings are made in code (tests); from_settings keeps one.
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    audit_days: int = 365
    mail: MailConfig = field(default_factory=MailConfig)
    # The portal as citizens reach it; the cancel links in e-mails point there.
    public_url: str = "http://127.0.0.1:8080"
    # How often the mail loop looks for due reminders and retries; 0: no mail loop
    # (tests that drive ``MailDelivery`` themselves).
    mail_poll_seconds: float = 60.0

    @property
    def outbox_dir(self) -> Path:
        """Where mails go as .eml files when no SMTP_HOST is set."""
        return self.data_dir / "outbox"

    @property
    def reminder_before(self) -> timedelta | None:
        hours = self.mail.reminder_hours_before
        return timedelta(hours=hours) if hours > 0 else None

    @property
    def hold_duration(self) -> timedelta:
        return timedelta(minutes=self.hold_minutes)

    @property
    def search_rules(self) -> SearchRules:
        return SearchRules(
            min_notice=timedelta(minutes=self.min_notice_minutes),
            horizon=timedelta(days=self.horizon_days),
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> SchedulingSettings:
        s = settings.scheduling
        url = s.database_url
        if not url:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            url = sqlite_url(settings.data_dir / "scheduling.sqlite3")
        elif url.startswith(("postgres://", "postgresql://")):
            # The usual libpq-style URL: use the asyncio driver for it.
            url = "postgresql+asyncpg://" + url.split("://", 1)[1]
        return cls(
            database_url=url,
            admin_token=s.admin_token or kept_admin_token(settings.data_dir),
            data_dir=settings.data_dir,
            service_token=s.service_token,
            bundle_key=_bundle_key(s.bundle_key, settings.data_dir),
            hold_minutes=s.hold_minutes,
            min_notice_minutes=s.min_notice_minutes,
            horizon_days=s.horizon_days,
            purge_after_days=s.purge_after_days,
            housekeeping_minutes=s.housekeeping_minutes,
            content_dir=settings.paths.content,
            secret_key=s.secret_key or _secret_file(settings.data_dir / "scheduling-secret"),
            audit_days=s.audit_days,
            mail=settings.mail,
            public_url=settings.public_base_url,
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SchedulingSettings:
        """Shorthand for ``from_settings(Settings.from_env(env))``."""
        return cls.from_settings(Settings.from_env(env))
