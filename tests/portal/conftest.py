"""A fake Rasa (both webhooks, the health check) and portal settings pointing at it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from aiohttp import web

from amtslotse.run.supervisor import free_port
from amtslotse.settings import Settings


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
