"""Request handlers of the portal: thin, no business logic."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import aiohttp
from aiohttp import web

from amtslotse.portal import app as portal
from amtslotse.portal.middleware import problem

#: Longer messages are cut before they reach Rasa; nobody's concern needs more.
MAX_MESSAGE_CHARS = 2000
_SENDER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(portal.STATIC / "index.html")


async def widget_js(request: web.Request) -> web.FileResponse:
    return web.FileResponse(
        portal.STATIC / "widget.js", headers={"Content-Type": "text/javascript; charset=utf-8"}
    )


async def widget_css(request: web.Request) -> web.FileResponse:
    return web.FileResponse(
        portal.STATIC / "widget.css", headers={"Content-Type": "text/css; charset=utf-8"}
    )


def _client_key(request: web.Request) -> str:
    return request.remote or "unknown"


async def chat(request: web.Request) -> web.Response:
    """``{"sender", "message"}`` → Rasa's REST channel → the bot's messages."""
    if not request.app[portal.LIMITER].allow(_client_key(request)):
        return problem(
            429, "Too many messages", "Sie schreiben sehr schnell. Bitte warten Sie 1 Minute."
        )
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        return problem(400, "Body must be JSON", '{"sender": "...", "message": "..."}')
    if not isinstance(body, dict):
        return problem(400, "Body must be a JSON object", '{"sender": "...", "message": "..."}')
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not _SENDER.match(sender):
        return problem(422, "Invalid sender", "8 to 64 characters: letters, digits, - and _")
    if not isinstance(message, str):
        return problem(422, "Invalid message", "message must be a text")
    message = message.strip()[:MAX_MESSAGE_CHARS]
    settings = request.app[portal.SETTINGS]
    url = f"{settings.rasa_url}/webhooks/rest/webhook"
    try:
        async with request.app[portal.HTTP].post(
            url, json={"sender": sender, "message": message}
        ) as r:
            if r.status != 200:
                return problem(502, "The assistant answered with an error")
            answer: list[dict[str, Any]] = await r.json()
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return problem(503, "The assistant is not reachable")
    return web.json_response(answer)


async def _probe(session: aiohttp.ClientSession, url: str) -> bool:
    try:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=3)) as r:
            return r.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False


async def healthz(request: web.Request) -> web.Response:
    """200 once the portal and the three processes behind it all answer."""
    s = request.app[portal.SETTINGS]
    session = request.app[portal.HTTP]
    names = ("rasa", "actions", "scheduling")
    urls = (f"{s.rasa_url}/", f"{s.action_url}/health", f"{s.scheduling_base_url}/healthz")
    results = await asyncio.gather(*(_probe(session, u) for u in urls))
    checks = {"portal": True, **dict(zip(names, results, strict=True))}
    status = 200 if all(checks.values()) else 503
    return web.json_response(
        {"status": "ok" if status == 200 else "starting", "checks": checks}, status=status
    )
