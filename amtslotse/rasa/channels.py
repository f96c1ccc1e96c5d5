"""Rasa input channels of the portal: the website chat (``rest``) and the hotline console.

Both keep the shape of Rasa's REST channel (``POST /webhooks/<name>/webhook``
with ``{"sender", "message"}``, answered with the bot's messages as a list)
and add what several Rasa servers behind the portal need:

- **A turn runs at most once.** The portal names each turn
  (``metadata.turn``, kept as the user message's ``message_id``). When it
  sends a turn again (``metadata.resent``, after a server went away or did
  not answer in time), the channel looks, under the conversation's lock, for
  that turn in the tracker: if a server already answered it, the answer is
  sent again from the tracker instead of running the turn a second time.
- **A part down is said, not hidden.** Rasa's own channel answers ``[]``
  when the lock store, the tracker store or the action server fails (and
  Rasa's fail-safe tracker store would even carry on in memory, forgetting
  the conversation). Here the answer is ``503 {"error", "part"}`` naming the
  part (``lock_store``, ``tracker_store``, ``actions``, ``rasa``), and a turn
  that produced no answer is reverted, so sending it again starts clean.
- **No citizen's text in the log**: errors are logged by type only (Rasa's
  channel logs the message text with the exception and its local variables).
- **The caller's metadata stays.** The request's ``metadata`` object
  becomes the user message's metadata, so actions find it in
  ``tracker.latest_message``: the hotline console names the agent
  (``{"staff": account}``), and the audit log can say who acted.
- ``GET /webhooks/<name>/health`` says whether this server's lock store,
  tracker store and action server answer; the portal's health check asks it.

The hotline channel differs only in its output: responses go out through an
output channel named ``hotline``, so Rasa picks the ``channel: hotline``
variations of the domain's responses (phrased for the agent, e.g. "Sagen
Sie dem Anrufer: ..."), and custom actions see ``hotline`` in
``tracker.get_latest_input_channel()``.

Registered in bot/credentials.yml.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.lock_store import LockError
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.events import BotUttered, Event, UserUtteranceReverted, UserUttered
from redis.exceptions import RedisError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from amtslotse import logs

log = logging.getLogger(__name__)

#: How long the health check waits for each part.
PROBE_SECONDS = 2.0
#: The parts a turn needs, as the answers and the log name them.
PART_NAMES = {
    "lock_store": "the lock store (Redis)",
    "tracker_store": "the tracker store (the conversations' database)",
    "actions": "the action server",
    "rasa": "the Rasa server",
}


class Down(Exception):
    """A part this server needs did not answer; ``part`` names it."""

    def __init__(self, part: str):
        super().__init__(part)
        self.part = part


def earlier_answer(events: list[Event], turn: str) -> list[BotUttered] | None:
    """The bot's messages of turn ``turn`` if the tracker holds that turn answered, else None.

    A turn without a bot message (one that failed and was reverted) counts
    as not answered: it is run again.
    """
    answer: list[BotUttered] | None = None
    for event in events:
        if isinstance(event, UserUttered):
            if answer:
                return answer
            answer = [] if event.message_id == turn else None
        elif isinstance(event, BotUttered) and answer is not None:
            answer.append(event)
    return answer or None


def _strict_tracker_store(agent: Any) -> Any:
    """The agent's tracker store without Rasa's fail-safe wrapper.

    The wrapper answers a failing database with an empty conversation and
    keeps the new events in this server's memory: the citizen's history is
    gone and other servers never see the turn. Unwrapped, the error reaches
    the channel, which says the tracker store is down.
    """
    store = agent.tracker_store
    if isinstance(store, FailSafeTrackerStore):
        inner = store._tracker_store
        agent.tracker_store = inner
        if agent.processor is not None:
            agent.processor.tracker_store = inner
        return inner
    return store


def _select_one(engine: Any) -> None:
    from sqlalchemy import text

    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


async def _part_health(agent: Any) -> dict[str, bool]:
    """Whether this server's lock store, tracker store and action server answer."""

    async def lock_store() -> bool:
        store = agent.lock_store
        ping = getattr(store, "ping", None)
        if ping is None:
            return True  # in memory
        try:
            return bool(await asyncio.wait_for(ping(), PROBE_SECONDS))
        except (asyncio.TimeoutError, RedisError, OSError):
            return False

    async def tracker_store() -> bool:
        engine = getattr(_strict_tracker_store(agent), "engine", None)
        if engine is None:
            return True  # in memory
        try:
            await asyncio.wait_for(asyncio.to_thread(_select_one, engine), PROBE_SECONDS)
            return True
        except (asyncio.TimeoutError, SQLAlchemyError, OSError):
            return False

    results = await asyncio.gather(lock_store(), tracker_store(), actions_answer(agent))
    return dict(zip(("lock_store", "tracker_store", "actions"), results, strict=True))


