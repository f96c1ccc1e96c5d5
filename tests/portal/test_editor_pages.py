"""Editors in the browser: one entry's texts, the live check with file:line, saving with
validation and a change log, training from the page, the inbox of citizens' messages.

Every test edits a copy of the content in its own folder."""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from amtslotse.core.content.entries import ENTRY_KINDS, entries
from amtslotse.portal import keys
from amtslotse.portal.app import create_app
from amtslotse.portal.auth import Auth, LoginLimits
from amtslotse.portal.database import INBOX
from amtslotse.portal.ratelimit import RateLimiter
from amtslotse.portal.sessions import SessionStore
from amtslotse.portal.training import Training
from amtslotse.settings import Paths
from tests.portal.test_staff_pages import ITERATIONS, MAX_AGE, Clock, _login, account

SERVICE = "services/fischereischein.yml"
ENTRY = "/api/editor/entry?kind=service&id=fischereischein"
# Too long, a genitive, a compound without a middle dot: errors of the checker.
BAD = "Die Beantragung der Leistungsgewährung erfolgt im Rahmen eines Verwaltungsverfahrens."
GOOD = "Das Bürger·büro hilft Ihnen beim Antrag."


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(Paths().content, root)
    return root


@pytest.fixture
def released(tmp_path: Path) -> Path:
    """The file that lets the fake training end."""
    return tmp_path / "release"


@pytest.fixture
def training(tmp_path: Path, released: Path) -> Training:
    wait = f"import os, time\nwhile not os.path.exists({str(released)!r}): time.sleep(0.05)"
    return Training(Paths(root=tmp_path / "project"), command=[sys.executable, "-c", wait])


@pytest.fixture
async def client(aiohttp_client, fake_rasa, settings_for, tmp_path, content, training):
    accounts = {"erika": account("erika", "editor"), "hans": account("hans", "hotline")}
    auth = Auth(
        lambda: accounts,
        SessionStore(f"sqlite:///{tmp_path / 'sessions.sqlite3'}", b"s" * 32),
        max_age=MAX_AGE,
        clock=Clock(),
        iterations=ITERATIONS,
        limits=LoginLimits(RateLimiter(per_minute=60, burst=60), RateLimiter(60, 60)),
    )
    settings = settings_for(fake_rasa.port)
    settings = replace(settings, paths=Paths(content_dir=content))
    return await aiohttp_client(create_app(settings, auth=auth, training=training))


async def _editor(client) -> str:
    """Logs in as the editor; the session's CSRF token."""
    assert (await _login(client, "erika")).status == 303
    page = await (await client.get("/editor")).text()
    match = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert match
    return match.group(1)


async def _entry(client) -> dict:
    r = await client.get(ENTRY)
    assert r.status == 200, await r.text()
    return await r.json()


def _text(entry: dict, name: str) -> dict:
    return next(t for t in entry["texts"] if t["name"] == name)


async def _problem(response, status: int) -> dict:
    assert response.status == status, await response.text()
    assert response.content_type == "application/problem+json"
    return await response.json()


async def test_the_entry_page_and_its_apis_need_the_editor_role(client):
    r = await client.get("/editor/bearbeiten?art=service&id=fischereischein", allow_redirects=False)
    assert r.status == 303 and r.headers["Location"].startswith("/login?next=/editor/bearbeiten")
    await _problem(await client.get(ENTRY), 401)
    assert (await _login(client, "hans")).status == 303
    assert (await client.get("/editor/bearbeiten?art=service&id=fischereischein")).status == 403
    assert (await client.get("/editor/feedback")).status == 403
    for method, path in [
        ("GET", ENTRY),
        ("POST", "/api/editor/entry"),
        ("POST", "/api/editor/check"),
        ("GET", "/api/editor/training"),
        ("POST", "/api/editor/training"),
        ("GET", "/api/editor/changes"),
    ]:
        await _problem(await client.request(method, path, json={}), 403)


async def test_posts_without_the_csrf_token_are_refused(client):
    await _editor(client)
    body = {"kind": "service", "id": "fischereischein", "version": "x", "texts": {}}
    for path in ("/api/editor/entry", "/api/editor/check", "/api/editor/training"):
        problem = await _problem(await client.post(path, json=body), 403)
        assert "CSRF" in problem["title"]


