"""A fake Rasa (both webhooks, the health check) and portal settings pointing at it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from amtslotse.portal.accounts import Account, hash_password
from amtslotse.portal.auth import Auth, Session
from amtslotse.portal.sessions import SessionStore
from amtslotse.run.supervisor import free_port
from amtslotse.settings import Settings

STAFF_PASSWORD = "richtig-geheim-1"


@pytest.fixture
async def fake_rasa(aiohttp_server):
    seen: list[dict] = []  # what the portal posted, without the turn's metadata
    metadata: list[dict] = []  # the metadata of each turn ({"turn": ..., "resent": ...})

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        metadata.append(body.pop("metadata", None))
        channel = request.match_info["channel"]
        seen.append({**body, "channel": channel} if channel != "rest" else body)
        return web.json_response([{"recipient_id": body["sender"], "text": "Guten Tag!"}])

    async def health(request: web.Request) -> web.Response:
        parts = {"lock_store": True, "tracker_store": True, "actions": True}
        return web.json_response({"status": "ok", "parts": parts})

    app = web.Application()
    app.router.add_post("/webhooks/{channel}/webhook", webhook)
    app.router.add_get("/webhooks/rest/health", health)
    server = await aiohttp_server(app)
    server.seen = seen
    server.metadata = metadata
    return server


def portal_settings(rasa_port: int, data_dir: Path, **changes: Any) -> Settings:
    """Settings of a portal in front of ``rasa_port``, with its files in ``data_dir``."""
    return replace(
        Settings(),
        rasa_port=rasa_port,
        action_port=free_port(),
        scheduling_port=free_port(),
        data_dir=data_dir,
        session_secret="unit-test-secret-0123456789abcdef",
        tracker_purge_interval_minutes=0,  # never touch ./var from unit tests
        **changes,
    )


@pytest.fixture
def settings_for(tmp_path: Path) -> Callable[..., Settings]:
    """``settings_for(rasa_port, **changes)``: portal settings with a scratch data dir."""
    return lambda rasa_port, **changes: portal_settings(rasa_port, tmp_path / "var", **changes)


async def staff_session(data_dir: Path, name: str, roles: str = "hotline") -> tuple[Auth, Session]:
    """An Auth with the one account ``name`` (roles joined by ``+``), and its open session.

    The session's ``token`` is the cookie, its ``csrf`` the console's header.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    accounts = {
        name: Account(
            name, hash_password(STAFF_PASSWORD, iterations=1000), frozenset(roles.split("+"))
        )
    }
    auth = Auth(
        lambda: accounts,
        SessionStore(f"sqlite:///{data_dir / 'sessions.sqlite3'}", b"s" * 32),
        iterations=1000,
    )
    return auth, await auth.login(name, STAFF_PASSWORD, "127.0.0.1")
