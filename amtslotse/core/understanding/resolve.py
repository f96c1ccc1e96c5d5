"""From the classifiers' rankings to what the citizen asked for.

Two opinions are asked about every message and about each of its clauses
(clauses.py): the trained DIET model, and a second, simpler model trained on
the same examples plus the content's synonyms (a TF-IDF logistic regression
over character n-grams, amtslotse/rasa/components.py). Their rankings are
combined into one (:func:`combine`); where both agree, the bot is surer
than either alone, and answers directly more often without naming a wrong
office more often (tuned on tests/nlu/tuning and the older held-out sets,
see docs/benchmarks.md).

:func:`understand` then reads the concerns of the message: one per clause
whose combined ranking names a concern with enough confidence, each service
once. Pure functions on plain values; no Rasa here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "CONCERN_PREFIX",
    "Ranked",
    "Mention",
    "Understanding",
    "Tuning",
    "combine",
    "understand",
]

CONCERN_PREFIX = "anliegen_"
#: Intents that say what to do with the concerns named in the same message
#: ("Termin für Wohngeld und Elterngeld", "Das Wohngeld nicht mehr").
#: Intents that only frame a message: a concern one of its clauses names wins.
FRAMING = frozenset({"greet", "kontakt_angabe"})
CONCERN_CONSUMERS = frozenset(
    {
        "termin_buchen",
        "termin_zeit",
        "liste_entfernen",
        "liste_anzeigen",
        "frage_unterlagen",
        "frage_oeffnungszeiten",
        "frage_ort",
        "frage_termin_noetig",
    }
)


@dataclass(frozen=True)
class Ranked:
    intent: str
    confidence: float


@dataclass(frozen=True)
class Mention:
    """A concern named in the message: the service (or question) id and where it stands."""

    concern: str  # service id, clarification id (e.g. job_verloren)
    confidence: float
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Tuning:
    """The knobs of understanding, tuned on the tuning sets (docs/benchmarks.md).

    ``diet_weight``: share of DIET in the combined ranking (the rest is the
    second opinion). A concern is *clear* at or above ``sure``, or at or
    above ``likely`` when it is ``margin`` times as likely as the next
    concern. ``clause_threshold``: a clause names a concern at or above this
    (and when it is no mere background, see :func:`is_background`).
    ``general_threshold``: a greeting, follow-up or booking turn is answered
    at or above this. ``named_floor``: the least a concern needs to be named
    by such a turn ("Wohngeld, am liebsten Dienstag": ``termin_zeit`` on top),
    besides being ``margin`` times as likely as the next concern;
    ``clause_named_floor`` the same for one clause of a longer message.
    """

    diet_weight: float = 0.5
    sure: float = 0.6
    likely: float = 0.3
    margin: float = 2.5
    clause_threshold: float = 0.5
    general_threshold: float = 0.6
    named_floor: float = 0.1
    clause_named_floor: float = 0.2


@dataclass(frozen=True)
class Understanding:
    intent: str
    confidence: float
    ranking: tuple[Ranked, ...]
    mentions: tuple[Mention, ...] = ()
    notes: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def concerns(self) -> tuple[str, ...]:
        return tuple(m.concern for m in self.mentions)


def is_concern(intent: str) -> bool:
    return intent.startswith(CONCERN_PREFIX)


def concern_of(intent: str) -> str:
    return intent[len(CONCERN_PREFIX) :]


def combine(
    diet: Iterable[Ranked], second: Iterable[Ranked], diet_weight: float
) -> tuple[Ranked, ...]:
    """A weighted mean of two rankings (an intent missing from one counts 0 there).

    >>> combine([Ranked("a", 0.6), Ranked("b", 0.4)], [Ranked("a", 0.9)], 0.5)
    (Ranked(intent='a', confidence=0.75), Ranked(intent='b', confidence=0.2))
    """
    scores: dict[str, float] = {}
    for r in diet:
        if r.intent != "nlu_fallback":
            scores[r.intent] = scores.get(r.intent, 0.0) + diet_weight * r.confidence
    for r in second:
        scores[r.intent] = scores.get(r.intent, 0.0) + (1 - diet_weight) * r.confidence
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(Ranked(i, round(c, 6)) for i, c in ranked)


@dataclass(frozen=True)
class ClauseRanking:
    start: int
    end: int
    text: str
    ranking: tuple[Ranked, ...]


# Background, not a wish: "wir bekommen schon Bürgergeld", "Bürgergeld wollen wir nicht".
_STATUS = re.compile(
    r"\b(?:wir|ich|sie|er)\s+(?:bekomm|krieg|bezieh|erhalt|hab)\w*\b"
    r"|\b(?:bekomm|krieg|bezieh|erhalt)\w*\s+(?:ich|wir|sie|er)\b"
    r"|\b(?:schon|bereits|seit\s+\w+)\s+(?:\w+\s+){0,2}?(?:bekomm|krieg|bezieh|erhalt)\w*\b"
    r"|\b(?:bekomm|krieg|bezieh|erhalt)\w*\s+(?:\w+\s+){0,2}?(?:schon|bereits)\b"
    # the subject said before "und": "Ich bin 70 und bekomme eine kleine Rente"
    r"|^\W*(?:bekomme|kriege|beziehe|erhalte)\b"
    # "Den Ausweis habe ich", "Kindergeld haben wir"
    r"|\b(?:habe|hab|haben)\s+(?:ich|wir)(?:\s+(?:auch|schon|bereits|ja|doch))*\s*[.,!]?\s*$"
    r"|\b(?:habe|hab|haben|hat)\s+(?:ich|wir|sie|er)\s+(?:\w+\s+){0,2}?(?:schon|bereits)\b",
    re.IGNORECASE,
)
# Done, not wanted any more: "Die Einbürgerung ist durch", "Elterngeld habe ich schon
# beantragt", "den Pflegegrad hat die Kasse schon festgestellt", "Elterngeld läuft".
_DONE = re.compile(
    r"\b(?:ist|sind|wurde|wurden|hat|haben|habe|hab|bin)\s+(?:\w+\s+){0,5}?(?:durch|erledigt|"
    r"fertig|geschafft|abgeschlossen|bewilligt|genehmigt|geklappt|beantragt|festgestellt|"
    r"anerkannt|geklärt|besorgt|bestellt|gemeldet|umgemeldet|abgegeben)\b"
    r"|\bläuft(?:\s+(?:schon|bereits|ja|noch))?\s*[.,!]?\s*$"
    r"|\b(?:schon|bereits)\s+läuft\b",
    re.IGNORECASE,
)
_NOT_WANTED = re.compile(
    r"\b(?:will|wollen|möchte\w*|moechte\w*|brauch\w*|benötig\w*)\s+(?:\w+\s+){0,2}?"
    r"(?:nicht|kein\w*)\b|\bnicht\s+(?:mehr\s+)?(?:nötig|noetig|gebraucht)\b",
    re.IGNORECASE,
)
_WISH = re.compile(
    r"\b(?:beantrag\w*|antrag\w*|brauch\w*|möcht\w*|moecht\w*|will|wollen|hätte|"
    r"würde|wo|wie|wer|wann|termin\w*|hilfe|helfen|frage\w*|benötig\w*|need|want|apply)\b",
    re.IGNORECASE,
)
#: "noch nicht beantragt", "nicht bewilligt": not done at all.
_NOT_YET = re.compile(
    r"\bnicht\b|\bnoch\s+kein\w*|\bnot\b|\babgelehnt\b|\babgewiesen\b|\bwiderspruch\b",
    re.IGNORECASE,
)
#: A question asks for something, whatever it says is done ("Ist der Antrag durch?").
_QUESTION = re.compile(r"\?|\b(?:wie|wann|was|warum|wieso|ob|welche\w*)\b", re.IGNORECASE)
#: A wish strong enough to outweigh a "done" in the same clause ("Wohngeld ist bewilligt,
#: aber ich brauche noch ...").
_STRONG_WISH = re.compile(
    r"\b(?:brauch\w*|möcht\w*|moecht\w*|will|wollen|benötig\w*|hätte\s+gern\w*|muss|müssen|"
    r"need|want)\b",
    re.IGNORECASE,
)


#: Who the citizen is, not what they want: "Ich bin Rentner, 71", "Mein Mann ist Deutscher",
#: "Wir sind eine Familie mit drei Kindern". Not when something is missing or wrong ("Wir
#: sind nicht verheiratet", "Die Rente ist zu klein"), happened ("Ich bin umgezogen") or
#: a second statement follows ("ich bin 68 und meine Rente reicht nicht").
_IDENTITY = re.compile(
    r"^\W*(?:und\s+|aber\s+|also\s+)?"
    r"(?:(?:ich|wir|er|sie|(?:mein|meine|unser|unsere|ihr|ihre|sein|seine)\s+(?:"
    r"mann|frau|mutter|mama|vater|papa|sohn|tochter|kind|kinder|eltern|oma|opa|bruder|"
    r"schwester|partner\w*|freund\w*|familie|enkel\w*|großmutter|großvater|ex))\s+"
    r"(?:bin|sind|ist|war|waren)|bin)\b"
    r"(?!.*\b(?:nicht|nie|kein\w*|da|zu\s+(?:teuer|klein|hoch|ende|wenig)|weg|abgelaufen)\b)"
    r"(?!.*\w*ge\w+(?:en|t)\b)"
    r"(?!.*\b(?:und|aber|weil|dass|denn|doch|sondern)\b)"
    r"[^:?]*$",
    re.IGNORECASE,
)
#: Something is lost, gone or broken: a problem to solve, whatever else the clause says
#: ("Ich habe meinen Führerschein verloren", "den Ausweis habe ich, aber er ist abgelaufen").
_PROBLEM = re.compile(
    r"\b(?:verloren|gestohlen|geklaut|abgelaufen|kaputt|beschädigt|verschwunden|verlegt|"
    r"abgebrannt|gekündigt|lost|stolen|expired)\b",
    re.IGNORECASE,
)
#: Someone else sees to it: "Das Kindergeld klärt meine Mutter", "das macht meine Freundin allein".
_OTHERS_DO_IT = re.compile(
    r"\b(?:klärt|klaert|klären|macht|machen|erledigt|regelt|übernimmt|uebernimmt)\s+"
    r"(?:meine|mein|unser|unsere|sein|seine|ihr|ihre)\s+"
    r"(?:mutter|mama|vater|papa|mann|frau|freundin|freund|partner\w*|schwester|bruder|"
    r"tochter|sohn|oma|opa|eltern|betreuer\w*|steuerberater\w*|anwalt|anwältin)"
    r"(?:\s+(?:allein|alleine|selbst|schon))?\W*$",
    re.IGNORECASE,
)
#: Had, or has already done, in English or in the past: "Arbeitslosengeld hatte ich bis
#: jetzt", "We have already applied for child benefit".
_PAST = re.compile(
    r"\b(?:hatte|hatten)\s+(?:ich|wir)(?:\s+(?:bis\s+jetzt|bisher|früher|schon|auch|mal))?\W*$"
    r"|\b(?:have|has|had)\s+already\s+\w+|\balready\s+(?:have|has|got|applied|registered|renewed)\b"
    r"|\b(?:we|i)\s+(?:have|had)\s+(?:applied|registered|renewed)\b",
    re.IGNORECASE,
)
#: Still missing: "wir haben noch keinen Kitaplatz" wants one.
_STILL_MISSING = re.compile(r"\bnoch\s+(?:kein\w*|nicht)\b", re.IGNORECASE)
#: Only who said it: "Meine Mutter sagt", "mein Betreuer meint" (the wish follows).
_HEARSAY = re.compile(r"^\W*(?:\w+\s+){0,3}(?:sagt|sagte|meint|meinte|schreibt)\W*$", re.IGNORECASE)


_IDENTITY_EN = re.compile(
    r"^\W*(?:and\s+)?(?:i'm|i\s+am|we're|we\s+are|my\s+\w+\s+is)\b"
    r"(?!.*\b(?:not|no|and|but|because|lost|expired)\b)[^:?]*$",
    re.IGNORECASE,
)


def is_identity(text: str) -> bool:
    """A clause that only says who the citizen (or a relative) is.

    Such a clause names a concern only when nothing else in the message does:
    "Ich bin Rentner, 71, und möchte angeln" is about the Fischereischein, not
    about Grundsicherung (see :func:`understand`).

    >>> is_identity("Ich bin Rentner, 71"), is_identity("Mein Mann ist Deutscher")
    (True, True)
    >>> is_identity("Wir sind nicht verheiratet"), is_identity("Ich bin umgezogen")
    (False, False)
    >>> is_identity("ich bin 68 und meine Rente reicht nicht"), is_identity("Ich bin 17?")
    (False, False)
    >>> is_identity("meine Rente ist klein")  # a thing, not a person: a problem, not who one is
    False
    """
    return bool(_IDENTITY.search(text) or _IDENTITY_EN.search(text)) and not _WISH.search(text)


def is_background(text: str) -> bool:
    """A clause that states what is, or what is not wanted, rather than asks for something.

    >>> is_background("Wir bekommen Bürgergeld"), is_background("Bürgergeld wollen wir nicht")
    (True, True)
    >>> is_background("Wir brauchen Bürgergeld"), is_background("und Elterngeld")
    (False, False)
    >>> is_background("ich muss Bürgergeld beantragen, weil ich kein Einkommen habe")
    False
    >>> is_background("Die Einbürgerung ist durch"), is_background("Wohngeld ist bewilligt")
    (True, True)
    >>> is_background("Der Antrag auf Elterngeld ist durch")
    True
    >>> is_background("Kindergeld ist noch nicht beantragt")
    False
    >>> is_background("Ist mein Antrag schon bewilligt?"), is_background("Wohngeld, abgelehnt")
    (False, False)
    >>> is_background("Wohngeld ist bewilligt, aber ich brauche noch Hilfe zur Pflege")
    False
    >>> is_background("Meine Mutter sagt")
    True
    >>> is_background("Das Kindergeld klärt meine Mutter.")
    True
    >>> is_background("Arbeitslosengeld hatte ich bis jetzt")
    True
    >>> is_background("We have already applied for child benefit.")
    True
    >>> is_background("Ich habe meinen Führerschein verloren")
    False
    """
    if _NOT_WANTED.search(text) or _HEARSAY.search(text):
        return True
    if _QUESTION.search(text) or _PROBLEM.search(text):
        return False
    if _OTHERS_DO_IT.search(text) and not _STRONG_WISH.search(text):
        return True
    if (_DONE.search(text) or _PAST.search(text)) and not (
        _STRONG_WISH.search(text) or _NOT_YET.search(text)
    ):
        return True
    return bool(_STATUS.search(text)) and not (_WISH.search(text) or _STILL_MISSING.search(text))


_REMOVAL = re.compile(
    r"\b(?:nicht\s+mehr|doch\s+nicht|nicht\s+nötig|nicht\s+noetig|streich\w*|"
    r"weg\s*lassen|weglassen|lass\w*\s+(?:\w+\s+){0,3}?weg|raus\s*nehmen|rausnehmen|nimm\w*\s+"
    r"(?:\w+\s+){0,3}?raus|entfern\w*|no\s+longer|don'?t\s+need)\b",
    re.IGNORECASE,
)


def is_removal(text: str) -> bool:
    """The citizen takes a concern back: "Das Wohngeld nicht mehr", "Streichen Sie die Kita".

    >>> is_removal("Das Wohngeld nicht mehr"), is_removal("Elterngeld brauche ich doch nicht")
    (True, True)
    >>> is_removal("Ich brauche Wohngeld")
    False
    """
    return bool(_REMOVAL.search(text))


#: A clause that only says "no": "ach nein", "Nee", "Nein warte", "aber nein".
_NO = re.compile(
    r"^\W*(?:(?:ach|ah|oh|äh|ähm|aber|also|und|sorry)\W+)*"
    r"(?:nein|nee|ne|nö|noe|doch\s+nicht|quatsch|stopp|no|wait)"
    r"(?:\W+(?:warte|moment|doch|sorry|stimmt\s+nicht))*\W*$",
    re.IGNORECASE,
)
#: A clause that only hesitates: "Ah", "Moment", "warte" (a correction may follow).
_HESITATION = re.compile(r"^\W*(?:ah|ach|oh|äh|ähm|hm+|moment|warte|oops)\W*$", re.IGNORECASE)
#: "nein, brauchen wir doch nicht": a "no" that begins a clause.
_LEADING_NO = re.compile(
    r"^\W*(?:(?:ach|ah|oh|aber|also)\W+)?(?:nein|nee|nö)\b\W+(?=\w)", re.IGNORECASE
)
#: "Elterngeld wollte ich auch beantragen, aber nein": a "no" that ends a clause.
_TRAILING_NO = re.compile(r"\W(?:aber|ach|oh)?\s*(?:nein|nee|nö)\W*$", re.IGNORECASE)
#: "das brauche ich doch nicht", "den lassen wir", "das macht meine Freundin": the thing just
#: named is not wanted.
_POINTS_BACK = re.compile(
    r"^\W*(?:also\s+|aber\s+)?(?:das|den|die|dies\w*|es|der)\s+(?:brauch|will|woll|möcht|"
    r"moecht|lass|mach|klär|klaer|regel|übernimm|behält|behalt|hat|hab|ist|geht|kann|muss)\w*\b",
    re.IGNORECASE,
)
_TAKEN_BACK = re.compile(
    r"\b(?:doch\s+nicht|(?:brauch|will|woll|möcht|moecht)\w*\s+(?:\w+\s+){0,2}?nicht\s+mehr|"
    r"brauch\w*\s+(?:\w+\s+){0,2}?(?:nicht|kein\w*)|hat\s+(?:noch\s+)?zeit|"
    r"lass\w*\s+(?:\w+\s+){0,2}?(?:wir|ich)\b|geht\s+nicht(?!\s+mehr)|klappt\s+nicht(?!\s+mehr)|erledigt|"
    r"(?:klärt|macht|regelt|übernimmt)\s+(?:meine|mein|unser|unsere|sein|seine|ihr|ihre)\b|"
    r"behält|behalten)",
    re.IGNORECASE,
)
#: "also ohne Wohngeld", "ohne die Kita": leaves the concern out.
_WITHOUT = re.compile(r"^\W*(?:also\s+|dann\s+|aber\s+)?(?:erst\s*mal\s+)?ohne\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:nicht|kein\w*|nie|not|no)\b", re.IGNORECASE)


#: Taking back without a verb of having: "Das Wohngeld nicht mehr", "Streichen Sie die Kita";
#: not "den alten habe ich nicht mehr" (which says what is missing).
_DROP = re.compile(
    r"^\W*(?:(?:das|den|die|der)\s+)?\w+\s+(?:bitte\s+)?nicht\s+mehr\W*$|"
    r"\b(?:streich\w*|weg\s*lassen|weglassen|"
    r"raus\s*nehmen|rausnehmen|entfern\w*|no\s+longer|don'?t\s+need)\b",
    re.IGNORECASE,
)


def _says_not_wanted(text: str) -> bool:
    """A clause that says the thing just named is not wanted (see :data:`_TAKEN_BACK`)."""
    return bool(
        _TAKEN_BACK.search(text)
        or _WITHOUT.search(text)
        or _NOT_WANTED.search(text)
        or _DROP.search(text)
    )


def _takes_back(text: str) -> bool:
    """A clause that takes back what it names: "Das Wohngeld nicht mehr", "also ohne Wohngeld",
    "Wohngeld brauche ich doch nicht"."""
    return is_removal(text) or bool(_WITHOUT.search(text) or _NOT_WANTED.search(text))


def _faint_concern(ranking: Sequence[Ranked], floor: float = 0.15) -> Ranked | None:
    """The concern on top of a clause's ranking, however unsure, above ``floor``."""
    top = next((r for r in ranking if is_concern(r.intent)), None)
    return top if top is not None and top.confidence >= floor else None


