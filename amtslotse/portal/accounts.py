"""Staff accounts of the hotline console and the editor preview.

Accounts come from configuration, never from a database: the environment
variable ``AMTSLOTSE_STAFF_USERS="name:hash,name:hash"`` and the file
``<data dir>/staff_users`` (one ``name:hash`` a line, written by
``amtslotse staff add NAME``). Hashes are PBKDF2-SHA256 with a random salt:
``pbkdf2_sha256$<iterations>$<salt>$<hash>`` (URL-safe base64, no ``:`` or
``,``). Nothing is read at import time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from pathlib import Path

FILE_NAME = "staff_users"
#: OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
ITERATIONS = 600_000
NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_SCHEME = "pbkdf2_sha256"


class AccountError(ValueError):
    """A malformed account line or name."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, *, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"{_SCHEME}${iterations}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """True if ``password`` matches; False for a wrong password or a malformed hash."""
    try:
        scheme, iterations, salt, digest = encoded.split("$")
        if scheme != _SCHEME:
            return False
        computed = hashlib.pbkdf2_hmac("sha256", password.encode(), _unb64(salt), int(iterations))
        return hmac.compare_digest(computed, _unb64(digest))
    except (ValueError, TypeError):
        return False


def parse_accounts(text: str, separator: str = ",") -> dict[str, str]:
    """``name:hash`` entries separated by ``separator`` (blank entries and # comments skipped)."""
    accounts: dict[str, str] = {}
    for raw in text.split(separator):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        name, sep, encoded = entry.partition(":")
        if not sep or not NAME.match(name) or not encoded.startswith(_SCHEME + "$"):
            raise AccountError(
                f"A staff account must look like 'name:{_SCHEME}$...', not {entry!r}."
            )
        accounts[name] = encoded
    return accounts


def accounts_file(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def load_accounts(data_dir: Path, configured: str = "") -> dict[str, str]:
    """Accounts from the data dir's file, then ``configured`` (AMTSLOTSE_STAFF_USERS,
    which wins on equal names)."""
    path = accounts_file(data_dir)
    accounts = parse_accounts(path.read_text(encoding="utf-8"), "\n") if path.is_file() else {}
    accounts.update(parse_accounts(configured))
    return accounts


def add_account(data_dir: Path, name: str, password: str, *, iterations: int = ITERATIONS) -> str:
    """Write ``name:hash`` to the data dir's accounts file (replacing that name); return it."""
    if not NAME.match(name):
        raise AccountError("A name has 1 to 64 letters, digits, '.', '_' or '-'.")
    line = f"{name}:{hash_password(password, iterations=iterations)}"
    path = accounts_file(data_dir)
    kept = []
    if path.is_file():
        kept = [
            ln
            for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and ln.partition(":")[0] != name
        ]
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([*kept, line]) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return line
