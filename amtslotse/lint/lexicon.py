"""Word data from well-kept sources, loaded lazily and once per process.

- ``german-nouns`` (Wiktionary): noun lemmas and their forms, names (to leave
  alone) and abbreviations;
- ``wordfreq``: Zipf frequencies of German words (rare = hard, and a check
  that a compound's parts are real words);
- ``pyphen`` (``de_DE``): hyphenation points for syllable counting.

Nothing is read at import time; the first call of a function that needs a
source loads it, later calls reuse it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pyphen

#: Parts of speech in german-nouns that mark names: never split or flag them.
_NAME_POS = ("Toponym", "Vorname", "Nachname", "Familienname", "Eigenname", "Straßenname")

#: Closed-class words and prefixes that look like compound parts but are not
#: ("Unterlagen" is not "Unter·lagen", "Vertrag" not "Ver·trag").
_NOT_MODIFIERS = frozenset(
    [
        "ab",
        "an",
        "auf",
        "aus",
        "bei",
        "bis",
        "da",
        "dar",
        "durch",
        "ein",
        "emp",
        "ent",
        "er",
        "für",
        "ge",
        "gegen",
        "her",
        "hin",
        "hinter",
        "in",
        "los",
        "miss",
        "mit",
        "nach",
        "neben",
        "ob",
        "ohne",
        "über",
        "um",
        "un",
        "unter",
        "ur",
        "ver",
        "vor",
        "weg",
        "wider",
        "wieder",
        "zer",
        "zu",
        "zurück",
        "zusammen",
        "zwischen",
        "fort",
        "voll",
        "all",
        "ant",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "und",
        "oder",
        "sie",
        "ihr",
        "wir",
        "ich",
        "man",
        "nicht",
        "kein",
        "hier",
        "dort",
        "so",
        "wie",
        "was",
        "wer",
        "wo",
    ]
)

#: Derivational endings that are also (rare) nouns: "Gesundheit" is not "Gesund·heit".
_NOT_HEADS = frozenset(
    ["ist", "isten", "istin", "ismus", "isch", "ische", "ente", "elle", "ale", "ation", "ier"]
    + [
        "schaft",
        "heit",
        "keit",
        "ung",
        "ungen",
        "tum",
        "nis",
        "lein",
        "chen",
        "ling",
        "sal",
        "sel",
        "tät",
        "ion",
    ]
)

#: Linking elements (Fugenelemente) a modifier may end with: "Arbeit-s-amt".
_LINKS = ("ens", "es", "en", "er", "s", "n", "e")

_MIN_PART = 3
_MIN_PART_ZIPF = 1.5
_MIN_SHORT_PART_ZIPF = 3.0  # three- and four-letter modifiers must be common: no "Para-graf"
_MIN_WORD_ZIPF = 3.3  # a modifier that is no noun: verb stem or adjective ("wohn-", "sozial")
_COMMONER_WHOLE = 0.7  # tuned on wordfreq's 2,500 most common long nouns
_VERB_PENALTY = 1.0  # prefer nouns: "Führer-schein", not "Führ-erschein"
_VOWELS = re.compile(r"(?:[aeä]u|ei|ai|ey|ay|ie|aa|ee|oo|[aeiouäöüy])", re.IGNORECASE)


@dataclass(frozen=True)
class Nouns:
    """The german-nouns word list, reduced to what the checker asks (all lower case)."""

    lemmas: frozenset[str]
    forms: frozenset[str]
    names: frozenset[str]
    abbreviations: frozenset[str]


@lru_cache(maxsize=1)
def nouns() -> Nouns:
    """Load german-nouns' CSV once (about one second)."""
    from german_nouns.config import CSV_FILE_PATH

    lemmas: set[str] = set()
    forms: set[str] = set()
    names: set[str] = set()
    abbreviations: set[str] = set()
    with open(CSV_FILE_PATH, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        for row in rows:
            lemma, pos = row[0], row[1]
            if "Abkürzung" in pos:
                abbreviations.add(lemma)
            elif any(name in pos for name in _NAME_POS):
                names.add(lemma.lower())
            elif "Substantiv" in pos:
                lemmas.add(lemma.lower())
                forms.update(form.lower() for form in row[7:] if form)
    return Nouns(
        frozenset(lemmas), frozenset(forms | lemmas), frozenset(names), frozenset(abbreviations)
    )


def zipf(word: str) -> float:
    """Zipf frequency of a German word (0 = unknown, 3 = once per million words... 7 = "und").

    >>> zipf("Termin") > zipf("Mietzuschuss")
    True
    """
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "de"))


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    import pyphen

    return pyphen.Pyphen(lang="de_DE", left=1, right=1)


