"""The four processes of a running assistant, as ProcessSpecs for the supervisor."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO

from amtslotse.rasa.training.train import model_path, rasa_env
from amtslotse.run.supervisor import ProcessSpec, Supervisor, free_port
from amtslotse.settings import Settings


def _bin(name: str) -> str:
    """A console script of this virtual environment."""
    return str(Path(sys.executable).with_name(name))


def with_rasa_token(settings: Settings) -> Settings:
    """Rasa's HTTP API is only ever enabled with a token: make one if none is configured."""
    if settings.rasa_token:
        return settings
    return replace(settings, rasa_token=secrets.token_hex(32))


def with_run_tokens(settings: Settings) -> Settings:
    """The tokens a run makes unless configured: Rasa's, and the scheduling service token.

    The backend refuses to hold or book without a service token; the action
    server gets the same one through ``child_env`` (and no other process needs it).
    """
    if not settings.scheduling.service_token:
        scheduling = replace(settings.scheduling, service_token=secrets.token_hex(32))
        settings = replace(settings, scheduling=scheduling)
    return with_rasa_token(settings)


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
    # Every child reads the same Settings again from these (ports and tokens
    # may have been chosen here, per run).
    common = settings.child_env()
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
            env=common,
            cwd=root,
            port_setting="SCHEDULING_PORT",
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
            env=common,
            cwd=root,
            port_setting="ACTION_SERVER_PORT",
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
                "--enable-api",
                # One argument, so a configured token that starts with "-"
                # is not taken for an option.
                f"--auth-token={settings.rasa_token}",
                "--endpoints",
                "bot/endpoints.yml",
                "--credentials",
                "bot/credentials.yml",
            ],
            port=settings.rasa_port,
            ready_url=f"{settings.rasa_url}/",
            env={**rasa_env(), **common, **settings.rasa_endpoint_env()},
            cwd=root,
            port_setting="RASA_PORT",
        ),
        ProcessSpec(
            name="portal",
            argv=[
                _bin("amtslotse"),
                "serve-portal",
                "--host",
                host,
                "--port",
                str(settings.portal_port),
            ],
            port=settings.portal_port,
            ready_url=f"{settings.portal_url}/healthz",
            env=common,
            cwd=root,
            port_setting="PORTAL_PORT",
        ),
    ]


@contextmanager
def running_assistant(data_dir: Path, out: IO[str], *, timeout: float = 300) -> Iterator[Settings]:
    """All four processes on free ports with a scratch data dir; stopped on exit.

    For the integration tests and the benchmarks; ``amtslotse run`` uses the
    configured ports instead.
    """
    settings = with_run_tokens(
        replace(
            Settings.from_env(),
            portal_port=free_port(),
            rasa_port=free_port(),
            action_port=free_port(),
            scheduling_port=free_port(),
            data_dir=data_dir,
            # The backend is the one started here; the stores come from the
            # environment (SQLite in data_dir by default, PostgreSQL/Redis if set).
            scheduling_url="",
        )
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = with_admin_token(settings)
    with Supervisor(process_specs(settings), host=settings.host, out=out) as supervisor:
        supervisor.start()
        supervisor.wait_ready(timeout=timeout)
        yield settings
