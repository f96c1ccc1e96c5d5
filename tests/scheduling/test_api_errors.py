"""Every wrong input gets a problem+json answer with a helpful status, never a 500."""

from __future__ import annotations

import json

import pytest

from amtslotse.scheduling.domain.bundle_id import BundleIds
from tests.scheduling.conftest import ADMIN_TOKEN, BUNDLE_KEY

PROBLEM = "application/problem+json"


async def problem(resp, status: int, slug: str) -> dict:
    assert resp.status == status, await resp.text()
    assert resp.content_type == PROBLEM
    body = await resp.json(content_type=PROBLEM)
    assert body["type"] == f"urn:amtslotse:problem:{slug}"
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def q(*services: str, **params: str) -> list[tuple[str, str]]:
    return [("service", s) for s in services] + list(params.items())


@pytest.mark.parametrize(
    ("query", "slug", "field"),
    [
        (q(), "invalid-request", "service"),
        (q("a", "b", "c", "d", "e"), "invalid-request", "service"),
        (q("Wohngeld!"), "invalid-request", "service"),
        (q("wohngeld", **{"from": "2025-04-10", "to": "2025-04-01"}), "invalid-request", "from"),
        (q("wohngeld", **{"from": "2025-03-24", "to": "2025-07-01"}), "invalid-request", "to"),
        (q("wohngeld", **{"from": "24.03.2025"}), "invalid-request", "from"),
        (q("wohngeld", **{"from": "2025-02-30"}), "invalid-request", "from"),
        (q("wohngeld", to="2025-3-1"), "invalid-request", "to"),
        (q("wohngeld", daypart="abends"), "invalid-request", "daypart"),
        (q("wohngeld", limit="0"), "invalid-request", "limit"),
        (q("wohngeld", limit="ten"), "invalid-request", "limit"),
        (q("wohngeld", services="x"), "invalid-request", "services"),
        (q("reisepass"), "unknown-service", "service"),
        (q("beglaubigung"), "unknown-service", "service"),  # walk-in: no appointments
        (q("kindergeld"), "unknown-service", "service"),  # not the county
        (q("bildung_teilhabe"), "ambiguous-service", "service"),
    ],
)
async def test_availability_rejects_bad_queries(client, query, slug, field):
    body = await problem(await client.get("/api/v1/availability", params=query), 400, slug)
    assert field in {e["field"] for e in body["errors"]}


async def test_services_at_different_locations_say_which(client):
    resp = await client.get("/api/v1/availability", params=q("wohngeld", "impfung"))
    body = await problem(resp, 400, "mixed-locations")
    assert body["locations"] == {"wohngeld": "skz", "impfung": "kreishaus"}
    assert "wohngeld at skz" in body["detail"] and "impfung at kreishaus" in body["detail"]


async def test_ambiguous_service_can_name_its_office(client):
    resp = await client.get(
        "/api/v1/availability", params=q("bildung_teilhabe:sozialamt", "wohngeld", limit="2")
    )
    assert resp.status == 200
    legs = (await resp.json())["bundles"][0]["legs"]
    assert {leg["office_id"] for leg in legs} == {"sozialamt", "wohngeldstelle"}


@pytest.mark.parametrize(
    ("data", "status", "slug"),
    [
        (b"{not json", 400, "invalid-request"),
        (b"", 400, "invalid-request"),
        (b"\xff\xfe", 400, "invalid-request"),
        (b"[1, 2]", 400, "invalid-request"),
        (b'{"bundle_id": "nope"}', 400, "invalid-bundle-id"),
        (b'{"bundle_id": 12}', 400, "invalid-bundle-id"),
        (b'{"bundle_id": "b1c2t6", "extra": 1}', 400, "invalid-request"),
        (b"[" * 100000 + b"]" * 100000, 413, "payload-too-large"),
        (b'{"bundle_id": "' + b"x" * 20000 + b'"}', 413, "payload-too-large"),
    ],
)
async def test_holds_reject_bad_bodies(client, data, status, slug):
    resp = await client.post(
        "/api/v1/holds", data=data, headers={"Content-Type": "application/json"}
    )
    await problem(resp, status, slug)


async def test_deeply_nested_json_within_the_size_limit_is_a_400(client):
    data = b"[" * 5000 + b"]" * 5000
    resp = await client.post(
        "/api/v1/holds", data=data, headers={"Content-Type": "application/json"}
    )
    await problem(resp, 400, "invalid-request")


def _signed(raw: str) -> str:
    """An id for ``raw`` signed with the backend's key: what only the backend can make."""
    from tests.scheduling.test_domain_search import _resigned

    return _resigned(BundleIds(BUNDLE_KEY), raw)


async def test_forged_or_edited_bundle_ids_are_unknown_bundles(client):
    """404, not 400: the id is well-formed, it names no bundle this backend offered."""
    import base64
    from datetime import date

    from amtslotse.scheduling.domain.capacity import slot_index
    from tests.scheduling.test_domain_search import at

    resp = await client.get("/api/v1/availability", params=q("wohngeld", limit="1"))
    real = (await resp.json())["bundles"][0]["bundle_id"]
    prefix, payload, mac = real.split(".")
    raw = f"skz~wohngeld.wohngeldstelle.{slot_index(at(date(2025, 3, 26), 10))}"
    other = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
    for forged in (
        f"{prefix}.{other}.{mac}",  # another time under the old signature
        f"{prefix}.{payload}.{'A' * 22}",  # a made-up signature
        "b1" + other,  # the old unsigned format
    ):
        status, slug = (404, "unknown-bundle") if forged.startswith("b2") else (400, "")
        resp = await client.post("/api/v1/holds", json={"bundle_id": forged})
        await problem(resp, status, slug or "invalid-bundle-id")
    assert (await client.post("/api/v1/holds", json={"bundle_id": real})).status == 201


