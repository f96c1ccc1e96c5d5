"""The portal's calls to the scheduling backend (``SCHEDULING_URL``/api/v1).

Two features need them: the cancel page of the e-mails' links
(``booking_views.py``, with the link token) and the hotline console's
look-up and cancel for a caller without the PIN (``staff_views.py``, with the
admin token and the staff account). The answer is the status and the JSON
body; a backend that does not answer, answers 5xx or no JSON is
:class:`BackendUnavailable`, which each page turns into its own message.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from typing import Any
from urllib.parse import quote

import aiohttp
from aiohttp import web

from amtslotse.portal import keys

API_PREFIX = "/api/v1"
TIMEOUT_SECONDS = 10


_PIN = re.compile(r"[0-9]{6}", re.ASCII)


class BackendUnavailable(Exception):
    """The scheduling backend did not answer, or answered with an error of its own."""


def booking_path(code: str) -> str:
    """``/bookings/{code}``; quoted, so that whatever was typed stays one path segment."""
    return f"/bookings/{quote(code, safe='')}"


def booking_auth(secret: str, client: str) -> dict[str, str]:
    """The headers that open a booking: its PIN (6 digits) or a token, and who is trying.

    ``client`` is hashed into ``X-Client-Key``: the backend counts wrong PINs
    per client without learning the address.
    """
    digest = hashlib.sha256(b"amtslotse.portal-client\0" + client.encode("utf-8"))
    scheme = "PIN" if _PIN.fullmatch(secret) else "Bearer"
    return {"Authorization": f"{scheme} {secret}", "X-Client-Key": digest.hexdigest()[:32]}


async def ask_backend(
    request: web.Request,
    method: str,
    path: str,
    *,
    headers: dict[str, str],
    body: dict[str, Any] | None = None,
) -> tuple[int, Any]:
    """``method`` ``path`` (below /api/v1) at the backend: (status, JSON body)."""
    url = f"{request.app[keys.SETTINGS].scheduling_base_url}{API_PREFIX}{path}"
    try:
        async with request.app[keys.HTTP].request(
            method,
            url,
            headers=headers,
            json=body,
            timeout=aiohttp.ClientTimeout(total=TIMEOUT_SECONDS),
        ) as response:
            data = await response.json(content_type=None)
            if response.status >= 500:
                raise BackendUnavailable
            return response.status, data
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        raise BackendUnavailable from None
