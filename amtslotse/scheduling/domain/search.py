"""Bundle search: appointment times for 1-4 services at one location.

A bundle puts every requested service on one day, back to back, in any order,
with at most ``rules.max_gap`` between two legs. Each leg lies inside one
opening window (it never spans the lunch closure) and needs a free desk of its
office for its whole length. Pure functions: the caller passes the calendar,
the desk board and "now".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from amtslotse.scheduling.clock import local_day_bounds
from amtslotse.scheduling.domain.calendar import LocationCalendar, Window
from amtslotse.scheduling.domain.capacity import (
    SLOT,
    DeskBoard,
    slot_end_index,
    slot_index,
    slot_start,
)
from amtslotse.scheduling.domain.model import (
    DEFAULT_RULES,
    Bundle,
    Daypart,
    Leg,
    SearchRules,
    ServiceOption,
)

MAX_SERVICES = 4
_SLOT_MINUTES = int(SLOT.total_seconds() // 60)


class NotBookable(Exception):
    """A bundle fails a rule; ``reason`` says which (safe to show)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def orderings(options: Sequence[ServiceOption]) -> list[tuple[ServiceOption, ...]]:
    """All distinct orders of the requested services, the requested order first."""
    return list(dict.fromkeys(itertools.permutations(options)))


def _inside(windows: Sequence[Window], start: datetime, end: datetime) -> bool:
    return any(w_start <= start and end <= w_end for w_start, w_end in windows)


def _runs(mask: int, length: int) -> int:
    """Bits ``i`` of ``mask`` that start a run of ``length`` set bits (i .. i+length-1)."""
    result, span = mask, 1
    while span < length:
        step = min(span, length - span)
        result &= result >> step
        span += step
    return result


def _bits(mask: int, low: int, high: int) -> Iterator[int]:
    """Set bits of ``mask`` from ``low`` to ``high`` (inclusive), lowest first."""
    window = (mask >> low) & ((1 << (high - low + 1)) - 1) if high >= low else 0
    while window:
        lowest = window & -window
        yield low + lowest.bit_length() - 1
        window ^= lowest


@dataclass(frozen=True)
class _Day:
    """One local day on the slot grid: bit ``i`` is the slot starting at ``origin + i*SLOT``."""

    origin: datetime
    open_starts: tuple[int, ...]  # first-leg candidates (slot numbers)
    can_start: dict[ServiceOption, int]  # slots where a leg fits a window and a free desk


