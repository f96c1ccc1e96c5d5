"""Booking code and access token from what the citizen types or pastes.

A code is 8 characters in two groups (``K7M4-PQ2X``) from an alphabet without
look-alikes; people type it in lower case, with spaces or without the dash.
The access token is a long URL-safe string; it may come pasted in a link.
"""

from __future__ import annotations

import re

_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_CODE = re.compile(
    rf"(?<![A-Za-z0-9])([{_ALPHABET}]{{4}})[ -]?([{_ALPHABET}]{{4}})(?![A-Za-z0-9])", re.I
)
# secrets.token_urlsafe(24) gives 32 characters; accept some slack either way.
_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{24,64})(?![A-Za-z0-9_-])")


def find_code(text: str) -> str | None:
    """The booking code in ``text`` as ``XXXX-XXXX``, or None."""
    match = _CODE.search(text)
    return f"{match.group(1)}-{match.group(2)}".upper() if match else None


def find_token(text: str) -> str | None:
    """A token-like word in ``text`` (never the booking code itself), or None."""
    for match in _TOKEN.finditer(text):
        word = match.group(1)
        if any(ch.isdigit() for ch in word) or any(ch.isupper() for ch in word[1:]):
            return word
    return None
