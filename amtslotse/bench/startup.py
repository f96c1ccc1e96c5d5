"""Start-up benchmark: training time, warm start of `amtslotse run`, memory per process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from amtslotse.bench.model import BenchContext, Measurement
from amtslotse.rasa.training.train import train
from amtslotse.run.supervisor import free_port, is_ready
from amtslotse.settings import Paths

SUITE = "startup"
_NAMES = {"serve-scheduling": "scheduling", "rasa_sdk": "actions", "serve-portal": "portal"}


def _rss_mb(proc: psutil.Process) -> float:
    """Resident memory of a process and its children (Sanic may fork workers)."""
    try:
        return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20
    except psutil.Error:
        return float("nan")


def _name(proc: psutil.Process) -> str:
    cmdline = " ".join(proc.cmdline())
    for marker, name in _NAMES.items():
        if marker in cmdline:
            return name
    return "rasa" if " run " in f"{cmdline} " else proc.name()


def collect(ctx: BenchContext) -> list[Measurement]:
    paths = Paths(root=ctx.root)
    out: list[Measurement] = []
    if ctx.quick:
        train(paths)
    else:
        result = train(paths, force=True)
        out.append(
            Measurement(
                SUITE, "training_time", result.seconds, "s", note="rasa train of the full model"
            )
        )
    ports = {
        k: str(free_port())
        for k in ("PORTAL_PORT", "RASA_PORT", "ACTION_SERVER_PORT", "SCHEDULING_PORT")
    }
    env = {**os.environ, **ports, "AMTSLOTSE_DATA_DIR": str(ctx.scratch / "var")}
    command = [str(Path(sys.executable).with_name("amtslotse")), "run"]
    started = time.monotonic()
    run = subprocess.Popen(
        command,
        cwd=paths.root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{ports['PORTAL_PORT']}/healthz"
        while not is_ready(url):
            if run.poll() is not None or time.monotonic() - started > 300:
                raise RuntimeError("amtslotse run did not become ready")
            time.sleep(0.2)
        ready = time.monotonic() - started
        out.append(
            Measurement(
                SUITE,
                "warm_start_to_ready",
                ready,
                "s",
                "< 60",
                ready < 60,
                "`amtslotse run` with a trained model until /healthz is 200",
            )
        )
        for child in psutil.Process(run.pid).children():
            out.append(
                Measurement(
                    SUITE,
                    f"rss_{_name(child)}",
                    _rss_mb(child),
                    "MiB",
                    note="resident memory once ready",
                )
            )
    finally:
        os.killpg(run.pid, signal.SIGINT)
        try:
            run.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(run.pid, signal.SIGKILL)
    return out
