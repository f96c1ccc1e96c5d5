"""Who handles a concern, where and when: answers built from the content.

Pure functions from a :class:`Catalogue` to a :class:`Reply`; no I/O, no
Rasa. The Rasa actions (actions/routing.py) only pick the function and send
the reply. Every sentence a citizen reads comes from the content
(answers.yml, the service, office and location files), never from here.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import time
from typing import Any

from amtslotse.core.content.model import (
    WEEKDAY_NAMES,
    Catalogue,
    Clarification,
    Location,
    OpeningHours,
    Service,
    WalkIn,
)
from amtslotse.core.reply import Button, Reply, lines_of, phrase_lines

__all__ = [
    "accessibility_reply",
    "appointment_reply",
    "clarify_reply",
    "documents_reply",
    "hours_reply",
    "no_concern_reply",
    "bad_input_reply",
    "unreadable",
    "office_payload",
    "office_reply",
    "simpler_reply",
    "format_hours",
    "service_for_intent",
    "INTENT_PREFIX",
]

INTENT_PREFIX = "anliegen_"


def _clock(t: time) -> str:
    return f"{t.hour} Uhr" if t.minute == 0 else f"{t.hour}:{t.minute:02d} Uhr"


def format_hours(cat: Catalogue, hours: OpeningHours) -> list[str]:
    """Opening hours as lines: "Dienstag: 8 Uhr bis 12 Uhr und 13 Uhr bis 18 Uhr."."""
    joiner = f" {cat.phrases['hours_and'].strip()} "
    out = []
    for day, intervals in enumerate(hours.weekly):
        if not intervals:
            continue
        spans = joiner.join(
            cat.phrases["hours_span"].strip().format(start=_clock(i.start), end=_clock(i.end))
            for i in intervals
        )
        out.append(cat.phrases["hours_day"].strip().format(day=WEEKDAY_NAMES[day], spans=spans))
    return out


def hours_text(cat: Catalogue, location: Location) -> str:
    return "\n".join(format_hours(cat, location.hours) + phrase_lines(cat, "holidays_closed"))


def service_for_intent(cat: Catalogue, intent: str | None) -> Service | None:
    """``anliegen_wohngeld`` → the Wohngeld service (None for other intents)."""
    if not intent or not intent.startswith(INTENT_PREFIX):
        return None
    return cat.services.get(intent[len(INTENT_PREFIX) :])


def _served_at(cat: Catalogue, service: Service, office_id: str | None) -> Location | None:
    """The building a citizen goes to: the Bürgerbüro for walk-ins, else the office's."""
    if service.walk_in is WalkIn.YES:
        return cat.location_of(cat.walk_in_office())
    if service.walk_in is WalkIn.EXTERNAL:
        return None
    office = cat.offices.get(office_id or "")
    return cat.location_of(office) if office else None


def _responsible_office(service: Service, office_id: str | None) -> str | None:
    return office_id or service.office_id


def office_payload(
    cat: Catalogue, service: Service, office_id: str | None = None
) -> dict[str, Any]:
    """The ``office_answer`` object of the chat contract."""
    oid = _responsible_office(service, office_id)
    location = _served_at(cat, service, oid)
    if service.walk_in is WalkIn.EXTERNAL:
        body = cat.external[oid or ""]
        name, phone = body.name, body.phone
    else:
        office = cat.offices[oid or ""]
        name, phone = office.name, office.phone
    return {
        "type": "office_answer",
        "service_id": service.id,
        "service_name": service.name,
        "office_id": oid,
        "office_name": name,
        "county_responsible": service.walk_in is not WalkIn.EXTERNAL,
        "walk_in": service.walk_in is WalkIn.YES,
        "urgent": service.walk_in is WalkIn.URGENT,
        "bookable": service.bookable,
        "appointment_minutes": service.minutes,
        "phone": phone or None,
        "location": None
        if location is None
        else {
            "id": location.id,
            "name": location.name,
            "address": location.address.one_line(),
            "example_address": location.address.example,
            "wheelchair": location.accessibility.wheelchair,
            "lift": location.accessibility.lift,
        },
        "opening_hours": hours_text(cat, location) if location else "",
        "documents": list(service.documents),
        "example_data": True,
        "example_notice": cat.county.example_notice,
    }


def _offices_of(service: Service) -> list[str]:
    """The office of a service, or the offices its own question chooses between."""
    if service.office_id is not None:
        return [service.office_id]
    if service.choose_office is not None:
        return [o.payload_id for o in service.choose_office.options]
    return []


