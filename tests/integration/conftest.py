"""Start the real assistant (all four processes) once for the integration tests.

The processes are the ones `amtslotse run` starts, on free ports, with a
scratch data directory; the fixture always stops them again.
"""

from __future__ import annotations

import io
import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from amtslotse.processes import process_specs, with_rasa_token
from amtslotse.settings import Settings
from amtslotse.supervisor import Supervisor, free_port
from amtslotse.training.train import train


@dataclass
class Running:
    settings: Settings
    log: io.StringIO

    def post(self, url: str, body: dict, headers: dict | None = None) -> tuple[int, object]:
        request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json",
                                                  **(headers or {})})
        return self._open(request)

    def get(self, url: str, headers: dict | None = None) -> tuple[int, object]:
        return self._open(urllib.request.Request(url, headers=headers or {}))

    @staticmethod
    def _open(request: urllib.request.Request) -> tuple[int, object]:
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                raw = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            raw, status = error.read(), error.code
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode(errors="replace")

    def chat(self, message: str, sender: str = "integration-0001") -> list[dict]:
        status, body = self.post(f"{self.settings.portal_url}/api/chat",
                                 {"sender": sender, "message": message})
        assert status == 200, body
        assert isinstance(body, list)
        return body


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    base = Settings.from_env()
    train(base.paths)  # no-op when the model is current (make test trains first)
    data_dir: Path = tmp_path_factory.mktemp("var")
    settings = with_rasa_token(replace(
        base, portal_port=free_port(), rasa_port=free_port(), action_port=free_port(),
        scheduling_port=free_port(), data_dir=data_dir, scheduling_url="",
        tracker_db_url="",
    ))
    log = io.StringIO()
    with Supervisor(process_specs(settings), host=settings.host, out=log) as supervisor:
        supervisor.start()
        try:
            supervisor.wait_ready(timeout=300)
        except Exception:
            print(log.getvalue()[-8000:])
            raise
        yield Running(settings, log)
