"""The hotline helps a caller who lost the PIN: find the booking by code, name and contact.

``POST /admin/bookings/lookup`` and ``/admin/bookings/cancel`` (admin token
plus ``X-Staff-Account``) come here. The caller tells the agent the booking
code, the name and the phone number or e-mail address given when booking;
only when all three match does the agent see (or cancel) the booking. Every
look-up and every cancel is written to ``audit_log`` in the same
transaction, with the staff account, the action, the code and the outcome,
never the caller's name or contact, so the log itself holds no personal data
beyond who worked when.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from amtslotse.scheduling.access import find_booking
from amtslotse.scheduling.db.schema import AUDIT_CANCEL, AUDIT_LOOKUP, AuditEntry, Booking
from amtslotse.scheduling.domain.codes import normalise_booking_code
from amtslotse.scheduling.domain.contact import Contact, parse_contact
from amtslotse.scheduling.errors import Conflict, NotFound

#: What a staff account name may look like (as the portal's accounts, plus "@").
#: Unanchored and portable: the API contract publishes it for ``X-Staff-Account``.
STAFF_ACCOUNT_PATTERN = "[A-Za-z0-9._@-]{1,64}"

FOUND = "found"
NOT_FOUND = "not_found"
CANCELLED = "cancelled"
ALREADY_CANCELLED = "already_cancelled"
BEGUN = "begun"
MAX_AUDIT_ROWS = 1000


@dataclass(frozen=True)
class CallerClaim:
    """What the caller says: the booking code and the contact given when booking."""

    code: str
    contact: Contact


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    staff_account: str
    action: str
    booking_code: str | None
    outcome: str


def parse_claim(body: Mapping[str, Any]) -> CallerClaim:
    """``{"booking_code", "contact"}`` as the API checked it (``api/contract.py``), normalised."""
    code = normalise_booking_code(body["booking_code"])
    # The contract's pattern admits only what normalises; a miss here is a bug.
    assert code is not None, "the contract lets only booking codes through"
    return CallerClaim(code, parse_contact(body["contact"]))


def _name_key(name: str) -> str:
    """Names compare without case, accents' encoding or extra spaces ("anna  MÜLLER")."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def same_caller(booking: Booking, contact: Contact) -> bool:
    """True when name and the one contact channel match what the booking holds."""
    if booking.contact_name is None:
        return False  # purged: nobody can be identified any more
    if _name_key(booking.contact_name) != _name_key(contact.name):
        return False
    if contact.phone is not None:
        return booking.contact_phone == contact.phone
    if contact.email is not None and booking.contact_email is not None:
        return booking.contact_email.casefold() == contact.email.casefold()
    return False


def audit(
    session: AsyncSession,
    now: datetime,
    staff: str,
    action: str,
    code: str | None,
    outcome: str,
) -> None:
    session.add(
        AuditEntry(at=now, staff_account=staff, action=action, booking_code=code, outcome=outcome)
    )


async def claimed_booking(
    session: AsyncSession, claim: CallerClaim, staff: str, action: str, now: datetime
) -> Booking | None:
    """The booking if the claim matches; a miss is audited here (the caller raises after)."""
    booking = await find_booking(session, claim.code)
    if booking is None or not same_caller(booking, claim.contact):
        audit(session, now, staff, action, claim.code, NOT_FOUND)
        return None
    return booking


def not_found() -> NotFound:
    return NotFound("no booking with this code for this name and contact")


def begun() -> Conflict:
    return Conflict("the appointment has already begun; please call the office")


async def audit_rows(
    session: AsyncSession,
    *,
    staff: str | None,
    code: str | None,
    since: datetime | None,
    limit: int,
) -> list[AuditRow]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if staff is not None:
        query = query.where(AuditEntry.staff_account == staff)
    if code is not None:
        query = query.where(AuditEntry.booking_code == code)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    rows = await session.scalars(query.limit(min(limit, MAX_AUDIT_ROWS)))
    return [AuditRow(r.at, r.staff_account, r.action, r.booking_code, r.outcome) for r in rows]


__all__ = [
    "AUDIT_CANCEL",
    "AUDIT_LOOKUP",
    "AuditRow",
    "CallerClaim",
    "audit",
    "audit_rows",
    "claimed_booking",
    "parse_claim",
    "same_caller",
]
