"""The house rules a newcomer relies on: modules import alone, one place reads the environment."""

from __future__ import annotations

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("amtslotse", "actions")

#: Modules that touch os.environ without reading a setting, and why.
ENV_PASS_THROUGH = {
    # Children inherit the environment (PATH, locale) plus what the specs set.
    "amtslotse/run/supervisor.py",
    # Rasa's own subprocess environment, with its noise switched off.
    "amtslotse/rasa/training/train.py",
    # TensorFlow/Rasa chatter switched off before anything imports them.
    "amtslotse/run/cli.py",
    # The startup benchmark starts `amtslotse run` with ports in its environment.
    "amtslotse/bench/startup.py",
    # The one reader.
    "amtslotse/settings.py",
}


def _modules() -> list[str]:
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts:
                continue  # Alembic loads these itself, with its context
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out.append(".".join(parts))
    return out


def test_every_module_imports_alone_in_a_fresh_interpreter():
    """No import circle: each module can be the first one imported."""

    def attempt(module: str) -> tuple[str, str]:
        done = subprocess.run(
            [sys.executable, "-c", f"import {module}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return module, "" if done.returncode == 0 else done.stderr.strip().splitlines()[-1]

    with ThreadPoolExecutor(max_workers=4) as pool:
        failed = [(m, err) for m, err in pool.map(attempt, _modules()) if err]
    assert not failed, failed


def _environment_readers(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"environ", "getenv", "environb"}
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
        ):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("package", PACKAGES)
def test_only_settings_reads_the_environment(package: str):
    offenders = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / package).rglob("*.py"))
        if str(path.relative_to(ROOT)) not in ENV_PASS_THROUGH
        and (lines := _environment_readers(path))
    }
    assert not offenders, f"read settings through amtslotse.settings.Settings: {offenders}"