def _retracted(
    clauses: Sequence[ClauseRanking],
    tops: Sequence[Ranked | None],
    keep: frozenset[str] = frozenset(),
) -> set[int]:
    """The clauses whose concern a later clause of the message takes back.

    Citizens correct themselves as they write: "Wohngeld und Elterngeld – ach
    nein, das Elterngeld hat meine Frau schon beantragt", "Und Elterngeld...
    nein, das brauche ich doch nicht", "Ah, Wohngeld geht nicht", "also ohne
    Wohngeld". After a "no" (or a hesitation), a clause that speaks of a
    concern named before and says it is done or not wanted takes that concern
    back; a clause that names none but says so ("das brauche ich doch nicht",
    "das macht meine Freundin") takes back the concern named just before the
    "no". Without a "no", only a clause that names the concern and says so
    ("Das Wohngeld nicht mehr", "also ohne Wohngeld") takes it back. A
    restatement ("Ach, Wohngeld für die ganze Familie"), a question or a wish
    takes nothing back, and concerns in ``keep`` (a child in danger) never go.
    """
    gone: set[int] = set()
    taken: set[str] = set()

    def earlier(concern: str, before: int) -> list[int]:
        return [
            j
            for j in range(before)
            if j not in gone and (top := tops[j]) is not None and concern_of(top.intent) == concern
        ]

    def last_named(before: int) -> int | None:
        return next(
            (j for j in range(before - 1, -1, -1) if tops[j] is not None and j not in gone),
            None,
        )

    # A "no" was said in clause `at`: clauses before `limit` may be taken back, by any of
    # the next two clauses. `strong`: "nein", not only "ah".
    pending: tuple[int, int, bool] | None = None
    for i, clause in enumerate(clauses):
        text, top = clause.text, tops[i]
        if _NO.search(text) or _HESITATION.search(text):
            pending = (i, i, bool(_NO.search(text)))
            continue
        rest = _LEADING_NO.sub("", text)
        if rest != text:
            pending = (i, i, True)
        if pending is not None and i - pending[0] > 2:
            pending = None
        # A wish, or a question about it ("Ah, und wie lange dauert das Wohngeld?"), is no
        # taking back.
        wants = bool(_STRONG_WISH.search(rest) and not _NEGATED.search(rest)) or bool(
            _QUESTION.search(rest)
        )
        says_so = not wants and _says_not_wanted(rest)
        # After a "no", a clause that speaks of a concern at all speaks of the one it takes
        # back ("Ach nee, Wohngeld geht nicht zusammen mit Bürgergeld").
        spoken = top if top is not None else (_faint_concern(clause.ranking) if pending else None)
        if spoken is not None and concern_of(spoken.intent) not in keep:
            concern = concern_of(spoken.intent)
            before = earlier(concern, i)
            done = not wants and is_background(rest)
            if before and (
                (_takes_back(rest) and not wants) or (pending is not None and (says_so or done))
            ):
                gone.update(before)
                gone.add(i)
                taken.add(concern)
                pending = None
                continue
            if concern in taken and (says_so or done):
                # "..., also den Fischereischein noch nicht": said again, still not wanted
                gone.add(i)
                continue
        if top is None and pending is not None:
            back = last_named(pending[1])
            # "nein, das brauche ich doch nicht", "nein, brauchen wir doch nicht", "Ah, den
            # lassen wir": not "Nein, ich habe keine Arbeit" (that says more, takes nothing).
            back_top = tops[back] if back is not None else None
            if (
                back is not None
                and back_top is not None
                and concern_of(back_top.intent) not in keep
                and says_so
                and (pending[2] or _POINTS_BACK.search(rest))
            ):
                gone.add(back)
                taken.add(concern_of(back_top.intent))
                pending = None
                continue
        if top is not None:
            # A concern of its own: a "no" before it is over; one after it is about it.
            pending = (i, i + 1, True) if _TRAILING_NO.search(text) else None
    return gone