@lru_cache(maxsize=1)
def _compound_hyphenator() -> pyphen.Pyphen:
    import pyphen

    return pyphen.Pyphen(lang="de_DE")


@lru_cache(maxsize=8192)
def count_syllables(word: str) -> int:
    """Syllables of one German word: vowel groups within pyphen's hyphenation chunks.

    Pyphen separates vowels that meet across syllables ("So-zi-al"), the
    vowel groups count the rest (diphthongs "au", "ei", "eu" are one).
    Mediopunkt and hyphens are ignored; a word without vowels counts 1.

    >>> [count_syllables(w) for w in ("Haus", "Wohngeld", "Bürger·geld", "Arbeitsagentur")]
    [1, 2, 3, 5]
    """
    plain = re.sub(r"[·\-]", "", word)
    if not plain:
        return 0
    chunks = _hyphenator().inserted(plain, hyphen="\x00").split("\x00")
    return max(1, sum(len(_VOWELS.findall(chunk)) for chunk in chunks))


_NO_SCORE = -1.0


def _head_score(part: str) -> float:
    """Zipf of a noun that can end a compound, or -1 ("antrag" yes, "ung" no)."""
    if len(part) < _MIN_PART or part in _NOT_HEADS or part not in nouns().forms:
        return _NO_SCORE
    score = zipf(part)
    return score if score >= _MIN_PART_ZIPF else _NO_SCORE


def _modifier_score(part: str) -> float:
    """Zipf of the best reading of a compound's non-final part, or -1.

    Readings: a noun with a linking element ("arbeits" = "Arbeit" + s), a
    noun without its final e ("miet" from "Miete"), a verb stem ("wohn"
    from "wohnen") or a frequent word of five letters or more ("sozial").
    Three-letter parts must be nouns ("Amt", "Bau", "Erd-" from "Erde"), and
    short nouns common ones (no "Para-graf").
    """
    if len(part) < _MIN_PART or part in _NOT_MODIFIERS:
        return _NO_SCORE
    known = nouns().forms
    scores = [_NO_SCORE]
    for link in ("", *_LINKS):
        if link and not part.endswith(link):
            continue
        stem = part[: len(part) - len(link)]
        if len(stem) >= _MIN_PART and stem in known and stem not in _NOT_MODIFIERS:
            score = zipf(stem)
            if len(stem) > _MIN_PART + 1 or score >= _MIN_SHORT_PART_ZIPF:
                scores.append(score)
    if part + "e" in known:
        scores.append(zipf(part + "e"))
    if len(part) > _MIN_PART:
        for reading in (part + "en", part + "n"):  # verb stem: "wohn-" from "wohnen"
            score = zipf(reading)
            if score >= _MIN_WORD_ZIPF:
                scores.append(score - _VERB_PENALTY)
    if (
        len(part) > _MIN_PART + 1 and zipf(part) >= _MIN_WORD_ZIPF
    ):  # adjective: "sozial-", "schwer-"
        scores.append(zipf(part))
    best = max(scores)
    return best if best >= _MIN_PART_ZIPF else _NO_SCORE


@lru_cache(maxsize=8192)
def _segment(word: str, whole: bool = True) -> tuple[float, tuple[int, ...]] | None:
    """Best cut of lower-case ``word`` into modifiers and a noun head.

    Returns (weakest part's Zipf, end positions of the parts): the split
    whose rarest part is most common wins (so "Gesundheits-amt" beats
    "Gesundheit-samt"), among equals the one with more parts. With
    ``whole=False`` the word itself is no candidate (it must be cut).
    """
    head = _head_score(word) if whole else _NO_SCORE
    best: tuple[float, tuple[int, ...]] | None = (head, (len(word),)) if head > 0 else None
    for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
        left = _modifier_score(word[:cut])
        if left < 0:
            continue
        rest = _segment(word[cut:])
        if rest is None:
            continue
        candidate = (min(left, rest[0]), (cut, *(cut + end for end in rest[1])))
        if best is None or (candidate[0], len(candidate[1])) > (best[0], len(best[1])):
            best = candidate
    return best


