"""Migrations, seeding (demo fixture and the real content), exceptions, purge."""

from __future__ import annotations

import dataclasses
from datetime import date, time, timedelta

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select

from amtslotse.core.content import load_catalogue
from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.db.migrate import current_revision, head_revision, upgrade
from amtslotse.scheduling.db.schema import (
    Booking,
    IdempotencyRecord,
    Office,
    OpeningException,
    OpeningHours,
    Service,
    ServiceOffice,
    metadata,
)
from amtslotse.scheduling.db.seed import seed_catalogue
from tests.scheduling.demo import demo_catalogue


async def test_migrations_create_exactly_the_model(backend, db):
    assert await current_revision(db) == head_revision()
    async with db.write_engine.connect() as connection:
        diff = await connection.run_sync(
            lambda sync: compare_metadata(MigrationContext.configure(sync), metadata)
        )
    assert diff == []
    await upgrade(db)  # running it again is a no-op
    assert await current_revision(db) == head_revision()


async def test_migration_0002_drops_tokens_sealed_the_old_way(backend, settings):
    """Old XOR seals cannot be re-sealed (only the client has the key): they go, bookings stay."""
    from datetime import datetime, timezone

    from sqlalchemy import text

    db = Database(settings.database_url)
    try:
        await upgrade(db, "0001")
        await seed_catalogue(db, demo_catalogue())
        now = datetime(2025, 3, 24, 8, 0, tzinfo=timezone.utc)
        async with db.write_engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO bookings (id, code, token_digest, location_id, hold_id, status,"
                    " created_at, starts_at, ends_at) VALUES (1, 'K7M4-PQ2X', :d, 'skz', :h,"
                    " 'confirmed', :t, :t, :t)"
                ),
                {"d": "0" * 64, "h": "a" * 32, "t": now.replace(tzinfo=None)},
            )
            for digest, sealed in (("1" * 64, "x" * 64), ("2" * 64, "g1." + "y" * 80)):
                await connection.execute(
                    text(
                        "INSERT INTO idempotency_records (key_digest, fingerprint, booking_id,"
                        " sealed_token, created_at) VALUES (:k, :f, 1, :s, :t)"
                    ),
                    {"k": digest, "f": "f" * 64, "s": sealed, "t": now.replace(tzinfo=None)},
                )
        await upgrade(db)
        async with db.reading() as session:
            kept = list(await session.scalars(select(IdempotencyRecord.key_digest)))
            assert kept == ["2" * 64]
            assert await session.scalar(select(func.count()).select_from(Booking)) == 1
    finally:
        await db.dispose()


async def _rows(db, model) -> int:
    async with db.reading() as session:
        return int(await session.scalar(select(func.count()).select_from(model)))


async def test_seeding_is_idempotent_and_follows_content_changes(db):
    before = {m: await _rows(db, m) for m in (Office, Service, ServiceOffice, OpeningHours)}
    await seed_catalogue(db, demo_catalogue())
    assert {m: await _rows(db, m) for m in before} == before
    catalogue = demo_catalogue()
    catalogue.offices["jobcenter"] = dataclasses.replace(catalogue.offices["jobcenter"], desks=5)
    catalogue.services["wohngeld"] = dataclasses.replace(catalogue.services["wohngeld"], minutes=40)
    await seed_catalogue(db, catalogue)
    async with db.reading() as session:
        assert (await session.get(Office, "jobcenter")).desks == 5
        assert (await session.get(ServiceOffice, ("wohngeld", "wohngeldstelle"))).minutes == 40
    assert await _rows(db, Office) == before[Office]


async def test_seeding_the_real_content(tmp_path):
    """Seeds content/leichte_sprache/ as shipped; needs the editors' service files."""
    catalogue = load_catalogue()
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'real.sqlite3'}")
    try:
        await upgrade(db)
        report = await seed_catalogue(db, catalogue)
        assert report.locations == 3 and report.offices == 11
        async with db.reading() as session:
            offers = set(
                (
                    await session.execute(select(ServiceOffice.service_id, ServiceOffice.office_id))
                ).all()
            )
        assert ("buergergeld_antrag", "jobcenter") in offers
        assert {("bildung_teilhabe", "jobcenter"), ("bildung_teilhabe", "sozialamt")} <= offers
        assert not any(office == "buergerbuero" for _, office in offers)
    finally:
        await db.dispose()


async def test_closures_and_reduced_hours_from_the_database(scheduler, db):
    wednesday, thursday = date(2025, 3, 26), date(2025, 3, 27)

    async def add(session):
        session.add(OpeningException(location_id="skz", day=wednesday, note="Betriebs·ausflug"))
        session.add(
            OpeningException(
                location_id="skz",
                day=thursday,
                opens=time(8),
                closes=time(9, 30),
                note="Personal·versammlung",
            )
        )

    await db.write(add)
    assert await scheduler.availability(["wohngeld"], wednesday, wednesday) == []
    thursday_bundles = await scheduler.availability(["wohngeld"], thursday, thursday)
    assert [b.start.astimezone().strftime("%H:%M") for b in thursday_bundles]
    assert max(b.end for b in thursday_bundles).isoformat() <= "2025-03-27T08:30:00+00:00"


async def test_purge_removes_contact_data_of_old_appointments(backend, scheduler, db, clock):
    bundle = (
        await scheduler.availability(["wohngeld"], date(2025, 3, 25), date(2025, 3, 25), limit=1)
    )[0]
    held = await scheduler.hold(scheduler.bundle_ids.encode(bundle))
    body = {"hold_id": held.hold_id, "contact": {"name": "Erika", "phone": "0340 123456"}}
    new = await scheduler.book(body, "purge-test-key-0001")
    assert (await scheduler.purge(30)).bookings == 0  # appointment not yet past
    clock.advance(days=2)
    report = await scheduler.purge(30)
    assert report.bookings == 0 and report.idempotency_records == 1
    clock.advance(days=30)
    assert (await scheduler.purge(30)).bookings == 1
    async with db.reading() as session:
        booking = (await session.scalars(select(Booking))).one()
        assert booking.contact_name is None and booking.contact_phone is None
        assert booking.purged_at is not None
        assert await session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 0
    view = await scheduler.booking(new.booking.code, new.access_token)
    assert view.contact is None and view.status == "confirmed"
    assert (await scheduler.purge(30)).bookings == 0
    assert clock() - booking.ends_at > timedelta(days=30)
