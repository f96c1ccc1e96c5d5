"""The three front doors in a real browser: citizens' chat, hotline console, editor preview."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import ANSWER_MS, axe_check, login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration]

WOHNGELD = "Ich möchte Wohngeld beantragen"


def _tab_to(page, selector: str, limit: int = 15) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with the Tab key")


def _ready(page) -> None:
    page.wait_for_selector('#amtslotse-chat[data-ready="true"], #hotline-chat[data-ready="true"]')


def test_citizen_chats_with_the_keyboard_and_gets_the_wohngeld_office_card(page):
    page.goto("/")
    _ready(page)
    log = page.locator(".al-log")
    assert log.get_attribute("aria-live") == "polite" and log.get_attribute("role") == "log"
    _tab_to(page, "textarea.al-input")
    page.keyboard.type(WOHNGELD)
    page.keyboard.press("Enter")
    assert page.locator(".al-status").inner_text() in ("Ihre Nachricht ist unterwegs.", "")
    card = page.locator('.al-card[data-type="office_answer"]')
    card.wait_for(timeout=ANSWER_MS)
    text = card.inner_text()
    assert "Wohn·geld·stelle" in text
    assert "Sie brauchen einen Termin." in text and "Öffnungs·zeiten:" in text
    assert page.locator(".al-user .al-line").last.inner_text() == WOHNGELD
    # The log shows the start of the answer, not the end of its card.
    where = page.evaluate(
        """() => {
             const log = document.querySelector(".al-log");
             // The answer's first message: the one right after the citizen's question.
             const asked = [...log.querySelectorAll(".al-user")].pop();
             const answer = asked.nextElementSibling;
             const offset = answer.getBoundingClientRect().top - log.getBoundingClientRect().top;
             const end = log.scrollTop >= log.scrollHeight - log.clientHeight - 1;
             return {offset: offset, end: end, scrolls: log.scrollHeight > log.clientHeight};
           }"""
    )
    # Its first line is at the top of the log (or the log cannot scroll further down).
    assert where["offset"] >= 0 and (where["offset"] <= 40 or where["end"]), where
    # Focus is back in the input; a hard word opens its explanation with the keyboard.
    assert page.evaluate("document.activeElement.matches('textarea.al-input')")
    term = page.locator(".al-bot .al-term").first
    term.focus()
    page.keyboard.press("Enter")
    assert term.get_attribute("aria-expanded") == "true"
    explanation = page.locator("#" + term.get_attribute("aria-controls"))
    assert explanation.is_visible() and "Erklärung:" in explanation.inner_text()
    assert page.locator(".al-bot .al-speak").count() >= 1
    screenshot(page, "chat-wohngeld")

    page.reload()
    _ready(page)
    assert page.locator(".al-user .al-line").first.inner_text() == WOHNGELD
    assert "Wohn·geld·stelle" in page.locator('.al-card[data-type="office_answer"]').inner_text()
    screenshot(page, "chat-after-reload")
    assert axe_check(page, "chat", _ready) == []


def test_widget_text_scales_to_200_percent_without_cutting_the_input(page):
    page.goto("/")
    _ready(page)
    # What a browser's "text size 200 %" does: the root font size doubles (CSSOM, CSP allows it).
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    box = page.locator(".al-input").bounding_box()
    width = page.evaluate("document.documentElement.clientWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    assert page.evaluate("getComputedStyle(document.body).fontStyle") == "normal"
    screenshot(page, "chat-200-percent")


def test_a_script_tag_in_a_message_is_shown_as_text(page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto("/")
    _ready(page)
    message = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    page.locator(".al-input").fill(message)
    page.keyboard.press("Enter")
    page.locator(".al-bot").first.wait_for(timeout=ANSWER_MS)
    assert page.locator(".al-user .al-line").last.inner_text() == message
    assert page.locator(".al-log script, .al-log img").count() == 0
    assert dialogs == []
    screenshot(page, "chat-script-as-text")


def test_the_widget_creates_its_container_when_a_page_has_none(page, assistant):
    url = f"{assistant.settings.portal_url}/county-page-with-one-script-tag"
    page.route(
        url,
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!doctype html><html lang="de"><title>Landkreis</title><body>'
            '<h1>Unser Land·kreis</h1><script src="/widget.js" defer></script></body></html>',
        ),
    )
    page.goto(url)
    _ready(page)
    assert page.locator("#amtslotse-chat .al-chat textarea").count() == 1


def _run_wohngeld_case(page) -> None:
    _ready(page)
    page.locator("#hotline-chat textarea").fill(WOHNGELD)
    page.keyboard.press("Enter")
    page.locator('#hotline-chat .al-card[data-type="office_answer"]').wait_for()


def _paste_sentence(page) -> None:
    page.locator("#check-input").fill("Der Antrag wird von der Wohngeldstelle bearbeitet.")
    page.locator('#check-preview mark[data-rule="kompositum"]').wait_for()


def test_hotline_agent_runs_a_callers_case_to_a_booking(page, assistant):
    login(page, assistant, "/hotline")
    _ready(page)
    _tab_to(page, "#hotline-chat textarea")
    page.keyboard.type("Guten Tag")
    page.keyboard.press("Enter")
    instruction = page.locator(".al-instruction").first
    instruction.wait_for(timeout=ANSWER_MS)
    assert "Sagen Sie dem Anrufer: Guten Tag!" in instruction.inner_text()

    page.keyboard.type(WOHNGELD)
    page.keyboard.press("Enter")
    page.locator('#hotline-chat .al-card[data-type="office_answer"]').wait_for(timeout=ANSWER_MS)
    answer = page.locator("#hotline-chat .al-bot", has_text="Wohn·geld·stelle").first
    assert "Lesen Sie dem Anrufer vor:" in answer.inner_text()
    summary = page.locator("#summary")
    assert summary.locator('[data-field="office"]').inner_text().startswith("Wohn·geld·stelle")
    assert summary.locator('[data-field="visit"]').inner_text() == "Termin nötig"
    assert summary.locator('[data-field="concern"]').inner_text() != "noch offen"
    screenshot(page, "hotline-office-answer")
    assert axe_check(page, "hotline", _run_wohngeld_case) == []

    page.reload()  # the case survives a reload of the console
    _ready(page)
    assert summary.locator('[data-field="office"]').inner_text().startswith("Wohn·geld·stelle")

    # The agent books for the caller through the same conversation.
    bots = page.locator("#hotline-chat .al-bot")
    bots.filter(has_text="Die Wohn·geld·stelle hilft Ihnen.").get_by_role(
        "button", name="Termin machen"
    ).first.click()
    bots.filter(has_text="Diese Termine sind frei.").last.locator(".al-choice").first.click()
    page.get_by_role("button", name="Ja, einverstanden").last.click()
    bots.filter(has_text="Wie ist Ihr Name?").last.wait_for()
    page.locator("#hotline-chat textarea").fill("Erika Mustermann")
    page.keyboard.press("Enter")
    bots.filter(has_text="Wie erreicht das Amt Sie?").last.wait_for()
    page.locator("#hotline-chat textarea").fill("0171 2345678")
    page.keyboard.press("Enter")
    confirmed = page.locator('#hotline-chat .al-card[data-type="booking_confirmed"]')
    confirmed.wait_for()
    booking = summary.locator('[data-field="booking"]').inner_text()
    assert booking.startswith("gebucht, Nummer ") and "Wohn·geld·stelle" in booking
    with page.expect_download() as download:
        confirmed.get_by_role("button", name="Termin für den Kalender laden").click()
    ics = Path(download.value.path()).read_text(encoding="utf-8")
    assert ics.startswith("BEGIN:VCALENDAR")
    screenshot(page, "hotline-booked")

    # The caller cannot come after all: the agent cancels in the same case.
    booked = page.evaluate(
        """() => JSON.parse(sessionStorage.getItem("amtslotse.hotline")).history
                 .map(e => e.custom).filter(c => c && c.type === "booking_confirmed")[0]"""
    )
    page.locator("#hotline-chat textarea").fill("Der Anrufer kann nicht kommen. Bitte absagen.")
    page.keyboard.press("Enter")
    # Cancelling always asks first; the agent confirms with the caller's yes.
    yes = bots.get_by_role("button", name="Ja, absagen").last
    yes.wait_for(timeout=ANSWER_MS)
    yes.click()
    page.locator('#hotline-chat .al-card[data-type="booking_cancelled"]').wait_for(
        timeout=ANSWER_MS
    )
    assert summary.locator('[data-field="booking"]').inner_text() == (
        f"abgesagt, Nummer {booked['booking_code']}"
    )
    token = (assistant.settings.data_dir / "admin-token").read_text().strip()
    status, body = assistant.get(
        f"{assistant.settings.scheduling_base_url}/api/v1/admin/schedule"
        f"?office_id=wohngeldstelle&date={booked['legs'][0]['start'][:10]}",
        {"Authorization": f"Bearer {token}"},
    )
    assert status == 200, body
    assert booked["booking_code"] not in {leg["booking_code"] for leg in body["legs"]}
    # The audit log of the action server names the agent (portal → Rasa metadata).
    code, log = booked["booking_code"], assistant.log.getvalue()
    assert f"hotline: {assistant.staff_user} booked {code}" in log
    assert f"hotline: {assistant.staff_user} cancelled {code}" in log
    screenshot(page, "hotline-cancelled")


def test_editor_preview_marks_the_findings_in_a_pasted_sentence(page, assistant):
    login(page, assistant, "/editor")
    page.locator("#check-input").focus()
    page.keyboard.type("Der Antrag wird von der Wohngeldstelle bearbeitet.")
    preview = page.locator("#check-preview")
    preview.locator('mark[data-rule="kompositum"]').wait_for(timeout=ANSWER_MS)
    assert preview.locator('mark[data-rule="kompositum"]').inner_text() == "Wohngeldstelle"
    assert preview.locator('mark[data-rule="passiv"]').inner_text() == "wird"
    assert "Der Antrag wird von der Wohngeldstelle bearbeitet." in preview.inner_text()
    findings = page.locator("#check-findings li")
    assert {findings.nth(i).get_attribute("data-rule") for i in range(findings.count())} >= {
        "passiv",
        "kompositum",
    }
    # The entries by kind, drawn by the server; each service shows the official page its
    # facts were checked against on its own page.
    assert page.locator("#entries tr[data-entry]").count() == 40  # one page of them
    assert page.locator('.pager a[href^="/editor?seite="]').count() >= 2
    page.goto("/editor/eintrag?art=service&id=wohngeld")
    where = page.locator("#texts .text-item .edit-where").first.inner_text()
    assert re.search(r"services/wohngeld\.yml:\d+:1$", where), where
    source = page.locator("#service .source").first
    assert "geprüft am 2026-12-01" in source.inner_text()
    assert source.locator("a").get_attribute("href").startswith("https://")
    page.goto("/editor")
    screenshot(page, "editor-preview")
    assert axe_check(page, "editor", _paste_sentence) == []


def _click_and_wait(page, target) -> None:
    """Click a button and wait until the bot has answered (a new bot message)."""
    before = page.locator(".al-bot").count()
    target.click()
    page.wait_for_function(
        "n => document.querySelectorAll('.al-bot').length > n", arg=before, timeout=ANSWER_MS
    )


def test_citizen_books_jobcenter_sozialamt_and_jugendamt_by_clicking(page, assistant):
    page.goto("/")
    _ready(page)
    page.locator(".al-input").fill(
        "Ich brauche Termine beim Jobcenter, beim Sozialamt und beim Jugendamt"
    )
    _click_and_wait(page, page.locator(".al-send"))
    bots = page.locator(".al-bot")
    # Each office offers several concerns: the citizen taps one per office.
    for _ in range(3):
        if bots.filter(has_text="Ist das richtig?").count():
            break
        question = bots.filter(has_text="Welches Anliegen haben Sie dort?").last
        _click_and_wait(page, question.locator(".al-choice").first)
    # The bot says what it looks for, once: the three concerns, in one appointment.
    check = bots.filter(has_text="Ist das richtig?").last
    _click_and_wait(page, check.get_by_role("button", name="Ja, Zeiten zeigen"))
    offer = bots.filter(has_text="Diese Termine sind frei.").last
    screenshot(page, "chat-booking-offer")
    _click_and_wait(page, offer.locator(".al-choice").first)
    _click_and_wait(page, page.get_by_role("button", name="Ja, einverstanden").last)
    page.locator(".al-input").fill("Erika Mustermann")
    _click_and_wait(page, page.locator(".al-send"))
    page.locator(".al-input").fill("erika@example.org")
    page.keyboard.press("Enter")
    confirmed = page.locator('.al-card[data-type="booking_confirmed"]')
    confirmed.wait_for(timeout=ANSWER_MS)
    assert confirmed.locator("li").count() == 3
    for office in ("Job·center", "Sozial·amt", "Jugend·amt"):
        assert office in confirmed.inner_text()
    code = confirmed.inner_text()
    screenshot(page, "chat-booking-confirmed")

    # The backend has the three legs of this booking at the SKZ, on the day booked.
    booked = page.evaluate(
        """() => JSON.parse(localStorage.getItem("amtslotse.chat")).history
                 .map(e => e.custom).filter(c => c && c.type === "booking_confirmed")[0]"""
    )
    assert booked["booking_code"] in code and booked["location_id"] == "skz"
    token = (assistant.settings.data_dir / "admin-token").read_text().strip()
    found = []
    for office in ("jobcenter", "sozialamt", "jugendamt"):
        status, body = assistant.get(
            f"{assistant.settings.scheduling_base_url}/api/v1/admin/schedule"
            f"?office_id={office}&date={booked['legs'][0]['start'][:10]}",
            {"Authorization": f"Bearer {token}"},
        )
        assert status == 200, body
        found += [office for leg in body["legs"] if leg["booking_code"] == booked["booking_code"]]
    assert sorted(found) == ["jobcenter", "jugendamt", "sozialamt"]
