"""Database schema (SQLAlchemy 1.4 declarative, used 2.0-style).

Capacity is protected twice: application code takes office-day locks and
re-checks desks inside the transaction (``scheduler.py``), and the database
refuses a second leg on the same desk and slot through the primary key of
``desk_slots`` (one row per 5-minute slot a leg blocks, see
``domain/capacity.py``). The second line works the same on SQLite and
PostgreSQL and needs no extension such as btree_gist.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeMeta, registry, relationship

from amtslotse.scheduling.db.types import UTCDateTime

# Deterministic constraint names, so Alembic migrations can refer to them on
# every backend (SQLite batch mode recreates tables and needs the names).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
mapper_registry = registry(metadata=metadata)


class Base(metaclass=DeclarativeMeta):
    """Declarative base written as a class (not ``declarative_base()``): visible to mypy."""

    __abstract__ = True
    registry = mapper_registry
    metadata = mapper_registry.metadata
    __init__ = mapper_registry.constructor


BOOKING_CONFIRMED = "confirmed"
BOOKING_CANCELLED = "cancelled"


class Location(Base):
    __tablename__ = "locations"

    id = Column(String(64), primary_key=True)
    name = Column(String(200), nullable=False)
    street = Column(String(200), nullable=False)
    postcode = Column(String(10), nullable=False)
    city = Column(String(100), nullable=False)
    timezone = Column(String(64), nullable=False, default="Europe/Berlin")
    holiday_subdivision = Column(String(8), nullable=False, default="ST")
    appointments = Column(Boolean, nullable=False, default=True)


class OpeningHours(Base):
    """Weekly hours: one row per opening span (weekday 0 = Monday, local time)."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        UniqueConstraint("location_id", "weekday", "opens"),
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("opens < closes", name="span"),
    )

    id = Column(Integer, primary_key=True)
    location_id = Column(ForeignKey("locations.id", ondelete="CASCADE"), nullable=False)
    weekday = Column(SmallInteger, nullable=False)
    opens = Column(Time, nullable=False)
    closes = Column(Time, nullable=False)


class OpeningException(Base):
    """A day that differs from the weekly hours.

    Rows with times replace that day's hours (reduced or extra hours); a row
    without times closes the location for the day.
    """

    __tablename__ = "opening_exceptions"
    __table_args__ = (
        CheckConstraint(
            "(opens IS NULL AND closes IS NULL) OR (opens IS NOT NULL AND closes IS NOT NULL"
            " AND opens < closes)",
            name="span",
        ),
        Index("ix_opening_exceptions_location_day", "location_id", "day"),
    )

    id = Column(Integer, primary_key=True)
    location_id = Column(ForeignKey("locations.id", ondelete="CASCADE"), nullable=False)
    day = Column(Date, nullable=False)
    opens = Column(Time, nullable=True)
    closes = Column(Time, nullable=True)
    note = Column(String(200), nullable=False, default="")


class Office(Base):
    __tablename__ = "offices"
    __table_args__ = (CheckConstraint("desks >= 0", name="desks"),)

    id = Column(String(64), primary_key=True)
    location_id = Column(ForeignKey("locations.id"), nullable=False)
    name = Column(String(200), nullable=False)
    desks = Column(Integer, nullable=False)  # parallel appointments; 0 = walk-in only


class Service(Base):
    __tablename__ = "services"

    id = Column(String(64), primary_key=True)
    name = Column(String(200), nullable=False)
    walk_in = Column(String(16), nullable=False)  # yes | no | urgent | external


class ServiceOffice(Base):
    """Where a service can be booked and how long it takes there."""

    __tablename__ = "service_offices"
    __table_args__ = (CheckConstraint("minutes BETWEEN 5 AND 240", name="minutes"),)

    service_id = Column(ForeignKey("services.id", ondelete="CASCADE"), primary_key=True)
    office_id = Column(ForeignKey("offices.id", ondelete="CASCADE"), primary_key=True)
    minutes = Column(Integer, nullable=False)


