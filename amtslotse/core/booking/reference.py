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


# What a citizen may mean as a booking number even when it is none of ours:
# letters and digits with a dash ("QX-00000"), or one word of 6 to 12 with digits.
_CODE_LIKE = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z0-9]{2,6}-[A-Za-z0-9]{2,6}|(?=[A-Za-z]*\d)[A-Za-z0-9]{6,12})(?![A-Za-z0-9])"
)


def find_code_like(text: str) -> str | None:
    """Something typed as a booking number, valid or not ("QX-00000"), or None.

    >>> find_code_like("bitte den termin QX-00000 absagen")
    'QX-00000'
    >>> find_code_like("Termin absagen") is None
    True
    """
    code = find_code(text)
    if code is not None:
        return code
    match = _CODE_LIKE.search(text)
    return match.group(1).upper() if match else None


def find_pin(text: str) -> str | None:
    """A 6-digit PIN in ``text`` (spaces between digits allowed), or None.

    >>> find_pin("meine pin ist 123 456")
    '123456'
    """
    match = re.search(r"(?<!\d)(\d(?:\s?\d){5})(?!\s?\d)", text)
    return re.sub(r"\s", "", match.group(1)) if match else None


def find_token(text: str) -> str | None:
    """A token-like word in ``text`` (never the booking code itself), or None."""
    for match in _TOKEN.finditer(text):
        word = match.group(1)
        if any(ch.isdigit() for ch in word) or any(ch.isupper() for ch in word[1:]):
            return word
    return None
