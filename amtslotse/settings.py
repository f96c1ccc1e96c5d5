"""12-factor settings: every knob is an environment variable with a default.

This is the one module that reads the environment. :data:`VARIABLES` lists
every variable the project knows, with its default and meaning; the README's
configuration table is checked against it (tests/test_settings.py), and
:meth:`Settings.from_env` refuses to read a name that is not listed. Each
process's entry point reads one :class:`Settings` once and hands it down;
nothing reads the environment at import time.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from amtslotse.errors import SetupError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name, the default as the README shows it, its meaning."""

    name: str
    default: str
    meaning: str


#: Every environment variable of the project, in the README's order.
VARIABLES: tuple[Variable, ...] = (
    Variable(
        "AMTSLOTSE_PUBLIC_HOST",
        "`127.0.0.1`",
        "interface the portal binds to, the one process the public reaches (e.g. `0.0.0.0`)",
    ),
    Variable(
        "AMTSLOTSE_HOST",
        "`127.0.0.1`",
        "interface Rasa, the action server and the scheduling backend bind to; keep it internal",
    ),
    Variable(
        "AMTSLOTSE_PUBLIC_URL",
        "the portal's own address",
        "the address citizens open, e.g. `https://amtslotse.kreis.example`; the links in "
        "e-mails point there; with `https` the portal's cookies are `Secure` and it sends HSTS",
    ),
    Variable(
        "AMTSLOTSE_TRUSTED_PROXIES",
        "none",
        "reverse proxies (comma-separated addresses or CIDRs) whose `X-Forwarded-For` and "
        "`X-Forwarded-Proto` the portal believes",
    ),
    Variable("PORTAL_PORT", "`8080`", "portal (chat page, `/api/chat`)"),
    Variable(
        "RASA_PORT",
        "`5005`",
        "Rasa server (REST channels only; its HTTP API is off); further instances on the "
        "next ports",
    ),
    Variable(
        "ACTION_SERVER_PORT", "`5055`", "Rasa action server; further instances on the next ports"
    ),
    Variable(
        "RASA_INSTANCES",
        "`1`",
        "Rasa servers `amtslotse run` starts, each with its own action server; more than 1 "
        "needs PostgreSQL for `TRACKER_DB_URL` and the Redis lock store (see "
        "[Several instances](#several-instances))",
    ),
    Variable(
        "RASA_URLS",
        "the ones `amtslotse run` starts",
        "Rasa servers started elsewhere (comma-separated URLs); the portal spreads "
        "conversations over them",
    ),
    Variable("SCHEDULING_PORT", "`8000`", "scheduling backend"),
    Variable("AMTSLOTSE_DATA_DIR", "`./var`", "SQLite databases and generated tokens"),
    Variable(
        "TRACKER_DB_URL",
        "SQLite in the data dir",
        "conversations (SQLAlchemy URL, e.g. `postgresql://user:pw@host/rasa`)",
    ),
    Variable("TRACKER_DB_DIALECT", "`sqlite`", "`postgresql` with a PostgreSQL tracker store"),
    Variable(
        "TRACKER_RETENTION_DAYS",
        "`7`",
        "conversations idle for longer are deleted (by the portal, see below, and by "
        "`amtslotse conversations purge`)",
    ),
    Variable(
        "TRACKER_PURGE_INTERVAL_MINUTES",
        "`360`",
        "how often the portal deletes idle conversations (at start, then at this interval); "
        "`0` leaves it to a cron job",
    ),
    Variable(
        "LOCK_STORE",
        "`in_memory` for 1 instance, `redis` for more",
        "Rasa's conversation lock: `redis` when several Rasa instances share conversations",
    ),
    Variable(
        "REDIS_HOST",
        "none: `amtslotse run` starts `redis-server`",
        "Redis for the lock store; unset, `amtslotse run` starts Debian's `redis-server` "
        "itself (a local try-out)",
    ),
    Variable("REDIS_PORT", "`6379`", "Redis for the lock store"),
    Variable("REDIS_PASSWORD", "none", "password of the Redis lock store"),
    Variable("REDIS_TLS", "`false`", "`true`: Rasa talks TLS to Redis"),
    Variable(
        "DATABASE_URL",
        "SQLite in the data dir",
        "scheduling database (`postgresql+asyncpg://...` in production)",
    ),
    Variable(
        "AMTSLOTSE_ADMIN_TOKEN",
        "random, in the data dir",
        "bearer token for `/api/v1/admin/*`; the portal's hotline console needs the same one",
    ),
    Variable(
        "SCHEDULING_URL", "the local backend", "where the action server finds the scheduling API"
    ),
    Variable(
        "SCHEDULING_SERVICE_TOKEN",
        "random per run",
        "bearer token the action server sends for holds and bookings; `make run` makes one "
        "unless set; the backend refuses to start without one",
    ),
    Variable(
        "SCHEDULING_BUNDLE_KEY",
        "made once in the data dir",
        "signs bundle ids (at least 32 characters); set the same one on every backend instance",
    ),
    Variable(
        "SCHEDULING_HOLD_MINUTES",
        "`10`",
        "how long a chosen time is held while the citizen gives a name and contact",
    ),
    Variable("SCHEDULING_MIN_NOTICE_MINUTES", "`120`", "no appointments sooner than this"),
    Variable("SCHEDULING_HORIZON_DAYS", "`60`", "no appointments later than this"),
    Variable(
        "SCHEDULING_PURGE_AFTER_DAYS",
        "`30`",
        "names and contacts of appointments older than this are deleted (housekeeping, or "
        "`amtslotse db purge`)",
    ),
    Variable(
        "SCHEDULING_HOUSEKEEPING_MINUTES",
        "`60`",
        "the scheduling backend purges by itself, at start and this often: contacts of old "
        "appointments, expired holds, idempotency records older than a day; `0` leaves it to "
        "`amtslotse db purge` in cron",
    ),
    Variable(
        "SCHEDULING_SECRET_KEY",
        "made once in the data dir",
        "keys the PIN hashes and signs the links in e-mails; set the same value on every "
        "backend instance",
    ),
    Variable(
        "SCHEDULING_AUDIT_DAYS",
        "`365`",
        "entries of the staff audit log (look-ups and cancels by the hotline) are kept this long",
    ),
    Variable(
        "SMTP_HOST",
        "none: each mail is an `.eml` file in `<data dir>/outbox/`",
        "mail server for confirmations and reminders",
    ),
    Variable("SMTP_PORT", "`587`", "mail server port (`465`: TLS from the start)"),
    Variable("SMTP_STARTTLS", "`true`", "`false` only for a mail server on the same host"),
    Variable("SMTP_USER", "none", "login at the mail server (with `SMTP_PASSWORD`)"),
    Variable("SMTP_PASSWORD", "none", "password at the mail server"),
    Variable(
        "MAIL_FROM",
        "`Amtslotse <noreply@localhost>`",
        "sender of the e-mails, e.g. `Landkreis Beispiel <termine@landkreis.de>`",
    ),
    Variable(
        "REMINDER_HOURS_BEFORE",
        "`24`",
        "the reminder e-mail goes this many hours before the first appointment; `0`: no reminders",
    ),
    Variable(
        "AMTSLOTSE_STAFF_USERS",
        "none (plus `<data dir>/staff_users`)",
        "staff logins, `name:pbkdf2-hash:roles,...`; `amtslotse staff add NAME --role ...` "
        "makes one",
    ),
    Variable(
        "AMTSLOTSE_SESSION_SECRET",
        "made once in the data dir",
        "keys the staff sessions stored by the portal",
    ),
    Variable(
        "PORTAL_DB_URL",
        "SQLite in the data dir",
        "the portal's staff sessions, statistics, feedback, inbox and content change log "
        "(SQLAlchemy URL); one shared PostgreSQL database when several portal instances run",
    ),
    Variable(
        "FEEDBACK_RETENTION_DAYS",
        "`30`",
        "the editors' inbox (scrubbed messages the bot did not understand or that got a "
        '"Nein") and the feedback are deleted after this',
    ),
    Variable(
        "STATISTICS_IDLE_MINUTES",
        "`30`",
        "a conversation idle for this long has ended: its counts go into the statistics and "
        "its tally is deleted",
    ),
    Variable(
        "CHAT_RATE_PER_MINUTE",
        "`30`",
        "chat messages per client and minute at the portal",
    ),
    Variable("CHAT_RATE_BURST", "`10`", "chat messages a client may send at once"),
    Variable(
        "CHAT_NEW_CONVERSATIONS_PER_HOUR",
        "`20`",
        "new conversations (sender ids) one client may start per hour at the portal",
    ),
    Variable(
        "CHAT_HOLDS_PER_CLIENT",
        "`5`",
        "times one client may choose an appointment time within `SCHEDULING_HOLD_MINUTES`; "
        "caps the times it holds at once",
    ),
    Variable(
        "AMTSLOTSE_WIDGET_ORIGINS",
        "none",
        "other websites that may embed the widget (comma-separated origins)",
    ),
    Variable("AMTSLOTSE_CONTENT_DIR", "`content/leichte_sprache`", "another county's content"),
    Variable(
        "AMTSLOTSE_PYTHON",
        "found via pyenv or PATH",
        "the Python 3.10 used to create `.venv` (read by `scripts/bootstrap.sh` only)",
    ),
)

