"""The four processes of a running assistant, as ProcessSpecs for the supervisor.

Each child gets only the settings it reads (``_NEEDS``): the staff accounts
and the session secret reach the portal alone, the scheduling database and
the mail password the backend alone, Redis's password Rasa alone; the admin
token reaches the backend and the portal, whose hotline console uses it for
logged-in staff only. No secret is on a command line (``ps`` shows those to every user), and no
project variable is inherited from the supervisor's own environment. Files
the children make are the owner's only (umask 077; the data dir is 0700).
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO

from amtslotse.rasa.training.train import RASA_QUIET, model_path
from amtslotse.run.supervisor import ProcessSpec, Supervisor, free_port
from amtslotse.settings import KNOWN, Settings

#: Files the children write (SQLite databases, tokens, mails) are the owner's only.
PRIVATE_UMASK = 0o077

_SCHEDULING_SETTINGS = (
    "SCHEDULING_HOLD_MINUTES",
    "SCHEDULING_MIN_NOTICE_MINUTES",
    "SCHEDULING_HORIZON_DAYS",
    "SCHEDULING_PURGE_AFTER_DAYS",
    "SCHEDULING_HOUSEKEEPING_MINUTES",
)

_MAIL_SETTINGS = (
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_STARTTLS",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "MAIL_FROM",
    "REMINDER_HOURS_BEFORE",
)

#: The variables each process reads; Rasa reads none of them (only the
#: placeholders of bot/endpoints.yml, Settings.rasa_endpoint_env).
_NEEDS: dict[str, frozenset[str]] = {
    "scheduling": frozenset(
        {
            "AMTSLOTSE_DATA_DIR",
            "AMTSLOTSE_CONTENT_DIR",
            "DATABASE_URL",
            "AMTSLOTSE_ADMIN_TOKEN",
            "SCHEDULING_SERVICE_TOKEN",
            "SCHEDULING_BUNDLE_KEY",
            "SCHEDULING_SECRET_KEY",
            "SCHEDULING_AUDIT_DAYS",
            *_SCHEDULING_SETTINGS,
            # the mails: how they go, and the portal address their cancel links point to
            *_MAIL_SETTINGS,
            "AMTSLOTSE_PUBLIC_URL",
            "AMTSLOTSE_PUBLIC_HOST",
            "PORTAL_PORT",
        }
    ),
    "actions": frozenset(
        {
            "SCHEDULING_URL",
            "SCHEDULING_SERVICE_TOKEN",
            "AMTSLOTSE_CONTENT_DIR",
            # the privacy notice before a booking states how long contacts are kept
            "SCHEDULING_PURGE_AFTER_DAYS",
        }
    ),
    "portal": frozenset(
        {
            # where it listens, and where the processes behind it are
            "AMTSLOTSE_PUBLIC_HOST",
            "PORTAL_PORT",
            "AMTSLOTSE_PUBLIC_URL",
            "AMTSLOTSE_TRUSTED_PROXIES",
            "AMTSLOTSE_HOST",
            "RASA_PORT",
            "ACTION_SERVER_PORT",
            "SCHEDULING_URL",
            # the hotline console looks bookings up and cancels them through the
            # backend's admin endpoints, for a logged-in staff account only
            "AMTSLOTSE_ADMIN_TOKEN",
            # staff logins and their sessions
            "AMTSLOTSE_DATA_DIR",
            "AMTSLOTSE_STAFF_USERS",
            "AMTSLOTSE_SESSION_SECRET",
            "PORTAL_DB_URL",
            # statistics, feedback and the editors' inbox
            "FEEDBACK_RETENTION_DAYS",
            "STATISTICS_IDLE_MINUTES",
            # deleting idle conversations
            "TRACKER_DB_URL",
            "TRACKER_RETENTION_DAYS",
            "TRACKER_PURGE_INTERVAL_MINUTES",
            # the chat's limits, the widget, the content
            "CHAT_RATE_PER_MINUTE",
            "CHAT_RATE_BURST",
            "CHAT_NEW_CONVERSATIONS_PER_HOUR",
            "CHAT_HOLDS_PER_CLIENT",
            "SCHEDULING_HOLD_MINUTES",
            "AMTSLOTSE_WIDGET_ORIGINS",
            "AMTSLOTSE_CONTENT_DIR",
        }
    ),
}


#: Variables no child reads as such: the supervisor turns them into command-line
#: options (the backend's port) or into Rasa's endpoint placeholders
#: (Settings.rasa_endpoint_env), or only scripts/bootstrap.sh reads them. A new
#: variable belongs here or to the processes in _NEEDS that read it
#: (tests/test_processes.py checks that each has its place).
SUPERVISOR_ONLY = frozenset(
    {
        "SCHEDULING_PORT",
        "TRACKER_DB_DIALECT",
        "LOCK_STORE",
        "REDIS_HOST",
        "REDIS_PORT",
        "REDIS_PASSWORD",
        "REDIS_TLS",
        "AMTSLOTSE_PYTHON",
    }
)


def _bin(name: str) -> str:
    """A console script of this virtual environment."""
    return str(Path(sys.executable).with_name(name))


def child_env(settings: Settings, process: str) -> dict[str, str]:
    """The settings ``process`` reads, and no others."""
    needs = _NEEDS[process]
    return {k: v for k, v in settings.child_env().items() if k in needs}


def private_data_dir(data_dir: Path) -> None:
    """Create the data dir, and make it and everything in it the owner's only (0700/0600)."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    data_dir.chmod(0o700)
    for root, dirs, files in os.walk(data_dir):
        for name in dirs:
            (Path(root) / name).chmod(0o700)
        for name in files:
            path = Path(root) / name
            if not path.is_symlink():
                path.chmod(0o600)


