"""The supervisor starts processes, waits for readiness and never leaves one behind."""

from __future__ import annotations

import contextlib
import io
import socket
import sys
from pathlib import Path

import pytest

from amtslotse.errors import SetupError
from amtslotse.run.supervisor import ChildDied, ProcessSpec, Supervisor, free_port


def _http_server(name: str, port: int) -> ProcessSpec:
    return ProcessSpec(
        name=name,
        argv=[sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        port=port,
        ready_url=f"http://127.0.0.1:{port}/",
    )


def test_prefixes_log_lines_waits_until_ready_and_stops_everything():
    log = io.StringIO()
    specs = [_http_server("alpha", free_port()), _http_server("beta", free_port())]
    with Supervisor(specs, out=log) as sup:
        sup.start()
        sup.wait_ready(timeout=20)
        pids = [c.process.pid for c in sup.children]
    assert all(c.process.poll() is not None for c in sup.children)
    assert "alpha is ready" in log.getvalue() and "beta is ready" in log.getvalue()
    assert len(pids) == 2


def test_a_dying_child_stops_the_others_and_shows_its_last_lines():
    log = io.StringIO()
    dies = ProcessSpec(
        name="fragile",
        port=free_port(),
        ready_url="http://127.0.0.1:9/",
        argv=[sys.executable, "-c", "print('about to fail'); raise SystemExit(3)"],
    )
    healthy = _http_server("steady", free_port())
    with Supervisor([healthy, dies], out=log) as sup:
        sup.start()
        with pytest.raises(ChildDied) as caught:
            sup.wait_ready(timeout=20)
    assert "fragile stopped unexpectedly (exit code 3)" in str(caught.value)
    assert "about to fail" in str(caught.value)
    assert sup.children[0].process.poll() is not None  # the healthy one was stopped too
    assert "fragile   | about to fail" in log.getvalue()


def test_port_in_use_is_a_clear_message_not_a_traceback():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        sup = Supervisor([_http_server("portal", port)], out=io.StringIO())
        with pytest.raises(SetupError) as caught:
            sup.start()
        spec = ProcessSpec(
            name="portal", argv=[], port=port, ready_url="", port_setting="PORTAL_PORT"
        )
        with pytest.raises(SetupError) as moved:
            Supervisor([spec], out=io.StringIO()).check_ports()
    message = str(caught.value)
    assert f"Port {port} on 127.0.0.1 is already in use" in message
    assert "Traceback" not in message and not sup.children
    assert f"PORTAL_PORT={port + 1} make run" in str(moved.value)


def test_free_ports_avoid_the_range_of_outgoing_connections_and_never_repeat():
    # A child that connects to PostgreSQL before it listens may get any port of
    # the ephemeral range as its source port; ours must not come from there.
    port_range = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
    low = int(port_range[0])
    ports = [free_port() for _ in range(50)]
    assert len(set(ports)) == len(ports)
    assert all(port < low for port in ports)


def test_children_inherit_no_unset_variable_and_write_private_files(tmp_path, monkeypatch):
    monkeypatch.setenv("AMTSLOTSE_ADMIN_TOKEN", "inherited-secret")
    monkeypatch.setenv("KEEP_ME", "kept")
    port = free_port()
    script = (
        "import os, pathlib, sys; "
        f"pathlib.Path({str(tmp_path / 'made')!r}).write_text('x'); "
        "print('token', os.environ.get('AMTSLOTSE_ADMIN_TOKEN')); "
        "print('keep', os.environ.get('KEEP_ME')); print('given', os.environ.get('GIVEN')); "
        f"os.execv(sys.executable, [sys.executable, '-m', 'http.server', '{port}', "
        "'--bind', '127.0.0.1'])"
    )
    spec = ProcessSpec(
        name="child",
        argv=[sys.executable, "-c", script],
        port=port,
        ready_url=f"http://127.0.0.1:{port}/",
        env={"GIVEN": "given"},
        unset=frozenset({"AMTSLOTSE_ADMIN_TOKEN"}),
        umask=0o077,
    )
    log = io.StringIO()
    with Supervisor([spec], out=log) as sup:
        sup.start()
        sup.wait_ready(timeout=20)
    out = log.getvalue()
    assert "token None" in out and "keep kept" in out and "given given" in out
    assert oct((tmp_path / "made").stat().st_mode & 0o777) == "0o600"


# A child that notes its name in a file when SIGTERM arrives, then stops (or not).
_NOTING_CHILD = """
import signal, sys, time, http.server, threading
name, port, notes, obey = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
def on_term(signum, frame):
    with open(notes, "a") as f:
        f.write(name + "\\n")
    if obey:
        sys.exit(0)
signal.signal(signal.SIGTERM, on_term)
server = http.server.HTTPServer(("127.0.0.1", port), http.server.SimpleHTTPRequestHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()
while True:
    time.sleep(0.1)
"""


def _noting(name: str, notes: Path, *, group: str = "", obey: bool = True) -> ProcessSpec:
    port = free_port()
    return ProcessSpec(
        name=name,
        argv=[
            sys.executable,
            "-c",
            _NOTING_CHILD,
            name,
            str(port),
            str(notes),
            "1" if obey else "0",
        ],
        port=port,
        ready_url=f"http://127.0.0.1:{port}/",
        group=group,
    )


def test_stop_goes_in_reverse_start_order_and_a_group_stops_together(tmp_path):
    notes = tmp_path / "stopped"
    specs = [
        _noting("scheduling", notes),
        _noting("actions-1", notes, group="actions"),
        _noting("actions-2", notes, group="actions"),
        _noting("rasa-1", notes, group="rasa"),
        _noting("rasa-2", notes, group="rasa"),
        _noting("portal", notes),
    ]
    with Supervisor(specs, out=io.StringIO()) as sup:
        sup.start()
        sup.wait_ready(timeout=20)
    order = notes.read_text().split()
    assert order[0] == "portal" and order[-1] == "scheduling"
    assert set(order[1:3]) == {"rasa-1", "rasa-2"} and set(order[3:5]) == {"actions-1", "actions-2"}


def test_a_child_that_ignores_sigterm_is_killed_within_the_bound(tmp_path):
    import time

    spec = _noting("stubborn", tmp_path / "stopped", obey=False)
    sup = Supervisor([spec], out=io.StringIO())
    sup.start()
    sup.wait_ready(timeout=20)
    started = time.monotonic()
    sup.stop(grace=3, group_grace=1)
    assert time.monotonic() - started < 4
    assert sup.children[0].process.poll() is not None
    assert (tmp_path / "stopped").read_text().split() == ["stubborn"]  # it did get SIGTERM


# A supervisor as `amtslotse run` has it: SIGTERM/SIGHUP stop it like Ctrl-C. Its one
# child starts a grandchild in its own process group (as Sanic or a shell would).
_SUPERVISOR = """
import sys
from amtslotse.run.supervisor import ProcessSpec, Supervisor, stop_on_signals
port = int(sys.argv[1])
child = (
    "import subprocess, sys, http.server;"
    "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']);"
    f"http.server.HTTPServer(('127.0.0.1', {port}), http.server.SimpleHTTPRequestHandler)"
    ".serve_forever()"
)
spec = ProcessSpec("server", [sys.executable, "-c", child], port, f"http://127.0.0.1:{port}/")
with stop_on_signals():
    try:
        with Supervisor([spec]) as sup:
            sup.start()
            sup.wait_ready(timeout=20)
            print("READY", flush=True)
            sup.watch()
    except KeyboardInterrupt as stop:
        print("STOPPED", str(stop) or "SIGINT", flush=True)
"""


@pytest.mark.parametrize("signum", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_signal_to_the_supervisor_leaves_no_process_behind(signum):
    import signal
    import subprocess
    import time

    import psutil

    runner = subprocess.Popen(
        [sys.executable, "-c", _SUPERVISOR, str(free_port())],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert runner.stdout is not None
    tree: list[psutil.Process] = []
    try:
        for line in runner.stdout:  # the supervisor's own lines come first
            if line.strip() == "READY":
                break
        tree = psutil.Process(runner.pid).children(recursive=True)
        assert len(tree) == 2  # the child and its grandchild
        runner.send_signal(getattr(signal, signum))
        assert runner.wait(timeout=30) == 0
        assert f"STOPPED {signum}" in runner.stdout.read().splitlines()
        deadline = time.monotonic() + 5
        while any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in tree):
            assert time.monotonic() < deadline, [p for p in tree if p.is_running()]
            time.sleep(0.1)
    finally:  # a failed check leaves nothing running either
        for process in [psutil.Process(runner.pid), *tree] if runner.poll() is None else tree:
            with contextlib.suppress(psutil.Error):
                process.kill()


def _instances() -> list[ProcessSpec]:
    from dataclasses import replace

    return [
        replace(_http_server("web-1", free_port()), group="web"),
        replace(_http_server("web-2", free_port()), group="web"),
        _http_server("backend", free_port()),
    ]


def _kill(child) -> None:  # type: ignore[no-untyped-def]
    import signal

    child.signal(signal.SIGKILL)
    child.process.wait(timeout=10)


def test_an_instance_that_dies_is_started_again_while_the_others_serve():
    from amtslotse.run import supervisor as module

    log = io.StringIO()
    with Supervisor(_instances(), out=log) as sup:
        sup.start()
        sup.wait_ready(timeout=20)
        for _ in range(module.RESTARTS_PER_WINDOW):
            first = sup.children[0]
            _kill(first)
            sup.raise_if_died(restart_instances=True)
            assert sup.children[0] is not first and sup.children[0].process.poll() is None
            sup.wait_ready(timeout=20)
        _kill(sup.children[0])  # once too often: everything stops
        with pytest.raises(ChildDied, match="web-1 stopped unexpectedly"):
            sup.raise_if_died(restart_instances=True)
    assert "web-1 stopped (exit code -9); the other instances go on serving" in log.getvalue()


def test_a_process_that_is_no_instance_is_never_restarted():
    with Supervisor(_instances(), out=io.StringIO()) as sup:
        sup.start()
        sup.wait_ready(timeout=20)
        _kill(sup.children[2])
        with pytest.raises(ChildDied, match="backend stopped unexpectedly"):
            sup.raise_if_died(restart_instances=True)
