"""Headless Chromium (Debian's /usr/bin/chromium) through Playwright, against the real assistant.

Never downloads a browser: Playwright drives the system Chromium. Each test
gets a fresh context (own cookies and storage); screenshots and axe results
go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Rasa answers within a few seconds; a loaded machine gets more.
ANSWER_MS = 60_000


# Module scope: Playwright's sync API keeps an event loop running while it lives,
# which would break the asyncio tests (pytest-aiohttp) that run after these.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: apt-get install chromium (make test installs it).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, assistant) -> Iterator[object]:
    """A page in a fresh context; fails the test on script errors or CSP violations."""
    context = browser.new_context(locale="de-DE", base_url=assistant.settings.portal_url)
    context.set_default_timeout(ANSWER_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.errors = errors
    try:
        yield page
    finally:
        context.close()
    assert not errors, errors


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_check(page, name: str, prepare: Callable[[object], None] | None = None) -> list[dict]:
    """Run axe-core on ``page``'s URL; write all violations to artifacts; return serious ones.

    add_script_tag inserts axe as an inline script, which the portal's CSP
    (rightly) blocks. So axe runs in a second context that bypasses CSP,
    with the first one's cookies and localStorage; ``prepare`` brings that
    page into the state to check (e.g. a case in the hotline console, whose
    history lives in sessionStorage). The flows themselves run with CSP on.
    """
    if not AXE.is_file():
        pytest.fail("axe-core is missing: run scripts/browser-deps.sh (npm ci).")
    context = page.context.browser.new_context(
        locale="de-DE", bypass_csp=True, storage_state=page.context.storage_state()
    )
    context.set_default_timeout(ANSWER_MS)
    try:
        checked = context.new_page()
        checked.goto(page.url)
        if prepare is not None:
            prepare(checked)
        checked.add_script_tag(path=str(AXE))
        result = checked.evaluate(
            """async () => {
                const r = await axe.run(document, {
                    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                    "best-practice"]},
                    resultTypes: ["violations"]
                });
                return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(" "))}));
            }"""
        )
        screenshot(checked, f"axe-{name}")
    finally:
        context.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return [v for v in result if v["impact"] in ("serious", "critical")]


def login(page, assistant, target: str) -> None:
    """Log in through the form, with the keyboard only."""
    page.goto(target)
    assert re.search(r"/login\?next=", page.url), page.url
    page.wait_for_function("document.activeElement && document.activeElement.id === 'name'")
    page.keyboard.type(assistant.staff_user)  # the name field has autofocus
    page.keyboard.press("Tab")
    page.keyboard.type(assistant.staff_password)
    page.keyboard.press("Enter")
    # The login page's own address ends with its ?next=target as well: wait for the target.
    page.wait_for_url(lambda url: url.endswith(target) and "/login?" not in url)


EMAIL = "browser.test@example.org"


def book(assistant, contact: dict[str, str] | None = None) -> dict:  # type: ignore[no-untyped-def]
    """Book the first Wohngeld time at the backend, with the service token (as the actions do)."""
    base = f"{assistant.settings.scheduling_base_url}/api/v1"
    service = {"Authorization": f"Bearer {assistant.settings.scheduling.service_token}"}
    status, body = assistant.get(f"{base}/availability?service=wohngeld&limit=1")
    assert status == 200, body
    bundle = body["bundles"][0]
    status, hold = assistant.post(
        f"{base}/holds", {"bundle_id": bundle["bundle_id"]}, headers=service
    )
    assert status == 201, hold
    status, booking = assistant.post(
        f"{base}/bookings",
        {
            "hold_id": hold["hold_id"],
            "contact": contact or {"name": "Bruno Browser", "email": EMAIL},
        },
        headers={**service, "Idempotency-Key": f"browser-{uuid.uuid4()}"},
    )
    assert status == 201, booking
    return booking
