"""When a location is open: weekly hours, exceptions and public holidays.

Precedence on one day: an exception (closure or reduced hours) wins, then a
public holiday closes the location, then the weekly hours apply. An exception
on a holiday therefore opens the location on purpose (e.g. a special day).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from amtslotse.scheduling.clock import BERLIN, local_datetime

Span = tuple[time, time]  # local wall-clock opening span, end exclusive
Window = tuple[datetime, datetime]  # the same span as UTC instants


@lru_cache(maxsize=64)
def _holiday_table(country: str, subdivision: str, year: int) -> dict[date, str]:
    # The holidays package computes movable feasts per year; caching keeps
    # repeated searches over the same year cheap (the data never changes).
    return dict(holidays.country_holidays(country, subdiv=subdivision, years=[year]))


def public_holidays(subdivision: str, years: Iterable[int], country: str = "DE") -> dict[date, str]:
    """Public holidays of a German state, e.g. ``public_holidays("ST", [2025])``."""
    out: dict[date, str] = {}
    for year in years:
        out.update(_holiday_table(country, subdivision, year))
    return out


@dataclass(frozen=True)
class LocationCalendar:
    """Opening calendar of one location; ``weekly[0]`` is Monday."""

    location_id: str
    weekly: tuple[tuple[Span, ...], ...]
    exceptions: Mapping[date, tuple[Span, ...]] = field(default_factory=dict)
    holiday_subdivision: str = "ST"
    zone: ZoneInfo = BERLIN

    def __post_init__(self) -> None:
        if len(self.weekly) != 7:
            raise ValueError("weekly hours need 7 entries, Monday first")

    def is_holiday(self, day: date) -> bool:
        return day in _holiday_table("DE", self.holiday_subdivision, day.year)

    def spans(self, day: date) -> tuple[Span, ...]:
        if day in self.exceptions:
            return self.exceptions[day]
        if self.is_holiday(day):
            return ()
        return self.weekly[day.weekday()]

    def windows(self, day: date) -> tuple[Window, ...]:
        """Opening windows of ``day`` as UTC instants, in order."""
        return tuple(
            (local_datetime(day, start, self.zone), local_datetime(day, end, self.zone))
            for start, end in sorted(self.spans(day))
        )
