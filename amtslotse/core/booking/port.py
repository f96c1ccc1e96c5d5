"""What the booking core needs from the scheduling backend, and how that can fail.

The core is written against :class:`SchedulingPort`; the action server's
HTTP client (actions/api/scheduling.py) is the one implementation, and the
tests use the real backend app behind that client. The exceptions are the
core's too, so that the core never imports an adapter::

    SchedulingError
     ├── SchedulingUnavailable   the backend did not answer in time, or with 5xx
     └── SchedulingProblem       the backend answered with a problem document (4xx)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

__all__ = ["SchedulingError", "SchedulingPort", "SchedulingProblem", "SchedulingUnavailable"]


class SchedulingError(Exception):
    """Something went wrong talking to the scheduling backend."""


class SchedulingUnavailable(SchedulingError):
    """The backend did not answer in time, or answered with a server error."""


class SchedulingProblem(SchedulingError):
    """The backend answered with a problem document (4xx); ``slug`` is its type's last part."""

    def __init__(self, status: int, problem: dict[str, Any]):
        self.status = status
        self.problem = problem
        self.slug = str(problem.get("type", "")).rsplit(":", 1)[-1]
        super().__init__(f"{status} {self.slug}")

    @property
    def alternatives(self) -> list[dict[str, Any]]:
        """Bundles offered instead, with ``slot-taken`` and ``hold-expired``."""
        return list(self.problem.get("alternatives") or [])

    @property
    def locations(self) -> dict[str, str]:
        """service id → location id, with ``mixed-locations``."""
        return dict(self.problem.get("locations") or {})


class SchedulingPort(Protocol):
    async def availability(
        self,
        services: Sequence[str],
        first_day: date,
        last_day: date,
        daypart: str | None = None,
        limit: int = 200,
    ) -> list[dict[str, Any]]: ...

    async def hold(self, bundle_id: str, *, conversation: str | None = None) -> dict[str, Any]: ...

    async def release_hold(self, hold_id: str) -> bool: ...

    async def book(
        self, hold_id: str, contact: dict[str, str], idempotency_key: str
    ) -> dict[str, Any]: ...

    # ``secret``: the booking's access token, or its 6-digit PIN. ``conversation``
    # names who is asking: wrong PINs are counted per conversation.
    async def booking(
        self, code: str, secret: str, *, conversation: str | None = None
    ) -> dict[str, Any]: ...

    async def cancel(
        self, code: str, secret: str, *, conversation: str | None = None
    ) -> dict[str, Any]: ...
