"""What the bot says while booking: Leichte Sprache replies from the content.

Pure functions from the catalogue (and backend JSON) to a :class:`Reply`.
Every sentence comes from answers.yml (keys ``booking_*``), the office,
location and service files; nothing German is written here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from amtslotse.core.booking.offers import offer_payload, start_of
from amtslotse.core.concerns import Concern, bookable_offices, bookable_services
from amtslotse.core.contact import NAME_PRIVACY
from amtslotse.core.content.model import MONTH_NAMES, WEEKDAY_NAMES, Catalogue
from amtslotse.core.reply import Button, Reply, phrase_lines

# Intents the buttons send (payloads ``/intent{...}``), as named in bot/domain/termin.yml.
BOOK = "termin_buchen"
CHOOSE = "termin_waehlen"
OTHER_TIMES = "termin_andere_zeiten"
CONFIRM_AGAIN = "termin_bestaetigen"
# Several concerns travel in one ``service`` entity, joined by this sign.
REF_JOINER = "+"


def _phrase(cat: Catalogue, key: str, **values: Any) -> str:
    return " ".join(phrase_lines(cat, key, **values))


def _payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities, ensure_ascii=False)}" if entities else f"/{intent}"


def book_payload(concerns: Sequence[Concern]) -> str:
    """The payload of a button that books these concerns."""
    return _payload(BOOK, service=REF_JOINER.join(c.ref for c in concerns))


def book_button(cat: Catalogue, concerns: Sequence[Concern], key: str) -> Button:
    return Button(_phrase(cat, key), book_payload(concerns))


def clock(t: datetime) -> str:
    return f"{t.hour} Uhr" if t.minute == 0 else f"{t.hour}:{t.minute:02d} Uhr"


def time_words(cat: Catalogue, t: datetime) -> str:
    """ "Dienstag, 8. Dezember, 9:30 Uhr" (local time, as the backend sends it)."""
    return _phrase(
        cat,
        "booking_time",
        weekday=WEEKDAY_NAMES[t.weekday()],
        day=t.day,
        month=MONTH_NAMES[t.month - 1],
        clock=clock(t),
    )


def _office_name(cat: Catalogue, office_id: str) -> str:
    office = cat.offices.get(office_id)
    return office.name if office else office_id


def _service_name(cat: Catalogue, service_id: str) -> str:
    service = cat.services.get(service_id)
    return service.name if service else service_id


# -- collecting concerns ---------------------------------------------------------


def ask_office_reply(cat: Catalogue) -> Reply:
    buttons = tuple(
        Button(_office_name(cat, o), _payload(BOOK, office=o)) for o in bookable_offices(cat)
    )
    return Reply(tuple(phrase_lines(cat, "booking_ask_office")), buttons=buttons)


def ask_service_reply(cat: Catalogue, office_id: str, lines: Sequence[str] = ()) -> Reply:
    """Which of the office's bookable services: one button each."""
    buttons = tuple(
        Button(s.name, _payload(BOOK, service=Concern(s.id, office_id).ref))
        for s in bookable_services(cat, office_id)
    )
    text = [*lines, *phrase_lines(cat, "booking_ask_service", office=_office_name(cat, office_id))]
    return Reply(tuple(text), buttons=buttons)


def concerns_lines(cat: Catalogue, concerns: Sequence[Concern]) -> list[str]:
    lines = phrase_lines(cat, "booking_concerns_intro")
    for c in concerns:
        lines += phrase_lines(
            cat,
            "booking_concern",
            office=_office_name(cat, c.office_id),
            service=_service_name(cat, c.service_id),
        )
    return lines


def _location_name(cat: Catalogue, location_id: str) -> str:
    location = cat.locations.get(location_id)
    return location.name if location else location_id


def split_lines(cat: Catalogue, location_id: str) -> list[str]:
    return phrase_lines(cat, "booking_split", location=_location_name(cat, location_id))


# -- offering times ----------------------------------------------------------------


def _option_title(cat: Catalogue, bundle: dict[str, Any]) -> str:
    return time_words(cat, start_of(bundle))


def offer_reply(
    cat: Catalogue,
    options: Sequence[dict[str, Any]],
    lines: Sequence[str] = (),
) -> Reply:
    """Up to 3 times as buttons plus "Andere Zeiten", and the ``booking_offer`` payload."""
    text = [*lines, *phrase_lines(cat, "booking_offer_intro")]
    if any(len(b["legs"]) > 1 for b in options):
        text += phrase_lines(cat, "booking_offer_combined")
    text += phrase_lines(cat, "booking_offer_wish")
    buttons = [
        Button(_option_title(cat, b), _payload(CHOOSE, bundle_id=b["bundle_id"])) for b in options
    ]
    buttons.append(Button(_phrase(cat, "booking_button_other_times"), _payload(OTHER_TIMES)))
    return Reply(
        tuple(text),
        buttons=tuple(buttons),
        custom=offer_payload(options),
        remember={"booking_offer": [dict(b) for b in options]},
    )


def none_free_reply(cat: Catalogue, lines: Sequence[str] = ()) -> Reply:
    return Reply(
        (*lines, *phrase_lines(cat, "booking_none_free", phone=cat.county.hotline_phone)),
        remember={"booking_offer": None},
    )


def no_match_lines(cat: Catalogue) -> list[str]:
    return phrase_lines(cat, "booking_no_match")


def slot_taken_lines(cat: Catalogue) -> list[str]:
    return phrase_lines(cat, "booking_slot_taken")


