"""Show, cancel or move a booking: always shown first, cancelled only after "Ja".

- A code the citizen types is the code used, never the one this
  conversation booked; an unknown code cancels nothing.
- Without the booking in this conversation (a fresh chat, another PC), the
  bot asks for the code and the PIN (booking_lookup_form).
- Moving keeps the concerns and offers new times; the old booking is
  cancelled only once the new one stands (actions/booking.py).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import state
from actions.audit import record
from actions.dispatch import send
from actions.runtime import Runtime, runtime
from amtslotse.core import listing
from amtslotse.core.booking import answers
from amtslotse.core.booking.port import SchedulingProblem, SchedulingUnavailable
from amtslotse.core.booking.reference import find_code, find_code_like
from amtslotse.core.booking.when import Preference, parse_preference
from amtslotse.core.reply import Button, Reply, phrase_lines

SHOW, CANCEL, MOVE = "show", "cancel", "move"
_PURPOSE = {"termin_anzeigen": SHOW, "termin_absagen": CANCEL, "termin_verschieben": MOVE}
#: Statuses of the backend that mean "too many wrong tries".
_LOCKED = {423, 429}


def _phrase(rt: Runtime, key: str, **values: Any) -> tuple[str, ...]:
    return tuple(phrase_lines(rt.catalogue, key, **values))


def _refused(rt: Runtime, problem: SchedulingProblem) -> Reply:
    """A 4xx for a code and secret: locked after too many wrong PINs, else not found."""
    if problem.status in _LOCKED:
        return answers.locked_reply(rt.catalogue, problem.problem.get("retry_after_seconds"))
    return answers.not_found_reply(rt.catalogue)


async def _lookup(
    rt: Runtime, code: str, secret: str, conversation: str
) -> tuple[dict[str, Any] | None, Reply | None]:
    """The booking, or what to say instead (not found, locked, backend down).

    ``conversation`` is who asks: the backend counts wrong PINs per conversation.
    """
    try:
        return await rt.scheduling.booking(code, secret, conversation=conversation), None
    except SchedulingUnavailable:
        return None, answers.unavailable_reply(rt.catalogue)
    except SchedulingProblem as problem:
        return None, _refused(rt, problem)


class ActionBookingManage(Action):
    """termin_absagen, termin_anzeigen, termin_verschieben (and the end of the lookup form)."""

    def name(self) -> str:
        return "action_booking_manage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        rt = runtime()
        cat = rt.catalogue
        turn = state.turn_of(tracker)
        purpose = _PURPOSE.get(turn.intent) or tracker.get_slot("booking_purpose") or SHOW
        events: list[dict[str, Any]] = [SlotSet("booking_purpose", purpose)]
        looked_up = tracker.get_slot("lookup_code"), tracker.get_slot("lookup_secret")
        if looked_up[0] and looked_up[1]:
            # The lookup form is done: what the citizen typed is used once.
            code, secret = str(looked_up[0]), str(looked_up[1])
            events += [SlotSet("lookup_code", None), SlotSet("lookup_secret", None)]
        else:
            typed = None if turn.is_payload else find_code_like(turn.text)
            known = tracker.get_slot("booking_code"), tracker.get_slot("booking_token")
            if typed is not None and typed != known[0]:
                if find_code(typed) is None:
                    return events + send(dispatcher, Reply(_phrase(rt, "booking_code_unknown")))
                # Another booking than this conversation's: its PIN first.
                return events + [
                    SlotSet("lookup_code", find_code(typed)),
                    FollowupAction("booking_lookup_form"),
                ]
            if not known[0] or not known[1]:
                return events + [FollowupAction("booking_lookup_form")]
            code, secret = str(known[0]), str(known[1])
        booking, problem = await _lookup(rt, code, secret, tracker.sender_id)
        if booking is None:
            assert problem is not None
            return events + send(dispatcher, problem)
        shown = answers.show_reply(cat, booking)
        if booking.get("status") == "cancelled" or purpose == SHOW:
            return events + send(dispatcher, shown)
        if purpose == CANCEL:
            question = Reply(
                (*shown.lines, *_phrase(rt, "cancel_confirm")),
                buttons=(
                    Button(" ".join(_phrase(rt, "booking_button_cancel_yes")), "/affirm"),
                    Button(" ".join(_phrase(rt, "booking_button_cancel_no")), "/deny"),
                ),
                remember={
                    listing.PENDING: "cancel",
                    "manage_code": code,
                    "manage_secret": secret,
                },
            )
            return events + send(dispatcher, question)
        return events + await _move(dispatcher, tracker, rt, booking, code, secret)


async def _move(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    rt: Runtime,
    booking: dict[str, Any],
    code: str,
    secret: str,
) -> list[dict[str, Any]]:
    """ "Ich kann an dem Tag nicht": the same concerns, new times; the old booking stays."""
    from actions.booking import offer_group

    cat = rt.catalogue
    concerns = state.concern_list(tracker, cat)
    legs = booking.get("legs") or []
    for leg in legs:
        concerns = concerns.add(cat, leg["service_id"], leg["office_id"])
    group = tuple(c for c in answers.concerns_of(booking))
    location = str(booking.get("location_id") or "")
    today = state.today(cat, rt.clock())
    turn = state.turn_of(tracker)
    wish = parse_preference(turn.text, today) if not turn.is_payload else None
    preference = wish if wish is not None and wish.understood else Preference.from_slot(None, today)
    booked = [s for s in state.booked(tracker) if s not in {leg["service_id"] for leg in legs}]
    events: list[dict[str, Any]] = [
        SlotSet("concern_list", concerns.to_slot()),
        SlotSet("booked_services", booked),
        SlotSet("rebook_code", code),
        SlotSet("rebook_secret", secret),
    ]
    if wish is not None and wish.understood:
        events.append(SlotSet("booking_when", wish.as_slot()))
    return events + await offer_group(
        dispatcher,
        tracker,
        rt,
        location,
        group,
        lines=list(_phrase(rt, "rebook_intro")),
        preference=preference,
    )


async def answer_cancel_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, rt: Runtime, *, yes: bool
) -> list[dict[str, Any]]:
    """ "Möchten Sie diesen Termin absagen?": only "Ja" cancels."""
    cat = rt.catalogue
    code, secret = tracker.get_slot("manage_code"), tracker.get_slot("manage_secret")
    events: list[dict[str, Any]] = [
        SlotSet(listing.PENDING, None),
        SlotSet("manage_code", None),
        SlotSet("manage_secret", None),
    ]
    if not yes or not code or not secret:
        return events + send(dispatcher, Reply(_phrase(rt, "cancel_kept")))
    try:
        booking = await rt.scheduling.cancel(str(code), str(secret), conversation=tracker.sender_id)
    except SchedulingUnavailable:
        return events + send(dispatcher, answers.unavailable_reply(cat))
    except SchedulingProblem as problem:
        return events + send(dispatcher, _refused(rt, problem))
    record(tracker, "cancelled", str(code))
    if code == tracker.get_slot("booking_code"):
        events += [SlotSet("booking_code", None), SlotSet("booking_token", None)]
        gone = {leg["service_id"] for leg in booking.get("legs") or []}
        events.append(
            SlotSet("booked_services", [s for s in state.booked(tracker) if s not in gone])
        )
    return events + send(dispatcher, answers.cancelled_reply(cat, booking))
