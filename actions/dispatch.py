"""Send an amtslotse Reply through the Rasa dispatcher (one shape for every action)."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from amtslotse.core.reply import Reply


def send(dispatcher: CollectingDispatcher, reply: Reply) -> list[dict[str, Any]]:
    """Text (one sentence per line) and buttons, then the payload; returns slot events."""
    buttons = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
    dispatcher.utter_message(text=reply.text, buttons=buttons or None)
    if reply.custom is not None:
        dispatcher.utter_message(json_message=reply.custom)
    return [SlotSet(key, value) for key, value in reply.remember.items()]
