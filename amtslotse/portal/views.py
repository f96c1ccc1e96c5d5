"""Request handlers of the portal: thin, no business logic."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import aiohttp
from aiohttp import web

from amtslotse.core.booking.answers import CHOOSE
from amtslotse.core.content import Catalogue
from amtslotse.core.reply import phrase_lines
from amtslotse.portal import clients, keys
from amtslotse.portal.backend import booking_auth
from amtslotse.portal.bodies import clean_text, read_form, read_json
from amtslotse.portal.errors import Problem
from amtslotse.portal.rasa_client import AssistantDown

#: Longer messages are cut before they reach Rasa; nobody's concern needs more.
MAX_MESSAGE_CHARS = 2000
_SENDER = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_TURN = _SENDER  # the widget's id of one message (kept when it is sent again)


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


async def _turn_of(request: web.Request) -> tuple[str | None, bool]:
    """The optional ``turn`` id and ``resent`` flag of a chat body (the widget sends both).

    A turn sent again with its id is answered once, whichever Rasa server
    gets it (see amtslotse/portal/rasa_client.py).
    """
    body = await read_json(request, SAY["broken"])  # read before, by read_chat_body: cached
    turn = body.get("turn") if isinstance(body, dict) else None
    if not isinstance(turn, str) or not _TURN.match(turn):
        return None, False
    return turn, body.get("resent") is True


def unavailable_lines(cat: Catalogue) -> list[str]:
    """What the citizen reads when the assistant is down: Leichte Sprache, the hotline number."""
    return phrase_lines(cat, "assistant_unavailable", phone=cat.county.hotline_phone)


async def forward(
    request: web.Request,
    channel: str,
    sender: str,
    message: str,
    metadata: dict[str, Any] | None = None,
) -> web.Response:
    """Pass one message to Rasa's ``channel`` webhook and its answer back.

    ``metadata`` (the hotline's ``{"staff": name}``) travels with the turn.
    The turn is counted after the answer is on its way (amtslotse.portal.statistics);
    a turn no server answered is not counted.

    When no Rasa server can answer, the answer is a 503 problem whose
    ``lines`` say so in Leichte Sprache (the widget shows them with "Noch
    einmal senden") and whose ``part`` names what is down.
    """
    turn, resent = await _turn_of(request)
    try:
        answer = await request.app[keys.RASA].turn(
            channel, sender, message, turn_id=turn, resent=resent, metadata=metadata
        )
    except AssistantDown as down:
        raise Problem(
            503,
            "The assistant is not available",
            f"{down.part} does not answer",
            part=down.part,
            lines=unavailable_lines(request.app[keys.CONTENT].catalogue),
        ) from None
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
    """Which parts answer; 200 while citizens can be served.

    ``checks`` has one flag per part: the portal, Rasa (every server), the
    action servers (as each Rasa server sees its own), the lock store and
    the tracker store (as the Rasa servers see them) and the scheduling
    backend. ``down`` names what does not answer (``rasa <url>``, ``actions
    of <url>``, ``lock_store``, ...). Status ``ok`` (200): everything
    answers; ``degraded`` (200): a Rasa server or its action server is down,
    the others serve; ``down`` (503): no citizen can be served.
    """
    s = request.app[keys.SETTINGS]
    rasa = request.app[keys.RASA]
    instances, scheduling = await asyncio.gather(
        rasa.check_all(), _probe(request.app[keys.HTTP], f"{s.scheduling_base_url}/healthz")
    )
    answered = [i for i in instances if i.answered]

    def shared(part: str) -> bool:
        return bool(answered) and all(i.parts.get(part, False) for i in answered)

    checks = {
        "portal": True,
        "rasa": len(answered) == len(instances),
        "actions": bool(answered) and all(i.parts.get("actions", False) for i in instances),
        "lock_store": shared("lock_store"),
        "tracker_store": shared("tracker_store"),
        "scheduling": scheduling,
    }
    down = [f"rasa {i.url}" for i in instances if not i.answered]
    down += [f"actions of {i.url}" for i in answered if not i.parts.get("actions", False)]
    down += [part for part in ("lock_store", "tracker_store", "scheduling") if not checks[part]]
    serving = any(i.healthy for i in instances) and scheduling
    status = "ok" if not down else "degraded" if serving else "down"
    return web.json_response(
        {
            "status": status,
            "checks": checks,
            "down": down,
            "instances": [i.describe() for i in instances],
        },
        status=200 if serving else 503,
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
