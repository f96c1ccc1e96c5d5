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
    "FOLLOW_UP_DOCUMENTS",
    "FOLLOW_UP_HOURS",
    "FOLLOW_UP_PLACE",
    "FOLLOW_UP_SIMPLER",
    "WAY_OUT",
    "accessibility_reply",
    "appointment_reply",
    "clarify_reply",
    "concern_button",
    "documents_reply",
    "hours_reply",
    "no_concern_reply",
    "bad_input_reply",
    "NOT_UNDERSTOOD",
    "not_understood",
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


#: Payloads of the follow-up intents (data/rules/nachfragen.yml) that answer buttons send.
FOLLOW_UP_HOURS = "/frage_oeffnungszeiten"
FOLLOW_UP_DOCUMENTS = "/frage_unterlagen"
FOLLOW_UP_PLACE = "/frage_ort"
FOLLOW_UP_SIMPLER = "/nicht_verstanden"
#: The way out of a question ("Ich meine etwas anderes."): the bot says what it can do.
WAY_OUT = "/help"


def _sentence(line: str) -> str:
    """A line starts with a capital letter, also when a frame begins with "{office}"."""
    return line[:1].upper() + line[1:] if line[:1].islower() else line


def _frame(cat: Catalogue, key: str, **values: Any) -> list[str]:
    return [_sentence(line) for line in phrase_lines(cat, key, **values)]


def _button(cat: Catalogue, key: str, payload: str) -> Button:
    return Button(" ".join(phrase_lines(cat, key)), payload)


def office_payload(
    cat: Catalogue, service: Service, office_id: str | None = None
) -> dict[str, Any]:
    """The ``office_answer`` object of the chat contract."""
    oid = _responsible_office(service, office_id)
    location = _served_at(cat, service, oid)
    website = ""
    if service.walk_in is WalkIn.EXTERNAL:
        body = cat.external[oid or ""]
        name, phone, website = body.name, body.phone, body.website
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
        "website": website or None,
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
    cat: Catalogue,
    clarification: Clarification,
    *,
    intent: str,
    choose_office: bool = False,
    heading: str = "",
) -> Reply:
    """What matters whatever the answer, then one short question with buttons (``clarify``).

    The buttons are the question's answers (one of them "Ich weiß es nicht.",
    checked by `amtslotse content check`) and a way out for people who meant
    something else. ``heading`` (a concern's name) stands above a concern's own
    question, as above its answer.
    """
    if choose_office:
        options = [
            (o.title, f'/{intent}{{"office_id": "{o.payload_id}"}}') for o in clarification.options
        ]
        candidates = list(dict.fromkeys(o.payload_id for o in clarification.options))
    else:
        options = [(o.title, f"/{INTENT_PREFIX}{o.payload_id}") for o in clarification.options]
        candidates = list(
            dict.fromkeys(
                office_id
                for o in clarification.options
                for office_id in _offices_of(cat.services[o.payload_id])
            )
        )
    way_out = _button(cat, "clarify_other", WAY_OUT)
    options.append((way_out.title, way_out.payload))
    lines = _frame(cat, "concern", service=heading) if heading else []
    return Reply(
        lines=tuple(lines + lines_of(clarification.text) + lines_of(clarification.question)),
        buttons=tuple(Button(title, payload) for title, payload in options),
        custom={
            "type": "clarify",
            # Why the bot asks (docs/interfaces.md): the office depends on the citizen's
            # situation, or the message fits two concerns. "fallback": it did not understand.
            "reason": "office" if choose_office else "concern",
            "question": clarification.question.strip(),
            "candidates": candidates,
            "options": [{"title": t, "payload": p} for t, p in options],
        },
    )


def concern_button(service: Service) -> Button:
    """A button that offers a concern (the fallback's choices): its short label, never cut."""
    return Button(service.label, f"/{INTENT_PREFIX}{service.id}")


