"""The editors' preview by entry: search and filters drawn by the server, one entry's texts
with file:line, marking texts as checked by readers (the code of `content review`).

Every test works on a copy of the content in its own folder."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from amtslotse.core.content import load_catalogue
from amtslotse.core.content.review import review_states
from amtslotse.portal import keys
from amtslotse.portal.preview_views import PAGE_SIZE
from tests.portal import test_editor_pages as editor_pages
from tests.portal.test_editor_pages import GOOD, SERVICE, _editor, _entry, _problem
from tests.portal.test_staff_pages import _login

# The editor tests' portal on a copy of the content (fixtures of that module).
content = editor_pages.content
released = editor_pages.released
training = editor_pages.training
client = editor_pages.client

PREVIEW = "/editor/eintrag?art=service&id=fischereischein"


def _rows(html: str) -> list[str]:
    """The ``kind:id`` of each entry the overview lists."""
    return re.findall(r'<tr data-entry="([^"]+)">', html)


def _unreviewed(html: str, entry: str) -> int:
    row = re.search(rf'<tr data-entry="{re.escape(entry)}">(.*?)</tr>', html, re.S)
    assert row, entry
    cell = re.search(r'<td class="unreviewed">(\d+)</td>', row.group(1))
    assert cell
    return int(cell.group(1))


def _form_csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match
    return unescape(match.group(1))


async def test_the_preview_pages_need_the_editor_role(client):
    for path in ("/editor?q=angeln", PREVIEW):
        r = await client.get(path, allow_redirects=False)
        assert r.status == 303 and r.headers["Location"].startswith("/login?next=/editor")
    r = await client.post("/editor/geprueft", data={"art": "service"}, allow_redirects=False)
    await _problem(r, 401)
    assert (await _login(client, "hans")).status == 303  # hotline only
    for path in ("/editor", PREVIEW):
        assert (await client.get(path)).status == 403
    await _problem(await client.post("/editor/geprueft", data={"art": "service"}), 403)


async def test_the_overview_lists_every_entry_by_kind_a_page_at_a_time(client):
    await _editor(client)
    r = await client.get("/editor")
    assert r.status == 200
    assert "unsafe-inline" not in r.headers["Content-Security-Policy"]
    assert r.headers["Cache-Control"] == "no-store"
    html = await r.text()
    first = _rows(html)
    assert len(first) == PAGE_SIZE
    seen = set(first)
    pages = re.findall(r'href="/editor\?seite=(\d+)"', html)
    for n in pages:
        seen |= set(_rows(await (await client.get(f"/editor?seite={n}")).text()))
    report = await client.app[keys.CONTENT].texts_report()
    assert {f"{e['kind']}:{e['id']}" for e in report["entries"]} <= seen
    # No page is one long list of texts: the overview has none of their words.
    assert "Angelschein" not in html


async def test_the_search_finds_a_service_by_name_id_or_the_words_of_its_texts(client):
    await _editor(client)
    for q in ("Fischerei", "fischereischein", "Fischerei·schein", "Angelschein"):
        html = await (await client.get("/editor", params={"q": q})).text()
        assert "service:fischereischein" in _rows(html), q
    html = await (await client.get("/editor", params={"q": "Fischerei", "art": "office"})).text()
    assert _rows(html) == []
    assert "Kein Eintrag passt." in html
    # The query is shown again, escaped.
    html = await (await client.get("/editor", params={"q": '"><script>x'})).text()
    assert "<script>x" not in html and 'value="&quot;&gt;&lt;script&gt;x"' in html


async def test_the_filters_show_only_unreviewed_entries_or_those_with_findings(client):
    await _editor(client)
    report = await client.app[keys.CONTENT].texts_report()
    with_findings = {t["entry"] for t in report["texts"] if t["findings"]}
    html = await (await client.get("/editor", params={"befund": "1", "art": "service"})).text()
    listed = set(_rows(html))
    assert listed and listed == {e for e in with_findings if e.startswith("service:")}
    assert 'id="only-findings" name="befund" value="1" checked' in html
    html = await (await client.get("/editor", params={"ungeprueft": "1"})).text()
    assert all(_unreviewed(html, e) > 0 for e in _rows(html))


async def test_an_entry_shows_its_texts_with_file_line_findings_and_review(client, content):
    await _editor(client)
    r = await client.get(PREVIEW)
    assert r.status == 200 and "unsafe-inline" not in r.headers["Content-Security-Policy"]
    html = await r.text()
    assert "<h1>Anliegen: Fischerei·schein</h1>" in html
    assert 'href="/editor/bearbeiten?art=service&amp;id=fischereischein"' in html
    entry = await _entry(client)
    who = next(t for t in entry["texts"] if t["name"] == "who")
    assert f"Datei: content/leichte_sprache/{who['where']}" in html or who["where"] in html
    assert html.count('class="text-item"') >= len(entry["texts"])
    assert "Prüfung mit Lesern: noch nicht geprüft" in html
    assert "Quellen, Bewertung und erste Antwort" in html  # a service's sources
    await _problem(await client.get("/editor/eintrag?art=service&id=gibtsnicht"), 404)
    # The bot's own texts are shown, with their findings, but not edited or marked here.
    html = await (await client.get("/editor/eintrag?art=bot&id=bot")).text()
    assert "bot/domain" in html and 'id="review" hidden' in html


async def test_marking_texts_reviewed_writes_the_marks_logs_them_and_the_count_drops(
    client, content
):
    await _editor(client)
    overview = await (await client.get("/editor")).text()
    before = _unreviewed(overview, "service:fischereischein")
    assert before > 2
    html = await (await client.get(PREVIEW)).text()
    csrf = _form_csrf(html)
    form = {"csrf": csrf, "art": "service", "id": "fischereischein", "auswahl": "ausgewaehlt"}
    fields = [*form.items(), ("von", "Prüf·gruppe Lebenshilfe"), ("am", "2026-11-30")]
    # Without the form's token, nothing is written.
    original = (content / SERVICE).read_bytes()
    r = await client.post("/editor/geprueft", data=[("csrf", "x"), *fields[1:], ("text", "who")])
    await _problem(r, 403)
    # Without a group, or without a text, nothing is marked: the page says why.
    for extra, hint in (
        ([("text", "who")], "gruppe"),
        ([("von", "Gruppe")], "keine"),
        ([("von", "Gruppe"), ("am", "30.11.2026"), ("text", "who")], "datum"),
    ):
        data = [*form.items(), *extra] if hint != "gruppe" else [*form.items(), *extra]
        r = await client.post("/editor/geprueft", data=data, allow_redirects=False)
        assert r.status == 303, await r.text()
        assert parse_qs(urlsplit(r.headers["Location"]).query)["hinweis"] == [hint]
    assert (content / SERVICE).read_bytes() == original
    r = await client.post(
        "/editor/geprueft",
        data=[*fields, ("text", "who"), ("text", "text")],
        allow_redirects=False,
    )
    assert r.status == 303
    target = r.headers["Location"]
    assert parse_qs(urlsplit(target).query)["anzahl"] == ["2"]
    page = await (await client.get(target)).text()
    assert "2 Texte sind jetzt als geprüft markiert." in page
    assert "Prüfung mit Lesern: geprüft (2026-11-30, Prüf·gruppe Lebenshilfe)" in page
    # The file: the marks in the entry's geprueft block, its comments as they were.
    text = (content / SERVICE).read_text(encoding="utf-8")
    assert "geprueft:" in text and "von: Prüf·gruppe Lebenshilfe" in text
    comments = [line for line in original.decode().splitlines() if line.startswith("#")]
    assert all(c in text.splitlines() for c in comments)
    cat = load_catalogue(content)
    states = review_states(cat)
    assert states["services.fischereischein.who"].checked
    assert states["services.fischereischein.text"].checked
    assert not states["services.fischereischein.bring"].checked
    # The overview counts two fewer; the change log names who marked what.
    overview = await (await client.get("/editor")).text()
    assert _unreviewed(overview, "service:fischereischein") == before - 2
    log = await (await client.get("/api/editor/changes?entry=service:fischereischein")).json()
    marked = [c for c in log["changes"] if c["action"] == "geprueft"]
    assert {c["field"] for c in marked} == {"who", "text"}
    assert all(c["account"] == "erika" for c in marked)
    assert marked[0]["after"] == "geprüft am 2026-11-30 von Prüf·gruppe Lebenshilfe"
    # The group is offered the next time.
    assert '<option value="Prüf·gruppe Lebenshilfe">' in page
    # Changing a text (in the editor) clears its mark.
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page)
    assert csrf
    entry = await _entry(client)
    r = await client.post(
        "/api/editor/entry",
        json={
            **{"kind": "service", "id": "fischereischein"},
            "version": entry["version"],
            "texts": {"who": GOOD},
        },
        headers={"X-CSRF-Token": csrf.group(1)},
    )
    assert r.status == 200 and (await r.json())["marks_cleared"] == ["who"]
    overview = await (await client.get("/editor")).text()
    assert _unreviewed(overview, "service:fischereischein") == before - 1


async def test_all_texts_of_an_entry_are_marked_at_once(client, content):
    await _editor(client)
    html = await (await client.get(PREVIEW)).text()
    r = await client.post(
        "/editor/geprueft",
        data={
            "csrf": _form_csrf(html),
            "art": "service",
            "id": "fischereischein",
            "von": "Lese·gruppe",
            "auswahl": "alle",
        },
        allow_redirects=False,
    )
    assert r.status == 303
    overview = await (await client.get("/editor?q=fischereischein")).text()
    assert _unreviewed(overview, "service:fischereischein") == 0
    cat = load_catalogue(content)
    marks = [m for m in cat.marks if m.file == SERVICE]
    assert marks and all(m.am == date.today() and m.von == "Lese·gruppe" for m in marks)
    html = await (await client.get("/editor?ungeprueft=1&art=service")).text()
    assert "service:fischereischein" not in _rows(html)


@pytest.mark.parametrize(
    "form, status",
    [
        ({"art": "service", "id": "gibtsnicht", "von": "G", "auswahl": "alle"}, 404),
        ({"art": "service", "id": "fischereischein", "von": "G", "text": "gibtsnicht"}, 422),
    ],
)
async def test_marking_what_is_not_there_is_a_problem(client, content, form, status):
    await _editor(client)
    html = await (await client.get(PREVIEW)).text()
    before = (content / SERVICE).read_bytes()
    r = await client.post("/editor/geprueft", data={**form, "csrf": _form_csrf(html)})
    await _problem(r, status)
    assert (content / SERVICE).read_bytes() == before
