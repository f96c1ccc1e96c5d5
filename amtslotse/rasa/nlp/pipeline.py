"""Build, save and load the German spaCy pipeline."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

# spaCy (and, through thinc, TensorFlow) is imported only where a pipeline is
# built or loaded: checking that a saved one is current must stay instant.

#: Bump when the pipeline's make-up changes; a saved pipeline of another
#: version is rebuilt by ``ensure_pipeline``.
PIPELINE_VERSION = "1"
_STAMP = "amtslotse-pipeline.json"


def build_pipeline() -> Language:
    """A blank German pipeline: sentencizer, lookup lemmatizer, case-insensitive lemmas."""
    import spacy

    from amtslotse.rasa.nlp.components import CASE_LEMMA_FACTORY

    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    # Lookup mode needs no tagger: the table comes from spacy-lookups-data.
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe(CASE_LEMMA_FACTORY)
    nlp.initialize()
    nlp.meta["name"] = "amtslotse_de"
    nlp.meta["version"] = f"0.0.{PIPELINE_VERSION}"
    nlp.meta["description"] = "spacy.blank('de') + sentencizer + lookup lemmatizer (Amtslotse)"
    return nlp


def ensure_pipeline(path: Path) -> bool:
    """Save the pipeline to ``path`` unless a current one is there; True if built."""
    stamp = path / _STAMP
    if stamp.is_file():
        try:
            if json.loads(stamp.read_text())["version"] == PIPELINE_VERSION:
                return False
        except (ValueError, KeyError):
            pass
    nlp = build_pipeline()
    path.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    # The stamp is written last: an interrupted build is redone next time.
    stamp.write_text(json.dumps({"version": PIPELINE_VERSION}))
    return True


def load_pipeline(path: Path) -> Language:
    """Load the saved pipeline (built first if missing)."""
    import spacy

    ensure_pipeline(path)
    return spacy.load(path)
