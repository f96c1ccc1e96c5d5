"""The citizen's concern list: every concern named in the conversation, until removed.

A concern named once ("Ich brauche Wohngeld"), several in one message, or one
more later ("und Elterngeld auch noch") all go on one list. Each item knows
its office, the building, and its *kind*:

``appointment``  the office books appointments (``bookable`` once the office is known)
``walk_in``      a walk-in at the Bürgerbüro is enough
``external``     the county is not responsible; someone else is
``urgent``       a child in danger: emergency numbers, never a booking

Booking takes the whole list (:func:`booking_groups`): all bookable items in
one building become one back-to-back bundle; other buildings follow one by
one. Pure values, no Rasa: the actions read the list from a slot
(:meth:`ConcernList.from_slot`) and write it back (:meth:`ConcernList.to_slot`).
The ``concern_list`` chat payload is :meth:`ConcernList.payload`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from amtslotse.core.content.model import Catalogue, Service, WalkIn

__all__ = [
    "APPOINTMENT",
    "WALK_IN",
    "EXTERNAL",
    "URGENT",
    "Concern",
    "Item",
    "ConcernList",
    "bookable_offices",
    "bookable_services",
    "booking_groups",
    "offices_of",
    "parse_refs",
]

APPOINTMENT = "appointment"
WALK_IN = "walk_in"
EXTERNAL = "external"
URGENT = "urgent"
_KINDS = {
    WalkIn.NO: APPOINTMENT,
    WalkIn.YES: WALK_IN,
    WalkIn.EXTERNAL: EXTERNAL,
    WalkIn.URGENT: URGENT,
}
#: The scheduling backend books at most this many services in one bundle.
MAX_PER_BOOKING = 4
#: A list longer than this is a misunderstanding, not a citizen's day.
MAX_ITEMS = 12


@dataclass(frozen=True)
class Concern:
    """One service at one office, as the booking needs it (``service:office``)."""

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


def parse_refs(refs: Iterable[str]) -> tuple[Concern, ...]:
    return tuple(c for c in (Concern.parse(r) for r in refs) if c is not None)


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


@dataclass(frozen=True)
class Item:
    """One concern on the list. ``office_id`` is None while the citizen must choose it."""

    service_id: str
    office_id: str | None
    location_id: str | None
    kind: str

    @property
    def bookable(self) -> bool:
        return self.kind == APPOINTMENT and self.office_id is not None

    @property
    def concern(self) -> Concern | None:
        return (
            Concern(self.service_id, self.office_id) if self.bookable and self.office_id else None
        )

    def as_json(self) -> dict[str, Any]:
        """One item of the ``concern_list`` payload (and of the slot)."""
        return {
            "service_id": self.service_id,
            "office_id": self.office_id,
            "location_id": self.location_id,
            "kind": self.kind,
            "bookable": self.bookable,
        }


def item_for(cat: Catalogue, service_id: str, office_id: str | None = None) -> Item | None:
    """The list item for a service (and, where the citizen chose it, the office)."""
    service = cat.services.get(service_id)
    if service is None:
        return None
    kind = _KINDS[service.walk_in]
    offices = offices_of(service)
    if office_id not in offices:
        office_id = offices[0] if len(offices) == 1 else None
    if kind == WALK_IN:
        walk_in = cat.walk_in_office()
        return Item(service.id, office_id, walk_in.location_id, kind)
    if kind == EXTERNAL:
        return Item(service.id, office_id, None, kind)
    office = cat.offices.get(office_id or "")
    return Item(service.id, office_id, office.location_id if office else None, kind)


@dataclass(frozen=True)
class ConcernList:
    items: tuple[Item, ...] = ()

    # ----------------------------------------------------------------- slot I/O

    @classmethod
    def from_slot(cls, cat: Catalogue, value: Any) -> ConcernList:
        """The list in a slot value; unknown services and broken entries are dropped."""
        items: list[Item] = []
        for entry in value if isinstance(value, list) else []:
            if not isinstance(entry, dict):
                continue
            office = entry.get("office_id")
            item = item_for(cat, str(entry.get("service_id")), office if office else None)
            if item is not None and all(i.service_id != item.service_id for i in items):
                items.append(item)
        return cls(tuple(items))

    def to_slot(self) -> list[dict[str, Any]]:
        return [i.as_json() for i in self.items]

    def payload(self, cat: Catalogue) -> dict[str, Any]:
        """The ``concern_list`` object of the chat contract (with names, for the cards)."""
        items = []
        for item in self.items:
            service = cat.services.get(item.service_id)
            office = cat.offices.get(item.office_id or "") or cat.external.get(item.office_id or "")
            items.append(
                {
                    **item.as_json(),
                    "service_name": service.name if service else item.service_id,
                    "office_name": office.name if office else None,
                }
            )
        return {"type": "concern_list", "items": items}

    # ----------------------------------------------------------------- changes

    def add(self, cat: Catalogue, service_id: str, office_id: str | None = None) -> ConcernList:
        """The list with this concern (once; a chosen office fills in a missing one)."""
        item = item_for(cat, service_id, office_id)
        if item is None:
            return self
        for i, known in enumerate(self.items):
            if known.service_id == service_id:
                if known.office_id is None and item.office_id is not None:
                    return ConcernList((*self.items[:i], item, *self.items[i + 1 :]))
                return self
        if len(self.items) >= MAX_ITEMS:
            return self
        return ConcernList((*self.items, item))

    def add_all(self, cat: Catalogue, service_ids: Iterable[str]) -> ConcernList:
        result = self
        for service_id in service_ids:
            result = result.add(cat, service_id)
        return result

    def remove(self, service_ids: Iterable[str]) -> ConcernList:
        gone = set(service_ids)
        return ConcernList(tuple(i for i in self.items if i.service_id not in gone))

    def choose_office(self, cat: Catalogue, service_id: str, office_id: str) -> ConcernList:
        """The office the citizen chose for a service that several offices offer."""
        return ConcernList(
            tuple(
                (item_for(cat, i.service_id, office_id) or i) if i.service_id == service_id else i
                for i in self.items
            )
        )

    # ----------------------------------------------------------------- reading

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, service_id: object) -> bool:
        return any(i.service_id == service_id for i in self.items)

    def service_ids(self) -> tuple[str, ...]:
        return tuple(i.service_id for i in self.items)

    def of_kind(self, kind: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.kind == kind)

    def bookable(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.bookable)

    def undecided(self) -> tuple[Item, ...]:
        """Appointment concerns whose office the citizen must still choose."""
        return tuple(i for i in self.items if i.kind == APPOINTMENT and i.office_id is None)

    def locations(self) -> tuple[str, ...]:
        """The buildings of the bookable items, in list order."""
        return tuple(dict.fromkeys(i.location_id for i in self.bookable() if i.location_id))


def booking_groups(items: Sequence[Item]) -> list[tuple[str, tuple[Concern, ...]]]:
    """Bookable items by building, in list order: one back-to-back booking per building.

    A building with more concerns than one bundle takes is split into several
    bookings there (rare: more than :data:`MAX_PER_BOOKING` concerns in one house).

    >>> a = Item("wohngeld", "wohngeldstelle", "skz", APPOINTMENT)
    >>> b = Item("kfz_zulassen", "kfz_zulassung", "kreishaus", APPOINTMENT)
    >>> c = Item("elterngeld", "jugendamt", "skz", APPOINTMENT)
    >>> [(loc, [x.service_id for x in cs]) for loc, cs in booking_groups([a, b, c])]
    [('skz', ['wohngeld', 'elterngeld']), ('kreishaus', ['kfz_zulassen'])]
    """
    by_location: dict[str, list[Concern]] = {}
    for item in items:
        concern = item.concern
        if concern is not None and item.location_id:
            by_location.setdefault(item.location_id, []).append(concern)
    groups = []
    for location, concerns in by_location.items():
        for start in range(0, len(concerns), MAX_PER_BOOKING):
            groups.append((location, tuple(concerns[start : start + MAX_PER_BOOKING])))
    return groups


def with_office(item: Item, office_id: str) -> Item:
    return replace(item, office_id=office_id)
