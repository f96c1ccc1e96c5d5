"""Request handlers of the portal: thin, no business logic."""

from __future__ import annotations

import asyncio
import re

import aiohttp
from aiohttp import web

from amtslotse.portal import keys
from amtslotse.portal.backend import booking_auth
from amtslotse.portal.errors import Problem

#: Longer messages are cut before they reach Rasa; nobody's concern needs more.
MAX_MESSAGE_CHARS = 2000
_SENDER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(keys.STATIC / "index.html")


async def widget_js(request: web.Request) -> web.FileResponse:
    return web.FileResponse(
        keys.STATIC / "widget.js", headers={"Content-Type": "text/javascript; charset=utf-8"}
    )


async def widget_css(request: web.Request) -> web.FileResponse:
    return web.FileResponse(
        keys.STATIC / "widget.css", headers={"Content-Type": "text/css; charset=utf-8"}
    )


def _client_key(request: web.Request) -> str:
    return request.remote or "unknown"


async def chat(request: web.Request) -> web.Response:
    """``{"sender", "message"}`` → Rasa's REST channel → the bot's messages."""
    if not request.app[keys.LIMITER].allow(_client_key(request)):
        raise Problem(
            429, "Too many messages", "Sie schreiben sehr schnell. Bitte warten Sie 1 Minute."
        )
    sender, message = await read_chat_body(request)
    return await forward(request, "rest", sender, message)


async def read_chat_body(request: web.Request) -> tuple[str, str]:
    """``(sender, message)`` of a chat request; Problem 400/422 when it is malformed."""
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise Problem(400, "Body must be JSON", '{"sender": "...", "message": "..."}') from None
    if not isinstance(body, dict):
        raise Problem(400, "Body must be a JSON object", '{"sender": "...", "message": "..."}')
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not _SENDER.match(sender):
        raise Problem(422, "Invalid sender", "8 to 64 characters: letters, digits, - and _")
    if not isinstance(message, str):
        raise Problem(422, "Invalid message", "message must be a text")
    return sender, message


async def forward(request: web.Request, channel: str, sender: str, message: str) -> web.Response:
    """Pass one message to Rasa's ``channel`` webhook and its answer back."""
    answer = await request.app[keys.RASA].turn(channel, sender, message.strip()[:MAX_MESSAGE_CHARS])
    return web.json_response(answer)


async def glossary(request: web.Request) -> web.Response:
    """The hard words and their explanations, for the widget's word links."""
    return web.json_response(
        {"glossary": request.app[keys.CONTENT].glossary},
        headers={"Cache-Control": "public, max-age=300"},
    )


async def _probe(session: aiohttp.ClientSession, url: str) -> bool:
    try:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=3)) as r:
            return r.status == 200
    except (aiohttp.ClientError, asyncio.TimeoutError):
        return False


async def healthz(request: web.Request) -> web.Response:
    """200 once the portal and the three processes behind it all answer."""
    s = request.app[keys.SETTINGS]
    session = request.app[keys.HTTP]
    names = ("rasa", "actions", "scheduling")
    urls = (f"{s.rasa_url}/", f"{s.action_url}/health", f"{s.scheduling_base_url}/healthz")
    results = await asyncio.gather(*(_probe(session, u) for u in urls))
    checks = {"portal": True, **dict(zip(names, results, strict=True))}
    status = 200 if all(checks.values()) else 503
    return web.json_response(
        {"status": "ok" if status == 200 else "starting", "checks": checks}, status=status
    )


_BOOKING_CODE = re.compile(r"^[A-Za-z0-9-]{4,32}$")


async def booking_ics(request: web.Request) -> web.StreamResponse:
    """Form POST ``code`` + ``token`` → the booking's calendar file from the scheduling backend.

    A form and not a link: the secret stays out of URLs and histories. The
    chat's card sends the PIN (``Authorization: PIN``, counted per client like
    every PIN); a token is sent as a bearer token.
    """
    if not request.app[keys.LIMITER].allow(_client_key(request)):
        raise Problem(429, "Too many requests", "Bitte warten Sie 1 Minute.")
    form = await request.post()
    code, token = str(form.get("code", "")), str(form.get("token", ""))
    if not _BOOKING_CODE.match(code) or not token or len(token) > 200:
        raise Problem(422, "Invalid booking code or token")
    url = f"{request.app[keys.SETTINGS].scheduling_base_url}/api/v1/bookings/{code}/ics"
    try:
        async with request.app[keys.HTTP].get(
            url, headers=booking_auth(token, _client_key(request))
        ) as r:
            if r.status in (401, 403, 404):
                raise Problem(404, "No such booking")
            if r.status in (423, 429):
                problem = await r.json(content_type=None)
                # The backend's detail is a sentence for the citizen ("... 15 Minuten gesperrt.").
                detail = problem.get("detail") if isinstance(problem, dict) else None
                raise Problem(429, "Too many wrong PINs", str(detail or ""))
            if r.status != 200:
                raise Problem(502, "The scheduling backend answered with an error")
            body = await r.read()
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        raise Problem(503, "The scheduling backend is not reachable") from None
    return web.Response(
        body=body,
        content_type="text/calendar",
        charset="utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="termin-{code}.ics"',
            "Cache-Control": "no-store",
        },
    )
