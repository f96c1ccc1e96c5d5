"""Confirmation, reminder and cancellation mails, received by a real SMTP server.

Each test books over HTTP against the real app and runs the backend's mail
loop (``MailDelivery.run_once``, what the loop in ``housekeeping.py`` calls)
with the test's clock; aiosmtpd on a free port receives the mails.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import stat
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage

import icalendar
import pytest
from sqlalchemy import select

from amtslotse.core.content import load_catalogue
from amtslotse.lint import check_text, checker_pipeline, load_config
from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.db.schema import OutboxMail
from amtslotse.scheduling.notify.delivery import MailDelivery
from amtslotse.scheduling.notify.transports import FolderTransport
from amtslotse.scheduling.settings import SchedulingSettings
from amtslotse.settings import MailConfig
from amtslotse.testing.smtp import SmtpServer, running_smtp
from tests.scheduling.journeys import EMAIL, NAME, PHONE, book

PREFIX = "/api/v1"
SENDER = "Landkreis Beispiel <termine@landkreis.example>"
PORTAL = "https://termine.landkreis.example"
LINK = re.compile(re.escape(PORTAL) + r"/termin/([A-Z0-9-]+)\?t=([A-Za-z0-9_-]+)")


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with running_smtp() as server:
        yield server


@pytest.fixture
def mail_settings(settings: SchedulingSettings, smtp: SmtpServer) -> SchedulingSettings:
    return dataclasses.replace(
        settings,
        mail=MailConfig(
            smtp_host=smtp.host, smtp_port=smtp.port, smtp_starttls=False, mail_from=SENDER
        ),
        public_url=PORTAL,
    )


def _delivery(db, settings, clock, catalogue, transport=None) -> MailDelivery:  # type: ignore[no-untyped-def]
    return MailDelivery.from_settings(
        db, settings, catalogue=catalogue, transport=transport, clock=clock
    )


def _parts(message: EmailMessage) -> tuple[str, str, bytes | None]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    ics = None
    for attachment in message.iter_attachments():
        if attachment.get_content_type() == "text/calendar":
            assert attachment.get_filename() == "termin.ics"
            ics = attachment.get_content()
            ics = ics.encode() if isinstance(ics, str) else ics
    return text.get_content(), html.get_content(), ics


def _sentences(text: str) -> list[str]:
    """The text part's lines a citizen reads (the bare link address is no sentence)."""
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("http")]


@pytest.fixture(scope="module")
def checker():
    return load_config(), checker_pipeline()


def _errors(lines: list[str], checker) -> list:  # type: ignore[no-untyped-def]
    config, nlp = checker
    report = check_text("\n".join(lines), config, nlp)
    return [f for f in report.findings if f.severity.value == "error"]


