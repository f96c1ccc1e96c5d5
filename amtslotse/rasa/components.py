"""Own NLU components of the Rasa pipeline (bot/config.yml): thin adapters.

The decisions are in amtslotse/core/understanding (pure); these classes put
them into Rasa's graph:

``ClauseSplitter`` (first in the pipeline)
    adds each clause of a message as a message of its own, so that every
    later component (spaCy, the featurisers, DIET) processes the clauses as
    well: Rasa's graph passes the whole list along, and only the first
    message becomes the parse result.
``ConcernResolver`` (after DIET; trained)
    trains the second opinion (second_opinion.py), combines it with DIET's
    ranking for the message and each clause, sets the intent and one
    ``concern`` entity per concern named (value: the service id), and takes
    the clause messages out of the list again.
``ChildDangerDetector`` (after the resolver, before the FallbackClassifier)
    finds cues of a child in danger (core/understanding/danger.py) and,
    with the classifiers' belief in ``kinderschutz``, makes the message
    ``anliegen_kinderschutz`` with confidence 1, whatever else it says.

All three add an ``understanding`` property to the parse result (concerns,
candidates, danger verdict), which the actions read from the tracker.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from amtslotse.core.understanding import danger
from amtslotse.core.understanding.clauses import MAX_CLAUSES, split_clauses
from amtslotse.core.understanding.resolve import (
    CONCERN_PREFIX,
    ClauseRanking,
    Ranked,
    Tuning,
    combine,
    understand,
)

#: Message properties of this module.
CLAUSE = "amtslotse_clause"  # on a clause message: (start, end) in its parent
CLAUSES = "amtslotse_clauses"  # on a parent: how many clause messages follow it
UNDERSTANDING = "understanding"  # in the parse result
CONCERN_ENTITY = "concern"
DANGER_SERVICE = "kinderschutz"
#: How many candidates the understanding keeps for buttons.
CANDIDATES = 6


def _is_payload(text: str) -> bool:
    return text.startswith("/")


def _ranking(message: Message) -> list[Ranked]:
    return [
        Ranked(str(r[INTENT_NAME_KEY]), float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0))
        for r in message.get(INTENT_RANKING_KEY) or []
    ]


def _ranking_json(ranking: list[Ranked] | tuple[Ranked, ...], n: int = 10) -> list[dict[str, Any]]:
    return [
        {INTENT_NAME_KEY: r.intent, PREDICTED_CONFIDENCE_KEY: r.confidence} for r in ranking[:n]
    ]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ClauseSplitter(GraphComponent):
    """Adds the clauses of a message with several as messages of their own."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ClauseSplitter:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        out: list[Message] = []
        for message in messages:
            out.append(message)
            text = message.get(TEXT) or ""
            if message.get(CLAUSE) is not None or not text or _is_payload(text):
                continue
            clauses = split_clauses(text)
            if not 2 <= len(clauses) <= MAX_CLAUSES:
                continue
            message.set(CLAUSES, len(clauses))
            for clause in clauses:
                part = Message(data={TEXT: clause.text})
                part.set(CLAUSE, (clause.start, clause.end))
                out.append(part)
        return out


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class ConcernResolver(GraphComponent):
    """Second opinion + DIET for the message and its clauses → intent and concerns."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**asdict(Tuning()), "C": 8.0}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        opinion: Any = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self._opinion = opinion
        self._tuning = Tuning(**{f.name: float(self._config[f.name]) for f in fields(Tuning)})

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ConcernResolver:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        from amtslotse.rasa.second_opinion import SecondOpinion

        examples = [
            (str(m.get(TEXT)), str(m.get(INTENT)))
            for m in training_data.intent_examples
            if m.get(TEXT) and m.get(INTENT)
        ]
        opinion = SecondOpinion.train(
            [t for t, _ in examples], [i for _, i in examples], c=float(self._config["C"])
        )
        with self._storage.write_to(self._resource) as directory:
            opinion.save(Path(directory))
        self._opinion = opinion
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ConcernResolver:
        from amtslotse.rasa.second_opinion import SecondOpinion

        try:
            with model_storage.read_from(resource) as directory:
                opinion = SecondOpinion.load(Path(directory))
        except (ValueError, FileNotFoundError):
            opinion = None
        return cls(config, model_storage, resource, opinion)

    def _second(self, texts: list[str]) -> list[list[Ranked]]:
        if self._opinion is None:
            return [[] for _ in texts]
        return [[Ranked(i, c) for i, c in r] for r in self._opinion.rank(texts)]

    def process(self, messages: list[Message]) -> list[Message]:
        out: list[Message] = []
        i = 0
        while i < len(messages):
            message = messages[i]
            count = int(message.get(CLAUSES) or 0)
            clause_messages = messages[i + 1 : i + 1 + count]
            i += 1 + count
            out.append(message)
            text = message.get(TEXT) or ""
            if not text or _is_payload(text) or message.get(INTENT) is None:
                continue
            seconds = self._second([text] + [str(c.get(TEXT) or "") for c in clause_messages])
            weight = self._tuning.diet_weight
            whole = combine(_ranking(message), seconds[0], weight)
            clauses = []
            for part, second in zip(clause_messages, seconds[1:], strict=True):
                start, end = part.get(CLAUSE)
                clauses.append(
                    ClauseRanking(
                        start, end, str(part.get(TEXT)), combine(_ranking(part), second, weight)
                    )
                )
            result = understand(
                text, whole, clauses, self._tuning, sure_only=frozenset({DANGER_SERVICE})
            )
            message.set(
                INTENT,
                {INTENT_NAME_KEY: result.intent, PREDICTED_CONFIDENCE_KEY: result.confidence},
                add_to_output=True,
            )
            message.set(INTENT_RANKING_KEY, _ranking_json(result.ranking), add_to_output=True)
            entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != CONCERN_ENTITY]
            entities += [
                {
                    "entity": CONCERN_ENTITY,
                    "value": m.concern,
                    "start": m.start,
                    "end": m.end,
                    "confidence_entity": round(m.confidence, 4),
                    "extractor": type(self).__name__,
                }
                for m in result.mentions
            ]
            message.set(ENTITIES, entities, add_to_output=True)
            kinderschutz = CONCERN_PREFIX + DANGER_SERVICE
            message.set(
                UNDERSTANDING,
                {
                    "concerns": [
                        {"service": m.concern, "confidence": round(m.confidence, 4), "text": m.text}
                        for m in result.mentions
                    ],
                    "several": bool(result.notes.get("several")),
                    "candidates": _candidates(result.ranking),
                    # The classifiers' belief in danger, for the detector after this one:
                    # in the whole message, and in its most alarming clause.
                    "danger_belief": _prob(whole, kinderschutz),
                    "danger_belief_clause": max(
                        [_prob(c.ranking, kinderschutz) for c in clauses], default=0.0
                    ),
                },
                add_to_output=True,
            )
        return out


def _drop_leaning_danger(message: Message, understanding: dict[str, Any], intent: str) -> None:
    """Take ``kinderschutz`` out of a message's concerns; ask when it was all there was."""
    entities = message.get(ENTITIES) or []
    concerns = [e for e in entities if e.get("entity") == CONCERN_ENTITY]
    others = [e for e in concerns if e.get("value") != DANGER_SERVICE]
    current = message.get(INTENT) or {}
    if len(others) == len(concerns) and current.get(INTENT_NAME_KEY) != intent:
        return
    message.set(
        ENTITIES, [e for e in entities if e not in concerns or e in others], add_to_output=True
    )
    understanding["concerns"] = [
        c for c in understanding.get("concerns") or [] if c.get("service") != DANGER_SERVICE
    ]
    understanding["several"] = len(others) > 1
    message.set(UNDERSTANDING, understanding, add_to_output=True)
    if current.get(INTENT_NAME_KEY) != intent:
        return
    if others:
        # The lead is what the whole message ranks highest, as the resolver picks it.
        score = {
            r[INTENT_NAME_KEY]: float(r.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
            for r in message.get(INTENT_RANKING_KEY) or []
        }
        lead = max(
            (CONCERN_PREFIX + str(e["value"]) for e in others), key=lambda i: score.get(i, 0.0)
        )
        ranking = [
            r
            for r in message.get(INTENT_RANKING_KEY) or []
            if r[INTENT_NAME_KEY] not in (lead, intent)
        ]
        message.set(
            INTENT, {INTENT_NAME_KEY: lead, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True
        )
        message.set(
            INTENT_RANKING_KEY,
            [{INTENT_NAME_KEY: lead, PREDICTED_CONFIDENCE_KEY: 1.0}, *ranking],
            add_to_output=True,
        )
        return
    message.set(
        INTENT,
        {
            INTENT_NAME_KEY: "nlu_fallback",
            PREDICTED_CONFIDENCE_KEY: current.get(PREDICTED_CONFIDENCE_KEY),
        },
        add_to_output=True,
    )


def _prob(ranking: tuple[Ranked, ...] | list[Ranked], intent: str) -> float:
    return next((r.confidence for r in ranking if r.intent == intent), 0.0)


def _candidates(ranking: tuple[Ranked, ...]) -> list[dict[str, Any]]:
    """The likeliest concerns (not general intents), for buttons when the bot is unsure."""
    return [
        {"service": r.intent[len(CONCERN_PREFIX) :], "confidence": round(r.confidence, 4)}
        for r in ranking
        if r.intent.startswith(CONCERN_PREFIX)
    ][:CANDIDATES]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ChildDangerDetector(GraphComponent):
    """A child in danger described in plain words → ``anliegen_kinderschutz`` at once."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"strong_classifier": 0.5, "strong_clause": 0.6}

    def __init__(self, config: dict[str, Any]) -> None:
        merged = {**self.get_default_config(), **config}
        self._strong = float(merged["strong_classifier"])
        self._strong_clause = float(merged["strong_clause"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ChildDangerDetector:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            doc = message.get(SPACY_DOCS[TEXT])
            if not text or _is_payload(text) or doc is None:
                continue
            understanding = dict(message.get(UNDERSTANDING) or {})
            verdict = danger.assess(
                danger.find_cues(doc),
                classifier=float(understanding.get("danger_belief") or 0.0),
                strong_classifier=self._strong,
                clause=float(understanding.get("danger_belief_clause") or 0.0),
                strong_clause=self._strong_clause,
            )
            understanding["danger"] = {"danger": verdict.danger, "reasons": list(verdict.reasons)}
            message.set(UNDERSTANDING, understanding, add_to_output=True)
            intent = CONCERN_PREFIX + DANGER_SERVICE
            if verdict.says_harmless:
                # The classifiers leaned towards danger, the words say it is none ("hat
                # sich aus Versehen eingeschlossen 😅"): the other concerns stay; with none,
                # the bot asks (its buttons offer "Ein Kind ist in Gefahr" first).
                _drop_leaning_danger(message, understanding, intent)
                continue
            if not verdict.danger:
                continue
            ranking = [
                r for r in message.get(INTENT_RANKING_KEY) or [] if r[INTENT_NAME_KEY] != intent
            ]
            message.set(
                INTENT, {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}, add_to_output=True
            )
            message.set(
                INTENT_RANKING_KEY,
                [{INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}, *ranking],
                add_to_output=True,
            )
        return messages
