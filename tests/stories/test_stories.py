"""Runs the end-to-end test stories against the trained model with `rasa test core`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from amtslotse.rasa.training.train import model_path, rasa_env, train
from amtslotse.settings import Paths

pytestmark = pytest.mark.slow


def test_conversation_stories_pass_without_prediction_errors(tmp_path: Path):
    paths = Paths()
    train(paths)
    rasa = str(Path(sys.executable).with_name("rasa"))
    done = subprocess.run(
        [
            rasa,
            "test",
            "core",
            "--model",
            str(model_path(paths)),
            "--stories",
            str(Path(__file__).parent),
            "--endpoints",
            str(tmp_path / "none.yml"),
            "--fail-on-prediction-errors",
            "--out",
            str(tmp_path / "results"),
            "--no-plot",
        ],
        cwd=paths.root,
        env=rasa_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    failed = tmp_path / "results" / "failed_test_stories.yml"
    details = failed.read_text() if failed.is_file() else done.stdout[-3000:] + done.stderr[-3000:]
    assert done.returncode == 0, details
