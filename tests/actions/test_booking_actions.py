"""Booking actions with in-memory trackers against a fake scheduling API (aiohttp).

The actions reach ``release_hold`` through FakeClient (the real client plus
a recorded ``release_hold`` whose outcome a test sets), so a test can make the
release fail in any way; the client's own release over HTTP is tested against
FakeBackend's ``DELETE /holds/{hold_id}``.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from aiohttp import web
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import booking
from actions.api.scheduling import (
    SchedulingClient,
    SchedulingProblem,
    SchedulingUnavailable,
    scheduling_client,
)
from actions.booking import (
    ActionBookingConfirm,
    ActionBookingHold,
    ActionBookingSearch,
    ActionBookingStart,
)
from actions.booking_forms import ValidateBookingContactForm, ValidateBookingLookupForm
from actions.booking_manage import ActionBookingManage

TOKEN = "secret-token-abcdefghijklmnop123"


def in_minutes(minutes: int) -> str:
    """An RFC 3339 time relative to now, as the backend writes expires_at."""
    return (datetime.now(timezone.utc) + timedelta(minutes=minutes)).isoformat()


def held(hold_id: str = "h-old", minutes: int = 8) -> dict:
    """A booking_hold slot value as ActionBookingHold stores it."""
    return {
        "hold_id": hold_id,
        "bundle_id": "bundle-2",
        "location_id": "skz",
        "expires_at": in_minutes(minutes),
        "legs": [],
    }


def leg(service: str, office: str, start: str, end: str) -> dict:
    return {"service_id": service, "office_id": office, "start": start, "end": end}


def bundle(n: int, services: list[tuple[str, str]]) -> dict:
    day = 9 + n
    legs = [
        leg(
            s,
            o,
            f"2025-12-{day:02d}T09:{30 * i:02d}:00+01:00",
            f"2025-12-{day:02d}T09:{30 * i + 29:02d}:00+01:00",
        )
        for i, (s, o) in enumerate(services)
    ]
    return {
        "bundle_id": f"bundle-{n}",
        "location_id": "skz",
        "start": legs[0]["start"],
        "end": legs[-1]["end"],
        "legs": legs,
    }


class FakeBackend:
    """Records requests; answers like /api/v1 (problem+json on errors)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, Any]] = []
        self.bookings: dict[str, dict] = {}
        self.taken: set[str] = set()
        self.released: set[str] = set()
        self.slow = False
        self.book_problem: tuple[int, str] | None = None
        # What FakeClient.release_hold does: a bool to answer, or an exception to raise.
        self.release_outcome: bool | Exception = True
        self.release_delay = 0.0  # seconds FakeClient.release_hold takes
        self.down = False  # answers 503 (DELETE /holds only)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/api/v1/availability", self.availability)
        app.router.add_post("/api/v1/holds", self.hold)
        app.router.add_delete("/api/v1/holds/{hold_id}", self.release)
        app.router.add_post("/api/v1/bookings", self.book)
        app.router.add_delete("/api/v1/bookings/{code}", self.cancel)
        return app

    @staticmethod
    def problem(status: int, slug: str, **extra: Any) -> web.Response:
        body = {"type": f"urn:amtslotse:problem:{slug}", "status": status, **extra}
        return web.json_response(body, status=status, content_type="application/problem+json")

    async def availability(self, request: web.Request) -> web.Response:
        services = request.query.getall("service")
        self.requests.append(("GET", "availability", services))
        if self.slow:
            await asyncio.sleep(10)
        pairs = [tuple(s.split(":")) for s in services]
        if any(o == "kfz_zulassung" for _, o in pairs) and len(pairs) > 1:
            locations = {s: ("kreishaus" if o == "kfz_zulassung" else "skz") for s, o in pairs}
            return self.problem(400, "mixed-locations", locations=locations)
        return web.json_response({"bundles": [bundle(n, pairs) for n in range(5)]})

    async def hold(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(("POST", "holds", body))
        if body["bundle_id"] in self.taken:
            alts = [bundle(n, [("wohngeld", "wohngeldstelle")]) for n in (3, 4)]
            return self.problem(409, "slot-taken", alternatives=alts)
        return web.json_response(
            {"hold_id": "h" * 32, "expires_at": in_minutes(10), "location_id": "skz", "legs": []},
            status=201,
        )

    async def release(self, request: web.Request) -> web.Response:
        hold_id = request.match_info["hold_id"]
        self.requests.append(("DELETE", "holds", hold_id))
        if self.down:
            return self.problem(503, "unavailable")
        if hold_id == "b" * 32:
            return self.problem(409, "hold-already-booked")
        if hold_id != "h" * 32 or hold_id in self.released:
            return self.problem(404, "not-found")
        self.released.add(hold_id)
        return web.Response(status=204)

    async def book(self, request: web.Request) -> web.Response:
        body = await request.json()
        key = request.headers["Idempotency-Key"]
        self.requests.append(("POST", "bookings", key))
        if self.book_problem:
            status, slug = self.book_problem
            alts = [bundle(n, [("wohngeld", "wohngeldstelle")]) for n in (3, 4)]
            return self.problem(status, slug, alternatives=alts if status == 409 else [])
        if key not in self.bookings:
            self.bookings[key] = {
                **bundle(0, [("wohngeld", "wohngeldstelle")]),
                "booking_code": f"K7M4-PQ{len(self.bookings) + 2}X",
                "status": "confirmed",
                "access_token": TOKEN,
                "ics_url": "/api/v1/bookings/K7M4-PQ2X/ics",
                "contact": body["contact"],
            }
        return web.json_response(self.bookings[key], status=201)

    async def cancel(self, request: web.Request) -> web.Response:
        self.requests.append(
            ("DELETE", request.match_info["code"], request.headers.get("Authorization"))
        )
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.problem(401, "unauthorized")
        return web.json_response(
            {
                **bundle(0, [("wohngeld", "wohngeldstelle")]),
                "booking_code": request.match_info["code"],
                "status": "cancelled",
            }
        )


class FakeClient:
    """The real client against the fake backend, plus a recorded ``release_hold``."""

    def __init__(self, backend: FakeBackend) -> None:
        self.backend = backend
        self.real = scheduling_client()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    async def release_hold(self, hold_id: str) -> bool:
        await asyncio.sleep(self.backend.release_delay)
        self.backend.requests.append(("DELETE", "holds", hold_id))
        if isinstance(self.backend.release_outcome, Exception):
            raise self.backend.release_outcome
        return self.backend.release_outcome


@pytest.fixture
async def backend(aiohttp_server, monkeypatch):
    fake = FakeBackend()
    server = await aiohttp_server(fake.app())
    monkeypatch.setenv("SCHEDULING_URL", str(server.make_url("")).rstrip("/"))
    monkeypatch.setattr("actions.booking.scheduling_client", lambda: FakeClient(fake))
    return fake


def released(backend: FakeBackend) -> list[str]:
    return [
        hold_id
        for method, what, hold_id in backend.requests
        if (method, what) == ("DELETE", "holds")
    ]


def calls(backend: FakeBackend) -> list[tuple[str, str]]:
    return [(method, what) for method, what, _ in backend.requests]


def tracker(
    intent: str, *, text: str = "", slots: dict | None = None, entities=(), sender: str = "user-1"
) -> Tracker:
    message = {
        "text": text or f"/{intent}",
        "intent": {"name": intent, "confidence": 0.9},
        "entities": list(entities),
    }
    return Tracker(sender, slots or {}, message, [], False, None, {}, "action_listen")


async def run(action, t: Tracker) -> tuple[list[dict], dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def customs(messages: list[dict], kind: str) -> list[dict]:
    return [m["custom"] for m in messages if (m.get("custom") or {}).get("type") == kind]


def text(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def office(value: str) -> dict:
    return {"entity": "office", "value": value}


async def test_three_offices_ask_then_offer_one_combined_bundle(backend):
    t = tracker(
        "termin_buchen",
        text="Termine beim Jobcenter, Sozialamt und Jugendamt",
        entities=[office("jobcenter"), office("sozialamt"), office("jugendamt")],
    )
    messages, slots = await run(ActionBookingStart(), t)
    assert slots["booking_pending"] == ["jobcenter", "sozialamt", "jugendamt"]
    assert all("termin_buchen" in b["payload"] for b in messages[0]["buttons"])
    chosen = [
        "buergergeld_antrag:jobcenter",
        "grundsicherung_alter:sozialamt",
        "elterngeld:jugendamt",
    ]
    for ref in chosen:
        t = tracker("termin_buchen", slots=slots, entities=[{"entity": "service", "value": ref}])
        messages, new = await run(ActionBookingStart(), t)
        slots = {**slots, **new}
    assert slots["booking_services"] == chosen
    [offer] = customs(messages, "booking_offer")
    assert len(offer["options"]) == 3 and len(offer["options"][0]["legs"]) == 3
    assert messages[0]["buttons"][-1]["payload"] == "/termin_andere_zeiten"
    assert backend.requests[-1] == ("GET", "availability", chosen)


async def test_walk_in_and_child_protection_are_never_booked(backend):
    for service in ("beglaubigung", "kinderschutz", "kindergeld"):
        t = tracker("termin_buchen", entities=[{"entity": "service", "value": service}])
        messages, slots = await run(ActionBookingStart(), t)
        assert not customs(messages, "booking_offer") and not slots["booking_services"]
    assert not backend.requests


async def test_different_buildings_are_split_and_booked_separately(backend):
    t = tracker(
        "termin_buchen",
        entities=[
            {"entity": "service", "value": "wohngeld:wohngeldstelle+kfz_zulassen:kfz_zulassung"}
        ],
    )
    messages, slots = await run(ActionBookingStart(), t)
    assert "Die Ämter sind in verschiedenen Häusern." in text(messages)
    assert slots["booking_services"] == ["wohngeld:wohngeldstelle"]
    assert slots["booking_later"] == ["kfz_zulassen:kfz_zulassung"]
    assert customs(messages, "booking_offer")


async def test_a_time_wish_in_the_first_message_is_used(backend):
    t = tracker(
        "termin_buchen",
        text="Termin Wohngeldstelle, aber nicht am Mittwoch",
        entities=[office("wohngeldstelle")],
    )
    messages, slots = await run(ActionBookingStart(), t)
    assert slots["booking_when"]["excluded_weekdays"] == [2]
    [offer] = customs(messages, "booking_offer")
    # bundle 1 is on Wednesday 10 December: left out.
    assert "bundle-1" not in [o["bundle_id"] for o in offer["options"]]


async def test_taken_slot_offers_the_alternatives_at_once(backend):
    backend.taken.add("bundle-0")
    t = tracker("termin_waehlen", entities=[{"entity": "bundle_id", "value": "bundle-0"}])
    messages, slots = await run(ActionBookingHold(), t)
    assert slots["booking_hold"] is None
    assert [o["bundle_id"] for o in customs(messages, "booking_offer")[0]["options"]] == [
        "bundle-3",
        "bundle-4",
    ]


async def test_hold_then_book_twice_books_once(backend):
    t = tracker("termin_waehlen", entities=[{"entity": "bundle_id", "value": "bundle-0"}])
    _, slots = await run(ActionBookingHold(), t)
    assert slots["booking_hold"]["hold_id"] == "h" * 32
    slots.update(
        booking_privacy=True, contact_name="Erika Mustermann", contact_value="+491711234567"
    )
    first, events = await run(ActionBookingConfirm(), tracker("kontakt_angabe", slots=slots))
    again, _ = await run(ActionBookingConfirm(), tracker("kontakt_angabe", slots=slots))
    assert len(backend.bookings) == 1
    [confirmed] = customs(first, "booking_confirmed")
    assert confirmed["booking_code"] == customs(again, "booking_confirmed")[0]["booking_code"]
    assert "Ich habe Ihren Termin gebucht." in text(first)
    assert "Wohn·geld·stelle: Dienstag, 9. Dezember, 9 Uhr." in text(first)
    assert events["booking_code"] == confirmed["booking_code"] and events["booking_hold"] is None


async def test_declined_privacy_books_nothing(backend):
    slots = {"booking_hold": {"hold_id": "h"}, "booking_privacy": False}
    messages, events = await run(ActionBookingConfirm(), tracker("deny", slots=slots))
    assert "Ich buche den Termin nicht." in text(messages)
    assert not backend.bookings and events["booking_services"] is None


async def test_backend_down_names_the_hotline(monkeypatch):
    monkeypatch.setenv("SCHEDULING_URL", "http://127.0.0.1:9")  # nothing listens there
    t = tracker("termin_buchen", entities=[office("wohngeldstelle")])
    messages, slots = await run(ActionBookingStart(), t)
    assert "Bürger·telefon: 03496 0000-0." in text(messages)
    assert slots["booking_services"] == ["wohngeld:wohngeldstelle"]


async def test_slow_backend_times_out_quickly(backend):
    backend.slow = True
    client = SchedulingClient(scheduling_client().base_url, timeout=0.2)
    with pytest.raises(SchedulingUnavailable):
        await client.availability(["wohngeld"], date(2025, 12, 1), date(2025, 12, 5))
    # GETs are retried: 3 attempts in all.
    assert len([r for r in backend.requests if r[1] == "availability"]) == 3


async def test_release_hold_says_whether_it_freed_the_time(backend):
    client = scheduling_client()
    assert await client.release_hold("h" * 32) is True
    assert await client.release_hold("h" * 32) is False  # released already (404)
    assert await client.release_hold("b" * 32) is False  # booked: cancel instead (409)
    assert await client.release_hold("../bookings/K7M4-PQ2X") is False  # stays a hold id
    assert [r[2] for r in backend.requests if r[1] == "holds"][-1] == "../bookings/K7M4-PQ2X"


async def test_release_hold_is_retried_then_reports_the_backend_down(backend):
    backend.down = True
    with pytest.raises(SchedulingUnavailable):
        await scheduling_client().release_hold("h" * 32)
    # Retried like the GETs (a repeated release changes nothing): 3 attempts.
    assert len([r for r in backend.requests if r[:2] == ("DELETE", "holds")]) == 3


async def test_invalid_phone_is_re_asked_with_the_format():
    form = ValidateBookingContactForm()
    dispatcher = CollectingDispatcher()
    out = form.validate_contact_value("12345", dispatcher, tracker("kontakt_angabe"), {})
    assert out == {"contact_value": None}
    assert "Eine Telefon·nummer sieht so aus" in dispatcher.messages[0]["text"]
    out = form.validate_contact_value(
        "0171 1234567", CollectingDispatcher(), tracker("kontakt_angabe"), {}
    )
    assert out == {"contact_value": "+491711234567"}


async def test_cancel_a_booking_of_this_conversation(backend):
    slots = {
        "booking_code": "K7M4-PQ2X",
        "booking_token": TOKEN,
        "booking_purpose": "cancel",
    }
    messages, events = await run(ActionBookingManage(), tracker("termin_absagen", slots=slots))
    assert customs(messages, "booking_cancelled") == [
        {"type": "booking_cancelled", "booking_code": "K7M4-PQ2X"}
    ]
    assert messages[0]["buttons"][0]["payload"].startswith("/termin_buchen")
    assert events["booking_code"] is None


async def test_cancel_with_a_wrong_token_says_not_found(backend):
    slots = {"lookup_code": "K7M4-PQ2X", "lookup_token": "wrong", "booking_purpose": "cancel"}
    messages, _ = await run(ActionBookingManage(), tracker("kontakt_angabe", slots=slots))
    assert "Ich finde diesen Termin nicht." in text(messages)


# -- holds no longer wanted are released -------------------------------------------


async def test_new_concerns_release_the_held_time_before_searching(backend):
    slots = {"booking_services": ["wohngeld:wohngeldstelle"], "booking_hold": held()}
    t = tracker("termin_buchen", slots=slots, entities=[office("sozialamt")])
    _, events = await run(ActionBookingStart(), t)
    assert released(backend) == ["h-old"]
    assert calls(backend)[0] == ("DELETE", "holds")  # its desks count as free in the search
    assert events["booking_hold"] is None


@pytest.mark.parametrize(
    ("intent", "text"),
    [("termin_andere_zeiten", "/termin_andere_zeiten"), ("termin_zeit", "Dienstag nachmittag")],
)
async def test_other_times_release_the_held_time(backend, intent, text):
    slots = {
        "booking_services": ["wohngeld:wohngeldstelle"],
        "booking_offer": [bundle(0, [("wohngeld", "wohngeldstelle")])],
        "booking_hold": held(),
    }
    messages, events = await run(ActionBookingSearch(), tracker(intent, text=text, slots=slots))
    assert released(backend) == ["h-old"]
    assert calls(backend) == [("DELETE", "holds"), ("GET", "availability")]
    assert events["booking_hold"] is None and customs(messages, "booking_offer")


@pytest.mark.parametrize(
    ("action", "intent", "entities"),
    [
        (ActionBookingSearch(), "termin_andere_zeiten", []),
        (ActionBookingStart(), "termin_buchen", [office("sozialamt")]),
    ],
)
async def test_other_times_or_new_concerns_end_an_open_contact_form(
    backend, action, intent, entities
):
    slots = {"booking_services": ["wohngeld:wohngeldstelle"], "booking_hold": held()}
    t = tracker(intent, slots=slots, entities=entities)
    t.active_loop = {"name": "booking_contact_form"}
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, t, {})
    assert {"event": "active_loop", "name": None} in [
        {k: e.get(k) for k in ("event", "name")} for e in events
    ]
    outside = await action.run(CollectingDispatcher(), tracker(intent, slots=slots), {})
    assert not [e for e in outside if e["event"] == "active_loop"]


async def test_picking_another_time_releases_the_earlier_hold_first(backend):
    t = tracker(
        "termin_waehlen",
        slots={"booking_hold": held()},
        entities=[{"entity": "bundle_id", "value": "bundle-0"}],
    )
    _, events = await run(ActionBookingHold(), t)
    assert calls(backend) == [("DELETE", "holds"), ("POST", "holds")]
    assert released(backend) == ["h-old"]
    assert events["booking_hold"]["hold_id"] == "h" * 32


async def test_picking_a_taken_time_releases_the_earlier_hold_once(backend):
    backend.taken.add("bundle-0")
    t = tracker(
        "termin_waehlen",
        slots={"booking_hold": held()},
        entities=[{"entity": "bundle_id", "value": "bundle-0"}],
    )
    messages, events = await run(ActionBookingHold(), t)
    assert released(backend) == ["h-old"]
    assert events["booking_hold"] is None and customs(messages, "booking_offer")


async def test_declined_privacy_releases_the_hold(backend):
    slots = {"booking_hold": held("h-mine"), "booking_privacy": False}
    messages, events = await run(ActionBookingConfirm(), tracker("deny", slots=slots))
    assert released(backend) == ["h-mine"]
    assert "Ich buche den Termin nicht." in text(messages)
    assert events["booking_hold"] is None and not backend.bookings


@pytest.mark.parametrize(
    ("problem", "offers"), [((409, "slot-taken"), True), ((422, "invalid-contact"), False)]
)
async def test_a_failed_booking_releases_its_hold(backend, problem, offers):
    backend.book_problem = problem
    slots = {
        "booking_hold": held("h-mine"),
        "booking_privacy": True,
        "contact_name": "Erika Mustermann",
        "contact_value": "+491711234567",
    }
    messages, events = await run(ActionBookingConfirm(), tracker("kontakt_angabe", slots=slots))
    assert released(backend) == ["h-mine"]
    assert events["booking_hold"] is None
    assert bool(customs(messages, "booking_offer")) is offers


async def test_a_booked_hold_and_a_retry_are_not_released(backend):
    slots = {
        "booking_hold": held("h-mine"),
        "booking_privacy": True,
        "contact_name": "Erika Mustermann",
        "contact_value": "+491711234567",
    }
    await run(ActionBookingConfirm(), tracker("kontakt_angabe", slots=slots))
    assert backend.bookings and not released(backend)


async def test_nothing_held_or_already_expired_is_not_released(backend):
    for hold in (None, {"bundle_id": "bundle-0"}, held(minutes=-1)):
        t = tracker("termin_buchen", slots={"booking_hold": hold}, entities=[office("sozialamt")])
        await run(ActionBookingStart(), t)
    assert not released(backend)


@pytest.mark.parametrize(
    "failure",
    [
        False,  # unknown, expired or booked meanwhile (404/409)
        SchedulingUnavailable("DELETE /holds/h-mine: 503"),
        SchedulingProblem(400, {"type": "urn:amtslotse:problem:bad-request"}),
        AttributeError("release_hold"),  # anything else: the booking still goes on
    ],
)
async def test_a_failed_release_changes_nothing_for_the_citizen(backend, failure):
    slots = {"booking_hold": held("h-mine"), "booking_privacy": False}
    expected, expected_events = await run(ActionBookingConfirm(), tracker("deny", slots=slots))
    backend.release_outcome = failure
    messages, events = await run(ActionBookingConfirm(), tracker("deny", slots=slots))
    assert released(backend) == ["h-mine", "h-mine"]
    assert messages == expected and events == expected_events

    t = tracker(
        "termin_waehlen", slots=slots, entities=[{"entity": "bundle_id", "value": "bundle-0"}]
    )
    _, events = await run(ActionBookingHold(), t)
    assert events["booking_hold"]["hold_id"] == "h" * 32


# -- the name question -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Erika Mustermann", "Erika Mustermann"),
        ("Ich heiße Jana Becker", "Jana Becker"),
        ("Mein Name ist Peter Wagner.", "Peter Wagner"),
    ],
)
async def test_a_name_is_stored_without_a_reply(typed, stored):
    dispatcher = CollectingDispatcher()
    out = ValidateBookingContactForm().validate_contact_name(
        typed, dispatcher, tracker("kontakt_angabe", text=typed), {}
    )
    assert out == {"contact_name": stored} and not dispatcher.messages


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("Warum brauchen Sie meinen Namen?", "Das Amt braucht Ihren Namen für den Termin."),
        ("Was passiert mit meinen Daten", "Nach dem Termin löscht das Amt Ihre Daten."),
        ("ich weiß nicht", "Bitte schreiben Sie nur Ihren Namen."),
        ("Ich möchte doch lieber am Freitag", "Zum Beispiel: Anna Müller."),
        ("0171 1234567", "Bitte schreiben Sie nur Ihren Namen."),
    ],
)
async def test_no_name_is_explained_and_asked_again(typed, says):
    dispatcher = CollectingDispatcher()
    out = ValidateBookingContactForm().validate_contact_name(
        typed, dispatcher, tracker("kontakt_angabe", text=typed), {}
    )
    assert out == {"contact_name": None}
    assert says in text(dispatcher.messages)


