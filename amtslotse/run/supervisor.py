"""Start several processes, prefix their log lines, wait until all are ready,
and stop every one of them on Ctrl-C, SIGTERM or as soon as one dies.

Used by ``amtslotse run`` (all four processes) and by the integration tests,
which start the same processes on free ports.

Each child runs in a session of its own, so a Ctrl-C in the terminal reaches
only the supervisor, which then stops the children itself, in order: the
last started first (the portal before Rasa, Rasa before its action server,
the backend and Redis last), a group of instances (``ProcessSpec.group``) at
once, within a bounded time, and killing whatever is left of each child's
process group. ``stop_on_signals`` turns SIGTERM and SIGHUP (what systemd
and a closed terminal send) into the same stop as Ctrl-C.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from amtslotse.errors import SetupError

__all__ = [
    "ProcessSpec",
    "Supervisor",
    "ChildDied",
    "Stopped",
    "stop_on_signals",
    "is_ready",
    "port_in_use",
    "free_port",
]


@dataclass(frozen=True)
class ProcessSpec:
    name: str
    argv: list[str]
    port: int
    ready_url: str
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    port_setting: str = ""  # the environment variable that moves this port
    host: str = "127.0.0.1"  # the interface it binds (checked before start)
    # Inherited variables the child must not see (it gets what it needs in env).
    unset: frozenset[str] = frozenset()
    umask: int = -1  # -1: inherit; 0o077: files the child makes are the owner's only
    # Readiness for a process that speaks no HTTP (Redis); ready_url otherwise.
    ready_check: Callable[[], bool] | None = None
    # Processes of one group (the instances of Rasa) are stopped together.
    group: str = ""

    @property
    def stop_group(self) -> str:
        return self.group or self.name

    def ready(self) -> bool:
        return self.ready_check() if self.ready_check is not None else is_ready(self.ready_url)


#: An instance that dies more often than this within the window stops everything.
RESTARTS_PER_WINDOW = 3
RESTART_WINDOW_SECONDS = 600.0


class ChildDied(SetupError):
    """A supervised process ended on its own."""


class Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP reached the supervisor: stop everything, as on Ctrl-C."""


#: Signals that stop ``amtslotse run`` like Ctrl-C (SIGINT raises KeyboardInterrupt itself).
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _raise_stopped(signum: int, _frame: object) -> None:
    raise Stopped(signal.Signals(signum).name)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise :class:`Stopped` in the main thread while inside.

    SIGINT raises KeyboardInterrupt as usual, also when ``amtslotse run`` was
    started in the background by a shell, which hands its children SIGINT
    ignored (then Python installs no handler, and Ctrl-C or ``kill -INT``
    would do nothing).
    """
    previous = {sig: signal.signal(sig, _raise_stopped) for sig in STOP_SIGNALS}
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """A second Ctrl-C or SIGTERM does not cut the stop short (it is bounded anyway)."""
    held = (signal.SIGINT, *STOP_SIGNALS)
    try:
        previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in held}
    except ValueError:  # not the main thread: signals cannot reach us here anyway
        yield
        return
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Stop signals that arrive inside are delivered right after it.

    For Popen's internals only: a handler that raises inside ``poll()`` leaves
    the Popen's wait lock taken, and the stop could then never wait for that
    child (seen with SIGHUP). Never start a child inside: it would inherit the
    blocked signals.
    """
    held = {signal.SIGINT, *STOP_SIGNALS}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (ValueError, OSError):  # pragma: no cover - no signal masks here
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _polled(processes: list[subprocess.Popen[str]]) -> list[int | None]:
    with _signals_deferred():
        return [p.poll() for p in processes]


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


