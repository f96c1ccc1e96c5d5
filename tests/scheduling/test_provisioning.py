"""Any number of backends may start together on a fresh database: one migrates and
seeds under an advisory lock, the others wait and find it done."""

from __future__ import annotations

import asyncio
import io
import sys
from pathlib import Path

import pytest

from amtslotse.run.supervisor import ProcessSpec, Supervisor, free_port
from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.db.migrate import current_revision
from amtslotse.scheduling.db.seed import is_seeded
from amtslotse.scheduling.provision import prepare
from amtslotse.testing.postgres import PostgresServer
from tests.scheduling.demo import demo_catalogue

pytestmark = pytest.mark.postgres


async def test_four_preparations_at_once_on_a_fresh_database_all_succeed(
    postgres_server: PostgresServer,
):
    url = postgres_server.create_database("provision_race")
    databases = [Database(url) for _ in range(4)]
    try:
        await asyncio.gather(*(prepare(db, loader=demo_catalogue) for db in databases))
        assert await current_revision(databases[0]) is not None
        assert await is_seeded(databases[0])
    finally:
        await asyncio.gather(*(db.dispose() for db in databases))


@pytest.mark.integration
def test_two_backends_started_together_on_a_fresh_database_both_come_up(
    postgres_server: PostgresServer, tmp_path
):
    url = postgres_server.create_database("two_backends")
    specs = []
    for n in (1, 2):
        port = free_port()
        specs.append(
            ProcessSpec(
                name=f"backend-{n}",
                argv=[
                    str(Path(sys.executable).with_name("amtslotse")),
                    "serve-scheduling",
                    "--port",
                    str(port),
                ],
                port=port,
                ready_url=f"http://127.0.0.1:{port}/healthz",
                env={
                    "DATABASE_URL": url,
                    "AMTSLOTSE_DATA_DIR": str(tmp_path / f"var{n}"),
                    "SCHEDULING_SERVICE_TOKEN": "provisioning-test-" + "t" * 24,
                },
            )
        )
    log = io.StringIO()
    with Supervisor(specs, out=log) as supervisor:
        supervisor.start()  # both at once: neither waits for the other to be ready
        supervisor.wait_ready(timeout=120)
        assert all(child.process.poll() is None for child in supervisor.children)
    assert int(postgres_server.psql("SELECT count(*) FROM services", "two_backends")) >= 40
    assert "Traceback" not in log.getvalue(), log.getvalue()[-3000:]
