"""Validate the name and the one contact (phone or e-mail) a booking needs.

The backend validates again; checking here lets the bot re-ask at once, with
an explanation of the format, instead of failing at the end.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str | None = None
    email: str | None = None

    def as_request(self) -> dict[str, str]:
        """The ``contact`` object of ``POST /bookings``: name plus exactly one channel."""
        out = {"name": self.name}
        if self.phone:
            out["phone"] = self.phone
        elif self.email:
            out["email"] = self.email
        return out


def clean_name(text: str) -> str | None:
    """The name with tidy spaces, or None if it is no plausible name."""
    name = " ".join(unicodedata.normalize("NFC", text).split())
    letters = sum(ch.isalpha() for ch in name)
    if not name or len(name) > MAX_NAME_LENGTH or letters < 2:
        return None
    if any(unicodedata.category(ch).startswith("C") or ch.isdigit() or ch == "@" for ch in name):
        return None
    return name


def clean_contact(text: str) -> str | None:
    """A German phone number in E.164 or a normalised e-mail address, or None."""
    raw = text.strip()
    if "@" in raw:
        try:
            # No DNS lookup: the action server must answer without network access.
            return validate_email(raw, check_deliverability=False).normalized
        except EmailNotValidError:
            return None
    if len(raw) > 40:
        return None
    try:
        number = phonenumbers.parse(raw, "DE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def contact_for(name: str, value: str) -> Contact:
    """The contact from the two validated slot values."""
    if "@" in value:
        return Contact(name, email=value)
    return Contact(name, phone=value)
