"""`rasa data validate` on the whole Rasa project: no error and no warning.

The domain (bot/domain plus the generated concern intents), the hand-written
and generated training data and rules must agree: every intent has examples
and is used, every response is used, no rule or story conflicts.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from amtslotse.rasa.training.train import build, rasa_env
from amtslotse.settings import Paths

_WARNING = re.compile(r"UserWarning: (.*)")


def test_rasa_data_validate_is_clean():
    paths = Paths()
    build(paths)
    rasa = str(Path(sys.executable).with_name("rasa"))
    done = subprocess.run(
        [
            rasa,
            "data",
            "validate",
            "--domain",
            str(paths.generated_rasa / "domain"),
            "--data",
            str(paths.data),
            str(paths.generated_rasa / "data"),
            "--config",
            str(paths.bot / "config.yml"),
            "--fail-on-warnings",
        ],
        cwd=paths.root,
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = done.stdout + done.stderr
    warnings = [w.strip() for w in _WARNING.findall(output) if "rasa" in output]
    project = [w for w in warnings if "intent" in w or "utterance" in w or "action" in w]
    assert done.returncode == 0 and not project, "\n".join(project) or output[-3000:]
