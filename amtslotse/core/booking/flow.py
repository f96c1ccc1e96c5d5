"""The booking policy: which times to offer, what to do when nothing fits or a time is gone.

Written against the SchedulingPort (port.py) with the clock passed in, so
the decisions are tested without a server and the action server stays a
thin adapter. Every function returns a Reply whose ``remember`` holds the
slots to set (``booking_offer``, ``booking_hold``, ...).

A time the citizen no longer wants (other times, another pick, new
concerns, declined notice, a failed booking) is given back at once with
:func:`release` (best effort: a slow release goes on in the background and
an unreleased hold expires by itself).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from amtslotse.core.booking import answers
from amtslotse.core.booking.holds import releasable_hold
from amtslotse.core.booking.offers import pick_options
from amtslotse.core.booking.port import SchedulingPort, SchedulingProblem, SchedulingUnavailable
from amtslotse.core.booking.when import Preference, default_preference
from amtslotse.core.concerns import Concern
from amtslotse.core.content.model import Catalogue
from amtslotse.core.reply import Reply

log = logging.getLogger(__name__)

__all__ = ["offer", "hold", "book", "release", "reoffer", "RELEASE_WAIT"]

#: How long a turn waits for a release. A healthy backend answers in milliseconds,
#: and waiting means the freed desks count in the search or hold that follows.
RELEASE_WAIT = 1.5
_releasing: set[asyncio.Task[None]] = set()  # releases still running after their turn


async def _release(port: SchedulingPort, hold_id: str) -> None:
    try:
        await port.release_hold(hold_id)
    except SchedulingUnavailable:
        log.info("a stale hold was not released (backend unavailable); it expires by itself")
    except Exception as exc:  # whatever else goes wrong here must not stop the booking
        log.warning("a stale hold was not released (%s); it expires by itself", type(exc).__name__)


async def release(port: SchedulingPort, held: Any, now: datetime) -> None:
    """Give back the hold in ``held`` (a ``booking_hold`` slot value) if it still blocks a desk."""
    hold_id = releasable_hold(held, now)
    if hold_id is None:
        return
    task = asyncio.ensure_future(_release(port, hold_id))
    _releasing.add(task)
    task.add_done_callback(_releasing.discard)
    await asyncio.wait({task}, timeout=RELEASE_WAIT)


async def offer(
    cat: Catalogue,
    port: SchedulingPort,
    concerns: Sequence[Concern],
    preference: Preference,
    today: date,
    *,
    lines: Sequence[str] = (),
    after: datetime | None = None,
) -> Reply:
    """Up to 3 times for these concerns (one building), or why there are none.

    Nothing fits the citizen's wish: say so and offer the next free times
    instead. The backend down: the hotline. ``after``: only times after it
    ("Andere Zeiten").
    """
    refs = [c.ref for c in concerns]
    text = list(lines)
    try:
        bundles = await port.availability(
            refs, preference.first_day, preference.last_day, preference.daypart
        )
        options = pick_options(bundles, preference, after=after)
        if not options and preference.understood:
            text += answers.no_match_lines(cat)
            fallback = default_preference(today).later(preference.first_day, today)
            bundles = await port.availability(refs, fallback.first_day, fallback.last_day)
            options = pick_options(bundles, fallback, after=after)
    except SchedulingUnavailable:
        return answers.unavailable_reply(cat)
    except SchedulingProblem:
        return answers.none_free_reply(cat, text)
    if not options:
        return answers.none_free_reply(cat, text)
    return answers.offer_reply(cat, options, text)


async def reoffer(
    cat: Catalogue,
    port: SchedulingPort,
    alternatives: Sequence[dict[str, Any]],
    today: date,
    *,
    dropped: Any,
    now: datetime,
) -> Reply:
    """The chosen time is gone (409): the next options at once, or the hotline."""
    await release(port, dropped, now)
    options = pick_options(list(alternatives), default_preference(today))
    lines = answers.slot_taken_lines(cat)
    if not options:
        reply = answers.none_free_reply(cat, lines)
    else:
        reply = answers.offer_reply(cat, options, lines)
    return Reply(reply.lines, reply.buttons, reply.custom, {**reply.remember, "booking_hold": None})


def _held(hold: dict[str, Any], bundle_id: str) -> dict[str, Any]:
    return {
        "hold_id": hold["hold_id"],
        "bundle_id": bundle_id,
        "location_id": hold.get("location_id"),
        "expires_at": hold.get("expires_at"),
        "legs": hold.get("legs") or [],
    }


async def hold(
    cat: Catalogue,
    port: SchedulingPort,
    bundle_id: str,
    today: date,
    *,
    previous: Any,
    conversation: str | None,
    now: datetime,
) -> Reply:
    """Hold the chosen time while the contact form runs (the earlier hold goes first).

    ``conversation``: the backend keeps one live hold per conversation.
    """
    await release(port, previous, now)
    try:
        held = await port.hold(bundle_id, conversation=conversation)
    except SchedulingUnavailable:
        reply = answers.unavailable_reply(cat)
        return Reply(reply.lines, reply.buttons, reply.custom, {"booking_hold": None})
    except SchedulingProblem as problem:
        return await reoffer(cat, port, problem.alternatives, today, dropped=None, now=now)
    return Reply((), remember={"booking_hold": _held(held, bundle_id)})


async def book(
    cat: Catalogue,
    port: SchedulingPort,
    held: dict[str, Any],
    contact: dict[str, str],
    key: str,
    today: date,
    *,
    now: datetime,
) -> tuple[Reply, dict[str, Any] | None]:
    """Book the held time; the booking (or None) and what to say.

    The backend down: the hold and the key stay, "Noch einmal versuchen"
    replays with the same key and never books twice.
    """
    try:
        booking = await port.book(str(held["hold_id"]), contact, key)
    except SchedulingUnavailable:
        return answers.unavailable_reply(cat, retry=True), None
    except SchedulingProblem as problem:
        if problem.alternatives or problem.slug in {"slot-taken", "hold-expired"}:
            return (
                await reoffer(cat, port, problem.alternatives, today, dropped=held, now=now),
                None,
            )
        await release(port, held, now)
        reply = answers.unavailable_reply(cat)
        return Reply(reply.lines, reply.buttons, reply.custom, {"booking_hold": None}), None
    return Reply(()), booking