def with_run_tokens(settings: Settings) -> Settings:
    """The token a run makes unless configured: the scheduling service token.

    The backend refuses to hold or book without a service token; the action
    server gets the same one through ``child_env`` (and no other process needs it).
    """
    if not settings.scheduling.service_token:
        scheduling = replace(settings.scheduling, service_token=secrets.token_hex(32))
        settings = replace(settings, scheduling=scheduling)
    return settings


def with_admin_token(settings: Settings) -> Settings:
    """AMTSLOTSE_ADMIN_TOKEN, else the one the backend keeps in ``<data dir>/admin-token``.

    The portal needs the same token as the backend: the hotline console looks
    bookings up and cancels them through the backend's admin endpoints. Both
    get it through ``child_env``; the data dir must exist.
    """
    if settings.scheduling.admin_token:
        return settings
    from amtslotse.scheduling.settings import kept_admin_token

    token = kept_admin_token(settings.data_dir)
    return replace(settings, scheduling=replace(settings.scheduling, admin_token=token))


def process_specs(settings: Settings) -> list[ProcessSpec]:
    """Scheduling backend, action server, Rasa, portal: in start order.

    The portal comes last because its /healthz answers only when the other
    three do; the action server before Rasa so Rasa's first turn finds it.
    """
    root = settings.paths.root
    host = settings.host
    return [
        ProcessSpec(
            name="scheduling",
            argv=[
                _bin("amtslotse"),
                "serve-scheduling",
                "--host",
                host,
                "--port",
                str(settings.scheduling_port),
            ],
            port=settings.scheduling_port,
            ready_url=f"http://{host}:{settings.scheduling_port}/healthz",
            env=child_env(settings, "scheduling"),
            port_setting="SCHEDULING_PORT",
            host=host,
            cwd=root,
            unset=KNOWN,
            umask=PRIVATE_UMASK,
        ),
        ProcessSpec(
            name="actions",
            argv=[
                _bin("amtslotse"),
                "serve-actions",
                "--host",
                host,
                "--port",
                str(settings.action_port),
            ],
            port=settings.action_port,
            ready_url=f"{settings.action_url}/health",
            env=child_env(settings, "actions"),
            port_setting="ACTION_SERVER_PORT",
            host=host,
            cwd=root,
            unset=KNOWN,
            umask=PRIVATE_UMASK,
        ),
        ProcessSpec(
            name="rasa",
            argv=[
                _bin("rasa"),
                "run",
                "--model",
                str(model_path(settings.paths)),
                "--interface",
                host,
                "--port",
                str(settings.rasa_port),
                # No --enable-api: nothing uses Rasa's HTTP API (the portal talks
                # to the REST channels, the purge to the tracker database).
                "--endpoints",
                "bot/endpoints.yml",
                "--credentials",
                "bot/credentials.yml",
            ],
            port=settings.rasa_port,
            ready_url=f"{settings.rasa_url}/",
            env={**RASA_QUIET, **settings.rasa_endpoint_env()},
            port_setting="RASA_PORT",
            host=host,
            cwd=root,
            unset=KNOWN,
            umask=PRIVATE_UMASK,
        ),
        ProcessSpec(
            name="portal",
            argv=[
                _bin("amtslotse"),
                "serve-portal",
                "--host",
                settings.public_host,
                "--port",
                str(settings.portal_port),
            ],
            port=settings.portal_port,
            ready_url=f"{settings.portal_url}/healthz",
            env=child_env(settings, "portal"),
            port_setting="PORTAL_PORT",
            host=settings.public_host,
            cwd=root,
            unset=KNOWN,
            umask=PRIVATE_UMASK,
        ),
    ]


@contextmanager
def running_assistant(data_dir: Path, out: IO[str], *, timeout: float = 300) -> Iterator[Settings]:
    """All four processes on free ports with a scratch data dir; stopped on exit.

    For the integration tests and the benchmarks; ``amtslotse run`` uses the
    configured ports instead.
    """
    base = Settings.from_env()
    settings = with_run_tokens(
        replace(
            base,
            portal_port=free_port(base.public_host),
            rasa_port=free_port(base.host),
            action_port=free_port(base.host),
            scheduling_port=free_port(base.host),
            data_dir=data_dir,
            # The backend is the one started here; the stores come from the
            # environment (SQLite in data_dir by default, PostgreSQL/Redis if set).
            scheduling_url="",
        )
    )
    private_data_dir(data_dir)
    settings = with_admin_token(settings)
    with Supervisor(process_specs(settings), out=out) as supervisor:
        supervisor.start()
        supervisor.wait_ready(timeout=timeout)
        yield settings
