"""Follow-up questions and the fallback: what to bring, when, where; or "Meinen Sie ...?".

A follow-up answers for the concern it names, else for the concern the bot
named last; after buttons the citizen did not click, for the likeliest of
them (and says which); with several concerns on the list, what to bring for
each of them. The fallback offers distinct offices and concerns, never the
same office twice.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import state
from actions.dispatch import send
from actions.runtime import runtime
from amtslotse.core import routing
from amtslotse.core.concerns import offices_of
from amtslotse.core.content.model import Catalogue, Service
from amtslotse.core.reply import Button, Reply, phrase_lines
from amtslotse.core.routing import INTENT_PREFIX

_FOLLOWUPS = {
    "frage_unterlagen": lambda cat, service, office: routing.documents_reply(cat, service),
    "frage_oeffnungszeiten": routing.hours_reply,
    "frage_ort": routing.accessibility_reply,
    "frage_termin_noetig": routing.appointment_reply,
    "nicht_verstanden": lambda cat, service, office: routing.simpler_reply(cat, service),
}

# How many concerns the fallback offers as buttons.
_FALLBACK_CHOICES = 3


def _targets(cat: Catalogue, tracker: Tracker, turn: state.Turn) -> tuple[list[Service], bool]:
    """The concerns a follow-up is about, and whether the bot must say which it assumed."""
    named = [cat.services[c] for c in turn.concerns if c in cat.services]
    if named:
        return named, False
    candidates = [c for c in tracker.get_slot("clarify_candidates") or [] if c in cat.services]
    if candidates:
        return [cat.services[candidates[0]]], True
    concerns = state.concern_list(tracker, cat)
    listed = [cat.services[i.service_id] for i in concerns.items if i.service_id in cat.services]
    if len(listed) > 1 and turn.intent == "frage_unterlagen":
        return listed, False
    last = cat.services.get(tracker.get_slot("service_id") or "")
    if last is not None:
        return [last], False
    return listed[:1], False


class ActionAnswerFollowup(Action):
    """ "Was muss ich mitbringen?" and friends, about the concern(s) in the conversation."""

    def name(self) -> str:
        return "action_answer_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        cat = runtime().catalogue
        turn = state.turn_of(tracker)
        answer = _FOLLOWUPS.get(turn.intent)
        services, assumed = _targets(cat, tracker, turn)
        if answer is None or not services:
            return send(dispatcher, routing.no_concern_reply(cat))
        events: list[dict[str, Any]] = []
        if len(services) > 1:
            return send(dispatcher, routing.documents_for_many(cat, services))
        service = services[0]
        office = (
            tracker.get_slot("office_id") if service.id == tracker.get_slot("service_id") else None
        )
        reply = answer(cat, service, office)
        if assumed:
            lines = (*phrase_lines(cat, "followup_assumed", service=service.name), *reply.lines)
            reply = Reply(lines, reply.buttons, reply.custom, reply.remember)
            events += [SlotSet("service_id", service.id), SlotSet("clarify_candidates", None)]
        return events + send(dispatcher, reply)


def _distinct(cat: Catalogue, candidates: list[str]) -> list[Service]:
    """The likeliest concerns, at most one per office, best first.

    A child in danger is offered only when it is the likeliest guess (the
    detector did not confirm it, amtslotse/rasa/components.py): then "Ein
    Kind ist in Gefahr" comes first, besides the other choices.
    """
    chosen: list[Service] = []
    offices: set[str] = set()
    if candidates and candidates[0] == "kinderschutz" and "kinderschutz" in cat.services:
        chosen.append(cat.services["kinderschutz"])
    for service_id in candidates:
        service = cat.services.get(service_id)
        if service is None or service.id == "kinderschutz":
            continue
        mine = set(offices_of(service))
        if mine & offices:
            continue
        chosen.append(service)
        offices |= mine
        if len([c for c in chosen if c.id != "kinderschutz"]) == _FALLBACK_CHOICES:
            break
    return chosen


def _candidates_from_ranking(tracker: Tracker) -> list[str]:
    ranking = tracker.latest_message.get("intent_ranking") or []
    return [
        str(r.get("name"))[len(INTENT_PREFIX) :]
        for r in ranking
        if str(r.get("name") or "").startswith(INTENT_PREFIX)
    ]


class ActionFallbackOptions(Action):
    """Two-stage fallback: first the likeliest concerns as buttons, then the hotline.

    Never names an office with low confidence: the citizen picks.
    """

    def name(self) -> str:
        return "action_fallback_options"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        cat = runtime().catalogue
        turn = state.turn_of(tracker)
        if not turn.is_payload:
            reason = routing.unreadable(turn.text)
            if reason is not None:
                return send(dispatcher, routing.bad_input_reply(cat, reason))
        count = int(tracker.get_slot("fallback_count") or 0)
        services = _distinct(cat, list(turn.candidates) or _candidates_from_ranking(tracker))
        if count >= 1 or not services:
            reply = Reply(
                tuple(phrase_lines(cat, "fallback_hotline", phone=cat.county.hotline_phone)),
                custom=routing.not_understood("hotline"),
            )
            send(dispatcher, reply)
            return [SlotSet("fallback_count", 0.0), SlotSet("clarify_candidates", None)]
        buttons = [routing.concern_button(s) for s in services]
        other = " ".join(phrase_lines(cat, "fallback_other"))
        buttons.append(Button(other, "/help"))
        question = phrase_lines(cat, "fallback_options")
        offices = list(dict.fromkeys(o for s in services for o in offices_of(s)))
        reply = Reply(
            tuple(question),
            buttons=tuple(buttons),
            custom={
                "type": "clarify",
                "reason": "fallback",
                "question": question[-1],
                "candidates": offices,
                "options": [{"title": b.title, "payload": b.payload} for b in buttons],
            },
        )
        send(dispatcher, reply)
        return [
            SlotSet("fallback_count", float(count + 1)),
            SlotSet("clarify_candidates", [s.id for s in services]),
        ]
