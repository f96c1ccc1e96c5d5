"""A fake Rasa (both webhooks) and portal settings pointing at it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from aiohttp import web

from amtslotse.run.supervisor import free_port
from amtslotse.settings import Settings


@pytest.fixture
async def fake_rasa(aiohttp_server):
    seen: list[dict] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        channel = request.match_info["channel"]
        seen.append({**body, "channel": channel} if channel != "rest" else body)
        return web.json_response([{"recipient_id": body["sender"], "text": "Guten Tag!"}])

    app = web.Application()
    app.router.add_post("/webhooks/{channel}/webhook", webhook)
    server = await aiohttp_server(app)
    server.seen = seen
    return server


def portal_settings(rasa_port: int) -> Settings:
    return replace(
        Settings(),
        rasa_port=rasa_port,
        action_port=free_port(),
        scheduling_port=free_port(),
        tracker_purge_interval_minutes=0,  # never touch ./var from unit tests
    )


@pytest.fixture(autouse=True)
def _session_secret_from_env(monkeypatch):
    """Apps made without an explicit Auth take the secret from here, not from ./var."""
    monkeypatch.setenv("AMTSLOTSE_SESSION_SECRET", "unit-test-secret-0123456789abcdef")
    monkeypatch.delenv("AMTSLOTSE_STAFF_USERS", raising=False)
