"""The application service: one method per use case of the scheduling backend.

Each method opens its own transaction (``Database.reading`` or
``Database.write``), loads what the pure domain functions need, calls them
and stores the outcome. Write transactions follow one order, which the
comments in ``hold`` spell out: lock, clean up, re-check, then write.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from amtslotse.scheduling import staff as staff_desk
from amtslotse.scheduling.access import (
    Credential,
    PinCredential,
    TokenCredential,
    by_pin,
    by_token,
)
from amtslotse.scheduling.clock import Clock, local_date, local_day_bounds, utc_now
from amtslotse.scheduling.db import queries
from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.db.locks import lock_office_days
from amtslotse.scheduling.db.schema import (
    BOOKING_CANCELLED,
    BOOKING_CONFIRMED,
    MAIL_CANCELLATION,
    MAIL_CONFIRMATION,
    AuditEntry,
    Booking,
    Hold,
    IdempotencyRecord,
    Leg,
    Location,
    Office,
    PinAttempts,
    Service,
)
from amtslotse.scheduling.db.writes import delete_expired_holds, insert_leg, release_desks
from amtslotse.scheduling.domain.bundle_id import BadBundleId, BundleIds
from amtslotse.scheduling.domain.capacity import DeskBoard
from amtslotse.scheduling.domain.codes import (
    is_hold_id,
    new_access_token,
    new_booking_code,
    new_hold_id,
    token_digest,
)
from amtslotse.scheduling.domain.contact import Contact, parse_contact
from amtslotse.scheduling.domain.idempotency import (
    key_digest,
    request_fingerprint,
    seal,
    unseal,
)
from amtslotse.scheduling.domain.lockout import CLIENT_POLICY, CODE_POLICY, SCOPE_CLIENT
from amtslotse.scheduling.domain.model import (
    DEFAULT_RULES,
    Bundle,
    Daypart,
    SearchRules,
    ServiceOption,
)
from amtslotse.scheduling.domain.model import Leg as PlannedLeg
from amtslotse.scheduling.domain.pin import new_pin, new_salt, pin_digest, sealing_key
from amtslotse.scheduling.domain.resolve import resolve_services
from amtslotse.scheduling.domain.search import NotBookable, check_bundle, find_bundles
from amtslotse.scheduling.errors import (
    Conflict,
    FieldError,
    HoldAlreadyBooked,
    HoldExpired,
    IdempotencyKeyReused,
    InvalidRequest,
    NotFound,
    SchedulingError,
    SlotTaken,
    UnknownBundle,
)
from amtslotse.scheduling.ics import CalendarEntry, render_ics
from amtslotse.scheduling.notify.outbox import purge_outbox, queue_mail

ALTERNATIVES = 3
IDEMPOTENCY_RETENTION = timedelta(days=1)
# Days a schedule can be asked for; outside them UTC day bounds overflow datetime.
MIN_DAY, MAX_DAY = date(1, 1, 2), date(9999, 12, 30)
#: Audit entries of the hotline are kept this long unless SCHEDULING_AUDIT_DAYS says otherwise.
AUDIT_RETENTION_DAYS = 365
T = TypeVar("T")


@dataclass(frozen=True)
class HeldBundle:
    hold_id: str
    expires_at: datetime
    bundle: Bundle


@dataclass(frozen=True)
class BookingView:
    code: str
    status: str
    location_id: str
    legs: tuple[PlannedLeg, ...]
    contact: Contact | None  # None once purged
    created_at: datetime
    cancelled_at: datetime | None


@dataclass(frozen=True)
class NewBooking:
    booking: BookingView
    access_token: str
    replayed: bool  # True when an Idempotency-Key was seen before
    pin: str | None = None  # None only on a replay of a booking made before PINs


@dataclass(frozen=True)
class ScheduledLeg:
    booking_code: str
    service_id: str
    desk_no: int
    start: datetime
    end: datetime
    contact: Contact | None


@dataclass(frozen=True)
class PurgeReport:
    bookings: int
    idempotency_records: int
    holds: int
    mails: int = 0  # finished outbox rows
    pin_attempts: int = 0  # counters that tell nothing any more
    audit_entries: int = 0


class _Rejected(Exception):
    """Raised inside a transaction to roll it back; turned into SlotTaken outside."""

    def __init__(
        self, reason: str, options: Sequence[ServiceOption], after: datetime, expired: bool = False
    ):
        super().__init__(reason)
        self.reason, self.options, self.after, self.expired = reason, options, after, expired


def _view(booking: Booking, legs: Sequence[Leg]) -> BookingView:
    contact = None
    if booking.contact_name is not None:
        contact = Contact(booking.contact_name, booking.contact_phone, booking.contact_email)
    return BookingView(
        code=booking.code,
        status=booking.status,
        location_id=booking.location_id,
        legs=tuple(
            PlannedLeg(leg.service_id, leg.office_id, leg.starts_at, leg.ends_at) for leg in legs
        ),
        contact=contact,
        created_at=booking.created_at,
        cancelled_at=booking.cancelled_at,
    )


class Scheduler:
    def __init__(
        self,
        db: Database,
        *,
        rules: SearchRules = DEFAULT_RULES,
        hold_duration: timedelta = timedelta(minutes=10),
        clock: Clock = utc_now,
        bundle_key: bytes | None = None,
        secret_key: str | None = None,
        on_mail_queued: Callable[[], None] | None = None,
    ):
        self.db = db
        self.rules = rules
        self.hold_duration = hold_duration
        self.clock = clock
        # Without a configured key, ids are valid for this Scheduler only (tests, benches).
        self.bundle_ids = BundleIds(bundle_key or secrets.token_bytes(32))
        # Keys the PINs and the e-mail links (SCHEDULING_SECRET_KEY); random if none.
        self.secret_key = secret_key or secrets.token_urlsafe(32)
        # Wakes the mail loop when a booking or cancel has queued a mail.
        self.on_mail_queued = on_mail_queued

    # -- reference data ------------------------------------------------------

    async def locations(self) -> list[tuple[Location, list[Any]]]:
        async with self.db.reading() as session:
            return await queries.locations(session)

    async def offices(self) -> list[Office]:
        async with self.db.reading() as session:
            return await queries.offices(session)

    async def services(self) -> list[tuple[Service, list[ServiceOption]]]:
        async with self.db.reading() as session:
            offers = await queries.service_offers(session)
            return [(s, offers.get(s.id, [])) for s in await queries.services(session)]

    async def service_refs(self) -> list[str]:
        """Every way to name a bookable service in ``availability`` (see ``resolve``).

        ``id`` where one office offers it, ``id:office`` always; an id that
        several offices offer is not in the list alone (it needs the office).
        """
        async with self.db.reading() as session:
            offers = await queries.service_offers(session)
        refs = []
        for service_id, options in sorted(offers.items()):
            if len(options) == 1:
                refs.append(service_id)
            refs += [f"{service_id}:{o.office_id}" for o in options]
        return refs

    # -- availability ----------------------------------------------------------

    async def availability(
        self,
        services: Sequence[str],
        first_day: date,
        last_day: date,
        daypart: Daypart | None = None,
        limit: int | None = None,
    ) -> list[Bundle]:
        now = self.clock()
        async with self.db.reading() as session:
            offers = await queries.service_offers(session, [s.partition(":")[0] for s in services])
            options = resolve_services(services, offers)
            return await self._search(session, options, first_day, last_day, now, daypart, limit)

    async def _search(
        self,
        session: AsyncSession,
        options: Sequence[ServiceOption],
        first_day: date,
        last_day: date,
        now: datetime,
        daypart: Daypart | None = None,
        limit: int | None = None,
        not_before: datetime | None = None,
    ) -> list[Bundle]:
        first_day = max(first_day, local_date(now))
        last_day = min(last_day, local_date(now + self.rules.horizon))
        if first_day > last_day:
            return []
        location_id = options[0].location_id
        calendar = await queries.location_calendar(session, location_id, first_day, last_day)
        office_ids = [o.office_id for o in options]
        start, _ = local_day_bounds(first_day, calendar.zone)
        _, end = local_day_bounds(last_day, calendar.zone)
        board = DeskBoard(
            await queries.office_desks(session, office_ids),
            await queries.busy_legs(session, office_ids, start, end, now),
        )
        return find_bundles(
            options,
            calendar=calendar,
            board=board,
            first_day=first_day,
            last_day=last_day,
            now=now,
            rules=self.rules,
            daypart=daypart,
            limit=limit,
            not_before=not_before,
        )

    async def _alternatives(
        self, options: Sequence[ServiceOption], after: datetime
    ) -> list[Bundle]:
        """The next free bundles for the same services from ``after`` on."""
        now = self.clock()
        async with self.db.reading() as session:
            # date.max: _search clips the range to the booking horizon.
            return await self._search(
                session,
                options,
                local_date(max(after, now)),
                date.max,
                now,
                limit=ALTERNATIVES,
                not_before=after,
            )

    # -- holds -------------------------------------------------------------------

    async def hold(self, bundle_id: Any, holder: str | None = None) -> HeldBundle:
        """Reserve every leg of a bundle for ``hold_duration``, all or none.

        A ``holder`` (an opaque name for one conversation) has at most one
        hold: the new one replaces the previous in the same transaction, so
        one conversation can never block more than one set of desks.
        """
        try:
            ref = self.bundle_ids.decode(bundle_id)
        except BadBundleId:
            # 404, like an unknown hold id: a forged or edited id names nothing of ours.
            raise UnknownBundle(
                "this bundle id was not issued by this backend; take one from GET /availability",
                errors=[FieldError("/bundle_id", "unknown bundle id")],
            ) from None
        async with self.db.reading() as session:
            offers = await queries.service_offers(session, [leg.service_id for leg in ref.legs])
        options: list[ServiceOption] = []
        for leg_ref in ref.legs:
            match = [
                o
                for o in offers.get(leg_ref.service_id, ())
                if o.office_id == leg_ref.office_id and o.location_id == ref.location_id
            ]
            if not match:
                raise UnknownBundle(
                    "the bundle names a service that cannot be booked there (any more)",
                    errors=[FieldError("/bundle_id", "unknown bundle id")],
                )
            options.append(match[0])
        legs = [
            PlannedLeg(o.service_id, o.office_id, r.start, r.start + o.duration)
            for o, r in zip(options, ref.legs, strict=True)
        ]
        bundle = Bundle(ref.location_id, tuple(legs))

        async def work(session: AsyncSession) -> HeldBundle:
            now = self.clock()
            day = local_date(bundle.start)
            office_ids = sorted({leg.office_id for leg in legs})
            # 1. Lock the office-days first: everything after this sees the
            #    latest committed state and nobody else can change it. The
            #    holder's previous hold is given back, so its days are locked too.
            await lock_office_days(session, [(o, day) for o in office_ids])
            if holder is not None:
                await self._release_holder(session, holder)
            start, end = local_day_bounds(day)
            # 2. Free desks of expired holds before counting and inserting.
            await delete_expired_holds(session, office_ids, start, end, now)
            # 3. Re-check every rule against the current occupancy.
            calendar = await queries.location_calendar(session, ref.location_id, day, day)
            board = DeskBoard(
                await queries.office_desks(session, office_ids),
                await queries.busy_legs(session, office_ids, start, end, now),
            )
            try:
                desks = check_bundle(
                    legs, calendar=calendar, board=board, now=now, rules=self.rules
                )
            except NotBookable as exc:
                raise _Rejected(exc.reason, options, bundle.start) from None
            # 4. Write the hold and all its legs; a failure in between rolls back all.
            # A second hold of the same holder committed meanwhile (PostgreSQL) fails
            # the unique index on holds.holder; the retry then replaces that one.
            hold = Hold(
                id=new_hold_id(),
                location_id=ref.location_id,
                holder=holder,
                created_at=now,
                expires_at=now + self.hold_duration,
            )
            session.add(hold)
            await session.flush()
            for leg, desk in zip(legs, desks, strict=True):
                await insert_leg(session, hold.id, leg, desk)
            return HeldBundle(hold.id, hold.expires_at, bundle)

        try:
            return await self.db.write(work)
        except _Rejected as rejected:
            raise await self._slot_taken(rejected) from None

    @staticmethod
    async def _release_holder(session: AsyncSession, holder: str) -> None:
        """Delete the holder's earlier hold(s), after locking their office-days.

        The lock keeps ``book`` of that hold from running at the same time
        (it takes the same locks first). Locks taken in a second step may
        deadlock with another writer; the database detects it and
        ``Database.write`` runs the whole unit again.
        """
        locked: set[tuple[str, date]] = set()
        while True:
            rows = (
                await session.execute(
                    select(Hold.id, Leg.office_id, Leg.starts_at)
                    .join(Leg, Leg.hold_id == Hold.id)
                    .where(Hold.holder == holder)
                )
            ).all()
            needed = {(office_id, local_date(starts_at)) for _, office_id, starts_at in rows}
            if needed <= locked:
                break
            await lock_office_days(session, needed - locked)
            locked |= needed
        # Expired ones too: their desks are free already, and the unique index wants it.
        await session.execute(delete(Hold).where(Hold.holder == holder))

    async def _slot_taken(self, rejected: _Rejected) -> SlotTaken:
        alternatives = await self._alternatives(rejected.options, rejected.after)
        cls = HoldExpired if rejected.expired else SlotTaken
        return cls(f"{rejected.reason}; see alternatives", alternatives=alternatives)

    async def release(self, hold_id: str) -> None:
        """Give a hold's desks back at once, before it expires.

        A citizen who says "Nein" or wants other times should not block the
        desks for the rest of ``hold_duration``. The hold id (128 random bits,
        known only to whoever made the hold) is the capability, as in ``book``.
        A malformed id gets the same answer as an unknown one: nothing to find.
        """
        if not is_hold_id(hold_id):
            raise NotFound("there is no hold with this id")

        async def work(session: AsyncSession) -> None:
            now = self.clock()
            # Lock the same office-days as ``book`` before looking at the hold:
            # a booking of this hold in flight either commits first (then the
            # hold is gone and its booking exists) or waits for this release
            # (then it finds no hold). Plain rows, not ORM objects, so that
            # nothing read before the lock is served from the identity map.
            held = (
                await session.execute(
                    select(Leg.office_id, Leg.starts_at).where(Leg.hold_id == hold_id)
                )
            ).all()
            await lock_office_days(
                session, {(office_id, local_date(starts_at)) for office_id, starts_at in held}
            )
            expires_at = await session.scalar(select(Hold.expires_at).where(Hold.id == hold_id))
            if expires_at is None:
                if await session.scalar(select(Booking.id).where(Booking.hold_id == hold_id)):
                    raise HoldAlreadyBooked(
                        "this hold has become a booking; cancel it with DELETE /bookings/{code}"
                    )
                raise NotFound("there is no hold with this id")
            if expires_at <= now:
                # Its desks are free already; the purge deletes the row.
                raise NotFound("this hold has expired")
            # Legs and their desk slots go by ON DELETE CASCADE, in this transaction.
            await session.execute(delete(Hold).where(Hold.id == hold_id))

        await self.db.write(work)

    # -- bookings ------------------------------------------------------------------

    async def book(self, body: Mapping[str, Any], idempotency_key: str) -> NewBooking:
        """Turn a hold into a booking; the same key and body answer the same booking.

        ``body`` is ``{"hold_id", "contact"}`` as the API checked it
        (``api/contract.py``); the contact is normalised here.
        """
        if not idempotency_key.isascii():
            raise InvalidRequest("the Idempotency-Key must be printable ASCII")
        hold_id = body.get("hold_id")
        if not isinstance(hold_id, str) or not is_hold_id(hold_id):
            raise NotFound("there is no hold with this id")
        contact = parse_contact(body.get("contact"))
        digest = key_digest(idempotency_key)
        fingerprint = request_fingerprint(idempotency_key, body)

        async def work(session: AsyncSession) -> NewBooking:
            now = self.clock()
            held = list(await session.scalars(select(Leg).where(Leg.hold_id == hold_id)))
            # Lock before reading the idempotency record and the hold: a
            # concurrent request for the same hold then waits for this one
            # and finds its record (replay) or the hold gone (already booked).
            await lock_office_days(
                session, {(leg.office_id, local_date(leg.starts_at)) for leg in held}
            )
            record = await session.get(IdempotencyRecord, digest)
            if record is not None:
                if record.fingerprint != fingerprint:
                    raise IdempotencyKeyReused(
                        "this Idempotency-Key was used for a different request; use a new key"
                    )
                return await self._replay(session, record, idempotency_key)
            hold = await session.get(Hold, hold_id)
            if hold is None:
                if await session.scalar(select(Booking.id).where(Booking.hold_id == hold_id)):
                    raise HoldAlreadyBooked("this hold has already been booked")
                raise NotFound("there is no hold with this id")
            legs = list(
                await session.scalars(
                    select(Leg).where(Leg.hold_id == hold_id).order_by(Leg.starts_at)
                )
            )
            if hold.expires_at <= now:
                offers = await queries.service_offers(session, [leg.service_id for leg in legs])
                options = [
                    o
                    for leg in legs
                    for o in offers.get(leg.service_id, ())
                    if o.office_id == leg.office_id
                ]
                raise _Rejected("the hold has expired", options, legs[0].starts_at, expired=True)
            token, pin, salt = new_access_token(), new_pin(), new_salt()
            booking = Booking(
                code=new_booking_code(),
                token_digest=token_digest(token),
                pin_digest=pin_digest(self.secret_key, salt, pin),
                pin_salt=salt,
                location_id=hold.location_id,
                hold_id=hold.id,
                status=BOOKING_CONFIRMED,
                created_at=now,
                starts_at=legs[0].starts_at,
                ends_at=legs[-1].ends_at,
                contact_name=contact.name,
                contact_phone=contact.phone,
                contact_email=contact.email,
            )
            session.add(booking)
            await session.flush()
            # Hand the legs (and so their desk slots) from the hold to the booking
            # in one statement, then drop the hold; capacity never has a gap.
            await session.execute(
                update(Leg)
                .where(Leg.hold_id == hold.id)
                .values(booking_id=booking.id, hold_id=None)
            )
            await session.execute(delete(Hold).where(Hold.id == hold.id))
            session.add(
                IdempotencyRecord(
                    key_digest=digest,
                    fingerprint=fingerprint,
                    booking_id=booking.id,
                    sealed_token=seal(token, idempotency_key),
                    sealed_pin=seal(pin, idempotency_key),
                    created_at=now,
                )
            )
            if contact.email:
                # Sent by the mail loop after this commits; a mail server that
                # is down never fails the booking.
                sealed = seal(pin, sealing_key(self.secret_key))
                await queue_mail(session, booking.id, MAIL_CONFIRMATION, now, sealed_pin=sealed)
            return NewBooking(_view(booking, legs), token, replayed=False, pin=pin)

        try:
            new = await self.db.write(work)
        except _Rejected as rejected:
            raise await self._slot_taken(rejected) from None
        if new.booking.contact and new.booking.contact.email and not new.replayed:
            self._mail_queued()
        return new

    def _mail_queued(self) -> None:
        if self.on_mail_queued is not None:
            self.on_mail_queued()

    async def _replay(
        self, session: AsyncSession, record: IdempotencyRecord, key: str
    ) -> NewBooking:
        booking = await session.get(Booking, record.booking_id)
        assert booking is not None  # the record cascades with its booking
        legs = await self._legs_of(session, booking)
        pin = unseal(record.sealed_pin, key) if record.sealed_pin else None
        return NewBooking(
            _view(booking, legs), unseal(record.sealed_token, key), replayed=True, pin=pin
        )

    @staticmethod
    async def _legs_of(session: AsyncSession, booking: Booking) -> list[Leg]:
        return list(
            await session.scalars(
                select(Leg).where(Leg.booking_id == booking.id).order_by(Leg.starts_at)
            )
        )

    async def _with_access(
        self,
        code: str,
        credential: Credential | str,
        then: Callable[[AsyncSession, Booking], Awaitable[T]],
        *,
        write: bool,
    ) -> T:
        """Run ``then`` on the booking the credential opens, in one transaction.

        A PIN always takes a write transaction: its wrong tries are counted.
        Their refusal is raised after the commit, so the count is kept.
        """
        if isinstance(credential, str):
            credential = TokenCredential(credential)
        if isinstance(credential, TokenCredential):
            token = credential.token

            async def with_token(session: AsyncSession) -> T:
                return await then(session, await by_token(session, code, token, self.secret_key))

            if write:
                return await self.db.write(with_token)
            async with self.db.reading() as session:
                return await with_token(session)
        pin: PinCredential = credential

        async def with_pin(session: AsyncSession) -> T | SchedulingError:
            found = await by_pin(session, code, pin, self.secret_key, self.clock())
            if isinstance(found, SchedulingError):
                return found
            return await then(session, found)

        outcome = await self.db.write(with_pin)
        if isinstance(outcome, SchedulingError):
            raise outcome
        return outcome

    async def booking(self, code: str, credential: Credential | str) -> BookingView:
        """The booking; ``credential`` is a token (or a plain token string) or a PIN."""

        async def show(session: AsyncSession, booking: Booking) -> BookingView:
            return _view(booking, await self._legs_of(session, booking))

        return await self._with_access(code, credential, show, write=False)

    async def cancel(self, code: str, credential: Credential | str) -> BookingView:
        """Cancel a booking and free its desks; cancelling twice is harmless.

        An appointment that has begun stays on record: staff may already be
        serving the citizen, and the desk time cannot be given to anyone else.
        """
        view, mailed = await self._with_access(code, credential, self._cancel, write=True)
        if mailed:
            self._mail_queued()
        return view

    async def _cancel(self, session: AsyncSession, booking: Booking) -> tuple[BookingView, bool]:
        """Cancel inside a write transaction; True when a cancellation mail was queued."""
        now = self.clock()
        legs = await self._legs_of(session, booking)
        mailed = False
        if booking.status == BOOKING_CONFIRMED:
            if booking.starts_at <= now:
                raise Conflict("the appointment has already begun; please call the office")
            booking.status = BOOKING_CANCELLED
            booking.cancelled_at = now
            await release_desks(session, [leg.id for leg in legs])
            if booking.contact_email:
                mailed = await queue_mail(session, booking.id, MAIL_CANCELLATION, now)
        return _view(booking, legs), mailed

    async def ics(self, code: str, credential: Credential | str) -> bytes:
        async def calendar(session: AsyncSession, booking: Booking) -> bytes:
            return await booking_calendar(session, booking, self.clock())

        return await self._with_access(code, credential, calendar, write=False)

    # -- staff -------------------------------------------------------------------

    async def staff_lookup(self, staff: str, claim: staff_desk.CallerClaim) -> BookingView:
        """The booking whose code, name and contact the caller told the hotline; audited."""

        async def work(session: AsyncSession) -> BookingView | None:
            now = self.clock()
            booking = await staff_desk.claimed_booking(
                session, claim, staff, staff_desk.AUDIT_LOOKUP, now
            )
            if booking is None:
                return None
            staff_desk.audit(
                session, now, staff, staff_desk.AUDIT_LOOKUP, booking.code, staff_desk.FOUND
            )
            return _view(booking, await self._legs_of(session, booking))

        # The audit entry of a miss is committed too; the refusal is raised after.
        view = await self.db.write(work)
        if view is None:
            raise staff_desk.not_found()
        return view

    async def staff_cancel(self, staff: str, claim: staff_desk.CallerClaim) -> BookingView:
        """Cancel for a caller identified by code, name and contact; audited."""

        async def work(session: AsyncSession) -> tuple[BookingView, bool] | str:
            now = self.clock()
            booking = await staff_desk.claimed_booking(
                session, claim, staff, staff_desk.AUDIT_CANCEL, now
            )
            if booking is None:
                return staff_desk.NOT_FOUND
            code = booking.code
            if booking.status == BOOKING_CONFIRMED and booking.starts_at <= now:
                staff_desk.audit(
                    session, now, staff, staff_desk.AUDIT_CANCEL, code, staff_desk.BEGUN
                )
                return staff_desk.BEGUN
            outcome = (
                staff_desk.ALREADY_CANCELLED
                if booking.status == BOOKING_CANCELLED
                else staff_desk.CANCELLED
            )
            done = await self._cancel(session, booking)
            staff_desk.audit(session, now, staff, staff_desk.AUDIT_CANCEL, code, outcome)
            return done

        outcome = await self.db.write(work)
        if outcome == staff_desk.NOT_FOUND:
            raise staff_desk.not_found()
        if outcome == staff_desk.BEGUN:
            raise staff_desk.begun()
        assert not isinstance(outcome, str)
        view, mailed = outcome
        if mailed:
            self._mail_queued()
        return view

    async def audit_log(
        self,
        *,
        staff: str | None = None,
        code: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[staff_desk.AuditRow]:
        """The staff audit log, newest first."""
        async with self.db.reading() as session:
            return await staff_desk.audit_rows(
                session, staff=staff, code=code, since=since, limit=limit
            )

    async def schedule(self, office_id: str, day: date) -> list[ScheduledLeg]:
        """Booked legs of one office on one local day, by start and desk."""
        async with self.db.reading() as session:
            if await session.get(Office, office_id) is None:
                raise NotFound(f"there is no office '{office_id}'")
            if not MIN_DAY <= day <= MAX_DAY:
                return []  # nobody books there; and datetime cannot even say when it starts
            start, end = local_day_bounds(day)
            rows = (
                await session.execute(
                    select(Leg, Booking)
                    .join(Booking, Booking.id == Leg.booking_id)
                    .where(
                        Leg.office_id == office_id,
                        Booking.status == BOOKING_CONFIRMED,
                        Leg.starts_at >= start,
                        Leg.starts_at < end,
                    )
                    .order_by(Leg.starts_at, Leg.desk_no)
                )
            ).all()
        return [
            ScheduledLeg(
                booking.code,
                leg.service_id,
                leg.desk_no,
                leg.starts_at,
                leg.ends_at,
                _view(booking, []).contact,
            )
            for leg, booking in rows
        ]

    async def purge(
        self, older_than_days: int, audit_days: int = AUDIT_RETENTION_DAYS
    ) -> PurgeReport:
        """Delete personal data of appointments that ended (or were cancelled) long ago.

        Also drops idempotency records after a day (they hold sealed tokens)
        and holds that have expired. Runs from ``amtslotse db purge`` and from
        the backend's own housekeeping (``housekeeping.py``), possibly in
        several instances at once: every statement only touches rows that
        still need it, so a second run in parallel or right after is a no-op.
        """
        now = self.clock()
        cutoff = now - timedelta(days=older_than_days)

        async def work(session: AsyncSession) -> PurgeReport:
            purged = await session.execute(
                update(Booking)
                .where(
                    Booking.purged_at.is_(None),
                    or_(Booking.ends_at < cutoff, Booking.cancelled_at < cutoff),
                )
                .values(
                    contact_name=None,
                    contact_phone=None,
                    contact_email=None,
                    pin_digest=None,
                    purged_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            records = await session.execute(
                delete(IdempotencyRecord)
                .where(IdempotencyRecord.created_at < now - IDEMPOTENCY_RETENTION)
                .execution_options(synchronize_session=False)
            )
            holds = await session.execute(
                delete(Hold)
                .where(Hold.expires_at <= now)
                .execution_options(synchronize_session=False)
            )
            attempts = 0
            for scope_is_client, policy in ((True, CLIENT_POLICY), (False, CODE_POLICY)):
                scope = PinAttempts.scope == SCOPE_CLIENT
                result = await session.execute(
                    delete(PinAttempts)
                    .where(
                        scope if scope_is_client else ~scope,
                        or_(PinAttempts.locked_until.is_(None), PinAttempts.locked_until <= now),
                        or_(
                            PinAttempts.window_start.is_(None),
                            PinAttempts.window_start <= now - policy.window,
                        ),
                    )
                    .execution_options(synchronize_session=False)
                )
                attempts += result.rowcount
            audit = await session.execute(
                delete(AuditEntry)
                .where(AuditEntry.at < now - timedelta(days=audit_days))
                .execution_options(synchronize_session=False)
            )
            return PurgeReport(
                purged.rowcount,
                records.rowcount,
                holds.rowcount,
                mails=await purge_outbox(session, now),
                pin_attempts=attempts,
                audit_entries=audit.rowcount,
            )

        return await self.db.write(work)


async def booking_calendar(session: AsyncSession, booking: Booking, stamp: datetime) -> bytes:
    """The iCalendar file of a booking (for GET .../ics and the e-mails)."""
    legs = await Scheduler._legs_of(session, booking)
    location = await session.get(Location, booking.location_id)
    assert location is not None
    names = {s.id: s.name for s in await queries.services(session)}
    offices = {o.id: o.name for o in await queries.offices(session)}
    where = f"{location.name}, {location.street}, {location.postcode} {location.city}"
    entries = [
        CalendarEntry(
            uid=leg.uid,
            start=leg.starts_at,
            end=leg.ends_at,
            summary=f"{names.get(leg.service_id, leg.service_id)}"
            f" ({offices.get(leg.office_id, leg.office_id)})",
            location=where,
        )
        for leg in legs
    ]
    return render_ics(
        booking.code, entries, cancelled=booking.status == BOOKING_CANCELLED, stamp=stamp
    )