KNOWN = frozenset(v.name for v in VARIABLES)

#: LOCK_STORE values and the lock store class Rasa loads for them (bot/endpoints.yml).
LOCK_STORE_CLASSES = {"redis": "amtslotse.rasa.locks.SharedLockStore"}


class _Env:
    """Reads only the variables listed in VARIABLES; a typo in a name fails loudly."""

    def __init__(self, env: Mapping[str, str]):
        self._env = env

    def text(self, name: str, default: str = "") -> str:
        if name not in KNOWN:
            raise KeyError(f"{name} is not in amtslotse.settings.VARIABLES")
        value = self._env.get(name)
        return default if value is None or value == "" else value

    def number(self, name: str, default: int, minimum: int | None = None) -> int:
        raw = self.text(name)
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise SetupError(f"{name} must be a whole number, not '{raw}'.") from None
        if minimum is not None and value < minimum:
            raise SetupError(f"{name} must be at least {minimum}, not {value}.")
        return value

    def items(self, name: str) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.text(name).split(",") if p.strip())

    def flag(self, name: str, default: bool) -> bool:
        raw = self.text(name).lower()
        if not raw:
            return default
        if raw in ("1", "true", "yes", "on"):
            return True
        if raw in ("0", "false", "no", "off"):
            return False
        raise SetupError(f"{name} must be true or false, not '{raw}'.")

    def url(self, name: str) -> str:
        raw = self.text(name).rstrip("/")
        if raw and not raw.startswith(("http://", "https://")):
            raise SetupError(f"{name} must start with https:// or http://, not '{raw}'.")
        return raw

    def urls(self, name: str) -> tuple[str, ...]:
        """Comma-separated http(s) URLs, without a trailing slash."""
        found = tuple(u.rstrip("/") for u in self.items(name))
        for url in found:
            if not url.startswith(("http://", "https://")):
                raise SetupError(f"{name} lists '{url}', which does not start with http://.")
        return found

    def networks(self, name: str) -> tuple[str, ...]:
        """Comma-separated addresses or CIDRs, normalised (``10.0.0.1`` → ``10.0.0.1/32``)."""
        found = []
        for item in self.items(name):
            try:
                found.append(str(ipaddress.ip_network(item, strict=False)))
            except ValueError:
                raise SetupError(
                    f"{name} lists '{item}', which is no address or network (e.g. 10.0.0.0/8)."
                ) from None
        return tuple(found)


