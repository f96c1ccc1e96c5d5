"""Near-duplicate detection for NLU utterances (held-out set vs. itself and vs. training data).

Two texts are near-duplicates when, after :func:`normalize` (lowercase, Rasa entity
markup removed, punctuation removed, whitespace collapsed),

* they are equal, or
* both have at least :data:`MIN_WORDS` words and the Jaccard similarity of their
  character 3-gram sets is at least :data:`THRESHOLD`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

THRESHOLD = 0.8
MIN_WORDS = 4
N = 3

# Rasa entity markup: [Text](entity), [Text](entity:value), [Text]{"entity": ...},
# and the same with a following (...) or {...}; only the visible text is kept.
_ENTITY = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lowercase, drop Rasa entity markup and punctuation, collapse whitespace."""
    text = _ENTITY.sub(r"\1", text)
    text = text.lower()
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def char_ngrams(text: str, n: int = N) -> frozenset[str]:
    """Character n-grams of an already normalised text (the whole text if shorter than n)."""
    if len(text) < n:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i : i + n] for i in range(len(text) - n + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def similarity(text_a: str, text_b: str) -> float:
    """Character 3-gram Jaccard similarity of the normalised texts (0.0 .. 1.0)."""
    return jaccard(char_ngrams(normalize(text_a)), char_ngrams(normalize(text_b)))


def is_near_duplicate(text_a: str, text_b: str, threshold: float = THRESHOLD) -> bool:
    a, b = normalize(text_a), normalize(text_b)
    if a == b:
        return True
    if len(a.split()) < MIN_WORDS or len(b.split()) < MIN_WORDS:
        return False
    return jaccard(char_ngrams(a), char_ngrams(b)) >= threshold


@dataclass(frozen=True)
class Pair:
    left: str
    right: str
    score: float  # 1.0 for equal normalised texts

    def __str__(self) -> str:
        return f"{self.score:.2f}  {self.left!r}  ~  {self.right!r}"


class _Prepared:
    __slots__ = ("text", "norm", "words", "grams")

    def __init__(self, text: str):
        self.text = text
        self.norm = normalize(text)
        self.words = len(self.norm.split())
        self.grams = char_ngrams(self.norm)


def find_near_duplicates(
    left: Sequence[str],
    right: Iterable[str] | None = None,
    threshold: float = THRESHOLD,
) -> list[Pair]:
    """All near-duplicate pairs between ``left`` and ``right``.

    Without ``right``, the pairs inside ``left`` (each unordered pair once).
    """
    a = [_Prepared(t) for t in left]
    self_compare = right is None
    b = a if self_compare else [_Prepared(t) for t in right]  # type: ignore[union-attr]

    # Equal normalised texts: hash lookup.
    pairs: list[Pair] = []
    by_norm: dict[str, list[int]] = {}
    for j, p in enumerate(b):
        by_norm.setdefault(p.norm, []).append(j)

    # Jaccard >= t needs t <= |A|/|B| <= 1/t, so only similar-sized gram sets can match.
    order = sorted(range(len(b)), key=lambda j: len(b[j].grams))
    sizes = [len(b[j].grams) for j in order]

    for i, p in enumerate(a):
        seen: set[int] = set()
        for j in by_norm.get(p.norm, ()):
            if self_compare and j <= i:
                continue
            pairs.append(Pair(p.text, b[j].text, 1.0))
            seen.add(j)
        if p.words < MIN_WORDS:
            continue
        size = len(p.grams)
        lo = bisect.bisect_left(sizes, size * threshold)
        hi = bisect.bisect_right(sizes, size / threshold)
        for k in range(lo, hi):
            j = order[k]
            if j in seen or (self_compare and j <= i):
                continue
            q = b[j]
            if q.words < MIN_WORDS or q.norm == p.norm:
                continue
            score = jaccard(p.grams, q.grams)
            if score >= threshold:
                pairs.append(Pair(p.text, q.text, score))
    return pairs
