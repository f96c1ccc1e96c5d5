"""Show or cancel a booking (after booking_lookup_form found its code and token)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api.scheduling import SchedulingProblem, SchedulingUnavailable, scheduling_client
from actions.audit import record
from actions.catalogue import get_catalogue
from actions.dispatch import send
from amtslotse.core.booking import answers

CANCEL = "cancel"


class ActionBookingManage(Action):
    def name(self) -> str:
        return "action_booking_manage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        cat = get_catalogue()
        code = tracker.get_slot("booking_code") or tracker.get_slot("lookup_code")
        token = tracker.get_slot("booking_token") or tracker.get_slot("lookup_token")
        # What the citizen typed is used once; a wrong code must not stick.
        events: list[dict[str, Any]] = [SlotSet("lookup_code", None), SlotSet("lookup_token", None)]
        if not code or not token:
            return events + send(dispatcher, answers.not_found_reply(cat))
        client = scheduling_client()
        try:
            if tracker.get_slot("booking_purpose") == CANCEL:
                booking = await client.cancel(str(code), str(token))
                record(tracker, "cancelled", str(code))
                events += send(dispatcher, answers.cancelled_reply(cat, booking))
                return events + [SlotSet("booking_code", None), SlotSet("booking_token", None)]
            booking = await client.booking(str(code), str(token))
        except SchedulingUnavailable:
            return events + send(dispatcher, answers.unavailable_reply(cat))
        except SchedulingProblem:
            return events + send(dispatcher, answers.not_found_reply(cat))
        return events + send(dispatcher, answers.show_reply(cat, booking))
