"""Staff accounts of the hotline console, the editor preview and the statistics, with roles.

Accounts come from configuration, never from a database: the environment
variable ``AMTSLOTSE_STAFF_USERS="name:hash:roles,name:hash:roles"`` and the
file ``<data dir>/staff_users`` (one ``name:hash:roles`` a line, written by
``amtslotse staff add NAME --role hotline,editor``). Roles are joined by
``+`` (``hotline+editor``); a line without roles (the format before roles)
is ``hotline+editor``, what every account could do then. Hashes are
PBKDF2-SHA256 with a random salt: ``pbkdf2_sha256$<iterations>$<salt>$<hash>``
(URL-safe base64, no ``:``, ``,`` or ``+``). Nothing is read at import time.

Roles: ``hotline`` (the console, /hotline), ``editor`` (the preview and the
live check, /editor, /api/lint), ``planner`` (the statistics), ``admin``
(everything).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "staff_users"
#: OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
ITERATIONS = 600_000
NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
ROLES = ("hotline", "editor", "planner", "admin")
#: What an account line without roles may do (every account could, before roles).
LEGACY_ROLES = frozenset({"hotline", "editor"})
_SCHEME = "pbkdf2_sha256"


class AccountError(ValueError):
    """A malformed account line, name or role."""


@dataclass(frozen=True)
class Account:
    name: str
    password_hash: str
    roles: frozenset[str]

    def may(self, role: str) -> bool:
        return role in self.roles or "admin" in self.roles

    @property
    def fingerprint(self) -> str:
        """Changes when the password does: sessions made with the old one end."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:32]

    def line(self) -> str:
        return f"{self.name}:{self.password_hash}:{'+'.join(r for r in ROLES if r in self.roles)}"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, *, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    return f"{_SCHEME}${iterations}${_b64(salt)}${_b64(digest)}"


def unknown_name_hash(iterations: int = ITERATIONS) -> str:
    """A hash no password matches, checked for unknown names at the same cost as real ones.

    Made without hashing anything (a random digest), so it costs nothing to make.
    """
    return f"{_SCHEME}${iterations}${_b64(secrets.token_bytes(16))}${_b64(secrets.token_bytes(32))}"


def verify_password(password: str, encoded: str) -> bool:
    """True if ``password`` matches; False for a wrong password or a malformed hash."""
    try:
        scheme, iterations, salt, digest = encoded.split("$")
        if scheme != _SCHEME:
            return False
        computed = hashlib.pbkdf2_hmac(
            "sha256", password.encode("utf-8", "surrogatepass"), _unb64(salt), int(iterations)
        )
        return hmac.compare_digest(computed, _unb64(digest))
    except (ValueError, TypeError):
        return False


def parse_roles(text: str) -> frozenset[str]:
    """``hotline,editor`` or ``hotline+editor``; AccountError for an unknown role."""
    roles = frozenset(r.strip() for r in re.split(r"[+,]", text) if r.strip())
    unknown = roles - set(ROLES)
    if unknown or not roles:
        raise AccountError(f"Roles are {', '.join(ROLES)} (one or more), not {text!r}.")
    return roles


def parse_accounts(text: str, separator: str = ",") -> dict[str, Account]:
    """``name:hash[:roles]`` entries split by ``separator`` (blank ones and # comments skipped)."""
    accounts: dict[str, Account] = {}
    for raw in text.split(separator):
        entry = raw.strip()
        if not entry or entry.startswith("#"):
            continue
        name, _, rest = entry.partition(":")
        encoded, has_roles, roles = rest.partition(":")
        if not NAME.match(name) or not encoded.startswith(_SCHEME + "$"):
            raise AccountError(
                f"A staff account must look like 'name:{_SCHEME}$...:roles', not {entry!r}."
            )
        accounts[name] = Account(name, encoded, parse_roles(roles) if has_roles else LEGACY_ROLES)
    return accounts


def accounts_file(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def load_accounts(data_dir: Path, configured: str = "") -> dict[str, Account]:
    """Accounts from the data dir's file, then ``configured`` (AMTSLOTSE_STAFF_USERS,
    which wins on equal names)."""
    path = accounts_file(data_dir)
    accounts = parse_accounts(path.read_text(encoding="utf-8"), "\n") if path.is_file() else {}
    accounts.update(parse_accounts(configured))
    return accounts


def _write_lines(data_dir: Path, keep: list[str]) -> None:
    """Replace the file at once (mode 600): a portal reading it never sees half of it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = accounts_file(data_dir)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("".join(f"{line}\n" for line in keep))
    os.replace(temporary, path)


def _other_lines(data_dir: Path, name: str) -> tuple[list[str], bool]:
    """The file's lines of every account but ``name``, and whether ``name`` had one."""
    path = accounts_file(data_dir)
    if not path.is_file():
        return [], False
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    kept = [ln for ln in lines if ln.partition(":")[0] != name]
    return kept, len(kept) != len(lines)


def add_account(
    data_dir: Path,
    name: str,
    password: str,
    *,
    roles: frozenset[str] = LEGACY_ROLES,
    iterations: int = ITERATIONS,
) -> Account:
    """Write the account to the data dir's file (replacing that name); return it."""
    if not NAME.match(name):
        raise AccountError("A name has 1 to 64 letters, digits, '.', '_' or '-'.")
    account = Account(
        name, hash_password(password, iterations=iterations), parse_roles("+".join(roles))
    )
    kept, _ = _other_lines(data_dir, name)
    _write_lines(data_dir, [*kept, account.line()])
    return account


def remove_account(data_dir: Path, name: str) -> bool:
    """Remove ``name`` from the data dir's file; False if it had no line there."""
    kept, found = _other_lines(data_dir, name)
    if found:
        _write_lines(data_dir, kept)
    return found


class AccountSource:
    """The accounts as configured now, read again whenever the file changes.

    Called at every staff request (sessions of removed accounts end at once),
    so the file is parsed only when its size or modification time changed. A
    file that became malformed is logged and the last good accounts stay.
    """

    def __init__(self, data_dir: Path, configured: str = ""):
        self.data_dir = data_dir
        self.configured = configured
        self._stamp: tuple[int, int] | None = None
        self._accounts: dict[str, Account] = {}

    def __call__(self) -> dict[str, Account]:
        try:
            stat = accounts_file(self.data_dir).stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            stamp = (0, 0)
        if stamp != self._stamp:
            try:
                self._accounts = load_accounts(self.data_dir, self.configured)
            except (AccountError, OSError, UnicodeDecodeError) as exc:
                log.error("staff accounts not read again, the last good ones stay: %s", exc)
            self._stamp = stamp
        return self._accounts
