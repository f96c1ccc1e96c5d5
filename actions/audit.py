"""Who acted on the hotline: one audit line per booking or cancellation an agent made.

The portal's hotline console sends the agent's account with every message
(Rasa message metadata ``{"staff": name}``, see amtslotse.rasa.channels);
Rasa keeps it on the user event the action sees. Citizens' own bookings
are not logged, and no line names a citizen or a contact.
"""

from __future__ import annotations

import logging
import re

from rasa_sdk import Tracker

audit = logging.getLogger("amtslotse.audit")
_ACCOUNT = re.compile(r"^[A-Za-z0-9._-]{1,64}$")  # amtslotse.portal.accounts.NAME


def staff_of(tracker: Tracker) -> str | None:
    """The staff account that sent the latest message on the hotline channel, if any."""
    if tracker.get_latest_input_channel() != "hotline":
        return None
    event = tracker.get_last_event_for("user") or {}
    staff = (event.get("metadata") or {}).get("staff")
    return staff if isinstance(staff, str) and _ACCOUNT.match(staff) else None


def record(tracker: Tracker, did: str, booking_code: str) -> None:
    """``hotline: erika booked AB12-CD34`` when an agent acted; nothing for citizens."""
    staff = staff_of(tracker)
    if staff is not None:
        audit.info("hotline: %s %s %s", staff, did, booking_code)


def log_to_stderr() -> None:
    """The action server's audit lines go to its output (the supervisor's log) at INFO."""
    if audit.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s audit %(message)s"))
    audit.addHandler(handler)
    audit.setLevel(logging.INFO)
    audit.propagate = False
