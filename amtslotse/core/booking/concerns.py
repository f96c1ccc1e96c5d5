"""Which concerns a booking covers, from what the citizen named.

A concern is one service at one office. It is written ``service:office`` in
slots and in ``GET /availability`` (the backend accepts that form for every
service, and needs it where several offices offer one, e.g. Bildung und
Teilhabe). Walk-in services, services of other authorities and child
protection are never booked: :func:`add_concerns` turns them into refusals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from amtslotse.core.content.model import Catalogue, Service, WalkIn

# The backend books at most this many services in one bundle.
MAX_CONCERNS = 4


@dataclass(frozen=True)
class Concern:
    service_id: str
    office_id: str

    @property
    def ref(self) -> str:
        return f"{self.service_id}:{self.office_id}"

    @classmethod
    def parse(cls, ref: str) -> Concern | None:
        service_id, _, office_id = ref.partition(":")
        if not service_id or not office_id:
            return None
        return cls(service_id, office_id)


@dataclass(frozen=True)
class Refusal:
    """A concern that gets no booking, and why: "walk_in", "external", "urgent", "office"."""

    reason: str
    service_id: str | None = None
    office_id: str | None = None


@dataclass(frozen=True)
class Selection:
    """The state of collecting concerns after one message."""

    concerns: tuple[Concern, ...] = ()
    pending_offices: tuple[str, ...] = ()  # offices with several services: ask which one
    refusals: tuple[Refusal, ...] = field(default_factory=tuple)


def offices_of(service: Service) -> tuple[str, ...]:
    """The offices that offer a service (several where the citizen chooses)."""
    if service.choose_office is not None:
        return tuple(o.payload_id for o in service.choose_office.options)
    return (service.office_id,) if service.office_id else ()


def bookable_services(cat: Catalogue, office_id: str) -> list[Service]:
    """The services of an office that take appointments, in content order."""
    return [s for s in cat.services.values() if s.bookable and office_id in offices_of(s)]


def bookable_offices(cat: Catalogue) -> list[str]:
    """Offices with at least one bookable service, in content order."""
    return [o for o in cat.offices if bookable_services(cat, o)]


def parse_refs(refs: Iterable[str]) -> tuple[Concern, ...]:
    return tuple(c for c in (Concern.parse(r) for r in refs) if c is not None)


def _refusal(service: Service) -> Refusal | None:
    if service.bookable:
        return None
    reason = {WalkIn.YES: "walk_in", WalkIn.EXTERNAL: "external", WalkIn.URGENT: "urgent"}.get(
        service.walk_in, "walk_in"
    )
    return Refusal(reason, service_id=service.id)


def concern_for_service(
    cat: Catalogue, service_id: str, office_id: str | None = None
) -> Concern | Refusal | None:
    """A named service as a concern, a refusal, or None when the office must be asked."""
    service = cat.services.get(service_id)
    if service is None:
        return None
    refusal = _refusal(service)
    if refusal is not None:
        return refusal
    offices = offices_of(service)
    if office_id in offices:
        return Concern(service.id, office_id)
    if len(offices) == 1:
        return Concern(service.id, offices[0])
    return None


def add_concerns(
    cat: Catalogue,
    current: Selection,
    *,
    services: Sequence[str] = (),
    offices: Sequence[str] = (),
    remembered_service: str | None = None,
) -> Selection:
    """Add the services and offices of one message to the concerns collected so far.

    ``services`` are ``service`` or ``service:office`` refs (from buttons);
    ``offices`` are office ids the citizen named. An office with one bookable
    service adds it; with several, the concern answered last in the
    conversation (``remembered_service``) is taken if it belongs there,
    otherwise the office waits for the citizen's choice.
    """
    concerns = list(current.concerns)
    pending = list(current.pending_offices)
    refusals: list[Refusal] = []

    def add(concern: Concern) -> None:
        if concern not in concerns and len(concerns) < MAX_CONCERNS:
            concerns.append(concern)
        if concern.office_id in pending:
            pending.remove(concern.office_id)

    for ref in services:
        service_id, _, office_id = ref.partition(":")
        found = concern_for_service(cat, service_id, office_id or None)
        if isinstance(found, Concern):
            add(found)
        elif isinstance(found, Refusal):
            refusals.append(found)
    remembered = cat.services.get(remembered_service or "")
    for office_id in offices:
        if office_id not in cat.offices:
            continue
        if any(c.office_id == office_id for c in concerns):
            continue  # "Jobcenter" again after its service is known: nothing new
        choices = bookable_services(cat, office_id)
        if not choices:
            refusals.append(Refusal("office", office_id=office_id))
        elif len(choices) == 1:
            add(Concern(choices[0].id, office_id))
        elif remembered is not None and remembered in choices:
            add(Concern(remembered.id, office_id))
        elif office_id not in pending:
            pending.append(office_id)
    return Selection(tuple(concerns), tuple(pending), tuple(refusals))


def split_by_location(
    concerns: Sequence[Concern], locations: dict[str, str]
) -> tuple[tuple[Concern, ...], tuple[Concern, ...]]:
    """Concerns in the building of the first one, and the rest (booked separately).

    ``locations`` maps service id → location id, as the backend's
    ``mixed-locations`` problem reports it.
    """
    if not concerns:
        return (), ()
    first = locations.get(concerns[0].service_id)
    now = tuple(c for c in concerns if locations.get(c.service_id) == first)
    later = tuple(c for c in concerns if c not in now)
    return now, later
