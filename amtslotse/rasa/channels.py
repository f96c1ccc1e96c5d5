"""Rasa input channel of the hotline console: the REST channel under another name.

Registered in bot/credentials.yml; the portal's hotline endpoint posts to
``/webhooks/hotline/webhook`` with ``{"sender", "message", "metadata"}``,
where ``metadata`` names the agent (``{"staff": account}``); it becomes the
UserMessage's metadata, so actions find it in ``tracker.latest_message``
and the audit log can name who acted. Responses go out through an output channel
that is also named ``hotline``, so Rasa picks the ``channel: hotline``
variations of the domain's responses (phrased for the agent, e.g. "Sagen Sie
dem Anrufer: ..."), and custom actions see ``hotline`` in
``tracker.get_latest_input_channel()``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

log = logging.getLogger(__name__)


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


class HotlineInput(RestInput):
    """``POST /webhooks/hotline/webhook`` with ``{"sender", "message"}``, answered as a list."""

    @classmethod
    def name(cls) -> str:
        return "hotline"

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        """The ``metadata`` object of the request body (Rasa's REST channel drops it)."""
        body = request.json if isinstance(request.json, dict) else {}
        metadata = body.get("metadata")
        return metadata if isinstance(metadata, dict) else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        hook = Blueprint("hotline_webhook", __name__)

        @hook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @hook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            sender_id = await self._extract_sender(request)
            text = self._extract_message(request)
            collector = HotlineOutput()
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        collector,
                        sender_id,
                        input_channel=self.name(),
                        metadata=self.get_metadata(request),
                    )
                )
            except asyncio.CancelledError:
                log.error("hotline message timed out")
            except Exception:  # Rasa's own REST channel answers with what it has, too
                log.exception("hotline message failed")
            return response.json(collector.messages)

        return hook