def clarify_reply(
    cat: Catalogue, clarification: Clarification, *, intent: str, choose_office: bool = False
) -> Reply:
    """One short question with buttons instead of a guess (payload ``clarify``)."""
    if choose_office:
        options = [
            (o.title, f'/{intent}{{"office_id": "{o.payload_id}"}}') for o in clarification.options
        ]
        candidates = [o.payload_id for o in clarification.options]
    else:
        options = [(o.title, f"/{INTENT_PREFIX}{o.payload_id}") for o in clarification.options]
        candidates = list(
            dict.fromkeys(
                office_id
                for o in clarification.options
                for office_id in _offices_of(cat.services[o.payload_id])
            )
        )
    return Reply(
        lines=tuple(lines_of(clarification.question)),
        buttons=tuple(Button(title, payload) for title, payload in options),
        custom={
            "type": "clarify",
            "question": clarification.question.strip(),
            "candidates": candidates,
            "options": [{"title": t, "payload": p} for t, p in options],
        },
    )


def _book_button(cat: Catalogue, service: Service, office_id: str | None) -> Button:
    """ "Ja, Termin machen": starts the booking flow for this concern at this office.

    The payload names the concern as ``service:office`` (see amtslotse/core/concerns.py).
    """
    ref = f"{service.id}:{office_id or service.office_id}"
    title = " ".join(phrase_lines(cat, "booking_button_yes"))
    return Button(title, f'/termin_buchen{{"service": "{ref}"}}')


def office_reply(cat: Catalogue, service: Service, office_id: str | None = None) -> Reply:
    """The main answer: who handles the concern, walk-in or appointment, where and when."""
    if service.choose_office is not None and office_id is None:
        return clarify_reply(
            cat, service.choose_office, intent=INTENT_PREFIX + service.id, choose_office=True
        )
    oid = _responsible_office(service, office_id)
    remember = {"service_id": service.id, "office_id": oid}
    payload = office_payload(cat, service, oid)
    lines: list[str] = []
    if service.walk_in is WalkIn.URGENT:
        lines += phrase_lines(cat, "urgent", jugendamt_phone=cat.county.jugendamt_emergency_phone)
        return Reply(tuple(lines), custom=payload, remember=remember)
    lines += phrase_lines(cat, "concern", service=service.name)
    lines += lines_of(service.text)
    if service.walk_in is WalkIn.EXTERNAL:
        body = cat.external[oid or ""]
        lines += phrase_lines(cat, "external", office=body.name)
        lines += lines_of(body.text)
        if body.phone:
            lines += phrase_lines(cat, "external_phone", phone=body.phone)
        if body.website:
            lines += phrase_lines(cat, "external_website", website=body.website)
        return Reply(tuple(lines), custom=payload, remember=remember)
    office = cat.offices[oid or ""]
    lines += phrase_lines(cat, "office", office=office.name)
    location = _served_at(cat, service, oid)
    assert location is not None  # county services always have a building
    if service.walk_in is WalkIn.YES:
        lines += phrase_lines(cat, "walk_in")
    else:
        lines += phrase_lines(cat, "appointment_needed")
        if service.minutes:
            lines += phrase_lines(cat, "appointment_length", minutes=service.minutes)
    lines += phrase_lines(cat, "place", location=location.name, address=location.address.one_line())
    lines += phrase_lines(cat, "hours_intro") + format_hours(cat, location.hours)
    lines += phrase_lines(cat, "holidays_closed")
    lines += lines_of(cat.county.example_notice)
    if service.bookable:
        lines += phrase_lines(cat, "offer_appointment")
        return Reply(
            tuple(lines),
            buttons=(_book_button(cat, service, oid),),
            custom=payload,
            remember=remember,
        )
    return Reply(tuple(lines), custom=payload, remember=remember)


def documents_reply(cat: Catalogue, service: Service) -> Reply:
    if not service.documents:
        return Reply(tuple(phrase_lines(cat, "documents_none")))
    return Reply(tuple(phrase_lines(cat, "documents_intro") + list(service.documents)))


def hours_reply(cat: Catalogue, service: Service, office_id: str | None = None) -> Reply:
    location = _served_at(cat, service, _responsible_office(service, office_id))
    if location is None:
        return office_reply(cat, service, office_id)
    lines = phrase_lines(cat, "place", location=location.name, address=location.address.one_line())
    lines += phrase_lines(cat, "hours_intro") + format_hours(cat, location.hours)
    lines += phrase_lines(cat, "holidays_closed")
    return Reply(tuple(lines))