#: A concern that a more specific one in the same message makes redundant.
SUBSUMED_BY = {"job_verloren": frozenset({"arbeitslosengeld", "buergergeld_antrag"})}


def _clause_concern(
    ranking: Sequence[Ranked], tuning: Tuning, sure_only: frozenset[str] = frozenset()
) -> Ranked | None:
    """The concern a clause names: on top, and sure enough or clearly ahead of the next.

    A clause that asks for a booking or a follow-up about a concern ("ich
    brauche einen Termin wegen Grundsicherung") names that concern when it is
    well ahead of every other concern (:func:`_named_by_consumer`). A concern
    in ``sure_only`` counts only at ``clause_threshold``, never by its margin.
    """
    if not ranking:
        return None
    top = ranking[0]
    if top.intent in CONCERN_CONSUMERS:
        named = _named_by_consumer(ranking, tuning, floor=tuning.clause_named_floor)
        if named is not None and concern_of(named.intent) in sure_only:
            return named if named.confidence >= tuning.clause_threshold else None
        return named
    if not is_concern(top.intent):
        return None
    if top.confidence >= tuning.clause_threshold:
        return top
    if concern_of(top.intent) in sure_only:
        return None
    runner_up = next((r.confidence for r in ranking[1:] if is_concern(r.intent)), 0.0)
    if top.confidence >= tuning.likely and top.confidence >= tuning.margin * runner_up:
        return top
    return None


