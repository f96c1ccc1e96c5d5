"""scripts/bootstrap.sh: without Python 3.10 it says what to do instead of failing obscurely."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from amtslotse.settings import PROJECT_ROOT


def test_missing_python_310_gives_a_clear_hint(tmp_path: Path):
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "scripts" / "bootstrap.sh", project / "scripts")
    shutil.copy(PROJECT_ROOT / "pyproject.toml", project)
    shutil.copy(PROJECT_ROOT / "constraints.txt", project)
    # A PATH with the basic tools but no pyenv and no python3.10.
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("bash", "cat", "sha256sum", "cut", "grep", "sort", "tail", "dirname", "rm"):
        found = shutil.which(tool)
        if found:
            (tools / tool).symlink_to(found)
    env = {"PATH": str(tools), "HOME": str(tmp_path)}
    done = subprocess.run(
        ["bash", "scripts/bootstrap.sh"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Python 3.10 was not found" in done.stderr
    assert "pyenv install 3.10" in done.stderr and "AMTSLOTSE_PYTHON" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / ".venv").exists()
    assert os.path.exists(project / "scripts" / "bootstrap.sh")
