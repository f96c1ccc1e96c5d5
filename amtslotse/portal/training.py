"""Training started from the editor's page: one at a time, with its progress.

Synonyms become training examples (amtslotse.rasa.training.generate), so a
new synonym works after the next training. :meth:`Training.start` runs
``amtslotse train`` (the same command as ``make train``) as a child process;
a lock file in build/ keeps a second training from starting, also from
another portal instance on the same machine or from a terminal. The
progress is what Rasa writes to build/logs/train.log (its epochs) and the
time since the start. The new model is used when the assistant starts next.
A training still running when the portal stops is ended and counts as failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from amtslotse.settings import Paths

#: About how long a training takes on the reference machine (docs/benchmarks.md).
TYPICAL_SECONDS = 300
_PERCENT = re.compile(rb"(\d{1,3})%\|")


class Training:
    def __init__(
        self,
        paths: Paths,
        command: list[str] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.paths = paths
        self.command = command or [str(Path(sys.executable).with_name("amtslotse")), "train"]
        self.clock = clock
        self.state = "idle"  # idle, running, done, failed
        self.started_by = ""
        self._started = 0.0
        self._finished = 0.0
        self._task: asyncio.Task[None] | None = None
        self._child: asyncio.subprocess.Process | None = None
        self._lock_file: IO[str] | None = None

    @property
    def log(self) -> Path:
        return self.paths.build / "logs" / "train.log"

    def _take_lock(self) -> bool:
        self.paths.build.mkdir(parents=True, exist_ok=True)
        handle = (self.paths.build / "train.lock").open("w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._lock_file = handle
        return True

    def _release(self) -> None:
        if self._lock_file is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    async def start(self, account: str) -> bool:
        """Starts a training; False if one runs already (here or elsewhere on this machine)."""
        if self.state == "running" or not self._take_lock():
            return False
        self.state, self.started_by = "running", account
        self._started = self.clock()
        self._task = asyncio.create_task(self._run())
        return True

    async def _run(self) -> None:
        try:
            # The child inherits the portal's environment: its settings (the content
            # folder above all) are the portal's.
            self._child = child = await asyncio.create_subprocess_exec(
                *self.command,
                cwd=self.paths.root,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            code = await child.wait()
            self.state = "done" if code == 0 else "failed"
        except (OSError, asyncio.CancelledError):
            self.state = "failed"
            raise
        finally:
            self._finished = self.clock()
            self._release()

    def _percent(self) -> int | None:
        try:
            with self.log.open("rb") as log:
                log.seek(max(0, self.log.stat().st_size - 4096))
                tail = log.read()
        except OSError:
            return None
        found = _PERCENT.findall(tail)
        return min(100, int(found[-1])) if found else None

    def status(self) -> dict[str, Any]:
        """``state``, ``seconds`` since the start (or its length), ``percent`` of the current
        step (Rasa's epochs), ``typical_seconds``, ``started_by``."""
        running = self.state == "running"
        end = self.clock() if running else self._finished
        return {
            "state": self.state,
            "seconds": round(end - self._started) if self.state != "idle" else 0,
            "percent": self._percent() if running else None,
            "typical_seconds": TYPICAL_SECONDS,
            "started_by": self.started_by,
        }

    async def close(self) -> None:
        """Ends a training that still runs (the portal stops): it counts as failed."""
        if self._child is not None and self._child.returncode is None:
            self._child.terminate()
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.state == "running":  # cancelled before it started the child
            self.state, self._finished = "failed", self.clock()
        self._release()
