"""Content-derived Rasa files, the training hash, and errors that say what to fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from amtslotse.core.content import load_catalogue
from amtslotse.errors import TrainingDataError
from amtslotse.rasa.training import generate
from amtslotse.rasa.training.train import inputs_hash, precheck
from amtslotse.settings import Paths


def test_every_service_has_an_intent_and_a_rule():
    cat = load_catalogue()
    domain = generate.domain_yaml(cat)
    rules = generate.rules_yaml(cat)
    for sid in cat.services:
        assert f"  - anliegen_{sid}\n" in domain
        assert f"      - intent: anliegen_{sid}\n      - action: action_answer_concern" in rules
    assert "  - anliegen_job_verloren\n" in domain


def test_an_editors_new_synonym_becomes_a_training_example():
    cat = load_catalogue()
    service = cat.services["buergergeld_antrag"]
    edited = cat.services | {
        service.id: type(service)(
            **{**service.__dict__, "synonyms": service.synonyms + ("Knete vom Staat",)}
        )
    }
    cat2 = type(cat)(**{**cat.__dict__, "services": edited})
    nlu = yaml.safe_load(generate.nlu_yaml(cat2, existing={}))["nlu"]
    block = next(b for b in nlu if b.get("intent") == "anliegen_buergergeld_antrag")
    assert "- Knete vom Staat" in block["examples"].splitlines()


def test_synonyms_already_in_hand_written_data_are_left_to_it():
    cat = load_catalogue()
    nlu = generate.nlu_yaml(cat, existing={generate.normalise("Wohngeld"): "anliegen_wohngeld"})
    assert "      - Wohngeld\n" not in nlu


def test_office_names_map_to_office_ids():
    nlu = generate.nlu_yaml(load_catalogue(), existing={})
    assert "  - synonym: wohngeldstelle\n    examples: |\n" in nlu
    assert "      - Wohngeldstelle\n" in nlu


def test_normalise_ignores_markup_case_and_mediopunkt():
    assert (
        generate.normalise('Termin beim [Job·center]{"entity": "office"}')
        == "termin beim jobcenter"
    )


@pytest.fixture
def project(tmp_path: Path) -> Paths:
    root = Paths().root
    for folder in ("bot", "data"):
        shutil.copytree(root / folder, tmp_path / folder)
    return Paths(root=tmp_path)


def test_hash_changes_with_training_data_and_only_then(project: Paths):
    first = inputs_hash(project)
    assert inputs_hash(project) == first
    nlu = next((project.data / "nlu").glob("*.yml"))
    nlu.write_text(nlu.read_text() + "\n")
    assert inputs_hash(project) != first


def test_broken_training_file_names_file_and_line(project: Paths):
    broken = project.data / "nlu" / "broken.yml"
    broken.write_text('version: "3.1"\nnlu:\n  - intent: greet: hallo\n')
    with pytest.raises(TrainingDataError) as caught:
        precheck(project)
    message = str(caught.value)
    assert "data/nlu/broken.yml:3: YAML syntax" in message
    assert "make train" in message
