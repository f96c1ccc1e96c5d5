"""Booking actions: from the list to times, hold the chosen one, book it.

Thin adapters: the list is amtslotse/core/concerns.py, the policy (which
times, what when nothing fits, a time gone) amtslotse/core/booking/flow.py,
the backend the runtime's scheduling client. Slots (bot/domain/termin.yml):
concern_list, booked_services, booking_location (the building being booked
now), booking_when (the time wish), booking_offer (options shown),
booking_hold; rebook_code/rebook_secret while an appointment is moved.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import state
from actions.audit import record
from actions.dispatch import send
from actions.runtime import Runtime, runtime
from amtslotse.core import listing, routing
from amtslotse.core.booking import answers, flow
from amtslotse.core.booking.offers import idempotency_key, start_of
from amtslotse.core.booking.port import SchedulingProblem, SchedulingUnavailable
from amtslotse.core.booking.when import Preference, parse_preference
from amtslotse.core.concerns import Concern, ConcernList, bookable_services, parse_refs
from amtslotse.core.contact import contact_for
from amtslotse.core.content.model import Catalogue
from amtslotse.core.reply import Button, Reply, phrase_lines


def _named(
    cat: Catalogue, turn: state.Turn, concerns: ConcernList, waiting: list[str]
) -> tuple[ConcernList, list[str]]:
    """The list with what this booking request names; offices that still need a service."""
    updated = concerns
    for concern in parse_refs(turn.refs):
        updated = updated.add(cat, concern.service_id, concern.office_id)
        updated = updated.choose_office(cat, concern.service_id, concern.office_id)
    for ref in turn.refs:
        if ":" not in ref:
            updated = updated.add(cat, ref)
    updated = updated.add_all(cat, [c for c in turn.concerns if c in cat.services])
    pending = [o for o in waiting if not any(i.office_id == o for i in updated.items)]
    for office_id in turn.offices:
        if office_id not in cat.offices or any(i.office_id == office_id for i in updated.items):
            continue
        choices = bookable_services(cat, office_id)
        if len(choices) == 1:
            updated = updated.add(cat, choices[0].id, office_id)
        elif choices and office_id not in pending:
            pending.append(office_id)
    return updated, pending


def _refusal_lines(cat: Catalogue, concerns: ConcernList) -> list[str]:
    """Why named concerns get no booking (walk-in, another authority)."""
    return [
        listing.item_line(cat, i)
        for i in concerns.items
        if not i.bookable and i.kind != "urgent" and i.office_id is not None
    ]


def _wish(
    tracker: Tracker, turn: state.Turn, today: Any
) -> tuple[Preference, list[dict[str, Any]]]:
    preference = Preference.from_slot(tracker.get_slot("booking_when"), today)
    if turn.is_payload:
        return preference, []
    wish = parse_preference(turn.text, today)
    if wish.understood:
        return wish, [SlotSet("booking_when", wish.as_slot())]
    return preference, []


async def offer_group(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    rt: Runtime,
    location: str,
    group: tuple[Concern, ...],
    *,
    lines: list[str],
    preference: Preference,
) -> list[dict[str, Any]]:
    cat = rt.catalogue
    today = state.today(cat, rt.clock())
    reply = await flow.offer(cat, rt.scheduling, group, preference, today, lines=lines)
    return [SlotSet("booking_location", location), SlotSet(listing.PENDING, None)] + send(
        dispatcher, reply
    )


async def start_booking(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    rt: Runtime,
    *,
    confirmed: bool,
) -> list[dict[str, Any]]:
    """termin_buchen (or "Ja" to the booking question): the list's next building, or ask first."""
    cat = rt.catalogue
    turn = state.turn_of(tracker)
    now = rt.clock()
    await flow.release(rt.scheduling, tracker.get_slot("booking_hold"), now)
    before = state.concern_list(tracker, cat)
    concerns, pending_offices = _named(
        cat, turn, before, list(tracker.get_slot("booking_pending") or [])
    )
    booked = state.booked(tracker)
    events: list[dict[str, Any]] = [
        *state.leave_contact_form(tracker),
        SlotSet("concern_list", concerns.to_slot()),
        SlotSet("booking_pending", pending_offices),
        SlotSet("booking_offer", None),
        SlotSet("booking_hold", None),
    ]
    if concerns != before:
        dispatcher.utter_message(json_message=concerns.payload(cat))
    if pending_offices:
        return events + send(dispatcher, answers.ask_service_reply(cat, pending_offices[0]))
    groups = listing.open_groups(concerns, booked)
    if not groups:
        lines = _refusal_lines(cat, concerns)
        if lines:
            return events + send(dispatcher, Reply(tuple(lines)))
        if concerns.undecided():
            # "Bildung und Teilhabe": which office, first.
            item = concerns.undecided()[0]
            service = cat.services[item.service_id]
            return events + send(dispatcher, routing.office_reply(cat, service))
        return events + send(dispatcher, answers.ask_office_reply(cat))
    today = state.today(cat, now)
    preference, wish_events = _wish(tracker, turn, today)
    events += wish_events
    location, group = groups[0]
    explicit = bool(turn.refs) and all(c.ref in turn.refs for c in group)
    if not (confirmed or explicit) and len(concerns) > 1:
        # "Termin bitte" after several concerns: show what is booked, ask once.
        lines = phrase_lines(cat, "booking_confirm_list") + [
            " ".join(
                phrase_lines(
                    cat,
                    "booking_concern",
                    office=cat.offices[c.office_id].name,
                    service=listing.service_name(cat, c.service_id),
                )
            )
            for c in group
        ]
        lines += phrase_lines(cat, "booking_confirm_question")
        buttons = (
            Button(
                " ".join(phrase_lines(cat, "booking_button_confirm_yes")),
                listing.book_payload(group),
            ),
            Button(" ".join(phrase_lines(cat, "booking_button_confirm_no")), "/deny"),
        )
        return events + send(
            dispatcher,
            Reply(tuple(lines), buttons, remember={listing.PENDING: "confirm_list"}),
        )
    lines = _refusal_lines(
        cat, ConcernList(tuple(i for i in concerns.items if i not in before.items))
    )
    if len(groups) > 1:
        lines += answers.split_lines(cat, location)
    lines += answers.concerns_lines(cat, group)
    return events + await offer_group(
        dispatcher, tracker, rt, location, group, lines=lines, preference=preference
    )


