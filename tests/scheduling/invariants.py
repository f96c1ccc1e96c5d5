"""Checks of the capacity invariant straight on the database rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from amtslotse.scheduling.db.queries import active_leg_clause
from amtslotse.scheduling.db.schema import Booking, Hold, Leg, Office


async def assert_no_desk_overbooked(db, now: datetime) -> None:
    """No desk holds two active legs at once, and no office more legs than desks."""
    async with db.reading() as session:
        desks = dict((await session.execute(select(Office.id, Office.desks))).all())
        rows = (
            await session.execute(
                select(Leg.office_id, Leg.desk_no, Leg.starts_at, Leg.ends_at)
                .outerjoin(Booking, Booking.id == Leg.booking_id)
                .outerjoin(Hold, Hold.id == Leg.hold_id)
                .where(active_leg_clause(now))
            )
        ).all()
    per_office = defaultdict(list)
    for office_id, desk_no, start, end in rows:
        assert 1 <= desk_no <= desks[office_id], (office_id, desk_no)
        per_office[office_id].append((start, end, desk_no))
    for office_id, legs in per_office.items():
        events = sorted([(s, 1) for s, _, _ in legs] + [(e, -1) for _, e, _ in legs])
        running = 0
        for _, delta in events:  # ends sort before starts at the same instant
            running += delta
            assert running <= desks[office_id], f"{office_id} has {running} parallel legs"
        for i, (s1, e1, d1) in enumerate(legs):
            for s2, e2, d2 in legs[i + 1 :]:
                assert not (d1 == d2 and s1 < e2 and s2 < e1), f"{office_id} desk {d1} twice"
