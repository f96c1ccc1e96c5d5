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
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE_LENGTH = 8
_GROUP = 4


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
