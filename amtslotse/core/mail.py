"""What the e-mails say: confirmation, reminder and cancellation, in Leichte Sprache.

Pure functions from the catalogue and a booking (the backend's JSON shape:
``location_id`` and ``legs`` with RFC 3339 times) to a :class:`Mail`: a
subject and sections of sentences, one per line, some with a link. Every
sentence comes from mail.yml and answers.yml; the summary of the
appointment is the chat's (``booking.answers.summary_lines``), so the mail
and the chat say the same. ``scheduling/notify/`` turns a Mail into the
text and HTML parts of a real message; ``content/texts.py`` lints samples.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from amtslotse.core.booking.answers import summary_lines, time_words
from amtslotse.core.booking.offers import start_of
from amtslotse.core.content.model import Catalogue
from amtslotse.core.reply import phrase_lines

CONFIRMATION = "confirmation"
REMINDER = "reminder"
CANCELLATION = "cancellation"
KINDS = (CONFIRMATION, REMINDER, CANCELLATION)


@dataclass(frozen=True)
class Link:
    title: str  # the button text (HTML part)
    intro: str  # the sentence before the address (text part)
    url: str


@dataclass(frozen=True)
class Section:
    lines: tuple[str, ...]
    link: Link | None = None


@dataclass(frozen=True)
class Mail:
    subject: str
    sections: tuple[Section, ...]

    @property
    def lines(self) -> tuple[str, ...]:
        """Every sentence of the mail, in order (for the checker and the tests)."""
        out = [self.subject]
        for section in self.sections:
            out += section.lines
            if section.link is not None:
                out += [section.link.intro, section.link.title]
        return tuple(out)


def _lines(cat: Catalogue, key: str, **values: Any) -> tuple[str, ...]:
    return tuple(phrase_lines(cat, key, **values))


def compose(
    cat: Catalogue,
    kind: str,
    booking: Mapping[str, Any],
    *,
    name: str,
    retention_days: int,
    cancel_url: str | None = None,
    pin: str | None = None,
) -> Mail:
    """The mail of ``kind`` for ``booking``; ``pin`` only in the confirmation.

    The cancel link is left out of the cancellation (nothing left to cancel)
    and wherever no ``cancel_url`` is given.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    when = time_words(cat, start_of(booking["legs"][0]))
    phone = cat.county.hotline_phone
    greeting = _lines(cat, "mail_greeting", name=name) + _lines(cat, f"mail_{kind}_intro")
    sections = [Section(greeting)]
    sections.append(Section(tuple(summary_lines(cat, dict(booking)))))
    code = _lines(cat, "mail_code", code=booking["booking_code"])
    if kind == CONFIRMATION and pin:
        code += _lines(cat, "mail_pin", pin=pin)
    sections.append(Section(code))
    if kind == CANCELLATION:
        sections.append(Section(_lines(cat, "mail_cancellation_check")))
    else:
        sections.append(Section(_lines(cat, "mail_calendar")))
        if cancel_url:
            link = Link(
                title=" ".join(_lines(cat, "mail_cancel_button")),
                intro=" ".join(_lines(cat, "mail_cancel_link")),
                url=cancel_url,
            )
            sections.append(Section(_lines(cat, "mail_cancel"), link))
    sections.append(Section(_lines(cat, "mail_hotline", phone=phone)))
    sections.append(
        Section(
            _lines(cat, "mail_privacy", days=retention_days) + _lines(cat, "mail_automatic"),
        )
    )
    subject = " ".join(_lines(cat, f"mail_subject_{kind}", time=when))
    return Mail(subject, tuple(sections))
