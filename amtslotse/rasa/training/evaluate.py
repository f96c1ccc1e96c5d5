"""How well the trained model understands text it has never seen.

Two held-out sets, both written independently of data/nlu:

* tests/nlu/heldout.yml: concerns, scored by :func:`score` (which office,
  which service, a wrong office said with confidence);
* tests/nlu/heldout_general.yml: greetings, follow-up questions and booking
  turns, scored by :func:`score_general` (which intent, and whether the bot
  would wrongly answer with a concern).

Scoring is pure; :func:`parse_all` runs the real model. A prediction below
the fallback threshold is not an answer: the bot offers choices instead, so
it is never "the wrong office said with confidence".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

import yaml

from amtslotse.core.content.model import Catalogue
from amtslotse.core.routing import INTENT_PREFIX


@dataclass(frozen=True)
class Labelled:
    text: str
    service: str  # a service id or a clarification id


@dataclass(frozen=True)
class Prediction:
    """What the bot made of one message.

    ``intent`` is the likeliest intent (also when the bot is unsure),
    ``fallback`` whether the bot asks instead of answering, ``concerns`` the
    concerns it names (concern entities), ``danger`` whether it gives the
    emergency numbers, ``candidates`` the concerns its buttons would offer.
    """

    intent: str
    confidence: float
    fallback: bool = False
    concerns: tuple[str, ...] = ()
    danger: bool = False
    candidates: tuple[str, ...] = ()

    @property
    def answer(self) -> str | None:
        """The concern the bot answers with, or None (a question, a greeting, unsure)."""
        if self.fallback:
            return None
        if self.intent.startswith(INTENT_PREFIX):
            return self.intent[len(INTENT_PREFIX) :]
        return self.concerns[0] if self.concerns else None


@dataclass
class Score:
    """Top-1 accuracy of the model, and what the bot would do with each answer.

    ``office_correct``/``service_correct`` count the model's top intent
    whatever its confidence; ``fallback`` the utterances below the threshold,
    where the bot offers choices; ``wrong_confident`` the ones where the bot
    would name a wrong office (text, expected, predicted, confidence).
    """

    total: int
    office_correct: int = 0
    service_correct: int = 0
    fallback: int = 0
    wrong_confident: list[tuple[str, str, str, float]] = field(default_factory=list)

    @property
    def office_accuracy(self) -> float:
        return self.office_correct / self.total if self.total else 0.0

    @property
    def service_accuracy(self) -> float:
        return self.service_correct / self.total if self.total else 0.0


def load_heldout(path: Path) -> list[Labelled]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Labelled(str(u["text"]), str(u["service"])) for u in data["utterances"]]


def office_of(cat: Catalogue, label: str) -> str:
    """The office a label leads to; a question counts as its own 'office'."""
    if label in cat.clarifications:
        return f"clarify:{label}"
    service = cat.services.get(label)
    if service is None:
        return f"none:{label}"
    return service.office_id or f"clarify:{label}"


def score(
    cat: Catalogue, items: Sequence[Labelled], predictions: Iterable[Prediction], threshold: float
) -> Score:
    result = Score(total=len(items))
    for item, pred in zip(items, predictions, strict=True):
        label = (
            pred.intent[len(INTENT_PREFIX) :]
            if pred.intent.startswith(INTENT_PREFIX)
            else pred.intent
        )
        right_office = office_of(cat, label) == office_of(cat, item.service)
        result.service_correct += label == item.service
        result.office_correct += right_office
        # Only a concern intent makes the bot name an office; "termin_buchen"
        # or "greet" are wrong answers, but they name no office.
        names_office = label in cat.services or label in cat.clarifications
        if pred.fallback or pred.confidence < threshold:
            result.fallback += 1
        elif names_office and not right_office:
            result.wrong_confident.append((item.text, item.service, label, pred.confidence))
    return result


@dataclass(frozen=True)
class LabelledIntent:
    text: str
    intent: str  # e.g. "frage_ort", "termin_absagen"


@dataclass(frozen=True)
class IntentResult:
    intent: str
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.intent} {100 * self.accuracy:.0f} % ({self.correct}/{self.total})"


@dataclass
class GeneralScore:
    """Top-1 intent accuracy on general utterances, and what the bot would do.

    ``correct`` counts the model's top intent whatever its confidence;
    ``answered_right`` only those at or above the threshold (below it the bot
    offers concerns as buttons instead of greeting, answering a follow-up or
    booking); ``concern_confident`` the utterances the bot would answer with
    a concern (text, expected, predicted, confidence); ``errors`` every wrong
    top intent (text, expected, predicted, confidence).
    """

    total: int
    correct: int = 0
    answered_right: int = 0
    fallback: int = 0
    per_intent: dict[str, IntentResult] = field(default_factory=dict)
    concern_confident: list[tuple[str, str, str, float]] = field(default_factory=list)
    errors: list[tuple[str, str, str, float]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def answered_right_share(self) -> float:
        return self.answered_right / self.total if self.total else 0.0

    def worst(self, n: int = 3) -> list[IntentResult]:
        """The ``n`` intents with the lowest accuracy (ties: more utterances, then by name)."""
        ranked = sorted(self.per_intent.values(), key=lambda r: (r.accuracy, -r.total, r.intent))
        return ranked[:n]


def load_heldout_general(path: Path) -> list[LabelledIntent]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [LabelledIntent(str(u["text"]), str(u["intent"])) for u in data["utterances"]]


def score_general(
    items: Sequence[LabelledIntent], predictions: Iterable[Prediction], threshold: float
) -> GeneralScore:
    result = GeneralScore(total=len(items))
    hits: list[tuple[str, bool]] = []
    for item, pred in zip(items, predictions, strict=True):
        right = pred.intent == item.intent
        confident = pred.confidence >= threshold and not pred.fallback
        hits.append((item.intent, right))
        result.correct += right
        result.answered_right += right and confident
        if not confident:
            result.fallback += 1
        if not right:
            result.errors.append((item.text, item.intent, pred.intent, pred.confidence))
            # A concern intent makes the bot name an office for a "Danke" or "Wo ist das?".
            if confident and pred.intent.startswith(INTENT_PREFIX):
                result.concern_confident.append(
                    (item.text, item.intent, pred.intent, pred.confidence)
                )
    for intent, group in groupby(sorted(hits), key=lambda h: h[0]):
        flags = [right for _, right in group]
        result.per_intent[intent] = IntentResult(intent, sum(flags), len(flags))
    return result


def fallback_threshold(config: Path) -> float:
    """The FallbackClassifier's threshold; 0 where the ConcernResolver decides the fallback."""
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for component in data.get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return 0.0


