"""PINs, link tokens and the wrong-PIN lock, as pure functions."""

from __future__ import annotations

from datetime import datetime, timedelta

from amtslotse.scheduling.clock import UTC
from amtslotse.scheduling.domain.lockout import (
    CLIENT_POLICY,
    CODE_POLICY,
    Attempts,
    after_failure,
    forgettable,
    locked_for,
)
from amtslotse.scheduling.domain.pin import (
    link_token,
    link_token_matches,
    new_pin,
    new_salt,
    normalise_pin,
    pin_digest,
    pin_matches,
)

SECRET = "unit-test-secret"
NOW = datetime(2025, 3, 24, 8, 0, tzinfo=UTC)


def test_a_pin_is_six_digits_and_they_vary():
    pins = {new_pin() for _ in range(200)}
    assert all(len(p) == 6 and p.isdigit() for p in pins)
    assert len(pins) > 190


def test_what_a_person_types_or_reads_out_becomes_the_pin():
    assert normalise_pin("042 817") == "042817"
    assert normalise_pin("042-817") == "042817"
    for wrong in ("42817", "0428170", "04281x", "０４２８１７", ""):
        assert normalise_pin(wrong) is None


def test_the_digest_needs_the_secret_and_the_salt():
    salt = new_salt()
    digest = pin_digest(SECRET, salt, "123456")
    assert pin_matches(SECRET, salt, digest, "123456")
    assert not pin_matches(SECRET, salt, digest, "123457")
    assert not pin_matches("another-secret", salt, digest, "123456")
    assert not pin_matches(SECRET, new_salt(), digest, "123456")
    # The same PIN of two bookings gives two digests: a table of them shows nothing.
    assert pin_digest(SECRET, new_salt(), "123456") != digest


def test_a_booking_without_a_pin_matches_no_pin():
    assert not pin_matches(SECRET, None, None, "000000")


def test_the_link_token_is_long_bound_to_code_and_salt_and_no_pin_digest():
    salt = new_salt()
    token = link_token(SECRET, "K7M4-PQ2X", salt)
    assert len(token) == 43
    assert link_token_matches(SECRET, "K7M4-PQ2X", salt, token)
    assert not link_token_matches(SECRET, "K7M4-PQ2Y", salt, token)
    assert not link_token_matches(SECRET, "K7M4-PQ2X", new_salt(), token)
    assert not link_token_matches("another-secret", "K7M4-PQ2X", salt, token)
    assert not link_token_matches(SECRET, "K7M4-PQ2X", salt, "Ä" + token[1:])


def _fail(state: Attempts, times: int, now: datetime = NOW) -> Attempts:
    for _ in range(times):
        assert locked_for(state, now) is None
        state = after_failure(state, now, CODE_POLICY)
    return state


def test_five_wrong_pins_lock_the_code_for_fifteen_minutes():
    state = _fail(Attempts(), 4)
    assert state.failures == 4 and locked_for(state, NOW) is None
    state = _fail(state, 1)
    assert locked_for(state, NOW) == timedelta(minutes=15)
    assert locked_for(state, NOW + timedelta(minutes=14, seconds=59)) is not None
    later = NOW + timedelta(minutes=15)
    assert locked_for(state, later) is None
    # After the lock the count starts again: four more are allowed.
    again = _fail(state, 4, later)
    assert again.failures == 4 and locked_for(again, later) is None


def test_old_failures_are_forgotten_after_the_window():
    state = _fail(Attempts(), 4)
    next_day = NOW + CODE_POLICY.window
    assert forgettable(state, next_day, CODE_POLICY)
    assert after_failure(state, next_day, CODE_POLICY).failures == 1


def test_a_client_may_try_ten_times_an_hour():
    state = Attempts()
    for _ in range(9):
        state = after_failure(state, NOW, CLIENT_POLICY)
    assert locked_for(state, NOW) is None
    state = after_failure(state, NOW, CLIENT_POLICY)
    assert locked_for(state, NOW) == timedelta(hours=1)
    assert not forgettable(state, NOW, CLIENT_POLICY)
    assert forgettable(state, NOW + timedelta(hours=1), CLIENT_POLICY)
