"""The cancel link of a received mail, through the real portal and the real backend.

The backend runs on the demo database; its mail goes to aiosmtpd; the link
from the mail is opened in the portal, which asks the backend. A GET shows
the booking and changes nothing; only a POST with the page's CSRF token
cancels.
"""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import urlsplit

import pytest

from amtslotse.core.content import load_catalogue
from amtslotse.portal.app import create_app as create_portal
from amtslotse.portal.booking_views import CSRF_COOKIE
from amtslotse.scheduling.app import create_app as create_backend
from amtslotse.scheduling.notify.delivery import MailDelivery
from amtslotse.scheduling.notify.transports import SmtpTransport
from amtslotse.testing.smtp import running_smtp
from tests.portal.conftest import portal_settings

# The scheduling fixtures: a seeded database per test, a clock the test moves.
from tests.scheduling.conftest import clock, database_url, db, settings  # noqa: F401
from tests.scheduling.journeys import book

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
TOKEN = re.compile(r'name="t" value="([^"]+)"')


@pytest.fixture
def smtp():
    with running_smtp() as server:
        yield server


@pytest.fixture
async def stack(db, settings, clock, smtp, aiohttp_client, aiohttp_server, tmp_path):  # noqa: F811
    """(backend client, portal client, delivery) wired like `amtslotse run` wires them."""
    backend = await aiohttp_server(create_backend(settings, clock=clock))
    portal_cfg = dataclasses.replace(
        portal_settings(1, tmp_path / "portal"),
        scheduling_url=str(backend.make_url("")).rstrip("/"),
    )
    portal = await aiohttp_client(create_portal(portal_cfg))
    delivery = MailDelivery(
        db,
        catalogue=load_catalogue(),
        transport=SmtpTransport(smtp.host, smtp.port, starttls=False),
        secret_key=settings.secret_key,
        public_url=str(portal.make_url("")).rstrip("/"),
        sender="Landkreis Beispiel <termine@landkreis.example>",
        retention_days=30,
        reminder_before=None,
        clock=clock,
    )
    backend_client = await aiohttp_client(backend)
    return backend_client, portal, delivery


async def _link_from_mail(smtp, delivery, index: int = 0) -> str:  # type: ignore[no-untyped-def]
    await delivery.run_once()
    message = smtp.wait_for(index + 1)[index]
    text = message.get_body(preferencelist=("plain",)).get_content()
    urls = [line for line in text.splitlines() if line.startswith("http")]
    assert len(urls) == 1, text
    url = urls[0]
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def _status(backend, booking) -> str:  # type: ignore[no-untyped-def]
    resp = await backend.get(
        f"/api/v1/bookings/{booking['booking_code']}",
        headers={"Authorization": f"Bearer {booking['access_token']}"},
    )
    return str((await resp.json())["status"])


async def test_the_link_shows_the_booking_and_only_the_button_cancels(stack, smtp):
    backend, portal, delivery = stack
    booking = await book(backend)
    link = await _link_from_mail(smtp, delivery)
    assert link.startswith(f"/termin/{booking['booking_code']}?t=")

    resp = await portal.get(link)
    assert resp.status == 200
    html = await resp.text()
    assert "Das ist Ihr Termin." not in html  # the page's own words, not the chat's
    assert "Wohn·geld·stelle: Montag, 24. März, 9 Uhr." in html
    assert "Möchten Sie diesen Termin absagen?" in html and "Ja, Termin absagen" in html
    assert resp.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["Referrer-Policy"] == "no-referrer"
    cookie = resp.cookies[CSRF_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/termin/"
    csrf, token = CSRF.search(html).group(1), TOKEN.search(html).group(1)
    # Opening the link (and opening it again) cancels nothing.
    assert (await portal.get(link)).status == 200
    assert await _status(backend, booking) == "confirmed"

    path = f"/termin/{booking['booking_code']}"
    resp = await portal.post(path, data={"t": token, "csrf": "wrong-" + csrf})
    assert resp.status == 403
    assert "Die Seite war zu alt." in await resp.text()
    for foreign in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        resp = await portal.post(path, data={"t": token, "csrf": csrf}, headers=foreign)
        assert resp.status == 403
    assert await _status(backend, booking) == "confirmed"

    page = await (await portal.get(link)).text()
    resp = await portal.post(path, data={"t": token, "csrf": CSRF.search(page).group(1)})
    assert resp.status == 200
    done = await resp.text()
    assert "Ihr Termin ist jetzt abgesagt." in done and "<form" not in done
    assert await _status(backend, booking) == "cancelled"

    again = await (await portal.get(link)).text()
    assert "Dieser Termin ist schon abgesagt." in again and "<form" not in again
    await delivery.run_once()
    assert smtp.wait_for(2)[1]["Subject"].startswith("Ihr Termin ist abgesagt")


async def test_a_wrong_or_missing_token_shows_a_clear_page(stack, smtp):
    backend, portal, delivery = stack
    booking = await book(backend)
    code = booking["booking_code"]
    for link in (
        f"/termin/{code}?t={'A' * 43}",
        f"/termin/{code}",
        f"/termin/{code}?t={booking['access_token']}x",
        "/termin/<script>?t=" + "A" * 43,
    ):
        resp = await portal.get(link)
        assert resp.status == 404, link
        html = await resp.text()
        assert "Dieser Link ist falsch oder zu alt." in html and "<script>" not in html
    resp = await portal.post(f"/termin/{code}", data={"t": "A" * 43, "csrf": "x"})
    assert resp.status == 404
    assert await _status(backend, booking) == "confirmed"


async def test_the_page_says_so_when_the_backend_is_down(db, settings, aiohttp_client, tmp_path):  # noqa: F811
    portal_cfg = dataclasses.replace(
        portal_settings(1, tmp_path / "portal"), scheduling_url="http://127.0.0.1:9"
    )
    portal = await aiohttp_client(create_portal(portal_cfg))
    resp = await portal.get(f"/termin/K7M4-PQ2X?t={'A' * 43}")
    assert resp.status == 503
    assert "Es gibt gerade ein Problem." in await resp.text()
