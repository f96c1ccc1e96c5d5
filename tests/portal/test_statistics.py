"""Demand statistics and feedback through the portal: counted per conversation, k = 5."""

from __future__ import annotations

import csv
import io

import pytest
from aiohttp import web

from amtslotse.portal import keys
from amtslotse.portal.app import create_app
from amtslotse.portal.auth import Auth, LoginLimits
from amtslotse.portal.ratelimit import RateLimiter
from amtslotse.portal.sessions import SessionStore
from tests.portal.test_staff_pages import ITERATIONS, MAX_AGE, Clock, _login, account

ANSWERS = {
    "Angelschein": [
        {"text": "Fischerei·schein"},
        {
            "custom": {
                "type": "office_answer",
                "service_id": "fischereischein",
                "office_id": "buergerbuero",
                "walk_in": True,
                "urgent": False,
                "county_responsible": True,
            }
        },
    ],
    "Wohngeld und Auto abmelden": [
        {
            "custom": {
                "type": "concern_list",
                "items": [
                    {
                        "service_id": "wohngeld",
                        "office_id": "wohngeldstelle",
                        "kind": "appointment",
                    },
                    {"service_id": "kfz_abmelden", "office_id": "buergerbuero", "kind": "walk_in"},
                ],
            }
        }
    ],
    "Blabla": [
        {"text": "Meinen Sie das?"},
        {
            "custom": {
                "type": "clarify",
                "reason": "fallback",
                "options": [{"title": "Wohn·geld", "payload": "/anliegen_wohngeld"}],
            }
        },
    ],
}


@pytest.fixture
async def fake_rasa(aiohttp_server):
    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        for start, answer in ANSWERS.items():
            if body["message"].startswith(start):
                return web.json_response(answer)
        return web.json_response([{"text": "Guten Tag!"}])

    app = web.Application()
    app.router.add_post("/webhooks/{channel}/webhook", webhook)
    return await aiohttp_server(app)


@pytest.fixture
async def client(aiohttp_client, fake_rasa, settings_for, tmp_path):
    accounts = {"pia": account("pia", "planner"), "erika": account("erika", "editor")}
    auth = Auth(
        lambda: accounts,
        SessionStore(f"sqlite:///{tmp_path / 'sessions.sqlite3'}", b"s" * 32),
        max_age=MAX_AGE,
        clock=Clock(),
        iterations=ITERATIONS,
        limits=LoginLimits(RateLimiter(per_minute=60, burst=60), RateLimiter(60, 60)),
    )
    client = await aiohttp_client(
        create_app(settings_for(fake_rasa.port, chat_rate_burst=1000), auth=auth)
    )
    client.clock = Clock()
    client.app[keys.STATS].clock = client.clock
    return client


async def _chat(client, sender: str, message: str) -> list[dict]:
    r = await client.post("/api/chat", json={"sender": sender, "message": message})
    assert r.status == 200
    await client.app[keys.STATS].drain()
    return await r.json()


async def _end_conversations(client) -> None:
    client.clock.now += 31 * 60
    await client.app[keys.STATS].close_idle()


async def _statistics(client) -> dict:
    r = await client.get("/api/statistik?wochen=4")
    assert r.status == 200, await r.text()
    return await r.json()


def _keys(report: dict, metric: str) -> set[str]:
    return {row["key"] for row in report["metrics"][metric]["rows"]}


async def test_four_conversations_about_a_rare_concern_stay_hidden_the_fifth_shows_it(client):
    assert (await _login(client, "pia")).status == 303
    for n in range(4):
        for _ in range(3):  # asked 3 times in one conversation: counts once
            await _chat(client, f"web-rare-{n:04d}", "Angelschein verloren")
    await _end_conversations(client)
    report = await _statistics(client)
    assert "fischereischein" not in _keys(report, "concern")
    assert report["metrics"]["concern"]["other"]["total"] == "< 5"
    page = await (await client.get("/statistik?wochen=4")).text()
    assert 'data-key="fischereischein"' not in page

    await _chat(client, "web-rare-0004", "Angelschein")
    await _end_conversations(client)
    report = await _statistics(client)
    (row,) = [r for r in report["metrics"]["concern"]["rows"] if r["key"] == "fischereischein"]
    assert row["total"] == 5 and row["label"] == "Fischerei·schein"
    assert set(row["weeks"].values()) == {5}
    assert {r["key"]: r["total"] for r in report["metrics"]["kind"]["rows"]} == {"walk_in": 5}
    page = await (await client.get("/statistik?wochen=4")).text()
    assert 'data-key="fischereischein"' in page and "<svg" in page


