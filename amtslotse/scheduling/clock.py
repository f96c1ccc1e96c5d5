"""Time handling: stored in UTC, shown in the county's zone (Europe/Berlin).

Every datetime in this package is timezone-aware. Conversions to local time go
through ``zoneinfo`` so that the days on which clocks change (last Sunday of
March and October) get the right offset.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def require_aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: this package only uses aware datetimes")
    return value


def local_datetime(day: date, at: time, zone: ZoneInfo = BERLIN) -> datetime:
    """The instant of wall-clock time ``at`` on ``day`` in ``zone``, as UTC."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def local_midnight(day: date, zone: ZoneInfo = BERLIN) -> datetime:
    return local_datetime(day, time(0, 0), zone)


def local_day_bounds(day: date, zone: ZoneInfo = BERLIN) -> tuple[datetime, datetime]:
    """UTC start and end of a local day; 23 or 25 hours long on DST days."""
    return local_midnight(day, zone), local_midnight(day + timedelta(days=1), zone)


def local_date(instant: datetime, zone: ZoneInfo = BERLIN) -> date:
    return require_aware(instant).astimezone(zone).date()


def rfc3339(instant: datetime, zone: ZoneInfo = BERLIN) -> str:
    """``2025-03-31T08:00:00+02:00``: local wall time with its offset, no microseconds."""
    return require_aware(instant).astimezone(zone).replace(microsecond=0).isoformat()