@lru_cache(maxsize=8192)
def split_compound(word: str) -> tuple[str, ...]:
    """The parts of a German compound noun, or ``(word,)`` when it is none.

    Parts must be known words: the head a noun (german-nouns), the others a
    noun (with linking "s", "en", ...), a verb stem or a frequent word
    (wordfreq). Every cut must be a hyphenation point (pyphen), so
    "Widerstand" is no "Widers-tand". Names stay whole, and so do words much
    more common than their rarest part ("Moderation" is no "Mode-ration").

    >>> split_compound("Wohngeldantrag")
    ('Wohn', 'geld', 'antrag')
    >>> split_compound("Unterlagen")
    ('Unterlagen',)
    """
    lower = word.lower()
    if not word.isalpha() or lower in nouns().names:
        return (word,)
    found = _segment(lower, whole=False)
    if found is None or len(found[1]) < 2:
        return (word,)
    weakest, cuts = found
    points = set(_compound_hyphenator().positions(word))
    if any(cut not in points for cut in cuts[:-1]):
        return (word,)  # a cut inside a syllable: "Widers-tand", "Verb-rechen"
    if weakest + _COMMONER_WHOLE < zipf(lower):
        return (word,)  # far more common whole than its parts: "Regelungen" is no "Rege-lungen"
    parts, start = [], 0
    for end in cuts:
        parts.append(word[start:end])
        start = end
    return tuple(parts)


def is_noun(word: str) -> bool:
    """True for a known noun form ("Anträge") or a compound ending in one."""
    lower = word.lower()
    return lower in nouns().forms or len(split_compound(word)) > 1


def is_name(word: str) -> bool:
    """True for place names, first and last names known to Wiktionary."""
    return word.lower() in nouns().names


#: HanTa morpheme labels of stems, by their family ("NN_VAR" is a noun stem, "VV_VAR_PP" a verb's).
_STEM_FAMILIES = frozenset({"NN", "NE", "VV", "VVnp", "VA", "VM", "ADJ", "ADV", "CARD"})
#: Labels that belong to the part after them ("ein" of "Einwohner", "ge" of participles).
_LEADING_LABELS = frozenset({"PTKVZ", "PTKVZ_SEP", "PTKVZ_DUBIUM", "PREF_PP", "PREF_NEG"})
#: Endings that inflect a noun (plural, case) rather than derive a new word ("-in", "-ung").
_INFLECTION = frozenset({"SUF_NN", "SUF_NE"})


def _is_stem(label: str) -> bool:
    return label.split("_")[0] in _STEM_FAMILIES


def _morphemes(word: str) -> tuple[tuple[str, str], ...]:
    from amtslotse.rasa.nlp.morphology import tagger

    return tagger().analyze_word(word)[1]


def _hanta_cuts(morphemes: tuple[tuple[str, str], ...]) -> list[int]:
    """Where the parts of a compound start, from its morphemes (linking elements stay left).

    wohn|geld|stelle, leben+s|mittel|punkt, krank+en|kasse+n|karte.
    """
    cuts, position, seen_stem, pending = [], 0, False, None
    for text, label in morphemes:
        if label in _LEADING_LABELS:
            pending = position if pending is None else pending
        elif _is_stem(label):
            start = position if pending is None else pending
            if seen_stem and start > 0:
                cuts.append(start)
            seen_stem = True
            pending = None
        else:
            pending = None
        position += len(text)
    return cuts