async def test_the_confirmation_arrives_with_summary_pin_calendar_and_cancel_link(
    client, db, mail_settings, clock, catalogue, smtp, checker
):
    booking = await book(client, services=("wohngeld", "unterhaltsvorschuss"))
    report = await _delivery(db, mail_settings, clock, catalogue).run_once()
    assert report.sent == 1
    (message,) = smtp.wait_for(1)
    assert smtp.envelopes[0] == ("termine@landkreis.example", [EMAIL])
    assert message["To"].addresses[0].display_name == NAME
    assert message["From"] == SENDER
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Subject"] == "Ihr Termin: Montag, 24. März, 9 Uhr"
    text, html, ics = _parts(message)

    # The summary: each office with its time, the address, what to bring per concern.
    assert f"Guten Tag {NAME}." in text
    assert "Wohn·geld·stelle: Montag, 24. März, 9 Uhr." in text
    assert "Jugend·amt: Montag, 24. März, 9:30 Uhr." in text
    skz = catalogue.locations["skz"]
    assert f"Adresse: {skz.address.one_line()}." in text
    for service in ("wohngeld", "unterhaltsvorschuss"):
        assert f"Für {catalogue.services[service].name} bringen Sie mit:" in text
        for document in catalogue.services[service].documents:
            assert document.strip() in text
    assert f"Ihre Termin·nummer: {booking['booking_code']}." in text
    assert f"Ihre Geheim·zahl: {booking['pin']}." in text
    assert "löscht Ihre Daten 30 Tage nach dem Termin" in text
    assert booking["access_token"] not in text + html
    # Every sentence passes the checker (the code is data: "K7M4-PQ2X" reads as abbreviations).
    sentences = [ln.replace(booking["booking_code"], "2345-6789") for ln in _sentences(text)]
    assert _errors(sentences, checker) == []

    # HTML: the same sentences, escaped, with the link as a button and lists for documents.
    assert '<html lang="de">' in html and "<ul><li>" in html and "<script" not in html
    assert "Termin absagen</a>" in html

    # The calendar file: one event per leg, at the booked times.
    calendar = icalendar.Calendar.from_ical(ics)
    events = [c for c in calendar.walk("VEVENT")]
    assert [e.decoded("dtstart").isoformat() for e in events] == [
        leg["start"] for leg in booking["legs"]
    ]
    assert all(str(e["status"]) == "CONFIRMED" for e in events)

    # The cancel link names the booking and its token works at the backend (and only there).
    match = LINK.search(text)
    assert match and match.group(1) == booking["booking_code"]
    assert match.group(0) in html.replace("&amp;", "&")
    token = match.group(2)
    assert len(token) >= 43 and token != booking["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    resp = await client.get(f"{PREFIX}/bookings/{booking['booking_code']}", headers=auth)
    assert resp.status == 200
    other = await book(client)
    resp = await client.get(f"{PREFIX}/bookings/{other['booking_code']}", headers=auth)
    assert resp.status == 404


async def test_a_phone_only_booking_gets_no_mail(client, db, mail_settings, clock, catalogue, smtp):
    await book(client, contact={"name": NAME, "phone": PHONE})
    report = await _delivery(db, mail_settings, clock, catalogue).run_once()
    assert report.sent == 0 and smtp.messages == []


async def test_without_smtp_each_mail_is_an_eml_file(client, db, settings, clock, catalogue):
    booking = await book(client)
    assert settings.mail.smtp_host == ""
    delivery = _delivery(db, settings, clock, catalogue)
    assert isinstance(delivery.transport, FolderTransport)
    assert (await delivery.run_once()).sent == 1
    (path,) = sorted((settings.data_dir / "outbox").glob("*.eml"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds a name and an address
    import email
    import email.policy

    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    text, _, ics = _parts(message)
    assert booking["pin"] in text and ics is not None
    assert list((settings.data_dir / "outbox").glob("*.tmp")) == []


async def test_the_reminder_goes_once_even_with_two_instances_at_once(
    backend, client, db, mail_settings, clock, catalogue, smtp
):
    booking = await book(client, **{"from": "2025-03-27", "to": "2025-03-27"})
    assert booking["start"] == "2025-03-27T08:00:00+01:00"
    # Two backend instances: separate engines, the same database.
    engines = [Database(mail_settings.database_url) for _ in range(2)]
    try:
        instances = [_delivery(e, mail_settings, clock, catalogue) for e in engines]
        await asyncio.gather(*(d.run_once() for d in instances))
        assert len(smtp.wait_for(1)) == 1  # the confirmation only
        clock.set_local(2025, 3, 26, 7, 59)  # 24 h and 1 minute before: not yet
        reports = await asyncio.gather(*(d.run_once() for d in instances))
        assert sum(r.reminders_queued for r in reports) == 0
        clock.set_local(2025, 3, 26, 8, 30)
        reports = await asyncio.gather(*(d.run_once() for d in instances * 2))
        assert sum(r.reminders_queued for r in reports) == 1
        assert sum(r.sent for r in reports) == 1
        clock.advance(hours=2)
        await asyncio.gather(*(d.run_once() for d in instances * 2))
    finally:
        for engine in engines:
            await engine.dispose()
    await asyncio.sleep(0.2)  # a second reminder, if there were one, would arrive now
    subjects = [m["Subject"] for m in smtp.messages]
    assert subjects == [
        "Ihr Termin: Donnerstag, 27. März, 8 Uhr",
        "Erinnerung an Ihren Termin: Donnerstag, 27. März, 8 Uhr",
    ]
    text, _, ics = _parts(smtp.messages[1])
    assert "Sie haben bald einen Termin." in text and LINK.search(text) and ics
    assert "Geheim·zahl" not in text  # kept only until the confirmation is sent


async def test_no_reminder_when_booked_inside_the_window_or_cancelled(
    client, db, mail_settings, clock, catalogue, smtp
):
    soon = await book(client, **{"from": "2025-03-24", "to": "2025-03-24"})  # today 9:00
    later = await book(client, **{"from": "2025-03-27", "to": "2025-03-27"})
    delivery = _delivery(db, mail_settings, clock, catalogue)
    await delivery.run_once()
    auth = {"Authorization": f"Bearer {later['access_token']}"}
    assert (
        await client.delete(f"{PREFIX}/bookings/{later['booking_code']}", headers=auth)
    ).status == 200
    await delivery.run_once()
    clock.set_local(2025, 3, 26, 9, 0)
    report = await delivery.run_once()
    assert report.reminders_queued == 0
    subjects = [m["Subject"] for m in smtp.wait_for(3)]
    assert subjects == [
        "Ihr Termin: Montag, 24. März, 9 Uhr",
        "Ihr Termin: Donnerstag, 27. März, 8 Uhr",
        "Ihr Termin ist abgesagt: Donnerstag, 27. März, 8 Uhr",
    ]
    text, _, ics = _parts(smtp.messages[2])
    assert ics is None and "Hat jemand anderes den Termin abgesagt?" in text
    assert LINK.search(text) is None
    assert soon["booking_code"] not in text


async def test_a_refusing_mail_server_is_retried_with_backoff_and_never_fails_a_booking(
    client, db, mail_settings, clock, catalogue, smtp, caplog
):
    caplog.set_level(logging.DEBUG)
    smtp.refuse_next(2)
    booking = await book(client)  # the mail server is not asked while booking
    delivery = _delivery(db, mail_settings, clock, catalogue)
    assert (await delivery.run_once()).failed == 1
    assert (await delivery.run_once()).failed == 0  # not due yet: 1 minute
    clock.advance(minutes=1)
    assert (await delivery.run_once()).failed == 1  # second refusal; next in 2 minutes
    clock.advance(minutes=1)
    assert (await delivery.run_once()).sent == 0
    # A restart in between: a new engine and delivery find the state in the database.
    fresh = Database(mail_settings.database_url)
    try:
        clock.advance(minutes=1)
        assert (await _delivery(fresh, mail_settings, clock, catalogue).run_once()).sent == 1
    finally:
        await fresh.dispose()
    assert smtp.refused == 2 and len(smtp.wait_for(1)) == 1
    async with db.reading() as session:
        row = await session.scalar(select(OutboxMail))
        assert row.status == "sent" and row.attempts == 3 and row.sealed_pin is None
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "SMTPDataError 451" in text
    for personal in (NAME, "Geheim", EMAIL, booking["booking_code"], booking["pin"]):
        assert personal not in text


async def test_an_unreachable_mail_server_gives_up_after_the_last_try(
    client, db, settings, clock, catalogue
):
    class Down:
        def send(self, message: EmailMessage) -> None:
            raise ConnectionRefusedError(f"no route to {message['To']}")

    await book(client)
    delivery = _delivery(db, settings, clock, catalogue, transport=Down())
    failures = 0
    for _ in range(12):
        failures += (await delivery.run_once()).failed
        clock.advance(hours=2)
    assert failures == 8
    async with db.reading() as session:
        row = await session.scalar(select(OutboxMail))
        assert row.status == "failed" and row.last_error == "ConnectionRefusedError"
        assert row.sealed_pin is None


async def test_the_app_sends_the_confirmation_by_itself(
    db, mail_settings, clock, smtp, aiohttp_client
):
    """With the mail loop on, a booking's mail goes at once, not at the next interval."""
    from amtslotse.scheduling.app import create_app

    on = dataclasses.replace(mail_settings, mail_poll_seconds=3600)
    client = await aiohttp_client(create_app(on, clock=clock))
    booking = await book(client)
    (message,) = await asyncio.to_thread(smtp.wait_for, 1)
    assert booking["booking_code"] in message.get_body(preferencelist=("plain",)).get_content()


def test_reminder_hours_come_from_the_settings(tmp_path):
    env = {"AMTSLOTSE_DATA_DIR": str(tmp_path), "REMINDER_HOURS_BEFORE": "48"}
    assert SchedulingSettings.from_env(env).reminder_before == timedelta(hours=48)
    env["REMINDER_HOURS_BEFORE"] = "0"
    assert SchedulingSettings.from_env(env).reminder_before is None
