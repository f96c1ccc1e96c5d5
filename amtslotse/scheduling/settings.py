"""Settings of the scheduling backend, read once from the environment (12-factor).

DATABASE_URL                   sqlite+aiosqlite:///<data dir>/scheduling.sqlite3 (default)
                               or postgresql+asyncpg://user:pw@host/db
AMTSLOTSE_DATA_DIR             data folder (default <repo>/var)
AMTSLOTSE_ADMIN_TOKEN          bearer token of /admin; when unset a random token
                               is kept in <data dir>/admin-token (mode 600)
SCHEDULING_HOLD_MINUTES        how long a hold lasts (10)
SCHEDULING_MIN_NOTICE_MINUTES  earliest appointment after now (120)
SCHEDULING_HORIZON_DAYS        latest appointment after now (60)
SCHEDULING_PURGE_AFTER_DAYS    delete contact data this long after the appointment (30)
SCHEDULING_HOUSEKEEPING_MINUTES
                               the backend runs that purge itself, at start and this
                               often (60); 0 leaves it to ``amtslotse db purge`` in cron
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from amtslotse.errors import SetupError
from amtslotse.scheduling.domain.model import SearchRules

REPO_ROOT = Path(__file__).resolve().parents[2]
MAX_BODY_BYTES = 16 * 1024  # a booking request is a few hundred bytes


def default_data_dir(env: Mapping[str, str]) -> Path:
    return Path(env.get("AMTSLOTSE_DATA_DIR") or REPO_ROOT / "var")


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _int(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SetupError(f"{name} must be a whole number, not '{raw}'.") from None
    if value < minimum:
        raise SetupError(f"{name} must be at least {minimum}, not {value}.")
    return value


def _admin_token(data_dir: Path) -> str:
    """The token in ``<data dir>/admin-token``, created (mode 600) on first use."""
    path = data_dir / "admin-token"
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
    def from_env(cls, env: Mapping[str, str] | None = None) -> SchedulingSettings:
        env = os.environ if env is None else env
        data_dir = default_data_dir(env)
        url = env.get("DATABASE_URL") or ""
        if not url:
            data_dir.mkdir(parents=True, exist_ok=True)
            url = sqlite_url(data_dir / "scheduling.sqlite3")
        elif url.startswith(("postgres://", "postgresql://")):
            # The usual libpq-style URL: use the asyncio driver for it.
            url = "postgresql+asyncpg://" + url.split("://", 1)[1]
        return cls(
            database_url=url,
            admin_token=env.get("AMTSLOTSE_ADMIN_TOKEN") or _admin_token(data_dir),
            data_dir=data_dir,
            hold_minutes=_int(env, "SCHEDULING_HOLD_MINUTES", 10, 1),
            min_notice_minutes=_int(env, "SCHEDULING_MIN_NOTICE_MINUTES", 120, 0),
            horizon_days=_int(env, "SCHEDULING_HORIZON_DAYS", 60, 1),
            purge_after_days=_int(env, "SCHEDULING_PURGE_AFTER_DAYS", 30, 1),
            housekeeping_minutes=_int(env, "SCHEDULING_HOUSEKEEPING_MINUTES", 60, 0),
        )
