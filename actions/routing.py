"""Actions that say which office handles a concern, and answer follow-ups."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue import get_catalogue
from actions.dispatch import send
from amtslotse.core import routing
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


def _latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _unreadable(tracker: Tracker) -> str | None:
    """Why the latest message cannot be a concern (empty, emoji only, another alphabet)."""
    return routing.unreadable(tracker.latest_message.get("text") or "")


def _entity(tracker: Tracker, name: str) -> str | None:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == name and entity.get("value"):
            return str(entity["value"])
    return None


class ActionAnswerConcern(Action):
    """anliegen_<service> → office answer, clarifying question, or emergency numbers."""

    def name(self) -> str:
        return "action_answer_concern"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        cat = get_catalogue()
        reason = _unreadable(tracker)
        if reason is not None:
            return send(dispatcher, routing.bad_input_reply(cat, reason))
        intent = _latest_intent(tracker) or ""
        concern = intent[len(INTENT_PREFIX) :] if intent.startswith(INTENT_PREFIX) else ""
        if concern in cat.clarifications:
            return send(
                dispatcher, routing.clarify_reply(cat, cat.clarifications[concern], intent=intent)
            )
        service = cat.services.get(concern)
        if service is None:
            return send(dispatcher, routing.no_concern_reply(cat))
        office_id = _entity(tracker, "office_id")
        if (
            office_id is not None
            and service.choose_office is not None
            and office_id not in {o.payload_id for o in service.choose_office.options}
        ):
            office_id = None
        events = send(dispatcher, routing.office_reply(cat, service, office_id))
        return [*events, SlotSet("fallback_count", 0.0)]


class ActionAnswerFollowup(Action):
    """ "Was muss ich mitbringen?" and friends, about the concern answered last."""

    def name(self) -> str:
        return "action_answer_followup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        cat = get_catalogue()
        service = cat.services.get(tracker.get_slot("service_id") or "")
        answer = _FOLLOWUPS.get(_latest_intent(tracker) or "")
        if service is None or answer is None:
            return send(dispatcher, routing.no_concern_reply(cat))
        return send(dispatcher, answer(cat, service, tracker.get_slot("office_id")))


class ActionFallbackOptions(Action):
    """Two-stage fallback: first the likeliest concerns as buttons, then the hotline.

    Never names an office with low confidence: the citizen picks.
    """

    def name(self) -> str:
        return "action_fallback_options"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        cat = get_catalogue()
        reason = _unreadable(tracker)
        if reason is not None:
            return send(dispatcher, routing.bad_input_reply(cat, reason))
        count = int(tracker.get_slot("fallback_count") or 0)
        ranking = tracker.latest_message.get("intent_ranking") or []
        buttons = []
        for candidate in ranking:
            service = routing.service_for_intent(cat, candidate.get("name"))
            if service is not None:
                buttons.append(Button(service.name, f"/{INTENT_PREFIX}{service.id}"))
            if len(buttons) == _FALLBACK_CHOICES:
                break
        if count >= 1 or not buttons:
            reply = Reply(
                tuple(phrase_lines(cat, "fallback_hotline", phone=cat.county.hotline_phone))
            )
            send(dispatcher, reply)
            return [SlotSet("fallback_count", 0.0)]
        other = phrase_lines(cat, "fallback_other")[0]
        buttons.append(Button(other, "/out_of_scope"))
        reply = Reply(
            tuple(phrase_lines(cat, "fallback_options")),
            buttons=tuple(buttons),
            custom={
                "type": "clarify",
                "question": phrase_lines(cat, "fallback_options")[-1],
                "candidates": [
                    cat.services[b.payload[len(INTENT_PREFIX) + 1 :]].office_id
                    for b in buttons[:-1]
                ],
                "options": [{"title": b.title, "payload": b.payload} for b in buttons],
            },
        )
        send(dispatcher, reply)
        return [SlotSet("fallback_count", float(count + 1))]