@dataclass(frozen=True)
class Paths:
    """Where things live; all derived from the project root."""

    root: Path = PROJECT_ROOT
    content_dir: Path | None = None  # another county's content (AMTSLOTSE_CONTENT_DIR)

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def spacy_pipeline(self) -> Path:
        return self.build / "spacy" / "de_amtslotse"

    @property
    def generated_rasa(self) -> Path:
        """Domain, NLU and rules generated from content (see amtslotse.rasa.training.generate)."""
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

    @property
    def lint_config(self) -> Path:
        return self.content / "lint.yml"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Paths:
        return Settings.from_env(env).paths


@dataclass(frozen=True)
class SchedulingConfig:
    """The scheduling backend's part (amtslotse.scheduling.settings builds on it)."""

    database_url: str = ""  # empty: SQLite in the data dir
    admin_token: str = field(default="", repr=False)  # empty: made once in the data dir
    # Bearer token for holds and bookings; empty: `amtslotse run` makes one per run.
    service_token: str = field(default="", repr=False)
    bundle_key: str = field(default="", repr=False)  # empty: made once in the data dir
    hold_minutes: int = 10
    min_notice_minutes: int = 120
    horizon_days: int = 60
    purge_after_days: int = 30
    housekeeping_minutes: int = 60  # 0: off, a cron job runs ``amtslotse db purge``
    secret_key: str = field(default="", repr=False)  # empty: made once in the data dir
    audit_days: int = 365


