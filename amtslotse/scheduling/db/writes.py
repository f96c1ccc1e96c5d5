"""Write helpers used inside one transaction of ``Database.write``."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from amtslotse.scheduling.db.schema import DeskSlot, Hold, Leg
from amtslotse.scheduling.domain.capacity import occupied_slots, slot_start
from amtslotse.scheduling.domain.model import Leg as PlannedLeg


async def insert_leg(session: AsyncSession, hold_id: str, leg: PlannedLeg, desk_no: int) -> int:
    """Insert one leg of a hold and the desk slots it blocks; return the leg id.

    The slot rows make a double booking fail at the database even if a code
    path forgot the lock (primary key office, desk, slot).
    """
    row = Leg(
        hold_id=hold_id,
        service_id=leg.service_id,
        office_id=leg.office_id,
        desk_no=desk_no,
        starts_at=leg.start,
        ends_at=leg.end,
        uid=f"{uuid.uuid4()}@amtslotse",
    )
    session.add(row)
    await session.flush()
    await session.execute(
        insert(DeskSlot),
        [
            {
                "office_id": leg.office_id,
                "desk_no": desk_no,
                "slot_start": slot_start(i),
                "leg_id": row.id,
            }
            for i in occupied_slots(leg.start, leg.end)
        ],
    )
    return int(row.id)


async def delete_expired_holds(
    session: AsyncSession,
    office_ids: Sequence[str],
    start: datetime,
    end: datetime,
    now: datetime,
) -> None:
    """Free the desks of expired holds on these offices in ``[start, end)``.

    Must run after the office-day locks: the freed slots are about to be reused
    in the same transaction. Legs and slots go by ON DELETE CASCADE.
    """
    expired = (
        await session.scalars(
            select(Hold.id)
            .join(Leg, Leg.hold_id == Hold.id)
            .where(
                Hold.expires_at <= now,
                Leg.office_id.in_(sorted(set(office_ids))),
                Leg.starts_at < end,
                Leg.ends_at > start,
            )
            .order_by(Hold.id)
            .distinct()
        )
    ).all()
    if expired:
        await session.execute(delete(Hold).where(Hold.id.in_(expired)))


async def release_desks(session: AsyncSession, leg_ids: Sequence[int]) -> None:
    """Give the desks of cancelled legs back (the legs stay for the record)."""
    if leg_ids:
        await session.execute(delete(DeskSlot).where(DeskSlot.leg_id.in_(list(leg_ids))))