def _book_button(cat: Catalogue, service: Service, office_id: str | None) -> Button:
    """ "Termin machen": starts the booking flow for this concern at this office.

    The payload names the concern as ``service:office`` (see amtslotse/core/concerns.py).
    """
    ref = f"{service.id}:{office_id or service.office_id}"
    return _button(cat, "button_book", f'/termin_buchen{{"service": "{ref}"}}')


def _more_buttons(
    cat: Catalogue, service: Service, office_id: str | None, *, shown: str = ""
) -> tuple[Button, ...]:
    """The details on request: booking, hours, all documents, the way there, simpler words.

    ``shown`` is the follow-up just answered (a payload above), which is not offered again.
    """
    if service.walk_in is WalkIn.URGENT:
        return ()  # the emergency numbers are the way on, never a booking
    oid = _responsible_office(service, office_id)
    if service.walk_in is WalkIn.EXTERNAL:
        wanted = [("button_simpler", FOLLOW_UP_SIMPLER), ("button_contact", FOLLOW_UP_PLACE)]
    elif oid is None:  # the question which office is still open
        wanted = [("button_simpler", FOLLOW_UP_SIMPLER)]
    else:
        wanted = [("button_hours", FOLLOW_UP_HOURS)]
        if service.documents:
            wanted.append(("button_documents", FOLLOW_UP_DOCUMENTS))
        wanted += [("button_place", FOLLOW_UP_PLACE), ("button_simpler", FOLLOW_UP_SIMPLER)]
    buttons = [_button(cat, key, payload) for key, payload in wanted if payload != shown]
    if service.bookable and oid is not None:
        buttons.insert(0, _book_button(cat, service, oid))
    return tuple(buttons)


def _who_lines(cat: Catalogue, service: Service, oid: str) -> list[str]:
    """Who helps, in a full sentence: "Das Jugend·amt hilft Ihnen." or "Das macht ..."."""
    own = service.who_for(oid)
    if service.walk_in is WalkIn.EXTERNAL:
        body = cat.external[oid]
        lines = _frame(cat, "external")
        return lines + (lines_of(own) or _frame(cat, "external_who", office=body.who or body.name))
    office = cat.offices[oid]
    return lines_of(own) or _frame(cat, "office", office=office.who or office.name)


def _visit_lines(cat: Catalogue, service: Service, location: Location) -> list[str]:
    """Walk-in or appointment, and where: "Sie brauchen einen Termin im ...".

    Without the location's ``at``/``to`` words the answer says "Ort: ...".
    """
    if service.walk_in is WalkIn.YES:
        if location.to:
            return _frame(cat, "answer_walk_in", to=location.to)
        lines = _frame(cat, "walk_in")
    else:
        if location.at:
            return _frame(cat, "answer_appointment", at=location.at)
        lines = _frame(cat, "appointment_needed")
    return lines + _frame(cat, "place", location=location.name, address=location.address.one_line())


def _external_contact(cat: Catalogue, service: Service, oid: str) -> list[str]:
    """Who does it, then the phone number and its note (the first answer)."""
    return _who_lines(cat, service, oid) + _phone_lines(cat, oid)


def _phone_lines(cat: Catalogue, oid: str) -> list[str]:
    body = cat.external[oid]
    lines = _frame(cat, "external_phone", phone=body.phone) if body.phone else []
    return lines + lines_of(body.text)


def _urgent_lines(cat: Catalogue, lead: str) -> list[str]:
    """A child in danger: the service's own words first, then the emergency numbers."""
    numbers = phrase_lines(cat, "urgent", jugendamt_phone=cat.county.jugendamt_emergency_phone)
    return lines_of(lead) + numbers


