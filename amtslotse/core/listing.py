"""What the bot says about the citizen's list of concerns.

One short sentence per concern (who helps, walk-in or appointment, or who
else), then at most one question: "Möchten Sie 1 Termin für alles im
Sozialen Kompetenz·zentrum?". Every sentence comes from answers.yml
(``list_*``); the ``concern_list`` payload goes with every answer that
changes the list. Pure functions from the catalogue and a ConcernList.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from amtslotse.core.concerns import (
    APPOINTMENT,
    EXTERNAL,
    URGENT,
    WALK_IN,
    Concern,
    ConcernList,
    Item,
    booking_groups,
)
from amtslotse.core.content.model import Catalogue
from amtslotse.core.reply import Button, Reply, phrase_lines

__all__ = [
    "BOOK",
    "PENDING",
    "book_payload",
    "item_line",
    "list_lines",
    "list_reply",
    "remove_which_reply",
    "removed_reply",
    "show_reply",
]

#: The booking intent and the separator of several concerns in one button payload.
BOOK = "termin_buchen"
REF_JOINER = "+"
#: The slot that remembers which yes/no question the bot asked last.
PENDING = "pending_question"
#: Its values.
ASK_BOOK = "book"


def _phrase(cat: Catalogue, key: str, **values: object) -> str:
    return " ".join(phrase_lines(cat, key, **values))


def service_name(cat: Catalogue, service_id: str) -> str:
    service = cat.services.get(service_id)
    return service.name if service else service_id


def book_payload(concerns: Sequence[Concern]) -> str:
    """A button that books these concerns (explicit refs: the citizen has chosen them)."""
    refs = REF_JOINER.join(c.ref for c in concerns)
    return f"/{BOOK}{json.dumps({'service': refs}, ensure_ascii=False)}"


def item_line(cat: Catalogue, item: Item, booked: Iterable[str] = ()) -> str:
    """One sentence about one concern: who helps, and whether a walk-in is enough."""
    name = service_name(cat, item.service_id)
    if item.service_id in set(booked):
        return _phrase(cat, "list_booked", service=name)
    if item.kind == URGENT:
        return _phrase(cat, "list_urgent")
    if item.kind == WALK_IN:
        return _phrase(cat, "list_walk_in", service=name)
    if item.kind == EXTERNAL:
        body = cat.external.get(item.office_id or "")
        return _phrase(cat, "list_external", service=name, body=body.them if body else "")
    if item.office_id is None:
        return _phrase(cat, "list_choose_office", service=name)
    office = cat.offices[item.office_id]
    return _phrase(cat, "list_appointment", service=name, office=office.at)


def list_lines(cat: Catalogue, concerns: ConcernList, booked: Iterable[str] = ()) -> list[str]:
    done = tuple(booked)
    return [item_line(cat, item, done) for item in concerns.items]


def place(cat: Catalogue, location_id: str) -> str:
    """The building in a sentence: \"im Sozialen Kompetenz·zentrum\"."""
    location = cat.locations.get(location_id)
    return location.at or f"im {location.name}" if location else location_id


def open_groups(
    concerns: ConcernList, booked: Iterable[str] = ()
) -> list[tuple[str, tuple[Concern, ...]]]:
    """The bookings still to make: by building, without what is booked already."""
    done = set(booked)
    return booking_groups([i for i in concerns.bookable() if i.service_id not in done])


