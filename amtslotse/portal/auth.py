"""Staff login and sessions: same cost for every name, limits reserved before hashing.

Login (:meth:`Auth.login`), in this order:

1. **Reserve** one attempt from the client's bucket and one from the name's
   (both token buckets, :data:`CLIENT_LIMIT`, :data:`NAME_LIMIT`). Parallel
   attempts cannot pass together: each takes its token before anything is
   awaited. Unknown names have buckets too, so they behave like real ones.
   The client is the real one behind trusted proxies, so one person's typo
   never locks out a whole office behind the county's proxy.
2. **Wait for a hashing slot**: at most :data:`HASHING` PBKDF2 runs at once
   on a thread pool of their own, at most :data:`WAITING` more queue; beyond
   that the attempt is refused (and its reservation given back).
3. **Hash**: a known name's hash, or for an unknown name a hash with the
   same iteration count that no password matches, so both take equally long.
4. A correct password gives its reservations back (only failures count) and
   opens a server-side session (:mod:`amtslotse.portal.sessions`).

Each request's session (:meth:`Auth.session`) is looked up in the store and
checked against the accounts as configured now: a removed account, or one
whose password changed, has no session any more; role changes apply at once.
The session cookie is HttpOnly, SameSite=Strict, and ``Secure`` when the
public address is https. POSTs of a logged-in page carry the session's CSRF
token (form field ``csrf`` or header ``X-CSRF-Token``); the login form,
before any session, uses a double-submit token (cookie and form field).
"""

from __future__ import annotations

import asyncio
import hmac
import os
import re
import secrets
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from amtslotse.portal.accounts import (
    ITERATIONS,
    Account,
    AccountSource,
    unknown_name_hash,
    verify_password,
)
from amtslotse.portal.ratelimit import RateLimiter
from amtslotse.portal.sessions import SessionStore
from amtslotse.settings import Settings

SESSION_COOKIE = "amtslotse_session"
LOGIN_COOKIE = "amtslotse_login"
CSRF_HEADER = "X-CSRF-Token"
SECRET_FILE = "session_secret"
#: A working day; after that the agent or editor logs in again.
DEFAULT_MAX_AGE = 8 * 3600
#: Failed logins per client: 5 at once, then 1 every 12 seconds.
CLIENT_LIMIT = (5.0, 5)
#: Failed logins per name, from anywhere: 10 at once, then 2 a minute.
NAME_LIMIT = (2.0, 10)
#: PBKDF2 runs at once (one per core), and attempts that may wait for one.
HASHING = 2
WAITING = 8
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")  # secrets.token_urlsafe(32)


class LoginRefused(Exception):
    """A login that did not open a session; ``reason`` says which of the three."""

    def __init__(self, reason: str):  # "wrong", "too_many" or "busy"
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Session:
    user: str
    csrf: str
    roles: frozenset[str]
    token: str

    def may(self, role: str) -> bool:
        return role in self.roles or "admin" in self.roles


@dataclass
class LoginLimits:
    """Who may try how often, and how many passwords are hashed at once."""

    per_client: RateLimiter
    per_name: RateLimiter
    hashing: int = HASHING
    waiting: int = WAITING

    @classmethod
    def default(cls) -> LoginLimits:
        return cls(
            RateLimiter(per_minute=CLIENT_LIMIT[0], burst=CLIENT_LIMIT[1]),
            RateLimiter(per_minute=NAME_LIMIT[0], burst=NAME_LIMIT[1]),
        )