# -- finding a booking by what the citizen types -----------------------------------


async def test_typed_code_and_token_find_and_cancel_the_booking(backend):
    form = ValidateBookingLookupForm()
    t = tracker("kontakt_angabe", text="Mein Code ist k7m4 pq2x")
    slots = form.validate_lookup_code(t.latest_message["text"], CollectingDispatcher(), t, {})
    assert slots == {"lookup_code": "K7M4-PQ2X"}  # the token is asked next
    t = tracker("kontakt_angabe", text=f"Das Geheimwort ist {TOKEN}")
    slots |= form.validate_lookup_token(t.latest_message["text"], CollectingDispatcher(), t, {})
    assert slots == {"lookup_code": "K7M4-PQ2X", "lookup_token": TOKEN}
    messages, events = await run(
        ActionBookingManage(),
        tracker("kontakt_angabe", slots={**slots, "booking_purpose": "cancel"}),
    )
    assert backend.requests[-1] == ("DELETE", "K7M4-PQ2X", f"Bearer {TOKEN}")
    assert customs(messages, "booking_cancelled")[0]["booking_code"] == "K7M4-PQ2X"
    assert events["lookup_code"] is None and events["lookup_token"] is None


async def test_pasted_confirmation_fills_code_and_token_at_once():
    typed = f"Ihre Termin·nummer: K7M4-PQ2X. Ihr Geheim·wort: {TOKEN}."
    out = ValidateBookingLookupForm().validate_lookup_code(
        typed, CollectingDispatcher(), tracker("kontakt_angabe", text=typed), {}
    )
    assert out == {"lookup_code": "K7M4-PQ2X", "lookup_token": TOKEN}


async def test_a_typed_text_without_a_code_is_asked_again():
    dispatcher = CollectingDispatcher()
    out = ValidateBookingLookupForm().validate_lookup_code(
        "weiß ich nicht mehr", dispatcher, tracker("kontakt_angabe"), {}
    )
    assert out == {"lookup_code": None}
    assert "Eine Termin·nummer hat 8 Zeichen." in text(dispatcher.messages)


async def test_a_slow_release_goes_on_after_the_reply(backend, monkeypatch):
    monkeypatch.setattr(booking, "RELEASE_WAIT", 0.05)
    backend.release_delay = 0.5
    slots = {"booking_hold": held("h-mine"), "booking_privacy": False}
    started = asyncio.get_running_loop().time()
    messages, _ = await run(ActionBookingConfirm(), tracker("deny", slots=slots))
    assert asyncio.get_running_loop().time() - started < 0.4
    assert "Ich buche den Termin nicht." in text(messages) and not released(backend)
    await asyncio.gather(*booking._releasing)
    assert released(backend) == ["h-mine"]
