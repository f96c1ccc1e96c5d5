"""PINs, wrong-PIN counters, the mail outbox and the staff audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 09:00:00

Bookings made before this revision have no PIN (their access token still
works) and get no reminder queued twice: ``reminder_claimed_at`` starts NULL,
so the next housekeeping run decides for them like for new ones.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from amtslotse.scheduling.db.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("pin_digest", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("pin_salt", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("reminder_claimed_at", UTCDateTime(), nullable=True))
        batch.create_index("ix_bookings_starts_at", ["starts_at"], unique=False)
    with op.batch_alter_table("idempotency_records") as batch:
        batch.add_column(sa.Column("sealed_pin", sa.String(length=64), nullable=True))
    op.create_table(
        "pin_attempts",
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("key_digest", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=True),
        sa.Column("locked_until", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("scope", "key_digest", name=op.f("pk_pin_attempts")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=64), nullable=True),
        sa.Column("sealed_pin", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "kind IN ('confirmation', 'reminder', 'cancellation')", name=op.f("ck_outbox_kind")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed', 'dropped')", name=op.f("ck_outbox_status")
        ),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_outbox_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("booking_id", "kind", name=op.f("uq_outbox_booking_id")),
    )
    op.create_index("ix_outbox_status_due", "outbox", ["status", "next_attempt_at"], unique=False)
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("staff_account", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("booking_code", sa.String(length=9), nullable=True),
        sa.Column("outcome", sa.String(length=24), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_outbox_status_due", table_name="outbox")
    op.drop_table("outbox")
    op.drop_table("pin_attempts")
    with op.batch_alter_table("idempotency_records") as batch:
        batch.drop_column("sealed_pin")
    with op.batch_alter_table("bookings") as batch:
        batch.drop_index("ix_bookings_starts_at")
        batch.drop_column("reminder_claimed_at")
        batch.drop_column("pin_salt")
        batch.drop_column("pin_digest")
