"""The portal's client of the Rasa server: one turn of one conversation."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import aiohttp

from amtslotse.portal.errors import Problem


@dataclass(frozen=True)
class RasaClient:
    """Posts a message to a Rasa channel webhook (``rest`` or ``hotline``)."""

    session: aiohttp.ClientSession
    base_url: str

    async def turn(
        self, channel: str, sender: str, message: str, metadata: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """The bot's messages for ``message``; Problem 502/503 when Rasa fails.

        ``metadata`` (e.g. the staff account of a hotline turn) becomes the
        Rasa message's metadata (amtslotse.rasa.channels).
        """
        url = f"{self.base_url}/webhooks/{channel}/webhook"
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        try:
            async with self.session.post(url, json=body) as r:
                if r.status != 200:
                    raise Problem(502, "The assistant answered with an error")
                answer = await r.json()
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            raise Problem(503, "The assistant is not reachable") from None
        if not isinstance(answer, list):
            raise Problem(502, "The assistant answered with an error")
        return answer
