"""How well the trained model routes concerns it has never seen (tests/nlu/heldout.yml).

Scoring is pure (:func:`score`); :func:`parse_all` runs the real model.
A prediction below the fallback threshold is not an answer: the bot offers
choices instead, so it is never "the wrong office said with confidence".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from amtslotse.content.model import Catalogue
from amtslotse.routing import INTENT_PREFIX


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
