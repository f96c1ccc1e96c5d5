"""/api/chat in front of Rasa: validation, limits, headers, and an honest 503."""

from __future__ import annotations

from dataclasses import replace

import pytest

from amtslotse.portal.app import create_app
from amtslotse.portal.ratelimit import RateLimiter
from amtslotse.run.supervisor import free_port

SENDER = "test-sender-0001"


async def test_chat_is_passed_to_rasa_and_back(aiohttp_client, fake_rasa, settings_for):
    client = await aiohttp_client(create_app(settings_for(fake_rasa.port)))
    response = await client.post("/api/chat", json={"sender": SENDER, "message": "  Hallo  "})
    assert response.status == 200
    assert await response.json() == [{"recipient_id": SENDER, "text": "Guten Tag!"}]
    assert fake_rasa.seen == [{"sender": SENDER, "message": "Hallo"}]
    # Every turn has an id, so that a turn sent again is answered once.
    assert len(fake_rasa.metadata[0]["turn"]) >= 16


async def test_the_widgets_turn_id_and_resent_flag_reach_rasa(
    aiohttp_client, fake_rasa, settings_for
):
    client = await aiohttp_client(create_app(settings_for(fake_rasa.port)))
    turn = "t" + "0123456789abcdef" * 2
    for resent in (False, True):
        body = {"sender": SENDER, "message": "Hallo", "turn": turn, "resent": resent}
        assert (await client.post("/api/chat", json=body)).status == 200
    assert fake_rasa.metadata == [{"turn": turn}, {"turn": turn, "resent": True}]


async def test_very_long_messages_are_cut_not_refused(aiohttp_client, fake_rasa, settings_for):
    client = await aiohttp_client(create_app(settings_for(fake_rasa.port)))
    response = await client.post("/api/chat", json={"sender": SENDER, "message": "a" * 5000})
    assert response.status == 200
    assert len(fake_rasa.seen[0]["message"]) == 2000


@pytest.mark.parametrize(
    "body, status",
    [
        ("not json", 400),
        ([1, 2], 400),
        ({"sender": "x", "message": "hi"}, 422),
        ({"sender": SENDER, "message": 5}, 422),
        ({"sender": "<script>alert(1)</script>", "message": "hi"}, 422),
    ],
)
async def test_bad_requests_get_problem_json(aiohttp_client, fake_rasa, settings_for, body, status):
    client = await aiohttp_client(create_app(settings_for(fake_rasa.port)))
    if isinstance(body, str):
        response = await client.post("/api/chat", data=body)
    else:
        response = await client.post("/api/chat", json=body)
    assert response.status == status
    assert response.content_type == "application/problem+json"
    assert (await response.json())["status"] == status


async def test_oversized_body_is_refused(aiohttp_client, fake_rasa, settings_for):
    client = await aiohttp_client(create_app(settings_for(fake_rasa.port)))
    response = await client.post(
        "/api/chat", data="x" * 100_000, headers={"Content-Type": "application/json"}
    )
    assert response.status == 413


async def test_rate_limit_answers_in_leichte_sprache(aiohttp_client, fake_rasa, settings_for):
    app = create_app(settings_for(fake_rasa.port), limiter=RateLimiter(per_minute=1, burst=2))
    client = await aiohttp_client(app)
    statuses = [
        (await client.post("/api/chat", json={"sender": SENDER, "message": "x"})).status
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    response = await client.post("/api/chat", json={"sender": SENDER, "message": "x"})
    assert "Bitte warten Sie 1 Minute." in (await response.json())["detail"]


async def test_rasa_down_is_503_and_healthz_says_what_is_missing(aiohttp_client, settings_for):
    settings = settings_for(free_port())
    client = await aiohttp_client(create_app(settings))
    response = await client.post("/api/chat", json={"sender": SENDER, "message": "Hallo"})
    assert response.status == 503
    problem = await response.json()
    assert problem["part"] == "rasa"
    assert "Bürger·telefon: 03496 0000-0." in problem["lines"]
    health = await client.get("/healthz")
    assert health.status == 503
    body = await health.json()
    assert body["status"] == "down"
    assert body["checks"] == {
        "portal": True,
        "rasa": False,
        "actions": False,
        "lock_store": False,
        "tracker_store": False,
        "scheduling": False,
    }
    assert body["down"][0] == f"rasa {settings.rasa_url}" and "scheduling" in body["down"]


async def test_pages_carry_security_headers_and_no_inline_script(
    aiohttp_client, fake_rasa, settings_for
):
    client = await aiohttp_client(create_app(settings_for(fake_rasa.port)))
    page = await client.get("/")
    html = await page.text()
    assert page.status == 200
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert '<script src="/widget.js" defer></script>' in html
    assert "<script>" not in html
    widget = await client.get("/widget.js")
    assert widget.status == 200 and "textContent" in await widget.text()
    assert "innerHTML" not in await widget.text()


def test_rate_limiter_refills_over_time():
    now = [0.0]
    limiter = RateLimiter(per_minute=60, burst=1, clock=lambda: now[0])
    assert limiter.allow("a") and not limiter.allow("a")
    now[0] += 1.0
    assert limiter.allow("a")
    assert limiter.allow("b")


async def test_widget_apis_allow_only_the_configured_county_sites(
    aiohttp_client, fake_rasa, settings_for
):
    settings = replace(settings_for(fake_rasa.port), widget_origins=("https://kreis.example",))
    app = create_app(settings)
    client = await aiohttp_client(app)
    preflight = await client.options(
        "/api/chat",
        headers={"Origin": "https://kreis.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://kreis.example"
    chat = await client.post(
        "/api/chat",
        json={"sender": SENDER, "message": "Hallo"},
        headers={"Origin": "https://kreis.example"},
    )
    assert chat.headers["Access-Control-Allow-Origin"] == "https://kreis.example"
    other = await client.get("/api/glossary", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    staff = await client.post("/api/lint", headers={"Origin": "https://kreis.example"})
    assert "Access-Control-Allow-Origin" not in staff.headers
