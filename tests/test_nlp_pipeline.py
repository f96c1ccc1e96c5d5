"""The German spaCy pipeline Rasa loads by path: built once, saved, loaded without imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from amtslotse.rasa.nlp.pipeline import PIPELINE_VERSION, ensure_pipeline, load_pipeline


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("spacy") / "de_amtslotse"
    assert ensure_pipeline(path) is True
    return path


def test_a_current_pipeline_is_not_built_again(saved):
    assert ensure_pipeline(saved) is False
    assert PIPELINE_VERSION in (saved / "amtslotse-pipeline.json").read_text()


def test_lemmas_also_for_nouns_typed_in_lower_case(saved):
    nlp = load_pipeline(saved)
    assert nlp.pipe_names == ["sentencizer", "lemmatizer", "amtslotse_case_lemma_v1"]
    written = [t.lemma_ for t in nlp("Ich habe zwei Anträge gestellt")]
    typed = [t.lemma_.lower() for t in nlp("ich habe zwei anträge gestellt")]
    assert written[3].lower() == typed[3] == "antrag"
    assert written[4] == typed[4] == "stellen"


def test_sentences_are_split(saved):
    doc = load_pipeline(saved)("Mein Ex zahlt keinen Unterhalt. Was kann ich tun?")
    assert [s.text for s in doc.sents] == ["Mein Ex zahlt keinen Unterhalt.", "Was kann ich tun?"]


def test_another_process_loads_it_by_path_alone(saved):
    # Rasa's SpacyNLP only calls spacy.load(path): our component must be found
    # through the entry point, without importing amtslotse first.
    code = f"import spacy; print(spacy.load({str(saved)!r})('anträge')[0].lemma_)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip().lower() == "antrag"


def test_the_checker_adds_morphology_and_leaves_rasas_tokens_and_lemmas_alone(saved):
    from amtslotse.lint.pipeline import checker_pipeline

    rasa = load_pipeline(saved)
    checker = checker_pipeline(saved)
    assert "amtslotse_morphology_v1" not in rasa.pipe_names
    assert checker.pipe_names[-1] == "amtslotse_morphology_v1"
    text = "Den ausgefüllten Antrag bringen die Helferinnen zur Wohngeldstelle."
    plain, tagged = rasa(text), checker(text)
    assert [(t.text, t.lemma_) for t in plain] == [(t.text, t.lemma_) for t in tagged]
    tags = {t.text: t.tag_ for t in tagged}
    assert (tags["ausgefüllten"], tags["Antrag"], tags["bringen"]) == ("ADJ(A)", "NN", "VV(FIN)")
    by_word = {t.text: t._.morphemes for t in tagged}
    assert by_word["Helferinnen"] == (("helfer", "NN"), ("in", "SUF_FEM"), ("nen", "SUF_NN"))
    assert [m for m, _ in by_word["Wohngeldstelle"]] == ["wohn", "geld", "stelle"]
