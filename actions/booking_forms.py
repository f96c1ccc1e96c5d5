"""The two forms of the booking flow: contact details, and finding a booking again.

booking_contact_form asks, in this order: the privacy notice (booking_privacy,
Ja/Nein), the name, one contact (phone or e-mail). booking_lookup_form asks for
the booking code and the access token, unless this conversation made the
booking. Both questions and re-asks come from the content. The name question
takes any text; amtslotse/core/contact.check_name turns away questions and
sentences and says why (the privacy explanation, or what to write).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.catalogue import get_catalogue
from actions.dispatch import send
from amtslotse.core.booking import answers
from amtslotse.core.booking.reference import find_code, find_token
from amtslotse.core.contact import check_name, clean_contact


class ValidateBookingContactForm(FormValidationAction):
    def name(self) -> str:
        return "validate_booking_contact_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # No time held (it was gone) or the notice declined: nothing more to ask.
        if not isinstance(tracker.get_slot("booking_hold"), dict):
            return []
        if tracker.get_slot("booking_privacy") is False:
            return []
        return domain_slots

    def validate_contact_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # Any text answers the question (from_text): a question or a sentence is no name.
        check = check_name(str(value or ""))
        if check.name is None:
            send(dispatcher, answers.name_problem_reply(get_catalogue(), check.problem))
        return {"contact_name": check.name}

    def validate_contact_value(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        contact = clean_contact(str(value or ""))
        if contact is None:
            send(dispatcher, answers.simple_reply(get_catalogue(), "booking_contact_invalid"))
        return {"contact_value": contact}


class ValidateBookingLookupForm(FormValidationAction):
    def name(self) -> str:
        return "validate_booking_lookup_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # A booking made in this conversation is known: no need to ask.
        if tracker.get_slot("booking_code") and tracker.get_slot("booking_token"):
            return []
        return domain_slots

    def validate_lookup_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        code = find_code(text)
        if code is None:
            send(dispatcher, answers.simple_reply(get_catalogue(), "booking_code_invalid"))
            return {"lookup_code": None}
        # A pasted confirmation may carry the token too: then nothing more to ask.
        token = find_token(text.replace(code, " "))
        return {"lookup_code": code, "lookup_token": token} if token else {"lookup_code": code}

    def validate_lookup_token(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        token = find_token(str(value or "")) or str(value or "").strip() or None
        return {"lookup_token": token}


class _Ask(Action):
    """Asks for one form slot with a sentence frame of answers.yml."""

    slot = ""
    phrase = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return send(dispatcher, answers.simple_reply(get_catalogue(), self.phrase))


class ActionAskBookingPrivacy(Action):
    def name(self) -> str:
        return "action_ask_booking_privacy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return send(dispatcher, answers.privacy_reply(get_catalogue()))


class ActionAskContactName(_Ask):
    slot, phrase = "contact_name", "booking_ask_name"


class ActionAskContactValue(_Ask):
    slot, phrase = "contact_value", "booking_ask_contact"


class ActionAskLookupCode(_Ask):
    slot, phrase = "lookup_code", "booking_ask_code"


class ActionAskLookupToken(_Ask):
    slot, phrase = "lookup_token", "booking_ask_token"
