"""Editors and planners in a real browser: editing an answer, the citizens' feedback and
the inbox, the demand statistics and their CSV; axe on each of their pages.

The assistant runs on a copy of the content (tests/conftest.py). A test that saves
puts its file back byte for byte afterwards, so the tests after it meet the content
as it is in the checkout.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from amtslotse.core.content.watch import CHECK_SECONDS
from tests.browser.conftest import ANSWER_MS, axe_check, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration]

WOHNGELD_FILE = "services/wohngeld.yml"
EDIT = "/editor/bearbeiten?art=service&id=wohngeld"
# "Wohngeldantrag": a compound without its middle dot, an error of the checker.
BAD_LINE = "Stellen Sie den Wohngeldantrag schnell."
GOOD_LINE = "Stellen Sie den Antrag auf Wohn·geld schnell."
OLD_LINE = "Stellen Sie den Antrag auf Wohn·geld bald."
# Personal data the inbox must never show (a name after its cue, a mobile number).
NAME, PHONE = "Jana Quappenberg", "0171 9876543"
# A message without personal data, to take over as an example of Wohngeld (the answer
# is a list of two concerns, Wohngeld and the pension: the inbox offers both).
EXAMPLE = "Meine Miete ist zu hoch und meine Rente ist klein"


@contextmanager
def restored(assistant, name: str) -> Iterator[Path]:
    """The content file ``name`` of the running assistant, as it was afterwards."""
    path = assistant.settings.paths.content / name
    before = path.read_bytes()
    try:
        yield path
    finally:
        path.write_bytes(before)


def _ready(page) -> None:
    page.wait_for_selector('#amtslotse-chat[data-ready="true"]')


def _ask(page, message: str, card: bool = True):
    """Send ``message`` in the widget at /; the answer's office card (there must be one)."""
    page.goto("/")
    _ready(page)
    page.locator(".al-input").fill(message)
    page.keyboard.press("Enter")
    page.locator(".al-feedback").last.wait_for(timeout=ANSWER_MS)  # under the whole answer
    found = page.locator('.al-card[data-type="office_answer"]')
    assert found.count() == (1 if card else 0), page.locator(".al-log").inner_text()
    return found


def _first_answer(page):
    return page.locator("#text-text")


def _wait_for_status(page, selector: str, pattern: str) -> str:
    page.wait_for_function(
        "([s, p]) => new RegExp(p).test(document.querySelector(s).textContent)",
        arg=[selector, pattern],
        timeout=ANSWER_MS,
    )
    return page.locator(selector).inner_text()


def test_editor_changes_an_answer_sees_its_finding_come_and_go_and_the_chat_answers_with_it(
    page, browser, assistant
):
    with restored(assistant, WOHNGELD_FILE) as path:
        old = path.read_text(encoding="utf-8")
        login(page, assistant, EDIT)
        field = _first_answer(page)
        field.wait_for(timeout=ANSWER_MS)
        assert field.input_value().startswith(OLD_LINE)
        where = page.locator("#text-text-where").inner_text()
        assert re.search(r"services/wohngeld\.yml:\d+$", where), where
        rest = field.input_value().split("\n", 1)[1]

        # A rule violation: the finding appears under the field, with its file:line.
        field.fill(f"{BAD_LINE}\n{rest}")
        finding = page.locator('#text-text-findings li[data-rule="kompositum"]')
        finding.wait_for(timeout=ANSWER_MS)
        said = finding.inner_text()
        assert "Fehler kompositum" in said and "Wohngeldantrag" in said, said
        assert re.search(r"services/wohngeld\.yml:\d+:\d+", said), said
        assert "Mit Fehlern speichert der Amts·lotse nicht." in _wait_for_status(
            page, "#entry-status", "Fehler"
        )
        screenshot(page, "editor-entry-finding")

        # Fixed, the finding goes; then it is saved.
        field.fill(f"{GOOD_LINE}\n{rest}")
        _wait_for_status(page, "#entry-status", "Sie können speichern")
        assert page.locator('#text-text-findings li[data-rule="kompositum"]').count() == 0
        page.get_by_role("button", name="Speichern").click()
        saved = _wait_for_status(page, "#save-status", "Gespeichert|Nicht gespeichert")
        assert saved.startswith("Gespeichert."), saved
        assert GOOD_LINE in page.locator("#answer").inner_text()
        # The change log: the text's change with who made it (and the review score reset).
        change = page.locator("#changes-rows tr", has_text=GOOD_LINE)
        change.wait_for(timeout=ANSWER_MS)
        cells = [change.locator("td").nth(i).inner_text() for i in range(5)]
        assert cells[1:] == [
            assistant.staff_user,
            "Text: text",
            f"{OLD_LINE}\n{rest}".strip(),
            f"{GOOD_LINE}\n{rest}".strip(),
        ], cells
        screenshot(page, "editor-entry-saved")

        # The file has the new text, its comments and everything else as before.
        new = path.read_text(encoding="utf-8")
        assert GOOD_LINE in new and OLD_LINE not in new
        for line in old.splitlines():
            if line.startswith("#") or line.startswith("synonyms:"):
                assert line in new, line

        # The action server looks at the files at most every CHECK_SECONDS; after that the
        # next answer is made from the saved text (no restart).
        time.sleep(CHECK_SECONDS + 1)
        context = browser.new_context(locale="de-DE", base_url=assistant.settings.portal_url)
        context.set_default_timeout(ANSWER_MS)
        try:
            citizen = context.new_page()
            card = _ask(citizen, "Ich möchte Wohngeld beantragen")
            answer = citizen.locator(".al-log").inner_text()
            assert GOOD_LINE in answer and OLD_LINE not in answer, answer
            assert "Wohn·geld·stelle" in card.inner_text()
            screenshot(citizen, "chat-after-edit")
        finally:
            context.close()


