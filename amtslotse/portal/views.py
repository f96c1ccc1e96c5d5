"""Request handlers of the portal: thin, no business logic."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import aiohttp
from aiohttp import web

from amtslotse.core.booking.answers import CHOOSE
from amtslotse.portal import clients, keys
from amtslotse.portal.backend import booking_auth
from amtslotse.portal.bodies import clean_text, read_form, read_json
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


#: What the widget shows when the portal refuses a citizen's message
#: (Leichte Sprache; tests/portal/test_widget_texts.py checks them).
SAY = {
    "broken": "Die Nachricht ist nicht angekommen. Bitte laden Sie die Seite neu.",
    "too_fast": "Sie schreiben sehr schnell. Bitte warten Sie 1 Minute.",
    "too_many_conversations": (
        "Sie haben schon sehr viele neue Gespräche begonnen. Bitte warten Sie 1 Stunde."
    ),
    "too_many_choices": "Sie haben schon oft eine Zeit gewählt. Bitte warten Sie $minutes Minuten.",
}
_CHAT_EXAMPLE = '{"sender": "...", "message": "..."}'


def client_key(request: web.Request) -> str:
    """The key of the rate limits: the real client (see portal.clients)."""
    return clients.client_key(request.remote)


async def chat(request: web.Request) -> web.Response:
    """``{"sender", "message"}`` → Rasa's REST channel → the bot's messages.

    Per client: the message rate, then new conversations, then chosen times
    (see amtslotse.portal.caps for why these bound the holds one client makes).
    """
    client = client_key(request)
    if not request.app[keys.LIMITER].allow(client):
        raise Problem(429, "Too many messages", SAY["too_fast"])
    sender, message = await read_chat_body(request)
    if not request.app[keys.NEW_CONVERSATIONS].allow(client, sender):
        raise Problem(429, "Too many new conversations", SAY["too_many_conversations"])
    if _chooses_a_time(message) and not request.app[keys.CHOICES].allow(client):
        minutes = request.app[keys.SETTINGS].scheduling.hold_minutes
        raise Problem(
            429,
            "Too many chosen times",
            SAY["too_many_choices"].replace("$minutes", str(minutes)),
        )
    return await forward(request, "rest", sender, message)


def _chooses_a_time(message: str) -> bool:
    """The payload that makes the action server hold a time."""
    return message.lstrip().startswith(f"/{CHOOSE}")


async def read_chat_body(request: web.Request) -> tuple[str, str]:
    """``(sender, message)`` of a chat request; Problem 400/422 when it is malformed."""
    body = await read_json(request, SAY["broken"])
    if not isinstance(body, dict):
        raise Problem(400, "Body must be a JSON object " + _CHAT_EXAMPLE, SAY["broken"])
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not _SENDER.match(sender):
        raise Problem(422, "Invalid sender: 8 to 64 letters, digits, - and _", SAY["broken"])
    if not isinstance(message, str):
        raise Problem(422, "Invalid message: a text", SAY["broken"])
    return sender, clean_text(message).strip()[:MAX_MESSAGE_CHARS]


async def forward(
    request: web.Request,
    channel: str,
    sender: str,
    message: str,
    metadata: dict[str, Any] | None = None,
) -> web.Response:
    """Pass one message to Rasa's ``channel`` webhook and its answer back.

    The turn is counted after the answer is on its way (amtslotse.portal.statistics).
    """
    answer = await request.app[keys.RASA].turn(channel, sender, message, metadata)
    request.app[keys.STATS].turn(
        "hotline" if channel == "hotline" else "web", sender, message, answer
    )
    return web.json_response(answer)


_FEEDBACK_EXAMPLE = '{"sender": "...", "helpful": true|false, "service_id": "..."}'


async def feedback(request: web.Request) -> web.Response:
    """A citizen's "Ja"/"Nein" under an answer, or the reason after a "Nein".

    ``{"sender", "helpful", "service_id"?}`` → 201 ``{"id", "token"}``;
    ``{"sender", "feedback": id, "token", "reason"}`` → 200. Nothing the
    citizen typed is in the body; the message a "Nein" is about was scrubbed
    when it came (amtslotse.portal.statistics).
    """
    if not request.app[keys.LIMITER].allow(client_key(request)):
        raise Problem(429, "Too many requests", SAY["too_fast"])
    body = await read_json(request, SAY["broken"])
    if not isinstance(body, dict):
        raise Problem(400, "Body must be a JSON object " + _FEEDBACK_EXAMPLE, SAY["broken"])
    sender = body.get("sender")
    if not isinstance(sender, str) or not _SENDER.match(sender):
        raise Problem(422, "Invalid sender: 8 to 64 letters, digits, - and _", SAY["broken"])
    stats = request.app[keys.STATS]
    if "feedback" in body:
        feedback_id, token, reason = body.get("feedback"), body.get("token"), body.get("reason")
        if (
            not isinstance(feedback_id, int)
            or not isinstance(token, str)
            or not isinstance(reason, str)
        ):
            raise Problem(422, "Invalid follow-up: feedback (id), token, reason", SAY["broken"])
        if not await stats.feedback_reason("web", sender, feedback_id, token[:64], reason):
            raise Problem(404, "No such feedback, or its reason is already given", SAY["broken"])
        return web.json_response({"ok": True})
    helpful, service_id = body.get("helpful"), body.get("service_id")
    if not isinstance(helpful, bool):
        raise Problem(422, "Invalid helpful: true or false " + _FEEDBACK_EXAMPLE, SAY["broken"])
    if service_id is not None and service_id not in request.app[keys.CONTENT].catalogue.services:
        raise Problem(422, "Unknown service_id", SAY["broken"])
    done = await stats.feedback("web", sender, helpful, service_id)
    return web.json_response({"id": done.id, "token": done.follow_up}, status=201)


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
#: Access tokens are URL-safe base64; nothing else may reach a header (no CR/LF, no spaces).
_ACCESS_TOKEN = re.compile(r"^[A-Za-z0-9._~+/=-]{1,200}$")


async def booking_ics(request: web.Request) -> web.StreamResponse:
    """Form POST ``code`` + ``token`` → the booking's calendar file from the scheduling backend.

    A form and not a link: the secret stays out of URLs and histories. The
    chat's card sends the PIN (``Authorization: PIN``, counted per client like
    every PIN); a token is sent as a bearer token.
    """
    if not request.app[keys.LIMITER].allow(client_key(request)):
        raise Problem(429, "Too many requests", SAY["too_fast"])
    form = await read_form(request)
    code, token = form.get("code", ""), form.get("token", "")
    if not _BOOKING_CODE.match(code) or not _ACCESS_TOKEN.match(token):
        raise Problem(422, "Invalid booking code or token")
    url = f"{request.app[keys.SETTINGS].scheduling_base_url}/api/v1/bookings/{code}/ics"
    try:
        async with request.app[keys.HTTP].get(
            url, headers=booking_auth(token, client_key(request))
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
