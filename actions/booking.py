"""Booking actions: collect concerns, offer times, hold the chosen one, book it.

Thin adapters: the decisions are in amtslotse/booking (pure), the backend is
reached only through actions/api/scheduling.py. Slots (bot/domain/termin.yml):
booking_services (concern refs), booking_pending (offices waiting for the
citizen's choice), booking_later (concerns in another building),
booking_when (the time wish), booking_offer (options shown), booking_hold.

A hold the citizen no longer wants (privacy notice declined, other times asked
for, another time picked, new concerns, the booking failed) is released at
once, so the desk is free for others; best effort, it expires anyway.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.api.scheduling import SchedulingProblem, SchedulingUnavailable, scheduling_client
from actions.audit import record
from actions.catalogue import get_catalogue
from actions.dispatch import send
from amtslotse.core.booking import answers
from amtslotse.core.booking.concerns import (
    Concern,
    Selection,
    add_concerns,
    parse_refs,
    split_by_location,
)
from amtslotse.core.booking.holds import releasable_hold
from amtslotse.core.booking.offers import idempotency_key, pick_options, start_of
from amtslotse.core.booking.when import Preference, default_preference, parse_preference
from amtslotse.core.contact import contact_for
from amtslotse.core.content.model import Catalogue
from amtslotse.core.reply import Reply

log = logging.getLogger(__name__)

# Slots of one booking in progress; cleared when it ends (booked or declined).
FLOW_SLOTS = (
    "booking_services",
    "booking_pending",
    "booking_when",
    "booking_offer",
    "booking_hold",
    "booking_privacy",
    "contact_name",
    "contact_value",
)


def today(cat: Catalogue) -> date:
    return datetime.now(ZoneInfo(cat.county.timezone)).date()


def entity_values(tracker: Tracker, name: str) -> list[str]:
    out: list[str] = []
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == name and entity.get("value"):
            for part in str(entity["value"]).split(answers.REF_JOINER):
                if part and part not in out:
                    out.append(part)
    return out


def latest_intent(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def concerns_slot(concerns: tuple[Concern, ...] | list[Concern]) -> list[str]:
    return [c.ref for c in concerns]


CONTACT_FORM = "booking_contact_form"


def leave_contact_form(tracker: Tracker) -> list[dict[str, Any]]:
    """End the contact form when new concerns or other times interrupt it.

    The held time is gone then, so the form has nothing to ask for; the next
    pick of a time starts it again, with what the citizen already gave.
    """
    if tracker.active_loop_name != CONTACT_FORM:
        return []
    return [ActiveLoop(None), SlotSet("requested_slot", None)]


def clear_flow(keep_later: bool = False) -> list[dict[str, Any]]:
    events = [SlotSet(name, None) for name in FLOW_SLOTS]
    if not keep_later:
        events.append(SlotSet("booking_later", None))
    return events


# How long a turn waits for a release. A healthy backend answers in milliseconds,
# and waiting means the freed desks count in the search or hold that follows; the
# client retries a release for up to ~13 s, which a citizen must not wait for.
RELEASE_WAIT = 1.5
_releasing: set[asyncio.Task[None]] = set()  # releases still running after their turn


async def _release(hold_id: str) -> None:
    try:
        await scheduling_client().release_hold(hold_id)
    except SchedulingUnavailable:
        log.info("a stale hold was not released (backend unavailable); it expires by itself")
    except Exception:
        # Whatever else goes wrong here must not stop the booking either.
        log.warning("a stale hold was not released; it expires by itself", exc_info=True)


async def release_stale_hold(held: Any) -> None:
    """Give back the hold in ``held`` (a booking_hold value) that is no longer wanted.

    Best effort and silent: if the backend fails, the hold expires by itself,
    and the citizen's conversation goes on as if it had been released. A slow
    release goes on in the background after RELEASE_WAIT seconds.
    """
    hold_id = releasable_hold(held, datetime.now(timezone.utc))
    if hold_id is None:
        return
    task = asyncio.ensure_future(_release(hold_id))
    _releasing.add(task)
    task.add_done_callback(_releasing.discard)
    await asyncio.wait({task}, timeout=RELEASE_WAIT)


async def offer_times(
    dispatcher: CollectingDispatcher,
    cat: Catalogue,
    concerns: tuple[Concern, ...],
    preference: Preference,
    *,
    lines: list[str] | None = None,
    after: datetime | None = None,
    later: tuple[Concern, ...] = (),
) -> list[dict[str, Any]]:
    """Search the backend and offer up to 3 times; split by building if it must."""
    lines = list(lines or [])
    client = scheduling_client()
    events: list[dict[str, Any]] = []
    try:
        try:
            bundles = await client.availability(
                [c.ref for c in concerns],
                preference.first_day,
                preference.last_day,
                preference.daypart,
            )
        except SchedulingProblem as problem:
            if problem.slug != "mixed-locations":
                raise
            # Different buildings: book the first building's concerns now, the rest later.
            now, rest = split_by_location(concerns, problem.locations)
            office = cat.offices[now[0].office_id]
            lines += answers.split_lines(cat, office.location_id)
            concerns, later = now, (*later, *rest)
            events += [
                SlotSet("booking_services", concerns_slot(concerns)),
                SlotSet("booking_later", concerns_slot(later)),
            ]
            bundles = await client.availability(
                [c.ref for c in concerns],
                preference.first_day,
                preference.last_day,
                preference.daypart,
            )
        options = pick_options(bundles, preference, after=after)
        if not options and preference.understood:
            # Nothing fits the wish: say so and show the next free times instead.
            lines += answers.no_match_lines(cat)
            fallback = default_preference(today(cat)).later(preference.first_day, today(cat))
            bundles = await client.availability(
                [c.ref for c in concerns], fallback.first_day, fallback.last_day
            )
            options = pick_options(bundles, fallback, after=after)
    except SchedulingUnavailable:
        return events + send(dispatcher, answers.unavailable_reply(cat))
    except SchedulingProblem:
        return events + send(dispatcher, answers.none_free_reply(cat, lines))
    if not options:
        return events + send(dispatcher, answers.none_free_reply(cat, lines))
    return events + send(dispatcher, answers.offer_reply(cat, options, lines))


class ActionBookingStart(Action):
    """termin_buchen: add the named concerns (or the one just answered), then offer times."""

    def name(self) -> str:
        return "action_booking_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        cat = get_catalogue()
        # A new choice of concerns makes any earlier offer and hold stale.
        await release_stale_hold(tracker.get_slot("booking_hold"))
        current = Selection(
            parse_refs(tracker.get_slot("booking_services") or []),
            tuple(tracker.get_slot("booking_pending") or []),
        )
        services = entity_values(tracker, "service")
        offices = entity_values(tracker, "office")
        remembered = tracker.get_slot("service_id")
        if not services and not offices and not current.concerns and remembered:
            services = [remembered]  # "Ja, Termin machen" typed after an office answer
        selection = add_concerns(
            cat, current, services=services, offices=offices, remembered_service=remembered
        )
        lines = [ln for r in selection.refusals for ln in answers.refusal_lines(cat, r)]
        events: list[dict[str, Any]] = [
            *leave_contact_form(tracker),
            SlotSet("booking_services", concerns_slot(selection.concerns)),
            SlotSet("booking_pending", list(selection.pending_offices)),
            SlotSet("booking_offer", None),
            SlotSet("booking_hold", None),
        ]
        if selection.pending_offices:
            reply = answers.ask_service_reply(cat, selection.pending_offices[0], lines)
            return events + send(dispatcher, reply)
        if not selection.concerns:
            if lines:
                return events + send(dispatcher, Reply(tuple(lines)))
            return events + send(dispatcher, answers.ask_office_reply(cat))
        text = tracker.latest_message.get("text") or ""
        preference = Preference.from_slot(tracker.get_slot("booking_when"), today(cat))
        if not text.startswith("/"):
            wish = parse_preference(text, today(cat))
            if wish.understood:
                preference = wish
                events.append(SlotSet("booking_when", wish.as_slot()))
        lines += answers.concerns_lines(cat, selection.concerns)
        later = parse_refs(tracker.get_slot("booking_later") or [])
        return events + await offer_times(
            dispatcher, cat, selection.concerns, preference, lines=lines, later=later
        )


class ActionBookingSearch(Action):
    """termin_zeit ("Dienstag nachmittag") and "Andere Zeiten": new options at once."""

    def name(self) -> str:
        return "action_booking_search"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        cat = get_catalogue()
        concerns = parse_refs(tracker.get_slot("booking_services") or [])
        if not concerns:
            remembered = add_concerns(
                cat, Selection(), services=[tracker.get_slot("service_id") or ""]
            ).concerns
            if not remembered:
                return send(dispatcher, answers.ask_office_reply(cat))
            concerns = remembered
        # Other times wanted: the time held so far is not (released before the search,
        # so its desks count as free again).
        await release_stale_hold(tracker.get_slot("booking_hold"))
        events: list[dict[str, Any]] = [
            *leave_contact_form(tracker),
            SlotSet("booking_services", concerns_slot(concerns)),
            SlotSet("booking_hold", None),
        ]
        stored = Preference.from_slot(tracker.get_slot("booking_when"), today(cat))
        after = None
        if latest_intent(tracker) == answers.OTHER_TIMES:
            shown = tracker.get_slot("booking_offer") or []
            if shown:
                after = max(start_of(b) for b in shown)
                stored = stored.later(after.date(), today(cat))
            preference = stored
        else:
            preference = parse_preference(tracker.latest_message.get("text") or "", today(cat))
            events.append(SlotSet("booking_when", preference.as_slot()))
        later = parse_refs(tracker.get_slot("booking_later") or [])
        return events + await offer_times(
            dispatcher, cat, concerns, preference, after=after, later=later
        )


def _held(hold: dict[str, Any], bundle_id: str) -> dict[str, Any]:
    return {
        "hold_id": hold["hold_id"],
        "bundle_id": bundle_id,
        "location_id": hold.get("location_id"),
        "expires_at": hold.get("expires_at"),
        "legs": hold.get("legs") or [],
    }


async def reoffer(
    dispatcher: CollectingDispatcher,
    cat: Catalogue,
    alternatives: list[dict[str, Any]],
    *,
    dropped: Any = None,
) -> list[dict[str, Any]]:
    """The chosen time is gone (409): the next options at once, or the hotline.

    ``dropped`` is the booking_hold value this gives up; it is released.
    """
    await release_stale_hold(dropped)
    options = pick_options(alternatives, default_preference(today(cat)))
    lines = answers.slot_taken_lines(cat)
    events: list[dict[str, Any]] = [SlotSet("booking_hold", None)]
    if not options:
        return events + send(dispatcher, answers.none_free_reply(cat, lines))
    return events + send(dispatcher, answers.offer_reply(cat, options, lines))


class ActionBookingHold(Action):
    """termin_waehlen: hold the chosen bundle while the contact form runs."""

    def name(self) -> str:
        return "action_booking_hold"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        cat = get_catalogue()
        bundle_ids = entity_values(tracker, "bundle_id")
        if not bundle_ids:
            shown = tracker.get_slot("booking_offer") or []
            if not shown:
                return send(dispatcher, answers.ask_office_reply(cat))
            return send(dispatcher, answers.offer_reply(cat, shown))
        # Another time (or the same one again) is picked: the earlier hold goes first,
        # so its desks are free for this one.
        await release_stale_hold(tracker.get_slot("booking_hold"))
        try:
            hold = await scheduling_client().hold(bundle_ids[0])
        except SchedulingUnavailable:
            return [SlotSet("booking_hold", None)] + send(
                dispatcher, answers.unavailable_reply(cat)
            )
        except SchedulingProblem as problem:
            return await reoffer(dispatcher, cat, problem.alternatives)
        return [SlotSet("booking_hold", _held(hold, bundle_ids[0]))]


class ActionBookingConfirm(Action):
    """After the contact form: book the held bundle, or end politely if declined."""

    def name(self) -> str:
        return "action_booking_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        cat = get_catalogue()
        hold = tracker.get_slot("booking_hold")
        if tracker.get_slot("booking_privacy") is False:
            # Nothing is booked: the held time is free for others at once.
            await release_stale_hold(hold)
            return clear_flow() + send(dispatcher, answers.privacy_declined_reply(cat))
        name, value = tracker.get_slot("contact_name"), tracker.get_slot("contact_value")
        if not isinstance(hold, dict) or not name or not value:
            return []  # no time held (e.g. it was gone): the new options are on screen
        key = idempotency_key(tracker.sender_id, str(hold["hold_id"]))
        try:
            booking = await scheduling_client().book(
                str(hold["hold_id"]), contact_for(name, value).as_dict(), key
            )
        except SchedulingUnavailable:
            # The hold and the key stay: "Noch einmal versuchen" replays, never books twice.
            return send(dispatcher, answers.unavailable_reply(cat, retry=True))
        except SchedulingProblem as problem:
            if problem.alternatives or problem.slug in {"slot-taken", "hold-expired"}:
                return await reoffer(dispatcher, cat, problem.alternatives, dropped=hold)
            # The booking is given up: so is its hold.
            await release_stale_hold(hold)
            return clear_flow() + send(dispatcher, answers.unavailable_reply(cat))
        record(tracker, "booked", str(booking.get("booking_code", "")))
        events = clear_flow(keep_later=True)
        events += send(
            dispatcher, answers.confirmed_reply(cat, booking, str(booking["access_token"]))
        )
        later = parse_refs(tracker.get_slot("booking_later") or [])
        if later:
            events += send(dispatcher, answers.later_reply(cat, later))
            events.append(SlotSet("booking_later", None))
        return events