class ActionBookingStart(Action):
    """termin_buchen: book the list (asking once), or what the message names."""

    def name(self) -> str:
        return "action_booking_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await start_booking(dispatcher, tracker, runtime(), confirmed=False)


def _current_group(tracker: Tracker, cat: Catalogue) -> tuple[str, tuple[Concern, ...]] | None:
    concerns = state.concern_list(tracker, cat)
    groups = listing.open_groups(concerns, state.booked(tracker))
    location = tracker.get_slot("booking_location")
    for loc, group in groups:
        if loc == location:
            return loc, group
    if not groups and tracker.get_slot("service_id"):
        again = concerns.add(cat, str(tracker.get_slot("service_id")))
        groups = listing.open_groups(again, state.booked(tracker))
    return groups[0] if groups else None


class ActionBookingSearch(Action):
    """termin_zeit ("Dienstag nachmittag") and "Andere Zeiten": new options at once."""

    def name(self) -> str:
        return "action_booking_search"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        rt = runtime()
        cat = rt.catalogue
        turn = state.turn_of(tracker)
        current = _current_group(tracker, cat)
        if current is None or (turn.concerns and not tracker.get_slot("booking_offer")):
            # "Wohngeld, am liebsten Dienstag nachmittag": the booking starts with the wish.
            return await start_booking(dispatcher, tracker, rt, confirmed=False)
        location, group = current
        now = rt.clock()
        # Other times wanted: the time held so far is not (released before the search,
        # so its desks count as free again).
        await flow.release(rt.scheduling, tracker.get_slot("booking_hold"), now)
        today = state.today(cat, now)
        events: list[dict[str, Any]] = [
            *state.leave_contact_form(tracker),
            SlotSet("booking_hold", None),
        ]
        stored = Preference.from_slot(tracker.get_slot("booking_when"), today)
        after = None
        if turn.intent == answers.OTHER_TIMES:
            shown = tracker.get_slot("booking_offer") or []
            if shown:
                after = max(start_of(b) for b in shown)
                stored = stored.later(after.date(), today)
            preference = stored
        else:
            preference = parse_preference(turn.text, today)
            events.append(SlotSet("booking_when", preference.as_slot()))
        reply = await flow.offer(cat, rt.scheduling, group, preference, today, after=after)
        return events + [SlotSet("booking_location", location)] + send(dispatcher, reply)


