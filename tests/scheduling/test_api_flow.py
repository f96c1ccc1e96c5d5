"""The booking journey over HTTP, as the bot and the hotline console use it."""

from __future__ import annotations

import icalendar

from tests.scheduling.conftest import ADMIN_TOKEN

KEY = "3f1c2a9e-7b4d-4c55-9a0e-1d2b3c4d5e6f"


async def _first_bundle(client, *services: str, **params: str) -> dict:
    query = [("service", s) for s in services] + list(params.items())
    resp = await client.get("/api/v1/availability", params=query)
    assert resp.status == 200, await resp.text()
    bundles = (await resp.json())["bundles"]
    assert bundles
    return bundles[0]


async def test_three_offices_bundle_hold_book_cancel(backend, client):
    bundle = await _first_bundle(
        client,
        "buergergeld_antrag",
        "grundsicherung_alter",
        "unterhaltsvorschuss",
        **{"from": "2025-03-24", "to": "2025-03-28"},
    )
    # now = Monday 07:00, two hours notice: the first bundle starts at 09:00.
    assert bundle["start"] == "2025-03-24T09:00:00+01:00"
    assert bundle["location_id"] == "skz"
    assert [leg["service_id"] for leg in bundle["legs"]] == [
        "buergergeld_antrag",
        "grundsicherung_alter",
        "unterhaltsvorschuss",
    ]
    assert bundle["legs"][1]["start"] == bundle["legs"][0]["end"]

    resp = await client.post("/api/v1/holds", json={"bundle_id": bundle["bundle_id"]})
    assert resp.status == 201, await resp.text()
    hold = await resp.json()
    assert hold["expires_at"] == "2025-03-24T07:10:00+01:00"
    assert hold["legs"] == bundle["legs"]

    resp = await client.post(
        "/api/v1/bookings",
        headers={"Idempotency-Key": KEY},
        json={
            "hold_id": hold["hold_id"],
            "contact": {"name": "Erika Muster", "phone": "0151 23456789"},
        },
    )
    assert resp.status == 201, await resp.text()
    booking = await resp.json()
    code, token = booking["booking_code"], booking["access_token"]
    assert len(code) == 9 and code[4] == "-"
    assert len(token) >= 32
    assert booking["contact"] == {"name": "Erika Muster", "phone": "+4915123456789"}
    assert booking["legs"] == bundle["legs"]

    auth = {"Authorization": f"Bearer {token}"}
    resp = await client.get(f"/api/v1/bookings/{code}", headers=auth)
    assert resp.status == 200
    assert (await resp.json())["status"] == "confirmed"

    resp = await client.get(f"/api/v1/bookings/{code}/ics", headers=auth)
    assert resp.status == 200
    assert resp.content_type == "text/calendar"
    calendar = icalendar.Calendar.from_ical(await resp.read())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 3
    assert events[0]["DTSTART"].dt.isoformat() == "2025-03-24T09:00:00+01:00"
    assert str(events[0]["DTSTART"].params["TZID"]) == "Europe/Berlin"
    assert len({str(e["UID"]) for e in events}) == 3

    resp = await client.get(
        "/api/v1/admin/schedule",
        params={"office_id": "jobcenter", "date": "2025-03-24"},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    assert resp.status == 200
    schedule = await resp.json()
    assert [leg["booking_code"] for leg in schedule["legs"]] == [code]
    assert schedule["legs"][0]["contact"]["name"] == "Erika Muster"

    resp = await client.delete(f"/api/v1/bookings/{code}", headers=auth)
    assert resp.status == 200
    assert (await resp.json())["status"] == "cancelled"
    resp = await client.get(
        "/api/v1/admin/schedule",
        params={"office_id": "jobcenter", "date": "2025-03-24"},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    assert (await resp.json())["legs"] == []


async def _hold(client, *services: str) -> dict:
    bundle = await _first_bundle(client, *services)
    resp = await client.post("/api/v1/holds", json={"bundle_id": bundle["bundle_id"]})
    assert resp.status == 201, await resp.text()
    return await resp.json()


def _booking_body(hold: dict, name: str = "Max Beispiel") -> dict:
    return {"hold_id": hold["hold_id"], "contact": {"name": name, "email": "max@example.org"}}


async def test_same_idempotency_key_returns_the_same_booking(backend, client):
    hold = await _hold(client, "wohngeld")
    first = await client.post(
        "/api/v1/bookings", json=_booking_body(hold), headers={"Idempotency-Key": KEY}
    )
    again = await client.post(
        "/api/v1/bookings", json=_booking_body(hold), headers={"Idempotency-Key": KEY}
    )
    assert first.status == again.status == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert await first.json() == await again.json()  # same code and same access token


async def test_same_key_with_another_body_is_rejected(client):
    hold = await _hold(client, "wohngeld")
    await client.post(
        "/api/v1/bookings", json=_booking_body(hold), headers={"Idempotency-Key": KEY}
    )
    resp = await client.post(
        "/api/v1/bookings",
        json=_booking_body(hold, "Someone Else"),
        headers={"Idempotency-Key": KEY},
    )
    assert resp.status == 422
    body = await resp.json(content_type="application/problem+json")
    assert body["type"].endswith("idempotency-key-reused")


async def test_a_hold_is_booked_once(client):
    hold = await _hold(client, "wohngeld")
    await client.post(
        "/api/v1/bookings", json=_booking_body(hold), headers={"Idempotency-Key": KEY}
    )
    resp = await client.post(
        "/api/v1/bookings", json=_booking_body(hold), headers={"Idempotency-Key": KEY[::-1]}
    )
    assert resp.status == 409
    assert (await resp.json(content_type="application/problem+json"))["type"].endswith(
        "hold-already-booked"
    )


async def test_taken_bundle_answers_409_with_alternatives(client):
    # Wohngeldstelle has one desk: the second hold on the same bundle loses.
    bundle = await _first_bundle(client, "wohngeld")
    first = await client.post("/api/v1/holds", json={"bundle_id": bundle["bundle_id"]})
    assert first.status == 201
    resp = await client.post("/api/v1/holds", json={"bundle_id": bundle["bundle_id"]})
    assert resp.status == 409
    body = await resp.json(content_type="application/problem+json")
    assert body["type"].endswith("slot-taken")
    assert len(body["alternatives"]) == 3
    assert all(alt["start"] > bundle["start"] for alt in body["alternatives"])
    assert bundle["bundle_id"] not in {alt["bundle_id"] for alt in body["alternatives"]}
    # The held time is no longer offered.
    resp = await client.get("/api/v1/availability", params={"service": "wohngeld", "limit": "1"})
    assert (await resp.json())["bundles"][0]["start"] != bundle["start"]


async def test_expired_holds_free_the_desk_and_cannot_be_booked(backend, client, clock):
    tomorrow = {"service": "wohngeld", "from": "2025-03-25", "limit": "1"}
    bundle = await _first_bundle(client, "wohngeld", **{"from": "2025-03-25"})
    resp = await client.post("/api/v1/holds", json={"bundle_id": bundle["bundle_id"]})
    hold = await resp.json()
    clock.advance(minutes=9, seconds=59)
    resp = await client.get("/api/v1/availability", params=tomorrow)
    assert (await resp.json())["bundles"][0]["start"] != bundle["start"]
    clock.advance(seconds=1)  # exactly 10 minutes: expired
    resp = await client.get("/api/v1/availability", params=tomorrow)
    assert (await resp.json())["bundles"][0]["start"] == bundle["start"]
    resp = await client.post(
        "/api/v1/bookings", json=_booking_body(hold), headers={"Idempotency-Key": KEY}
    )
    assert resp.status == 409
    problem = await resp.json(content_type="application/problem+json")
    assert problem["type"].endswith("hold-expired") and problem["alternatives"]
    # Someone else can now hold the same bundle.
    resp = await client.post("/api/v1/holds", json={"bundle_id": bundle["bundle_id"]})
    assert resp.status == 201


async def test_cancelled_booking_frees_capacity_and_ics_says_cancelled(backend, client):
    hold = await _hold(client, "wohngeld")
    resp = await client.post(
        "/api/v1/bookings", json=_booking_body(hold), headers={"Idempotency-Key": KEY}
    )
    booking = await resp.json()
    auth = {"Authorization": f"Bearer {booking['access_token']}"}
    code = booking["booking_code"].lower().replace("-", " ")  # as read out on the phone
    assert (await client.delete(f"/api/v1/bookings/{code}", headers=auth)).status == 200
    again = await client.delete(f"/api/v1/bookings/{code}", headers=auth)
    assert again.status == 200 and (await again.json())["status"] == "cancelled"
    resp = await client.post("/api/v1/holds", json={"bundle_id": hold["bundle_id"]})
    assert resp.status == 201
    ics = await (await client.get(f"/api/v1/bookings/{code}/ics", headers=auth)).read()
    assert b"STATUS:CANCELLED" in ics


async def test_reference_data_lists_the_catalogue(client):
    locations = (await (await client.get("/api/v1/locations")).json())["locations"]
    skz = next(loc for loc in locations if loc["id"] == "skz")
    assert skz["opening_hours"]["di"] == ["08:00-12:00", "13:00-18:00"]
    assert skz["opening_hours"]["sa"] == []
    offices = (await (await client.get("/api/v1/offices")).json())["offices"]
    assert {o["id"]: o["desks"] for o in offices}["jobcenter"] == 3
    assert next(o for o in offices if o["id"] == "buergerbuero")["walk_in_only"] is True
    services = {
        s["id"]: s for s in (await (await client.get("/api/v1/services")).json())["services"]
    }
    assert services["wohngeld"]["bookable"] is True
    assert services["beglaubigung"]["bookable"] is False
    assert {o["office_id"] for o in services["bildung_teilhabe"]["offices"]} == {
        "jobcenter",
        "sozialamt",
    }


async def test_healthz_is_plain_text(client):
    resp = await client.get("/healthz")
    assert resp.status == 200 and resp.content_type == "text/plain"
    assert await resp.text() == "ok\n"


async def test_an_appointment_that_has_begun_cannot_be_cancelled(client, clock):
    hold = await _hold(client, "wohngeld")
    resp = await client.post(
        "/api/v1/bookings", json=_booking_body(hold), headers={"Idempotency-Key": KEY}
    )
    booking = await resp.json()
    auth = {"Authorization": f"Bearer {booking['access_token']}"}
    clock.advance(hours=2)  # booked for 09:00 at 07:00; now it is 09:00
    resp = await client.delete(f"/api/v1/bookings/{booking['booking_code']}", headers=auth)
    assert resp.status == 409
    problem = await resp.json(content_type="application/problem+json")
    assert problem["type"] == "urn:amtslotse:problem:conflict"
    resp = await client.get(f"/api/v1/bookings/{booking['booking_code']}", headers=auth)
    assert (await resp.json())["status"] == "confirmed"
