"""Read a Rasa tracker into the typed values the core works with.

The one place that knows slot names and the shape of Rasa's parse data;
actions read a :class:`Turn` and the conversation's :class:`ConcernList`
and hand them to the core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet

from amtslotse.core.concerns import ConcernList
from amtslotse.core.content.model import Catalogue
from amtslotse.core.listing import REF_JOINER

CONTACT_FORM = "booking_contact_form"
LOOKUP_FORM = "booking_lookup_form"
#: Slots of one booking in progress; cleared when it ends (booked or declined).
FLOW_SLOTS = (
    "booking_location",
    "booking_offer",
    "booking_hold",
    "booking_privacy",
    "contact_name",
    "contact_value",
)


@dataclass(frozen=True)
class Turn:
    """The latest message, as the core needs it."""

    text: str
    intent: str
    confidence: float
    concerns: tuple[str, ...] = ()  # service ids the message names (concern entities)
    refs: tuple[str, ...] = ()  # "service:office" refs of a button payload
    offices: tuple[str, ...] = ()  # office ids named ("beim Jobcenter")
    understanding: dict[str, Any] = field(default_factory=dict)

    @property
    def is_payload(self) -> bool:
        return self.text.startswith("/")

    @property
    def danger(self) -> bool:
        return bool((self.understanding.get("danger") or {}).get("danger"))

    @property
    def candidates(self) -> tuple[str, ...]:
        """The likeliest concerns when the bot is unsure (service ids, best first)."""
        return tuple(
            str(c["service"]) for c in self.understanding.get("candidates") or [] if "service" in c
        )


def _entity_values(message: dict[str, Any], name: str) -> tuple[str, ...]:
    out: list[str] = []
    for entity in message.get("entities") or []:
        if entity.get("entity") != name or not entity.get("value"):
            continue
        for part in str(entity["value"]).split(REF_JOINER):
            if part and part not in out:
                out.append(part)
    return tuple(out)


def turn_of(tracker: Tracker) -> Turn:
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    return Turn(
        text=str(message.get("text") or ""),
        intent=str(intent.get("name") or ""),
        confidence=float(intent.get("confidence") or 0.0),
        concerns=_entity_values(message, "concern"),
        refs=_entity_values(message, "service"),
        offices=_entity_values(message, "office") + _entity_values(message, "office_id"),
        understanding=dict(message.get("understanding") or {}),
    )


def concern_list(tracker: Tracker, cat: Catalogue) -> ConcernList:
    return ConcernList.from_slot(cat, tracker.get_slot("concern_list"))


def booked(tracker: Tracker) -> tuple[str, ...]:
    """Service ids booked in this conversation."""
    return tuple(str(s) for s in tracker.get_slot("booked_services") or [])


def today(cat: Catalogue, now: datetime) -> date:
    return now.astimezone(ZoneInfo(cat.county.timezone)).date()


def leave_contact_form(tracker: Tracker) -> list[dict[str, Any]]:
    """End the contact form when new concerns, other times or a danger interrupt it.

    The held time is gone then, so the form has nothing to ask for; the next
    pick of a time starts it again, with what the citizen already gave.
    """
    if tracker.active_loop_name not in (CONTACT_FORM, LOOKUP_FORM):
        return []
    return [ActiveLoop(None), SlotSet("requested_slot", None)]


def clear_flow() -> list[dict[str, Any]]:
    return [SlotSet(name, None) for name in FLOW_SLOTS]


def remember(values: dict[str, Any]) -> list[dict[str, Any]]:
    return [SlotSet(k, v) for k, v in values.items()]
