"""The two forms of the booking flow: contact details, and finding a booking again.

booking_contact_form asks, in this order: the privacy notice (booking_privacy,
Ja/Nein), the name, one contact (phone or e-mail). booking_lookup_form asks for
the booking code and the PIN. Both questions and re-asks come from the content.

The name and the contact are read by ``extract_*`` here (custom slot
mappings): a message that is plainly something else is no answer, so the
form steps aside and the rules act on it: a child in danger, a question
about the list, "Das Wohngeld nicht mehr", a new concern named clearly, a
click on another time. Anything else is the answer, and
amtslotse/core/contact.check_name turns away questions and sentences.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import state
from actions.catalogue import get_catalogue
from actions.dispatch import send
from actions.runtime import runtime
from amtslotse.core.booking import answers
from amtslotse.core.booking.reference import find_code, find_pin, find_token
from amtslotse.core.contact import check_name, clean_contact
from amtslotse.core.routing import INTENT_PREFIX

#: Intents that are never the answer to the name or contact question.
NOT_AN_ANSWER = frozenset(
    {
        "termin_waehlen",
        "termin_andere_zeiten",
        "liste_anzeigen",
        "liste_entfernen",
        "termin_absagen",
        "termin_verschieben",
    }
)
#: A concern this sure, in a text that is no name, interrupts the form.
SURE_CONCERN = 0.8


def is_an_answer(turn: state.Turn) -> bool:
    """Whether the message answers the question asked (and is not another request)."""
    if turn.danger or turn.intent in NOT_AN_ANSWER:
        return False
    if turn.intent.startswith(INTENT_PREFIX) and turn.confidence >= SURE_CONCERN:
        # "Und Elterngeld auch noch" is no name; "Julia Mittwoch" is, whatever it resembles.
        return check_name(turn.text).name is not None
    return True


def _requested(tracker: Tracker, slot: str) -> bool:
    return tracker.active_loop_name is not None and tracker.get_slot("requested_slot") == slot


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

    async def extract_contact_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        turn = state.turn_of(tracker)
        if not _requested(tracker, "contact_name") or not is_an_answer(turn):
            return {}
        return {"contact_name": turn.text}

    async def extract_contact_value(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        turn = state.turn_of(tracker)
        if not _requested(tracker, "contact_value") or not is_an_answer(turn):
            return {}
        return {"contact_value": turn.text}

    def validate_contact_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        # Any text answers the question: a question or a sentence is no name.
        check = check_name(str(value or ""))
        if check.name is None:
            rt = runtime()
            days = rt.settings.scheduling.purge_after_days
            send(dispatcher, answers.name_problem_reply(rt.catalogue, check.problem, days=days))
        return {"contact_name": check.name}

    def validate_contact_value(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        contact = clean_contact(str(value or ""))
        if contact is None:
            send(dispatcher, answers.simple_reply(get_catalogue(), "booking_contact_invalid"))
        return {"contact_value": contact}


class ValidateBookingLookupForm(FormValidationAction):
    """Code, then the PIN ("Geheim·zahl"); a pasted confirmation may carry both.

    The secret is the 6-digit PIN, or the long token of an e-mail's cancel
    link pasted whole. Anything else is asked again and never sent to the
    backend, so a typo does not count as a wrong try.
    """

    def name(self) -> str:
        return "validate_booking_lookup_form"

    async def extract_lookup_code(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        turn = state.turn_of(tracker)
        if not _requested(tracker, "lookup_code") or turn.danger:
            return {}
        return {"lookup_code": turn.text}

    async def extract_lookup_secret(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        turn = state.turn_of(tracker)
        if not _requested(tracker, "lookup_secret") or turn.danger:
            return {}
        return {"lookup_secret": turn.text}

    def validate_lookup_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        code = find_code(text)
        if code is None:
            send(dispatcher, answers.simple_reply(get_catalogue(), "booking_code_invalid"))
            return {"lookup_code": None}
        rest = text.replace(code, " ")
        secret = find_pin(rest) or find_token(rest)
        return {"lookup_code": code, "lookup_secret": secret} if secret else {"lookup_code": code}

    def validate_lookup_secret(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value or "")
        secret = find_pin(text) or find_token(text)
        if secret is None:
            send(dispatcher, answers.simple_reply(get_catalogue(), "booking_pin_invalid"))
        return {"lookup_secret": secret}


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
        rt = runtime()
        # What the backend really does: SCHEDULING_PURGE_AFTER_DAYS, not a promise of its own.
        days = rt.settings.scheduling.purge_after_days
        return send(dispatcher, answers.privacy_reply(rt.catalogue, days))


class ActionAskContactName(_Ask):
    slot, phrase = "contact_name", "booking_ask_name"


class ActionAskContactValue(_Ask):
    slot, phrase = "contact_value", "booking_ask_contact"


class ActionAskLookupCode(_Ask):
    slot, phrase = "lookup_code", "booking_ask_code"


class ActionAskLookupSecret(_Ask):
    slot, phrase = "lookup_secret", "booking_ask_pin"
