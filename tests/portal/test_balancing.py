"""The portal spreads turns over several Rasa servers, sends a failed turn once more
to another one (marked as sent again when the first may have run it), and says
in Leichte Sprache when no server can answer."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest
from aiohttp import web

from amtslotse.portal.app import create_app
from amtslotse.run.supervisor import free_port

SENDER = "balance-sender-01"
HOTLINE = "Bürger·telefon: 03496 0000-0."


class FakeRasa:
    """A Rasa server whose behaviour a test sets: answer, drop, empty, a part down."""

    def __init__(self, name: str):
        self.name = name
        self.mode = "answer"
        self.turns: list[dict] = []
        self.parts = {"lock_store": True, "tracker_store": True, "actions": True}

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/webhooks/{channel}/webhook", self.webhook)
        app.router.add_get("/webhooks/rest/health", self.health)
        return app

    async def webhook(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.turns.append(body)
        if self.mode == "drop":  # killed mid-turn: the request arrived, no answer left
            assert request.transport is not None
            request.transport.close()
            await asyncio.sleep(1)
        if self.mode == "empty":
            return web.json_response([])
        if self.mode in ("lock_store", "actions"):
            return web.json_response({"error": "down", "part": self.mode}, status=503)
        return web.json_response([{"recipient_id": body["sender"], "text": f"{self.name} hier"}])

    async def health(self, request: web.Request) -> web.Response:
        ok = all(self.parts.values())
        body = {"status": "ok" if ok else "down", "parts": self.parts}
        return web.json_response(body, status=200 if ok else 503)


@pytest.fixture
async def rasas(aiohttp_server):
    fakes = [FakeRasa("eins"), FakeRasa("zwei")]
    servers = [await aiohttp_server(f.app()) for f in fakes]
    for fake, server in zip(fakes, servers, strict=True):
        fake.url = str(server.make_url("")).rstrip("/")
    return fakes


@pytest.fixture
async def scheduling(aiohttp_server):
    app = web.Application()
    app.router.add_get("/healthz", lambda request: web.Response(text="ok\n"))
    return await aiohttp_server(app)


@pytest.fixture
def portal(aiohttp_client, settings_for):
    """``await portal(urls, scheduling=None)``: a portal in front of the Rasa servers ``urls``."""

    async def start(urls, scheduling=None):
        settings = replace(settings_for(free_port()), rasa_urls_configured=tuple(urls))
        if scheduling is not None:
            settings = replace(settings, scheduling_url=str(scheduling.make_url("")).rstrip("/"))
        return await aiohttp_client(create_app(settings))

    return start


async def _chat(client, message="Hallo", **extra):
    response = await client.post("/api/chat", json={"sender": SENDER, "message": message, **extra})
    return response.status, await response.json()


async def test_turns_of_one_conversation_are_spread_over_the_servers(portal, rasas):
    client = await portal([r.url for r in rasas])
    for _ in range(10):
        assert (await _chat(client))[0] == 200
    assert [len(r.turns) for r in rasas] == [5, 5]


async def test_a_server_that_is_gone_is_skipped_and_the_turn_is_new_for_the_other(
    portal, rasas, scheduling
):
    gone = f"http://127.0.0.1:{free_port()}"
    client = await portal([gone, rasas[0].url], scheduling)
    for _ in range(4):
        status, answer = await _chat(client)
        assert status == 200 and answer[0]["text"] == "eins hier"
    # Never reached the first server, so the other one runs it as a new turn.
    assert all("resent" not in t["metadata"] for t in rasas[0].turns)
    health = await client.get("/healthz")
    body = await health.json()
    assert health.status == 200 and body["status"] == "degraded"
    assert body["down"] == [f"rasa {gone}"]


async def test_a_turn_lost_in_a_dying_server_is_sent_once_more_marked_as_resent(portal, rasas):
    rasas[0].mode = "drop"
    client = await portal([r.url for r in rasas])
    status, answer = await _chat(client, turn="t-widget-turn-0001")
    assert status == 200 and answer[0]["text"] == "zwei hier"
    first, again = rasas[0].turns[0], rasas[1].turns[0]
    assert first["metadata"] == {"turn": "t-widget-turn-0001"}
    # The other server looks the turn up before it runs it (it may have been done).
    assert again["metadata"] == {"turn": "t-widget-turn-0001", "resent": True}


async def test_a_shared_part_down_is_not_tried_again_and_is_said_in_leichte_sprache(portal, rasas):
    for r in rasas:
        r.mode = "lock_store"
    client = await portal([r.url for r in rasas])
    status, problem = await _chat(client)
    assert status == 503 and problem["part"] == "lock_store"
    assert problem["lines"][0] == "Entschuldigung." and HOTLINE in problem["lines"]
    assert sum(len(r.turns) for r in rasas) == 1  # the other server shares that Redis


async def test_an_action_server_down_sends_the_turn_to_the_other_pair(portal, rasas):
    rasas[0].mode = "actions"
    client = await portal([r.url for r in rasas])
    answers = [(await _chat(client))[1][0]["text"] for _ in range(3)]
    assert answers == ["zwei hier"] * 3
    assert len(rasas[0].turns) == 1  # left out of the rotation after its failure


async def test_empty_answers_everywhere_are_down_not_an_empty_chat(portal, rasas):
    for r in rasas:
        r.mode = "empty"
    client = await portal([r.url for r in rasas])
    status, problem = await _chat(client)
    assert status == 503 and HOTLINE in problem["lines"]
    assert [len(r.turns) for r in rasas] == [1, 1]


async def test_healthz_names_the_part_the_servers_report_down(portal, rasas, scheduling):
    for r in rasas:
        r.parts["tracker_store"] = False
    client = await portal([r.url for r in rasas], scheduling)
    health = await client.get("/healthz")
    body = await health.json()
    assert health.status == 503 and body["status"] == "down"
    assert body["down"] == ["tracker_store"]
    assert body["checks"]["tracker_store"] is False and body["checks"]["rasa"] is True
