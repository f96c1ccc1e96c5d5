"""Staff sessions kept by the portal, so that logging out or removing an account ends them.

The cookie holds a random token (32 bytes); the table ``staff_sessions``
holds, under HMAC-SHA256(session secret, token), the account, the session's
CSRF token, the account's password fingerprint and the expiry. A copied
cookie stops working as soon as its row is gone: at logout, when the account
is removed (``amtslotse staff remove``, and checked again at every request,
see :mod:`amtslotse.portal.auth`), or when it expires. Someone who reads the
table gets no usable cookie.

The database is ``PORTAL_DB_URL`` (SQLite in the data dir by default). Several
portal instances share sessions when they share this database (one
PostgreSQL database) and ``AMTSLOTSE_SESSION_SECRET``. SQLAlchemy's
synchronous engine is used from a worker thread, as for the tracker purge:
a staff request makes one or two small queries.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

metadata = sa.MetaData()

SESSIONS = sa.Table(
    "staff_sessions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # HMAC of the cookie's token
    sa.Column("account", sa.String(64), nullable=False, index=True),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("expires", sa.Float, nullable=False, index=True),
)


@dataclass(frozen=True)
class StoredSession:
    account: str
    csrf: str
    fingerprint: str
    expires: float


class SessionStore:
    """Create, find and end sessions; every method runs its query in a worker thread."""

    def __init__(self, url: str, secret: bytes):
        self.url = url
        self._secret = secret
        self._engine: Engine | None = None

    def _key(self, token: str) -> str:
        return hmac.new(self._secret, token.encode(), hashlib.sha256).hexdigest()

    def _db(self) -> Engine:
        if self._engine is None:
            engine = sa.create_engine(self.url, future=True)
            try:
                metadata.create_all(engine)
            except SQLAlchemyError:
                metadata.create_all(engine)  # another instance created it at the same time
            self._engine = engine
        return self._engine

    async def open(self) -> None:
        await asyncio.to_thread(self._db)

    async def close(self) -> None:
        if self._engine is not None:
            await asyncio.to_thread(self._engine.dispose)

    async def create(
        self, account: str, fingerprint: str, expires: float, now: float
    ) -> tuple[str, str]:
        """A new session: ``(cookie token, csrf token)``; expired sessions are deleted too."""
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)

        def insert() -> None:
            with self._db().begin() as db:
                db.execute(sa.delete(SESSIONS).where(SESSIONS.c.expires <= now))
                db.execute(
                    sa.insert(SESSIONS).values(
                        id=self._key(token),
                        account=account,
                        csrf=csrf,
                        fingerprint=fingerprint,
                        expires=expires,
                    )
                )

        await asyncio.to_thread(insert)
        return token, csrf

    async def find(self, token: str) -> StoredSession | None:
        def select() -> StoredSession | None:
            with self._db().connect() as db:
                row = db.execute(
                    sa.select(
                        SESSIONS.c.account,
                        SESSIONS.c.csrf,
                        SESSIONS.c.fingerprint,
                        SESSIONS.c.expires,
                    ).where(SESSIONS.c.id == self._key(token))
                ).first()
            return StoredSession(*row) if row else None

        return await asyncio.to_thread(select)

    async def end(self, token: str) -> None:
        await asyncio.to_thread(self._delete, SESSIONS.c.id == self._key(token))

    async def end_account(self, account: str) -> int:
        """End every session of ``account``; returns how many there were."""
        return await asyncio.to_thread(self._delete, SESSIONS.c.account == account)

    def _delete(self, where: sa.sql.ColumnElement[bool]) -> int:
        with self._db().begin() as db:
            return int(db.execute(sa.delete(SESSIONS).where(where)).rowcount or 0)