class Auth:
    """Checks passwords against the staff accounts and opens, finds and ends sessions."""

    def __init__(
        self,
        accounts: Callable[[], Mapping[str, Account]],
        sessions: SessionStore,
        *,
        max_age: int = DEFAULT_MAX_AGE,
        clock: Callable[[], float] = time.time,
        iterations: int = ITERATIONS,
        limits: LoginLimits | None = None,
    ):
        self._accounts = accounts
        self.sessions = sessions
        self.max_age = max_age
        self.clock = clock
        self.iterations = iterations  # what an unknown name costs: that of real accounts
        self.limits = limits or LoginLimits.default()
        self._hashing = ThreadPoolExecutor(
            max_workers=self.limits.hashing, thread_name_prefix="pbkdf2"
        )
        self._in_flight = 0

    async def close(self) -> None:
        self._hashing.shutdown(wait=False, cancel_futures=True)
        await self.sessions.close()

    async def login(self, name: str, password: str, client: str) -> Session:
        """A new session for ``name``; LoginRefused when the password is wrong or limits hold."""
        reserved = self._reserve(f"client:{client}", f"name:{name[:64]}")
        if self._in_flight >= self.limits.hashing + self.limits.waiting:
            self._give_back(reserved)
            raise LoginRefused("busy")
        self._in_flight += 1
        try:
            accounts = await asyncio.to_thread(self._accounts)
            account = accounts.get(name)
            encoded = account.password_hash if account else unknown_name_hash(self.iterations)
            loop = asyncio.get_running_loop()
            ok = await loop.run_in_executor(self._hashing, verify_password, password, encoded)
        finally:
            self._in_flight -= 1
        if not ok or account is None:
            raise LoginRefused("wrong")
        self._give_back(reserved)
        now = self.clock()
        token, csrf = await self.sessions.create(
            account.name, account.fingerprint, now + self.max_age, now
        )
        return Session(account.name, csrf, account.roles, token)

    def _reserve(self, *keys: str) -> list[tuple[RateLimiter, str]]:
        taken: list[tuple[RateLimiter, str]] = []
        for limiter, key in zip((self.limits.per_client, self.limits.per_name), keys, strict=True):
            if not limiter.allow(key):
                self._give_back(taken)
                raise LoginRefused("too_many")
            taken.append((limiter, key))
        return taken

    @staticmethod
    def _give_back(taken: list[tuple[RateLimiter, str]]) -> None:
        for limiter, key in taken:
            limiter.give_back(key)

    async def session(self, token: str | None) -> Session | None:
        """The session of a cookie value, or None (unknown, ended, expired, account gone)."""
        if not token or not _TOKEN.match(token):
            return None
        stored = await self.sessions.find(token)
        if stored is None:
            return None
        if stored.expires <= self.clock():
            await self.sessions.end(token)
            return None
        account = (await asyncio.to_thread(self._accounts)).get(stored.account)
        if account is None or account.fingerprint != stored.fingerprint:
            await self.sessions.end(token)  # removed, or its password changed
            return None
        return Session(account.name, stored.csrf, account.roles, token)

    async def logout(self, session: Session) -> None:
        await self.sessions.end(session.token)


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


def session_store(settings: Settings) -> SessionStore:
    """The portal's session store (also used by ``amtslotse staff remove``)."""
    if not settings.portal_db_url:  # SQLite in the data dir
        settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    return SessionStore(
        settings.portal_db, session_secret(settings.data_dir, settings.session_secret)
    )


def auth_from_settings(settings: Settings) -> Auth:
    """The portal's Auth from the settings (accounts are read again at each request)."""
    return Auth(AccountSource(settings.data_dir, settings.staff_users), session_store(settings))


def set_cookie(
    response: web.StreamResponse,
    request: web.Request,
    name: str,
    value: str,
    *,
    max_age: int,
    path: str = "/",
) -> None:
    """HttpOnly and SameSite=Strict; Secure over https, which every request is when the
    public address is https (the forwarded middleware)."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite="Strict",
        secure=request.secure,
    )


def csrf_ok(expected: str, given: str | None) -> bool:
    if not given:
        return False
    return hmac.compare_digest(
        expected.encode("utf-8", "surrogatepass"), given.encode("utf-8", "surrogatepass")
    )
