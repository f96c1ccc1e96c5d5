"""Issue 13 on the scheduling API: no 5xx from any input, no open booking endpoint.

Each input the issue found answering 500 now gets a 4xx problem document; the
write routes need the service token; a forged bundle id is refused; one
conversation keeps at most one hold, also when its requests race (SQLite and
PostgreSQL); undeclared methods answer 405 with Allow.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from amtslotse.scheduling.db.schema import Hold
from amtslotse.scheduling.domain.bundle_id import BundleIds
from tests.scheduling.conftest import ADMIN_TOKEN, BUNDLE_KEY, SERVICE_TOKEN
from tests.scheduling.invariants import assert_no_desk_overbooked
from tests.scheduling.test_api_errors import problem
from tests.scheduling.test_domain_search import _resigned

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
JSON = {"Content-Type": "application/json"}


async def _bundles(client, *services: str, limit: int = 3, **params: str) -> list[dict]:
    query = [("service", s) for s in services] + [("limit", str(limit)), *params.items()]
    resp = await client.get("/api/v1/availability", params=query)
    assert resp.status == 200, await resp.text()
    return (await resp.json())["bundles"]


# -- the inputs that answered 500 -------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("service=wohngeld&limit=%C2%B2", "limit"),  # "²": isdigit() is True, int() fails
        ("service=wohngeld&limit=%D9%A3", "limit"),  # Arabic-Indic three
        ("service=wohngeld&limit=99999999999999999999999", "limit"),
        ("service=wohngeld&from=9999-12-31", "from"),  # from + 13 days overflowed
        ("service=wohngeld&to=9999-12-31", "to"),
        ("service=wohngeld&from=0001-01-01", "from"),
        ("service=wohngeld&from=2025-03-24%0D%0A", "from"),
        ("service=wohngeld%0Aimpfung", "service"),
    ],
)
async def test_availability_inputs_that_crashed_are_400_problems(client, query, field):
    body = await problem(await client.get(f"/api/v1/availability?{query}"), 400, "invalid-request")
    assert field in {e["field"] for e in body["errors"]}


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2025-02-29"])
async def test_admin_schedule_day_outside_the_calendar_is_a_400(client, day):
    resp = await client.get(
        "/api/v1/admin/schedule", params={"office_id": "jobcenter", "date": day}, headers=ADMIN
    )
    body = await problem(resp, 400, "invalid-request")
    assert [e["field"] for e in body["errors"]] == ["date"]


async def test_a_bundle_id_with_a_huge_slot_index_is_refused(client):
    # Unsigned (the old b1 form) it is not even a bundle id; signed with the real
    # key (as only a leaked key could) it still decodes to nothing: never a 500.
    import base64

    raw = "skz~wohngeld.wohngeldstelle.999999999999"
    unsigned = "b1" + base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    resp = await client.post("/api/v1/holds", json={"bundle_id": unsigned})
    await problem(resp, 400, "invalid-bundle-id")
    signed = _resigned(BundleIds(BUNDLE_KEY), raw)
    await problem(
        await client.post("/api/v1/holds", json={"bundle_id": signed}), 404, "unknown-bundle"
    )


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("application/json; charset=foo", 415),
        ("application/json; charset=latin-1", 415),
        ("text/plain", 415),
        ("application/json; charset=UTF-8", 404),  # fine: the bundle is unknown
        ("application/problem+json", 404),
    ],
)
async def test_bodies_must_be_utf8_json(client, content_type, status):
    forged = "b2.c2t6.AAAAAAAAAAAAAAAAAAAAAA"
    resp = await client.post(
        "/api/v1/holds",
        data=f'{{"bundle_id": "{forged}"}}'.encode(),
        headers={"Content-Type": content_type},
    )
    await problem(resp, status, "unsupported-media-type" if status == 415 else "unknown-bundle")


@pytest.mark.parametrize(
    "data",
    [
        b'{"bundle_id": "\\ud800"}',  # a lone surrogate: JSON, but no Unicode text
        b'{"bundle_id": NaN}',
        b'{"bundle_id": Infinity}',
        b'{"bundle_id": "' + b"\xc3" + b'"}',
        b'{"bundle_id": ' + b"1" * 5000 + b"}",  # beyond int's digit limit
        b'{"bundle_id": null, "holder": []}',
    ],
)
async def test_json_that_is_not_quite_json_is_a_400(client, data):
    resp = await client.post("/api/v1/holds", data=data, headers=JSON)
    assert resp.status == 400, await resp.text()
    assert resp.content_type == "application/problem+json"


async def _raw(client, request: bytes) -> bytes:
    url = client.make_url("/")
    reader, writer = await asyncio.open_connection(url.host, url.port)
    writer.write(request)
    await writer.drain()
    data = await reader.read()
    writer.close()
    await writer.wait_closed()
    return data


@pytest.mark.parametrize(
    "authorization",
    [b"Bearer abc\r\n def", b"Bearer abc\rdef", b"Bearer abc\ndef", b"Bearer \xff\xfe", b"Bearer"],
)
async def test_a_token_with_cr_lf_or_bytes_never_makes_a_5xx(client, authorization):
    """Broken header framing is refused by the HTTP parser (400), anything else is a 401."""
    answer = await _raw(
        client,
        b"GET /api/v1/bookings/K7M4-PQ2X HTTP/1.1\r\nHost: test\r\nAuthorization: "
        + authorization
        + b"\r\nConnection: close\r\n\r\n",
    )
    status = int(answer.split(b" ", 2)[1])
    assert status in (400, 401), answer[:200]
    if status == 401:
        assert b"application/problem+json" in answer


# -- the write routes need the service token ----------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/holds", {"bundle_id": "b2.c2t6.AAAAAAAAAAAAAAAAAAAAAA"}),
        ("DELETE", "/api/v1/holds/" + "0" * 32, None),
        ("POST", "/api/v1/bookings", {"hold_id": "0" * 32, "contact": {"name": "A"}}),
    ],
)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Bearer {SERVICE_TOKEN}x", f"Basic {SERVICE_TOKEN}", ADMIN_TOKEN],
)
async def test_write_routes_without_the_service_token_are_401(
    anonymous, method, path, body, authorization
):
    headers = {"Idempotency-Key": "k" * 20}
    if authorization:
        headers["Authorization"] = authorization
    resp = await anonymous.request(method, path, json=body, headers=headers)
    assert resp.status == 401, await resp.text()
    assert resp.content_type == "application/problem+json"
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


async def test_the_admin_token_does_not_book_and_the_service_token_does_not_administer(client):
    bundle = (await _bundles(client, "wohngeld", limit=1))[0]
    resp = await client.post(
        "/api/v1/holds", json={"bundle_id": bundle["bundle_id"]}, headers=ADMIN
    )
    await problem(resp, 401, "unauthorized")
    resp = await client.get(
        "/api/v1/admin/schedule", params={"office_id": "jobcenter", "date": "2025-03-24"}
    )
    await problem(resp, 401, "unauthorized")


async def test_an_app_without_a_service_token_books_nothing(aiohttp_client, db, settings, clock):
    from dataclasses import replace

    from amtslotse.scheduling.app import create_app

    app = create_app(replace(settings, service_token=""), clock=clock)
    client = await aiohttp_client(app, headers={"Authorization": "Bearer "})
    bundle = (await _bundles(client, "wohngeld", limit=1))[0]
    resp = await client.post("/api/v1/holds", json={"bundle_id": bundle["bundle_id"]})
    await problem(resp, 401, "unauthorized")


# -- methods --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/v1/holds", {"POST"}),
        ("GET", "/api/v1/holds", {"POST"}),
        ("POST", "/api/v1/availability", {"GET", "HEAD"}),
        ("PATCH", "/api/v1/bookings/K7M4-PQ2X", {"GET", "HEAD", "DELETE"}),
        ("POST", "/api/v1/holds/" + "0" * 32, {"DELETE"}),
        ("DELETE", "/api/v1/locations", {"GET", "HEAD"}),
        ("TRACE", "/api/v1/openapi.json", {"GET", "HEAD"}),
        ("OPTIONS", "/api/v1/bookings", {"POST"}),
    ],
)
async def test_undeclared_methods_are_405_with_allow(client, method, path, allowed):
    resp = await client.request(method, path)
    await problem(resp, 405, "method-not-allowed")
    assert {m.strip() for m in resp.headers["Allow"].split(",")} == allowed


async def test_get_paths_answer_head(client):
    resp = await client.head("/api/v1/offices")
    assert resp.status == 200 and await resp.read() == b""


# -- one hold per conversation ----------------------------------------------------------------


async def _live_holds(db, holder: str | None = None) -> int:
    async with db.reading() as session:
        stmt = select(func.count()).select_from(Hold)
        if holder is not None:
            stmt = stmt.where(Hold.holder == holder)
        return int(await session.scalar(stmt))


def _apart(bundles: list[dict]) -> tuple[dict, dict]:
    """Two bundles that do not overlap (Wohngeldstelle has one desk)."""
    first = bundles[0]
    return first, next(b for b in bundles if b["start"] >= first["end"])


async def test_a_new_hold_gives_the_holders_previous_one_back(backend, client, db):
    first, second = _apart(await _bundles(client, "wohngeld", limit=10))
    resp = await client.post(
        "/api/v1/holds", json={"bundle_id": first["bundle_id"], "holder": "conv-a"}
    )
    assert resp.status == 201
    old = await resp.json()
    resp = await client.post(
        "/api/v1/holds", json={"bundle_id": second["bundle_id"], "holder": "conv-a"}
    )
    assert resp.status == 201
    assert await _live_holds(db, "conv-a") == 1
    # The first time is free again at once, and its hold is gone for good.
    starts = [b["start"] for b in await _bundles(client, "wohngeld", limit=10)]
    assert first["start"] in starts and second["start"] not in starts
    resp = await client.delete(f"/api/v1/holds/{old['hold_id']}")
    await problem(resp, 404, "not-found")
    resp = await client.post(
        "/api/v1/bookings",
        json={"hold_id": old["hold_id"], "contact": {"name": "A", "phone": "0340 123456"}},
        headers={"Idempotency-Key": "old-hold-booking-key"},
    )
    await problem(resp, 404, "not-found")
    # Another conversation, and holds without a holder, are not touched.
    third = (await _bundles(client, "unterhaltsvorschuss", limit=1))[0]
    for body in ({"holder": "conv-b"}, {}):
        resp = await client.post("/api/v1/holds", json={"bundle_id": third["bundle_id"], **body})
        assert resp.status in (201, 409)
    assert await _live_holds(db, "conv-a") == 1 and await _live_holds(db, "conv-b") == 1


async def test_the_same_time_again_for_the_same_holder_is_held_again(client, db):
    """Giving back comes before the capacity check: re-picking one's own time works."""
    bundle = (await _bundles(client, "wohngeld", limit=1))[0]  # one desk at Wohngeldstelle
    for _ in range(3):
        resp = await client.post(
            "/api/v1/holds", json={"bundle_id": bundle["bundle_id"], "holder": "conv-a"}
        )
        assert resp.status == 201, await resp.text()
    assert await _live_holds(db) == 1


