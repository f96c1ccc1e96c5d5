"""A citizen follows the cancel link of the confirmation mail and cancels, in Chromium.

The booking is made at the real backend (as the action server makes it);
its mail arrives at the session's SMTP server; the link from the mail is
opened in the browser against the real portal.
"""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import axe_check, book, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def _wait_for_mail(assistant, code: str) -> str:  # type: ignore[no-untyped-def]
    """The cancel link of the confirmation for ``code`` (the backend sends it by itself)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for message in assistant.smtp.messages:
            text = message.get_body(preferencelist=("plain",)).get_content()
            if code in text and message["Subject"].startswith("Ihr Termin:"):
                (url,) = [ln for ln in text.splitlines() if ln.startswith("http")]
                return url
        time.sleep(0.2)
    raise AssertionError(f"no confirmation mail for {code}")


def test_the_cancel_link_of_the_mail_shows_the_booking_and_the_button_cancels(page, assistant):
    booking = book(assistant)
    code = booking["booking_code"]
    url = _wait_for_mail(assistant, code)
    assert url.startswith(f"{assistant.settings.portal_url}/termin/{code}?t=")

    page.goto(url)
    main = page.locator("main")
    assert "Wohn·geld·stelle" in main.inner_text()
    assert page.get_by_text("Möchten Sie diesen Termin absagen?").is_visible()
    screenshot(page, "cancel-page")
    assert axe_check(page, "cancel-page") == []
    # Opening the page cancelled nothing.
    auth = {"Authorization": f"Bearer {booking['access_token']}"}
    status, shown = assistant.get(
        f"{assistant.settings.scheduling_base_url}/api/v1/bookings/{code}", headers=auth
    )
    assert status == 200 and shown["status"] == "confirmed"

    page.get_by_role("button", name="Ja, Termin absagen").click()
    page.get_by_text("Ihr Termin ist jetzt abgesagt.").wait_for()
    assert page.locator("form").count() == 0
    screenshot(page, "cancel-page-done")
    status, shown = assistant.get(
        f"{assistant.settings.scheduling_base_url}/api/v1/bookings/{code}", headers=auth
    )
    assert status == 200 and shown["status"] == "cancelled"

    # Going back and pressing again changes nothing more: it is already cancelled.
    page.goto(url)
    page.get_by_text("Dieser Termin ist schon abgesagt.").wait_for()