def _mentions(
    clauses: Sequence[ClauseRanking], tuning: Tuning, sure_only: frozenset[str] = frozenset()
) -> tuple[list[Mention], bool, frozenset[str]]:
    """The concerns the clauses name, whether clauses that only say who someone is
    were left out because other clauses name concerns (:func:`is_identity`), and
    the concerns the citizen took back later in the message (:func:`_retracted`),
    which are left out."""
    best: dict[str, Mention] = {}
    by_wish: set[str] = set()  # named by at least one clause that is more than who someone is
    tops = [_clause_concern(clause.ranking, tuning, sure_only) for clause in clauses]
    gone = _retracted(clauses, tops, keep=sure_only)
    taken_back = {concern_of(top.intent) for i, top in enumerate(tops) if i in gone and top}
    for i, (clause, top) in enumerate(zip(clauses, tops, strict=True)):
        if top is None or i in gone or is_background(clause.text):
            continue
        concern = concern_of(top.intent)
        if not is_identity(clause.text):
            by_wish.add(concern)
        known = best.get(concern)
        if known is None or top.confidence > known.confidence:
            best[concern] = Mention(concern, top.confidence, clause.start, clause.end, clause.text)
    by_identity = set(best) - by_wish
    framed = bool(by_identity) and bool(by_wish)
    if framed:
        for concern in by_identity:
            del best[concern]
    # "Vertrag ausgelaufen …, das Arbeitslosengeld ist beantragt": the lost job is the
    # wider concern's, named or only told as background.
    named_anywhere = {concern_of(top.intent) for top in tops if top is not None} | set(best)
    for concern, wider in SUBSUMED_BY.items():
        if concern in best and wider & named_anywhere:
            del best[concern]
    return sorted(best.values(), key=lambda m: m.start), framed, frozenset(taken_back - set(best))


