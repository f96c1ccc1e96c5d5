"""Which hold is given back when the citizen no longer wants it (pure)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from amtslotse.core.booking.holds import releasable_hold

NOW = datetime(2025, 12, 1, 9, 0, tzinfo=timezone.utc)


def slot(**values) -> dict:
    return {"hold_id": "h1", "bundle_id": "b1", "location_id": "skz", "legs": [], **values}


@pytest.mark.parametrize(
    "expires_at",
    [
        "2025-12-01T10:05:00+01:00",  # 5 minutes left (Berlin time, as the backend writes it)
        "2025-12-01T09:00:01Z",
        None,  # unknown: released, a needless release costs one call
        "soon",
        "2025-12-01T10:05:00",  # no offset: cannot be compared, so released
    ],
)
def test_a_live_or_unknown_hold_is_released(expires_at):
    assert releasable_hold(slot(expires_at=expires_at), NOW) == "h1"


@pytest.mark.parametrize(
    "expires_at", ["2025-12-01T10:00:00+01:00", "2025-12-01T08:59:59Z", "2025-11-30T12:00:00Z"]
)
def test_an_expired_hold_is_left_alone(expires_at):
    # The backend has freed its desks already.
    assert releasable_hold(slot(expires_at=expires_at), NOW) is None


@pytest.mark.parametrize(
    "value", [None, "h1", [], {}, {"hold_id": ""}, {"hold_id": None}, {"bundle_id": "b1"}]
)
def test_nothing_held_means_nothing_to_release(value):
    assert releasable_hold(value, NOW) is None