class OfficeDay(Base):
    """Lock row: writers lock every (office, local day) they touch, in key order."""

    __tablename__ = "office_days"

    office_id = Column(ForeignKey("offices.id", ondelete="CASCADE"), primary_key=True)
    day = Column(Date, primary_key=True)


class Hold(Base):
    """Legs reserved for a few minutes while the citizen enters the contact."""

    __tablename__ = "holds"

    id = Column(String(32), primary_key=True)
    location_id = Column(ForeignKey("locations.id"), nullable=False)
    # Opaque name of who holds (the chat: a hash of the conversation id). Unique:
    # one hold per holder, enforced by the database even when two requests race.
    holder = Column(String(64), nullable=True, unique=True)
    created_at = Column(UTCDateTime, nullable=False)
    expires_at = Column(UTCDateTime, nullable=False, index=True)

    legs = relationship(
        "Leg",
        back_populates="hold",
        lazy="raise_on_sql",
        order_by="Leg.starts_at",
        passive_deletes=True,
    )


class Booking(Base):
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint(f"status IN ('{BOOKING_CONFIRMED}', '{BOOKING_CANCELLED}')", name="status"),
        Index("ix_bookings_ends_at", "ends_at"),
        Index("ix_bookings_starts_at", "starts_at"),
    )

    id = Column(Integer, primary_key=True)
    code = Column(String(9), nullable=False, unique=True)
    token_digest = Column(String(64), nullable=False)
    location_id = Column(ForeignKey("locations.id"), nullable=False)
    # The hold this booking came from; a hold is used once (no FK: holds are deleted).
    hold_id = Column(String(32), nullable=False, unique=True)
    status = Column(String(16), nullable=False, default=BOOKING_CONFIRMED)
    created_at = Column(UTCDateTime, nullable=False)
    cancelled_at = Column(UTCDateTime, nullable=True)
    starts_at = Column(UTCDateTime, nullable=False)
    ends_at = Column(UTCDateTime, nullable=False)
    # Personal data: set to NULL by the purge (see purged_at).
    contact_name = Column(String(100), nullable=True)
    contact_phone = Column(String(40), nullable=True)
    contact_email = Column(String(254), nullable=True)
    purged_at = Column(UTCDateTime, nullable=True)
    # The PIN as HMAC under the secret key with this salt (domain/pin.py); the
    # salt also binds the link token of the e-mails. NULL for bookings made
    # before PINs existed (they have no PIN; their link token uses no salt).
    pin_digest = Column(String(64), nullable=True)
    pin_salt = Column(String(32), nullable=True)
    # Set once when the reminder was queued, or found not needed (booked inside
    # the reminder window): the claim in notify/outbox.py only takes NULL rows.
    reminder_claimed_at = Column(UTCDateTime, nullable=True)

    legs = relationship(
        "Leg",
        back_populates="booking",
        lazy="raise_on_sql",
        order_by="Leg.starts_at",
        passive_deletes=True,
    )


class Leg(Base):
    """One appointment at one desk; belongs to a hold or (later) a booking."""

    __tablename__ = "legs"
    __table_args__ = (
        CheckConstraint("(hold_id IS NULL) <> (booking_id IS NULL)", name="one_owner"),
        CheckConstraint("starts_at < ends_at", name="interval"),
        CheckConstraint("desk_no >= 1", name="desk_no"),
        Index("ix_legs_office_starts", "office_id", "starts_at"),
    )

    id = Column(Integer, primary_key=True)
    hold_id = Column(ForeignKey("holds.id", ondelete="CASCADE"), nullable=True, index=True)
    booking_id = Column(ForeignKey("bookings.id", ondelete="CASCADE"), nullable=True, index=True)
    service_id = Column(ForeignKey("services.id"), nullable=False)
    office_id = Column(ForeignKey("offices.id"), nullable=False)
    desk_no = Column(Integer, nullable=False)
    starts_at = Column(UTCDateTime, nullable=False)
    ends_at = Column(UTCDateTime, nullable=False)
    uid = Column(String(64), nullable=False)  # random iCalendar UID, stable per leg

    hold = relationship("Hold", back_populates="legs", lazy="raise_on_sql")
    booking = relationship("Booking", back_populates="legs", lazy="raise_on_sql")


