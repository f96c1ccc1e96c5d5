"""The one client of the scheduling backend (``/api/v1``) for the action server.

Each call has a timeout, so a slow backend never holds a conversation for
long. Only idempotent calls are retried: the GETs, ``POST /bookings``, which
carries an Idempotency-Key (the backend answers a repeated key with the same
booking), and ``DELETE /holds/{id}``: releasing a hold twice leaves the same
state, only the repeat answers 404, which reads as "nothing (left) to
release". ``POST /holds`` and ``DELETE /bookings/{code}`` are sent once: a
lost answer there is reported as :class:`SchedulingUnavailable` and the
citizen decides.

Holds and bookings carry ``Authorization: Bearer <SCHEDULING_SERVICE_TOKEN>``
(the backend answers 401 without it). A hold names its holder: a hash of the
conversation id, so the backend keeps at most one hold per conversation
without learning the id.

A booking is read or cancelled with the secret the conversation has: the
access token it kept after booking (``Authorization: Bearer``), or the
6-digit PIN the citizen typed (``Authorization: PIN``). Either way the call
names its client in ``X-Client-Key``, another hash of the conversation id, so
the backend counts wrong PINs per conversation (10 an hour) and not for the
whole action server at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote

import aiohttp

from amtslotse.core.booking.port import SchedulingProblem, SchedulingUnavailable

__all__ = ["SchedulingClient", "SchedulingProblem", "SchedulingUnavailable", "scheduling_client"]

DEFAULT_URL = "http://127.0.0.1:8000"
API_PREFIX = "/api/v1"
# Per attempt; Rasa waits for the action server much longer, the citizen does not.
DEFAULT_TIMEOUT = 4.0
RETRY_DELAYS = (0.2, 0.6)  # two retries of idempotent calls, quickly
_RETRY_STATUS = {502, 503, 504}


@dataclass
class SchedulingClient:
    """One per process; its HTTP session is opened on first use and closed by :meth:`close`."""

    base_url: str = DEFAULT_URL
    timeout: float = DEFAULT_TIMEOUT
    service_token: str = field(default="", repr=False)  # SCHEDULING_SERVICE_TOKEN
    _session: aiohttp.ClientSession | None = field(default=None, repr=False)

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] | None = None,
        json: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        retry: bool = False,
    ) -> dict[str, Any]:
        url = f"{self.base_url.rstrip('/')}{API_PREFIX}{path}"
        delays = RETRY_DELAYS if retry else ()
        attempt = 0
        while True:
            try:
                return await self._once(method, url, params, json, headers)
            except SchedulingUnavailable:
                if attempt >= len(delays):
                    raise
                await asyncio.sleep(delays[attempt])
                attempt += 1

    async def _once(
        self,
        method: str,
        url: str,
        params: Sequence[tuple[str, str]] | None,
        body: dict[str, Any] | None,
        headers: dict[str, str] | None,
    ) -> dict[str, Any]:
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        try:
            async with self._http().request(
                method, url, params=params, json=body, headers=headers, timeout=timeout
            ) as response:
                if response.status >= 500 or response.status in _RETRY_STATUS:
                    raise SchedulingUnavailable(f"{method} {url}: {response.status}")
                if response.status == 204:
                    return {}  # done, nothing to say (DELETE /holds/{id})
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as exc:
            raise SchedulingUnavailable(f"{method} {url}: {type(exc).__name__}") from exc
        if not isinstance(data, dict):
            raise SchedulingUnavailable(f"{method} {url}: not a JSON object")
        if response.status >= 400:
            raise SchedulingProblem(response.status, data)
        return data

    async def availability(
        self,
        services: Sequence[str],
        first_day: date,
        last_day: date,
        daypart: str | None = None,
        limit: int = 200,
    ) -> list[dict[str, Any]]:
        params = [("service", s) for s in services]
        params += [("from", first_day.isoformat()), ("to", last_day.isoformat())]
        if daypart:
            params.append(("daypart", daypart))
        params.append(("limit", str(limit)))
        body = await self._request("GET", "/availability", params=params, retry=True)
        return list(body.get("bundles") or [])

    def _service(self) -> dict[str, str]:
        # Without a token the backend answers 401: a clear problem, not a guess here.
        return _bearer(self.service_token) if self.service_token else {}

    async def hold(self, bundle_id: str, *, conversation: str | None = None) -> dict[str, Any]:
        """Hold a bundle; a new hold in the same ``conversation`` gives the previous one back."""
        body = {"bundle_id": bundle_id}
        if conversation:
            body["holder"] = holder_of(conversation)
        return await self._request("POST", "/holds", json=body, headers=self._service())

    async def release_hold(self, hold_id: str) -> bool:
        """Give a held time back at once (the citizen said "Nein" or wants other times).

        True when the backend released it. False when there was nothing to
        release: unknown, expired or released already (404), or turned into a
        booking (409; that is cancelled with :meth:`cancel`). Retried, since a
        repeat changes nothing.
        """
        try:
            # Quoted: a hold id is hex, but whatever it is must stay one path segment.
            await self._request(
                "DELETE",
                f"/holds/{quote(hold_id, safe='')}",
                headers=self._service(),
                retry=True,
            )
        except SchedulingProblem as problem:
            if problem.status in (404, 409):
                return False
            raise
        return True

    async def book(
        self, hold_id: str, contact: dict[str, str], idempotency_key: str
    ) -> dict[str, Any]:
        return await self._request(
            "POST",
            "/bookings",
            json={"hold_id": hold_id, "contact": contact},
            headers={"Idempotency-Key": idempotency_key, **self._service()},
            retry=True,  # safe: the same key returns the same booking
        )

    async def booking(
        self, code: str, secret: str, *, conversation: str | None = None
    ) -> dict[str, Any]:
        """The booking; ``secret`` is its access token or its PIN (a wrong one: 404).

        Retried with a token only: a wrong PIN whose answer was lost has been
        counted, and a repeat would count it again.
        """
        return await self._request(
            "GET",
            _booking_path(code),
            headers=_credential(secret, conversation),
            retry=not is_pin(secret),
        )

    async def cancel(
        self, code: str, secret: str, *, conversation: str | None = None
    ) -> dict[str, Any]:
        return await self._request(
            "DELETE", _booking_path(code), headers=_credential(secret, conversation)
        )


_PIN = re.compile(r"[0-9]{6}", re.ASCII)


def _booking_path(code: str) -> str:
    # Quoted: whatever the citizen typed must stay one path segment.
    return f"/bookings/{quote(code, safe='')}"


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def is_pin(secret: str) -> bool:
    """Six digits are a PIN; anything else is sent as a token."""
    return bool(_PIN.fullmatch(secret))


def _credential(secret: str, conversation: str | None) -> dict[str, str]:
    """``Authorization`` for a PIN or a token, and who is trying (``X-Client-Key``)."""
    headers = {"Authorization": f"PIN {secret}"} if is_pin(secret) else _bearer(secret)
    if conversation:
        headers["X-Client-Key"] = client_key_of(conversation)
    return headers


def holder_of(conversation: str) -> str:
    """The opaque holder the backend sees for a conversation (32 hex characters)."""
    digest = hashlib.sha256(b"amtslotse.holder\0" + conversation.encode("utf-8"))
    return digest.hexdigest()[:32]


def client_key_of(conversation: str) -> str:
    """The opaque client key the backend counts wrong PINs by (32 hex characters).

    Another hash than the holder's, so the two values cannot be matched up.
    """
    digest = hashlib.sha256(b"amtslotse.client-key\0" + conversation.encode("utf-8"))
    return digest.hexdigest()[:32]


def scheduling_client() -> SchedulingClient:
    """The process's one client (actions/runtime.py), for ``SCHEDULING_URL``."""
    from actions.runtime import runtime

    return runtime().scheduling
