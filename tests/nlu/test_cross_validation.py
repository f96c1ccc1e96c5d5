"""`rasa test nlu --cross-validation` over the training data, in make test.

Three folds with a fast classifier (cross_validation_config.yml): a guard
against training data that contradicts itself (an example under two
intents, a new intent with too few examples), not a measure of the real
model, whose accuracy on unseen text is in `make bench` (nlu suite) and
test_heldout_general_model.py. Concern intents and the general, follow-up
and booking intents each have an F1 floor.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from amtslotse.rasa.training.train import build, rasa_env
from amtslotse.settings import Paths

pytestmark = pytest.mark.slow

#: Accuracy over the three test folds: 0.78 when this test was written, and
#: 0.78 to 0.79 (four runs; the folds are random) after the general intents
#: got more varied examples. It did not rise because those short utterances
#: are now almost half of the data, and they are harder for this classifier
#: than concerns; their own F1 rose (mean 0.66 to 0.75, see below). The floor
#: is the measurement minus about three times the spread between runs.
MIN_ACCURACY = 0.75
#: No concern intent may fall apart completely.
MIN_CONCERN_F1 = 0.5
#: Nor may a general, follow-up or booking intent (allgemein.yml,
#: nachfragen.yml, termin.yml). Before their examples were extended they
#: cross-validated at F1 0.23 to 0.89 (termin_andere_zeiten 0.23 with 14
#: examples, affirm 0.44), after at 0.61 to 0.91 (out_of_scope aside; four
#: runs, which differed by up to 0.1 per intent). 0.5, the concern floor, is
#: below that by more than the spread, and above what an intent that shares
#: its wording with another one, or has too few examples, gives.
MIN_GENERAL_F1 = 0.5
#: out_of_scope is open by nature: most examples are a topic of their own
#: (weather, football, a recipe), which a held-back fold cannot predict from
#: the others. It measured 0.44 to 0.53 (0.49 before); this floor only
#: catches a collapse.
MIN_OUT_OF_SCOPE_F1 = 0.35
GENERAL_FILES = ("allgemein.yml", "nachfragen.yml", "termin.yml")


def _general_intents(nlu_dir: Path) -> set[str]:
    from rasa.shared.nlu.training_data.loading import load_data

    intents: set[str] = set()
    for name in GENERAL_FILES:
        intents |= set(load_data(str(nlu_dir / name)).intents)
    return intents


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
    intents = sorted(_general_intents(nlu))
    missing = [name for name in intents if name not in report]
    general = {name: round(report[name]["f1-score"], 2) for name in intents if name in report}
    floors = {name: MIN_GENERAL_F1 for name in intents} | {"out_of_scope": MIN_OUT_OF_SCOPE_F1}
    weak_general = {name: f1 for name, f1 in general.items() if f1 < floors[name]}
    print(
        f"cross-validated accuracy {report['accuracy']:.3f}, "
        f"macro F1 {report['macro avg']['f1-score']:.3f}; general intents: {general}"
    )
    assert report["accuracy"] >= MIN_ACCURACY
    assert not weak, f"concern intents that cross-validate badly: {weak}"
    assert not missing, f"general intents missing from the report: {missing}"
    assert not weak_general, (
        f"general intents with cross-validated F1 below {MIN_GENERAL_F1} "
        f"(out_of_scope {MIN_OUT_OF_SCOPE_F1}): {weak_general}"
    )
