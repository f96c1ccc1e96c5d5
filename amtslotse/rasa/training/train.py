"""Train the Rasa model only when its inputs changed (keyed on a hash)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from amtslotse.core.content import ContentError, load_catalogue
from amtslotse.core.content.yamlsource import YamlSyntaxError, read_yaml
from amtslotse.errors import TrainingDataError
from amtslotse.rasa.nlp import PIPELINE_VERSION, ensure_pipeline
from amtslotse.rasa.training.generate import write_generated
from amtslotse.settings import Paths

MODEL_NAME = "amtslotse"


@dataclass(frozen=True)
class TrainResult:
    trained: bool
    seconds: float
    model: Path


def model_path(paths: Paths) -> Path:
    return paths.models / f"{MODEL_NAME}.tar.gz"


def _stamp_path(paths: Paths) -> Path:
    return paths.models / f"{MODEL_NAME}.inputs-sha256"


def training_inputs(paths: Paths) -> list[Path]:
    """Every file whose change must lead to a new model."""
    files = [paths.bot / "config.yml"]
    files += sorted((paths.generated_rasa).rglob("*.yml"))
    files += sorted(paths.data.rglob("*.yml"))
    return files


def inputs_hash(paths: Paths) -> str:
    digest = hashlib.sha256(f"pipeline={PIPELINE_VERSION}\n".encode())
    for path in training_inputs(paths):
        digest.update(str(path.relative_to(paths.root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def build(paths: Paths) -> None:
    """spaCy pipeline + the content-derived Rasa files (fast when nothing changed)."""
    ensure_pipeline(paths.spacy_pipeline)
    try:
        catalogue = load_catalogue(paths.content)
    except ContentError as exc:
        raise TrainingDataError(
            "The content in content/leichte_sprache has problems, so the assistant cannot be "
            "built. Fix these lines and run the command again:\n"
            + "\n".join(f"  {p}" for p in exc.problems)
        ) from None
    write_generated(catalogue, paths.bot / "domain", paths.data / "nlu", paths.generated_rasa)


def precheck(paths: Paths) -> None:
    """Find YAML syntax errors with file:line before Rasa prints a traceback."""
    problems = []
    for path in [*sorted(paths.data.rglob("*.yml")), *sorted(paths.bot.rglob("*.yml"))]:
        try:
            read_yaml(path)
        except YamlSyntaxError as exc:
            problems.append(
                f"  {path.relative_to(paths.root)}:{exc.line}: YAML syntax: {exc.message}"
            )
    if problems:
        raise TrainingDataError(
            "A training file is broken, so no model can be trained. Fix the file at the line "
            "shown (often indentation, or a text with ':' that needs quotes) and run "
            "'make train' again:\n" + "\n".join(problems)
        )


#: What every Rasa process gets unless the environment says otherwise.
RASA_QUIET = {
    "RASA_TELEMETRY_ENABLED": "false",  # no calls home
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONWARNINGS": "ignore",
}


def rasa_env() -> dict[str, str]:
    return {**RASA_QUIET, **os.environ}


def _rasa_error(log: str) -> str:
    """The lines of Rasa's output that say what went wrong, without the traceback."""
    keep = [
        line
        for line in log.splitlines()
        if any(k in line for k in ("Error", "Exception", "InvalidDomain", "Failed", "error:"))
        and not line.startswith(("  File", "Traceback"))
    ]
    return "\n".join(f"  {line.strip()}" for line in keep[-6:]) or "  (see the log)"


def train(paths: Paths, *, force: bool = False, log: Path | None = None) -> TrainResult:
    build(paths)
    precheck(paths)
    model, stamp = model_path(paths), _stamp_path(paths)
    wanted = inputs_hash(paths)
    if not force and model.is_file() and stamp.is_file() and stamp.read_text().strip() == wanted:
        return TrainResult(False, 0.0, model)
    log = log or paths.build / "logs" / "train.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    paths.models.mkdir(parents=True, exist_ok=True)
    rasa = str(Path(sys.executable).with_name("rasa"))
    command = [
        rasa,
        "train",
        "--config",
        "bot/config.yml",
        "--domain",
        str(paths.generated_rasa / "domain"),
        "--data",
        "data",
        str(paths.generated_rasa / "data"),
        "--out",
        str(paths.models),
        "--fixed-model-name",
        MODEL_NAME,
        # --force also skips Rasa's own cache, so a forced training is a full one.
        *(["--force"] if force else []),
    ]
    print(
        f"Training the Rasa model (log: {log.relative_to(paths.root)}); this takes a few minutes.",
        flush=True,
    )
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            command,
            cwd=paths.root,
            env=rasa_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    seconds = time.monotonic() - started
    if done.returncode != 0 or not model.is_file():
        raise TrainingDataError(
            "Training the Rasa model failed. Usually a file in data/ or bot/ names an intent, "
            "action or response that the domain does not know, or an example is broken. "
            f"Rasa said:\n{_rasa_error(log.read_text(encoding='utf-8'))}\n"
            f"The whole log is in {log.relative_to(paths.root)}. "
            "Fix the file and run 'make train' again."
        )
    stamp.write_text(wanted)
    print(f"Trained in {seconds:.0f} s: {model.relative_to(paths.root)}", flush=True)
    return TrainResult(True, seconds, model)