def unavailable_reply(cat: Catalogue, *, retry: bool = False) -> Reply:
    """Backend down or slow: the hotline; with a retry button where a booking was under way."""
    buttons = (
        (Button(_phrase(cat, "booking_button_retry"), _payload(CONFIRM_AGAIN)),) if retry else ()
    )
    return Reply(
        tuple(phrase_lines(cat, "booking_unavailable", phone=cat.county.hotline_phone)),
        buttons=buttons,
    )


# -- name and contact --------------------------------------------------------------


def privacy_reply(cat: Catalogue, days: int) -> Reply:
    """The privacy notice; ``days`` is how long the backend keeps the contact after the
    appointment (SCHEDULING_PURGE_AFTER_DAYS), so the notice says what really happens."""
    return Reply(
        tuple(phrase_lines(cat, "booking_privacy", days=days)),
        buttons=(
            Button(_phrase(cat, "booking_button_privacy_yes"), "/affirm"),
            Button(_phrase(cat, "booking_button_privacy_no"), "/deny"),
        ),
    )


def privacy_declined_reply(cat: Catalogue) -> Reply:
    return Reply(
        tuple(phrase_lines(cat, "booking_privacy_declined", phone=cat.county.hotline_phone))
    )


def simple_reply(cat: Catalogue, key: str) -> Reply:
    """A reply of one sentence frame without placeholders (questions, re-asks)."""
    return Reply(tuple(phrase_lines(cat, key)))


def name_problem_reply(cat: Catalogue, problem: str | None, *, days: int) -> Reply:
    """Before the name is asked again: why the name is needed, or what to write.

    ``days`` as in :func:`privacy_reply`: the reason tells how long the name is kept.
    """
    if problem == NAME_PRIVACY:
        return Reply(tuple(phrase_lines(cat, "booking_name_why", days=days)))
    return simple_reply(cat, "booking_name_invalid")


# -- the booking -------------------------------------------------------------------


def legs_payload(cat: Catalogue, legs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The contract's leg fields, plus the office's name for cards that show the legs."""
    return [
        {
            **{k: leg[k] for k in ("service_id", "office_id", "start", "end")},
            "office_name": _office_name(cat, leg["office_id"]),
        }
        for leg in legs
    ]


def summary_lines(cat: Catalogue, booking: dict[str, Any]) -> list[str]:
    """Each office with its time, the building's address, what to bring per concern."""
    lines: list[str] = []
    for leg in booking["legs"]:
        lines += phrase_lines(
            cat,
            "booking_leg",
            office=_office_name(cat, leg["office_id"]),
            time=time_words(cat, start_of(leg)),
        )
    location = cat.locations.get(str(booking.get("location_id")))
    if location is not None:
        lines += phrase_lines(
            cat, "place", location=location.name, address=location.address.one_line()
        )
    for leg in booking["legs"]:
        service = cat.services.get(leg["service_id"])
        if service is not None and service.documents:
            lines += phrase_lines(cat, "booking_bring", service=service.name)
            lines += [d.strip() for d in service.documents]
    return lines


def confirmed_reply(cat: Catalogue, booking: dict[str, Any], secret: str) -> Reply:
    """The booking, its code and the PIN (never a longer secret in the text).

    ``secret`` is what this conversation keeps to show or cancel the booking
    later: its access token, which is never shown. The citizen sees the
    code and the PIN only (the PIN opens the booking in a fresh conversation).
    """
    code = str(booking["booking_code"])
    pin = str(booking.get("pin") or "")
    lines = phrase_lines(cat, "booking_confirmed") + summary_lines(cat, booking)
    lines += phrase_lines(cat, "booking_code", code=code, pin=pin or "–")
    lines += [ln.strip() for ln in cat.county.example_notice.splitlines() if ln.strip()]
    return Reply(
        tuple(lines),
        custom={
            "type": "booking_confirmed",
            "booking_code": code,
            "location_id": booking.get("location_id"),
            "start": booking.get("start"),
            "end": booking.get("end"),
            "legs": legs_payload(cat, booking["legs"]),
            "ics_url": booking.get("ics_url"),
            "pin": pin or None,
        },
        remember={"booking_code": code, "booking_token": secret},
    )


def show_reply(cat: Catalogue, booking: dict[str, Any]) -> Reply:
    cancelled = booking.get("status") == "cancelled"
    key = "booking_show_cancelled" if cancelled else "booking_show"
    return Reply(tuple(phrase_lines(cat, key) + summary_lines(cat, booking)))


def concerns_of(booking: dict[str, Any]) -> list[Concern]:
    return [Concern(leg["service_id"], leg["office_id"]) for leg in booking.get("legs") or []]


def cancelled_reply(cat: Catalogue, booking: dict[str, Any]) -> Reply:
    """Cancelled: the code, and a button for new times for the same concerns."""
    code = str(booking["booking_code"])
    concerns = concerns_of(booking)
    buttons = (book_button(cat, concerns, "booking_button_new"),) if concerns else ()
    return Reply(
        tuple(phrase_lines(cat, "booking_cancelled", code=code)),
        buttons=buttons,
        custom={"type": "booking_cancelled", "booking_code": code},
    )


def not_found_reply(cat: Catalogue) -> Reply:
    return Reply(tuple(phrase_lines(cat, "booking_not_found", phone=cat.county.hotline_phone)))


def locked_reply(cat: Catalogue, retry_after_seconds: Any) -> Reply:
    """Too many wrong PINs (the backend's 423 or 429): how long to wait, or call.

    ``retry_after_seconds`` is the problem's member; without one, the code's lock (15 minutes).
    """
    seconds = retry_after_seconds if isinstance(retry_after_seconds, int) else 15 * 60
    minutes = max(1, -(-seconds // 60))  # rounded up: never "0 Minuten"
    return Reply(
        tuple(phrase_lines(cat, "booking_locked", minutes=minutes, phone=cat.county.hotline_phone))
    )
