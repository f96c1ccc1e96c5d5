"""The project's German spaCy pipeline (no downloadable German model is used).

``build_pipeline()`` assembles ``spacy.blank("de")`` with a sentencizer, the
lookup lemmatizer from spacy-lookups-data and the project's own components;
``ensure_pipeline()`` saves it to disk once, where the Rasa config and the
Leichte Sprache checker load it by path.
"""

from amtslotse.rasa.nlp.pipeline import (
    PIPELINE_VERSION,
    build_pipeline,
    ensure_pipeline,
    load_pipeline,
)

__all__ = ["PIPELINE_VERSION", "build_pipeline", "ensure_pipeline", "load_pipeline"]
