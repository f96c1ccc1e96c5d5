"""The code checks of `make lint` also run in `make test`, so CI keeps them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CODE = ["amtslotse", "actions", "tests"]


def _tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["ruff", "check", *CODE], id="ruff-check"),
        pytest.param(["ruff", "format", "--check", *CODE], id="ruff-format"),
        pytest.param(["mypy", "amtslotse", "actions"], id="mypy"),
    ],
)
def test_code_checks_pass(argv: list[str], tmp_path: Path):
    env_cache = ["--cache-dir", str(tmp_path / "cache")] if argv[0] == "mypy" else []
    done = subprocess.run(
        [_tool(argv[0]), *argv[1:], *env_cache],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
