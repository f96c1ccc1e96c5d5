"""Appointment actions. Booking inside the chat is not built yet: the bot names the phone line."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue import get_catalogue
from actions.replies import send
from amtslotse import routing
from amtslotse.routing import Reply


class ActionBookingByPhone(Action):
    def name(self) -> str:
        return "action_booking_by_phone"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        cat = get_catalogue()
        lines = routing.phrase_lines(cat, "booking_by_phone", phone=cat.county.hotline_phone)
        return send(dispatcher, Reply(tuple(lines)))
