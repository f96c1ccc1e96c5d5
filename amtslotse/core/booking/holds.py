"""Which held time to give back when the citizen no longer wants it.

A hold blocks a desk in the backend for 10 minutes. When the citizen declines
the privacy notice, asks for other times, picks another time or starts over,
the actions release the old hold at once (best effort: unreleased, it expires).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def releasable_hold(slot: Any, now: datetime) -> str | None:
    """The hold id in a ``booking_hold`` slot value, if the hold may still block a desk.

    None when nothing is held (no hold, or a value without a hold id) and when
    the hold has run out already: the backend has freed its desks then. A hold
    whose expiry cannot be read is released; a needless release costs one call.
    ``now`` must carry a time zone.
    """
    if not isinstance(slot, dict):
        return None
    hold_id = slot.get("hold_id")
    if not isinstance(hold_id, str) or not hold_id:
        return None
    expires = _instant(slot.get("expires_at"))
    if expires is not None and expires <= now:
        return None
    return hold_id


def _instant(value: Any) -> datetime | None:
    """An RFC 3339 time with its offset (``...+01:00`` or ``...Z``), or None."""
    if not isinstance(value, str):
        return None
    try:
        instant = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return instant if instant.tzinfo is not None else None
