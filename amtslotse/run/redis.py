"""Debian's ``redis-server`` as a child process, and a readiness probe for any Redis.

``amtslotse run`` starts one when the lock store is Redis and no Redis is
configured (``REDIS_HOST`` unset): a local try-out of several Rasa instances
needs nothing but the Debian package. The tests start theirs the same way
(amtslotse/testing/redis.py). Nothing is persisted: Rasa keeps only its
conversation locks there, which live for seconds.

With ``REDIS_PASSWORD`` the Redis started here requires it. The password
goes into a config file of the owner's only (0600, in the private data
dir), never onto the command line, where ``ps`` would show it to every
user. A Redis started here speaks no TLS (amtslotse.run.topology refuses
``REDIS_TLS`` without ``REDIS_HOST``).
"""

from __future__ import annotations

import os
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


def _config_file(workdir: Path, password: str) -> Path:
    """``requirepass`` in a file only the owner can read (Redis quotes: "..." with escapes)."""
    quoted = (
        password.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    path = workdir / "redis.conf"
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as conf:
        conf.write(f'requirepass "{quoted}"\n')
    return path


def redis_argv(host: str, port: int, workdir: Path, password: str = "") -> list[str]:
    """A Redis on ``host:port`` that keeps nothing on disk (locks only)."""
    workdir.mkdir(parents=True, exist_ok=True, mode=0o700)
    config = [str(_config_file(workdir, password))] if password else []
    return [
        redis_binary(),
        *config,
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


def _command(*parts: str) -> bytes:
    """One Redis command in the protocol's array form (any bytes in a part are safe)."""
    encoded = [p.encode() for p in parts]
    return f"*{len(encoded)}\r\n".encode() + b"".join(
        b"$%d\r\n%s\r\n" % (len(p), p) for p in encoded
    )


def ping(host: str, port: int, password: str = "", timeout: float = 1.0) -> bool:
    """True when a Redis answers PING on ``host:port`` (after AUTH with ``password``)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            if password:
                sock.sendall(_command("AUTH", password))
                if not sock.recv(64).startswith(b"+OK"):
                    return False
            sock.sendall(_command("PING"))
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_spec(host: str, port: int, workdir: Path, password: str = "") -> ProcessSpec:
    return ProcessSpec(
        name="redis",
        argv=redis_argv(host, port, workdir, password),
        port=port,
        ready_url="",
        ready_check=partial(ping, host, port, password),
        port_setting="REDIS_PORT",
        host=host,
    )