async def test_signed_bundle_id_for_a_closed_time_is_a_conflict(client):
    from datetime import date

    from amtslotse.scheduling.domain.capacity import slot_index
    from tests.scheduling.test_domain_search import at

    # A signed id for Saturday 10:00 (as if offered before a change): fails the re-check.
    signed = _signed(f"skz~wohngeld.wohngeldstelle.{slot_index(at(date(2025, 3, 29), 10))}")
    body = await problem(
        await client.post("/api/v1/holds", json={"bundle_id": signed}), 409, "slot-taken"
    )
    assert "closed" in body["detail"]
    assert body["alternatives"]
    # A service that the named office does not offer (any more) names no bundle:
    signed = _signed(f"skz~wohngeld.jobcenter.{slot_index(at(date(2025, 3, 26), 10))}")
    await problem(
        await client.post("/api/v1/holds", json={"bundle_id": signed}), 404, "unknown-bundle"
    )


async def _hold(client) -> str:
    resp = await client.get("/api/v1/availability", params=q("wohngeld", limit="1"))
    bundle = (await resp.json())["bundles"][0]
    resp = await client.post("/api/v1/holds", json={"bundle_id": bundle["bundle_id"]})
    return (await resp.json())["hold_id"]


@pytest.mark.parametrize(
    ("headers", "body", "status", "slug", "field"),
    [
        (
            {},
            {"contact": {"name": "E", "phone": "0340 123456"}},
            400,
            "invalid-request",
            "Idempotency-Key",
        ),
        (
            {"Idempotency-Key": "short"},
            {"contact": {"name": "E", "phone": "0340 123456"}},
            400,
            "invalid-request",
            "Idempotency-Key",
        ),
        (
            None,
            {"hold_id": "0" * 32, "contact": {"name": "E", "phone": "0340 123456"}},
            404,
            "not-found",
            None,
        ),
        (
            None,
            {"hold_id": "../etc", "contact": {"name": "E", "phone": "0340 123456"}},
            400,
            "invalid-request",
            "/hold_id",
        ),
        (
            None,
            {"contact": {"name": "E", "phone": "0340 123456"}, "note": "x"},
            400,
            "invalid-request",
            "/note",
        ),
        (None, {"contact": {"name": "E"}}, 422, "invalid-contact", "/contact"),
        (
            None,
            {"contact": {"name": "E", "phone": "0340 123456", "email": "e@x.de"}},
            422,
            "invalid-contact",
            "/contact",
        ),
        (
            None,
            {"contact": {"name": "E", "email": "nope"}},
            422,
            "invalid-contact",
            "/contact/email",
        ),
        (
            None,
            {"contact": {"name": "E", "phone": "0340 123456", "address": "Weg 1"}},
            422,
            "invalid-contact",
            "/contact/address",
        ),
    ],
)
async def test_bookings_reject_bad_requests(client, headers, body, status, slug, field):
    hold_id = await _hold(client)
    body = {"hold_id": hold_id, **body}
    headers = {"Idempotency-Key": "key-0123456789abcdef"} if headers is None else headers
    result = await problem(
        await client.post("/api/v1/bookings", json=body, headers=headers), status, slug
    )
    if field:
        assert field in {e["field"] for e in result["errors"]}


@pytest.mark.parametrize("path", ["/api/v1/bookings/K7M4-PQ2X", "/api/v1/bookings/K7M4-PQ2X/ics"])
async def test_booking_reads_need_the_token(anonymous, path):
    resp = await anonymous.get(path)
    await problem(resp, 401, "unauthorized")
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    await problem(
        await anonymous.get(path, headers={"Authorization": "Basic abc"}), 401, "unauthorized"
    )
    await problem(
        await anonymous.get(path, headers={"Authorization": "Bearer wrong"}), 404, "not-found"
    )
    await problem(
        await anonymous.delete(
            "/api/v1/bookings/not-a-code", headers={"Authorization": "Bearer x"}
        ),
        404,
        "not-found",
    )


async def test_admin_schedule_needs_the_admin_token_and_valid_query(client):
    url = "/api/v1/admin/schedule"
    params = {"office_id": "jobcenter", "date": "2025-03-24"}
    await problem(await client.get(url, params=params), 401, "unauthorized")
    await problem(
        await client.get(url, params=params, headers={"Authorization": "Bearer guess"}),
        401,
        "unauthorized",
    )
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    await problem(
        await client.get(url, params={"office_id": "jobcenter"}, headers=admin),
        400,
        "invalid-request",
    )
    await problem(
        await client.get(url, params={"date": "2025-13-01", "office_id": "x"}, headers=admin),
        400,
        "invalid-request",
    )
    await problem(
        await client.get(url, params={**params, "office_id": "nowhere"}, headers=admin),
        404,
        "not-found",
    )


async def test_unknown_routes_and_methods_are_problems_too(client):
    await problem(await client.get("/api/v1/nothing"), 404, "not-found")
    resp = await client.put("/api/v1/holds", json={})
    await problem(resp, 405, "method-not-allowed")
    assert "POST" in resp.headers["Allow"]


async def test_problem_documents_never_echo_query_strings(client):
    resp = await client.get("/api/v1/availability", params=q("reisepass", to="x"))
    body = await problem(resp, 400, "invalid-request")
    assert body["instance"] == "/api/v1/availability"
    assert "reisepass" not in json.dumps(body["instance"])