def office_reply(cat: Catalogue, service: Service, office_id: str | None = None) -> Reply:
    """The first answer: the next step, who helps, walk-in or appointment, what to bring.

    At most about 6 sentences under the concern's name; opening hours, all
    documents and the way there come behind buttons and in the card.
    """
    if service.choose_office is not None and office_id is None:
        return clarify_reply(
            cat,
            service.choose_office,
            intent=INTENT_PREFIX + service.id,
            choose_office=True,
            heading=service.name,
        )
    oid = _responsible_office(service, office_id) or ""
    remember = {"service_id": service.id, "office_id": oid}
    payload = office_payload(cat, service, oid)
    if service.walk_in is WalkIn.URGENT:
        lines = _urgent_lines(cat, service.text)
        return Reply(tuple(lines), custom=payload, remember=remember)
    lines = _frame(cat, "concern", service=service.name) + lines_of(service.text)
    if service.walk_in is WalkIn.EXTERNAL:
        lines += _external_contact(cat, service, oid)
    else:
        location = _served_at(cat, service, oid)
        assert location is not None  # county services always have a building
        lines += _who_lines(cat, service, oid)
        lines += _visit_lines(cat, service, location)
        lines += lines_of(service.bring)
        lines += lines_of(cat.county.example_notice)
    return Reply(
        tuple(lines),
        buttons=_more_buttons(cat, service, oid),
        custom=payload,
        remember=remember,
    )


def documents_reply(cat: Catalogue, service: Service, office_id: str | None = None) -> Reply:
    if service.walk_in is WalkIn.URGENT:
        return office_reply(cat, service, office_id)  # the emergency numbers, whatever is asked
    buttons = _more_buttons(cat, service, office_id, shown=FOLLOW_UP_DOCUMENTS)
    return Reply(tuple(_documents_lines(cat, service, office_id)), buttons=buttons)


def _documents_lines(cat: Catalogue, service: Service, office_id: str | None = None) -> list[str]:
    """All documents; for a body outside the county without a list: ask them.

    "Sie brauchen keine Unter·lagen." only where the county itself needs none.
    """
    if service.documents:
        return phrase_lines(cat, "documents_intro") + list(service.documents)
    oid = _responsible_office(service, office_id)
    if service.walk_in is WalkIn.EXTERNAL and oid in cat.external:
        return _frame(cat, "documents_external", office=cat.external[oid].them)
    return phrase_lines(cat, "documents_none")


def _length_lines(cat: Catalogue, service: Service) -> list[str]:
    if service.walk_in is WalkIn.NO and service.minutes:
        return phrase_lines(cat, "appointment_length", minutes=service.minutes)
    return []


def hours_reply(cat: Catalogue, service: Service, office_id: str | None = None) -> Reply:
    if service.walk_in is WalkIn.URGENT:
        return office_reply(cat, service, office_id)
    oid = _responsible_office(service, office_id)
    location = _served_at(cat, service, oid)
    if location is None:
        return _elsewhere_reply(cat, service, oid)
    lines = phrase_lines(cat, "place", location=location.name, address=location.address.one_line())
    lines += phrase_lines(cat, "hours_intro") + format_hours(cat, location.hours)
    lines += phrase_lines(cat, "holidays_closed") + _length_lines(cat, service)
    lines += lines_of(cat.county.example_notice)
    return Reply(tuple(lines), buttons=_more_buttons(cat, service, oid, shown=FOLLOW_UP_HOURS))


def accessibility_reply(cat: Catalogue, service: Service, office_id: str | None = None) -> Reply:
    if service.walk_in is WalkIn.URGENT:
        return office_reply(cat, service, office_id)
    oid = _responsible_office(service, office_id)
    location = _served_at(cat, service, oid)
    if location is None:
        return _elsewhere_reply(cat, service, oid)
    lines = phrase_lines(cat, "place", location=location.name, address=location.address.one_line())
    lines += lines_of(location.directions)
    lines += phrase_lines(cat, "accessibility_intro") + lines_of(location.accessibility.text)
    lines += lines_of(cat.county.example_notice)
    return Reply(tuple(lines), buttons=_more_buttons(cat, service, oid, shown=FOLLOW_UP_PLACE))


