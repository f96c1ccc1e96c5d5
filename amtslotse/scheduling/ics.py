"""iCalendar file of a booking: one VEVENT per leg, in Europe/Berlin.

UIDs are random (stored per leg at booking time), so they reveal nothing and
stay the same on every download; a calendar app then updates the event
instead of adding a copy, and a cancelled booking removes it (STATUS:CANCELLED).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event

from amtslotse.scheduling.clock import BERLIN, UTC


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str


def render_ics(
    booking_code: str, entries: Sequence[CalendarEntry], *, cancelled: bool, stamp: datetime
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Amtslotse//Terminvergabe//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp.astimezone(UTC))
        event.add("dtstart", entry.start.astimezone(BERLIN))
        event.add("dtend", entry.end.astimezone(BERLIN))
        event.add("summary", entry.summary)
        event.add("location", entry.location)
        event.add("description", f"Buchungs·code: {booking_code}")
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    # Adds the VTIMEZONE for Europe/Berlin that the TZID parameters refer to.
    calendar.add_missing_timezones()
    return calendar.to_ical()
