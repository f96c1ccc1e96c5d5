"""Debian's ``redis-server`` as a child process, and a readiness probe for any Redis.

``amtslotse run`` starts one when the lock store is Redis and no Redis is
configured (``REDIS_HOST`` unset): a local try-out of several Rasa instances
needs nothing but the Debian package. The tests start theirs the same way
(amtslotse/testing/redis.py). Nothing is persisted: Rasa keeps only its
conversation locks there, which live for seconds.
"""

from __future__ import annotations

import shutil
import socket
from functools import partial
from pathlib import Path

from amtslotse.errors import SetupError
from amtslotse.run.supervisor import ProcessSpec


def redis_binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SetupError(
            "redis-server is missing: install the Debian package (apt-get install "
            "redis-server; 'bash scripts/system-deps.sh' does), or set REDIS_HOST to a "
            "Redis that runs elsewhere."
        )
    return binary


def redis_argv(host: str, port: int, workdir: Path) -> list[str]:
    """A Redis on ``host:port`` that keeps nothing on disk (locks only)."""
    workdir.mkdir(parents=True, exist_ok=True)
    return [
        redis_binary(),
        "--port",
        str(port),
        "--bind",
        host,
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(workdir),
    ]


def ping(host: str, port: int, timeout: float = 1.0) -> bool:
    """True when a Redis answers PING on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_spec(host: str, port: int, workdir: Path) -> ProcessSpec:
    return ProcessSpec(
        name="redis",
        argv=redis_argv(host, port, workdir),
        port=port,
        ready_url="",
        ready_check=partial(ping, host, port),
        port_setting="REDIS_PORT",
    )
