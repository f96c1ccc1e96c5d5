"""Actions for concerns and the citizen's list of them.

``action_answer_concern``  a concern (or several, or a child in danger) was named
``action_list_show``       "Was habe ich alles?"
``action_list_remove``     "Das Wohngeld nicht mehr"
``action_answer_yes_no``   "Ja" / "Nein" to the last question the bot asked

Thin adapters: the list is amtslotse/core/concerns.py, what the bot says
amtslotse/core/listing.py and routing.py; a change to the list while times
are offered re-offers through amtslotse/core/booking/flow.py.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import state
from actions.dispatch import send
from actions.runtime import Runtime, runtime
from amtslotse.core import listing, routing
from amtslotse.core.booking import flow
from amtslotse.core.booking.when import Preference, parse_preference, speaks_of_a_time
from amtslotse.core.concerns import ConcernList
from amtslotse.core.content.model import Catalogue
from amtslotse.core.reply import Reply, phrase_lines
from amtslotse.core.routing import INTENT_PREFIX
from amtslotse.core.understanding.resolve import is_removal

DANGER = "kinderschutz"


def _concerns_named(cat: Catalogue, turn: state.Turn) -> list[str]:
    """The services (and questions) the message names, in order."""
    named = [c for c in turn.concerns if c in cat.services or c in cat.clarifications]
    if named:
        return named
    if turn.intent.startswith(INTENT_PREFIX):
        concern = turn.intent[len(INTENT_PREFIX) :]
        if concern in cat.services or concern in cat.clarifications:
            return [concern]
    return []


def _with_list(
    cat: Catalogue, reply: Reply, concerns: ConcernList, booked: tuple[str, ...]
) -> Reply:
    """A single answer on a list of several: the booking question covers the whole list."""
    open_groups = listing.open_groups(concerns, booked)
    if len(concerns) < 2 or not open_groups or len(open_groups[0][1]) < 2:
        return Reply(
            reply.lines,
            reply.buttons,
            reply.custom,
            {**reply.remember, "concern_list": concerns.to_slot()},
        )
    question, buttons, pending = listing.booking_question(cat, concerns, booked)
    kept = tuple(b for b in reply.buttons if not b.payload.startswith(f"/{listing.BOOK}"))
    return Reply(
        (*reply.lines, *question),
        (*buttons, *kept),
        reply.custom,
        {**reply.remember, **pending, "concern_list": concerns.to_slot()},
    )


def _time_wish(rt: Runtime, turn: state.Turn) -> Preference | None:
    """ "Wohngeld, am liebsten Dienstag nachmittag": the wish, kept for the booking."""
    if turn.is_payload or not speaks_of_a_time(turn.text):
        return None
    wish = parse_preference(turn.text, state.today(rt.catalogue, rt.clock()))
    return wish if wish.understood else None


async def _reoffer_if_booking(
    rt: Runtime,
    tracker: Tracker,
    concerns: ConcernList,
    lines: list[str],
    wish: Preference | None = None,
) -> Reply | None:
    """Times are on screen and the list changed: new times for the whole building."""
    location = tracker.get_slot("booking_location")
    if not location or not (tracker.get_slot("booking_offer") or tracker.get_slot("booking_hold")):
        return None
    cat = rt.catalogue
    groups = [
        g for loc, g in listing.open_groups(concerns, state.booked(tracker)) if loc == location
    ]
    now = rt.clock()
    await flow.release(rt.scheduling, tracker.get_slot("booking_hold"), now)
    today = state.today(cat, now)
    if not groups:
        return None
    preference = wish or Preference.from_slot(tracker.get_slot("booking_when"), today)
    return await flow.offer(
        cat,
        rt.scheduling,
        groups[0],
        preference,
        today,
        lines=[*lines, *phrase_lines(cat, "booking_list_changed")],
    )


def _send_reoffer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    cat: Catalogue,
    reoffer: Reply,
    updated: ConcernList,
) -> list[dict[str, Any]]:
    """New times for the changed list: the old hold and an open contact form end."""
    events = state.leave_contact_form(tracker) + [SlotSet("booking_hold", None)]
    events += send(
        dispatcher,
        Reply(
            reoffer.lines,
            reoffer.buttons,
            reoffer.custom,
            {**reoffer.remember, "concern_list": updated.to_slot()},
        ),
    )
    dispatcher.utter_message(json_message=updated.payload(cat))
    return events


class ActionAnswerConcern(Action):
    """anliegen_<service>: the office answer, the list for several, or the emergency numbers."""

    def name(self) -> str:
        return "action_answer_concern"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        rt = runtime()
        cat = rt.catalogue
        turn = state.turn_of(tracker)
        if not turn.is_payload:
            reason = routing.unreadable(turn.text)
            if reason is not None:
                return send(dispatcher, routing.bad_input_reply(cat, reason))
        concerns = state.concern_list(tracker, cat)
        booked = state.booked(tracker)
        named = _concerns_named(cat, turn)
        if turn.danger or DANGER in named:
            return await self._danger(dispatcher, tracker, rt, concerns)
        if named and all(n in concerns for n in named) and is_removal(turn.text):
            # "Das Wohngeld nicht mehr", read as the concern: it is a removal.
            return await ActionListRemove().run(dispatcher, tracker, domain)
        services = [c for c in named if c in cat.services]
        questions = [c for c in named if c in cat.clarifications]
        events: list[dict[str, Any]] = [SlotSet("fallback_count", 0.0)]
        wish = _time_wish(rt, turn)
        if wish is not None:
            events.append(SlotSet("booking_when", wish.as_slot()))
        if len(services) >= 2:
            updated = concerns.add_all(cat, services)
            reply = listing.list_reply(cat, updated, booked=booked)
            events += send(dispatcher, reply)
            for question in questions:  # "ich habe meinen Job verloren" among others
                events += send(
                    dispatcher,
                    routing.clarify_reply(
                        cat, cat.clarifications[question], intent=INTENT_PREFIX + question
                    ),
                )
            return events + [SlotSet("service_id", services[0])]
        if questions and not services:
            reply = routing.clarify_reply(
                cat, cat.clarifications[questions[0]], intent=INTENT_PREFIX + questions[0]
            )
            return (
                events
                + send(dispatcher, reply)
                + [
                    SlotSet(
                        "clarify_candidates",
                        [o.payload_id for o in cat.clarifications[questions[0]].options],
                    )
                ]
            )
        if not services:
            return events + send(dispatcher, routing.no_concern_reply(cat))
        service = cat.services[services[0]]
        office_id = next(
            (
                o
                for o in turn.offices
                if service.choose_office is not None
                and o in {x.payload_id for x in service.choose_office.options}
            ),
            None,
        )
        updated = concerns.add(cat, service.id, office_id)
        if service.choose_office is not None and office_id is not None:
            updated = updated.choose_office(cat, service.id, office_id)
        reoffer = None
        if updated != concerns and len(concerns):
            added = phrase_lines(cat, "list_added", service=service.name)
            reoffer = await _reoffer_if_booking(rt, tracker, updated, added, wish)
        if reoffer is not None:
            return events + _send_reoffer(dispatcher, tracker, cat, reoffer, updated)
        reply = _with_list(cat, routing.office_reply(cat, service, office_id), updated, booked)
        events += send(dispatcher, reply)
        if updated != concerns:
            dispatcher.utter_message(json_message=updated.payload(cat))
        return events + [SlotSet("clarify_candidates", None)]

    async def _danger(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        rt: Runtime,
        concerns: ConcernList,
    ) -> list[dict[str, Any]]:
        """The emergency numbers first, whatever else was going on; never a booking."""
        cat = rt.catalogue
        await flow.release(rt.scheduling, tracker.get_slot("booking_hold"), rt.clock())
        events = state.leave_contact_form(tracker) + state.clear_flow()
        updated = concerns.add(cat, DANGER)
        events += send(dispatcher, routing.office_reply(cat, cat.services[DANGER]))
        dispatcher.utter_message(json_message=updated.payload(cat))
        return events + [
            SlotSet("concern_list", updated.to_slot()),
            SlotSet("service_id", DANGER),
            SlotSet("office_id", cat.services[DANGER].office_id),
            SlotSet("urgent_given", True),
            SlotSet(listing.PENDING, None),
        ]


class ActionListShow(Action):
    """ "Was habe ich alles?": the list, at any point of the conversation."""

    def name(self) -> str:
        return "action_list_show"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        cat = runtime().catalogue
        concerns = state.concern_list(tracker, cat)
        return send(dispatcher, listing.show_reply(cat, concerns, state.booked(tracker)))


class ActionListRemove(Action):
    """ "Das Wohngeld nicht mehr": off the list; new times if it was being booked."""

    def name(self) -> str:
        return "action_list_remove"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        rt = runtime()
        cat = rt.catalogue
        turn = state.turn_of(tracker)
        concerns = state.concern_list(tracker, cat)
        targets = [c for c in turn.concerns if c in concerns]
        if not targets:
            if turn.concerns:
                reply = listing.show_reply(cat, concerns, state.booked(tracker))
                lines = (*phrase_lines(cat, "list_not_on_list"), *reply.lines)
                return send(dispatcher, Reply(lines, reply.buttons, reply.custom, reply.remember))
            return send(dispatcher, listing.remove_which_reply(cat, concerns))
        updated = concerns.remove(targets)
        removed_lines = [
            " ".join(phrase_lines(cat, "list_removed", service=listing.service_name(cat, s)))
            for s in targets
        ]
        reoffer = await _reoffer_if_booking(rt, tracker, updated, removed_lines)
        events: list[dict[str, Any]] = []
        if tracker.get_slot("booking_location") and reoffer is None:
            # The building has nothing left to book: that booking is off.
            events += state.leave_contact_form(tracker) + state.clear_flow()
        if reoffer is not None:
            return events + _send_reoffer(dispatcher, tracker, cat, reoffer, updated)
        return events + send(
            dispatcher, listing.removed_reply(cat, updated, targets, state.booked(tracker))
        )


class ActionAnswerYesNo(Action):
    """ "Ja" or "Nein": the answer to the question the bot asked last (``pending_question``)."""

    def name(self) -> str:
        return "action_answer_yes_no"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        from actions.booking import start_booking
        from actions.booking_manage import answer_cancel_question

        rt = runtime()
        cat = rt.catalogue
        turn = state.turn_of(tracker)
        yes = turn.intent == "affirm"
        pending = tracker.get_slot(listing.PENDING)
        if pending == listing.ASK_BOOK:
            if yes:
                return await start_booking(dispatcher, tracker, rt, confirmed=True)
            dispatcher.utter_message(response="utter_deny_no_context")
            return [SlotSet(listing.PENDING, None)]
        if pending == "confirm_list":
            if yes:
                return await start_booking(dispatcher, tracker, rt, confirmed=True)
            concerns = state.concern_list(tracker, cat)
            return [SlotSet(listing.PENDING, None)] + send(
                dispatcher, listing.remove_which_reply(cat, concerns)
            )
        if pending == "cancel":
            return await answer_cancel_question(dispatcher, tracker, rt, yes=yes)
        if tracker.get_slot("urgent_given") and yes:
            phone = cat.county.jugendamt_emergency_phone
            return [SlotSet("urgent_given", None)] + send(
                dispatcher, Reply(tuple(phrase_lines(cat, "urgent_next", phone=phone)))
            )
        if yes:
            # "Ja" after an answer with "Termin machen": the bot asked nothing, but the
            # concern is on the list. Ask the one booking question (a second "Ja" books),
            # rather than asking for a concern the citizen has already named.
            lines, buttons, remember = listing.booking_question(
                cat, state.concern_list(tracker, cat), state.booked(tracker)
            )
            if lines:
                return send(dispatcher, Reply(tuple(lines), buttons, remember=remember))
        dispatcher.utter_message(
            response="utter_affirm_no_context" if yes else "utter_deny_no_context"
        )
        return []
