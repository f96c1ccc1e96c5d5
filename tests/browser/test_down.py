"""When Rasa does not answer, the widget shows the portal's Leichte Sprache message with
the hotline number and "Noch einmal senden", which sends the same turn again."""

from __future__ import annotations

import io
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from amtslotse.run.supervisor import ProcessSpec, Supervisor, free_port
from tests.browser.conftest import ANSWER_MS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]


class _LateRasa(BaseHTTPRequestHandler):
    """A Rasa server that comes up only after the first try (records what it gets)."""

    seen: list[dict] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._json(
            200,
            {"status": "ok", "parts": {"lock_store": True, "tracker_store": True, "actions": True}},
        )

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append(body)
        self._json(200, [{"recipient_id": body["sender"], "text": "Guten Tag!"}])

    def _json(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


def test_the_widget_says_the_assistant_is_down_and_sends_the_turn_again(browser, tmp_path):
    rasa_port, portal_port = free_port(), free_port()
    portal = ProcessSpec(
        name="portal",
        argv=[
            str(Path(sys.executable).with_name("amtslotse")),
            "serve-portal",
            "--port",
            str(portal_port),
        ],
        port=portal_port,
        ready_url=f"http://127.0.0.1:{portal_port}/",  # /healthz is 503: Rasa is down
        env={
            "RASA_URLS": f"http://127.0.0.1:{rasa_port}",
            "SCHEDULING_PORT": str(free_port()),
            "AMTSLOTSE_DATA_DIR": str(tmp_path / "var"),
            "AMTSLOTSE_SESSION_SECRET": "browser-test-secret-0123456789abcdef",
            "TRACKER_PURGE_INTERVAL_MINUTES": "0",
        },
        cwd=ROOT,
    )
    with Supervisor([portal], out=io.StringIO()) as supervisor:
        supervisor.start()
        supervisor.wait_ready(timeout=60)
        context = browser.new_context(locale="de-DE", base_url=f"http://127.0.0.1:{portal_port}")
        context.set_default_timeout(ANSWER_MS)
        page = context.new_page()
        posts: list[dict] = []
        page.on(
            "request",
            lambda r: (
                posts.append(json.loads(r.post_data)) if r.url.endswith("/api/chat") else None
            ),
        )
        try:
            page.goto("/")
            page.wait_for_selector('#amtslotse-chat[data-ready="true"]')
            page.locator("textarea.al-input").fill("Hallo")
            page.keyboard.press("Enter")
            retry = page.locator(".al-status button.al-retry")
            retry.wait_for()
            status = page.locator(".al-status").inner_text()
            assert "Der Amts·lotse hat gerade eine Störung." in status
            assert "Bürger·telefon: 03496 0000-0." in status
            assert retry.inner_text() == "Noch einmal senden"
            screenshot(page, "chat-assistant-down")

            # Rasa is back: the same message goes again, with the same turn id.
            server = ThreadingHTTPServer(("127.0.0.1", rasa_port), _LateRasa)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            try:
                retry.click()
                page.locator(".al-bot .al-line", has_text="Guten Tag!").wait_for()
            finally:
                server.shutdown()
            assert page.locator(".al-user .al-line").count() == 1  # the message is shown once
        finally:
            context.close()
    assert [p["message"] for p in posts] == ["Hallo", "Hallo"]
    assert posts[0]["turn"] == posts[1]["turn"] and posts[1]["resent"] is True
    assert _LateRasa.seen[-1]["metadata"] == {"turn": posts[0]["turn"], "resent": True}