class ActionBookingHold(Action):
    """termin_waehlen: hold the chosen bundle while the contact form runs."""

    def name(self) -> str:
        return "action_booking_hold"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        rt = runtime()
        cat = rt.catalogue
        message = tracker.latest_message or {}
        bundle_ids = [
            str(e["value"])
            for e in message.get("entities") or []
            if e.get("entity") == "bundle_id" and e.get("value")
        ]
        shown = tracker.get_slot("booking_offer") or []
        if not bundle_ids:
            if not shown:
                return send(dispatcher, answers.ask_office_reply(cat))
            return send(dispatcher, answers.offer_reply(cat, shown))
        if shown and bundle_ids[0] not in {b.get("bundle_id") for b in shown}:
            # Only a time this conversation was offered can be held.
            return send(dispatcher, answers.offer_reply(cat, shown))
        now = rt.clock()
        reply = await flow.hold(
            cat,
            rt.scheduling,
            bundle_ids[0],
            state.today(cat, now),
            previous=tracker.get_slot("booking_hold"),
            conversation=tracker.sender_id,
            now=now,
        )
        return send(dispatcher, reply)


class ActionBookingConfirm(Action):
    """After the contact form: book the held bundle, or end politely if declined."""

    def name(self) -> str:
        return "action_booking_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        rt = runtime()
        cat = rt.catalogue
        now = rt.clock()
        held = tracker.get_slot("booking_hold")
        if tracker.get_slot("booking_privacy") is False:
            # Nothing is booked: the held time is free for others at once.
            await flow.release(rt.scheduling, held, now)
            return state.clear_flow() + send(dispatcher, answers.privacy_declined_reply(cat))
        name, value = tracker.get_slot("contact_name"), tracker.get_slot("contact_value")
        if not isinstance(held, dict) or not name or not value:
            return []  # no time held (e.g. it was gone): the new options are on screen
        key = idempotency_key(tracker.sender_id, str(held["hold_id"]))
        reply, booking = await flow.book(
            cat,
            rt.scheduling,
            held,
            contact_for(name, value).as_dict(),
            key,
            state.today(cat, now),
            now=now,
        )
        if booking is None:
            events = send(dispatcher, reply)
            if "booking_hold" in reply.remember and reply.remember["booking_hold"] is None:
                return state.clear_flow() + events if not reply.buttons else events
            return events
        # Kept for this conversation's own later "absagen" (never shown); the
        # citizen sees the code and the PIN, which open the booking anywhere.
        secret = str(booking.get("access_token") or booking.get("pin") or "")
        record(tracker, "booked", str(booking.get("booking_code", "")))
        events = state.clear_flow()
        booked = [*state.booked(tracker), *(leg["service_id"] for leg in booking["legs"])]
        events.append(SlotSet("booked_services", list(dict.fromkeys(booked))))
        events += send(dispatcher, answers.confirmed_reply(cat, booking, secret))
        events += await _finish_rebooking(dispatcher, tracker, rt)
        concerns = state.concern_list(tracker, cat)
        question, buttons, pending = listing.booking_question(cat, concerns, booked)
        if buttons:
            location = listing.open_groups(concerns, booked)[0][0]
            lines = phrase_lines(cat, "booking_next_house", place=listing.place(cat, location))
            events += send(dispatcher, Reply(tuple(lines), buttons[:2], remember=dict(pending)))
        return events


async def _finish_rebooking(
    dispatcher: CollectingDispatcher, tracker: Tracker, rt: Runtime
) -> list[dict[str, Any]]:
    """A moved appointment: only now, with the new one booked, the old one is cancelled."""
    code, secret = tracker.get_slot("rebook_code"), tracker.get_slot("rebook_secret")
    if not code or not secret:
        return []
    events: list[dict[str, Any]] = [SlotSet("rebook_code", None), SlotSet("rebook_secret", None)]
    try:
        await rt.scheduling.cancel(str(code), str(secret), conversation=tracker.sender_id)
    except (SchedulingUnavailable, SchedulingProblem):
        return events + send(dispatcher, answers.unavailable_reply(rt.catalogue))
    return events + send(dispatcher, Reply(tuple(phrase_lines(rt.catalogue, "rebook_done"))))
