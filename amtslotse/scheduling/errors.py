"""Domain errors of the scheduling backend.

Raised by the domain and the application service; the HTTP adapter maps each
class to one problem+json response (``api/problems.py``), the CLI to a message.

    SchedulingError
    ├── InvalidRequest             the request itself is wrong (bad parameter or body)
    │   ├── UnknownService         a service id that does not exist or takes no appointments
    │   ├── AmbiguousService       a service offered by several offices; the office must be named
    │   ├── MixedLocations         services at different locations cannot form one bundle
    │   ├── InvalidBundleId        not even shaped like a bundle id
    │   ├── InvalidContact         name, phone or email fail validation
    │   └── UnsupportedMediaType   a body that is not UTF-8 JSON
    ├── Unauthorized               missing or wrong bearer token
    ├── NotFound                   no such booking or hold (or not yours)
    │   ├── UnknownBundle          a bundle id this backend did not sign, or cannot book
    │   └── WrongPin               no booking with this code and PIN (carries tries_left)
    ├── CodeLocked                 too many wrong PINs for this code: locked for a while
    ├── TooManyTries               too many wrong PINs from this client
    ├── Conflict                   the state changed under the client
    │   ├── SlotTaken              the bundle is no longer free (carries alternatives)
    │   ├── HoldExpired            the hold ran out before the booking
    │   └── HoldAlreadyBooked      the hold is a booking now (booked again, or released)
    ├── IdempotencyKeyReused       same Idempotency-Key, different request body
    └── Unavailable                the database keeps failing (after retries)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One wrong input: ``field`` is a query parameter, header or JSON pointer."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class SchedulingError(Exception):
    """Base class; ``detail`` is a sentence safe to show (never personal data)."""

    title = "Scheduling error"

    def __init__(self, detail: str, *, errors: Sequence[FieldError] = ()):
        super().__init__(detail)
        self.detail = detail
        self.errors = tuple(errors)

    def extensions(self) -> dict[str, Any]:
        """Extra members of the problem document (RFC 9457 section 3.2)."""
        return {"errors": [e.as_dict() for e in self.errors]} if self.errors else {}

    def headers(self) -> dict[str, str]:
        """Extra response headers (Retry-After of a lock)."""
        return {}


class InvalidRequest(SchedulingError):
    title = "Invalid request"


class UnknownService(InvalidRequest):
    title = "Unknown service"


class AmbiguousService(InvalidRequest):
    title = "Service needs an office"


class MixedLocations(InvalidRequest):
    title = "Services at different locations"

    def __init__(self, detail: str, *, locations: dict[str, str]):
        super().__init__(detail)
        self.locations = locations  # service id -> location id

    def extensions(self) -> dict[str, Any]:
        return {"locations": dict(self.locations)}


class InvalidBundleId(InvalidRequest):
    title = "Invalid bundle id"


class InvalidContact(InvalidRequest):
    title = "Invalid contact"


class UnsupportedMediaType(InvalidRequest):
    title = "Unsupported media type"


class Unauthorized(SchedulingError):
    title = "Unauthorized"


class NotFound(SchedulingError):
    title = "Not found"


class UnknownBundle(NotFound):
    title = "Unknown bundle"


class WrongPin(NotFound):
    """The same answer for an unknown code and a wrong PIN: no oracle for codes."""

    def __init__(self, detail: str, *, tries_left: int):
        super().__init__(detail)
        self.tries_left = tries_left

    def extensions(self) -> dict[str, Any]:
        return {"tries_left": self.tries_left}


class _Locked(SchedulingError):
    """Wrong PINs made a lock; ``detail`` is plain enough to show a citizen."""

    def __init__(self, detail: str, *, retry_after_seconds: int):
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds

    def extensions(self) -> dict[str, Any]:
        return {"retry_after_seconds": self.retry_after_seconds}

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_seconds)}


class CodeLocked(_Locked):
    title = "Booking code locked"


class TooManyTries(_Locked):
    title = "Too many wrong PINs"


class Conflict(SchedulingError):
    title = "Conflict"


class SlotTaken(Conflict):
    title = "Appointment no longer free"

    def __init__(self, detail: str, *, alternatives: Sequence[Any] = ()):
        super().__init__(detail)
        # Bundles the client may take instead; the HTTP adapter renders them.
        self.alternatives = tuple(alternatives)


class HoldExpired(SlotTaken):
    title = "Hold expired"


class HoldAlreadyBooked(Conflict):
    title = "Hold already booked"


class IdempotencyKeyReused(SchedulingError):
    title = "Idempotency-Key reused with a different request"


class Unavailable(SchedulingError):
    title = "Service unavailable"