async def parse_all(model: Path, texts: Sequence[str]) -> list[Prediction]:
    """Run the trained model's whole NLU pipeline on each text, as Rasa does for a message."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    out = []
    for text in texts:
        parsed = await agent.parse_message(text)
        out.append(prediction_of(parsed))
    return out


def prediction_of(parsed: dict[str, Any]) -> Prediction:
    """A Prediction from Rasa's parse result (with our components' ``understanding``)."""
    final = (parsed.get("intent") or {}).get("name") or "nlu_fallback"
    ranking = [r for r in parsed.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
    top = ranking[0] if ranking else parsed["intent"]
    understanding = parsed.get("understanding") or {}
    return Prediction(
        intent=str(top["name"]),
        confidence=float(top.get("confidence") or 0.0),
        fallback=final == "nlu_fallback",
        concerns=tuple(
            str(e["value"]) for e in parsed.get("entities") or [] if e.get("entity") == "concern"
        ),
        danger=bool((understanding.get("danger") or {}).get("danger")),
        candidates=tuple(str(c["service"]) for c in understanding.get("candidates") or []),
    )


# ------------------------------------------------------------------ the blind sets


def load_items(path: Path) -> list[dict[str, Any]]:
    """The utterances of a blind set, as written (text plus its labels)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return list(data["utterances"])


@dataclass
class DangerScore:
    """Danger caught on the danger set; false alarms on the near misses."""

    danger_total: int
    caught: int
    nearmiss_total: int
    false_alarms: int
    missed_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def recall(self) -> float:
        return self.caught / self.danger_total if self.danger_total else 0.0

    @property
    def false_alarm_share(self) -> float:
        return self.false_alarms / self.nearmiss_total if self.nearmiss_total else 0.0


