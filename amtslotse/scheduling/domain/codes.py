"""Booking codes people can read out on the phone, and access tokens.

A code has 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
grouped as ``K7M4-PQ2X``: 31**8, about 8.5e11 codes. The code names a booking
but grants nothing; the access token (192 random bits) does, and only its
SHA-256 digest is stored. A fast digest suffices because the token is random,
not a password that could be guessed from a dictionary.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 8
_GROUP = 4
_CHAR = "[2-9A-HJKMNP-Z]"
#: A booking code as issued (portable regex: the API schema publishes it).
BOOKING_CODE_PATTERN = f"{_CHAR}{{4}}-{_CHAR}{{4}}"
#: A code as someone may type it (what :func:`normalise_booking_code` reads).
TYPED_CODE_PATTERN = "[ -]*(?:[2-9A-HJKMNP-Za-hjkmnp-z][ -]*){8}"
#: A hold id: 128 random bits in hex.
HOLD_ID_PATTERN = "[0-9a-f]{32}"
_HOLD_ID = re.compile(HOLD_ID_PATTERN, re.ASCII)


def new_hold_id() -> str:
    return secrets.token_hex(16)


def is_hold_id(text: str) -> bool:
    return bool(_HOLD_ID.fullmatch(text))


def new_booking_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(_CODE_LENGTH))
    return f"{raw[:_GROUP]}-{raw[_GROUP:]}"


def normalise_booking_code(text: str) -> str | None:
    """Canonical ``XXXX-XXXX`` form of what someone typed or said, or None.

    Accepts lower case, spaces and a missing dash. Look-alikes (0, O, 1, I, L)
    are not in the alphabet, so a code with one is invalid rather than guessed.
    """
    compact = "".join(ch for ch in text.upper() if ch not in " -")
    if len(compact) != _CODE_LENGTH or any(ch not in ALPHABET for ch in compact):
        return None
    return f"{compact[:_GROUP]}-{compact[_GROUP:]}"


def new_access_token() -> str:
    return secrets.token_urlsafe(24)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, digest: str) -> bool:
    return hmac.compare_digest(token_digest(token), digest)
