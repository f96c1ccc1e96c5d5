"""The 6-digit PIN a person can read out, and the long link token for e-mails.

A booking has three credentials, all bound to its code:

- the access token (192 random bits, ``codes.py``), for programs that booked;
- the PIN, 6 digits, shown once when booking; for the chat and the phone;
- the link token, in the cancel link of the e-mails only (``link_token``).

A 6-digit PIN has only a million values, so no hash of it is safe on its own:
whoever copies the database could try them all. The digest is therefore an
HMAC-SHA256 under the backend's secret key (SCHEDULING_SECRET_KEY, never in
the database) over a random per-booking salt and the PIN. A copy of the
database alone reveals nothing; guessing online is limited by ``lockout.py``.
Comparisons are constant-time (``hmac.compare_digest``).

The link token needs no storage: it is an HMAC under the same key over the
code and the booking's salt, so the backend can put it into a reminder days
later and check it by computing it again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PIN_DIGITS = 6
SALT_BYTES = 16
# Stands in for a booking that does not exist, so a wrong code costs the same time.
_DUMMY_SALT = "0" * (2 * SALT_BYTES)


def new_pin() -> str:
    """Six random digits; leading zeros count ("042817")."""
    return f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"


def new_salt() -> str:
    return secrets.token_hex(SALT_BYTES)


def normalise_pin(text: str) -> str | None:
    """The 6 digits of what someone typed or read out ("042 817", "042-817"), or None."""
    compact = "".join(ch for ch in text if ch not in " -.\u00b7")
    if len(compact) != PIN_DIGITS or not compact.isascii() or not compact.isdigit():
        return None
    return compact


def _key(secret: str, purpose: bytes) -> bytes:
    """One key per purpose from the one secret: a PIN digest never equals a link token."""
    return hmac.new(secret.encode("utf-8"), b"amtslotse." + purpose, hashlib.sha256).digest()


def pin_digest(secret: str, salt: str, pin: str) -> str:
    message = salt.encode("ascii") + b"\0" + pin.encode("ascii")
    return hmac.new(_key(secret, b"pin"), message, hashlib.sha256).hexdigest()


def pin_matches(secret: str, salt: str | None, digest: str | None, pin: str) -> bool:
    """Constant-time check; a booking without a PIN (made before PINs) matches nothing.

    The digest is computed even then, so every answer takes the same time.
    """
    computed = pin_digest(secret, salt or _DUMMY_SALT, pin)
    return hmac.compare_digest(computed, digest or "-" * len(computed)) and digest is not None


def link_token(secret: str, code: str, salt: str | None) -> str:
    """The token of the e-mail links for one booking: 256 bits, URL-safe, 43 characters."""
    message = code.encode("ascii") + b"\0" + (salt or "").encode("ascii")
    raw = hmac.new(_key(secret, b"link"), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def link_token_matches(secret: str, code: str, salt: str | None, token: str) -> bool:
    return hmac.compare_digest(link_token(secret, code, salt).encode(), token.encode("utf-8"))


def sealing_key(secret: str) -> str:
    """The key that seals a PIN in the outbox until its confirmation mail is sent."""
    return _key(secret, b"outbox-seal").hex()