async def actions_answer(agent: Any) -> bool:
    endpoint = getattr(agent, "action_endpoint", None)
    if endpoint is None or not endpoint.url:
        return True
    url = endpoint.url.rstrip("/").removesuffix("/webhook") + "/health"
    try:
        timeout = aiohttp.ClientTimeout(total=PROBE_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as r:
            return r.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False


class ChatInput(RestInput):
    """``POST /webhooks/rest/webhook``: the website chat, through the portal."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def output_channel(self) -> CollectingOutputChannel:
        return CollectingOutputChannel()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # on_new_message is Rasa's agent.handle_message: lock, then process. The
        # turn runs the same two steps itself, to look for an earlier answer
        # inside the lock.
        hook = Blueprint(f"{self.name()}_webhook", __name__)

        @hook.listener("after_server_start")
        async def strict_tracker_store(app: Any, _loop: Any) -> None:
            _strict_tracker_store(app.ctx.agent)
            # Sanic and Rasa add log handlers after bot/logging.yml ran.
            logs.install()

        @hook.route("/", methods=["GET"])
        async def alive(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/health", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"status": "starting", "parts": {}}, status=503)
            parts = await _part_health(agent)
            ok = all(parts.values())
            return response.json(
                {"status": "ok" if ok else "down", "parts": parts}, status=200 if ok else 503
            )

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body: dict[str, Any] = request.json if isinstance(request.json, dict) else {}
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender or not isinstance(text, str):
                return response.json({"error": "sender and message must be texts"}, status=400)
            given = body.get("metadata")
            metadata: dict[str, Any] = given if isinstance(given, dict) else {}
            turn = metadata.get("turn") if isinstance(metadata.get("turn"), str) else None
            collector = self.output_channel()
            message = UserMessage(
                text,
                collector,
                sender,
                input_channel=self.name(),
                message_id=turn,
                metadata=metadata or None,
            )
            try:
                await self.run_turn(request.app.ctx.agent, message, bool(metadata.get("resent")))
            except Down as down:
                said = f"{PART_NAMES[down.part]} does not answer"
                log.warning("a chat turn failed: %s", said)
                return response.json({"error": said, "part": down.part}, status=503)
            return response.json(collector.messages)

        return hook

    async def run_turn(self, agent: Any, message: UserMessage, resent: bool) -> None:
        """Run one turn under the conversation's lock; raise Down naming a failed part."""
        if agent is None or not agent.is_ready():
            raise Down("rasa")
        sender = message.sender_id
        collector = message.output_channel
        assert isinstance(collector, CollectingOutputChannel) and sender is not None
        try:
            async with agent.lock_store.lock(sender):
                store = _strict_tracker_store(agent)
                if resent and message.message_id:
                    tracker = await store.retrieve(sender)
                    events = list(tracker.events) if tracker else []
                    answer = earlier_answer(events, message.message_id)
                    if answer is not None:
                        log.info("a turn sent again was answered before; sending that answer")
                        for bot in answer:
                            await collector.send_response(sender, bot.message())
                        return
                await agent.processor.handle_message(message)
                if not collector.messages:
                    # No answer: Rasa swallowed a failure (usually the action
                    # server). Undo the turn, so that sending it again starts clean.
                    part = "rasa" if await actions_answer(agent) else "actions"
                    tracker = await store.retrieve(sender)
                    if tracker is not None:
                        tracker.update(UserUtteranceReverted())
                        await store.save(tracker)
                    raise Down(part)
        except Down:
            raise
        except (LockError, RedisError) as exc:
            log.warning("lock store error: %s", type(exc).__name__)
            raise Down("lock_store") from None
        except SQLAlchemyError as exc:
            log.warning("tracker store error: %s", type(exc).__name__)
            raise Down("tracker_store") from None
        except asyncio.CancelledError:
            log.warning("a chat turn was cancelled (the client went away)")
            raise
        except Exception as exc:  # noqa: BLE001 - one turn fails, the server stays up
            log.error("a chat turn failed: %s", type(exc).__name__)
            raise Down("rasa") from None


class HotlineOutput(CollectingOutputChannel):
    """Collects the bot's messages; its name selects the hotline response variations.

    Messages from a domain response keep its name as ``utter_action``: the
    console shows them as instructions for the agent, and everything else
    (texts composed by custom actions) as text to read out to the caller.
    """

    @classmethod
    def name(cls) -> str:
        return "hotline"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        before = len(self.messages)
        await super().send_response(recipient_id, message)
        utter_action = message.get("utter_action")
        if isinstance(utter_action, str):
            for collected in self.messages[before:]:
                collected["utter_action"] = utter_action


class HotlineInput(ChatInput):
    """``POST /webhooks/hotline/webhook`` with ``{"sender", "message", "metadata"}``."""

    @classmethod
    def name(cls) -> str:
        return "hotline"

    def output_channel(self) -> CollectingOutputChannel:
        return HotlineOutput()
