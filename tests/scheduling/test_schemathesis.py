"""Schemathesis fuzzes the real backend against its own OpenAPI document and finds nothing.

The backend runs here on SQLite with the county's real content, in a thread
with its own event loop. Schemathesis (pinned in pyproject) runs all three
phases (coverage, fuzzing, stateful: availability -> hold -> booking ->
read, cancel) with every check, a fixed seed and a bounded number of
examples, as a separate process like in CI. The hooks in
``schemathesis_hooks.py`` give generators to what the document says in
words (formats, rules across parameters); they exclude no check.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from amtslotse.run.supervisor import free_port
from amtslotse.scheduling.app import create_app
from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.provision import prepare
from amtslotse.scheduling.settings import SchedulingSettings, sqlite_url
from amtslotse.settings import PROJECT_ROOT, Paths

pytestmark = pytest.mark.slow

SEED = 20261201
MAX_EXAMPLES = 20
STATEFUL_EXAMPLES = 10
SERVICE_TOKEN = secrets.token_hex(32)
ADMIN_TOKEN = secrets.token_hex(32)


class Backend(threading.Thread):
    """The real app on SQLite, served from a thread until ``stop()``."""

    def __init__(self, settings: SchedulingSettings, port: int):
        super().__init__(daemon=True)
        self.settings, self.port = settings, port
        self.ready = threading.Event()
        self.error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._halt: asyncio.Event | None = None

    def run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to the test
            self.error = exc
            self.ready.set()

    async def _serve(self) -> None:
        self._loop, self._halt = asyncio.get_running_loop(), asyncio.Event()
        db = Database(self.settings.database_url)
        try:
            await prepare(db, Paths().content)
        finally:
            await db.dispose()
        runner = web.AppRunner(create_app(self.settings))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", self.port).start()
        self.ready.set()
        try:
            await self._halt.wait()
        finally:
            await runner.cleanup()

    def stop(self) -> None:
        if self._loop is not None and self._halt is not None:
            self._loop.call_soon_threadsafe(self._halt.set)
        self.join(timeout=30)


@pytest.fixture
def backend_url(tmp_path: Path) -> Iterator[str]:
    settings = SchedulingSettings(
        database_url=sqlite_url(tmp_path / "scheduling.sqlite3"),
        admin_token=ADMIN_TOKEN,
        data_dir=tmp_path,
        service_token=SERVICE_TOKEN,
        bundle_key=secrets.token_bytes(32),
        housekeeping_minutes=0,
    )
    backend = Backend(settings, free_port())
    backend.start()
    assert backend.ready.wait(60), "the backend did not start"
    if backend.error is not None:
        raise backend.error
    try:
        yield f"http://127.0.0.1:{backend.port}"
    finally:
        backend.stop()


CONFIG = """\
# Written by tests/scheduling/test_schemathesis.py for one run.
[auth.openapi.service]
bearer = "{service}"

[auth.openapi.admin]
bearer = "{admin}"

# Bounded: a few steps per scenario (availability -> hold -> booking -> read/cancel).
[phases.stateful]
max-steps = 6

[phases.stateful.generation]
max-examples = {stateful_examples}
"""


def test_schemathesis_finds_nothing(backend_url: str, tmp_path: Path) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        CONFIG.format(service=SERVICE_TOKEN, admin=ADMIN_TOKEN, stateful_examples=STATEFUL_EXAMPLES)
    )
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(config),
        "--no-color",
        "run",
        f"{backend_url}/api/v1/openapi.json",
        "--phases=coverage,fuzzing,stateful",
        "--checks=all",
        f"--seed={SEED}",
        f"--max-examples={MAX_EXAMPLES}",
        "--workers=2",
        "--request-timeout=20",
        "--output-truncate=false",
        f"--report-dir={tmp_path / 'report'}",
    ]
    env = {
        # The test's own environment, plus where the hooks are.
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "SCHEMATHESIS_HOOKS": "tests.scheduling.schemathesis_hooks",
    }
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    output = result.stdout + result.stderr
    print(output[-6000:])  # the summary, for pytest -s and the CI log
    assert result.returncode == 0, output[-20000:]
    # All three phases ran, and ran cases (a run that tests nothing must not pass).
    for phase in ("Coverage", "Fuzzing", "Stateful"):
        assert re.search(rf"✅ {phase}\b", output), f"phase {phase} did not pass:\n{output}"
    generated = re.search(r"(\d+) generated, (\d+) passed", output)
    assert generated and int(generated.group(2)) >= 300, output[-3000:]
