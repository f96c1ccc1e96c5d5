"""Grammar rules: passive, subjunctive, genitive, negation, "man", nominal style.

There is no tagger in the pipeline, so these rules read lemmas (lookup
lemmatizer), word shapes and short closed word lists of German grammar.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from amtslotse.lint.analysis import Analysis, Sentence
from amtslotse.lint.config import LintConfig
from amtslotse.lint.lexicon import zipf
from amtslotse.lint.model import Hit
from amtslotse.lint.rules.base import (
    clauses,
    explained_by_glossary,
    is_sentence_start,
    token_hit,
)

if TYPE_CHECKING:  # spaCy is imported by the pipeline loader only (see amtslotse.lint.pipeline)
    from spacy.tokens import Token

_WERDEN = frozenset(
    [
        "werde",
        "wirst",
        "wird",
        "werden",
        "werdet",
        "wurde",
        "wurdest",
        "wurden",
        "wurdet",
        "worden",
        "würde",
        "würden",
    ]
)
_PARTICIPLE_SHAPE = re.compile(
    r"^(ab|an|auf|aus|bei|dar|ein|fest|fort|frei|her|heraus|hin|los|mit|nach|vor|weg|zu|zurück|zusammen)?"
    r"ge[a-zäöüß]{2,}(t|et|en)$"
    r"|^(be|emp|ent|er|ge|miss|ver|zer|über|unter|hinter|wider)[a-zäöüß]{2,}(t|et)$"
    r"|^[a-zäöüß]{3,}iert$"
)
_SEIN = frozenset(["ist", "sind", "war", "waren", "wäre", "wären"])
_ZU_INFINITIVE = re.compile(
    r"^(ab|an|auf|aus|bei|ein|fest|her|hin|mit|nach|vor|weg|zurück|zusammen|zu)zu[a-zäöüß]+en$"
)


def is_zu_infinitive(clause: list[Token]) -> bool:
    """True when the clause ends in "zu stellen" or "einzureichen" (not "zu hoch")."""
    words = [t.text for t in clause if t.is_alpha]
    if len(words) < 2:
        return False
    last = words[-1]
    verb_like = last[0].islower() and last.endswith(("en", "ern", "eln"))  # not "zu klein"
    return (words[-2] == "zu" and verb_like) or bool(_ZU_INFINITIVE.match(last))


_MODALS = frozenset(
    ["kann", "können", "muss", "müssen", "soll", "sollen", "darf", "dürfen", "will", "wollen"]
)
_NOT_PARTICIPLES = frozenset(
    ["gegen", "genug", "gestern", "gern", "gerne", "gesamt", "gemeinsam", "geeignet", "gerecht"]
)


def is_participle(token: Token) -> bool:
    """True for a past participle: "bearbeitet", "ausgefüllt", "gebeten", "informiert".

    Infinitives ("helfen", "bekommen") and adjectives ("kalt", "krank") are
    none; "bearbeitet" as 3rd person ("sie bearbeitet") is one too, which
    is why the caller looks for a form of "werden" as well.
    """
    text = token.text
    if not text.isalpha() or not text[0].islower() or text in _WERDEN or text in _NOT_PARTICIPLES:
        return False
    if not (text.endswith("t") or text.endswith("en")):
        return False
    lemma = token.lemma_.lower()
    if lemma != text and lemma.endswith("n") and lemma not in _WERDEN:
        return True
    return bool(_PARTICIPLE_SHAPE.match(text)) and not (
        text.endswith("en") and lemma == text and not text.startswith("ge")
    )


def _agent(clause: list[Token]) -> str | None:
    """ "von der Wohn·geld·stelle" -> "Die Wohn·geld·stelle" (only the clear feminine case)."""
    for a, b, c in zip(clause, clause[1:], clause[2:], strict=False):
        if a.lower_ == "von" and b.lower_ == "der" and c.text[:1].isupper():
            return f"Die {c.text}"
    return None


def _modal_state_passive(clause: list[Token]) -> tuple[Token, Token] | None:
    """(modal, participle) of "müssen ... erfüllt sein", the state passive with a modal verb."""
    words = [t for t in clause if t.is_alpha]
    if len(words) < 3 or words[-1].lower_ != "sein" or not is_participle(words[-2]):
        return None
    modal = next((t for t in words if t.lower_ in _MODALS), None)
    return (modal, words[-2]) if modal is not None else None


def passiv(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """Passive voice: a form of "werden" with a past participle.

    Flags: "Der Antrag wird von der Wohngeldstelle bearbeitet.", "Ihr
    Antrag wurde abgelehnt.", "Der Antrag muss bis Montag gestellt
    werden.", "..., weil die Miete bezahlt wird.", the passive
    substitute "Die Unterlagen sind einzureichen." and the state passive
    with a modal verb "Die Anforderungen müssen erfüllt sein." Lets pass: future ("Wir
    werden Ihnen helfen."), "werden" with an adjective or noun ("Es wird
    kalt.", "Sie werden Eltern.") and the state passive ("Das Amt ist
    geschlossen.").
    """
    for sentence in text.sentences:
        for clause in clauses(sentence):
            sein = next((t for t in clause if t.lower_ in _SEIN), None)
            if sein is not None and is_zu_infinitive(clause):
                yield token_hit(
                    sentence.line,
                    sein,
                    f"Passiv·ersatz „{sein.text} … zu …“",
                    "aktiv schreiben: „Sie müssen …“",
                )
                continue
            state = _modal_state_passive(clause)
            if state is not None:
                modal, participle = state
                yield token_hit(
                    sentence.line,
                    modal,
                    f"Passiv: „{modal.text} … {participle.text} sein“",
                    "aktiv schreiben: Wer tut etwas? Zum Beispiel „Sie erfüllen …“",
                )
                continue
            werden = [t for t in clause if t.lower_ in _WERDEN]
            if not werden:
                continue
            words = [t for t in clause if t.is_alpha]
            while words and (words[-1].lower_ in _WERDEN or words[-1].lower_ in _MODALS):
                words.pop()  # "gestellt werden (kann)", "bearbeitet wird", "bearbeitet worden"
            if not words or not is_participle(words[-1]):
                continue
            participle = words[-1]
            agent = _agent(clause)
            plain = participle.text
            if agent and not plain.startswith("ge") and plain.endswith("t"):
                suggestion = f"aktiv schreiben: „{agent} {plain} …“"
            else:
                suggestion = (
                    "aktiv schreiben: Wer tut etwas? Zum Beispiel „Das Amt prüft Ihren Antrag.“"
                )
            yield token_hit(
                sentence.line, werden[0], f"Passiv: „{werden[0].text} … {plain}“", suggestion
            )


#: Subjunctive forms and the indicative to write instead.
_KONJUNKTIV = {
    "würde": "wird",
    "würden": "werden",
    "würdest": "wirst",
    "hätte": "hat",
    "hätten": "haben",
    "hättest": "hast",
    "wäre": "ist",
    "wären": "sind",
    "wärst": "bist",
    "wärest": "bist",
    "könnte": "kann",
    "könnten": "können",
    "könntest": "kannst",
    "müsste": "muss",
    "müssten": "müssen",
    "sollte": "soll",
    "sollten": "sollen",
    "dürfte": "darf",
    "dürften": "dürfen",
    "möchte": "will",
    "möchten": "wollen",
    "bräuchte": "braucht",
    "bräuchten": "brauchen",
    "gäbe": "gibt",
    "käme": "kommt",
    "kämen": "kommen",
    "wüsste": "weiß",
    "wüssten": "wissen",
    "ließe": "lässt",
    "sei": "ist",
    "seien": "sind",
    "könne": "kann",
    "müsse": "muss",
    "dürfe": "darf",
    "solle": "soll",
    "wolle": "will",
    "möge": "soll",
}


def konjunktiv(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """Subjunctive (Konjunktiv I and II): "würde", "hätte", "könnte", "sei" ...

    Flags: "Sie könnten einen Antrag stellen." (suggests "können"), "Der
    Antrag sei vollständig." Lets pass: "Sie können einen Antrag stellen."
    and forms in ``konjunktiv.allowed`` (default: polite "möchten").
    """
    for sentence in text.sentences:
        for token in sentence.span:
            form = token.lower_
            if form in _KONJUNKTIV and form not in config.allowed_konjunktiv:
                yield token_hit(
                    sentence.line,
                    token,
                    f"Konjunktiv „{token.text}“",
                    f"Wirklichkeits·form: „{_KONJUNKTIV[form]}“",
                )


_GENITIVE_ARTICLES = {
    "des": "dem",
    "eines": "einem",
    "ihres": "ihrem",
    "seines": "seinem",
    "meines": "meinem",
    "dieses": "diesem",
    "keines": "keinem",
    "unseres": "unserem",
}
_GENITIVE_PREPOSITIONS = frozenset(
    [
        "wegen",
        "trotz",
        "während",
        "aufgrund",
        "anhand",
        "mittels",
        "bezüglich",
        "hinsichtlich",
        "innerhalb",
        "außerhalb",
        "zwecks",
        "seitens",
        "anlässlich",
        "infolge",
        "statt",
        "anstatt",
        "oberhalb",
        "unterhalb",
    ]
)
#: Forms that are genitive only after a noun ("die Höhe der Miete", "die Prüfung Ihrer Unterlagen").
_AMBIGUOUS_GENITIVE = frozenset(
    ["der", "einer", "ihrer", "seiner", "meiner", "unserer", "dieser", "dieses", "jener", "keiner"]
)
_WORD = re.compile(r"^[A-Za-zÄÖÜäöüß]+(?:[·\-][A-Za-zÄÖÜäöüß]+)*$")
_PRONOUNS = frozenset(
    ["sie", "ihnen", "ihr", "ihre", "ihren", "ihrem", "ihrer", "ich", "wir", "es", "er", "man"]
)


def _is_noun_like(token: Token) -> bool:
    """Capitalised word, also with Mediopunkt or hyphen ("Wohn·geld·stelle", "Kfz-Steuer")."""
    return token.text[:1].isupper() and _WORD.match(token.text) is not None


def _next_noun(sentence: Sentence, token: Token) -> Token | None:
    """The noun of the phrase that ``token`` opens: "der [persönlichen und] Verhältnisse"."""
    for follower in sentence.span.doc[token.i + 1 : min(sentence.span.end, token.i + 6)]:
        if _is_noun_like(follower):
            return follower
        if not follower.is_alpha:
            return None
    return None


def _genitive_suggestion(article: str, noun: Token | None) -> str:
    if noun is None:
        return "mit „von“ schreiben"
    lemma = noun.lemma_ if noun.lemma_ and noun.lemma_[:1].isupper() else noun.text
    dative = _GENITIVE_ARTICLES.get(article.lower())
    if dative:
        if article[:1].isupper() and article.lower().startswith("ihr"):
            dative = dative.capitalize()  # polite "Ihres" -> "Ihrem"
        return f"„von {dative} {lemma}“"
    if lemma != noun.text:  # plural: "der Anträge" -> "von den Anträgen"
        return f"„von den {noun.text}{'' if noun.text.endswith(('n', 's')) else 'n'}“"
    return f"„von der {noun.text}“"


def genitiv(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """The genitive: "des", "eines", "wegen der", "die Höhe der Miete".

    Flags: "Die Bearbeitung des Antrags dauert lange." (suggests "von dem
    Antrag"), "Wegen der Feiertage ...", "Die Höhe der Miete ist wichtig.",
    "die Kinder, deren Eltern arbeiten". Lets pass: "der" as subject or
    after a preposition ("Der Antrag ist da.", "mit der Post") and
    "Sie geben der Frau das Formular." (no noun before "der").
    """
    for sentence in text.sentences:
        tokens = [t for t in sentence.span if not t.is_space]
        for index, token in enumerate(tokens):
            word = token.lower_
            previous = tokens[index - 1] if index else None
            if word in _GENITIVE_ARTICLES and word != "dieses":
                yield token_hit(
                    sentence.line,
                    token,
                    f"Genitiv „{token.text}“",
                    _genitive_suggestion(token.text, _next_noun(sentence, token)),
                )
            elif word in {"dessen", "deren"}:
                yield token_hit(
                    sentence.line, token, f"Genitiv „{token.text}“", "2 Sätze mit „von“ schreiben"
                )
            elif word in _AMBIGUOUS_GENITIVE and previous is not None:
                after_preposition = previous.lower_ in _GENITIVE_PREPOSITIONS
                after_noun = (
                    _is_noun_like(previous)
                    and previous.lower_ not in _PRONOUNS
                    and not is_sentence_start(previous, sentence)
                ) or previous.text == "%"  # "50 % der Kosten"
                noun = _next_noun(sentence, token)
                if noun is not None and (after_preposition or after_noun):
                    yield token_hit(
                        sentence.line,
                        token,
                        f"Genitiv „{previous.text} {token.text} {noun.text}“",
                        _genitive_suggestion(word, noun),
                    )


_NEGATIONS = frozenset(
    [
        "nicht",
        "kein",
        "keine",
        "keinen",
        "keinem",
        "keiner",
        "keines",
        "nie",
        "niemals",
        "niemand",
        "niemanden",
        "niemandem",
        "nichts",
        "nirgends",
        "nirgendwo",
        "weder",
    ]
)


_NICHT_WORD = re.compile(r"^Nicht-?[A-ZÄÖÜa-zäöü]{4,}$")  # "Nichterscheinen", "Nicht-Zahlung"


def verneinung(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """A negation ("nicht", "kein", "nie", "nichts" ...) outside ``verneinung.allowed``.

    Flags: "Vergessen Sie nicht Ihren Ausweis.", "Bei Nichterscheinen ...".
    Lets pass: "Denken Sie an
    Ihren Ausweis." and negations matched by an allowed pattern, e.g. "Sie
    brauchen keinen Termin." with the default config.
    """
    for sentence in text.sentences:
        allowed = [
            m.span()
            for pattern in config.allowed_negations
            for m in pattern.finditer(sentence.span.text)
        ]
        for token in sentence.span:
            if token.lower_ not in _NEGATIONS and not _NICHT_WORD.match(token.text):
                continue
            start = token.idx - sentence.span.start_char
            if any(a <= start < b for a, b in allowed):
                continue
            yield token_hit(
                sentence.line,
                token,
                f"Verneinung „{token.text}“",
                "positiv schreiben, was gilt oder was zu tun ist",
            )


def man(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """The impersonal "man".

    Flags: "Man muss den Antrag unterschreiben." (suggests "Sie"). Lets pass:
    "Sie müssen den Antrag unterschreiben."
    """
    for line, token in text.tokens():
        if token.lower_ == "man":
            yield token_hit(line, token, "„man“ ist unpersönlich", "„Sie“ oder „wir“ schreiben")


_VERBAL_NOUN = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]{3,}(ung|ungen|nahme|nahmen)$")
_ERFOLGEN = re.compile(r"^erfolg(t|en|te|ten)$")  # lower case: the verb, not "Erfolg"
_COMMON_NOUN_ZIPF = 4.5  # "Wohnung", "Meinung": everyday words, not nominal style


def _verbal_noun(token: Token) -> bool:
    """ "Beantragung", "Meldebescheinigung", "Inanspruchnahme"; not "Wohnung" (everyday)."""
    return _VERBAL_NOUN.match(token.text) is not None and zipf(token.text) < _COMMON_NOUN_ZIPF


def _light_verb(sentence: Sentence, config: LintConfig) -> bool:
    """The verb leaves the action to a noun: "erfolgt", "nehmen ... vor", "durchgeführt"."""
    particles = {t.lower_ for t in sentence.span}
    for token in sentence.span:
        lemma = token.lemma_.lower()
        if lemma in config.nominal_light_verbs or _ERFOLGEN.match(token.text):
            return True
        for verb in config.nominal_light_verbs:  # separable: "nehmen ... vor", "führen ... durch"
            for particle in ("vor", "durch", "statt"):
                if verb == particle + lemma and particle in particles:
                    return True
    return False


def _light_predicate(noun: Token, sentence: Sentence, config: LintConfig) -> bool:
    """The noun is the subject, "sein" the only verb, with "möglich", "nötig" ....

    "Eine Anmeldung ist nicht möglich." yes; "Das ist nur unter bestimmten
    Voraussetzungen möglich." no (the noun is in a prepositional phrase).
    """
    verbs = [t for t in sentence.span if t.tag_.startswith("V")]
    if not verbs or any(t.lemma_.lower() != "sein" for t in verbs):
        return False
    if not any(t.lower_ in config.nominal_light_predicates for t in sentence.span):
        return False
    before = noun.i - 1
    while before >= sentence.span.start and noun.doc[before].tag_.startswith("ADJ"):
        before -= 1
    return before < sentence.span.start or noun.doc[before].tag_ in {"ART", "PPOSAT", "PIAT"}


_GENITIVE_AFTER_NOUN = frozenset({"der", "des", "eines", "einer", "ihres", "ihrer"})


def _nominal_infinitive(token: Token, sentence: Sentence, config: LintConfig) -> bool:
    """A verb made a noun, with an adjective: "ein persönliches Erscheinen" (HanTa: NNI).

    Without an adjective ("beim Ausfüllen") it is everyday German and passes;
    so does a term the county's glossary explains ("Begleitetes Fahren").
    """
    before = token.i - 1
    if not (
        token.tag_ == "NNI"
        and before >= sentence.span.start
        and token.doc[before].tag_.startswith("ADJ(A")
    ):
        return False
    words = config.glossary_words
    adjective = token.doc[before].lower_
    in_term = token.lower_ in words and any(
        len(w) > 4 and adjective.startswith(w[:-2]) for w in words
    )
    return not in_term


def _genitive_attribute(token: Token, sentence: Sentence) -> bool:
    """A verbal noun with its object as a genitive: "die Erfüllung der Voraussetzungen"."""
    following = token.doc[token.i + 1] if token.i + 1 < sentence.span.end else None
    return following is not None and following.lower_ in _GENITIVE_AFTER_NOUN


def _listed_noun(token: Token, nouns: dict[str, str]) -> str | None:
    """The verb for a listed verbal noun, also in a compound or the plural ("Neubeantragung")."""
    word = token.text.replace("·", "").replace("-", "").lower()
    for noun, verb in nouns.items():
        if word == noun or (word.startswith(noun) and len(word) - len(noun) <= 2):
            return verb
        if word.endswith(noun) and len(word) > len(noun) + 2:
            return verb
    return None


def nominalstil(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """Nominal style that carries the sentence: the action is a noun, the verb says nothing.

    Flags: "Die Abholung muss grundsätzlich persönlich erfolgen." (a verbal
    noun with a verb from ``nominalstil.light_verbs``: "erfolgen",
    "vornehmen", "durchführen" ...), "Bei schriftlicher Beantragung ist
    ein Antrag notwendig." (a noun from ``nominalstil.nouns``, suggests
    "beantragen"; unless the glossary explains it), "Eine Anmeldung ist
    nicht möglich." (a verbal noun where the only verb is "sein" with a
    word from ``nominalstil.light_predicates``),
    "Es gibt keine Ausnahmen von der Erfüllung der Voraussetzungen." (a
    verbal noun with its object in the genitive), "Ein persönliches
    Erscheinen ist notwendig." (a verb made a noun, with an adjective; "beim
    Ausfüllen" passes), "Wir stellen Ihnen ein
    Formular zur Verfügung." (a phrase from ``nominalstil.phrases``), and
    ``nominalstil.min_per_sentence`` verbal nouns in one sentence. Lets
    pass: "Sie beantragen das Geld.", everyday nouns such as "Wohnung", and
    verbal nouns with a real verb ("Die Beratung hilft Ihnen.").

    >>> demo("nominalstil", "Die Abholung muss grundsätzlich persönlich erfolgen.")
    ['Abholung: mit Verb schreiben: „abholen“']
    >>> demo("nominalstil", "Sonst ist eine Anmeldung nicht möglich.")
    ['Anmeldung: mit Verb schreiben: Wer tut was?']
    >>> demo("nominalstil", "Ein persönliches Erscheinen ist notwendig.")
    ['Erscheinen: mit Verb schreiben: Wer tut was?']
    >>> demo("nominalstil", "Machen Sie genaue Angaben zum Ort.")
    ['Machen Sie genaue Angaben: Verb schreiben: „sagen oder schreiben“']
    >>> demo("nominalstil", "Die Beratung hilft Ihnen.")
    []
    """
    phrases = [(re.compile(p, re.IGNORECASE), verb) for p, verb in config.nominal_phrases.items()]
    listed = {k.replace("·", "").lower(): v for k, v in config.nominal_nouns.items()}
    for sentence in text.sentences:
        for pattern, verb in phrases:
            for match in pattern.finditer(sentence.span.text):
                start = sentence.span.start_char + match.start()
                yield Hit(
                    sentence.line,
                    start,
                    start + len(match.group()),
                    f"Nominal·stil „{match.group()}“",
                    f"Verb schreiben: „{verb}“",
                )
        reported = False
        for token in sentence.span:
            capitalised = token.text[:1].isupper()
            instead = _listed_noun(token, listed) if capitalised else None
            if instead and explained_by_glossary(token, config):
                instead = None  # the county explains the word: "Das heißt Beglaubigung."
            if instead:
                reported = True
                yield token_hit(
                    sentence.line,
                    token,
                    f"Nominal·stil „{token.text}“",
                    f"mit Verb schreiben: „{instead}“",
                )
        if reported:
            continue
        infinitives = [t for t in sentence.span if _nominal_infinitive(t, sentence, config)]
        nouns = [t for t in sentence.span if _verbal_noun(t)]
        with_genitive = [t for t in nouns if _genitive_attribute(t, sentence)]
        subjects = [t for t in nouns if _light_predicate(t, sentence, config)]
        if (
            infinitives
            or with_genitive
            or subjects
            or (
                nouns
                and (
                    (
                        config.nominal_min_per_sentence
                        and len(nouns) >= config.nominal_min_per_sentence
                    )
                    or _light_verb(sentence, config)
                )
            )
        ):
            noun = (infinitives or with_genitive or subjects or nouns)[0]
            yield token_hit(
                sentence.line,
                noun,
                f"Nominal·stil „{noun.text}“",
                "mit Verb schreiben: Wer tut was?",
            )


#: Morpheme labels of participles: "ge" + "füll" + "t" (past), "folg" + "end" (present).
_PARTICIPLE_MORPHEMES = frozenset({"SUF_PP", "PREF_PP", "PRESPART"})


def _participle(token: Token) -> str | None:
    """The participle an attributive adjective is made of ("ausgefüllten" -> "ausgefüllt")."""
    if token.tag_ != "ADJ(A)":
        return None
    morphemes = token._.morphemes
    if any(label in _PARTICIPLE_MORPHEMES or label.endswith("_PP") for _, label in morphemes):
        return token._.morph_lemma or token.lower_
    stem = token._.morph_lemma  # "unterschrieben" + "er": HanTa knows the adjective
    if stem and stem.endswith(("t", "en")):
        from amtslotse.rasa.nlp.morphology import tagger

        if tagger().analyze_word(stem)[2] == "VV(PP)":
            return stem
    return None


def _in_glossary_term(token: Token, participle: str, config: LintConfig) -> bool:
    """ "Beim Begleiteten Fahren": an inflected participle and the next word of a glossary term."""
    words = config.glossary_words
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if following is None or following.lower_ not in words:
        return False
    return any(w.startswith(participle) and len(w) - len(participle) <= 2 for w in words)


def partizip_attribut(text: Analysis, config: LintConfig) -> Iterator[Hit]:
    """A participle used as an adjective before a noun (read from HanTa's tags and morphemes).

    Flags: "Den ausgefüllten Antrag geben Sie ab.", "Ein persönlich
    unterschriebener Antrag ist nötig.", "Bringen Sie die folgenden
    Unterlagen mit." (suggests a sentence of its own: "Sie füllen den
    Antrag aus. Dann ..."). Lets pass: participles in a verb phrase ("Sie
    haben den Antrag ausgefüllt."), participles that are everyday
    adjectives (Zipf of at least ``partizip-attribut.max_zipf``:
    "geschlossen", "bekannt"), ``partizip-attribut.allowed``, and words of a
    term the county's glossary explains ("Begleitetes Fahren").

    >>> demo("partizip-attribut", "Ein persönlich unterschriebener Antrag ist nötig.")
    ['unterschriebener: einen eigenen Satz mit Verb schreiben: „Sie füllen den Antrag aus. Dann …“']
    >>> demo("partizip-attribut", "Sie haben den Antrag unterschrieben.")
    []
    """
    allowed = {w.lower() for w in config.participle_allowed}
    for sentence in text.sentences:
        for token in sentence.span:
            participle = _participle(token)
            if participle is None or participle in allowed or token.lower_ in allowed:
                continue
            if explained_by_glossary(token, config) or _in_glossary_term(token, participle, config):
                continue  # part of a term the county explains: "Begleitetes Fahren"
            if max(zipf(participle), zipf(token.lower_)) >= config.participle_max_zipf:
                continue
            yield token_hit(
                sentence.line,
                token,
                f"Partizip als Eigenschafts·wort „{token.text}“",
                "einen eigenen Satz mit Verb schreiben: „Sie füllen den Antrag aus. Dann …“",
            )
