"""The portal's client of the Rasa servers: one turn of one conversation, on one of them.

With several Rasa servers (``RASA_URLS``, or the ``RASA_INSTANCES`` that
``amtslotse run`` starts) the portal is their load balancer:

- **Spreading.** Each turn goes to the healthy server with the fewest
  turns in flight (ties in turn). Conversations need no fixed server
  ("sticky sessions"): every server reads the conversation from the shared
  tracker store at the start of a turn and writes it back at the end, and
  the shared lock store lets only one server work on a conversation at a
  time. Two turns of one conversation may go to two servers.
- **Health.** :meth:`RasaClient.watch` asks every server every few seconds
  about itself and its parts (``/webhooks/rest/health``: lock store, tracker
  store, its action server). A server that fails, or that a turn could not
  reach, is left out until it answers again.
- **Once more, on another server, never twice.** A turn that fails on one
  server is sent once more to another (to the same one if there is no
  other: a dropped connection is no reason to give up). Each turn carries an id
  (``metadata.turn``); a repeat carries ``metadata.resent``. The server
  looks for that turn in the conversation, under the conversation's lock,
  and if a server already answered it (it died before the answer reached us,
  or answered too late) it sends that answer again instead of running the
  turn twice (amtslotse/rasa/channels.py). A turn that could not even be
  sent (connection refused) is sent as new. The actions are idempotent on
  top: a booking carries an Idempotency-Key made from the conversation and
  the held time, so even a turn run twice books once.
- **Down is said.** When no server can do the turn, or the answer is empty,
  the turn raises :class:`AssistantDown` naming the part; the view answers
  the citizen in Leichte Sprache with the hotline number.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import secrets
from dataclasses import dataclass, field
from typing import Any

import aiohttp

log = logging.getLogger(__name__)

#: How long one attempt of a turn may take (a turn under load takes a few seconds).
ATTEMPT_SECONDS = 25.0
#: How often every server is asked about its health.
HEALTH_INTERVAL_SECONDS = 2.0
HEALTH_TIMEOUT_SECONDS = 3.0
#: Parts a server reports; the shared ones fail for every server at once.
SHARED_PARTS = frozenset({"lock_store", "tracker_store"})


class AssistantDown(Exception):
    """No Rasa server could do the turn; ``part`` names what does not answer."""

    def __init__(self, part: str):
        super().__init__(part)
        self.part = part


@dataclass
class Instance:
    """One Rasa server as the balancer sees it."""

    url: str
    healthy: bool = True  # takes turns; until the first check says otherwise
    answered: bool = False  # the last health check got an answer from the server
    parts: dict[str, bool] = field(default_factory=dict)  # lock_store, tracker_store, actions
    in_flight: int = 0

    def describe(self) -> dict[str, Any]:
        return {"url": self.url, "rasa": self.answered, "healthy": self.healthy, **self.parts}


class _Failed(Exception):
    """One attempt failed; ``sent`` tells whether the server may have run the turn."""

    def __init__(self, part: str, *, sent: bool):
        super().__init__(part)
        self.part = part
        self.sent = sent


def new_turn_id() -> str:
    return secrets.token_hex(12)


class RasaClient:
    """Posts a message to a Rasa channel webhook (``rest`` or ``hotline``) of one of ``urls``."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        urls: str | tuple[str, ...] | list[str],
        *,
        attempt_seconds: float = ATTEMPT_SECONDS,
    ):
        self.session = session
        listed = [urls] if isinstance(urls, str) else list(urls)
        self.instances = [Instance(u.rstrip("/")) for u in listed]
        self.attempt_seconds = attempt_seconds
        self._rotation = itertools.count()

    @property
    def base_url(self) -> str:
        return self.instances[0].url

    def choose(self, exclude: Instance | None = None) -> Instance | None:
        """The healthy server with the fewest turns in flight; any other one if none is healthy."""
        others = [i for i in self.instances if i is not exclude]
        if not others:
            return None
        healthy = [i for i in others if i.healthy] or others
        start = next(self._rotation) % len(healthy)
        rotated = healthy[start:] + healthy[:start]
        return min(rotated, key=lambda i: i.in_flight)

    async def turn(
        self,
        channel: str,
        sender: str,
        message: str,
        *,
        turn_id: str | None = None,
        resent: bool = False,
        metadata: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """The bot's messages for ``message``; AssistantDown when no server can give them.

        ``metadata`` (e.g. the staff account of a hotline turn, ``{"staff": name}``)
        becomes the Rasa message's metadata beside the turn's id (amtslotse.rasa.channels).
        """
        turn_id = turn_id or new_turn_id()
        given = dict(metadata or {})
        first = self.choose()
        if first is None:
            raise AssistantDown("rasa")
        try:
            return await self._attempt(first, channel, sender, message, given, turn_id, resent)
        except _Failed as failed:
            if failed.part in SHARED_PARTS:
                raise AssistantDown(failed.part) from None  # another server fails alike
            # With one server only, the one try more goes to it again: a dropped
            # keep-alive connection looks like a failed turn, and "resent" makes
            # a second try safe.
            second = self.choose(exclude=first) or first
            log.info("a turn failed on one Rasa server (%s); trying again", failed.part)
            try:
                # Sent but unanswered: the other server looks whether it was done.
                return await self._attempt(
                    second, channel, sender, message, given, turn_id, resent or failed.sent
                )
            except _Failed as again:
                # Name what is known to be down rather than "rasa" (not reached).
                part = again.part if again.part != "rasa" else failed.part
                raise AssistantDown(part) from None

    async def _attempt(
        self,
        instance: Instance,
        channel: str,
        sender: str,
        message: str,
        given: dict[str, Any],
        turn_id: str,
        resent: bool,
    ) -> list[dict[str, Any]]:
        url = f"{instance.url}/webhooks/{channel}/webhook"
        # The turn's own keys win: no caller's metadata can name another turn.
        metadata: dict[str, Any] = {**given, "turn": turn_id}
        if resent:
            metadata["resent"] = True
        body = {"sender": sender, "message": message, "metadata": metadata}
        timeout = aiohttp.ClientTimeout(total=self.attempt_seconds, connect=3)
        instance.in_flight += 1
        try:
            async with self.session.post(url, json=body, timeout=timeout) as r:
                answer = await r.json(content_type=None)
                status = r.status
        except aiohttp.ClientConnectorError:
            # Not even connected: this server never saw the turn.
            instance.healthy = False
            raise _Failed("rasa", sent=False) from None
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            # Sent, no (readable) answer: the server may have run the turn.
            instance.healthy = False
            raise _Failed("rasa", sent=True) from None
        finally:
            instance.in_flight -= 1
        if status == 503 and isinstance(answer, dict):
            part = str(answer.get("part") or "rasa")
            if part == "actions":
                instance.healthy = False
            raise _Failed(part, sent=True)
        if status != 200 or not isinstance(answer, list):
            raise _Failed("rasa", sent=True)
        if not answer:
            # Rasa's own channel answers [] when a part fails.
            raise _Failed("rasa", sent=True)
        return answer

    async def check(self, instance: Instance) -> None:
        """Ask one server about itself and its parts."""
        url = f"{instance.url}/webhooks/rest/health"
        try:
            timeout = aiohttp.ClientTimeout(total=HEALTH_TIMEOUT_SECONDS)
            async with self.session.get(url, timeout=timeout) as r:
                body = await r.json(content_type=None)
                status = r.status
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            instance.answered, instance.healthy, instance.parts = False, False, {}
            return
        parts = body.get("parts") if isinstance(body, dict) else None
        instance.parts = {str(k): bool(v) for k, v in (parts or {}).items()}
        # "starting" (no model yet) answers 503 with no parts: not an answer yet.
        instance.answered = bool(instance.parts)
        instance.healthy = status == 200

    async def check_all(self) -> list[Instance]:
        await asyncio.gather(*(self.check(i) for i in self.instances))
        return self.instances

    async def watch(self, interval: float = HEALTH_INTERVAL_SECONDS) -> None:
        """Check every server every ``interval`` seconds, until cancelled."""
        while True:
            with contextlib.suppress(Exception):
                await self.check_all()
            await asyncio.sleep(interval)