def booking_question(
    cat: Catalogue, concerns: ConcernList, booked: Iterable[str] = ()
) -> tuple[list[str], tuple[Button, ...], dict[str, object]]:
    """The one question after the list, its buttons, and what to remember for a typed "Ja"."""
    groups = open_groups(concerns, booked)
    if not groups:
        return [], (), {PENDING: None}
    location, first = groups[0]
    lines: list[str] = []
    if len({loc for loc, _ in groups}) > 1:
        lines += phrase_lines(cat, "list_houses", count=len({loc for loc, _ in groups}))
        lines += phrase_lines(cat, "list_ask_first_house", place=place(cat, location))
        yes = (
            _phrase(cat, "list_button_book_all")
            if len(first) > 1
            else _phrase(cat, "list_button_book_one")
        )
    elif len(first) > 1:
        lines += phrase_lines(cat, "list_ask_one_visit", place=place(cat, location))
        yes = _phrase(cat, "list_button_book_all")
    else:
        lines += phrase_lines(cat, "list_ask_one", place=place(cat, location))
        yes = _phrase(cat, "list_button_book_one")
    buttons = (
        Button(yes, book_payload(first)),
        Button(_phrase(cat, "list_button_no"), "/deny"),
    )
    return lines, buttons, {PENDING: ASK_BOOK}


def list_reply(
    cat: Catalogue,
    concerns: ConcernList,
    *,
    booked: Iterable[str] = (),
    lines_before: Sequence[str] = (),
    intro: bool = True,
    ask: bool = True,
) -> Reply:
    """The list (one sentence a concern), then the one booking question; with the payload."""
    done = tuple(booked)
    lines = [*lines_before]
    if intro:
        lines += phrase_lines(cat, "list_intro")
    lines += list_lines(cat, concerns, done)
    buttons: tuple[Button, ...] = ()
    remember: dict[str, object] = {"concern_list": concerns.to_slot()}
    if ask:
        question, buttons, pending = booking_question(cat, concerns, done)
        lines += question
        remember.update(pending)
        if not question and not any(i.kind == URGENT for i in concerns.items):
            lines += phrase_lines(cat, "list_no_appointment")
    return Reply(tuple(lines), buttons=buttons, custom=concerns.payload(cat), remember=remember)


def show_reply(cat: Catalogue, concerns: ConcernList, booked: Iterable[str] = ()) -> Reply:
    """ "Was habe ich alles?": the list, and what can be done with it."""
    if not concerns.items:
        return Reply(tuple(phrase_lines(cat, "list_empty")), custom=concerns.payload(cat))
    reply = list_reply(
        cat, concerns, booked=booked, lines_before=phrase_lines(cat, "list_show_intro"), intro=False
    )
    remove = Button(_phrase(cat, "list_button_remove"), "/liste_entfernen")
    return Reply(reply.lines, (*reply.buttons, remove), reply.custom, reply.remember)


def removed_reply(
    cat: Catalogue, concerns: ConcernList, removed: Sequence[str], booked: Iterable[str] = ()
) -> Reply:
    """After "Das Wohngeld nicht mehr": which went, and the list that is left."""
    lines = [_phrase(cat, "list_removed", service=service_name(cat, s)) for s in removed]
    if not concerns.items:
        return Reply(
            (*lines, *phrase_lines(cat, "list_empty")),
            custom=concerns.payload(cat),
            remember={"concern_list": [], PENDING: None},
        )
    return list_reply(cat, concerns, booked=booked, lines_before=lines, intro=False)


def remove_which_reply(cat: Catalogue, concerns: ConcernList) -> Reply:
    """ "Das brauche ich nicht mehr" without saying what: one button per concern."""
    if not concerns.items:
        return Reply(tuple(phrase_lines(cat, "list_empty")), custom=concerns.payload(cat))
    buttons = tuple(
        Button(
            service_name(cat, i.service_id),
            f"/liste_entfernen{json.dumps({'concern': i.service_id})}",
        )
        for i in concerns.items
    )
    return Reply(tuple(phrase_lines(cat, "list_remove_which")), buttons=buttons)


def kinds(concerns: ConcernList) -> dict[str, int]:
    """How many concerns of each kind (for the statistics and the hotline summary)."""
    counts = {APPOINTMENT: 0, WALK_IN: 0, EXTERNAL: 0, URGENT: 0}
    for item in concerns.items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return counts
