"""Booking actions with in-memory trackers against a fake scheduling API (aiohttp)."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

import pytest
from aiohttp import web
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.api.scheduling import SchedulingClient, SchedulingUnavailable, scheduling_client
from actions.booking import ActionBookingConfirm, ActionBookingHold, ActionBookingStart
from actions.booking_forms import ValidateBookingContactForm
from actions.booking_manage import ActionBookingManage

START = "2025-12-09T09:00:00+01:00"


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
        self.slow = False

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/api/v1/availability", self.availability)
        app.router.add_post("/api/v1/holds", self.hold)
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
            {"hold_id": "h" * 32, "expires_at": START, "location_id": "skz", "legs": []},
            status=201,
        )

    async def book(self, request: web.Request) -> web.Response:
        body = await request.json()
        key = request.headers["Idempotency-Key"]
        self.requests.append(("POST", "bookings", key))
        if key not in self.bookings:
            self.bookings[key] = {
                **bundle(0, [("wohngeld", "wohngeldstelle")]),
                "booking_code": f"K7M4-PQ{len(self.bookings) + 2}X",
                "status": "confirmed",
                "access_token": "secret-token-abcdefghijklmnop123",
                "ics_url": "/api/v1/bookings/K7M4-PQ2X/ics",
                "contact": body["contact"],
            }
        return web.json_response(self.bookings[key], status=201)

    async def cancel(self, request: web.Request) -> web.Response:
        self.requests.append(
            ("DELETE", request.match_info["code"], request.headers.get("Authorization"))
        )
        if request.headers.get("Authorization") != "Bearer secret-token-abcdefghijklmnop123":
            return self.problem(401, "unauthorized")
        return web.json_response(
            {
                **bundle(0, [("wohngeld", "wohngeldstelle")]),
                "booking_code": request.match_info["code"],
                "status": "cancelled",
            }
        )


@pytest.fixture
async def backend(aiohttp_server, monkeypatch):
    fake = FakeBackend()
    server = await aiohttp_server(fake.app())
    monkeypatch.setenv("SCHEDULING_URL", str(server.make_url("")).rstrip("/"))
    return fake


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
        "booking_token": "secret-token-abcdefghijklmnop123",
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
