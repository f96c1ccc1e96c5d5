"""Idempotent booking: recognise a repeated request and answer it again.

A client that lost the answer to ``POST /bookings`` repeats it with the same
``Idempotency-Key`` and must get the same booking, including its access token.
The database keeps only a digest of the token, so the token is also stored
sealed with the idempotency key: AES-256-GCM (the ``cryptography`` package)
under a key derived from the idempotency key with HKDF-SHA256, a random
96-bit nonce, and the record's key digest as associated data, so a sealed
token only opens for its own record and any change to it is detected.
Whoever reads the database without the idempotency key learns nothing; the
client that holds the key gets its token back. The key itself is stored only
as a digest, and the request fingerprint is an HMAC under the key, so a copy
of the database reveals neither key nor contact data.

Records are deleted by the purge after a day. Tokens sealed by the earlier,
unauthenticated scheme cannot be re-sealed (the server never has the client's
key), so migration 0002 deletes those records; see its docstring.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MIN_KEY_LENGTH = 16
MAX_KEY_LENGTH = 255
#: Sealed texts start with this; anything else is from an older scheme.
SEAL_PREFIX = "g1."
_NONCE_BYTES = 12


class SealBroken(ValueError):
    """A sealed text that does not open with this key (tampered, or another record's)."""


def key_digest(key: str) -> str:
    return hashlib.sha256(b"amtslotse.idempotency-key\0" + key.encode("ascii")).hexdigest()


def request_fingerprint(key: str, body: Any) -> str:
    """HMAC of the canonical JSON body under the key: equal bodies, equal prints."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(key.encode("ascii"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def _aead(key: str) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"amtslotse.seal.v2"
    ).derive(key.encode("ascii"))
    return AESGCM(derived)


def seal(secret: str, key: str) -> str:
    """Encrypt ``secret`` so that only the holder of ``key`` can read it (80 + 3 chars)."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    sealed = _aead(key).encrypt(nonce, secret.encode("utf-8"), key_digest(key).encode("ascii"))
    return SEAL_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(sealed_text: str, key: str) -> str:
    """The sealed secret; :class:`SealBroken` for a wrong key or a changed text."""
    if not sealed_text.startswith(SEAL_PREFIX):
        raise SealBroken("not sealed by this scheme")
    try:
        raw = base64.urlsafe_b64decode(sealed_text[len(SEAL_PREFIX) :].encode("ascii"))
        nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
        data = _aead(key).decrypt(nonce, sealed, key_digest(key).encode("ascii"))
    except (InvalidTag, ValueError) as exc:
        raise SealBroken("the sealed token does not open with this key") from exc
    return data.decode("utf-8")
