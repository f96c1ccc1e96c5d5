"""Staff sessions: signed, HttpOnly, SameSite=Strict cookies with an expiry, and CSRF tokens.

A session cookie is ``<payload>.<signature>``: the payload is URL-safe
base64 of ``{"u": user, "exp": unix time, "c": csrf token}``, the signature
HMAC-SHA256 over it with the portal's secret. Nothing is stored on the
server; a cookie stops working when it expires or the secret changes.
POSTs of a logged-in page carry the session's CSRF token (form field
``csrf`` or header ``X-CSRF-Token``); the login form, before any session,
uses a double-submit token (cookie and form field).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from amtslotse.portal.accounts import hash_password, load_accounts, verify_password
from amtslotse.settings import Settings

SESSION_COOKIE = "amtslotse_session"
LOGIN_COOKIE = "amtslotse_login"
CSRF_HEADER = "X-CSRF-Token"
SECRET_FILE = "session_secret"
#: A working day; after that the agent or editor logs in again.
DEFAULT_MAX_AGE = 8 * 3600
#: Compared against for unknown names, so they take as long as wrong passwords.
_DUMMY_HASH = hash_password("amtslotse", iterations=1000, salt=b"\0" * 16)


@dataclass(frozen=True)
class Session:
    user: str
    csrf: str
    expires: float


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Auth:
    """Checks passwords against the staff accounts and issues and reads session cookies."""

    def __init__(
        self,
        secret: bytes,
        accounts: Callable[[], Mapping[str, str]],
        *,
        max_age: int = DEFAULT_MAX_AGE,
        clock: Callable[[], float] = time.time,
    ):
        if len(secret) < 16:
            raise ValueError("the session secret needs at least 16 bytes")
        self._secret = secret
        self._accounts = accounts
        self.max_age = max_age
        self.clock = clock

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._secret, payload.encode(), hashlib.sha256).digest())

    def issue(self, user: str) -> tuple[str, Session]:
        """A new session for ``user``: the cookie value and what it says."""
        session = Session(user, secrets.token_urlsafe(24), self.clock() + self.max_age)
        body = {"u": session.user, "c": session.csrf, "exp": int(session.expires)}
        payload = _b64(json.dumps(body, separators=(",", ":")).encode())
        return f"{payload}.{self._sign(payload)}", session

    def read(self, value: str | None) -> Session | None:
        """The session in a cookie value, or None if it is forged, malformed or expired."""
        if not value or not value.isascii() or value.count(".") != 1:
            return None
        payload, signature = value.split(".")
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            data = json.loads(_unb64(payload))
            session = Session(str(data["u"]), str(data["c"]), float(data["exp"]))
        except (ValueError, KeyError, TypeError, binascii.Error):
            return None
        return session if session.expires > self.clock() else None

    async def check_password(self, user: str, password: str) -> bool:
        """Runs PBKDF2 in a thread (it takes a while on purpose)."""
        accounts = await asyncio.to_thread(self._accounts)
        encoded = accounts.get(user)
        ok = await asyncio.to_thread(verify_password, password, encoded or _DUMMY_HASH)
        return ok and encoded is not None


def session_secret(data_dir: Path, configured: str = "") -> bytes:
    """``configured`` (AMTSLOTSE_SESSION_SECRET), else a random one kept in the data dir."""
    if configured:
        return configured.encode()
    path = data_dir / SECRET_FILE
    if not path.is_file():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()


def auth_from_settings(settings: Settings) -> Auth:
    """The portal's Auth from the settings (accounts are read again at each login)."""
    data_dir = settings.data_dir
    return Auth(
        session_secret(data_dir, settings.session_secret),
        lambda: load_accounts(data_dir, settings.staff_users),
    )


def set_cookie(
    response: web.StreamResponse,
    name: str,
    value: str,
    *,
    max_age: int,
    secure: bool,
    path: str = "/",
) -> None:
    """HttpOnly and SameSite=Strict; ``secure`` when the public address is https."""
    response.set_cookie(
        name, value, max_age=max_age, path=path, httponly=True, samesite="Strict", secure=secure
    )


def csrf_ok(expected: str, given: str | None) -> bool:
    if not given:
        return False
    return hmac.compare_digest(
        expected.encode("utf-8", "surrogatepass"), given.encode("utf-8", "surrogatepass")
    )