async def test_the_page_names_the_entry_and_without_one_leads_to_the_preview(client):
    await _editor(client)
    page = await client.get("/editor/bearbeiten?art=service&id=fischereischein")
    assert page.status == 200
    html = await page.text()
    assert "Anliegen: Fischerei·schein" in html and 'data-id="fischereischein"' in html
    assert page.headers["Content-Security-Policy"]
    r = await client.get("/editor/bearbeiten", allow_redirects=False)
    assert r.status == 303 and r.headers["Location"] == "/editor"
    await _problem(await client.get("/editor/bearbeiten?art=service&id=gibtsnicht"), 404)
    await _problem(await client.get("/api/editor/entry?kind=service&id=gibtsnicht"), 404)


async def test_an_entry_has_its_texts_with_file_line_review_state_and_lists(client, content):
    await _editor(client)
    entry = await _entry(client)
    assert entry["file"] == SERVICE and entry["kind_label"] == "Anliegen"
    lines = (content / SERVICE).read_text(encoding="utf-8").splitlines()
    who = _text(entry, "who")
    file, line = who["where"].rsplit(":", 1)
    assert file == SERVICE and lines[int(line) - 1] == f"who: {who['text']}"
    assert who["review"]["state"] in ("offen", "geaendert", "geprueft")
    synonyms = next(item for item in entry["lists"] if item["name"] == "synonyms")
    assert "Angelschein" in synonyms["items"] and synonyms["trained"] is True
    documents = next(item for item in entry["lists"] if item["name"] == "documents")
    assert documents["items"] and documents["trained"] is False
    assert entry["answer"]["text"]


async def test_every_entry_of_the_catalogue_opens(client):
    await _editor(client)
    found = entries(client.app[keys.CONTENT].catalogue)
    assert {kind for kind, _ in found} == set(ENTRY_KINDS)
    for (kind, ident), e in found.items():
        r = await client.get(f"/api/editor/entry?kind={kind}&id={ident}")
        assert r.status == 200, (kind, ident, await r.text())
        body = await r.json()
        assert body["texts"] or body["lists"], (kind, ident)
        assert [item["name"] for item in body["lists"]] == list(e.lists)