async def test_combinations_bookings_and_the_unanswered_share(client):
    for n in range(6):
        await _chat(client, f"web-combo-{n:04d}", "Wohngeld und Auto abmelden")
        await _chat(client, f"web-combo-{n:04d}", "Blabla")
    await _end_conversations(client)
    assert (await _login(client, "pia")).status == 303
    report = await _statistics(client)
    assert _keys(report, "concern_combination") == {"kfz_abmelden+wohngeld"}
    assert _keys(report, "office_combination") == {"buergerbuero+wohngeldstelle"}
    shares = report["unanswered_share"]
    assert shares["total"] == 0.5
    csv_body = await (await client.get("/api/statistik?wochen=4&format=csv")).text()
    rows = list(csv.reader(io.StringIO(csv_body.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == ["woche", "bereich", "schluessel", "bezeichnung", "wert"]
    assert rows[[r[2] for r in rows].index("kfz_abmelden+wohngeld")][:3] == [
        "gesamt",
        "concern_combination",
        "kfz_abmelden+wohngeld",
    ]
    # The scrubbed message the bot did not understand waits in the inbox; no count holds text.
    assert "Blabla" not in csv_body


async def test_statistics_need_the_planner_role_or_the_admin_token(client):
    assert (await client.get("/api/statistik")).status == 401
    r = await client.get("/statistik", allow_redirects=False)
    assert r.status == 303 and r.headers["Location"].startswith("/login?next=/statistik")
    assert (await _login(client, "erika")).status == 303
    assert (await client.get("/api/statistik")).status == 403
    assert (await client.get("/statistik")).status == 403
    # A token: the portal asks the scheduling backend, which is not running here.
    client.session.cookie_jar.clear()
    r = await client.get("/api/statistik", headers={"Authorization": "Bearer x" * 3})
    assert r.status == 503 and r.content_type == "application/problem+json"


async def test_invalid_weeks_are_refused(client):
    assert (await _login(client, "pia")).status == 303
    for query in ("wochen=0", "wochen=200", "wochen=x", "bis=2026-53", "bis=2026-W99"):
        r = await client.get(f"/api/statistik?{query}")
        assert r.status == 422, query


async def test_a_no_puts_the_message_in_the_inbox_and_the_reason_follows(client):
    await _chat(client, "web-feedback-01", "Angelschein für Erika Mustermann, 0171 2345678")
    r = await client.post(
        "/api/feedback",
        json={"sender": "web-feedback-01", "helpful": False, "service_id": "fischereischein"},
    )
    assert r.status == 201
    given = await r.json()
    again = {"sender": "web-feedback-01", "feedback": given["id"], "token": given["token"]}
    assert (await client.post("/api/feedback", json={**again, "reason": "x"})).status == 404
    r = await client.post("/api/feedback", json={**again, "reason": "falsches_amt"})
    assert r.status == 200
    # Once only.
    assert (await client.post("/api/feedback", json={**again, "reason": "anderes"})).status == 404
    inbox = await client.app[keys.INBOX].inbox()
    (entry,) = inbox.messages
    assert entry.message == "Angelschein für [Name], [Telefon]"
    assert entry.kind == "nein" and entry.reason == "falsches_amt"
    assert entry.service_id == "fischereischein"


@pytest.mark.parametrize(
    "body, status",
    [
        ({"sender": "web-feedback-01"}, 422),
        ({"sender": "x", "helpful": True}, 422),
        ({"sender": "web-feedback-01", "helpful": "ja"}, 422),
        ({"sender": "web-feedback-01", "helpful": True, "service_id": "<b>"}, 422),
        ([], 400),
    ],
)
async def test_bad_feedback_is_a_problem(client, body, status):
    r = await client.post("/api/feedback", json=body)
    assert r.status == status and r.content_type == "application/problem+json"
