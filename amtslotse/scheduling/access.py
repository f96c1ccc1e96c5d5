"""Who may see or cancel a booking: a token, or the booking code with its PIN.

Two kinds of credential reach ``Scheduler.booking``, ``cancel`` and ``ics``:

- :class:`TokenCredential`: the access token of ``POST /bookings`` or the
  link token of the e-mails (``Authorization: Bearer ...``). Both are long
  and random, so a wrong one just gets 404.
- :class:`PinCredential`: the 6-digit PIN (``Authorization: PIN 123456``)
  with the client's key (``X-Client-Key``). Wrong PINs are counted per code
  and per client in ``pin_attempts`` (``domain/lockout.py``), in the same
  write transaction that checks the PIN, so several backend instances share
  the count. The counting commits even though the request is refused: the
  check returns its refusal instead of raising inside the transaction.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from amtslotse.scheduling.db.schema import Booking, PinAttempts
from amtslotse.scheduling.domain.codes import normalise_booking_code, token_matches
from amtslotse.scheduling.domain.lockout import (
    CLIENT_POLICY,
    CODE_POLICY,
    SCOPE_CLIENT,
    SCOPE_CODE,
    Attempts,
    Policy,
    after_failure,
    locked_for,
)
from amtslotse.scheduling.domain.pin import link_token_matches, normalise_pin, pin_matches
from amtslotse.scheduling.errors import (
    CodeLocked,
    NotFound,
    SchedulingError,
    TooManyTries,
    WrongPin,
)

#: Longest X-Client-Key accepted; the caller sends a hash, not the raw address.
MAX_CLIENT_KEY = 128


@dataclass(frozen=True)
class TokenCredential:
    token: str


@dataclass(frozen=True)
class PinCredential:
    pin: str
    client_key: str  # X-Client-Key, else the network peer


Credential = TokenCredential | PinCredential


def _digest(scope: str, value: str) -> str:
    return hashlib.sha256(f"amtslotse.{scope}\0{value}".encode()).hexdigest()


async def find_booking(session: AsyncSession, code: str) -> Booking | None:
    canonical = normalise_booking_code(code)
    if canonical is None:
        return None
    return await session.scalar(select(Booking).where(Booking.code == canonical))


async def by_token(session: AsyncSession, code: str, token: str, secret: str) -> Booking:
    """The booking for an access token or a link token; NotFound for anything else."""
    booking = await find_booking(session, code)
    # Same answer for an unknown code and a wrong token: no oracle for codes.
    if booking is None:
        raise NotFound("no booking with this code for this access token")
    # Both comparisons always run (constant time whichever of the two it is).
    access = token_matches(token, booking.token_digest)
    link = link_token_matches(secret, booking.code, booking.pin_salt, token)
    if not (access or link):
        raise NotFound("no booking with this code for this access token")
    return booking


async def _attempts_row(session: AsyncSession, scope: str, key: str) -> PinAttempts:
    """The counter row, locked for this transaction (created when missing)."""
    if session.bind.dialect.name == "postgresql":
        # Insert first so that FOR UPDATE has a row to lock, also for the first try.
        await session.execute(
            pg_insert(PinAttempts)
            .values(scope=scope, key_digest=key, failures=0)
            .on_conflict_do_nothing(index_elements=["scope", "key_digest"])
        )
    # SQLite: BEGIN IMMEDIATE already made this the only writer (db/database.py).
    row = await session.scalar(
        select(PinAttempts)
        .where(PinAttempts.scope == scope, PinAttempts.key_digest == key)
        .with_for_update()
    )
    if row is None:
        row = PinAttempts(scope=scope, key_digest=key, failures=0)
        session.add(row)
    return row


def _state(row: PinAttempts) -> Attempts:
    return Attempts(row.failures or 0, row.window_start, row.locked_until)


def _store(row: PinAttempts, state: Attempts) -> None:
    row.failures = state.failures
    row.window_start = state.window_start
    row.locked_until = state.locked_until


def _minutes(wait: timedelta) -> int:
    return max(1, math.ceil(wait.total_seconds() / 60))


def _code_locked(wait: timedelta) -> CodeLocked:
    minutes = _minutes(wait)
    return CodeLocked(
        f"Es gab zu viele falsche Versuche. Die Termin·nummer ist für {minutes} Minuten gesperrt.",
        retry_after_seconds=math.ceil(wait.total_seconds()),
    )


def _client_blocked(wait: timedelta) -> TooManyTries:
    minutes = _minutes(wait)
    return TooManyTries(
        f"Es gab zu viele falsche Versuche. Bitte warten Sie {minutes} Minuten.",
        retry_after_seconds=math.ceil(wait.total_seconds()),
    )


def _fail(row: PinAttempts, now: datetime, policy: Policy) -> Attempts:
    state = after_failure(_state(row), now, policy)
    _store(row, state)
    return state


async def by_pin(
    session: AsyncSession, code: str, credential: PinCredential, secret: str, now: datetime
) -> Booking | SchedulingError:
    """The booking, or the refusal to raise once this transaction has committed.

    Runs inside ``Database.write``: the counters it changes must be stored
    whether the PIN was right or not.
    """
    canonical = normalise_booking_code(code) or code.strip().upper()[:32]
    # Client first, then code: every transaction locks in this order (no deadlock).
    client_row = await _attempts_row(
        session, SCOPE_CLIENT, _digest("client", credential.client_key)
    )
    code_row = await _attempts_row(session, SCOPE_CODE, _digest("code", canonical))
    wait = locked_for(_state(client_row), now)
    if wait is not None:
        return _client_blocked(wait)
    wait = locked_for(_state(code_row), now)
    if wait is not None:
        return _code_locked(wait)
    booking = await find_booking(session, code)
    pin = normalise_pin(credential.pin) or ""
    ok = pin_matches(
        secret,
        booking.pin_salt if booking is not None else None,
        booking.pin_digest if booking is not None else None,
        pin,
    )
    if ok and booking is not None:
        _store(code_row, Attempts())
        return booking
    client_state = _fail(client_row, now, CLIENT_POLICY)
    code_state = _fail(code_row, now, CODE_POLICY)
    if (wait := locked_for(code_state, now)) is not None:
        return _code_locked(wait)
    if (wait := locked_for(client_state, now)) is not None:
        return _client_blocked(wait)
    return WrongPin(
        "no booking with this code and PIN",
        tries_left=min(
            CODE_POLICY.max_failures - code_state.failures,
            CLIENT_POLICY.max_failures - client_state.failures,
        ),
    )
