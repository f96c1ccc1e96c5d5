"""`amtslotse run` stops every process it started on SIGTERM (systemd's stop) and on
SIGINT, while serving and while starting, and leaves no process behind."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from amtslotse.run.supervisor import free_port, port_in_use

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
PORTS = ("PORTAL_PORT", "RASA_PORT", "ACTION_SERVER_PORT", "SCHEDULING_PORT")


class Run:
    """`amtslotse run` in the background, its output collected line by line."""

    def __init__(self, data_dir: Path):
        self.ports = {name: free_port() for name in PORTS}
        env = {**os.environ, **{k: str(v) for k, v in self.ports.items()}}
        env["AMTSLOTSE_DATA_DIR"] = str(data_dir)
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("amtslotse")), "run"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # signals reach the supervisor only, as from systemd
        )
        self.lines: list[str] = []
        self.seen: set[psutil.Process] = set()  # every process of the tree seen, for cleanup
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            if "Amtslotse is ready" in line:
                self.ready.set()

    def tree(self) -> list[psutil.Process]:
        found = psutil.Process(self.process.pid).children(recursive=True)
        self.seen.update(found)
        return found

    def log(self) -> str:
        return "\n".join(self.lines[-40:])


@pytest.mark.parametrize("signum, when", [("SIGTERM", "serving"), ("SIGINT", "starting")])
def test_a_signal_stops_every_process_and_frees_every_port(tmp_path, signum, when):
    run = Run(tmp_path / "var")
    try:
        if when == "serving":
            assert run.ready.wait(timeout=300), run.log()
        else:  # every process started, Rasa still loading its model
            deadline = time.monotonic() + 120
            while len(run.tree()) < 4 or not any("scheduling is ready" in x for x in run.lines):
                assert time.monotonic() < deadline and run.process.poll() is None, run.log()
                time.sleep(0.2)
            assert not run.ready.is_set()
        tree = run.tree()
        assert len(tree) >= 4, tree
        started = time.monotonic()
        run.process.send_signal(getattr(signal, signum))
        try:
            code = run.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail("the stop did not end within 60 s:\n" + run.log())
        assert code == 0, run.log()
        stopped_in = time.monotonic() - started
        gone, alive = psutil.wait_procs(tree, timeout=5)
        assert not alive, (alive, run.log())
        assert stopped_in < 35, stopped_in  # the bound is 30 s
        assert not any(port_in_use("127.0.0.1", port) for port in run.ports.values())
        assert any(f"stopped ({signum})" in line for line in run.lines), run.log()
    finally:  # a failed check leaves nothing running either
        if run.process.poll() is None:
            run.tree()
            os.killpg(run.process.pid, signal.SIGKILL)
        for child in run.seen:
            with contextlib.suppress(psutil.Error):
                child.kill()
