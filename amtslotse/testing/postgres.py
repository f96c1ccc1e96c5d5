"""A throw-away PostgreSQL server for tests and benchmarks.

Starts ``initdb`` + ``pg_ctl`` from Debian's /usr/lib/postgresql/<version>/bin
in a temporary folder on a free port, trusts local connections and tunes for
speed over durability (fsync off: the data is thrown away). PostgreSQL refuses
to run as root, so as root every command runs as the ``postgres`` OS user
(``runuser -u postgres --``) in a folder owned by that user.

    with running_postgres() as pg:
        url = pg.create_database("test_1")   # postgresql+asyncpg://...
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from amtslotse.errors import SetupError
from amtslotse.run.supervisor import free_port

OS_USER = "postgres"


def find_bin_dir() -> Path:
    """The newest installed PostgreSQL's bin folder."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not candidates:
        raise SetupError(
            "PostgreSQL is not installed; run 'bash scripts/system-deps.sh' "
            "(Debian package postgresql)."
        )
    return candidates[-1].parent


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", OS_USER, "--", *command]


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path
    port: int

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+asyncpg://{OS_USER}@127.0.0.1:{self.port}/{database}"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            _as_server_user(list(args)), check=True, capture_output=True, text=True, cwd=self.root
        )

    def psql(self, sql: str, database: str = "postgres") -> str:
        return self.run(
            str(self.bin_dir / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            OS_USER,
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-qAtc",
            sql,
        ).stdout

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        if not name.replace("_", "").isalnum():
            raise ValueError(f"unsafe database name {name!r}")
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def start(self) -> None:
        self.run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data_dir),
            "-U",
            OS_USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            " -c max_connections=300 -c shared_buffers=64MB"
        )
        self.run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.data_dir),
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.run(
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.data_dir),
                "-m",
                "immediate",
                "-w",
                "stop",
            )

    def log_tail(self, lines: int = 40) -> str:
        path = self.root / "server.log"
        return (
            "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
            if path.exists()
            else ""
        )


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    bin_dir = find_bin_dir()
    root = Path(tempfile.mkdtemp(prefix="amtslotse-pg-"))
    if os.geteuid() == 0:
        user = pwd.getpwnam(OS_USER)
        os.chown(root, user.pw_uid, user.pw_gid)
    server = PostgresServer(bin_dir=bin_dir, root=root, port=free_port())
    try:
        try:
            server.start()
        except subprocess.CalledProcessError as exc:
            raise SetupError(
                f"PostgreSQL did not start: {exc.stderr.strip()}\n{server.log_tail()}"
            ) from exc
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
