"""`rasa test nlu --cross-validation` over the training data, in make test.

Three folds with a fast classifier (cross_validation_config.yml): a guard
against training data that contradicts itself (an example under two
intents, a new intent with too few examples), not a measure of the real
model, whose accuracy on unseen text is in `make bench` (nlu suite).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from amtslotse.settings import Paths
from amtslotse.training.train import build, rasa_env

pytestmark = pytest.mark.slow

#: Accuracy over the three test folds; measured 0.78 when this test was written.
MIN_ACCURACY = 0.70
#: No concern intent may fall apart completely.
MIN_CONCERN_F1 = 0.5


def test_cross_validated_intent_accuracy(tmp_path: Path):
    paths = Paths()
    build(paths)
    nlu = tmp_path / "nlu"
    nlu.mkdir()
    for path in [
        *sorted((paths.data / "nlu").glob("*.yml")),
        paths.generated_rasa / "data" / "generated_nlu.yml",
    ]:
        shutil.copy(path, nlu / path.name)
    rasa = str(Path(sys.executable).with_name("rasa"))
    out = tmp_path / "results"
    done = subprocess.run(
        [
            rasa,
            "test",
            "nlu",
            "--nlu",
            str(nlu),
            "--cross-validation",
            "--folds",
            "3",
            "--config",
            str(Path(__file__).with_name("cross_validation_config.yml")),
            "--out",
            str(out),
        ],
        cwd=paths.root,
        env=rasa_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads((out / "intent_report.json").read_text())
    weak = {
        name: round(values["f1-score"], 2)
        for name, values in report.items()
        if name.startswith("anliegen_") and values["f1-score"] < MIN_CONCERN_F1
    }
    print(
        f"cross-validated accuracy {report['accuracy']:.3f}, "
        f"macro F1 {report['macro avg']['f1-score']:.3f}"
    )
    assert report["accuracy"] >= MIN_ACCURACY
    assert not weak, f"concern intents that cross-validate badly: {weak}"