@pytest.mark.parametrize("holder", ["", "a" * 65, "conv a", "conv/../a", "ä", 42, None])
async def test_a_holder_is_short_opaque_text(client, holder):
    bundle = (await _bundles(client, "wohngeld", limit=1))[0]
    resp = await client.post(
        "/api/v1/holds", json={"bundle_id": bundle["bundle_id"], "holder": holder}
    )
    body = await problem(resp, 400, "invalid-request")
    assert [e["field"] for e in body["errors"]] == ["/holder"]


async def test_the_hold_cap_holds_under_a_race(backend, client, db, clock):
    """30 concurrent holds of one conversation on different times: one hold stays."""
    bundles = await _bundles(
        client, "buergergeld_antrag", "unterhaltsvorschuss", limit=30, **{"to": "2025-04-04"}
    )
    assert len(bundles) == 30

    async def pick(bundle: dict) -> int:
        resp = await client.post(
            "/api/v1/holds", json={"bundle_id": bundle["bundle_id"], "holder": "racing-conv"}
        )
        assert resp.status in (201, 409), await resp.text()
        return resp.status

    statuses = await asyncio.gather(*(pick(b) for b in bundles))
    assert statuses.count(201) >= 1
    assert await _live_holds(db, "racing-conv") == 1
    assert await _live_holds(db) == 1
    await assert_no_desk_overbooked(db, clock())
    # All the other times are free again.
    free = {b["start"] for b in await _bundles(client, "buergergeld_antrag", limit=200)}
    assert len(free) >= 29


async def test_holds_and_bookings_of_one_holder_race_without_half_bookings(backend, client, db):
    """Booking hold A while the same conversation holds B: a booking or a clean 404."""
    first, second = _apart(await _bundles(client, "wohngeld", limit=10))
    resp = await client.post(
        "/api/v1/holds", json={"bundle_id": first["bundle_id"], "holder": "conv-r"}
    )
    held = await resp.json()
    book = client.post(
        "/api/v1/bookings",
        json={"hold_id": held["hold_id"], "contact": {"name": "R", "phone": "0340 123456"}},
        headers={"Idempotency-Key": "race-book-and-hold-01"},
    )
    hold = client.post("/api/v1/holds", json={"bundle_id": second["bundle_id"], "holder": "conv-r"})
    booked, rehold = await asyncio.gather(book, hold)
    assert rehold.status == 201
    assert booked.status in (201, 404), await booked.text()
    if booked.status == 201:
        assert len((await booked.json())["legs"]) == 1