class DeskSlot(Base):
    """Backstop against double booking: one row per desk and 5-minute slot taken."""

    __tablename__ = "desk_slots"

    office_id = Column(String(64), primary_key=True)
    desk_no = Column(Integer, primary_key=True)
    slot_start = Column(UTCDateTime, primary_key=True)
    leg_id = Column(ForeignKey("legs.id", ondelete="CASCADE"), nullable=False, index=True)


class IdempotencyRecord(Base):
    """A booking request seen before (see ``domain/idempotency.py``)."""

    __tablename__ = "idempotency_records"

    key_digest = Column(String(64), primary_key=True)
    fingerprint = Column(String(64), nullable=False)
    booking_id = Column(ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False)
    sealed_token = Column(String(128), nullable=False)
    sealed_pin = Column(String(64), nullable=True)  # the PIN, sealed the same way
    created_at = Column(UTCDateTime, nullable=False, index=True)


class PinAttempts(Base):
    """Wrong PINs per booking code or per client (``domain/lockout.py``).

    ``key_digest`` is a SHA-256 of the code or the client key: the table holds
    neither, and unknown codes are counted like real ones.
    """

    __tablename__ = "pin_attempts"

    scope = Column(String(8), primary_key=True)  # code | client
    key_digest = Column(String(64), primary_key=True)
    failures = Column(Integer, nullable=False, default=0)
    window_start = Column(UTCDateTime, nullable=True)
    locked_until = Column(UTCDateTime, nullable=True)


MAIL_CONFIRMATION = "confirmation"
MAIL_REMINDER = "reminder"
MAIL_CANCELLATION = "cancellation"
MAIL_PENDING = "pending"
MAIL_SENT = "sent"
MAIL_FAILED = "failed"  # gave up after the last retry
MAIL_DROPPED = "dropped"  # no longer wanted: cancelled, begun, or the contact purged


class OutboxMail(Base):
    """A mail to send for a booking; rendered from the booking when it is sent.

    No address and no text is stored here, only which mail is due and its
    delivery state, so the purge of the booking's contact ends it as well.
    One row per booking and kind at most: a reminder can be queued once only.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("booking_id", "kind"),
        CheckConstraint(
            f"kind IN ('{MAIL_CONFIRMATION}', '{MAIL_REMINDER}', '{MAIL_CANCELLATION}')",
            name="kind",
        ),
        CheckConstraint(
            f"status IN ('{MAIL_PENDING}', '{MAIL_SENT}', '{MAIL_FAILED}', '{MAIL_DROPPED}')",
            name="status",
        ),
        Index("ix_outbox_status_due", "status", "next_attempt_at"),
    )

    id = Column(Integer, primary_key=True)
    booking_id = Column(ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False)
    kind = Column(String(16), nullable=False)
    status = Column(String(16), nullable=False, default=MAIL_PENDING)
    attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(UTCDateTime, nullable=False)
    # When the next try may start; a claimed row is pushed ahead by the lease.
    next_attempt_at = Column(UTCDateTime, nullable=False)
    sent_at = Column(UTCDateTime, nullable=True)
    last_error = Column(String(64), nullable=True)  # an exception type or SMTP code, no text
    # The PIN for the confirmation, sealed under the secret key; cleared once sent.
    sealed_pin = Column(String(64), nullable=True)


AUDIT_LOOKUP = "lookup"
AUDIT_CANCEL = "cancel"


class AuditEntry(Base):
    """What a staff member did with a booking on a caller's behalf; no contact data."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False, index=True)
    staff_account = Column(String(64), nullable=False)
    action = Column(String(16), nullable=False)  # lookup | cancel
    booking_code = Column(String(9), nullable=True)  # None: what was typed is no code
    outcome = Column(String(24), nullable=False)  # found | not_found | cancelled | ...
