"""Validate the ``contact`` object of a booking request (the API's field errors).

Data minimisation: nothing but a name and exactly one of phone or email is
accepted (unknown fields are an error, not silently dropped, so a client
notices). The normalisers and the Contact model are shared with the chat
side (amtslotse/core/contact.py).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from amtslotse.core.contact import (
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PHONE_LENGTH,
    Contact,
    normalise_email,
    normalise_phone,
    tidy_name,
)
from amtslotse.scheduling.errors import FieldError, InvalidContact

__all__ = ["Contact", "name_problem", "parse_contact"]

_FIELDS = {"name", "phone", "email"}


def name_problem(raw: str) -> str | None:
    """Why a text is no name for a booking, or None (the API schema's ``person-name``)."""
    name = tidy_name(raw)
    if not name:
        return "a name is required"
    if len(name) > MAX_NAME_LENGTH:
        return f"at most {MAX_NAME_LENGTH} characters"
    # Control, format (bidi overrides), surrogate, private and unassigned code points.
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        return "control characters are not allowed"
    return None


def _clean_name(raw: Any, errors: list[FieldError]) -> str:
    if not isinstance(raw, str):
        errors.append(FieldError("/contact/name", "a name is required"))
        return ""
    problem = name_problem(raw)
    if problem:
        errors.append(FieldError("/contact/name", problem))
    return tidy_name(raw)


def _clean_phone(raw: Any, errors: list[FieldError]) -> str | None:
    if not isinstance(raw, str) or len(raw) > MAX_PHONE_LENGTH:
        errors.append(
            FieldError(
                "/contact/phone",
                f"a phone number is text of at most {MAX_PHONE_LENGTH} characters",
            )
        )
        return None
    phone = normalise_phone(raw)
    if phone is None:
        errors.append(FieldError("/contact/phone", "not a valid phone number"))
    return phone


def _clean_email(raw: Any, errors: list[FieldError]) -> str | None:
    if not isinstance(raw, str) or len(raw) > MAX_EMAIL_LENGTH:
        errors.append(
            FieldError(
                "/contact/email",
                f"an email address is text of at most {MAX_EMAIL_LENGTH} characters",
            )
        )
        return None
    email = normalise_email(raw)
    if email is None:
        errors.append(FieldError("/contact/email", "not a valid email address"))
    return email


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
