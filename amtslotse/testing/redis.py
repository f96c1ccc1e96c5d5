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
from amtslotse.run.redis import ping, redis_argv
from amtslotse.run.supervisor import free_port


@contextlib.contextmanager
def running_redis(password: str = "") -> Iterator[int]:
    """Yields the port; nothing is persisted, the server is stopped afterwards.

    With ``password``, clients must authenticate (``requirepass``).
    """
    port = free_port()
    root = Path(tempfile.mkdtemp(prefix="amtslotse-redis-"))
    server = subprocess.Popen(
        redis_argv("127.0.0.1", port, root, password),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not ping("127.0.0.1", port, password):
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
