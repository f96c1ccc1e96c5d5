"""Office-day locks: writers that touch the same office on the same day queue up.

Every writer locks all (office, local day) pairs it will read or change, in
one fixed order (sorted by office id, then day), before it checks capacity.
The fixed order rules out deadlocks between two bundles that share offices.
Under READ COMMITTED each later statement sees what the previous lock holder
committed, so the capacity re-check is current.

On SQLite there is nothing to do: ``BEGIN IMMEDIATE`` already holds the
single database write lock (see ``db/database.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from amtslotse.scheduling.db.schema import OfficeDay


async def lock_office_days(session: AsyncSession, keys: Iterable[tuple[str, date]]) -> None:
    ordered = sorted(set(keys))
    if not ordered or session.bind.dialect.name != "postgresql":
        return
    # Create missing lock rows first; rows inserted in the same sorted order.
    await session.execute(
        pg_insert(OfficeDay)
        .values([{"office_id": office, "day": day} for office, day in ordered])
        .on_conflict_do_nothing(index_elements=["office_id", "day"])
    )
    await session.execute(
        select(OfficeDay.office_id)
        .where(tuple_(OfficeDay.office_id, OfficeDay.day).in_(ordered))
        .order_by(OfficeDay.office_id, OfficeDay.day)
        .with_for_update()
    )