def _say_no(page, message: str, card: bool = True) -> None:
    """The citizen asks, presses "Nein" under the answer and gives a reason."""
    _ask(page, message, card)
    box = page.locator(".al-feedback").last
    assert box.locator(".al-feedback-q").inner_text() == "Hat Ihnen das geholfen?"
    with page.expect_response(lambda r: r.url.endswith("/api/feedback")) as first:
        box.get_by_role("button", name="Nein").click()
    assert first.value.status == 201
    assert box.locator(".al-feedback-q").inner_text() == "Was hat gefehlt?"
    with page.expect_response(lambda r: r.url.endswith("/api/feedback")) as second:
        box.get_by_role("button", name="Eine Angabe fehlt.").click()
    assert second.value.status == 200
    assert box.inner_text() == "Danke für Ihre Hilfe."


def _inbox_item(page, text: str):
    page.goto("/editor/feedback")
    item = page.locator(".inbox-item", has=page.locator(".inbox-message", has_text=text))
    assert item.count() == 1, page.locator(".inbox").inner_text()
    return item


def test_a_citizens_no_reaches_the_inbox_scrubbed(page, assistant):
    _say_no(page, f"Ich brauche Wohngeld. Ich heiße {NAME}, Telefon {PHONE}.")
    screenshot(page, "chat-feedback-no")
    login(page, assistant, "/editor/feedback")
    item = _inbox_item(page, "Ich brauche Wohngeld. Ich heiße [Name], Telefon [Telefon].")
    meta = item.locator(".inbox-meta").inner_text()
    assert meta.startswith("Nein, Antwort zu Wohn·geld, Grund: Eine Angabe fehlt."), meta
    html = page.content()
    for secret in (PHONE, PHONE.replace(" ", ""), "Quappenberg", "Jana"):
        assert secret not in html, secret
    answers = page.locator('tr[data-service="wohngeld"] td').first.inner_text()
    assert int(answers) >= 1
    screenshot(page, "inbox-scrubbed")

    # A message with the scrubber's placeholders is no example: nothing is written.
    with restored(assistant, WOHNGELD_FILE) as path:
        before = path.read_bytes()
        item.get_by_role("button", name="Als Beispiel für Anliegen Wohn·geld übernehmen").click()
        page.wait_for_url(re.compile(r"/editor/feedback\?hinweis=leer$"))
        assert "Platz·halter" in page.locator("#notice").inner_text()
        assert path.read_bytes() == before


def test_an_editor_takes_a_message_over_as_an_example_of_its_concern(page, assistant):
    _say_no(page, EXAMPLE, card=False)
    login(page, assistant, "/editor/feedback")
    with restored(assistant, WOHNGELD_FILE) as path:
        old = path.read_text(encoding="utf-8")
        assert EXAMPLE not in old
        item = _inbox_item(page, EXAMPLE)
        item.get_by_role("button", name="Als Beispiel für Anliegen Wohn·geld übernehmen").click()
        page.wait_for_url(re.compile(r"/editor/feedback\?hinweis=uebernommen$"))
        notice = page.locator("#notice")
        assert notice.is_visible() and notice.inner_text().startswith("Übernommen."), (
            notice.inner_text()
        )
        assert page.locator(".inbox-message", has_text=EXAMPLE).count() == 0
        new = path.read_text(encoding="utf-8")
        synonyms = new.split("synonyms:\n", 1)[1].split("\nhard_words:", 1)[0]
        assert f"  - {EXAMPLE}" in synonyms.splitlines(), synonyms
        # Only the synonyms changed: the rest of the file, comments included, stays.
        assert [line for line in new.splitlines() if EXAMPLE not in line] == old.splitlines()
        screenshot(page, "inbox-adopted")
        # The change log names the editor and where the example came from.
        page.goto(EDIT)
        page.locator("#changes-rows tr").first.wait_for(timeout=ANSWER_MS)
        change = page.locator("#changes-rows tr").first.inner_text()
        assert assistant.staff_user in change and "Aus den Rückmeldungen" in change, change


