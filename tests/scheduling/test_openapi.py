"""The OpenAPI document describes exactly the app's routes, and real answers fit it.

The document is rendered from ``api/contract.py``, the same declarations that
route and check requests; tests/scheduling/test_schemathesis.py fuzzes the
running app against it.
"""

from __future__ import annotations

import re

import jsonschema
import pytest

from amtslotse.scheduling.api.openapi import openapi_document
from amtslotse.scheduling.app import create_app
from tests.scheduling.conftest import ADMIN_TOKEN
from tests.scheduling.journeys import NAME, PHONE, book

PREFIX = "/api/v1"


def _documented_operations(doc: dict) -> set[tuple[str, str]]:
    out = set()
    for path, item in doc["paths"].items():
        base = item.get("servers", doc["servers"])[0]["url"].rstrip("/")
        for method in item:
            if method in {"get", "post", "put", "delete", "patch"}:
                out.add((method.upper(), base + path))
    return out


def test_every_route_is_documented_and_every_documented_path_exists(settings):
    app = create_app(settings)
    routes = {
        (route.method, route.resource.canonical)
        for route in app.router.routes()
        if route.method != "HEAD"  # every GET answers HEAD too (said in the description)
    }
    assert routes == _documented_operations(openapi_document())
    heads = {r.resource.canonical for r in app.router.routes() if r.method == "HEAD"}
    assert heads == {path for method, path in routes if method == "GET"}


