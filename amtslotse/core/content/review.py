"""Which texts readers of the target group have checked (``geprueft``), and which not.

DIN SPEC 33429 makes the check by readers of the target group part of Leichte
Sprache. A text's mark stands in the ``geprueft`` block of its entry (the
service file, or the list item in offices.yml, glossary.yml, ...), under the
text's name (:attr:`TextSource.name`)::

    geprueft:
      text: {am: 2026-12-01, von: Prüf·gruppe Lebenshilfe, fassung: "4be9c1a03d2e"}

``fassung`` is :func:`text_hash` of the text as it was checked. A text
changed since then is **not** checked any more, whoever changed it and
however (the browser editor also removes its mark when it saves). Pure.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from amtslotse.core.content.checks import Check
from amtslotse.core.content.model import Catalogue, TextMark, TextSource

__all__ = ["ReviewState", "review_states", "orphan_marks", "review_checks", "text_hash"]

Key = tuple[str, tuple[str | int, ...], str]


def text_hash(text: str) -> str:
    """12 hex digits of SHA-256 over the text's lines (indentation and ends do not count)."""
    lines = "\n".join(line.strip() for line in text.strip().splitlines())
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()[:12]


def mark_key(source: TextSource) -> Key:
    return (source.file, source.entry, source.name)


@dataclass(frozen=True)
class ReviewState:
    """``geprueft`` (checked as it is), ``geaendert`` (changed since), ``offen`` (never)."""

    state: str
    am: date | None = None
    von: str = ""

    @property
    def checked(self) -> bool:
        return self.state == "geprueft"

    def to_json(self) -> dict[str, str | None]:
        return {
            "state": self.state,
            "am": self.am.isoformat() if self.am else None,
            "von": self.von,
        }


def review_states(cat: Catalogue) -> dict[str, ReviewState]:
    """The review state of every text of the catalogue, by its source key."""
    marks = {(m.file, m.entry, m.name): m for m in cat.marks}
    out = {}
    for key, source in cat.sources.items():
        mark = marks.get(mark_key(source))
        if mark is None:
            out[key] = ReviewState("offen")
        elif mark.fassung == text_hash(source.text):
            out[key] = ReviewState("geprueft", mark.am, mark.von)
        else:
            out[key] = ReviewState("geaendert", mark.am, mark.von)
    return out


def orphan_marks(cat: Catalogue) -> list[TextMark]:
    """Marks that name no text of their entry (the text was removed or renamed)."""
    texts = {mark_key(s) for s in cat.sources.values()}
    return [m for m in cat.marks if (m.file, m.entry, m.name) not in texts]


def _lines(numbers: Iterable[int]) -> str:
    found = sorted(set(numbers))
    shown = ", ".join(str(n) for n in found[:12])
    return shown + (f" and {len(found) - 12} more" if len(found) > 12 else "")


def review_checks(cat: Catalogue) -> list[Check]:
    """What `amtslotse content check` reports: one warning per file with unchecked texts
    (``ungeprueft``, their lines), and each mark that names no text (``geprueft-verwaist``)."""
    states = review_states(cat)
    open_lines: dict[str, list[int]] = defaultdict(list)
    changed_lines: dict[str, list[int]] = defaultdict(list)
    for key, source in cat.sources.items():
        line = int(source.location.rpartition(":")[2])
        if states[key].state == "offen":
            open_lines[source.file].append(line)
        elif states[key].state == "geaendert":
            changed_lines[source.file].append(line)
    out = []
    for file in sorted(set(open_lines) | set(changed_lines)):
        first = min(open_lines[file] + changed_lines[file])
        parts = []
        if changed_lines[file]:
            parts.append(
                f"{len(changed_lines[file])} changed since their check "
                f"(lines {_lines(changed_lines[file])})"
            )
        if open_lines[file]:
            parts.append(
                f"{len(open_lines[file])} never checked (lines {_lines(open_lines[file])})"
            )
        out.append(
            Check(
                f"{file}:{first}",
                "warning",
                "ungeprueft",
                file,
                "texts not checked by readers of the target group: " + "; ".join(parts),
                f"after the check: amtslotse content review --von GRUPPE {file}",
            )
        )
    for mark in orphan_marks(cat):
        out.append(
            Check(
                mark.location,
                "warning",
                "geprueft-verwaist",
                mark.name,
                f"geprueft names '{mark.name}', which is no text of this entry",
                "remove the line, or correct the name",
            )
        )
    return out