_handed_out: set[int] = set()
_handed_out_lock = threading.Lock()


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def free_port(host: str = "127.0.0.1", count: int = 1) -> int:
    """A port that is free now and stays free until a server binds it.

    Ports the kernel gives to ``bind(0)`` come from the ephemeral range, the
    same range it uses for outgoing connections: a child that connects to
    PostgreSQL before it listens can take its own port as a source port. So
    the port comes from below that range, and no port is handed out twice
    in one process. With ``count`` > 1 the ``count`` ports from the returned
    one on are all free (for several instances on consecutive ports).
    """
    low, high = _ephemeral_range()
    candidates = range(20000, low - count) if low > 21000 else range(high + 1, 65535 - count)
    rng = random.SystemRandom()
    for _ in range(200):
        port = rng.choice(candidates)
        block = range(port, port + count)
        with _handed_out_lock:
            if any(p in _handed_out or port_in_use(host, p) for p in block):
                continue
            _handed_out.update(block)
        return port
    raise SetupError(
        f"No free port found on {host} between {candidates.start} and {candidates.stop}."
    )


def is_ready(url: str) -> bool:
    """True once ``url`` answers 2xx (a process's readiness URL)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local URL
            return bool(200 <= response.status < 300)
    except (urllib.error.URLError, OSError, ValueError):
        return False


class _Child:
    def __init__(self, spec: ProcessSpec, out: IO[str], lock: threading.Lock):
        self.spec = spec
        self.tail: deque[str] = deque(maxlen=30)
        inherited = {k: v for k, v in os.environ.items() if k not in spec.unset}
        env = {**inherited, **spec.env, "PYTHONUNBUFFERED": "1"}
        # A new session per child: stop() signals the whole process group,
        # so grandchildren (Sanic workers) go too.
        self.process = subprocess.Popen(
            spec.argv,
            cwd=spec.cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            bufsize=1,
            start_new_session=True,
            umask=spec.umask,
        )
        self._thread = threading.Thread(target=self._pump, args=(out, lock), daemon=True)
        self._thread.start()

    def _pump(self, out: IO[str], lock: threading.Lock) -> None:
        assert self.process.stdout is not None
        width = 10
        for line in self.process.stdout:
            line = line.rstrip("\n")
            self.tail.append(line)
            with lock:
                out.write(f"{self.spec.name:<{width}}| {line}\n")
                out.flush()

    def signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, sig)

    def kill_leftovers(self) -> None:
        """Whatever the child left in its process group (it is the group's leader)."""
        self.signal(signal.SIGKILL)

    def join_output(self) -> None:
        self._thread.join(timeout=2)


class Supervisor:
    """Runs ProcessSpecs; a context manager that always stops what it started."""

    def __init__(self, specs: list[ProcessSpec], *, out: IO[str] | None = None):
        self.specs = specs
        self.out = out or sys.stdout
        self._lock = threading.Lock()
        self.children: list[_Child] = []
        self._restarts: dict[str, list[float]] = {}

    def say(self, message: str) -> None:
        with self._lock:
            self.out.write(f"{'amtslotse':<10}| {message}\n")
            self.out.flush()

    def check_ports(self) -> None:
        for spec in self.specs:
            if port_in_use(spec.host, spec.port):
                move = (
                    f"or move it: {spec.port_setting}={spec.port + 1} make run"
                    if spec.port_setting
                    else "or choose another port (README, 'Configuration')"
                )
                raise SetupError(
                    f"Port {spec.port} on {spec.host} is already in use, so the {spec.name} "
                    "cannot start. Another Amtslotse (or another program) is probably still "
                    f"running: stop it (find it with 'ss -ltnp | grep :{spec.port}'), {move}."
                )

    def start(self) -> None:
        self.check_ports()
        for spec in self.specs:
            self.say(f"starting {spec.name} on {spec.host}:{spec.port}")
            self.children.append(_Child(spec, self.out, self._lock))

    def wait_ready(
        self, timeout: float = 300.0, on_tick: Callable[[], None] | None = None
    ) -> float:
        """Block until every process answers its readiness URL; returns the seconds waited."""
        started = time.monotonic()
        pending = {c.spec.name: c for c in self.children}
        while pending:
            self.raise_if_died()
            for name, child in list(pending.items()):
                if child.spec.ready():
                    self.say(f"{name} is ready")
                    del pending[name]
            if time.monotonic() - started > timeout:
                raise SetupError(
                    f"{', '.join(pending)} did not become ready within {timeout:.0f} s. "
                    "Look at the log lines above for the reason."
                )
            if on_tick:
                on_tick()
            time.sleep(0.25)
        return time.monotonic() - started

    def raise_if_died(self, *, restart_instances: bool = False) -> None:
        """ChildDied for a child that ended; with ``restart_instances``, an instance is restarted.

        An instance (a member of a group of several, e.g. rasa-2) that dies
        while the others serve is started again, up to
        :data:`RESTARTS_PER_WINDOW` times in :data:`RESTART_WINDOW_SECONDS`;
        the portal leaves it out of the rotation until it answers again.
        """
        children = list(self.children)
        codes = _polled([c.process for c in children])
        for index, (child, code) in enumerate(zip(children, codes, strict=True)):
            if code is None:
                continue
            child.join_output()
            if restart_instances and self._may_restart(child):
                self.say(
                    f"{child.spec.name} stopped (exit code {code}); the other instances go on "
                    "serving, and it is started again"
                )
                child.kill_leftovers()
                self.children[index] = _Child(child.spec, self.out, self._lock)
                continue
            tail = "\n".join(f"    {line}" for line in list(child.tail)[-12:])
            raise ChildDied(
                f"The {child.spec.name} stopped unexpectedly (exit code {code}), so every "
                f"other process was stopped too. Its last lines were:\n{tail}"
            )

    def _may_restart(self, child: _Child) -> bool:
        group = [c for c in self.children if c.spec.stop_group == child.spec.stop_group]
        if len(group) < 2 or not any(code is None for code in _polled([c.process for c in group])):
            return False
        now = time.monotonic()
        recent = [
            t for t in self._restarts.get(child.spec.name, []) if now - t < RESTART_WINDOW_SECONDS
        ]
        if len(recent) >= RESTARTS_PER_WINDOW:
            return False
        self._restarts[child.spec.name] = [*recent, now]
        return True

    def watch(self) -> None:
        """Block until a child dies (raises ChildDied) or Ctrl-C; instances are restarted."""
        while True:
            self.raise_if_died(restart_instances=True)
            time.sleep(0.5)

    def stop(self, grace: float = 30.0, group_grace: float = 12.0) -> None:
        """Stop every child, last started first, within about ``grace`` seconds.

        Each group gets SIGTERM and ``group_grace`` seconds (less if the total
        would exceed ``grace``), then SIGKILL. The portal goes first, so no new
        turn arrives while Rasa stops; the backend and Redis go last, so a turn
        still running finds them.
        """
        deadline = time.monotonic() + grace
        if any(code is None for code in _polled([c.process for c in self.children])):
            self.say("stopping every process, the portal first")
        with _signals_held():
            groups: dict[str, list[_Child]] = {}
            for child in self.children:
                groups.setdefault(child.spec.stop_group, []).append(child)
            for members in reversed(list(groups.values())):
                alive = [c for c in members if c.process.poll() is None]
                for child in alive:
                    child.signal(signal.SIGTERM)
                group_deadline = min(deadline, time.monotonic() + group_grace)
                for child in alive:
                    try:
                        child.process.wait(timeout=max(0.1, group_deadline - time.monotonic()))
                    except subprocess.TimeoutExpired:
                        self.say(f"{child.spec.name} did not stop in time; killing it")
                        child.signal(signal.SIGKILL)
                        child.process.wait(timeout=5)
                for child in members:
                    child.kill_leftovers()
            for child in self.children:
                child.join_output()

    def __enter__(self) -> Supervisor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