def test_a_planner_downloads_the_statistics_as_csv(page, assistant):
    login(page, assistant, "/statistik")
    assert page.locator("h1").inner_text().startswith("Nachfrage")
    metrics = {table.get_attribute("id")[2:] for table in page.locator("table.stat-table").all()}
    assert metrics, page.content()
    assert page.locator("svg").count() >= 1
    period = page.locator("#period").inner_text()
    first, last = re.findall(r"\d{4}-W\d{2}", period)[:2]
    screenshot(page, "statistik")
    with page.expect_download() as download:
        page.locator("#csv-download").click()
    assert download.value.suggested_filename == f"statistik-{first}-{last}.csv"
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["woche", "bereich", "schluessel", "bezeichnung", "wert"]
    assert len(rows) > 1
    for week, metric, _key, _label, value in rows[1:]:
        assert week == "gesamt" or first <= week <= last, week
        assert metric in metrics or metric == "booking", metric
        assert value.isdigit() or value in ("< 5", "verborgen", "nicht verfügbar"), value
        if value.isdigit():
            assert int(value) == 0 or int(value) >= 5, value
    # No free text: nothing a citizen typed in these tests is in it.
    text = raw.decode("utf-8-sig")
    for typed in (EXAMPLE, "Quappenberg", "Wohngeld beantragen"):
        assert typed not in text


def _unreviewed(page, entry: str) -> int:
    return int(page.locator(f'tr[data-entry="{entry}"] td.unreviewed').inner_text())


def test_an_editor_searches_a_service_filters_the_unreviewed_and_marks_texts_checked(
    page, assistant
):
    login(page, assistant, "/editor")
    # The search finds the service by a word citizens use for it (its synonyms).
    page.get_by_label("Suchen (Name, Kenn·zeichen oder Text)").fill("Mietzuschuss")
    page.get_by_role("button", name="Zeigen").click()
    page.wait_for_url(re.compile(r"/editor\?q=Mietzuschuss"))
    rows = page.locator("#entries tr[data-entry]")
    found = [rows.nth(i).get_attribute("data-entry") for i in range(rows.count())]
    assert "service:wohngeld" in found, found
    before = _unreviewed(page, "service:wohngeld")
    assert before > 0
    screenshot(page, "preview-search")

    # Only the entries with unchecked texts: each row counts some.
    page.goto("/editor?art=service")
    page.get_by_label("mit Texten, die nicht mit Lesern geprüft sind").check()
    page.get_by_role("button", name="Zeigen").click()
    page.wait_for_url(re.compile(r"ungeprueft=1"))
    counts = page.locator("#entries td.unreviewed").all_inner_texts()
    assert counts and all(int(c) > 0 for c in counts), counts

    with restored(assistant, WOHNGELD_FILE) as path:
        page.goto("/editor?q=Mietzuschuss")
        page.locator('tr[data-entry="service:wohngeld"] th a').click()
        page.wait_for_url(re.compile(r"/editor/eintrag\?art=service&id=wohngeld"))
        first = page.locator('.text-item[data-name="text"]')
        assert "noch nicht geprüft" in first.locator(".edit-review").inner_text()
        page.get_by_label("Wer hat geprüft? (die Prüf·gruppe)").fill("Prüf·gruppe Lebenshilfe")
        first.get_by_label("Diesen Text als geprüft markieren").check()
        page.locator('.text-item[data-name="bring"]').get_by_label(
            "Diesen Text als geprüft markieren"
        ).check()
        page.get_by_role("button", name="Ausgewählte Texte als geprüft markieren").click()
        page.wait_for_url(re.compile(r"hinweis=geprueft"))
        assert page.locator("#hinweis").inner_text() == "2 Texte sind jetzt als geprüft markiert."
        assert "geprüft (" in first.locator(".edit-review").inner_text()
        assert "von: Prüf·gruppe Lebenshilfe" in path.read_text(encoding="utf-8")
        screenshot(page, "preview-reviewed")
        # Back on the overview (with the search kept) the count is two lower.
        page.get_by_role("link", name="Zurück zur Übersicht").click()
        page.wait_for_url(re.compile(r"/editor\?q=Mietzuschuss"))
        assert _unreviewed(page, "service:wohngeld") == before - 2


@pytest.mark.parametrize(
    "path",
    [
        EDIT,
        "/editor/feedback",
        "/statistik",
        "/editor?q=Wohngeld&ungeprueft=1",
        "/editor/eintrag?art=service&id=wohngeld",
    ],
    ids=["bearbeiten", "feedback", "statistik", "vorschau", "eintrag"],
)
def test_the_editor_and_planner_pages_have_no_serious_accessibility_violations(
    page, assistant, path
):
    login(page, assistant, path)
    if path == EDIT:
        _first_answer(page).wait_for(timeout=ANSWER_MS)
    name = path.strip("/").split("?")[0].replace("/", "-") + ("-suche" if "?q=" in path else "")

    def prepare(checked) -> None:
        if path == EDIT:  # the form is drawn by the page's script, with its findings
            checked.locator("#text-text").wait_for()
            checked.wait_for_function(
                "!/geladen|geprüft\\./.test(document.getElementById('entry-status').textContent)"
            )

    assert axe_check(page, name, prepare) == []
