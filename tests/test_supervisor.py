"""The supervisor starts processes, waits for readiness and never leaves one behind."""

from __future__ import annotations

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
