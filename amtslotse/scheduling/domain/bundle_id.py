"""Bundle ids: an opaque, signed text that says which legs a bundle has.

The id encodes location, and for each leg service, office and start slot; the
leg ends follow from the service lengths. It is signed with HMAC-SHA256 under
the backend's bundle key (``<data dir>/bundle-key`` or SCHEDULING_BUNDLE_KEY),
so ``POST /holds`` only ever works on bundles this backend offered: a forged
or edited id fails the signature and is answered 404 (no such bundle), like an
unknown hold id. ``POST /holds`` still re-checks everything, because a real
id may have been offered an hour ago. Clients must treat ids as opaque; the
``b2`` prefix names the format (``b1`` ids were unsigned and are refused).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from amtslotse.scheduling.clock import UTC
from amtslotse.scheduling.domain.capacity import slot_index, slot_start
from amtslotse.scheduling.domain.model import Bundle

_PREFIX = "b2"
_MAC_BYTES = 16  # 128 bits of HMAC-SHA256: 22 base64url characters
_MAC_CONTEXT = b"amtslotse.bundle-id.v2\0"
#: The form of an id (portable regex: the API schema publishes and checks it).
BUNDLE_ID_PATTERN = r"b2\.[A-Za-z0-9_-]{4,900}\.[A-Za-z0-9_-]{22}"
_ID = re.compile(BUNDLE_ID_PATTERN, re.ASCII)
_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}", re.ASCII)
_SLOT = re.compile(r"[0-9]{1,12}", re.ASCII)
# Slots of real appointments lie between these; anything else is no bundle of ours.
_FIRST_SLOT = slot_index(datetime(2000, 1, 1, tzinfo=UTC))
_LAST_SLOT = slot_index(datetime(9000, 1, 1, tzinfo=UTC))


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
    """Not an id this backend signed, or not one it could have made."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


class BundleIds:
    """Signs and checks bundle ids under one key (bytes, at least 16)."""

    def __init__(self, key: bytes):
        if len(key) < 16:
            raise ValueError("a bundle key needs at least 16 bytes")
        self._key = key

    def _mac(self, payload: str) -> str:
        digest = hmac.new(self._key, _MAC_CONTEXT + payload.encode("ascii"), hashlib.sha256)
        return _b64(digest.digest()[:_MAC_BYTES])

    def encode(self, bundle: Bundle) -> str:
        parts = [bundle.location_id] + [
            f"{leg.service_id}.{leg.office_id}.{slot_index(leg.start)}" for leg in bundle.legs
        ]
        payload = _b64("~".join(parts).encode("ascii"))
        return f"{_PREFIX}.{payload}.{self._mac(payload)}"

    def decode(self, text: object, max_legs: int = 4) -> BundleRef:
        """The bundle an id made by :meth:`encode` names; :class:`BadBundleId` otherwise."""
        if not isinstance(text, str) or not _ID.fullmatch(text):
            raise BadBundleId("not a bundle id")
        _, payload, mac = text.split(".")
        # Constant time: the comparison must not tell how much of a guess was right.
        if not hmac.compare_digest(mac, self._mac(payload)):
            raise BadBundleId("not signed by this backend")
        try:
            raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("ascii")
        except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
            raise BadBundleId("not a bundle id") from exc
        # Signed ids are ours, but check the shape anyway: a leaked key must not crash us.
        location_id, *leg_texts = raw.split("~")
        if not _NAME.fullmatch(location_id) or not 1 <= len(leg_texts) <= max_legs:
            raise BadBundleId("not a bundle id")
        legs = []
        for leg_text in leg_texts:
            fields = leg_text.split(".")
            if len(fields) != 3 or not all(_NAME.fullmatch(f) for f in fields[:2]):
                raise BadBundleId("not a bundle id")
            if not _SLOT.fullmatch(fields[2]) or not _FIRST_SLOT <= int(fields[2]) <= _LAST_SLOT:
                raise BadBundleId("not a bundle id")
            legs.append(LegRef(fields[0], fields[1], slot_start(int(fields[2]))))
        return BundleRef(location_id, tuple(legs))
