"""Login, sessions, roles, CSRF and access control of the hotline console and the editor."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from aiohttp import web

from amtslotse.portal.accounts import Account, hash_password
from amtslotse.portal.app import create_app
from amtslotse.portal.auth import LOGIN_COOKIE, SESSION_COOKIE, Auth, LoginLimits
from amtslotse.portal.ratelimit import RateLimiter
from amtslotse.portal.sessions import SessionStore
from amtslotse.run.supervisor import free_port

PASSWORD = "richtig-geheim-1"
MAX_AGE = 3600
ITERATIONS = 1000


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def account(name: str, roles: str = "hotline+editor", password: str = PASSWORD) -> Account:
    return Account(
        name, hash_password(password, iterations=ITERATIONS), frozenset(roles.split("+"))
    )


@pytest.fixture
def accounts() -> dict[str, Account]:
    """The configured accounts; a test may change them while the portal runs."""
    return {"erika": account("erika")}


@pytest.fixture
async def client(aiohttp_client, fake_rasa, clock, accounts, settings_for, tmp_path):
    auth = Auth(
        lambda: accounts,
        SessionStore(f"sqlite:///{tmp_path / 'sessions.sqlite3'}", b"s" * 32),
        max_age=MAX_AGE,
        clock=clock,
        iterations=ITERATIONS,
        limits=LoginLimits(RateLimiter(per_minute=1, burst=3), RateLimiter(per_minute=1, burst=10)),
    )
    return await aiohttp_client(create_app(settings_for(fake_rasa.port), auth=auth))


def _hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, html
    return unescape(match.group(1))


async def _login(client, name: str = "erika", password: str = PASSWORD, next_page: str = ""):
    page = await client.get(f"/login?next={next_page}" if next_page else "/login")
    html = await page.text()
    return await client.post(
        "/login",
        data={
            "name": name,
            "password": password,
            "csrf": _hidden(html, "csrf"),
            "next": _hidden(html, "next"),
        },
        allow_redirects=False,
    )


async def _csrf(client, page: str = "/hotline") -> str:
    html = await (await client.get(page)).text()
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', html).group(1)


@pytest.mark.parametrize("page", ["/hotline", "/editor"])
async def test_staff_pages_redirect_to_login_without_a_session(client, page):
    response = await client.get(page, allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == f"/login?next={page}"


@pytest.mark.parametrize(
    "method, path",
    [("GET", "/api/editor/texts"), ("POST", "/api/lint"), ("POST", "/api/hotline/chat")],
)
async def test_staff_apis_answer_401_without_a_session(client, method, path):
    response = await client.request(method, path, json={"text": "x"})
    assert response.status == 401
    assert response.content_type == "application/problem+json"


async def test_login_sets_a_strict_httponly_session_cookie_and_opens_the_page(client):
    response = await _login(client, next_page="/editor")
    assert response.status == 303 and response.headers["Location"] == "/editor"
    cookie = response.cookies[SESSION_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict"
    assert int(cookie["max-age"]) == MAX_AGE
    page = await client.get("/editor")
    html = await page.text()
    assert page.status == 200
    assert "Angemeldet: erika" in html and 'name="csrf-token"' in html
    assert page.headers["Cache-Control"] == "no-store"
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]


async def test_login_only_redirects_to_own_staff_pages(client):
    response = await _login(client, next_page="https://evil.example/")
    assert response.headers["Location"] == "/hotline"


@pytest.mark.parametrize(
    "wanted", ["//evil.example/editor", "/\\evil.example/editor", "https://evil.example/editor"]
)
async def test_login_never_leads_to_another_site_even_with_a_staff_path(client, wanted):
    response = await _login(client, next_page=quote(wanted, safe=""))
    assert response.headers["Location"] == "/hotline"


async def test_login_keeps_the_query_of_the_page_it_was_asked_for(client):
    page = "/editor/bearbeiten?art=service&id=wohngeld"
    response = await client.get(page, allow_redirects=False)
    assert response.status == 303
    wanted = parse_qs(urlsplit(response.headers["Location"]).query)["next"]
    assert wanted == [page]
    response = await _login(client, next_page=quote(page, safe=""))
    assert response.status == 303 and response.headers["Location"] == page


async def test_login_form_needs_its_csrf_token(client):
    await client.get("/login")
    response = await client.post(
        "/login", data={"name": "erika", "password": PASSWORD, "csrf": "forged"}
    )
    assert response.status == 403
    assert SESSION_COOKIE not in response.cookies


async def test_login_cookie_is_httponly_and_strict(client):
    response = await client.get("/login")
    cookie = response.cookies[LOGIN_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/login"


async def test_wrong_password_is_refused_and_failed_logins_are_rate_limited(client):
    statuses = [(await _login(client, password="falsch")).status for _ in range(3)]
    assert statuses == [401, 401, 401]
    blocked = await _login(client)  # even the right password waits now
    assert blocked.status == 429
    assert "Bitte warten Sie 1 Minute." in await blocked.text()


async def test_unknown_user_is_refused_like_a_wrong_password(client):
    response = await _login(client, name="mallory")
    assert response.status == 401
    assert "Name oder Pass·wort ist falsch." in await response.text()


async def test_session_expires(client, clock):
    await _login(client)
    assert (await client.get("/hotline", allow_redirects=False)).status == 200
    clock.now += MAX_AGE + 1
    response = await client.get("/hotline", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize(
    "forged",
    [
        "x" * 43,  # the shape of a token, but none that was issued
        "\\x",
        "a.b.c",
        "ä" * 43,
        "%00" * 20,
    ],
)
async def test_a_forged_or_broken_session_cookie_is_no_session(client, forged):
    response = await _login(client)
    value = response.cookies[SESSION_COOKIE].value
    assert len(value) == 43  # a random token, nothing to read in it
    client.session.cookie_jar.update_cookies({SESSION_COOKIE: forged})
    assert (await client.get("/hotline", allow_redirects=False)).status == 303
    assert (await client.get("/api/editor/texts")).status == 401


async def test_a_copied_cookie_fails_after_logout(client, aiohttp_client):
    response = await _login(client)
    copied = response.cookies[SESSION_COOKIE].value
    csrf = await _csrf(client)
    await client.post("/logout", data={"csrf": csrf}, allow_redirects=False)
    thief = await aiohttp_client(client.server)  # another browser with the same cookie
    thief.session.cookie_jar.update_cookies({SESSION_COOKIE: copied})
    page = await thief.get("/hotline", allow_redirects=False)
    assert page.status == 303 and page.headers["Location"].startswith("/login")
    api = await thief.post(
        "/api/hotline/chat",
        json={"sender": "hotline-case-0001", "message": "x"},
        headers={"X-CSRF-Token": csrf},
    )
    assert api.status == 401


async def test_a_removed_account_is_locked_out_at_its_next_request(client, accounts):
    await _login(client)
    csrf = await _csrf(client)
    del accounts["erika"]
    api = await client.post("/api/lint", json={"text": "Hallo."}, headers={"X-CSRF-Token": csrf})
    assert api.status == 401
    accounts["erika"] = account("erika")  # added again: the old session stays ended
    assert (await client.get("/hotline", allow_redirects=False)).status == 303


async def test_a_new_password_ends_the_sessions_made_with_the_old_one(client, accounts):
    await _login(client)
    accounts["erika"] = account("erika", password="ganz-neu-und-lang")
    assert (await client.get("/hotline", allow_redirects=False)).status == 303


@pytest.mark.parametrize(
    "roles, allowed",
    [
        ("hotline", {"/hotline", "/api/hotline/chat"}),
        ("editor", {"/editor", "/api/editor/texts", "/api/lint"}),
        ("planner", {"/statistik", "/api/statistik"}),
        (
            "admin",
            {
                "/hotline",
                "/api/hotline/chat",
                "/editor",
                "/api/editor/texts",
                "/api/lint",
                "/statistik",
                "/api/statistik",
            },
        ),
    ],
)
async def test_each_page_and_api_checks_its_role(client, accounts, roles, allowed):
    accounts["erika"] = account("erika", roles)
    login = await _login(client, next_page="/editor")
    first_page = next(p for p in ("/editor", "/hotline", "/statistik") if p in allowed)
    assert login.headers["Location"] == first_page
    html = await (await client.get(first_page)).text()
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    for page in ("/hotline", "/editor", "/statistik"):
        response = await client.get(page, allow_redirects=False)
        assert response.status == (200 if page in allowed else 403), (roles, page)
        if page not in allowed:
            text = await response.text()
            assert "Kein Zugang" in text and f"Ihre Rollen sind: {roles}." in text
    calls = [
        ("POST", "/api/hotline/chat", {"sender": "hotline-case-0001", "message": "x"}),
        ("GET", "/api/editor/texts", None),
        ("POST", "/api/lint", {"text": "Hallo."}),
        ("GET", "/api/statistik", None),
    ]
    for method, path, body in calls:
        response = await client.request(method, path, json=body, headers={"X-CSRF-Token": csrf})
        assert response.status == (200 if path in allowed else 403), (roles, path)
        if path not in allowed:
            assert response.content_type == "application/problem+json"


async def test_the_forbidden_page_passes_the_checker():
    from amtslotse.lint import check_text, checker_pipeline, load_config
    from tests.portal.test_widget_texts import TEMPLATES, _visible

    lines = [line for line in _visible(TEMPLATES / "forbidden.html") if "$" not in line]
    report = check_text("\n".join(lines), load_config(), checker_pipeline())
    assert [f for f in report.findings if f.severity.value == "error"] == []


async def test_posts_need_the_sessions_csrf_token(client):
    await _login(client)
    without = await client.post("/api/lint", json={"text": "Hallo."})
    wrong = await client.post(
        "/api/lint", json={"text": "Hallo."}, headers={"X-CSRF-Token": "forged"}
    )
    assert without.status == 403 and wrong.status == 403


async def test_lint_api_returns_findings_of_a_pasted_sentence(client):
    await _login(client)
    response = await client.post(
        "/api/lint",
        json={"text": "Der Antrag wird von der Wohngeldstelle bearbeitet."},
        headers={"X-CSRF-Token": await _csrf(client)},
    )
    assert response.status == 200
    report = await response.json()
    rules = {f["rule"]: f for f in report["findings"]}
    assert {"passiv", "kompositum"} <= set(rules)
    assert rules["kompositum"]["text"] == "Wohngeldstelle"
    assert (rules["kompositum"]["line"], rules["kompositum"]["column"]) == (1, 25)
    assert report["scores"]["sentences"] == 1


async def test_lint_api_refuses_bad_bodies(client):
    await _login(client)
    headers = {"X-CSRF-Token": await _csrf(client)}
    assert (await client.post("/api/lint", json={"txt": 1}, headers=headers)).status == 422
    long = {"text": "a" * 6000}
    assert (await client.post("/api/lint", json=long, headers=headers)).status == 413


async def test_editor_lists_every_citizen_text_with_findings_and_scores(client):
    await _login(client)
    response = await client.get("/api/editor/texts")
    body = await response.json()
    assert response.status == 200
    assert body["counts"]["texts"] == len(body["texts"]) > 100
    assert body["counts"]["error"] == 0
    labels = {t["label"] for t in body["texts"]}
    assert "bot/domain/allgemein.yml" in labels
    found = [t for t in body["texts"] if t["findings"]]
    assert found and all("flesch_amstad" in t["scores"] for t in body["texts"])
    f = found[0]["findings"][0]
    line = found[0]["text"].split("\n")[f["line"] - 1]
    assert line[f["column"] - 1 :].startswith(f["text"])


async def test_editor_shows_each_services_sources_review_and_first_answer(client):
    await _login(client)
    body = await (await client.get("/api/editor/texts")).json()
    # Sources age (a warning a year on) and reviews opened again after a rewrite wait for
    # the next round (warnings); nothing else is wrong with the shipped content.
    assert [c for c in body["checks"] if c["rule"] not in ("quelle-alt", "bewertung-offen")] == []
    assert all(c["severity"] == "warning" for c in body["checks"])
    assert body["source_max_age_days"] == 365
    services = {s["id"]: s for s in body["services"]}
    assert len(services) == 42
    wohngeld = services["wohngeld"]
    assert wohngeld["where"] == "services/wohngeld.yml:1"
    source = wohngeld["sources"][0]
    assert source["url"].startswith("https://") and source["checked"] == "2026-12-01"
    assert source["where"].startswith("services/wohngeld.yml:") and "stale" in source
    review = wohngeld["review"]
    assert set(review) == {"score", "reviewer", "date", "note"}
    if review["score"] is None:  # open again after a rewrite
        assert review["date"] is None
    else:
        assert review["score"] in (1, 2, 3, 4, 5) and review["reviewer"] and review["date"]
    assert services["hilfe_zur_pflege"]["review"]["score"] == 5
    assert wohngeld["answer"].splitlines()[0] == "Wohn·geld"
    assert "Termin machen" in wohngeld["buttons"]


def test_the_preview_shows_the_reviewers_note(tmp_path):
    """The note says what must still change; the editor preview shows it beside the score."""
    import shutil
    from datetime import date

    from amtslotse.core.content import default_content_root, load_catalogue
    from amtslotse.portal.content import services_report

    content = tmp_path / "content"
    shutil.copytree(default_content_root(), content)
    path = content / "services" / "hilfe_zur_pflege.yml"
    text = path.read_text()
    start = text.index("\nreview:\n") + 1
    path.write_text(
        text[:start] + "review:\n  score: 4\n  reviewer: Erika Beispiel\n  date: 2026-12-02\n"
        "  note: Ein schweres Wort in bring.\n"
    )
    rows = {r["id"]: r for r in services_report(load_catalogue(content), date(2026, 12, 2))}
    assert rows["hilfe_zur_pflege"]["review"] == {
        "score": 4,
        "reviewer": "Erika Beispiel",
        "date": "2026-12-02",
        "note": "Ein schweres Wort in bring.",
    }
    # The entry's page in the preview (drawn by the server) shows it beside the score.
    from amtslotse.portal.preview_views import service_html

    shown = service_html(rows["hilfe_zur_pflege"], 365)
    assert "4 von 5, Erika Beispiel, 2026-12-02" in shown
    assert "Ein schweres Wort in bring." in shown


async def test_glossary_is_public_and_comes_from_the_content(client):
    response = await client.get("/api/glossary")
    entries = {g["term"]: g for g in (await response.json())["glossary"]}
    assert response.status == 200
    assert "Anträge" in entries["Antrag"]["forms"]
    assert entries["Antrag"]["explanation"].startswith("Mit einem Antrag")


async def test_hotline_chat_goes_to_rasas_hotline_channel(client, fake_rasa):
    await _login(client)
    headers = {"X-CSRF-Token": await _csrf(client)}
    response = await client.post(
        "/api/hotline/chat",
        json={"sender": "hotline-case-0001", "message": " Wohngeld "},
        headers=headers,
    )
    assert response.status == 200
    assert fake_rasa.seen == [
        {"sender": "hotline-case-0001", "message": "Wohngeld", "channel": "hotline"}
    ]
    # The agent's account travels with the turn, beside the turn's id.
    [metadata] = fake_rasa.metadata
    assert metadata["staff"] == "erika" and len(metadata["turn"]) >= 16
    web_sender = await client.post(
        "/api/hotline/chat", json={"sender": "web-0000000001", "message": "x"}, headers=headers
    )
    assert web_sender.status == 422


async def test_logout_needs_csrf_and_ends_the_session(client):
    await _login(client)
    csrf = await _csrf(client)
    assert (await client.post("/logout", data={"csrf": "forged"})).status == 403
    response = await client.post("/logout", data={"csrf": csrf}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/login"
    assert (await client.get("/hotline", allow_redirects=False)).status == 303


async def test_calendar_file_is_fetched_from_the_backend_with_the_bookings_token(
    aiohttp_client, aiohttp_server, settings_for
):
    seen: list[tuple[str, str]] = []

    async def ics(request):
        seen.append((request.match_info["code"], request.headers.get("Authorization", "")))
        if request.headers.get("Authorization") != "Bearer good-token":
            return web.json_response({"status": 401}, status=401)
        return web.Response(
            text="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", content_type="text/calendar"
        )

    backend = web.Application()
    backend.router.add_get("/api/v1/bookings/{code}/ics", ics)
    server = await aiohttp_server(backend)
    settings = settings_for(free_port(), scheduling_url=f"http://127.0.0.1:{server.port}")
    client = await aiohttp_client(create_app(settings))
    response = await client.post(
        "/api/booking/ics", data={"code": "AB12-CD34", "token": "good-token"}
    )
    assert response.status == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="termin-AB12-CD34.ics"'
    assert (await response.text()).startswith("BEGIN:VCALENDAR")
    wrong = await client.post("/api/booking/ics", data={"code": "AB12-CD34", "token": "bad"})
    assert wrong.status == 404
    bad_code = await client.post("/api/booking/ics", data={"code": "../x", "token": "t"})
    assert bad_code.status == 422
    assert seen == [("AB12-CD34", "Bearer good-token"), ("AB12-CD34", "Bearer bad")]
