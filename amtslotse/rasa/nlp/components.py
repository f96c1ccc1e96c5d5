"""Own spaCy components of the German pipeline.

They are registered under namespaced, versioned names (spaCy forbids dots
in factory names) through the
``spacy_factories`` entry point in pyproject.toml, so ``spacy.load(path)``
finds them in any process (Rasa server, checker) without an import first.
"""

# No "from __future__ import annotations": spaCy resolves factory signatures at run time.
from collections.abc import Callable

from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

CASE_LEMMA_FACTORY = "amtslotse_case_lemma_v1"


class CaseInsensitiveLemma:
    """Give lower-cased German words the lemma of their capitalised form.

    German lookup tables are keyed by the written form, so a citizen who types
    "wohngeld beantragen" in lower case gets no lemma for "wohngeld". This
    component runs after the lemmatizer and, where the lemma is just the
    unchanged token, looks the capitalised form up again.

    >>> # "anträge" -> "Antrag" (noun typed in lower case)
    """

    def __init__(self, lookup: Callable[[str], str]):
        self._lookup = lookup

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            text = token.text
            if not text or not text[0].islower() or not text.isalpha():
                continue
            if token.lemma_ and token.lemma_ != text:
                continue
            capitalised = text[0].upper() + text[1:]
            lemma = self._lookup(capitalised)
            if lemma and lemma != capitalised:
                token.lemma_ = lemma.lower()
        return doc


@Language.factory(CASE_LEMMA_FACTORY)
def make_case_lemma(nlp: Language, name: str) -> CaseInsensitiveLemma:
    """Factory: needs the ``lemmatizer`` pipe (lookup mode) earlier in the pipeline."""
    lemmatizer = nlp.get_pipe("lemmatizer")
    if not isinstance(lemmatizer, Lemmatizer):
        raise TypeError(f"{CASE_LEMMA_FACTORY} needs spaCy's lookup lemmatizer before it")

    def lookup(word: str) -> str:
        table = lemmatizer.lookups.get_table("lemma_lookup")
        return table.get(word, word)

    return CaseInsensitiveLemma(lookup)