async def test_the_check_shows_findings_with_file_line_and_writes_nothing(client, content):
    csrf = await _editor(client)
    before = (content / SERVICE).read_bytes()
    entry = await _entry(client)
    r = await client.post(
        "/api/editor/check",
        json={"kind": "service", "id": "fischereischein", "texts": {"who": BAD}},
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status == 200
    draft = await r.json()
    assert draft["ok"] is False and draft["changed"] == ["who"]
    errors = [f for f in draft["findings"]["who"] if f["severity"] == "error"]
    assert {"genitiv", "kompositum"} <= {f["rule"] for f in errors}
    line = int(_text(entry, "who")["where"].rsplit(":", 1)[1])
    genitive = next(f for f in errors if f["rule"] == "genitiv")
    assert genitive["where"] == f"{SERVICE}:{line}:{genitive['column']}"
    assert all(f["changed"] for f in draft["findings"]["who"])
    # The finding disappears with a good text.
    r = await client.post(
        "/api/editor/check",
        json={"kind": "service", "id": "fischereischein", "texts": {"who": GOOD}},
        headers={"X-CSRF-Token": csrf},
    )
    draft = await r.json()
    assert draft["ok"] is True
    assert not [f for f in draft["findings"].get("who", []) if f["severity"] == "error"]
    assert (content / SERVICE).read_bytes() == before


async def test_a_save_with_an_error_is_refused_and_nothing_is_written(client, content):
    csrf = await _editor(client)
    before = (content / SERVICE).read_bytes()
    entry = await _entry(client)
    body = {"kind": "service", "id": "fischereischein", "version": entry["version"]}
    r = await client.post(
        "/api/editor/entry", json={**body, "texts": {"who": BAD}}, headers={"X-CSRF-Token": csrf}
    )
    problem = await _problem(r, 422)
    assert "Nichts ist gespeichert" in problem["detail"]
    assert {f["rule"] for f in problem["findings"]["who"]} >= {"genitiv"}
    assert all(f["where"].startswith(f"{SERVICE}:") for f in problem["findings"]["who"])
    # An empty text, a list the entry does not have, a text it does not have.
    for change in (
        {"texts": {"who": "  "}},
        {"texts": {}, "lists": {"forms": ["x"]}},
        {"texts": {"gibtsnicht": GOOD}},
    ):
        r = await client.post(
            "/api/editor/entry", json={**body, **change}, headers={"X-CSRF-Token": csrf}
        )
        await _problem(r, 422)
    assert (content / SERVICE).read_bytes() == before
    changes = await (await client.get("/api/editor/changes")).json()
    assert changes["changes"] == []


async def test_a_save_writes_the_file_keeping_comments_logs_it_and_is_live(client, content):
    csrf = await _editor(client)
    original = (content / SERVICE).read_text(encoding="utf-8")
    entry = await _entry(client)
    old_who = _text(entry, "who")["text"]
    r = await client.post(
        "/api/editor/entry",
        json={
            "kind": "service",
            "id": "fischereischein",
            "version": entry["version"],
            "texts": {"who": GOOD},
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status == 200, await r.text()
    saved = await r.json()
    assert saved["saved"] is True and saved["fields"] == ["who"]
    assert saved["needs_training"] is False and saved["version"] != entry["version"]
    text = (content / SERVICE).read_text(encoding="utf-8")
    assert f"who: {GOOD}" in text
    comments = [line for line in original.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(c in text.splitlines() for c in comments)
    # The portal's catalogue has the new text at once (the action server within seconds).
    assert client.app[keys.CONTENT].catalogue.services["fischereischein"].who == (
        ("buergerbuero", GOOD),
    )
    assert _text(await _entry(client), "who")["text"] == GOOD
    log = await (await client.get("/api/editor/changes?entry=service:fischereischein")).json()
    (change,) = [c for c in log["changes"] if c["field"] == "who"]
    assert change["account"] == "erika" and change["action"] == "text"
    assert change["before"] == old_who and change["after"] == GOOD
    # The page that still has the old version may not overwrite it.
    r = await client.post(
        "/api/editor/entry",
        json={
            "kind": "service",
            "id": "fischereischein",
            "version": entry["version"],
            "texts": {"who": old_who},
        },
        headers={"X-CSRF-Token": csrf},
    )
    await _problem(r, 409)
    assert f"who: {GOOD}" in (content / SERVICE).read_text(encoding="utf-8")


async def test_new_synonyms_say_they_need_the_training(client, content):
    csrf = await _editor(client)
    entry = await _entry(client)
    synonyms = next(item for item in entry["lists"] if item["name"] == "synonyms")["items"]
    r = await client.post(
        "/api/editor/entry",
        json={
            "kind": "service",
            "id": "fischereischein",
            "version": entry["version"],
            "texts": {},
            "lists": {"synonyms": [*synonyms, "Schein zum Fischen"]},
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert r.status == 200, await r.text()
    saved = await r.json()
    assert saved["needs_training"] is True and saved["fields"] == ["synonyms"]
    assert "  - Schein zum Fischen\n" in (content / SERVICE).read_text(encoding="utf-8")
    log = await (await client.get("/api/editor/changes")).json()
    assert log["changes"][0]["action"] == "synonyms"
    assert log["changes"][0]["after"].endswith("\nSchein zum Fischen")


@pytest.mark.parametrize(
    "body, status",
    [
        ([], 400),
        ({"kind": "service", "id": "fischereischein", "texts": {"who": GOOD}}, 422),  # no version
        ({"kind": "service", "id": "fischereischein", "version": "x", "texts": {"who": 1}}, 422),
        ({"kind": "service", "id": "fischereischein", "version": "x", "lists": {"a": "b"}}, 422),
        ({"kind": 1, "id": "x", "version": "x"}, 422),
    ],
)
async def test_bad_bodies_are_problems(client, body, status):
    csrf = await _editor(client)
    r = await client.post("/api/editor/entry", json=body, headers={"X-CSRF-Token": csrf})
    await _problem(r, status)


async def test_training_starts_once_and_shows_its_progress(client, training, released):
    csrf = await _editor(client)
    status = await (await client.get("/api/editor/training")).json()
    assert status["state"] == "idle"
    r = await client.post("/api/editor/training", headers={"X-CSRF-Token": csrf})
    assert r.status == 202
    assert (await r.json())["state"] == "running"
    training.log.parent.mkdir(parents=True, exist_ok=True)
    training.log.write_bytes(b"Epochs:  10%|#  | 10/100\rEpochs:  45%|####  | 45/100\r")
    status = await (await client.get("/api/editor/training")).json()
    assert status["state"] == "running" and status["percent"] == 45
    assert status["started_by"] == "erika"
    problem = await _problem(
        await client.post("/api/editor/training", headers={"X-CSRF-Token": csrf}), 409
    )
    assert problem["detail"] == "Es läuft schon ein Training."
    released.touch()
    assert training._task is not None
    await training._task
    status = await (await client.get("/api/editor/training")).json()
    assert status["state"] == "done" and status["percent"] is None
    log = await (await client.get("/api/editor/changes")).json()
    assert [c["action"] for c in log["changes"]] == ["training"]


async def test_a_failed_training_says_so_and_a_second_portal_cannot_start_one(tmp_path):
    paths = Paths(root=tmp_path)
    failing = Training(paths, command=[sys.executable, "-c", "raise SystemExit(3)"])
    assert await failing.start("erika")
    assert failing._task is not None
    await failing._task
    assert failing.status()["state"] == "failed"
    # The lock file: one training per machine, whichever portal started it.
    first = Training(paths, command=[sys.executable, "-c", "import time; time.sleep(600)"])
    second = Training(paths, command=[sys.executable, "-c", "pass"])
    assert await first.start("erika")
    assert not await second.start("hans")
    await first.close()
    assert first.status()["state"] == "failed"
    assert await second.start("hans")
    await second.close()


# -- the inbox ------------------------------------------------------------------------


async def _add_message(client, message: str, **values) -> int:
    def work(db) -> int:
        row = {"created": 1_800_000_000.0, "kind": "nicht_verstanden", "channel": "web"}
        result = db.execute(sa.insert(INBOX).values(**row, message=message, **values))
        return int(result.inserted_primary_key[0])

    return await client.app[keys.DB].run(work)


async def test_the_inbox_shows_messages_and_adopts_one_as_a_synonym(client, content):
    await _editor(client)
    kept = await _add_message(client, "wo krieg ich nen schein zum angeln")
    await _add_message(client, "Angeln, Anruf unter [Telefon]", service_id="fischereischein")
    page = await client.get("/editor/feedback")
    assert page.status == 200
    html = await page.text()
    assert "wo krieg ich nen schein zum angeln" in html and "[Telefon]" in html
    assert "Als Beispiel für Anliegen Fischerei·schein übernehmen" in html
    csrf = re.search(r'name="csrf" value="([^"]+)"', html)
    assert csrf
    form = {"csrf": csrf.group(1), "id": str(kept), "service_id": "", "other": "fischereischein"}
    # Without the form's token nothing happens.
    r = await client.post(
        "/editor/feedback/uebernehmen", data={**form, "csrf": "x"}, allow_redirects=False
    )
    await _problem(r, 403)
    r = await client.post("/editor/feedback/uebernehmen", data=form, allow_redirects=False)
    assert r.status == 303 and r.headers["Location"] == "/editor/feedback?hinweis=uebernommen"
    assert "  - wo krieg ich nen schein zum angeln\n" in (content / SERVICE).read_text("utf-8")
    message = await client.app[keys.INBOX].get(kept)
    assert message is not None and message.status == "uebernommen"
    log = await (await client.get("/api/editor/changes")).json()
    assert log["changes"][0]["action"] == "inbox"  # where the example came from
    assert log["changes"][0]["field"] == "synonyms"
    # Once only; a message with the scrubber's placeholders is not taken over.
    r = await client.post("/editor/feedback/uebernehmen", data=form, allow_redirects=False)
    assert r.headers["Location"].endswith("hinweis=weg")
    page = await (await client.get("/editor/feedback?hinweis=uebernommen")).text()
    assert "wo krieg ich nen schein zum angeln" not in page
    assert "Das Beispiel wirkt nach dem nächsten Training." in page


async def test_placeholders_are_not_adopted_and_done_files_a_message(client, content):
    await _editor(client)
    scrubbed = await _add_message(client, "Angeln, Anruf unter [Telefon]")
    html = await (await client.get("/editor/feedback")).text()
    csrf = re.search(r'name="csrf" value="([^"]+)"', html)
    assert csrf
    before = (content / SERVICE).read_bytes()
    form = {"csrf": csrf.group(1), "id": str(scrubbed), "service_id": "fischereischein"}
    r = await client.post("/editor/feedback/uebernehmen", data=form, allow_redirects=False)
    assert r.headers["Location"].endswith("hinweis=leer")
    assert (content / SERVICE).read_bytes() == before
    r = await client.post("/editor/feedback/erledigt", data=form, allow_redirects=False)
    assert r.headers["Location"].endswith("hinweis=erledigt")
    message = await client.app[keys.INBOX].get(scrubbed)
    assert message is not None and message.status == "erledigt"
    r = await client.post(
        "/editor/feedback/uebernehmen", data={**form, "id": "x"}, allow_redirects=False
    )
    await _problem(r, 422)
