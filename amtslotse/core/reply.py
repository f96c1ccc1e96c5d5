"""What the bot says: sentences, buttons and one structured payload.

The one reply type of the pure core. Routing (routing.py) and booking
(booking/answers.py) build Replies from the content's sentence frames; the
Rasa actions send them (actions/dispatch.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from amtslotse.core.content.model import Catalogue


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """What the bot says: sentences (one per line), buttons, one structured payload."""

    lines: tuple[str, ...]
    buttons: tuple[Button, ...] = ()
    custom: dict[str, Any] | None = None
    # Slots the conversation should remember (e.g. the concern just answered).
    remember: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def phrase_lines(cat: Catalogue, key: str, **values: Any) -> list[str]:
    """One sentence frame of answers.yml, filled in, as lines."""
    return lines_of(cat.phrases[key].format(**values))
