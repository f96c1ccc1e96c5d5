"""12-factor settings: every knob is an environment variable with a default.

One frozen object, read once by each process's entry point and passed down;
nothing reads the environment at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        from amtslotse.errors import SetupError

        raise SetupError(f"{key} must be a whole number, not '{raw}'.") from None


@dataclass(frozen=True)
class Paths:
    """Where things live; all derived from the project root."""

    root: Path = PROJECT_ROOT
    content_dir: Path | None = None  # another county's content (AMTSLOTSE_CONTENT_DIR)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Paths:
        env = os.environ if env is None else env
        content = env.get("AMTSLOTSE_CONTENT_DIR")
        return cls(content_dir=Path(content) if content else None)

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def spacy_pipeline(self) -> Path:
        return self.build / "spacy" / "de_amtslotse"

    @property
    def generated_rasa(self) -> Path:
        """Domain, NLU and rules generated from content (see amtslotse.training.generate)."""
        return self.build / "rasa"

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def bot(self) -> Path:
        return self.root / "bot"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def content(self) -> Path:
        return self.content_dir or self.root / "content" / "leichte_sprache"


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    portal_port: int = 8080
    rasa_port: int = 5005
    action_port: int = 5055
    scheduling_port: int = 8000
    data_dir: Path = PROJECT_ROOT / "var"
    rasa_token: str = ""  # empty: a random one is made per run
    # Rasa tracker store (conversations survive a restart) and lock store.
    tracker_db_dialect: str = "sqlite"
    tracker_db_url: str = ""  # SQLAlchemy URL; empty: SQLite in <data_dir>/tracker.sqlite3
    tracker_retention_days: int = 7  # idle conversations are deleted after this
    tracker_purge_interval_minutes: int = 360  # the portal purges this often; 0: cron does it
    lock_store: str = "in_memory"  # or "redis"
    redis_host: str = "127.0.0.1"
    redis_port: int = 6379
    scheduling_url: str = ""  # empty: the local backend on scheduling_port
    # Chat messages per client (IP) and minute at the portal, and the burst allowed.
    chat_rate_per_minute: int = 30
    chat_rate_burst: int = 10
    paths: Paths = field(default_factory=Paths)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("AMTSLOTSE_DATA_DIR") or PROJECT_ROOT / "var")
        return cls(
            host=env.get("AMTSLOTSE_HOST", "127.0.0.1"),
            portal_port=_int(env, "PORTAL_PORT", 8080),
            rasa_port=_int(env, "RASA_PORT", 5005),
            action_port=_int(env, "ACTION_SERVER_PORT", 5055),
            scheduling_port=_int(env, "SCHEDULING_PORT", 8000),
            data_dir=data_dir,
            rasa_token=env.get("RASA_AUTH_TOKEN", ""),
            tracker_db_dialect=env.get("TRACKER_DB_DIALECT", "sqlite"),
            tracker_db_url=env.get("TRACKER_DB_URL", ""),
            tracker_retention_days=_int(env, "TRACKER_RETENTION_DAYS", 7),
            tracker_purge_interval_minutes=_int(env, "TRACKER_PURGE_INTERVAL_MINUTES", 360),
            lock_store=env.get("LOCK_STORE", "in_memory"),
            redis_host=env.get("REDIS_HOST", "127.0.0.1"),
            redis_port=_int(env, "REDIS_PORT", 6379),
            scheduling_url=env.get("SCHEDULING_URL", ""),
            chat_rate_per_minute=_int(env, "CHAT_RATE_PER_MINUTE", 30),
            chat_rate_burst=_int(env, "CHAT_RATE_BURST", 10),
            paths=Paths.from_env(env),
        )

    @property
    def rasa_url(self) -> str:
        return f"http://{self.host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{self.host}:{self.action_port}"

    @property
    def scheduling_base_url(self) -> str:
        return self.scheduling_url or f"http://{self.host}:{self.scheduling_port}"

    @property
    def portal_url(self) -> str:
        return f"http://{self.host}:{self.portal_port}"

    @property
    def tracker_url(self) -> str:
        return self.tracker_db_url or f"sqlite:///{self.data_dir / 'tracker.sqlite3'}"

    def rasa_endpoint_env(self) -> dict[str, str]:
        """Values for the ${...} placeholders of bot/endpoints.yml."""
        return {
            "AMTSLOTSE_ACTION_URL": self.action_url,
            "TRACKER_DB_DIALECT": self.tracker_db_dialect,
            "TRACKER_DB_URL": self.tracker_url,
            "LOCK_STORE": self.lock_store,
            "REDIS_HOST": self.redis_host,
            "REDIS_PORT": str(self.redis_port),
        }
