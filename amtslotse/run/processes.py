"""The processes of a running assistant, as ProcessSpecs for the supervisor."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO

from amtslotse.rasa.training.train import model_path, rasa_env
from amtslotse.run.redis import redis_spec
from amtslotse.run.supervisor import ProcessSpec, Supervisor, free_port
from amtslotse.run.topology import check_instances, starts_own_rasa, starts_own_redis
from amtslotse.settings import Settings


def _bin(name: str) -> str:
    """A console script of this virtual environment."""
    return str(Path(sys.executable).with_name(name))


def with_rasa_token(settings: Settings) -> Settings:
    """Rasa's HTTP API is only ever enabled with a token: make one if none is configured."""
    if settings.rasa_token:
        return settings
    return replace(settings, rasa_token=secrets.token_hex(32))


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
        specs.append(redis_spec(host, settings.redis_port, settings.data_dir / "redis"))
        settings = replace(settings, redis_host=host)
    # Every child reads the same Settings again from these (ports and tokens
    # may have been chosen here, per run).
    common = settings.child_env()
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
            env=common,
            cwd=root,
            port_setting="SCHEDULING_PORT",
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
            env=common,
            cwd=root,
            port_setting="ACTION_SERVER_PORT",
            group="actions",
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
                "--enable-api",
                # One argument, so a configured token that starts with "-"
                # is not taken for an option.
                f"--auth-token={settings.rasa_token}",
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
            env={**rasa_env(), **common, **settings.rasa_endpoint_env(i)},
            cwd=root,
            port_setting="RASA_PORT",
            group="rasa",
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
                host,
                "--port",
                str(settings.portal_port),
            ],
            port=settings.portal_port,
            ready_url=f"{settings.portal_url}/healthz",
            env=common,
            cwd=root,
            port_setting="PORTAL_PORT",
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
    settings = with_rasa_token(
        replace(
            configured,
            rasa_instances=n,
            portal_port=free_port(),
            rasa_port=free_port(count=n),
            action_port=free_port(count=n),
            scheduling_port=free_port(),
            redis_port=configured.redis_port if configured.redis_host else free_port(),
            data_dir=data_dir,
            # The backend is the one started here; the stores come from the
            # environment (SQLite in data_dir by default, PostgreSQL/Redis if set).
            scheduling_url="",
        )
    )
    data_dir.mkdir(parents=True, exist_ok=True)
    with Supervisor(process_specs(settings), host=settings.host, out=out) as supervisor:
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