def _elsewhere_reply(cat: Catalogue, service: Service, oid: str | None) -> Reply:
    """A follow-up about a building, for a concern without one: who to call instead.

    An external body ("Telefon und Internet·seite"): its phone, website and
    where to find the right office, not the first answer again; only a body
    with none of these is named again. A child in danger: the numbers again;
    a question not yet answered (which office?): the question again.
    """
    if service.walk_in is WalkIn.EXTERNAL and oid:
        body = cat.external[oid]
        lines = _phone_lines(cat, oid)
        if body.website:
            lines += _frame(cat, "external_website", website=body.website)
        lines += lines_of(body.contact)
        if not lines:
            lines = _who_lines(cat, service, oid)
        buttons = _more_buttons(cat, service, oid, shown=FOLLOW_UP_PLACE)
        return Reply(tuple(lines), buttons=buttons)
    return office_reply(cat, service, oid)


def appointment_reply(cat: Catalogue, service: Service, office_id: str | None = None) -> Reply:
    if service.walk_in is WalkIn.YES:
        location = cat.location_of(cat.walk_in_office())
        lines = phrase_lines(cat, "walk_in")
        lines += phrase_lines(
            cat, "place", location=location.name, address=location.address.one_line()
        )
        return Reply(tuple(lines), buttons=_more_buttons(cat, service, office_id))
    if service.walk_in is WalkIn.NO:
        lines = phrase_lines(cat, "appointment_needed") + _length_lines(cat, service)
        if service.choose_office is not None and office_id is None:
            return Reply(tuple(lines))
        if service.bookable:
            lines += phrase_lines(cat, "offer_appointment")
        return Reply(tuple(lines), buttons=_more_buttons(cat, service, office_id))
    return office_reply(cat, service, office_id)


def simpler_reply(cat: Catalogue, service: Service, office_id: str | None = None) -> Reply:
    """'Ich verstehe das nicht': the simple text, then the hard words explained.

    A child in danger: the simple text and the emergency numbers, nothing else.
    """
    if service.walk_in is WalkIn.URGENT:
        reply = office_reply(cat, service, office_id)
        lines = _urgent_lines(cat, service.simple_text)
        return Reply(tuple(lines), custom=reply.custom, remember=reply.remember)
    lines = phrase_lines(cat, "simpler_intro") + lines_of(service.simple_text)
    explained = {e.term: e for e in cat.glossary}
    for word in service.hard_words:
        entry = explained.get(word)
        if entry is not None:
            lines += phrase_lines(cat, "glossary_intro", term=entry.term) + lines_of(
                entry.explanation
            )
    buttons = _more_buttons(cat, service, office_id, shown=FOLLOW_UP_SIMPLER)
    return Reply(tuple(lines), buttons=buttons)


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


#: The payload of an answer that says the bot did not understand (the portal counts these
#: and keeps the message, scrubbed, for the editors; docs/interfaces.md).
NOT_UNDERSTOOD = "not_understood"


def not_understood(reason: str) -> dict[str, str]:
    """``{"type": "not_understood", "reason": ...}``: "hotline" after the fallback's
    buttons did not help, or why the message could not be read (unreadable())."""
    return {"type": NOT_UNDERSTOOD, "reason": reason}


def bad_input_reply(cat: Catalogue, reason: str) -> Reply:
    """A short, polite answer to an empty, emoji-only or non-Latin message."""
    key = "other_alphabet" if reason == "other_alphabet" else "bad_input"
    return Reply(tuple(phrase_lines(cat, key)), custom=not_understood(reason))


def documents_for_many(cat: Catalogue, services: list[Service]) -> Reply:
    """ "Was muss ich mitbringen?" with several concerns on the list: for each of them."""
    lines: list[str] = []
    for service in services:
        if service.documents:
            lines += phrase_lines(cat, "booking_bring", service=service.name)
            lines += [d.strip() for d in service.documents]
        elif service.walk_in is WalkIn.EXTERNAL:
            lines += phrase_lines(cat, "booking_bring", service=service.name)
            lines += _documents_lines(cat, service)
    return Reply(tuple(lines or phrase_lines(cat, "documents_none")))
