"""The processes of a running assistant, as ProcessSpecs for the supervisor.

``RASA_INSTANCES=N`` makes N pairs of a Rasa server and its action server
(amtslotse.run.topology refuses setups that would lose events), and a
Redis of its own for a try-out when the lock store is Redis and none is
configured (amtslotse.run.redis).

Each child gets only the settings it reads (``_NEEDS``): the staff accounts
and the session secret reach the portal alone, the scheduling database and
the mail password the backend alone, Redis's password Rasa alone (and the
Redis started here, in its private config file); the admin token reaches the
backend and the portal, whose hotline console uses it for logged-in staff
only. No secret is on a command line (``ps`` shows those to every user), and
no project variable is inherited from the supervisor's own environment.
Files the children make are the owner's only (umask 077; the data dir is
0700). The portal binds the public address (``AMTSLOTSE_PUBLIC_HOST``),
everything else the internal one (``AMTSLOTSE_HOST``).
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
from amtslotse.run.redis import redis_spec
from amtslotse.run.supervisor import ProcessSpec, Supervisor, free_port
from amtslotse.run.topology import (
    check_instances,
    check_own_redis,
    starts_own_rasa,
    starts_own_redis,
)
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
            "RASA_INSTANCES",
            "RASA_URLS",
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
#: options (the backend's port), into Rasa's endpoint placeholders
#: (Settings.rasa_endpoint_env) or into the Redis it starts itself, or only
#: scripts/bootstrap.sh reads them. A new
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


def _instance(name: str, i: int, n: int) -> str:
    """``rasa`` for a single instance; ``rasa-1``, ``rasa-2``, ... for several."""
    return name if n == 1 else f"{name}-{i + 1}"


def process_specs(settings: Settings) -> list[ProcessSpec]:
    """Redis (if started here), scheduling backend, action servers, Rasa servers, portal.

    In start order; the supervisor stops them in reverse. The portal comes
    last because its /healthz answers only when the others do; the action
    servers before Rasa so Rasa's first turn finds them. Rasa instance i
    (``RASA_INSTANCES``) listens on ``RASA_PORT + i`` and calls action server
    i on ``ACTION_SERVER_PORT + i``: a pair fails together, and the portal's
    health check, which asks each Rasa about its action server, takes the
    pair out of the rotation together.
    """
    root = settings.paths.root
    host = settings.host
    specs: list[ProcessSpec] = []
    own_rasa = starts_own_rasa(settings)
    if own_rasa:
        check_instances(settings)
    if own_rasa and starts_own_redis(settings):
        check_own_redis(settings)
        redis = redis_spec(
            host, settings.redis_port, settings.data_dir / "redis", settings.redis_password
        )
        specs.append(replace(redis, host=host, unset=KNOWN, umask=PRIVATE_UMASK))
        settings = replace(settings, redis_host=host)
    n = settings.rasa_instances if own_rasa else 0
    specs.append(
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
        )
    )
    specs += [
        ProcessSpec(
            name=_instance("actions", i, n),
            argv=[
                _bin("amtslotse"),
                "serve-actions",
                "--host",
                host,
                "--port",
                str(settings.action_port + i),
            ],
            port=settings.action_port + i,
            ready_url=f"{settings.action_urls[i]}/health",
            env=child_env(settings, "actions"),
            port_setting="ACTION_SERVER_PORT",
            host=host,
            group="actions",
            cwd=root,
            unset=KNOWN,
            umask=PRIVATE_UMASK,
        )
        for i in range(n)
    ]
    specs += [
        ProcessSpec(
            name=_instance("rasa", i, n),
            argv=[
                _bin("rasa"),
                "run",
                "--model",
                str(model_path(settings.paths)),
                "--interface",
                host,
                "--port",
                str(settings.rasa_port + i),
                # No --enable-api: nothing uses Rasa's HTTP API (the portal talks
                # to the REST channels, the purge to the tracker database).
                "--endpoints",
                "bot/endpoints.yml",
                "--credentials",
                "bot/credentials.yml",
                # No citizen's text in Rasa's log, in error paths too.
                "--logging-config-file",
                "bot/logging.yml",
            ],
            port=settings.rasa_port + i,
            ready_url=f"{settings.rasa_urls[i]}/",
            env={**RASA_QUIET, **settings.rasa_endpoint_env(i)},
            port_setting="RASA_PORT",
            host=host,
            group="rasa",
            cwd=root,
            unset=KNOWN,
            umask=PRIVATE_UMASK,
        )
        for i in range(n)
    ]
    specs.append(
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
        )
    )
    return specs


@contextmanager
def running_stack(
    data_dir: Path,
    out: IO[str],
    *,
    timeout: float = 300,
    instances: int | None = None,
    configured: Settings | None = None,
) -> Iterator[tuple[Settings, Supervisor]]:
    """All processes on free ports with a scratch data dir; stopped on exit.

    For the integration tests and the benchmarks; ``amtslotse run`` uses the
    configured ports instead. ``instances`` overrides RASA_INSTANCES; a Redis
    that is needed and not configured is started on a free port. ``configured``
    replaces the settings from the environment (the benchmarks use it).
    """
    configured = configured or Settings.from_env()
    n = configured.rasa_instances if instances is None else instances
    internal = configured.host
    settings = with_run_tokens(
        replace(
            configured,
            rasa_instances=n,
            portal_port=free_port(configured.public_host),
            rasa_port=free_port(internal, count=n),
            action_port=free_port(internal, count=n),
            scheduling_port=free_port(internal),
            redis_port=configured.redis_port if configured.redis_host else free_port(internal),
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
        yield settings, supervisor


@contextmanager
def running_assistant(
    data_dir: Path, out: IO[str], *, timeout: float = 300, instances: int | None = None
) -> Iterator[Settings]:
    """:func:`running_stack` without the supervisor."""
    with running_stack(data_dir, out, timeout=timeout, instances=instances) as (settings, _):
        yield settings