def test_document_is_openapi_31_with_resolvable_refs():
    doc = openapi_document({"service_refs": ["wohngeld"]})
    assert doc["openapi"].startswith("3.1")
    text = repr(doc)
    for name in set(re.findall(r"#/components/schemas/(\w+)", text)):
        assert name in doc["components"]["schemas"], name
    for schema in doc["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)
    for item in doc["paths"].values():
        for method, operation in item.items():
            if method == "servers":
                continue
            for parameter in operation.get("parameters", []):
                jsonschema.Draft202012Validator.check_schema(parameter["schema"])
            for body in operation.get("requestBody", {}).get("content", {}).values():
                jsonschema.Draft202012Validator.check_schema(body["schema"])


def test_document_validates_against_the_openapi_31_schema():
    """The official OpenAPI 3.1 meta-schema, as schemathesis ships it (no network)."""
    from schemathesis.specs.openapi import definitions

    doc = openapi_document({"service_refs": ["wohngeld"]})
    errors = list(definitions.OPENAPI_31_VALIDATOR.iter_errors(doc))
    assert errors == []


def test_statuses_are_declared_for_every_operation():
    """Every operation documents 503 and its error statuses; write routes 401."""
    from amtslotse.scheduling.api.contract import OPERATIONS, SERVICE_TOKEN

    for op in OPERATIONS:
        assert 503 in op.responses, op.name
        if op.security is not None:
            assert 401 in op.responses, op.name
        if op.body is not None:
            assert {400, 413, 415} <= set(op.responses), op.name
        if op.params or op.strict_query:
            assert 400 in op.responses, op.name
    writes = {op.name for op in OPERATIONS if op.security is SERVICE_TOKEN}
    assert writes == {"createHold", "releaseHold", "createBooking"}
    # The PIN opens exactly the booking's own operations, and each documents its locks.
    with_pin = {op.name for op in OPERATIONS if op.pin}
    assert with_pin == {"getBooking", "cancelBooking", "bookingIcs"}
    for op in OPERATIONS:
        assert ({423, 429} <= set(op.responses)) == op.pin, op.name
        headers = {p.name for p in op.params if p.where == "header"}
        assert ("X-Client-Key" in headers) == op.pin, op.name


def test_the_document_names_the_pin_scheme_and_the_staff_header():
    doc = openapi_document()
    assert doc["components"]["securitySchemes"]["pin"]["scheme"] == "PIN"
    booking = doc["paths"]["/bookings/{code}"]
    assert booking["get"]["security"] == [{"booking": []}, {"pin": []}]
    assert booking["delete"]["security"] == [{"booking": []}, {"pin": []}]
    assert "Retry-After" in booking["delete"]["responses"]["423"]["headers"]
    lookup = doc["paths"]["/admin/bookings/lookup"]["post"]
    assert lookup["security"] == [{"admin": []}]
    (staff,) = lookup["parameters"]
    assert staff["name"] == "X-Staff-Account" and staff["in"] == "header" and staff["required"]
    assert lookup["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CallerClaim"
    }
    pin = doc["components"]["schemas"]["NewBooking"]["properties"]["pin"]
    assert {"type": "string", "pattern": "^(?:[0-9]{6})$", "examples": ["042817"]} in pin["anyOf"]


def _validate(doc: dict, path: str, method: str, status: int, content_type: str, body) -> None:
    operation = doc["paths"][path][method]
    schema = operation["responses"][str(status)]["content"][content_type]["schema"]
    # Resolve "#/components/..." against the whole document.
    validator = jsonschema.Draft202012Validator({**schema, "components": doc["components"]})
    validator.validate(body)


async def test_responses_match_their_documented_schemas(client):
    doc = await (await client.get(f"{PREFIX}/openapi.json")).json()
    refs = doc["paths"]["/availability"]["get"]["parameters"][0]["schema"]["items"]["enum"]
    # The catalogue's bookable services, each way the API accepts it; ambiguous ids need
    # their office, walk-in services are not there at all.
    assert {"wohngeld", "wohngeld:wohngeldstelle", "bildung_teilhabe:sozialamt"} <= set(refs)
    assert "bildung_teilhabe" not in refs and "beglaubigung" not in refs
    assert doc == openapi_document({"service_refs": refs})

    for path in ("/locations", "/offices", "/services"):
        resp = await client.get(PREFIX + path)
        _validate(doc, path, "get", 200, "application/json", await resp.json())

    resp = await client.get(
        f"{PREFIX}/availability",
        params=[("service", "wohngeld"), ("service", "unterhaltsvorschuss"), ("limit", "5")],
    )
    availability = await resp.json()
    _validate(doc, "/availability", "get", 200, "application/json", availability)
    assert len(availability["bundles"]) == 5

    bundle = availability["bundles"][0]
    resp = await client.post(f"{PREFIX}/holds", json={"bundle_id": bundle["bundle_id"]})
    hold = await resp.json()
    _validate(doc, "/holds", "post", 201, "application/json", hold)

    resp = await client.post(
        f"{PREFIX}/bookings",
        headers={"Idempotency-Key": "k" * 20},
        json={"hold_id": hold["hold_id"], "contact": {"name": "Anna", "email": "anna@example.org"}},
    )
    booking = await resp.json()
    _validate(doc, "/bookings", "post", 201, "application/json", booking)

    auth = {"Authorization": f"Bearer {booking['access_token']}"}
    resp = await client.get(f"{PREFIX}/bookings/{booking['booking_code']}", headers=auth)
    _validate(doc, "/bookings/{code}", "get", 200, "application/json", await resp.json())

    resp = await client.get(
        f"{PREFIX}/admin/schedule",
        params={"office_id": "wohngeldstelle", "date": bundle["start"][:10]},
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    _validate(doc, "/admin/schedule", "get", 200, "application/json", await resp.json())

    resp = await client.delete(f"{PREFIX}/holds/{hold['hold_id']}")  # booked: cancel instead
    assert resp.status == 409
    _validate(
        doc,
        "/holds/{hold_id}",
        "delete",
        409,
        "application/problem+json",
        await resp.json(content_type="application/problem+json"),
    )
    resp = await client.get(f"{PREFIX}/availability", params={"service": "wohngeld", "limit": "1"})
    free = (await resp.json())["bundles"][0]
    other = await (
        await client.post(f"{PREFIX}/holds", json={"bundle_id": free["bundle_id"]})
    ).json()
    assert (await client.delete(f"{PREFIX}/holds/{other['hold_id']}")).status == 204
    assert "204" in doc["paths"]["/holds/{hold_id}"]["delete"]["responses"]
    resp = await client.delete(f"{PREFIX}/holds/{other['hold_id']}")
    assert resp.status == 404
    _validate(
        doc,
        "/holds/{hold_id}",
        "delete",
        404,
        "application/problem+json",
        await resp.json(content_type="application/problem+json"),
    )

    resp = await client.post(f"{PREFIX}/holds", json={"bundle_id": bundle["bundle_id"]})
    assert resp.status == 409
    _validate(
        doc,
        "/holds",
        "post",
        409,
        "application/problem+json",
        await resp.json(content_type="application/problem+json"),
    )

    resp = await client.get(f"{PREFIX}/availability", params={"service": "x", "from": "y"})
    _validate(
        doc,
        "/availability",
        "get",
        400,
        "application/problem+json",
        await resp.json(content_type="application/problem+json"),
    )


async def test_pin_and_hotline_answers_match_their_documented_schemas(client):
    doc = await (await client.get(f"{PREFIX}/openapi.json")).json()
    booking = await book(client, contact={"name": NAME, "phone": PHONE})
    _validate(doc, "/bookings", "post", 201, "application/json", booking)
    code, pin = booking["booking_code"], booking["pin"]
    path = f"{PREFIX}/bookings/{code}"
    key = {"X-Client-Key": "conversation-hash-0002"}

    resp = await client.get(path, headers={"Authorization": f"PIN {pin}", **key})
    _validate(doc, "/bookings/{code}", "get", 200, "application/json", await resp.json())
    wrong = f"PIN {(int(pin) + 1) % 1_000_000:06d}"
    for status in (404, 404, 404, 404, 423):
        resp = await client.get(path, headers={"Authorization": wrong, **key})
        assert resp.status == status
        problem = await resp.json(content_type="application/problem+json")
        _validate(doc, "/bookings/{code}", "get", status, "application/problem+json", problem)
    resp = await client.get(path, headers={"Authorization": "PIN 12345", **key})
    assert resp.status == 401  # not 6 digits: nobody's PIN, and not counted

    staff = {"Authorization": f"Bearer {ADMIN_TOKEN}", "X-Staff-Account": "agent.k"}
    claim = {"booking_code": code, "contact": {"name": NAME, "phone": PHONE}}
    for operation in ("lookup", "cancel"):
        resp = await client.post(f"{PREFIX}/admin/bookings/{operation}", json=claim, headers=staff)
        assert resp.status == 200
        _validate(
            doc, f"/admin/bookings/{operation}", "post", 200, "application/json", await resp.json()
        )
    resp = await client.post(
        f"{PREFIX}/admin/bookings/lookup",
        json={**claim, "contact": {"name": NAME, "phone": "0151 2345678"}},
        headers=staff,
    )
    assert resp.status == 422
    _validate(
        doc,
        "/admin/bookings/lookup",
        "post",
        422,
        "application/problem+json",
        await resp.json(content_type="application/problem+json"),
    )
    resp = await client.get(
        f"{PREFIX}/admin/audit", params={"booking_code": code.lower()}, headers=staff
    )
    audit = await resp.json()
    _validate(doc, "/admin/audit", "get", 200, "application/json", audit)
    assert [e["action"] for e in audit["entries"]] == ["cancel", "lookup"]


@pytest.mark.parametrize("bad", [{"legs": []}, {"start": "2025-03-24T09:00:00Z"}])
def test_schema_catches_wrong_shapes(bad):
    doc = openapi_document()
    bundle = {
        "bundle_id": "b2.c2t6.AAAAAAAAAAAAAAAAAAAAAA",
        "location_id": "skz",
        "start": "2025-03-24T09:00:00+01:00",
        "end": "2025-03-24T09:30:00+01:00",
        "legs": [
            {
                "service_id": "wohngeld",
                "office_id": "wohngeldstelle",
                "start": "2025-03-24T09:00:00+01:00",
                "end": "2025-03-24T09:30:00+01:00",
            }
        ],
    }
    validator = jsonschema.Draft202012Validator(
        {"$ref": "#/components/schemas/Bundle", "components": doc["components"]}
    )
    validator.validate(bundle)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**bundle, **bad})
