"""Initial schema: catalogue, opening hours, holds, bookings, legs, desk slots, idempotency.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 07:28:11.815751
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from amtslotse.scheduling.db.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "locations",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("holiday_subdivision", sa.String(length=8), nullable=False),
        sa.Column("appointments", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
    )
    op.create_table(
        "services",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("walk_in", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_services")),
    )
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=9), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("hold_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("cancelled_at", UTCDateTime(), nullable=True),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("contact_name", sa.String(length=100), nullable=True),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("purged_at", UTCDateTime(), nullable=True),
        sa.CheckConstraint("status IN ('confirmed', 'cancelled')", name=op.f("ck_bookings_status")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_bookings_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
        sa.UniqueConstraint("code", name=op.f("uq_bookings_code")),
        sa.UniqueConstraint("hold_id", name=op.f("uq_bookings_hold_id")),
    )
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.create_index("ix_bookings_ends_at", ["ends_at"], unique=False)

    op.create_table(
        "holds",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_holds_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holds")),
    )
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_holds_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "offices",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("desks", sa.Integer(), nullable=False),
        sa.CheckConstraint("desks >= 0", name=op.f("ck_offices_desks")),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_offices_location_id_locations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offices")),
    )
    op.create_table(
        "opening_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("opens", sa.Time(), nullable=True),
        sa.Column("closes", sa.Time(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "(opens IS NULL AND closes IS NULL) OR (opens IS NOT NULL AND closes IS NOT NULL"
            " AND opens < closes)",
            name=op.f("ck_opening_exceptions_span"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_opening_exceptions_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_exceptions")),
    )
    with op.batch_alter_table("opening_exceptions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_opening_exceptions_location_day", ["location_id", "day"], unique=False
        )

    op.create_table(
        "opening_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.String(length=64), nullable=False),
        sa.Column("weekday", sa.SmallInteger(), nullable=False),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.CheckConstraint("opens < closes", name=op.f("ck_opening_hours_span")),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_opening_hours_weekday")),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_opening_hours_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opening_hours")),
        sa.UniqueConstraint(
            "location_id", "weekday", "opens", name=op.f("uq_opening_hours_location_id")
        ),
    )
    op.create_table(
        "idempotency_records",
        sa.Column("key_digest", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("sealed_token", sa.String(length=128), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_idempotency_records_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key_digest", name=op.f("pk_idempotency_records")),
    )
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_records_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "legs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hold_id", sa.String(length=32), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("desk_no", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("uid", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "(hold_id IS NULL) <> (booking_id IS NULL)", name=op.f("ck_legs_one_owner")
        ),
        sa.CheckConstraint("desk_no >= 1", name=op.f("ck_legs_desk_no")),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_legs_interval")),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_legs_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["hold_id"], ["holds.id"], name=op.f("fk_legs_hold_id_holds"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["offices.id"], name=op.f("fk_legs_office_id_offices")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["services.id"], name=op.f("fk_legs_service_id_services")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legs")),
    )
    with op.batch_alter_table("legs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_legs_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_legs_hold_id"), ["hold_id"], unique=False)
        batch_op.create_index("ix_legs_office_starts", ["office_id", "starts_at"], unique=False)

    op.create_table(
        "office_days",
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
            name=op.f("fk_office_days_office_id_offices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("office_id", "day", name=op.f("pk_office_days")),
    )
    op.create_table(
        "service_offices",
        sa.Column("service_id", sa.String(length=64), nullable=False),
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.CheckConstraint("minutes BETWEEN 5 AND 240", name=op.f("ck_service_offices_minutes")),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["offices.id"],
            name=op.f("fk_service_offices_office_id_offices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["services.id"],
            name=op.f("fk_service_offices_service_id_services"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_id", "office_id", name=op.f("pk_service_offices")),
    )
    op.create_table(
        "desk_slots",
        sa.Column("office_id", sa.String(length=64), nullable=False),
        sa.Column("desk_no", sa.Integer(), nullable=False),
        sa.Column("slot_start", UTCDateTime(), nullable=False),
        sa.Column("leg_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["leg_id"], ["legs.id"], name=op.f("fk_desk_slots_leg_id_legs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("office_id", "desk_no", "slot_start", name=op.f("pk_desk_slots")),
    )
    with op.batch_alter_table("desk_slots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_desk_slots_leg_id"), ["leg_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("desk_slots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_desk_slots_leg_id"))

    op.drop_table("desk_slots")
    op.drop_table("service_offices")
    op.drop_table("office_days")
    with op.batch_alter_table("legs", schema=None) as batch_op:
        batch_op.drop_index("ix_legs_office_starts")
        batch_op.drop_index(batch_op.f("ix_legs_hold_id"))
        batch_op.drop_index(batch_op.f("ix_legs_booking_id"))

    op.drop_table("legs")
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idempotency_records_created_at"))

    op.drop_table("idempotency_records")
    op.drop_table("opening_hours")
    with op.batch_alter_table("opening_exceptions", schema=None) as batch_op:
        batch_op.drop_index("ix_opening_exceptions_location_day")

    op.drop_table("opening_exceptions")
    op.drop_table("offices")
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_holds_expires_at"))

    op.drop_table("holds")
    with op.batch_alter_table("bookings", schema=None) as batch_op:
        batch_op.drop_index("ix_bookings_ends_at")

    op.drop_table("bookings")
    op.drop_table("services")
    op.drop_table("locations")
