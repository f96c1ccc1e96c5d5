"""Load the county's catalogue (locations, offices, services, hours) into the database.

Idempotent: rows are upserted by id, so running it again after an editor
changed the content updates the database and creates no duplicates. Weekly
hours and the offices of a service have no ids of their own; they are
replaced as a whole per location and per service. Nothing is deleted that a
booking may refer to (locations, offices, services).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from amtslotse.core.content.model import Catalogue, Service
from amtslotse.scheduling.db import schema
from amtslotse.scheduling.db.database import Database


@dataclass(frozen=True)
class SeedReport:
    locations: int
    offices: int
    services: int
    bookable_offers: int


def _offices_of(service: Service, catalogue: Catalogue) -> list[str]:
    """Offices where a bookable service can be booked (both for choose_office)."""
    if not service.bookable:
        return []
    return [o for o in service.offices if o in catalogue.offices and catalogue.offices[o].desks > 0]


async def _seed(session: AsyncSession, catalogue: Catalogue) -> SeedReport:
    county = catalogue.county
    for loc in catalogue.locations.values():
        await session.merge(
            schema.Location(
                id=loc.id,
                name=loc.name,
                street=loc.address.street,
                postcode=loc.address.postcode,
                city=loc.address.city,
                timezone=county.timezone,
                holiday_subdivision=county.holiday_subdivision,
                appointments=loc.appointments,
            )
        )
    await session.flush()
    for loc in catalogue.locations.values():
        await session.execute(
            delete(schema.OpeningHours).where(schema.OpeningHours.location_id == loc.id)
        )
        for weekday, intervals in enumerate(loc.hours.weekly):
            for interval in intervals:
                session.add(
                    schema.OpeningHours(
                        location_id=loc.id,
                        weekday=weekday,
                        opens=interval.start,
                        closes=interval.end,
                    )
                )
    for office in catalogue.offices.values():
        await session.merge(
            schema.Office(
                id=office.id, location_id=office.location_id, name=office.name, desks=office.desks
            )
        )
    for service in catalogue.services.values():
        await session.merge(
            schema.Service(id=service.id, name=service.name, walk_in=service.walk_in.value)
        )
    await session.flush()
    offers = 0
    for service in catalogue.services.values():
        await session.execute(
            delete(schema.ServiceOffice).where(schema.ServiceOffice.service_id == service.id)
        )
        for office_id in _offices_of(service, catalogue):
            session.add(
                schema.ServiceOffice(
                    service_id=service.id, office_id=office_id, minutes=service.minutes
                )
            )
            offers += 1
    await session.flush()
    return SeedReport(
        locations=len(catalogue.locations),
        offices=len(catalogue.offices),
        services=len(catalogue.services),
        bookable_offers=offers,
    )


async def seed_catalogue(db: Database, catalogue: Catalogue) -> SeedReport:
    return await db.write(lambda session: _seed(session, catalogue))


async def is_seeded(db: Database) -> bool:
    async with db.reading() as session:
        return bool(await session.scalar(select(func.count()).select_from(schema.Location)))
