"""Value objects shared by the pure scheduling functions."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from amtslotse.scheduling.clock import BERLIN


@dataclass(frozen=True)
class ServiceOption:
    """A service as one office offers it; the length may differ per office."""

    service_id: str
    office_id: str
    location_id: str
    minutes: int

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Leg:
    """One appointment of a bundle (half-open interval ``[start, end)``, UTC)."""

    service_id: str
    office_id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Bundle:
    """All requested services back-to-back at one location on one day."""

    location_id: str
    legs: tuple[Leg, ...]

    @property
    def start(self) -> datetime:
        return self.legs[0].start

    @property
    def end(self) -> datetime:
        return self.legs[-1].end


@dataclass(frozen=True)
class BusyLeg:
    """A desk already taken by a booking or a live hold."""

    office_id: str
    desk_no: int
    start: datetime
    end: datetime


class Daypart(str, enum.Enum):
    """Part of the day a citizen prefers; the boundary is 12:00 local time."""

    VORMITTAG = "vormittag"
    NACHMITTAG = "nachmittag"

    def contains(self, start: datetime) -> bool:
        before_noon = start.astimezone(BERLIN).time() < time(12, 0)
        return before_noon if self is Daypart.VORMITTAG else not before_noon


@dataclass(frozen=True)
class SearchRules:
    """Policy of the search; defaults match the county's practice."""

    min_notice: timedelta = timedelta(hours=2)
    horizon: timedelta = timedelta(days=60)
    max_gap: timedelta = timedelta(minutes=15)  # between two legs of a bundle
    start_step: timedelta = timedelta(minutes=15)  # first legs start on quarter hours


DEFAULT_RULES = SearchRules()
