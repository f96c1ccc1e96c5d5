"""How many wrong PINs are allowed: per booking code, and per client.

Two counters decide, each a fixed window that starts at the first wrong try:

- per code: 5 wrong PINs lock that code for 15 minutes (``CODE_POLICY``);
  then the count starts again. A right PIN clears the count. The lock holds
  for the PIN only: the link token of the e-mails and the access token still
  work, so whoever floods a code with guesses cannot take the citizen's own
  link away, and the hotline can still help.
- per client: 10 wrong PINs within an hour, on any codes, block that client
  until the hour is over (``CLIENT_POLICY``). The client is who the caller
  names in ``X-Client-Key`` (the portal or action server sends a hash of the
  conversation or address), else the network peer.

Unknown codes count like real ones, so the lock tells nobody which codes exist.
Pure: the state comes from and goes to the ``pin_attempts`` table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

SCOPE_CODE = "code"
SCOPE_CLIENT = "client"


@dataclass(frozen=True)
class Policy:
    max_failures: int
    window: timedelta  # failures older than this (from the first one) are forgotten
    lock: timedelta  # how long the lock holds after the last allowed failure


CODE_POLICY = Policy(max_failures=5, window=timedelta(hours=24), lock=timedelta(minutes=15))
CLIENT_POLICY = Policy(max_failures=10, window=timedelta(hours=1), lock=timedelta(hours=1))


@dataclass(frozen=True)
class Attempts:
    failures: int = 0
    window_start: datetime | None = None
    locked_until: datetime | None = None


def locked_for(state: Attempts, now: datetime) -> timedelta | None:
    """How long the lock still holds, or None when there is none."""
    if state.locked_until is not None and state.locked_until > now:
        return state.locked_until - now
    return None


def after_failure(state: Attempts, now: datetime, policy: Policy) -> Attempts:
    """The state after one more wrong try (made while not locked)."""
    expired = state.window_start is None or state.window_start + policy.window <= now
    if expired or (state.locked_until is not None and state.locked_until <= now):
        state = Attempts(0, now, None)
    failures = state.failures + 1
    if failures >= policy.max_failures:
        return Attempts(0, None, now + policy.lock)
    return Attempts(failures, state.window_start, None)


def forgettable(state: Attempts, now: datetime, policy: Policy) -> bool:
    """True when the row tells nothing any more (housekeeping deletes it)."""
    if locked_for(state, now) is not None:
        return False
    return state.window_start is None or state.window_start + policy.window <= now
