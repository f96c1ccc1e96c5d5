"""Desk capacity: which desk of an office is free for an interval.

Time is cut into 5-minute slots (``SLOT``). A leg occupies the slots from its
start up to its end rounded up, so a 23-minute leg blocks 25 minutes. The same
rule backs the database constraint (one ``desk_slots`` row per slot), which is
why this module and ``db/schema.py`` must agree on ``SLOT``.

Occupancy is kept as one integer bit mask per desk and UTC day, so a check is
a few bit operations; the bundle search asks this thousands of times.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta

from amtslotse.scheduling.clock import UTC, require_aware
from amtslotse.scheduling.domain.model import BusyLeg

SLOT = timedelta(minutes=5)
_SLOT_SECONDS = int(SLOT.total_seconds())
_SLOTS_PER_CHUNK = 24 * 60 * 60 // _SLOT_SECONDS  # one UTC day per mask
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def slot_index(instant: datetime) -> int:
    """Number of the slot that contains ``instant`` (slots counted from 1970)."""
    seconds = (require_aware(instant) - _EPOCH) // timedelta(seconds=1)
    return seconds // _SLOT_SECONDS


def slot_end_index(instant: datetime) -> int:
    """First slot after an interval that ends at ``instant`` (rounds up)."""
    seconds = (require_aware(instant) - _EPOCH) // timedelta(seconds=1)
    return -(-seconds // _SLOT_SECONDS)


def slot_start(index: int) -> datetime:
    return _EPOCH + index * SLOT


def occupied_slots(start: datetime, end: datetime) -> range:
    """Slot numbers a leg ``[start, end)`` blocks."""
    return range(slot_index(start), slot_end_index(end))


def _chunks(first: int, stop: int) -> Iterator[tuple[int, int]]:
    """Split slots ``[first, stop)`` into (chunk, bit mask) pieces."""
    while first < stop:
        chunk, offset = divmod(first, _SLOTS_PER_CHUNK)
        length = min(stop - first, _SLOTS_PER_CHUNK - offset)
        yield chunk, ((1 << length) - 1) << offset
        first += length


class DeskBoard:
    """Desks per office and what is already taken; ``desks[office] == 0`` means walk-in only."""

    def __init__(self, desks: Mapping[str, int], busy: Iterable[BusyLeg] = ()):
        self._desks = dict(desks)
        # office -> chunk -> desk number -> taken slots
        self._taken: dict[str, dict[int, dict[int, int]]] = {}
        for leg in busy:
            self.occupy(leg.office_id, leg.desk_no, leg.start, leg.end)

    def desks(self, office_id: str) -> int:
        return self._desks.get(office_id, 0)

    def occupy(self, office_id: str, desk_no: int, start: datetime, end: datetime) -> None:
        per_chunk = self._taken.setdefault(office_id, {})
        for chunk, mask in _chunks(slot_index(start), slot_end_index(end)):
            desks = per_chunk.setdefault(chunk, {})
            desks[desk_no] = desks.get(desk_no, 0) | mask

    def is_free(self, office_id: str, desk_no: int, start: datetime, end: datetime) -> bool:
        per_chunk = self._taken.get(office_id, {})
        for chunk, mask in _chunks(slot_index(start), slot_end_index(end)):
            if per_chunk.get(chunk, {}).get(desk_no, 0) & mask:
                return False
        return True

    def taken_mask(self, office_id: str, desk_no: int, first_slot: int, count: int) -> int:
        """Taken slots of one desk as bits: bit i = slot ``first_slot + i``."""
        per_chunk = self._taken.get(office_id)
        if not per_chunk:
            return 0
        out, slot, stop = 0, first_slot, first_slot + count
        while slot < stop:
            chunk, offset = divmod(slot, _SLOTS_PER_CHUNK)
            length = min(stop - slot, _SLOTS_PER_CHUNK - offset)
            bits = per_chunk.get(chunk, {}).get(desk_no, 0)
            out |= ((bits >> offset) & ((1 << length) - 1)) << (slot - first_slot)
            slot += length
        return out

    def free_desk(self, office_id: str, start: datetime, end: datetime) -> int | None:
        """Lowest free desk number (1-based) for the whole interval, or None."""
        for desk_no in range(1, self.desks(office_id) + 1):
            if self.is_free(office_id, desk_no, start, end):
                return desk_no
        return None