def clear_concern(ranking: Sequence[Ranked], tuning: Tuning) -> Ranked | None:
    """The concern the ranking names clearly enough to answer, or None.

    >>> clear_concern([Ranked("anliegen_a", 0.45), Ranked("anliegen_b", 0.1)], Tuning())
    Ranked(intent='anliegen_a', confidence=0.45)
    >>> clear_concern([Ranked("anliegen_a", 0.45), Ranked("anliegen_b", 0.3)], Tuning()) is None
    True
    """
    concerns = [r for r in ranking if is_concern(r.intent)]
    if not concerns:
        return None
    top = concerns[0]
    runner_up = concerns[1].confidence if len(concerns) > 1 else 0.0
    if top.confidence >= tuning.sure:
        return top
    if top.confidence >= tuning.likely and top.confidence >= tuning.margin * runner_up:
        return top
    return None


def understand(
    text: str,
    whole: Sequence[Ranked],
    clauses: Sequence[ClauseRanking] = (),
    tuning: Tuning = Tuning(),
    sure_only: frozenset[str] = frozenset(),
) -> Understanding:
    """The intent of the message and the concerns it names.

    ``whole`` is the combined ranking of the whole message, ``clauses`` those
    of its clauses (empty for a message of one clause). The result's intent
    is ``nlu_fallback`` when the bot should ask instead of answer; its
    ranking then still says what is likeliest (for the buttons). ``sure_only``:
    concerns a clause names only when sure (the danger concern, which its own
    detector judges: "Man hat mir gesagt" is no child in danger).

    - Two or more concerns in separate clauses: the message is about all of
      them; the intent is the surest concern's (confidence 1), or the whole
      message's when it asks about them (a booking, a removal, a follow-up).
    - One clear concern (:func:`clear_concern`): that concern, also when a
      general intent is on top of a long message ("…, brauche ich einen
      Termin?"); a follow-up or booking turn on top keeps its intent and
      names the concern.
    - Otherwise a general intent above ``general_threshold``, else the fallback.

    >>> r = understand("Wohngeld", [Ranked("anliegen_wohngeld", 0.9)])
    >>> r.intent, r.concerns
    ('anliegen_wohngeld', ('wohngeld',))
    """
    ranking = tuple(r for r in whole if r.intent != "nlu_fallback")
    if not ranking:
        return Understanding("nlu_fallback", 0.0, ())
    top = ranking[0]
    mentions, framed, taken_back = _mentions(clauses, tuning, sure_only)
    consumer = top.intent in CONCERN_CONSUMERS and top.confidence >= tuning.general_threshold
    if len(mentions) >= 2:
        if consumer:
            return Understanding(top.intent, top.confidence, ranking, tuple(mentions))
        # The lead is what the whole message is most about, not the loudest clause
        # ("Kopien beglaubigen lassen, Geburtsurkunde und Zeugnis": Beglaubigung).
        whole_score = {r.intent: r.confidence for r in ranking}
        first = max(
            mentions,
            key=lambda m: (whole_score.get(CONCERN_PREFIX + m.concern, 0.0), m.confidence),
        )
        lead = CONCERN_PREFIX + first.concern
        reordered = (Ranked(lead, 1.0),) + tuple(r for r in ranking if r.intent != lead)
        return Understanding(lead, 1.0, reordered, tuple(mentions), {"several": True})
    if consumer:
        named = _named_by_consumer(ranking, tuning)
        mentions_here = (
            (Mention(concern_of(named.intent), named.confidence, 0, len(text), text),)
            if named is not None
            else ()
        )
        return Understanding(top.intent, top.confidence, ranking, mentions_here)
    if len(mentions) == 1 and (top.intent in FRAMING or taken_back):
        # "Ich heiße Erika Muster, Telefon 0171 …. Ich brauche Wohngeld.": the greeting
        # or the contact details frame the one concern a clause names. "Wohngeld und
        # Elterngeld – ach nein, das Elterngeld hat meine Frau schon beantragt": the one
        # concern left after the citizen took another back.
        return _framed(mentions[0], ranking, tuning)
    clear = clear_concern(ranking, tuning)
    if clear is not None and concern_of(clear.intent) not in taken_back:
        mention = Mention(concern_of(clear.intent), clear.confidence, 0, len(text), text)
        if (
            is_concern(top.intent)
            or top.confidence < tuning.general_threshold
            or len(text.split()) >= 6
        ):
            reordered = (Ranked(clear.intent, max(clear.confidence, tuning.sure)),) + tuple(
                r for r in ranking if r.intent != clear.intent
            )
            return Understanding(clear.intent, reordered[0].confidence, reordered, (mention,))
    if not is_concern(top.intent) and _clear_general(ranking, tuning):
        return Understanding(top.intent, top.confidence, ranking)
    if top.intent in CONCERN_CONSUMERS and top.confidence >= tuning.likely:
        # "Ich brauche Wohngeld, am liebsten Dienstag nachmittag": a time wish, only likely,
        # naming a concern well ahead of the others is that wish about that concern.
        named = _named_by_consumer(ranking, tuning)
        if named is not None:
            mention = Mention(concern_of(named.intent), named.confidence, 0, len(text), text)
            return Understanding(top.intent, top.confidence, ranking, (mention,))
    if len(mentions) == 1 and framed:
        # "Wir sind eine Patchworkfamilie. Wer bekommt das Kindergeld?": who they are
        # frames the one concern another clause names, where the whole message is unsure.
        return _framed(mentions[0], ranking, tuning)
    return Understanding("nlu_fallback", top.confidence, ranking, (), {"unsure": True})