def _join_fixed(parts: list[str], fixed: frozenset[str]) -> list[str]:
    """Parts that together make a word from ``fixed`` become one again.

    "Lebens", "mittel", "punkt" with "mittelpunkt" fixed: "Lebens", "mittelpunkt".
    A fixed word may carry an ending ("Sonntage", "Mittelpunkts").
    """
    out = list(parts)
    changed = True
    while changed and len(out) > 1:
        changed = False
        for i in range(len(out) - 1):
            for j in range(len(out), i + 1, -1):
                joined = "".join(out[i:j]).lower()
                if any(
                    joined == w or (joined.startswith(w) and len(joined) - len(w) <= 2)
                    for w in fixed
                ):
                    out[i:j] = ["".join(out[i:j])]
                    changed = True
                    break
            if changed:
                break
    return out


@lru_cache(maxsize=8192)
def compound_parts(word: str, fixed: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The parts of a compound, checked against its morphology; ``(word,)`` if it is none.

    HanTa's morphemes decide first: two stems or more make a compound and
    give its parts ("Wohn", "geld", "stelle"); one stem with endings is a
    derivation or an inflected form, no compound ("Helfer+in+nen",
    "arbeitslos+e", "Sonntag+e"). Where HanTa knows a long noun as one
    stem ("Sozialgesetzbuch"), the word list splits that stem
    (:func:`split_compound`). ``fixed`` (lower case) lists words that must
    stay whole, because their parts mislead ("Mittelpunkt" is no
    "Mittel·punkt", "Sonntag" no "Sonn·tag").

    >>> compound_parts("Wohngeldstelle")
    ('Wohn', 'geld', 'stelle')
    >>> compound_parts("Helferinnen"), compound_parts("Arbeitslose")
    (('Helferinnen',), ('Arbeitslose',))
    >>> compound_parts("Lebensmittelpunkt", frozenset({"mittelpunkt"}))
    ('Lebens', 'mittelpunkt')
    >>> compound_parts("Sozialgesetzbuches")
    ('Sozial', 'gesetz', 'buches')
    """
    lower = word.lower()
    if not word.isalpha() or lower in nouns().names or lower in fixed:
        return (word,)
    morphemes = _morphemes(word)
    if "".join(m for m, _ in morphemes) != lower:  # HanTa changed the letters: no cuts to trust
        return split_compound(word)
    stems = [(i, label) for i, (_, label) in enumerate(morphemes) if _is_stem(label)]
    if len(stems) >= 2:
        if any(morphemes[i][0] in _NOT_MODIFIERS for i, _ in stems[:-1]):
            return (word,)  # "Nicht|erscheinen" is no compound of "nicht"
        cuts = _hanta_cuts(morphemes)
        bounds = [0, *cuts, len(word)]
        parts = [word[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        if any(len(p) < _MIN_PART for p in parts):
            return (word,)
    elif stems and not stems[0][1].startswith(("NN", "NE")):
        return (word,)  # "arbeitslos+e", "spritz+en", "fotograf+en": one stem, not a noun's
    else:
        # One noun stem (HanTa knows "Sozialgesetzbuch" whole, guesses "Kinderreisepass"):
        # the word list may cut it, but only inside the stem, never at its endings
        # ("Helfer|innen" is "helfer" + "in" + "nen").
        start = sum(len(m) for m, _ in morphemes[: stems[0][0]]) if stems else 0
        stem_end = start + len(morphemes[stems[0][0]][0]) if stems else len(word)
        inner = split_compound(word[start:stem_end]) if stem_end - start >= 2 * _MIN_PART else ()
        if len(inner) >= 2:
            parts = [word[:start] + inner[0], *inner[1:-1], inner[-1] + word[stem_end:]]
        else:
            # HanTa's stem may lack a letter of the word ("mittagesse" + "n"): split the
            # whole word, if the endings are inflection only and every cut is in the stem.
            endings = [label for _, label in morphemes[stems[0][0] + 1 :]] if stems else []
            parts = list(split_compound(word))
            cuts = [sum(len(p) for p in parts[:i]) for i in range(1, len(parts))]
            if (
                len(parts) < 2
                or any(len(p) <= _MIN_PART for p in parts)  # no "Sprit|zen"
                or any(label not in _INFLECTION for label in endings)
                or not all(start < cut < stem_end for cut in cuts)
            ):
                return (word,)
    joined = _join_fixed(parts, fixed)
    return tuple(joined) if len(joined) > 1 else (word,)
