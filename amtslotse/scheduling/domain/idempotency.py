"""Idempotent booking: recognise a repeated request and answer it again.

A client that lost the answer to ``POST /bookings`` repeats it with the same
``Idempotency-Key`` and must get the same booking, including its access token.
The database keeps only a digest of the token, so the token is also stored
sealed with the idempotency key: XOR with an HMAC-SHA256 keystream derived
from the key and a random nonce. Whoever reads the database without the key
learns nothing; the client that holds the key gets its token back. The key
itself is stored only as a digest, and the request fingerprint is an HMAC
under the key, so a copy of the database reveals neither key nor contact data.
Records are deleted by the purge after a day.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

MIN_KEY_LENGTH = 16
MAX_KEY_LENGTH = 255


def key_problem(key: str | None) -> str | None:
    """Why an Idempotency-Key header is unusable, or None when it is fine."""
    if key is None or not key.strip():
        return "send an Idempotency-Key header (e.g. a random UUID)"
    if not MIN_KEY_LENGTH <= len(key) <= MAX_KEY_LENGTH:
        return f"the Idempotency-Key must have {MIN_KEY_LENGTH} to {MAX_KEY_LENGTH} characters"
    if not key.isascii() or not key.isprintable():
        return "the Idempotency-Key may only use printable ASCII characters"
    return None


def key_digest(key: str) -> str:
    return hashlib.sha256(b"amtslotse.idempotency-key\0" + key.encode("ascii")).hexdigest()


def request_fingerprint(key: str, body: Any) -> str:
    """HMAC of the canonical JSON body under the key: equal bodies, equal prints."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key.encode("ascii"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def _keystream(key: str, nonce: bytes, length: int) -> bytes:
    blocks = b""
    counter = 0
    while len(blocks) < length:
        message = b"amtslotse.seal\0" + nonce + counter.to_bytes(4, "big")
        blocks += hmac.new(key.encode("ascii"), message, hashlib.sha256).digest()
        counter += 1
    return blocks[:length]


def seal(secret: str, key: str) -> str:
    """Encrypt ``secret`` so that only the holder of ``key`` can read it."""
    nonce = secrets.token_bytes(16)
    data = secret.encode("utf-8")
    stream = _keystream(key, nonce, len(data))
    sealed = bytes(a ^ b for a, b in zip(data, stream, strict=True))
    return base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(sealed_text: str, key: str) -> str:
    """The sealed secret; with a wrong key, garbage (never the secret, never an error)."""
    raw = base64.urlsafe_b64decode(sealed_text.encode("ascii"))
    nonce, sealed = raw[:16], raw[16:]
    stream = _keystream(key, nonce, len(sealed))
    return bytes(a ^ b for a, b in zip(sealed, stream, strict=True)).decode("utf-8", "replace")