def _framed(only: Mention, ranking: Sequence[Ranked], tuning: Tuning) -> Understanding:
    """The one concern a clause names, as the answer to a message that only frames it."""
    lead = CONCERN_PREFIX + only.concern
    reordered = (Ranked(lead, max(only.confidence, tuning.sure)),) + tuple(
        r for r in ranking if r.intent != lead
    )
    return Understanding(lead, reordered[0].confidence, reordered, (only,))


def _named_by_consumer(
    ranking: Sequence[Ranked], tuning: Tuning, floor: float | None = None
) -> Ranked | None:
    """The concern a booking or follow-up turn names: well ahead of the other concerns.

    "Termin bei der Wohngeldstelle": termin_buchen on top, wohngeld far ahead of
    every other concern below it.
    """
    concerns = [r for r in ranking if is_concern(r.intent)]
    if not concerns or concerns[0].confidence < (tuning.named_floor if floor is None else floor):
        return None
    runner_up = concerns[1].confidence if len(concerns) > 1 else 0.0
    return concerns[0] if concerns[0].confidence >= tuning.margin * runner_up else None


def _clear_general(ranking: Sequence[Ranked], tuning: Tuning) -> bool:
    """A greeting, follow-up or booking turn on top, sure or clearly ahead of the next intent."""
    top = ranking[0]
    runner_up = ranking[1].confidence if len(ranking) > 1 else 0.0
    return top.confidence >= tuning.general_threshold or (
        top.confidence >= tuning.likely and top.confidence >= tuning.margin * runner_up
    )
