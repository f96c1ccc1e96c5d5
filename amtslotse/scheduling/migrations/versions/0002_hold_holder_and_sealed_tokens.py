"""One hold per holder (holds.holder), and idempotency records sealed with AES-GCM.

``holds.holder`` names who holds (the chat: a hash of the conversation id);
its unique index makes "one hold per holder" a rule of the database, so two
requests that race cannot both keep a hold. Existing holds get no holder.

Idempotency records sealed by the old scheme (an XOR stream without
authentication) are deleted: they cannot be sealed again, because only the
client knows the idempotency key that opens them. Nothing is lost that a
client relies on: records live a day at most (the purge), and a client that
repeats a request after the upgrade gets ``409 hold-already-booked`` instead
of the replay, never a second booking. Bookings themselves are untouched.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holder", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_holds_holder"), ["holder"])
    op.execute("DELETE FROM idempotency_records WHERE sealed_token NOT LIKE 'g1.%'")


def downgrade() -> None:
    # Records sealed with AES-GCM mean nothing to the old code: drop them too.
    op.execute("DELETE FROM idempotency_records WHERE sealed_token LIKE 'g1.%'")
    with op.batch_alter_table("holds", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_holds_holder"), type_="unique")
        batch_op.drop_column("holder")
