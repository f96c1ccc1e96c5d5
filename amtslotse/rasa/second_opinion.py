"""The second opinion: a small TF-IDF logistic regression next to DIET.

Trained by ``rasa train`` on the same examples as DIET (the hand-written
data plus the examples the build makes from the content's synonyms and
service names). It sees text differently: character n-grams inside words
(so "Elterngeldstelle", "wohngelt" and "Kinderzuschlag" meet their
synonyms) and word pairs, with no notion of word order beyond that. Where
it and DIET agree, the bot can answer; where they disagree, it asks.

It must classify any text, including each clause of a message
(components.py), so it carries its own vectoriser. Saved as JSON and a
NumPy archive (no pickles in the model).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = ["SecondOpinion", "fold"]

_FILE_META = "second_opinion.json"
_FILE_ARRAYS = "second_opinion.npz"


def fold(text: str) -> str:
    """Lower case, umlauts and ß spelled out, punctuation to spaces: how the model sees text.

    >>> fold("Führerschein verloren!")
    'fuehrerschein verloren'
    """
    text = unicodedata.normalize("NFC", text.lower().replace("·", ""))
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return " ".join(re.sub(r"[^\w\s-]|_", " ", text).split())


@dataclass
class SecondOpinion:
    labels: list[str]
    word_vocab: dict[str, int]
    char_vocab: dict[str, int]
    word_idf: np.ndarray
    char_idf: np.ndarray
    coef: np.ndarray  # labels x features
    intercept: np.ndarray

    # -------------------------------------------------------------- training

    @classmethod
    def train(cls, texts: Sequence[str], labels: Sequence[str], *, c: float = 8.0) -> SecondOpinion:
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        folded = [fold(t) for t in texts]
        words = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), min_df=1, sublinear_tf=True, token_pattern=r"\S+"
        )
        chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=60000
        )
        x = hstack([words.fit_transform(folded), chars.fit_transform(folded)]).tocsr()
        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        model.fit(x, list(labels))
        return cls(
            labels=[str(label) for label in model.classes_],
            word_vocab={k: int(v) for k, v in words.vocabulary_.items()},
            char_vocab={k: int(v) for k, v in chars.vocabulary_.items()},
            word_idf=words.idf_.astype("float32"),
            char_idf=chars.idf_.astype("float32"),
            coef=model.coef_.astype("float32"),
            intercept=model.intercept_.astype("float32"),
        )

    # ------------------------------------------------------------ prediction

    def _vectorizers(self) -> tuple[Any, Any]:
        cached = getattr(self, "_cached", None)
        if cached is None:
            from sklearn.feature_extraction.text import TfidfVectorizer

            words = TfidfVectorizer(
                analyzer="word",
                ngram_range=(1, 2),
                sublinear_tf=True,
                token_pattern=r"\S+",
                vocabulary=self.word_vocab,
            )
            chars = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(2, 5),
                sublinear_tf=True,
                vocabulary=self.char_vocab,
            )
            words.idf_ = self.word_idf
            chars.idf_ = self.char_idf
            cached = (words, chars)
            self._cached = cached
        return cached

    def rank(self, texts: Sequence[str]) -> list[list[tuple[str, float]]]:
        """For each text, every label with its probability, most likely first."""
        import numpy as np
        from scipy.sparse import hstack

        if not texts:
            return []
        words, chars = self._vectorizers()
        folded = [fold(t) for t in texts]
        x = hstack([words.transform(folded), chars.transform(folded)]).tocsr()
        logits = x @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        out = []
        for row in probs:
            order = np.argsort(-row)
            out.append([(self.labels[i], float(row[i])) for i in order])
        return out

    # ----------------------------------------------------------- persistence

    def save(self, directory: Path) -> None:
        import numpy as np

        directory.mkdir(parents=True, exist_ok=True)
        meta = {"labels": self.labels, "word_vocab": self.word_vocab, "char_vocab": self.char_vocab}
        (directory / _FILE_META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(
            directory / _FILE_ARRAYS,
            word_idf=self.word_idf,
            char_idf=self.char_idf,
            coef=self.coef,
            intercept=self.intercept,
        )

    @classmethod
    def load(cls, directory: Path) -> SecondOpinion:
        import numpy as np

        meta = json.loads((directory / _FILE_META).read_text(encoding="utf-8"))
        arrays = np.load(directory / _FILE_ARRAYS, allow_pickle=False)
        return cls(
            labels=list(meta["labels"]),
            word_vocab=dict(meta["word_vocab"]),
            char_vocab=dict(meta["char_vocab"]),
            word_idf=arrays["word_idf"],
            char_idf=arrays["char_idf"],
            coef=arrays["coef"],
            intercept=arrays["intercept"],
        )
