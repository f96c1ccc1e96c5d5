"""Settings of the scheduling backend, built from the project's one Settings.

The variables (DATABASE_URL, AMTSLOTSE_ADMIN_TOKEN, SCHEDULING_*, SMTP_*,
MAIL_FROM, REMINDER_HOURS_BEFORE, AMTSLOTSE_PUBLIC_URL) are read by
amtslotse.settings; this module adds what the backend derives from them: the
SQLite default in the data dir, the asyncio driver for PostgreSQL URLs, and
the admin token and secret key kept in ``<data dir>/admin-token`` and
``<data dir>/scheduling-secret`` (mode 600) when none is set.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from amtslotse.scheduling.domain.model import SearchRules
from amtslotse.settings import MailConfig, Settings

MAX_BODY_BYTES = 16 * 1024  # a booking request is a few hundred bytes


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _admin_token(data_dir: Path) -> str:
    """The token in ``<data dir>/admin-token``, created (mode 600) on first use."""
    return _kept_secret(data_dir, "admin-token")


def _kept_secret(data_dir: Path, name: str) -> str:
    """The secret in ``<data dir>/<name>``, created (mode 600) on first use."""
    path = data_dir / name
    if path.is_file():
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token
    data_dir.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    # Created with mode 600 from the start: never readable by others, not even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token + "\n")
    os.chmod(path, 0o600)
    return token


@dataclass(frozen=True)
class SchedulingSettings:
    database_url: str
    admin_token: str = field(repr=False)  # never in logs or tracebacks
    data_dir: Path
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
            admin_token=s.admin_token or _admin_token(settings.data_dir),
            data_dir=settings.data_dir,
            hold_minutes=s.hold_minutes,
            min_notice_minutes=s.min_notice_minutes,
            horizon_days=s.horizon_days,
            purge_after_days=s.purge_after_days,
            housekeeping_minutes=s.housekeeping_minutes,
            content_dir=settings.paths.content,
            secret_key=s.secret_key or _kept_secret(settings.data_dir, "scheduling-secret"),
            audit_days=s.audit_days,
            mail=settings.mail,
            public_url=settings.public_base_url,
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SchedulingSettings:
        """Shorthand for ``from_settings(Settings.from_env(env))``."""
        return cls.from_settings(Settings.from_env(env))
