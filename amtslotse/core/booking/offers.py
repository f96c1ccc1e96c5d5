"""Picking the few appointment options to show, and the Idempotency-Key of a booking."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from amtslotse.core.booking.when import Preference

# Buttons the citizen can take in at a glance (plus "Andere Zeiten").
MAX_OPTIONS = 3


def start_of(bundle: dict[str, Any]) -> datetime:
    """The RFC 3339 start of a bundle (or leg), with its Europe/Berlin offset."""
    return datetime.fromisoformat(str(bundle["start"]))


def pick_options(
    bundles: Sequence[dict[str, Any]],
    preference: Preference,
    *,
    after: datetime | None = None,
    limit: int = MAX_OPTIONS,
) -> list[dict[str, Any]]:
    """Up to ``limit`` bundles, earliest first, spread over different days where possible.

    Three times on three days give a real choice; three times 15 minutes
    apart on one morning do not. Bundles on excluded weekdays and (for
    "Andere Zeiten") at or before ``after`` are dropped.
    """
    fitting = [
        b
        for b in sorted(bundles, key=start_of)
        if preference.allows(start_of(b)) and (after is None or start_of(b) > after)
    ]
    chosen: list[dict[str, Any]] = []
    days: set[str] = set()
    for bundle in fitting:
        day = start_of(bundle).date().isoformat()
        if day not in days:
            chosen.append(bundle)
            days.add(day)
        if len(chosen) == limit:
            break
    for bundle in fitting:
        if len(chosen) == limit:
            break
        if bundle not in chosen:
            chosen.append(bundle)
    return sorted(chosen, key=start_of)


def offer_payload(options: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The ``booking_offer`` object of the chat contract."""
    return {
        "type": "booking_offer",
        "options": [
            {
                "bundle_id": b["bundle_id"],
                "location_id": b.get("location_id"),
                "start": b["start"],
                "end": b["end"],
                "legs": [
                    {k: leg[k] for k in ("service_id", "office_id", "start", "end")}
                    for leg in b["legs"]
                ],
            }
            for b in options
        ],
    }


def idempotency_key(sender_id: str, hold_id: str) -> str:
    """One key per conversation and hold: a retried action replays, never books twice.

    Hashed so the key carries no conversation id to the backend's storage.
    """
    return hashlib.sha256(f"amtslotse:{sender_id}:{hold_id}".encode()).hexdigest()
