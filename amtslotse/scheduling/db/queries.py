"""Read queries; each returns plain values for the domain, never live ORM state."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from amtslotse.scheduling.db.schema import (
    BOOKING_CONFIRMED,
    Booking,
    Hold,
    Leg,
    Location,
    Office,
    OpeningException,
    OpeningHours,
    Service,
    ServiceOffice,
)
from amtslotse.scheduling.domain.calendar import LocationCalendar, Span
from amtslotse.scheduling.domain.model import BusyLeg, ServiceOption


async def service_offers(
    session: AsyncSession, service_ids: Iterable[str] | None = None
) -> dict[str, list[ServiceOption]]:
    """Bookable offerings per service id (all services when ``service_ids`` is None)."""
    stmt = (
        select(
            ServiceOffice.service_id,
            ServiceOffice.office_id,
            Office.location_id,
            ServiceOffice.minutes,
        )
        .join(Office, Office.id == ServiceOffice.office_id)
        .where(Office.desks > 0)
        .order_by(ServiceOffice.service_id, ServiceOffice.office_id)
    )
    if service_ids is not None:
        stmt = stmt.where(ServiceOffice.service_id.in_(sorted(set(service_ids))))
    out: dict[str, list[ServiceOption]] = defaultdict(list)
    for service_id, office_id, location_id, minutes in (await session.execute(stmt)).all():
        out[service_id].append(ServiceOption(service_id, office_id, location_id, minutes))
    return dict(out)


async def location_calendar(
    session: AsyncSession, location_id: str, first_day: date, last_day: date
) -> LocationCalendar:
    location = await session.get(Location, location_id)
    if location is None:
        raise LookupError(location_id)
    weekly: list[list[Span]] = [[] for _ in range(7)]
    for row in await session.scalars(
        select(OpeningHours).where(OpeningHours.location_id == location_id)
    ):
        weekly[row.weekday].append((row.opens, row.closes))
    exceptions: dict[date, list[Span]] = {}
    for exc in await session.scalars(
        select(OpeningException).where(
            OpeningException.location_id == location_id,
            OpeningException.day >= first_day,
            OpeningException.day <= last_day,
        )
    ):
        spans = exceptions.setdefault(exc.day, [])
        if exc.opens is not None and exc.closes is not None:
            spans.append((exc.opens, exc.closes))
    return LocationCalendar(
        location_id=location_id,
        weekly=tuple(tuple(sorted(day)) for day in weekly),
        exceptions={day: tuple(sorted(spans)) for day, spans in exceptions.items()},
        holiday_subdivision=location.holiday_subdivision,
        zone=ZoneInfo(location.timezone),
    )


async def office_desks(session: AsyncSession, office_ids: Iterable[str]) -> dict[str, int]:
    rows = await session.execute(
        select(Office.id, Office.desks).where(Office.id.in_(sorted(set(office_ids))))
    )
    return {office_id: desks for office_id, desks in rows.all()}


def active_leg_clause(now: datetime):  # type: ignore[no-untyped-def]
    """Legs that take a desk: of a confirmed booking, or of a hold not yet expired."""
    return or_(
        and_(Leg.booking_id.is_not(None), Booking.status == BOOKING_CONFIRMED),
        and_(Leg.hold_id.is_not(None), Hold.expires_at > now),
    )


async def busy_legs(
    session: AsyncSession,
    office_ids: Sequence[str],
    start: datetime,
    end: datetime,
    now: datetime,
) -> list[BusyLeg]:
    """Legs of the offices that overlap ``[start, end)`` and still take a desk."""
    stmt = (
        select(Leg.office_id, Leg.desk_no, Leg.starts_at, Leg.ends_at)
        .outerjoin(Booking, Booking.id == Leg.booking_id)
        .outerjoin(Hold, Hold.id == Leg.hold_id)
        .where(
            Leg.office_id.in_(sorted(set(office_ids))),
            Leg.starts_at < end,
            Leg.ends_at > start,
            active_leg_clause(now),
        )
    )
    return [BusyLeg(*row) for row in (await session.execute(stmt)).all()]


async def locations(session: AsyncSession) -> list[tuple[Location, list[OpeningHours]]]:
    hours: dict[str, list[OpeningHours]] = defaultdict(list)
    for row in await session.scalars(
        select(OpeningHours).order_by(OpeningHours.weekday, OpeningHours.opens)
    ):
        hours[row.location_id].append(row)
    return [
        (loc, hours[loc.id])
        for loc in await session.scalars(select(Location).order_by(Location.id))
    ]


async def offices(session: AsyncSession) -> list[Office]:
    return list(await session.scalars(select(Office).order_by(Office.id)))


async def services(session: AsyncSession) -> list[Service]:
    return list(await session.scalars(select(Service).order_by(Service.id)))