def score_danger(
    danger: Sequence[dict[str, Any]],
    danger_predictions: Sequence[Prediction],
    nearmiss: Sequence[dict[str, Any]],
    nearmiss_predictions: Sequence[Prediction],
) -> DangerScore:
    result = DangerScore(len(danger), 0, len(nearmiss), 0)
    for item, pred in zip(danger, danger_predictions, strict=True):
        caught = pred.danger or pred.intent == INTENT_PREFIX + "kinderschutz" and not pred.fallback
        result.caught += caught
        if not caught:
            kind = str(item.get("kind", "?"))
            result.missed_kinds[kind] = result.missed_kinds.get(kind, 0) + 1
    result.false_alarms = sum(
        p.danger or (p.intent == INTENT_PREFIX + "kinderschutz" and not p.fallback)
        for p in nearmiss_predictions
    )
    return result


@dataclass
class DirectScore:
    """Concern messages of real length: answered directly, wrong office named, buttons."""

    total: int
    direct: int = 0
    wrong_office: int = 0
    fallback: int = 0
    right_in_buttons: int = 0
    wrong: list[tuple[str, str, str]] = field(default_factory=list)

    def share(self, n: int) -> float:
        return n / self.total if self.total else 0.0


def distinct_offices(cat: Catalogue, candidates: Sequence[str], n: int = 3) -> list[str]:
    """The offices the fallback's buttons name: at most one per office, best first.

    The same rule as the action that builds the buttons (actions/routing.py).
    """
    chosen: list[str] = []
    for service_id in candidates:
        office = office_of(cat, service_id)
        if service_id == "kinderschutz" or office in chosen:
            continue
        chosen.append(office)
        if len(chosen) == n:
            break
    return chosen


def score_direct(
    cat: Catalogue, items: Sequence[dict[str, Any]], predictions: Sequence[Prediction]
) -> DirectScore:
    result = DirectScore(len(items))
    for item, pred in zip(items, predictions, strict=True):
        expected = str(item["service"])
        answer = pred.answer
        if answer is not None:
            result.direct += 1
            if office_of(cat, answer) != office_of(cat, expected):
                result.wrong_office += 1
                result.wrong.append((str(item["text"]), expected, answer))
        else:
            result.fallback += 1
            offered = distinct_offices(cat, pred.candidates or (pred.intent[len(INTENT_PREFIX) :],))
            result.right_in_buttons += office_of(cat, expected) in offered
    return result


@dataclass
class MultiScore:
    """Several concerns in one message: the exact set, and precision/recall per concern."""

    total: int
    exact: int = 0
    true_pos: dict[str, int] = field(default_factory=dict)
    false_pos: dict[str, int] = field(default_factory=dict)
    false_neg: dict[str, int] = field(default_factory=dict)

    @property
    def exact_share(self) -> float:
        return self.exact / self.total if self.total else 0.0

    def _micro(self, errors: dict[str, int]) -> float:
        tp = sum(self.true_pos.values())
        other = sum(errors.values())
        return tp / (tp + other) if tp + other else 0.0

    @property
    def precision(self) -> float:
        return self._micro(self.false_pos)

    @property
    def recall(self) -> float:
        return self._micro(self.false_neg)

    def per_concern(self) -> dict[str, tuple[float, float, int]]:
        """service → (precision, recall, how often it was asked for)."""
        out = {}
        for concern in sorted(set(self.true_pos) | set(self.false_pos) | set(self.false_neg)):
            tp = self.true_pos.get(concern, 0)
            fp, fn = self.false_pos.get(concern, 0), self.false_neg.get(concern, 0)
            out[concern] = (
                tp / (tp + fp) if tp + fp else 0.0,
                tp / (tp + fn) if tp + fn else 0.0,
                tp + fn,
            )
        return out


def score_multi(items: Sequence[dict[str, Any]], predictions: Sequence[Prediction]) -> MultiScore:
    result = MultiScore(len(items))
    for item, pred in zip(items, predictions, strict=True):
        want = set(item["services"])
        got = set(pred.concerns) if not pred.danger else set()
        if not got and pred.answer is not None:
            got = {pred.answer}
        result.exact += got == want
        for concern in got & want:
            result.true_pos[concern] = result.true_pos.get(concern, 0) + 1
        for concern in got - want:
            result.false_pos[concern] = result.false_pos.get(concern, 0) + 1
        for concern in want - got:
            result.false_neg[concern] = result.false_neg.get(concern, 0) + 1
    return result