def accessibility_reply(cat: Catalogue, service: Service, office_id: str | None = None) -> Reply:
    location = _served_at(cat, service, _responsible_office(service, office_id))
    if location is None:
        return office_reply(cat, service, office_id)
    lines = phrase_lines(cat, "place", location=location.name, address=location.address.one_line())
    lines += lines_of(location.directions)
    lines += phrase_lines(cat, "accessibility_intro") + lines_of(location.accessibility.text)
    lines += lines_of(cat.county.example_notice)
    return Reply(tuple(lines))


def appointment_reply(cat: Catalogue, service: Service, office_id: str | None = None) -> Reply:
    if service.walk_in is WalkIn.YES:
        location = cat.location_of(cat.walk_in_office())
        lines = phrase_lines(cat, "walk_in")
        lines += phrase_lines(
            cat, "place", location=location.name, address=location.address.one_line()
        )
        return Reply(tuple(lines))
    if service.walk_in is WalkIn.NO:
        lines = phrase_lines(cat, "appointment_needed")
        if service.minutes:
            lines += phrase_lines(cat, "appointment_length", minutes=service.minutes)
        if not service.bookable or (service.choose_office is not None and office_id is None):
            return Reply(tuple(lines))
        lines += phrase_lines(cat, "offer_appointment")
        return Reply(tuple(lines), buttons=(_book_button(cat, service, office_id),))
    return office_reply(cat, service, office_id)


def simpler_reply(cat: Catalogue, service: Service) -> Reply:
    """'Ich verstehe das nicht': the simple text, then the hard words explained."""
    lines = phrase_lines(cat, "simpler_intro") + lines_of(service.simple_text)
    explained = {e.term: e for e in cat.glossary}
    for word in service.hard_words:
        entry = explained.get(word)
        if entry is not None:
            lines += phrase_lines(cat, "glossary_intro", term=entry.term) + lines_of(
                entry.explanation
            )
    return Reply(tuple(lines))


def no_concern_reply(cat: Catalogue) -> Reply:
    return Reply(tuple(phrase_lines(cat, "no_concern_yet")))


_MARKUP = re.compile(
    r"<\s*/?\s*[a-zA-Z][\w-]*(?:\s[^<>]*)?>|&[a-z]+;|javascript:|\bon\w+\s*=|"
    r"\{\{|\}\}|\$\{|\bselect\b.+\bfrom\b|\bdrop\s+table\b|\bfunction\s*\(|=>",
    re.IGNORECASE | re.DOTALL,
)
_CODE_SIGNS = frozenset("{}[]<>();=|\\$`^~#")


def unreadable(text: str) -> str | None:
    """Why a message cannot be a concern, or None if it can.

    >>> unreadable("😀😀"), unreadable("Привет, как дела"), unreadable("Wohngeld?")
    ('no_words', 'other_alphabet', None)
    >>> unreadable("<script>alert(1)</script>"), unreadable("{{7*7}} ${x}")
    ('markup', 'markup')
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "no_words"
    if _MARKUP.search(text):
        return "markup"
    signs = sum(c in _CODE_SIGNS for c in text)
    if signs >= 4 and signs * 3 >= len(letters):
        return "markup"  # more code than words
    latin = sum("LATIN" in unicodedata.name(c, "") for c in letters)
    if latin < 2:
        return "other_alphabet"
    return None


def bad_input_reply(cat: Catalogue, reason: str) -> Reply:
    """A short, polite answer to an empty, emoji-only or non-Latin message."""
    key = "other_alphabet" if reason == "other_alphabet" else "bad_input"
    return Reply(tuple(phrase_lines(cat, key)))


def button_title(service: Service) -> str:
    """The short label of a button that names this concern."""
    return str(getattr(service, "button", "") or service.name)


def documents_for_many(cat: Catalogue, services: list[Service]) -> Reply:
    """ "Was muss ich mitbringen?" with several concerns on the list: for each of them."""
    lines: list[str] = []
    for service in services:
        if service.documents:
            lines += phrase_lines(cat, "booking_bring", service=service.name)
            lines += [d.strip() for d in service.documents]
    return Reply(tuple(lines or phrase_lines(cat, "documents_none")))
