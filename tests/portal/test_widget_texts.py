"""The widget's own texts and the demo page are Leichte Sprache, and nothing is inserted as HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from amtslotse.lint import check_text, checker_pipeline, load_config

STATIC = Path(__file__).resolve().parents[2] / "amtslotse" / "portal" / "static"
TEMPLATES = STATIC.parent / "templates"


def widget_texts() -> list[str]:
    """The values of the TEXT object in widget.js."""
    source = (STATIC / "widget.js").read_text(encoding="utf-8")
    block = re.search(r"var TEXT = \{(.*?)\n  \};", source, re.S)
    assert block, "widget.js keeps its texts in one TEXT object"
    return re.findall(r'^\s+\w+: "([^"]+)",?$', block.group(1), re.M)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style", "title")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style", "title")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.lines.append(data.strip())


def test_widget_has_its_texts_in_one_place():
    texts = widget_texts()
    assert len(texts) > 25
    assert "Der Amts·lotse ist gerade nicht erreichbar." in texts


def portal_refusals() -> list[str]:
    """What the widget shows when the portal refuses a message (views.SAY, HTTP errors)."""
    from amtslotse.portal.middleware import _HTTP_DETAILS
    from amtslotse.portal.views import SAY

    texts = [t.replace("$minutes", "10") for t in SAY.values()] + list(_HTTP_DETAILS.values())
    return [sentence + "." for text in texts for sentence in text.rstrip(".").split(". ")]


@pytest.mark.parametrize(
    "name, lines",
    [
        ("widget.js", widget_texts),
        ("index.html", lambda: _visible(STATIC / "index.html")),
        ("portal refusals", portal_refusals),
    ],
)
def test_citizen_chrome_texts_pass_the_checker_without_errors(name, lines):
    report = check_text("\n".join(lines()), load_config(), checker_pipeline())
    errors = [f for f in report.findings if f.severity.value == "error"]
    assert errors == [], f"{name}: {errors}"


def _visible(path: Path) -> list[str]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.lines


@pytest.mark.parametrize(
    "path", [*STATIC.glob("*.html"), *TEMPLATES.glob("*.html")], ids=lambda p: p.name
)
def test_pages_have_no_inline_script_or_style(path):
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)
    assert not re.search(r"\sstyle=|<style|\son[a-z]+=", html)


@pytest.mark.parametrize("path", sorted(STATIC.glob("*.js")), ids=lambda p: p.name)
def test_scripts_never_insert_html(path):
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", source)
