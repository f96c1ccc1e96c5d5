"""A throwaway Redis server on a free port (Debian's redis-server), for tests."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from amtslotse.errors import SetupError
from amtslotse.run.supervisor import free_port


@contextlib.contextmanager
def running_redis(password: str = "") -> Iterator[int]:
    """Yields the port; nothing is persisted, the server is stopped afterwards.

    With ``password``, clients must authenticate (``requirepass``).
    """
    binary = shutil.which("redis-server")
    if binary is None:
        raise SetupError("redis-server is missing: apt-get install redis-server (make test does).")
    port = free_port()
    root = Path(tempfile.mkdtemp(prefix="amtslotse-redis-"))
    server = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(root),
            *(["--requirepass", password] if password else []),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                redis_cli(port, password, "ping"), capture_output=True, text=True, check=False
            ).stdout.strip()
            != "PONG"
        ):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SetupError(f"redis-server did not start on port {port}")
            time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def redis_cli(port: int, password: str, *command: str) -> list[str]:
    """The redis-cli command line for ``command`` on the test server (its throwaway password)."""
    auth = ["--no-auth-warning", "-a", password] if password else []
    return ["redis-cli", "-p", str(port), *auth, *command]
