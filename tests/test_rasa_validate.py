"""`rasa data validate` on the whole Rasa project: no error and no warning.

The domain (bot/domain plus the generated concern intents), the hand-written
and generated training data and rules must agree: every intent has examples
and is used, every response is used, no rule or story conflicts. The only
warnings allowed are the ones this file explains and checks: intents only
buttons send, and responses only actions send.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from amtslotse.rasa.training.train import build, rasa_env
from amtslotse.settings import Paths

_WARNING = re.compile(r"UserWarning: (.*)")
_NO_EXAMPLES = re.compile(r"The intent '(\w+)' is listed in the domain file, but is not found in")
_UNUSED_UTTERANCE = re.compile(r"The utterance '(\w+)' is not used in any story or rule")

# Intents no citizen types: only the buttons of an offer send them, as
# /termin_waehlen{"bundle_id": ...} and /termin_bestaetigen (core/booking/answers.py).
# Examples for them would teach DIET to read "Ja" or "den ersten" as a booking.
_BUTTON_ONLY_INTENTS = {"termin_waehlen": "CHOOSE", "termin_bestaetigen": "CONFIRM_AGAIN"}


def _sent_by_an_action(utterance: str, paths: Paths) -> bool:
    """The validator sees rules and stories only; some responses are sent by code."""
    if utterance == "utter_default":
        # Rasa's action_default_fallback sends utter_default.
        return "core_fallback_action_name: action_default_fallback" in (
            paths.bot / "config.yml"
        ).read_text(encoding="utf-8")
    return any(
        f'"{utterance}"' in module.read_text(encoding="utf-8")
        for module in (paths.root / "actions").glob("*.py")
    )


def _explained(warning: str, paths: Paths) -> bool:
    answers = (paths.root / "amtslotse/core/booking/answers.py").read_text(encoding="utf-8")
    intent = _NO_EXAMPLES.search(warning)
    if intent and intent.group(1) in _BUTTON_ONLY_INTENTS:
        constant = _BUTTON_ONLY_INTENTS[intent.group(1)]
        return f'{constant} = "{intent.group(1)}"' in answers
    utterance = _UNUSED_UTTERANCE.search(warning)
    return bool(utterance) and _sent_by_an_action(utterance.group(1), paths)


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
    unexplained = [w for w in project if not _explained(w, paths)]
    assert not unexplained, "\n".join(unexplained)
    assert done.returncode == 0, output[-3000:]
