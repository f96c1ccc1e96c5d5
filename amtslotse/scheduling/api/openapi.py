"""The OpenAPI 3.1 document, rendered from the operations in ``contract.py``.

Nothing here describes the API by itself: paths, parameters, bodies and
statuses come from the same :class:`~amtslotse.scheduling.api.contract.Operation`
objects that route and check requests. Dynamic enums (the bookable service
refs) are filled in from the catalogue the backend serves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from amtslotse.scheduling.api.contract import (
    API_PREFIX,
    OPERATIONS,
    PIN,
    SECURITY_SCHEMES,
    Operation,
    Param,
    Response,
)
from amtslotse.scheduling.api.schema import Context, JsonSchema

DESCRIPTION = (
    "Combined appointments at the county's offices. Every error is application/problem+json "
    "(RFC 9457) with a stable `type` (urn:amtslotse:problem:...). A method a path does not "
    "list answers 405 with an `Allow` header; a GET path answers HEAD as well. Holds and "
    "bookings need the service token (SCHEDULING_SERVICE_TOKEN), so only the assistant's "
    "action server books. Bundle ids are signed: a forged or edited one is a 404. A booking "
    "opens with its access token, the link token of its e-mails, or its code with the 6-digit "
    "PIN (`Authorization: PIN ...`; wrong PINs are counted per code and per client, 423 and "
    "429). The hotline's look-up and cancel by code, name and contact need the admin token "
    "and `X-Staff-Account`, and are audited."
)


def _parameter(param: Param, ctx: Context) -> JsonSchema:
    out: JsonSchema = {
        "name": param.name,
        "in": param.where,
        "required": param.required or param.where == "path",
        "schema": param.schema.render(ctx),
    }
    if param.description:
        out["description"] = param.description
    if param.where == "query" and out["schema"].get("type") == "array":
        out["style"], out["explode"] = "form", True
    return out


def _response(response: Response, ctx: Context) -> JsonSchema:
    out: JsonSchema = {"description": response.description}
    if response.schema is not None:
        out["content"] = {response.content_type: {"schema": response.schema.render(ctx)}}
    if response.headers:
        out["headers"] = {
            name: {"description": text, "schema": {"type": "string"}}
            for name, text in response.headers.items()
        }
    if response.links:
        out["links"] = {name: dict(link) for name, link in response.links.items()}
    return out


def _operation(op: Operation, ctx: Context) -> JsonSchema:
    out: JsonSchema = {"operationId": op.name, "summary": op.summary}
    if op.description:
        out["description"] = op.description
    if op.params:
        out["parameters"] = [_parameter(p, ctx) for p in op.params]
    if op.body is not None:
        out["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": op.body.render(ctx)}},
        }
    # Alternatives: any one of them opens the operation.
    schemes = ([op.security] if op.security else []) + ([PIN] if op.pin else [])
    out["security"] = [{s.scheme: []} for s in schemes]
    out["responses"] = {str(status): _response(r, ctx) for status, r in op.responses.items()}
    return out


def openapi_document(dynamic: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
    """The document; ``dynamic`` fills the enums taken from the catalogue."""
    ctx = Context(values=dict(dynamic or {}))
    paths: dict[str, Any] = {}
    for op in OPERATIONS:
        item = paths.setdefault(op.path, {})
        if not op.prefixed:
            item["servers"] = [{"url": "/"}]
        item[op.method.lower()] = _operation(op, ctx)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Amtslotse scheduling backend",
            "version": "2.0.0",
            "description": DESCRIPTION,
        },
        "servers": [{"url": API_PREFIX}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(ctx.components.items())),
            "securitySchemes": {
                s.scheme: {"type": "http", "scheme": s.http_scheme, "description": s.description}
                for s in SECURITY_SCHEMES
            },
        },
    }
