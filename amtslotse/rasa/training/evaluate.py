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

import yaml

from amtslotse.core.content.model import Catalogue
from amtslotse.core.routing import INTENT_PREFIX


@dataclass(frozen=True)
class Labelled:
    text: str
    service: str  # a service id or a clarification id


@dataclass(frozen=True)
class Prediction:
    intent: str
    confidence: float


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
        if pred.confidence < threshold:
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
        confident = pred.confidence >= threshold
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
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    for component in data.get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return 0.0


async def parse_all(model: Path, texts: Sequence[str]) -> list[Prediction]:
    """Run the trained model's NLU on each text (the intent DIET picked, before fallback)."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    out = []
    for text in texts:
        parsed = await agent.parse_message(text)
        ranking = [r for r in parsed.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
        top = ranking[0] if ranking else parsed["intent"]
        out.append(Prediction(top["name"], float(top.get("confidence") or 0.0)))
    return out