@dataclass(frozen=True)
class MailConfig:
    """Confirmation and reminder e-mails (amtslotse.scheduling.notify)."""

    smtp_host: str = ""  # empty: .eml files in <data dir>/outbox/
    smtp_port: int = 587
    smtp_starttls: bool = True
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    mail_from: str = "Amtslotse <noreply@localhost>"
    reminder_hours_before: int = 24  # 0: no reminders


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"  # Rasa, the action server, the scheduling backend
    public_host: str = "127.0.0.1"  # the portal
    public_url: str = ""  # empty: the portal's own address (portal_url)
    trusted_proxies: tuple[str, ...] = ()  # networks whose X-Forwarded-* the portal believes
    portal_port: int = 8080
    rasa_port: int = 5005  # the first instance; instance i listens on rasa_port + i
    action_port: int = 5055  # likewise: action server i belongs to Rasa instance i
    rasa_instances: int = 1
    rasa_urls_configured: tuple[str, ...] = ()  # RASA_URLS: Rasa servers started elsewhere
    scheduling_port: int = 8000
    data_dir: Path = PROJECT_ROOT / "var"
    # Rasa tracker store (conversations survive a restart) and lock store.
    tracker_db_dialect: str = "sqlite"
    tracker_db_url: str = field(default="", repr=False)  # empty: SQLite in the data dir
    tracker_retention_days: int = 7  # idle conversations are deleted after this
    tracker_purge_interval_minutes: int = 360  # the portal purges this often; 0: cron does it
    lock_store: str = ""  # "in_memory" or "redis"; empty: see lock_store_type
    redis_host: str = ""  # empty: none configured (`amtslotse run` starts one if needed)
    redis_port: int = 6379
    redis_password: str = field(default="", repr=False)
    redis_tls: bool = False
    scheduling_url: str = ""  # empty: the local backend on scheduling_port
    scheduling: SchedulingConfig = field(default_factory=SchedulingConfig)
    mail: MailConfig = field(default_factory=MailConfig)
    # Staff logins from the environment ("name:hash:roles,...") besides <data dir>/staff_users.
    staff_users: str = field(default="", repr=False)
    session_secret: str = field(default="", repr=False)  # empty: made once in the data dir
    portal_db_url: str = field(default="", repr=False)  # empty: SQLite in the data dir
    feedback_retention_days: int = 30  # the inbox and the feedback
    statistics_idle_minutes: int = 30  # a conversation idle this long is counted and dropped
    # Chat messages per client (IP) and minute at the portal, and the burst allowed.
    chat_rate_per_minute: int = 30
    chat_rate_burst: int = 10
    chat_new_conversations_per_hour: int = 20
    chat_holds_per_client: int = 5  # per hold lifetime (scheduling.hold_minutes)
    widget_origins: tuple[str, ...] = ()  # county websites that embed the widget
    paths: Paths = field(default_factory=Paths)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = _Env(os.environ if env is None else env)
        content = e.text("AMTSLOTSE_CONTENT_DIR")
        return cls(
            host=e.text("AMTSLOTSE_HOST", "127.0.0.1"),
            public_host=e.text("AMTSLOTSE_PUBLIC_HOST", "127.0.0.1"),
            public_url=e.url("AMTSLOTSE_PUBLIC_URL"),
            trusted_proxies=e.networks("AMTSLOTSE_TRUSTED_PROXIES"),
            portal_port=e.number("PORTAL_PORT", 8080),
            rasa_port=e.number("RASA_PORT", 5005),
            action_port=e.number("ACTION_SERVER_PORT", 5055),
            rasa_instances=e.number("RASA_INSTANCES", 1, minimum=1),
            rasa_urls_configured=e.urls("RASA_URLS"),
            scheduling_port=e.number("SCHEDULING_PORT", 8000),
            data_dir=Path(e.text("AMTSLOTSE_DATA_DIR") or PROJECT_ROOT / "var"),
            tracker_db_dialect=e.text("TRACKER_DB_DIALECT", "sqlite"),
            tracker_db_url=e.text("TRACKER_DB_URL"),
            tracker_retention_days=e.number("TRACKER_RETENTION_DAYS", 7),
            tracker_purge_interval_minutes=e.number("TRACKER_PURGE_INTERVAL_MINUTES", 360),
            lock_store=e.text("LOCK_STORE"),
            redis_host=e.text("REDIS_HOST"),
            redis_port=e.number("REDIS_PORT", 6379),
            redis_password=e.text("REDIS_PASSWORD"),
            redis_tls=e.flag("REDIS_TLS", False),
            scheduling_url=e.text("SCHEDULING_URL"),
            scheduling=SchedulingConfig(
                database_url=e.text("DATABASE_URL"),
                admin_token=e.text("AMTSLOTSE_ADMIN_TOKEN"),
                service_token=e.text("SCHEDULING_SERVICE_TOKEN"),
                bundle_key=e.text("SCHEDULING_BUNDLE_KEY"),
                hold_minutes=e.number("SCHEDULING_HOLD_MINUTES", 10, minimum=1),
                min_notice_minutes=e.number("SCHEDULING_MIN_NOTICE_MINUTES", 120, minimum=0),
                horizon_days=e.number("SCHEDULING_HORIZON_DAYS", 60, minimum=1),
                purge_after_days=e.number("SCHEDULING_PURGE_AFTER_DAYS", 30, minimum=1),
                housekeeping_minutes=e.number("SCHEDULING_HOUSEKEEPING_MINUTES", 60, minimum=0),
                secret_key=e.text("SCHEDULING_SECRET_KEY"),
                audit_days=e.number("SCHEDULING_AUDIT_DAYS", 365, minimum=1),
            ),
            mail=MailConfig(
                smtp_host=e.text("SMTP_HOST"),
                smtp_port=e.number("SMTP_PORT", 587, minimum=1),
                smtp_starttls=e.flag("SMTP_STARTTLS", True),
                smtp_user=e.text("SMTP_USER"),
                smtp_password=e.text("SMTP_PASSWORD"),
                mail_from=e.text("MAIL_FROM", "Amtslotse <noreply@localhost>"),
                reminder_hours_before=e.number("REMINDER_HOURS_BEFORE", 24, minimum=0),
            ),
            staff_users=e.text("AMTSLOTSE_STAFF_USERS"),
            session_secret=e.text("AMTSLOTSE_SESSION_SECRET"),
            portal_db_url=e.text("PORTAL_DB_URL"),
            feedback_retention_days=e.number("FEEDBACK_RETENTION_DAYS", 30, minimum=1),
            statistics_idle_minutes=e.number("STATISTICS_IDLE_MINUTES", 30, minimum=1),
            chat_rate_per_minute=e.number("CHAT_RATE_PER_MINUTE", 30),
            chat_rate_burst=e.number("CHAT_RATE_BURST", 10),
            chat_new_conversations_per_hour=e.number(
                "CHAT_NEW_CONVERSATIONS_PER_HOUR", 20, minimum=1
            ),
            chat_holds_per_client=e.number("CHAT_HOLDS_PER_CLIENT", 5, minimum=1),
            widget_origins=tuple(o.rstrip("/") for o in e.items("AMTSLOTSE_WIDGET_ORIGINS")),
            paths=Paths(content_dir=Path(content) if content else None),
        )

    @property
    def lock_store_type(self) -> str:
        """LOCK_STORE, or its default: in memory for one Rasa instance, Redis for several."""
        return self.lock_store or ("redis" if self.rasa_instances > 1 else "in_memory")

    @property
    def rasa_urls(self) -> tuple[str, ...]:
        """Every Rasa server the portal talks to: RASA_URLS, or those ``amtslotse run`` starts."""
        if self.rasa_urls_configured:
            return self.rasa_urls_configured
        return tuple(f"http://{self.host}:{self.rasa_port + i}" for i in range(self.rasa_instances))

    @property
    def action_urls(self) -> tuple[str, ...]:
        """The action servers ``amtslotse run`` starts: number i serves Rasa instance i."""
        return tuple(
            f"http://{self.host}:{self.action_port + i}" for i in range(self.rasa_instances)
        )

    @property
    def rasa_url(self) -> str:
        return self.rasa_urls[0]

    @property
    def action_url(self) -> str:
        return self.action_urls[0]

    @property
    def scheduling_base_url(self) -> str:
        return self.scheduling_url or f"http://{self.host}:{self.scheduling_port}"

    @property
    def portal_url(self) -> str:
        """Where the portal listens (its readiness URL); citizens may use ``public_base_url``."""
        return f"http://{self.public_host}:{self.portal_port}"

    @property
    def public_base_url(self) -> str:
        """The portal as citizens reach it: where links in e-mails point."""
        return self.public_url or self.portal_url

    @property
    def public_https(self) -> bool:
        """The public address is https (a TLS proxy in front): Secure cookies and HSTS."""
        return self.public_base_url.startswith("https://")

    @property
    def tracker_url(self) -> str:
        return self.tracker_db_url or f"sqlite:///{self.data_dir / 'tracker.sqlite3'}"

    @property
    def portal_db(self) -> str:
        return self.portal_db_url or f"sqlite:///{self.data_dir / 'portal.sqlite3'}"

    def rasa_endpoint_env(self, instance: int = 0) -> dict[str, str]:
        """Values for the ${...} placeholders of bot/endpoints.yml, for Rasa ``instance``."""
        return {
            "AMTSLOTSE_ACTION_URL": self.action_urls[instance],
            "TRACKER_DB_DIALECT": self.tracker_db_dialect,
            "TRACKER_DB_URL": self.tracker_url,
            # "redis" means the project's lock store on Redis (amtslotse/rasa/locks.py),
            # which reads REDIS_TLS=false as no TLS (Rasa's own "redis" type would take
            # the text "false" for true; amtslotse.rasa.redis_config).
            "LOCK_STORE": LOCK_STORE_CLASSES.get(self.lock_store_type, self.lock_store_type),
            "REDIS_HOST": self.redis_host or self.host,
            "REDIS_PORT": str(self.redis_port),
            "REDIS_PASSWORD": self.redis_password,
            "REDIS_TLS": "true" if self.redis_tls else "false",
        }

    def child_env(self) -> dict[str, str]:
        """Every variable a child process would need to read these same settings again.

        ``amtslotse run`` may change settings (free ports, tokens made per
        run); children get them as environment variables, the one way in.
        Each child gets only the part it reads (amtslotse.run.processes).
        """
        s, m = self.scheduling, self.mail
        pairs = {
            "AMTSLOTSE_HOST": self.host,
            "AMTSLOTSE_PUBLIC_HOST": self.public_host,
            "AMTSLOTSE_PUBLIC_URL": self.public_url,
            "AMTSLOTSE_TRUSTED_PROXIES": ",".join(self.trusted_proxies),
            "PORTAL_PORT": self.portal_port,
            "RASA_PORT": self.rasa_port,
            "ACTION_SERVER_PORT": self.action_port,
            "RASA_INSTANCES": self.rasa_instances,
            "RASA_URLS": ",".join(self.rasa_urls_configured),
            "SCHEDULING_PORT": self.scheduling_port,
            "AMTSLOTSE_DATA_DIR": self.data_dir,
            "TRACKER_DB_DIALECT": self.tracker_db_dialect,
            "TRACKER_DB_URL": self.tracker_db_url,
            "TRACKER_RETENTION_DAYS": self.tracker_retention_days,
            "TRACKER_PURGE_INTERVAL_MINUTES": self.tracker_purge_interval_minutes,
            "LOCK_STORE": self.lock_store,
            "REDIS_HOST": self.redis_host,
            "REDIS_PORT": self.redis_port,
            "REDIS_PASSWORD": self.redis_password,
            "REDIS_TLS": "true" if self.redis_tls else "false",
            "SCHEDULING_URL": self.scheduling_base_url,
            "DATABASE_URL": s.database_url,
            "AMTSLOTSE_ADMIN_TOKEN": s.admin_token,
            "SCHEDULING_SERVICE_TOKEN": s.service_token,
            "SCHEDULING_BUNDLE_KEY": s.bundle_key,
            "SCHEDULING_HOLD_MINUTES": s.hold_minutes,
            "SCHEDULING_MIN_NOTICE_MINUTES": s.min_notice_minutes,
            "SCHEDULING_HORIZON_DAYS": s.horizon_days,
            "SCHEDULING_PURGE_AFTER_DAYS": s.purge_after_days,
            "SCHEDULING_HOUSEKEEPING_MINUTES": s.housekeeping_minutes,
            "SCHEDULING_SECRET_KEY": s.secret_key,
            "SCHEDULING_AUDIT_DAYS": s.audit_days,
            "SMTP_HOST": m.smtp_host,
            "SMTP_PORT": m.smtp_port,
            "SMTP_STARTTLS": "true" if m.smtp_starttls else "false",
            "SMTP_USER": m.smtp_user,
            "SMTP_PASSWORD": m.smtp_password,
            "MAIL_FROM": m.mail_from,
            "REMINDER_HOURS_BEFORE": m.reminder_hours_before,
            "AMTSLOTSE_STAFF_USERS": self.staff_users,
            "AMTSLOTSE_SESSION_SECRET": self.session_secret,
            "PORTAL_DB_URL": self.portal_db_url,
            "FEEDBACK_RETENTION_DAYS": self.feedback_retention_days,
            "STATISTICS_IDLE_MINUTES": self.statistics_idle_minutes,
            "CHAT_RATE_PER_MINUTE": self.chat_rate_per_minute,
            "CHAT_RATE_BURST": self.chat_rate_burst,
            "CHAT_NEW_CONVERSATIONS_PER_HOUR": self.chat_new_conversations_per_hour,
            "CHAT_HOLDS_PER_CLIENT": self.chat_holds_per_client,
            "AMTSLOTSE_WIDGET_ORIGINS": ",".join(self.widget_origins),
            "AMTSLOTSE_CONTENT_DIR": self.paths.content_dir or "",
        }
        return {k: str(v) for k, v in pairs.items()}


def readme_table() -> str:
    """The README's configuration table (``python -m amtslotse.settings`` prints it)."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [f"| `{v.name}` | {v.default} | {v.meaning} |" for v in VARIABLES]
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover
    print(readme_table())
