"""German morphology for the checker's pipeline: HanTa (the Hannover Tagger) as a spaCy component.

HanTa analyses each word into morphemes with a hidden Markov model and tags
sentences with STTS tags; its German model ships inside the wheel, so
nothing is downloaded. What the component adds to each token:

- ``token.tag_``: the STTS tag in HanTa's spelling, e.g. ``NN``, ``ADJ(A)``
  (attributive adjective), ``VV(PP)`` (past participle), ``VA(FIN)``;
- ``token._.morphemes``: the morphemes with their labels, e.g.
  ``(("helfer", "NN"), ("in", "SUF_FEM"), ("nen", "SUF_NN"))`` for
  "Helferinnen" (one stem and suffixes) against
  ``(("wohn", "VV"), ("geld", "NN"), ("stelle", "NN"))`` for
  "Wohngeldstelle" (three stems: a compound);
- ``token._.morph_lemma``: HanTa's lemma (``token.lemma_`` stays the lookup
  lemma, so rules written against it keep their meaning).

Words written with Mediopunkt or hyphen are analysed with the marks taken
out ("Wohn·geld" as "Wohngeld"), so a split compound gets the tag of the
whole word.

Why only in the checker's pipeline (``amtslotse.lint.pipeline``) and not in
the saved pipeline Rasa loads: Rasa's featurizers read no part-of-speech
tags (bot/config.yml), so there HanTa would only cost time on every message
and memory in the Rasa process; and a changed saved pipeline would change
the trained model's fingerprint and force a retrain. Rasa's tokens and
lemmas therefore stay exactly as they are. In the checker's process HanTa's
model takes about 50 MiB and 0.3 s to load, once.

HanTa 1.1.2 is pinned because 1.2's model is pickled with numpy 2, which
Rasa's TensorFlow (numpy < 1.24) cannot read.
"""

# No "from __future__ import annotations": spaCy resolves factory signatures at run time.
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

MORPHOLOGY_FACTORY = "amtslotse_morphology_v1"

#: Middle dots that Leichte Sprache texts use between the parts of a compound.
MIDDLE_DOTS = "\u00b7\u0387\u2027\u2219\u22c5\u30fb\uff65"
_MARKS = re.compile(f"[{MIDDLE_DOTS}\\-]")
#: Morpheme labels of word stems (the rest are suffixes, prefixes, linking elements).
STEM_LABELS = frozenset({"NN", "NE", "VV", "VA", "VM", "ADJ", "ADV", "CARD"})
_CACHE_SIZE = 65536


def _model_path() -> str:
    from importlib.resources import files

    return str(files("HanTa") / "morphmodel_ger.pgz")


class _MemoTagger:
    """HanTa's tagger with its per-word work memoised (words repeat across sentences).

    HanTa analyses every word afresh in each sentence; the analyses depend
    on the word and its tag only, so a cache makes repeated words free.
    """

    def __init__(self) -> None:
        from HanTa.HanoverTagger import HanoverTagger

        self._tagger = HanoverTagger(_model_path())
        tagger = self._tagger
        # The two costly steps per word, wrapped on the instance: the forward pass
        # over a word's morphemes (shared by sentence tagging and single words)
        # and the morpheme split for one tag.
        tagger.analyze_forward = lru_cache(maxsize=_CACHE_SIZE)(tagger.analyze_forward)  # type: ignore[method-assign]
        tagger._analyze = lru_cache(maxsize=_CACHE_SIZE)(tagger._analyze)  # type: ignore[method-assign]
        self._word = lru_cache(maxsize=_CACHE_SIZE)(self._analyze_word)

    def tag_sentence(self, words: list[str]) -> list[str]:
        """The STTS tag of each word of one sentence."""
        if not words:
            return []
        return list(self._tagger.tag_sent(words, taglevel=0))

    def morphemes(self, word: str, tag: str) -> tuple[str, tuple[tuple[str, str], ...]]:
        """(lemma, morphemes) of a word read with ``tag`` (memoised; asked for lazily)."""
        number = self._tagger.tag2int.get(tag)
        if number is None:
            stem, morphemes, _ = self.analyze_word(word)
            return stem, morphemes
        stem, morphemes, _ = self._tagger._analyze(word, number, taglevel=3)
        return stem, tuple((m, label) for m, label in morphemes)

    def _analyze_word(self, word: str) -> tuple[str, tuple[tuple[str, str], ...], str]:
        stem, morphemes, tag = self._tagger.analyze(word, taglevel=3)
        return stem, tuple((m, label) for m, label in morphemes), tag

    def analyze_word(self, word: str) -> tuple[str, tuple[tuple[str, str], ...], str]:
        """(lemma, morphemes, tag) of one word without sentence context."""
        return self._word(word)


@lru_cache(maxsize=1)
def tagger() -> _MemoTagger:
    """The German HanTa tagger, loaded once per process (about 0.3 s)."""
    return _MemoTagger()


def plain_word(text: str) -> str:
    """The word as HanTa reads it: marks out, later parts in lower case.

    >>> plain_word("Wohn·Geld-Stelle")
    'Wohngeldstelle'
    >>> plain_word("E-Mail")
    'Email'
    """
    parts = [p for p in _MARKS.split(text) if p]
    if len(parts) < 2:
        return text
    return parts[0] + "".join(p.lower() for p in parts[1:])


def stems(morphemes: Iterable[tuple[str, str]]) -> list[str]:
    """The stems among morphemes: ``[("wohn","VV"),("geld","NN")]`` gives ``["wohn", "geld"]``."""
    return [m for m, label in morphemes if label in STEM_LABELS]


def _morphemes_of(token: Token) -> tuple[tuple[str, str], ...]:
    return tagger().morphemes(plain_word(token.text), token.tag_)[1] if token.tag_ else ()


def _lemma_of(token: Token) -> str:
    return tagger().morphemes(plain_word(token.text), token.tag_)[0] if token.tag_ else ""


class Morphology:
    """Tag every sentence with HanTa; see the module docstring for what each token gets.

    Tags are set on every token; morphemes and HanTa's lemma are worked out
    when a rule first asks for them (most words never need them).
    """

    def __init__(self, analyse: Any = None) -> None:
        self._tagger = analyse

    def __call__(self, doc: Doc) -> Doc:
        tagger_ = self._tagger or tagger()
        sentences = doc.sents if doc.has_annotation("SENT_START") else [doc[:]]
        for sentence in sentences:
            tokens = [t for t in sentence if not t.is_space]
            tags = tagger_.tag_sentence([plain_word(t.text) for t in tokens])
            for token, tag in zip(tokens, tags, strict=True):
                token.tag_ = tag
        return doc


@Language.factory(MORPHOLOGY_FACTORY)
def make_morphology(nlp: Language, name: str) -> Morphology:
    """Factory: put it after the sentencizer (it tags sentence by sentence)."""
    for attribute, getter in (("morphemes", _morphemes_of), ("morph_lemma", _lemma_of)):
        if not Token.has_extension(attribute):
            Token.set_extension(attribute, getter=getter)
    return Morphology()
