"""The spaCy pipeline for the checker: the project's German pipeline plus morphology, loaded once.

The checker adds HanTa's morphology (``amtslotse.rasa.nlp.morphology``:
STTS tags, morphemes) to the saved pipeline it shares with Rasa; Rasa's
pipeline stays without it (that module says why).

Importing spaCy imports thinc, and thinc imports TensorFlow when it is
installed (about 3 seconds, for GPU shims the checker never uses). When
spaCy is not imported yet, the loader hides TensorFlow from that one import
(``sys.modules["tensorflow"] = None`` makes ``import tensorflow`` fail, which
thinc handles as "not installed") and unhides it right after, so Rasa or
anything else imported later in the same process still gets TensorFlow.
Only thinc's optional TensorFlow wrappers stay off in that process; Rasa
does not use them. Where spaCy is already loaded (e.g. inside Rasa), nothing
is hidden.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language


def default_pipeline_path() -> Path:
    """build/spacy/de_amtslotse of this checkout."""
    from amtslotse.settings import Paths

    return Paths().spacy_pipeline


@contextmanager
def _without_tensorflow() -> Iterator[None]:
    hide = "spacy" not in sys.modules and "tensorflow" not in sys.modules
    if hide:
        sys.modules["tensorflow"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if hide and sys.modules.get("tensorflow", 0) is None:
            del sys.modules["tensorflow"]


@lru_cache(maxsize=2)
def checker_pipeline(path: Path | None = None) -> Language:
    """The German pipeline (built first if missing) with morphology, loaded once per process."""
    with _without_tensorflow():
        from amtslotse.rasa.nlp import load_pipeline
        from amtslotse.rasa.nlp.morphology import MORPHOLOGY_FACTORY

        nlp = load_pipeline(path or default_pipeline_path())
    nlp.add_pipe(MORPHOLOGY_FACTORY)
    return nlp
