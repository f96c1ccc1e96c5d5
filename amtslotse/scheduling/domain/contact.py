"""The contact of a booking: a name plus exactly one of phone or email.

Data minimisation: nothing else is accepted (unknown fields are an error, not
silently dropped, so a client notices). Phone numbers are stored in E.164,
emails in their normalised form.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from amtslotse.scheduling.errors import FieldError, InvalidContact

MAX_NAME_LENGTH = 100
_FIELDS = {"name", "phone", "email"}


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str | None = None
    email: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"name": self.name}
        if self.phone:
            out["phone"] = self.phone
        if self.email:
            out["email"] = self.email
        return out


def _clean_name(raw: Any, errors: list[FieldError]) -> str:
    if not isinstance(raw, str) or not raw.strip():
        errors.append(FieldError("/contact/name", "a name is required"))
        return ""
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if len(name) > MAX_NAME_LENGTH:
        errors.append(FieldError("/contact/name", f"at most {MAX_NAME_LENGTH} characters"))
    elif any(unicodedata.category(ch).startswith("C") for ch in name):
        errors.append(FieldError("/contact/name", "control characters are not allowed"))
    return name


def _clean_phone(raw: Any, errors: list[FieldError]) -> str | None:
    if not isinstance(raw, str) or len(raw) > 40:
        errors.append(
            FieldError("/contact/phone", "a phone number is text of at most 40 characters")
        )
        return None
    try:
        number = phonenumbers.parse(raw, "DE")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        errors.append(FieldError("/contact/phone", "not a valid phone number"))
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _clean_email(raw: Any, errors: list[FieldError]) -> str | None:
    if not isinstance(raw, str) or len(raw) > 254:
        errors.append(
            FieldError("/contact/email", "an email address is text of at most 254 characters")
        )
        return None
    try:
        # No DNS lookup: the backend must answer without network access.
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        errors.append(FieldError("/contact/email", "not a valid email address"))
        return None


def parse_contact(raw: Any) -> Contact:
    """Validate the ``contact`` object of a booking request; raise InvalidContact."""
    if not isinstance(raw, dict):
        raise InvalidContact(
            "contact must be an object",
            errors=[FieldError("/contact", "an object with name and phone or email")],
        )
    errors: list[FieldError] = []
    for extra in sorted(set(raw) - _FIELDS):
        errors.append(FieldError(f"/contact/{extra}", "not accepted: only name and phone or email"))
    name = _clean_name(raw.get("name"), errors)
    has_phone, has_email = raw.get("phone") is not None, raw.get("email") is not None
    phone = email = None
    if has_phone == has_email:
        errors.append(FieldError("/contact", "give exactly one of phone or email"))
    elif has_phone:
        phone = _clean_phone(raw["phone"], errors)
    else:
        email = _clean_email(raw["email"], errors)
    if errors:
        raise InvalidContact("the contact is not valid", errors=errors)
    return Contact(name=name, phone=phone, email=email)
