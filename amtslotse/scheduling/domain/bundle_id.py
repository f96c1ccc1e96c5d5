"""Bundle ids: an opaque, stable text that says which legs a bundle has.

The id encodes location, and for each leg service, office and start slot; the
leg ends follow from the service lengths. ``POST /holds`` decodes the id and
re-checks everything, so the id needs no signature: a forged id can only name
a bundle that passes the same checks as a real one. Clients must treat ids as
opaque; the ``b1`` prefix lets the format change later.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime

from amtslotse.scheduling.domain.capacity import slot_index, slot_start
from amtslotse.scheduling.domain.model import Bundle

_PREFIX = "b1"
_MAX_LENGTH = 512
_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_ID_CHARS = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True)
class LegRef:
    service_id: str
    office_id: str
    start: datetime


@dataclass(frozen=True)
class BundleRef:
    location_id: str
    legs: tuple[LegRef, ...]


class BadBundleId(ValueError):
    pass


def encode_bundle_id(bundle: Bundle) -> str:
    parts = [bundle.location_id] + [
        f"{leg.service_id}.{leg.office_id}.{slot_index(leg.start)}" for leg in bundle.legs
    ]
    raw = "~".join(parts).encode("ascii")
    return _PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_bundle_id(text: str, max_legs: int = 4) -> BundleRef:
    """Parse an id made by :func:`encode_bundle_id`; raise :class:`BadBundleId` otherwise."""
    if not isinstance(text, str) or not text.startswith(_PREFIX) or len(text) > _MAX_LENGTH:
        raise BadBundleId("not a bundle id")
    body = text[len(_PREFIX) :]
    if not _ID_CHARS.match(body):
        raise BadBundleId("not a bundle id")
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadBundleId("not a bundle id") from exc
    location_id, *leg_texts = raw.split("~")
    if not _ID.match(location_id) or not 1 <= len(leg_texts) <= max_legs:
        raise BadBundleId("not a bundle id")
    legs = []
    for leg_text in leg_texts:
        fields = leg_text.split(".")
        if len(fields) != 3 or not _ID.match(fields[0]) or not _ID.match(fields[1]):
            raise BadBundleId("not a bundle id")
        if not fields[2].isdigit() or len(fields[2]) > 12:
            raise BadBundleId("not a bundle id")
        legs.append(LegRef(fields[0], fields[1], slot_start(int(fields[2]))))
    return BundleRef(location_id, tuple(legs))
