"""Word rules: abbreviations, special characters, compounds, hard words, consistent spelling."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from amtslotse.lint.analysis import Analysis, Sentence
from amtslotse.lint.config import LintConfig
from amtslotse.lint.lexicon import compound_parts, is_name, nouns, split_compound, zipf
from amtslotse.lint.model import Hit
from amtslotse.lint.rules.base import clauses, explained_by_glossary, token_hit
from amtslotse.lint.rules.zahlen import date_time_spans, is_date_abbreviation

if TYPE_CHECKING:  # spaCy is imported by the pipeline loader only (see amtslotse.lint.pipeline)
    from spacy.tokens import Token

MEDIOPUNKT = "·"
_SEGMENT_SPLIT = re.compile(r"[·\-]")
_DOTTED = re.compile(r"^[A-Za-zÄÖÜäöüß]+\.(?:[A-Za-zÄÖÜäöüß]+\.)*$")
_ACRONYM = re.compile(
    r"^[A-Za-zÄÖÜäöüß0-9]*[A-ZÄÖÜ][A-Za-zÄÖÜäöüß0-9]*[A-ZÄÖÜ][A-Za-zÄÖÜäöüß0-9]*$"
)


_ROMAN = re.compile(r"^(?=[IVXL]{2,}\.?$)L?X{0,3}(?:IX|IV|V?I{0,3})\.?$")


def is_roman_numeral(word: str) -> bool:
    """ "II", "IV", "XII" and "II." at a sentence end: numbers, no abbreviations.

    >>> [is_roman_numeral(w) for w in ("II", "II.", "XIV", "SGB", "IVF", "I")]
    [True, True, True, False, False, False]
    """
    return len(word.rstrip(".")) >= 2 and _ROMAN.match(word) is not None


@lru_cache(maxsize=8)
def _fixed_words(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def fixed_words(config: LintConfig) -> frozenset[str]:
    """``kompositum.fixed`` in lower case (computed once per config)."""
    return _fixed_words(config.compound_fixed)


def _normalise_abbreviation(text: str) -> str:
    return text.replace(" ", "")


def _initials(sentence_tokens: list[Token], fixed: frozenset[str]) -> str:
    """First letters of the words and compound parts of a sentence, lower case.

    "für Sozial-Gesetz-Buch 2" gives "fsgb2"; "Grad der Behinderung" gives "gdb".
    """
    letters: list[str] = []
    for token in sentence_tokens:
        for segment in _SEGMENT_SPLIT.split(token.text):
            if not segment or not segment[0].isalnum():
                continue
            long_word = segment.isalpha() and len(segment) >= 6 and segment[0].isupper()
            parts = compound_parts(segment, fixed) if long_word else (segment,)
            letters.extend(part[0].lower() for part in parts)
    return "".join(letters)


def _introduced(text: Analysis, config: LintConfig) -> dict[str, int]:
    """Acronyms whose words stand beside them, and the sentence from which on they may stay.

    An acronym is introduced where its own sentence or the one before
    holds words whose first letters spell it: "Das kurze Wort für
    Sozial-Gesetz-Buch 2 ist SGB II.", "GdB ist die Abkürzung für Grad der
    Behinderung." From there on the text may use it.
    """
    fixed = fixed_words(config)
    sentences = text.sentences
    candidates = [[t for t in s.span if _ACRONYM.match(t.text.rstrip("."))] for s in sentences]
    found: dict[str, int] = {}
    for index in range(len(sentences)):
        if not candidates[index]:
            continue
        nearby = " ".join(
            _initials(list(sentences[i].span), fixed) for i in (index, index - 1) if i >= 0
        )
        for token in candidates[index]:
            word = token.text.rstrip(".")
            if word not in found:
                letters = "".join(c for c in word if c.isalpha()).lower()
                if len(letters) >= 2 and letters in nearby:
                    found[word] = index
    return found


def _abbreviations(text: Analysis) -> Iterator[tuple[int, int, int, str]]:
    """(line, start, end, written form) of each abbreviation; "z. B." is one, not two."""
    for line in text.lines:
        tokens = list(line.doc)
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if is_roman_numeral(token.text):
                index += 1
                continue
            if _DOTTED.match(token.text) and not is_date_abbreviation(token.text):
                end = index
                while (
                    len(tokens[end].text) <= 2
                    and end + 1 < len(tokens)
                    and _DOTTED.match(tokens[end + 1].text)
                    and len(tokens[end + 1].text) <= 2
                ):
                    end += 1  # "z." "B." -> "z. B."
                first, last = tokens[index], tokens[end]
                yield (
                    line.number,
                    first.idx,
                    last.idx + len(last.text),
                    line.doc.text[first.idx : last.idx + len(last.text)],
                )
                index = end + 1
                continue
            for part in _SEGMENT_SPLIT.split(token.text):
                if _is_short_form(part) and not is_roman_numeral(part):
                    start = token.idx + token.text.index(part)
                    yield line.number, start, start + len(part), part
            index += 1


def _is_short_form(word: str) -> bool:
    """Acronyms ("SGB", "BAföG") and listed short forms ("Kfz"); not shouted words ("WICHTIG")."""
    if len(word) < 2 or not word.isalnum() or word.isdigit():
        return False
    if _ACRONYM.match(word):
        return not (word.isupper() and len(word) > 4 and zipf(word.lower()) >= 3.0)
    return len(word) <= 5 and word in nouns().abbreviations and word.lower() not in nouns().lemmas


def abkuerzung(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """An abbreviation: dotted short forms ("z. B.", "bzw.", "Nr.") and acronyms ("SGB", "IBAN").

    Flags: "Bringen Sie z. B. Ihren Ausweis mit." (suggests "zum
    Beispiel", from ``abkuerzung.expansions``). Lets pass: abbreviations in
    ``abkuerzung.allowed`` ("Kfz"), those in ``abkuerzung.explained`` when
    the same input contains their explanation, and weekday and month short
    forms (``datum-uhrzeit`` reports those). An acronym whose words stand in
    its own sentence or the one before is introduced, and may stay from there
    on: "Das kurze Wort für Sozial-Gesetz-Buch 2 ist SGB II." Roman numerals
    ("II") are numbers, not abbreviations.

    >>> demo("abkuerzung", "Das kurze Wort für Sozial-Gesetz-Buch 2 ist SGB II.")
    []
    >>> demo("abkuerzung", "Sie bekommen Geld nach dem SGB II.")
    ['SGB: „Sozial·gesetz·buch“']
    """
    full_text = "\n".join(line.doc.text for line in text.lines).lower()
    introduced = _introduced(text, config)

    def sentence_of(line: int, start: int) -> int:
        for i, s in enumerate(text.sentences):
            if s.line == line and s.span.start_char <= start < s.span.end_char:
                return i
        return -1

    expansions = {_normalise_abbreviation(k): v for k, v in config.abbreviation_expansions.items()}
    allowed = {_normalise_abbreviation(k) for k in config.allowed_abbreviations}
    explained = {_normalise_abbreviation(k): v for k, v in config.explained_abbreviations.items()}
    for line, start, end, written in _abbreviations(text):
        key = _normalise_abbreviation(written)
        explanation = explained.get(key)
        if key in allowed or (explanation and explanation.lower() in full_text):
            continue
        since = introduced.get(written.rstrip("."))
        if since is not None and sentence_of(line, start) >= since:
            continue
        if explanation:
            suggestion = f"erklären: „{explanation}“"
        elif key in expansions:
            suggestion = f"„{expansions[key]}“"
        else:
            suggestion = "das ganze Wort schreiben"
        yield Hit(line, start, end, f"Abkürzung „{written}“", suggestion)


_PLAIN_CHARACTERS = frozenset(".,?!:·-")


def sonderzeichen(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """Special characters: § % & / ; ( ) quotes * + … and dashes between words.

    Flags: "Sie bekommen 50 % der Kosten." (suggests "Prozent" from
    ``sonderzeichen.replacements``), "Bürger*innen", "(siehe Anlage)".
    Lets pass: . , ? ! : · and the hyphen in words and numbers
    ("E-Mail", "0000-100"), web and e-mail addresses, characters in
    ``sonderzeichen.allowed``.
    """
    for line in text.lines:
        dates = [
            (a, b) for a, b, _, _ in date_time_spans(line.doc.text)
        ]  # "8–12 Uhr": datum-uhrzeit's
        for token in line.tokens():
            if token.like_url or token.like_email or any(a <= token.idx < b for a, b in dates):
                continue
            if (
                token.text == "-"
                and token.i > 0
                and token.doc[token.i - 1].whitespace_
                and token.whitespace_
            ):
                yield token_hit(line.number, token, "Gedanken·strich", "einen neuen Satz beginnen")
                continue
            run_start: int | None = None
            for offset, char in enumerate(token.text + " "):
                special = not (
                    char.isalnum()
                    or char.isspace()
                    or char in _PLAIN_CHARACTERS
                    or char in config.allowed_characters
                )
                if special and run_start is None:
                    run_start = offset
                elif not special and run_start is not None:
                    chars = token.text[run_start:offset]
                    replacement = config.character_replacements.get(chars[0])
                    yield Hit(
                        line.number,
                        token.idx + run_start,
                        token.idx + offset,
                        f"Sonder·zeichen „{chars}“",
                        f"„{replacement}“"
                        if replacement
                        else "weglassen oder mit Wörtern schreiben",
                    )
                    run_start = None


def _is_split(word: str) -> bool:
    """True for a word with a mark between letters: "Wohn·geld", "Bürger-Geld", "E-Mail"."""
    return re.search(r"[^\W\d_][·\-][^\W\d_]", word) is not None


def _known_spellings(text: Analysis, config: LintConfig) -> dict[str, str]:
    """Split spellings in input and config by their letters: "wohngeld" -> "Wohn·geld".

    The text's own spelling wins over the config's, so a text that writes
    "Wohn-Geld" gets "Wohn-Geld" suggested.
    """
    known: dict[str, str] = {}
    for word in [*config.hard_word_exempt, *config.compound_exempt]:
        for part in word.split():
            if MEDIOPUNKT in part:
                known.setdefault(_SEGMENT_SPLIT.sub("", part).lower(), _styled(part, config))
    for _, token in text.tokens():
        if _is_split(token.text) and not token.text.endswith("-"):
            known[_SEGMENT_SPLIT.sub("", token.text).lower()] = token.text
    return known


def _styled(spelling: str, config: LintConfig) -> str:
    """A Mediopunkt spelling in the house style: "Wohn·geld" or "Wohn-Geld"."""
    if config.compound_style != "hyphen":
        return spelling
    parts = [p for p in spelling.split(MEDIOPUNKT) if p]
    return "-".join([parts[0], *(p[:1].upper() + p[1:] for p in parts[1:])])


def join_parts(parts: tuple[str, ...], config: LintConfig) -> str:
    """Compound parts in the house style.

    >>> from amtslotse.lint.config import LintConfig
    >>> join_parts(("Wohn", "geld", "antrag"), LintConfig())
    'Wohn·geld·antrag'
    >>> join_parts(("Wohn", "geld", "antrag"), LintConfig(compound_style="hyphen"))
    'Wohn-Geld-Antrag'
    """
    return _styled(MEDIOPUNKT.join(parts), config)


def compound_suggestion(
    segment: str, known: dict[str, str], config: LintConfig | None = None
) -> str | None:
    """The split spelling of a compound in the house style, or None when it is none.

    >>> compound_suggestion("Wohngeldantrag", {})
    'Wohn·geld·antrag'
    >>> compound_suggestion("Führerscheinstelle", {"führerscheinstelle": "Führer·schein·stelle"})
    'Führer·schein·stelle'
    >>> fixed = LintConfig(compound_fixed=frozenset({"Mittelpunkt"}))
    >>> compound_suggestion("Lebensmittelpunkt", {}, fixed)
    'Lebens·mittelpunkt'
    """
    config = config or LintConfig()
    parts = compound_parts(segment, fixed_words(config))
    if len(parts) < 2:
        return None
    spelled = known.get(segment.lower())
    if spelled:
        return spelled[0].upper() + spelled[1:] if segment[0].isupper() else spelled
    return join_parts(parts, config)


def _unsplit_compounds(
    token_text: str, config: LintConfig, known: dict[str, str]
) -> Iterator[tuple[int, str, str]]:
    """(offset, segment, suggestion) of each long compound in a token that should be split."""
    exempt = {w.lower() for w in config.compound_exempt}
    if token_text.lower() in exempt:
        return
    offset = 0
    for segment in token_text.split("-"):
        start = offset
        offset += len(segment) + 1
        if (
            MEDIOPUNKT in segment
            or len(segment) < config.compound_min_letters
            or not segment.isalpha()
            or not segment[0].isupper()
            or segment.lower() in exempt
        ):
            continue
        suggestion = compound_suggestion(segment, known, config)
        if suggestion:
            yield start, segment, suggestion


def kompositum(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """A long compound noun written in one piece (house style: "Bürger·geld" or "Bürger-Geld").

    Flags: "Wohngeldantrag" (suggests "Wohn·geld·antrag", or
    "Wohn-Geld-Antrag" with ``compound_style: hyphen``), the second part of
    "Kfz-Zulassungsstelle", "Lebensmittelpunkt" (suggests
    "Lebens·mittelpunkt": words in ``kompositum.fixed`` stay whole). Lets
    pass: "Wohn·geld·antrag", "Wohn∙geld" and "Wohn-Geld" (every middle dot
    and the hyphen split a word), words already split at their parts
    ("Arbeitslosen-Geld", "Wahl-Sonntage", "Lebens-Mittelpunkt"), words
    shorter than ``kompositum.min_letters``, words whose morphology shows
    one stem with endings ("Helferinnen", "Wählerinnen", "Arbeitslose"),
    words that are no compound ("Unterlagen"), names ("Bitterfeld"),
    ``kompositum.fixed`` ("Sonntag", "Mittelpunkt") and
    ``kompositum.exempt``.

    >>> demo("kompositum", "Die Helferinnen und Arbeitslose kommen am Wahl-Sonntag.")
    []
    >>> demo("kompositum", "Die Stadt ist Ihr Lebensmittelpunkt.")
    ['Lebensmittelpunkt: „Lebens·mittelpunkt“']
    >>> demo("kompositum", "Sie bekommen Arbeitslosen-Geld und Bürger∙geld.")
    []
    """
    known = _known_spellings(text, config)
    marker = "Binde·strich" if config.compound_style == "hyphen" else "Medio·punkt"
    for line, token in text.tokens():
        if token.like_url or token.like_email:
            continue
        for offset, segment, suggestion in _unsplit_compounds(token.text, config, known):
            start = token.idx + offset
            yield Hit(
                line,
                start,
                start + len(segment),
                f"Langes Wort ohne {marker} „{segment}“",
                f"„{suggestion}“",
            )


def _difficulty(word: str) -> float:
    """Zipf of the rarest part: "Wohn·geld" is as easy as "wohnen" and "Geld"."""
    scores = []
    for segment in _SEGMENT_SPLIT.split(word):
        if not segment:
            continue
        parts = split_compound(segment) if segment[0].isupper() else (segment,)
        for part in parts:
            lower = part.lower()
            scores.append(
                max(zipf(lower), zipf(lower + "en"), zipf(lower + "e"), zipf(lower.rstrip("s")))
            )
    return min(scores) if scores else 8.0


def _rarity(token: Token, config: LintConfig) -> float | None:
    """How common a word is (Zipf, see :func:`_difficulty`), or None for words never rare.

    Never rare: words without letters, short ones, names, acronyms, web
    addresses, suspended parts ("Kinder-") and ``schweres-wort.exempt``.
    """
    if token.like_url or token.like_email or _suspended(token):
        return None
    return _word_rarity(token.text, token.lemma_, _exempt(config.hard_word_exempt))


@lru_cache(maxsize=8)
def _exempt(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w.replace(MEDIOPUNKT, "").lower() for w in words)


@lru_cache(maxsize=16384)
def _word_rarity(word: str, lemma_text: str, exempt: frozenset[str]) -> float | None:
    plain = word.replace(MEDIOPUNKT, "").lower()
    if not any(c.isalpha() for c in word):
        return None
    lemma = lemma_text.replace(MEDIOPUNKT, "").lower()
    if (
        plain in exempt
        or lemma in exempt
        or len(plain) < 5
        or not _SEGMENT_SPLIT.sub("", word).isalpha()
        or is_name(plain)
        or _is_short_form(word)
    ):
        return None
    return max(_difficulty(word), zipf(lemma))


def _very_rare(token: Token, config: LintConfig) -> bool:
    """Rarer than ``seltenes-wort.max_zipf`` and not explained in the glossary."""
    if config.severity("seltenes-wort") is None:
        return False
    rarity = _rarity(token, config)
    if rarity is None or rarity >= config.rare_word_max_zipf:
        return False
    return not explained_by_glossary(token, config)


def schweres_wort(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """A hard word: officialese from ``schweres-wort.words`` or a rare word (wordfreq).

    Flags: "Sie erhalten einen Bescheid." (suggests "Brief vom Amt"), rare
    words such as "Zuwendungsempfänger". Lets pass: common words ("Termin",
    "Wohn·geld"), names, numbers, ``schweres-wort.exempt`` (office names),
    words the glossary explains, and the very rare words ``seltenes-wort``
    reports (one word, one finding).
    """
    listed = {k.lower(): v for k, v in config.hard_words.items()}
    officialese = _officialese_forms(config)
    for line, token in text.tokens():
        word = token.text
        if _officialese_word(token, officialese) is not None:
            continue  # amtsdeutsch reports it (one word, one finding)
        plain = word.replace(MEDIOPUNKT, "").lower()
        lemma = token.lemma_.replace(MEDIOPUNKT, "").lower()
        simpler = listed.get(plain) or listed.get(lemma)
        if simpler is not None and any(c.isalpha() for c in word):
            yield token_hit(
                line, token, f"Schweres Wort „{word}“", f"„{simpler}“" if simpler else "erklären"
            )
            continue
        rarity = _rarity(token, config)
        hard = rarity is not None and rarity < config.hard_word_max_zipf
        if hard and not _very_rare(token, config) and not explained_by_glossary(token, config):
            yield token_hit(
                line, token, f"Seltenes Wort „{word}“", "erklären oder ein bekanntes Wort nehmen"
            )


#: Endings of inflected forms: "schriftlich" -> "schriftlichen", "Voraussetzung" -> "...en".
_INFLECTIONS = ("", "e", "em", "en", "er", "es", "n", "s")


def _officialese_forms(config: LintConfig) -> dict[str, str]:
    """Every inflected form of ``amtsdeutsch.words`` (lower case) -> its listed word."""
    if config.severity("amtsdeutsch") is None:
        return {}
    return _inflected(tuple(config.officialese_words))


@lru_cache(maxsize=8)
def _inflected(words: tuple[str, ...]) -> dict[str, str]:
    forms: dict[str, str] = {}
    for word in words:
        plain = word.replace(MEDIOPUNKT, "").lower()
        for ending in _INFLECTIONS:
            forms.setdefault(plain + ending, word)
    return forms


def _officialese_word(token: Token, forms: dict[str, str]) -> str | None:
    """The listed officialese word ``token`` is a form of (as written or by its lemma)."""
    if not forms or not token.is_alpha:
        return None
    return forms.get(token.lower_) or forms.get(token.lemma_.lower())


#: Particles of separable verbs: "einreichen" -> "Reichen Sie ... ein".
_PARTICLES = ("ein", "vor", "bei", "aus", "an", "ab", "auf", "zu", "nach", "mit", "dar")
#: Endings of the finite verb without its particle: "reich" + "en", "t", "e", ...
_FINITE = ("", "e", "en", "st", "t", "et", "te", "ten")


@lru_cache(maxsize=8)
def _separable(words: tuple[str, ...]) -> dict[tuple[str, str], str]:
    """(particle, finite form) -> listed verb: ("ein", "reichen") -> "einreichen"."""
    found: dict[tuple[str, str], str] = {}
    for word in words:
        plain = word.lower()
        for particle in _PARTICLES:
            if (
                plain.startswith(particle)
                and plain.endswith("en")
                and len(plain) > len(particle) + 4
            ):
                stem = plain[len(particle) : -2]
                for ending in _FINITE:
                    found.setdefault((particle, stem + ending), word)
    return found


def _split_officialese(
    sentence: Sentence, config: LintConfig
) -> Iterator[tuple[Token, Token, str]]:
    """Officialese separable verbs split in the sentence: ("Reichen", "ein", "einreichen")."""
    if config.severity("amtsdeutsch") is None:
        return
    verbs = _separable(tuple(config.officialese_words))
    for clause in clauses(sentence):
        for particle in (t for t in clause if t.tag_ == "PTKVZ"):
            for verb in (t for t in clause if t.tag_.startswith("VV") and t.i < particle.i):
                listed = verbs.get((particle.lower_, verb.lower_))
                if listed is not None:
                    yield verb, particle, listed


def amtsdeutsch(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """Officialese: words and phrases of official German that have an everyday word.

    Flags any form of a word in ``amtsdeutsch.words`` ("Sie erhalten ..."
    suggests "bekommen"; "einen schriftlichen Antrag" suggests "auf Papier")
    and every match of ``amtsdeutsch.phrases``, regular expressions of
    officialese phrases and constructions ("In diesem Fall wenden Sie sich
    an ...", "Sie brauchen sich nicht abzumelden."). Lets pass: the
    everyday words ("Sie bekommen ...", "Gehen Sie zum Notar."). A listed
    separable verb counts also when split in the sentence: "Reichen Sie den
    Antrag ein." is "einreichen", "Legen Sie den Ausweis vor." "vorlegen"
    (HanTa tags the particle PTKVZ). These
    words are common, so ``schweres-wort`` would only hint at them; in
    Leichte Sprache they are wrong wherever they stand, so this rule
    reports them as errors, and ``schweres-wort`` leaves them to it.

    >>> demo("amtsdeutsch", "Für die Einbürgerung ist ein schriftlicher Antrag erforderlich.")
    ['schriftlicher: „auf Papier“ oder „mit einem Brief“', 'erforderlich: „nötig“']
    >>> demo("amtsdeutsch", "In diesem Fall wenden Sie sich bitte an einen Notar.")
    ['In diesem Fall: „Dann“', 'wenden Sie sich: „gehen Sie zu …“ oder „fragen Sie …“']
    >>> demo("amtsdeutsch", "Reichen Sie die Unterlagen bitte bis Montag ein.")
    ['Reichen: „abgeben“']
    >>> demo("amtsdeutsch", "Dann gehen Sie bitte zu einem Notar.")
    []
    """
    forms = _officialese_forms(config)
    phrases = [
        (re.compile(p, re.IGNORECASE), advice) for p, advice in config.officialese_phrases.items()
    ]
    for sentence in text.sentences:
        covered: list[tuple[int, int]] = []
        for pattern, advice in phrases:
            for match in pattern.finditer(sentence.span.text):
                start = sentence.span.start_char + match.start()
                covered.append((start, start + len(match.group())))
                yield Hit(
                    sentence.line,
                    start,
                    start + len(match.group()),
                    f"Amts·deutsch „{match.group()}“",
                    advice or None,
                )
        for verb, particle, listed in _split_officialese(sentence, config):
            if any(a <= verb.idx < b for a, b in covered):
                continue
            instead = config.officialese_words[listed]
            yield token_hit(
                sentence.line,
                verb,
                f"Amts·deutsch „{verb.text} … {particle.text}“",
                f"„{instead}“" if instead and "„" not in instead else instead or "erklären",
            )
        for token in sentence.span:
            word = _officialese_word(token, forms)
            if word is None or any(a <= token.idx < b for a, b in covered):
                continue
            instead = config.officialese_words[word]
            yield token_hit(
                sentence.line,
                token,
                f"Amts·deutsch „{token.text}“",
                f"„{instead}“" if instead and "„" not in instead else instead or "erklären",
            )


def seltenes_wort(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """A very rare word: rarer than ``seltenes-wort.max_zipf`` (wordfreq), not in the glossary.

    Flags: "Bringen Sie die Urschriften mit." Lets
    pass: common words and compounds of common parts ("Wohn·geld·stelle"),
    names, acronyms, ``schweres-wort.exempt``, and every term and form of
    the county's glossary (``glossary:`` in the lint config), because the
    county explains them.

    >>> demo("seltenes-wort", "Bringen Sie die Urschriften mit.")
    ['Urschriften: ein bekanntes Wort nehmen oder im Glossar erklären']
    """
    for line, token in text.tokens():
        if _very_rare(token, config):
            yield token_hit(
                line,
                token,
                f"Sehr seltenes Wort „{token.text}“",
                "ein bekanntes Wort nehmen oder im Glossar erklären",
            )


def _suspended(token: Token) -> bool:
    """A part standing for a whole word: "Kinder-" in "Kinder- und Jugendhilfe", "-geld"."""
    return token.text.endswith("-") or token.text.startswith("-")


def uneinheitlicher_begriff(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """One word spelled two ways in one input: split and unsplit, or with two marks.

    The text's majority spelling wins; on a tie, the house style
    (``compound_style``), then any split spelling. Flags "Email" next to
    "E-Mail" (a tie), the lone "Wohn·geld" in a text that writes
    "Wohn-Geld" three times. Lets pass one spelling used throughout,
    inflected forms ("Wohn·geld", "Wohn·geldes"), a suspended part
    ("Kinder- und Jugendhilfe" beside "Kinder"), and unsplit long compounds
    that ``kompositum`` reports already ("Wohngeld" beside "Wohn-Geld": one
    word, one finding).

    >>> demo("uneinheitlicher-begriff", "Das Kinder- und Jugend·amt hilft.\\nDie Kinder lernen.")
    []
    >>> text = "Das Wohn-Geld hilft.\\nDas Wohn-Geld kommt.\\nDas Wohn·geld ist da."
    >>> demo("uneinheitlicher-begriff", text)
    ['Wohn·geld: immer „Wohn-Geld“ schreiben']
    >>> demo("uneinheitlicher-begriff", "Das Wohn-Geld hilft.\\nDas Wohngeld ist Geld.")
    []
    """
    compounds_reported = config.severity("kompositum") is not None
    known = _known_spellings(text, config) if compounds_reported else {}
    house_mark = "-" if config.compound_style == "hyphen" else MEDIOPUNKT
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    tokens: list[tuple[int, Token]] = []
    for line, token in text.tokens():
        if _suspended(token) or not (token.is_alpha or _is_split(token.text)):
            continue
        if compounds_reported and any(_unsplit_compounds(token.text, config, known)):
            continue  # kompositum's
        key = _SEGMENT_SPLIT.sub("", token.text).lower()
        spellings[key][token.text.lower()] += 1
        tokens.append((line, token))
    preferred: dict[str, str] = {}
    for key, counter in spellings.items():
        if len(counter) > 1:  # case alone (sentence start) is no variant
            order = list(counter)
            preferred[key] = max(
                counter,
                key=lambda f: (counter[f], house_mark in f, _is_split(f), -order.index(f)),
            )
    for line, token in tokens:
        key = _SEGMENT_SPLIT.sub("", token.text).lower()
        best = preferred.get(key)
        if best and token.text.lower() != best:
            shown = next(t.text for _, t in tokens if t.text.lower() == best)
            yield token_hit(
                line,
                token,
                f"„{token.text}“ und „{shown}“ in einem Text",
                f"immer „{shown}“ schreiben",
            )