def _plan_day(
    day: date,
    calendar: LocationCalendar,
    board: DeskBoard,
    options: Sequence[ServiceOption],
    step: timedelta,
) -> _Day | None:
    windows = calendar.windows(day)
    if not windows:
        return None
    origin, day_end = local_day_bounds(day, calendar.zone)
    first = slot_index(origin)
    count = slot_end_index(day_end) - first
    open_mask = 0
    starts: list[int] = []
    step_slots = max(1, step // SLOT)
    for w_start, w_end in windows:
        # Only slots wholly inside a window count as open (windows on the grid lose nothing).
        low, high = slot_end_index(w_start) - first, slot_index(w_end) - first
        if high > low:
            open_mask |= ((1 << (high - low)) - 1) << low
            starts.extend(range(low, high, step_slots))
    can_start: dict[ServiceOption, int] = {}
    full = (1 << count) - 1
    for option in options:
        length = -(-option.minutes * 60 // int(SLOT.total_seconds()))
        any_desk = 0
        for desk in range(1, board.desks(option.office_id) + 1):
            free = ~board.taken_mask(option.office_id, desk, first, count) & full
            any_desk |= _runs(free, length)
        can_start[option] = any_desk & _runs(open_mask, length)
    return _Day(origin, tuple(starts), can_start)


def _chain(
    order: Sequence[ServiceOption], start: int, plan: _Day, max_gap_minutes: int
) -> tuple[int, ...] | None:
    """Start slots for ``order`` with the first leg at ``start`` (backtracking), or None."""
    option = order[0]
    if not (plan.can_start[option] >> start) & 1:
        return None
    if len(order) == 1:
        return (start,)
    end_minute = start * _SLOT_MINUTES + option.minutes
    low = -(-end_minute // _SLOT_MINUTES)
    high = (end_minute + max_gap_minutes) // _SLOT_MINUTES
    for candidate in _bits(plan.can_start[order[1]], low, high):
        tail = _chain(order[1:], candidate, plan, max_gap_minutes)
        if tail is not None:
            return (start, *tail)
    return None


def _days(first_day: date, last_day: date) -> Iterator[date]:
    day = first_day
    while day <= last_day:
        yield day
        day += timedelta(days=1)


def find_bundles(
    options: Sequence[ServiceOption],
    *,
    calendar: LocationCalendar,
    board: DeskBoard,
    first_day: date,
    last_day: date,
    now: datetime,
    rules: SearchRules = DEFAULT_RULES,
    daypart: Daypart | None = None,
    limit: int | None = None,
    not_before: datetime | None = None,
) -> list[Bundle]:
    """Bookable bundles between two local dates, earliest start first.

    At most one bundle per start time: of all orderings the one that ends
    earliest (ties: the order the citizen asked in). Works on the 5-minute
    slot grid with one bit mask per service and day ("a leg may start
    here"), so a whole month is searched in milliseconds.
    """
    if not 1 <= len(options) <= MAX_SERVICES:
        raise ValueError(f"between 1 and {MAX_SERVICES} services, got {len(options)}")
    if len({o.location_id for o in options}) != 1:
        raise ValueError("all services of a bundle must be at one location")
    earliest = now + rules.min_notice
    if not_before is not None:
        earliest = max(earliest, not_before)
    latest = now + rules.horizon
    max_gap_minutes = int(rules.max_gap.total_seconds() // 60)
    orders = orderings(options)
    found: list[Bundle] = []
    for day in _days(first_day, last_day):
        plan = _plan_day(day, calendar, board, options, rules.start_step)
        if plan is None:
            continue
        for start_slot in plan.open_starts:
            start = plan.origin + start_slot * SLOT
            if start >= latest:
                return found
            if start < earliest or (daypart is not None and not daypart.contains(start)):
                continue
            best: tuple[tuple[ServiceOption, ...], tuple[int, ...]] | None = None
            best_end = 0
            for order in orders:
                slots = _chain(order, start_slot, plan, max_gap_minutes)
                if slots is None:
                    continue
                end = slots[-1] * _SLOT_MINUTES + order[-1].minutes
                if best is None or end < best_end:
                    best, best_end = (order, slots), end
            if best is not None:
                legs = tuple(
                    Leg(
                        o.service_id,
                        o.office_id,
                        plan.origin + s * SLOT,
                        plan.origin + s * SLOT + o.duration,
                    )
                    for o, s in zip(*best, strict=True)
                )
                found.append(Bundle(calendar.location_id, legs))
                if limit is not None and len(found) >= limit:
                    return found
    return found


def check_bundle(
    legs: Sequence[Leg],
    *,
    calendar: LocationCalendar,
    board: DeskBoard,
    now: datetime,
    rules: SearchRules = DEFAULT_RULES,
) -> tuple[int, ...]:
    """Re-check a bundle against the current state; return a desk number per leg.

    Raises :class:`NotBookable` when any rule fails. The bundle may have been
    found minutes ago, so every rule of :func:`find_bundles` is applied again.
    """
    if not legs:
        raise NotBookable("the bundle has no legs")
    first = legs[0].start
    if first < now + rules.min_notice:
        raise NotBookable("the appointment starts too soon")
    if first >= now + rules.horizon:
        raise NotBookable("the appointment is too far in the future")
    day = first.astimezone(calendar.zone).date()
    windows = calendar.windows(day)
    desks: list[int] = []
    previous: Leg | None = None
    for leg in legs:
        if leg.start.astimezone(calendar.zone).date() != day:
            raise NotBookable("all legs must be on the same day")
        if previous is not None:
            gap = leg.start - previous.end
            if leg.start < slot_start(slot_end_index(previous.end)) or gap > rules.max_gap:
                raise NotBookable("the legs are not back to back")
        if not _inside(windows, leg.start, leg.end):
            raise NotBookable("the location is closed at that time")
        desk = board.free_desk(leg.office_id, leg.start, leg.end)
        if desk is None:
            raise NotBookable("every desk is taken at that time")
        desks.append(desk)
        previous = leg
    return tuple(desks)
