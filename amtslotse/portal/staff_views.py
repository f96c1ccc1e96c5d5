"""Handlers of the staff pages: login, hotline console, editor preview, and their APIs.

Every page and API names the role it needs (:data:`PAGE_ROLES`; ``admin``
may do everything). Without a session, pages redirect to /login and APIs
answer 401; with a session but not the role, pages answer 403 with a page in
Leichte Sprache and APIs 403 problem+json. Every POST of a logged-in page
carries the session's CSRF token. Handlers stay thin: logins and sessions
live in ``auth``, the checker in ``content``, the backend's admin endpoints
behind ``backend``.
"""

from __future__ import annotations

import secrets
from html import escape
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from amtslotse.core.booking import answers
from amtslotse.core.booking.reference import find_code
from amtslotse.core.contact import check_name, clean_contact, contact_for
from amtslotse.core.reply import phrase_lines
from amtslotse.portal import keys
from amtslotse.portal.auth import (
    CSRF_HEADER,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    LoginRefused,
    Session,
    csrf_ok,
    set_cookie,
)
from amtslotse.portal.backend import BackendUnavailable, ask_backend
from amtslotse.portal.bodies import clean_text, read_form, read_json
from amtslotse.portal.content import MAX_LINT_CHARS
from amtslotse.portal.errors import Problem
from amtslotse.portal.views import client_key, forward, read_chat_body

#: The staff pages a login may lead to, and the role each needs.
PAGE_ROLES = {
    "/hotline": "hotline",
    "/editor": "editor",
    "/editor/eintrag": "editor",
    "/editor/bearbeiten": "editor",
    "/editor/feedback": "editor",
    "/statistik": "planner",
}
_LOGIN_COOKIE_AGE = 3600
_REFUSED = {
    "wrong": (401, "Name oder Pass·wort ist falsch."),
    "too_many": (429, "Zu viele falsche Versuche. Bitte warten Sie 1 Minute."),
    "busy": (429, "Gerade melden sich sehr viele an. Bitte versuchen Sie es gleich noch einmal."),
}


async def _session(request: web.Request) -> Session | None:
    return await request.app[keys.AUTH].session(request.cookies.get(SESSION_COOKIE))


def render_page(
    request: web.Request,
    name: str,
    status: int = 200,
    *,
    html: dict[str, str] | None = None,
    **values: str,
) -> web.Response:
    """The template ``name`` with ``values`` escaped, and ``html`` (already escaped) as is."""
    page = request.app[keys.PAGES][name].safe_substitute(
        {**{k: escape(v, quote=True) for k, v in values.items()}, **(html or {})}
    )
    response = web.Response(text=page, status=status, content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


def _to_login(request: web.Request) -> web.HTTPSeeOther:
    # With the query: /editor/bearbeiten?art=service&id=wohngeld opens that entry after the login.
    target = request.app.router["login"].url_for().with_query(next=request.path_qs)
    return web.HTTPSeeOther(location=target)


def _next_page(wanted: str) -> str:
    """``wanted`` (path and query) if it is one of this portal's staff pages, else /hotline:
    a login never leads to another site."""
    if not wanted.isprintable() or "\\" in wanted:
        return "/hotline"
    try:
        url = urlsplit(wanted)
    except ValueError:
        return "/hotline"
    if url.scheme or url.netloc or url.path not in PAGE_ROLES:
        return "/hotline"
    return url.path + (f"?{url.query}" if url.query else "")


def _landing(session: Session, wanted: str) -> str:
    """``wanted`` if the session may see it, else the first staff page it may see."""
    target = _next_page(wanted)
    if session.may(PAGE_ROLES[urlsplit(target).path]):
        return target
    return next((p for p, role in PAGE_ROLES.items() if session.may(role)), "/hotline")


def _forbidden(request: web.Request, session: Session) -> web.Response:
    roles = ", ".join(sorted(session.roles))
    return render_page(
        request, "forbidden", status=403, user=session.user, csrf=session.csrf, roles=roles
    )


async def page_session(request: web.Request, role: str) -> Session | web.Response:
    """The session of a staff page's request: a redirect to /login without one (raised),
    the "Kein Zugang" page without the role (returned)."""
    session = await _session(request)
    if session is None:
        raise _to_login(request)
    if not session.may(role):
        return _forbidden(request, session)
    return session


async def _staff_page(request: web.Request, name: str, role: str) -> web.Response:
    session = await page_session(request, role)
    if not isinstance(session, Session):
        return session
    return render_page(request, name, user=session.user, csrf=session.csrf)


async def api_session(request: web.Request, role: str, *, post: bool) -> Session:
    """The caller's session; Problem 401 without one, 403 without the role or CSRF header."""
    session = await _session(request)
    if session is None:
        raise Problem(401, "Login needed", "Log in at /login.")
    if not session.may(role):
        raise Problem(403, f"The role {role!r} is needed", "Ihr Konto hat dieses Recht nicht.")
    if post and not csrf_ok(session.csrf, request.headers.get(CSRF_HEADER)):
        raise Problem(403, "CSRF token missing or wrong", f"Send the {CSRF_HEADER} header.")
    return session


def _login_form(request: web.Request, *, error: str = "", status: int = 200) -> web.Response:
    token = secrets.token_urlsafe(24)
    next_page = request.query.get("next", "/hotline")
    response = render_page(
        request,
        "login",
        status=status,
        csrf=token,
        next=_next_page(next_page),
        error=error,
        error_hidden="" if error else "hidden",
    )
    set_cookie(response, request, LOGIN_COOKIE, token, max_age=_LOGIN_COOKIE_AGE, path="/login")
    return response


async def login_page(request: web.Request) -> web.Response:
    session = await _session(request)
    if session is not None:
        raise web.HTTPSeeOther(location=_landing(session, request.query.get("next", "/hotline")))
    return _login_form(request)


async def login(request: web.Request) -> web.Response:
    """Form POST: name, password, csrf (double-submit), next; see auth for the limits."""
    form = await read_form(request)
    if not csrf_ok(request.cookies.get(LOGIN_COOKIE, ""), form.get("csrf")):
        return _login_form(
            request, error="Die Seite war zu alt. Bitte melden Sie sich noch einmal an.", status=403
        )
    name, password = form.get("name", ""), form.get("password", "")
    auth = request.app[keys.AUTH]
    try:
        if not name or not password:
            raise LoginRefused("wrong")
        session = await auth.login(name, password, client_key(request))
    except LoginRefused as refused:
        status, error = _REFUSED[refused.reason]
        response = _login_form(request, error=error, status=status)
        if status == 429:
            response.headers["Retry-After"] = "60" if refused.reason == "too_many" else "5"
        return response
    redirect = web.HTTPSeeOther(location=_landing(session, form.get("next", "/hotline")))
    set_cookie(redirect, request, SESSION_COOKIE, session.token, max_age=auth.max_age)
    redirect.del_cookie(LOGIN_COOKIE, path="/login")
    raise redirect


async def logout(request: web.Request) -> web.Response:
    """Ends the session on the server: a copy of the cookie is worth nothing afterwards."""
    session = await _session(request)
    form = await read_form(request)
    if session is not None:
        if not csrf_ok(session.csrf, form.get("csrf")):
            raise Problem(403, "CSRF token missing or wrong")
        await request.app[keys.AUTH].logout(session)
    response = web.HTTPSeeOther(location=request.app.router["login"].url_for())
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


async def hotline_page(request: web.Request) -> web.Response:
    return await _staff_page(request, "hotline", PAGE_ROLES["/hotline"])


async def hotline_chat(request: web.Request) -> web.Response:
    """The console's turn: what the caller said → Rasa's ``hotline`` channel → next step.

    The agent's account travels along as message metadata (``{"staff": name}``),
    so that the actions can say who booked or cancelled.
    """
    session = await api_session(request, "hotline", post=True)
    sender, message = await read_chat_body(request)
    if not sender.startswith("hotline-"):
        raise Problem(422, "Invalid sender", "Hotline conversations start with 'hotline-'.")
    return await forward(request, "hotline", sender, message, {"staff": session.user})


async def editor_texts(request: web.Request) -> web.Response:
    """Every citizen-facing text with its findings and readability scores."""
    await api_session(request, "editor", post=False)
    return web.json_response(await request.app[keys.CONTENT].texts_report())


async def lint(request: web.Request) -> web.Response:
    """``{"text": ...}`` → ``{"findings": [...], "scores": {...}}`` of the checker."""
    await api_session(request, "editor", post=True)
    body: Any = await read_json(request, '{"text": "..."}')
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str):
        raise Problem(422, "Invalid text", '{"text": "..."}')
    if len(text) > MAX_LINT_CHARS:
        raise Problem(413, "Text too long", f"At most {MAX_LINT_CHARS} characters.")
    return web.json_response(await request.app[keys.CONTENT].check(clean_text(text, " ")))


# -- the hotline helps a caller without the PIN ------------------------------------------
# What the agent reads: instructions for staff (the caller hears the Leichte Sprache
# sentences of answers.yml, which the console shows under "Lesen Sie dem Anrufer vor:").
_HOTLINE_PROBLEMS: dict[str, tuple[int, str, str]] = {
    "code": (
        422,
        "Termin·nummer fehlt",
        "Die Termin·nummer hat 8 Zeichen, zum Beispiel K7M4-PQ2X. Fragen Sie noch einmal nach.",
    ),
    "name": (422, "Name fehlt", "Schreiben Sie den Vor- und Nach·namen des Anrufers auf."),
    "contact": (
        422,
        "Telefon·nummer oder E-Mail fehlt",
        "Schreiben Sie die Telefon·nummer oder E-Mail-Adresse auf, die der Anrufer bei der "
        "Buchung angegeben hat.",
    ),
    "not_found": (
        404,
        "Kein passender Termin",
        "Termin·nummer, Name und Telefon·nummer oder E-Mail passen zu keinem Termin. Fragen "
        "Sie noch einmal nach, so wie der Anrufer sie bei der Buchung angegeben hat.",
    ),
    "begun": (
        409,
        "Termin hat schon angefangen",
        "Absagen geht nicht mehr. Verbinden Sie den Anrufer mit dem Amt.",
    ),
    "unavailable": (
        503,
        "Termin·verwaltung antwortet nicht",
        "Versuchen Sie es gleich noch einmal. Sonst notieren Sie Termin·nummer und Rückruf·nummer.",
    ),
    "no_token": (
        503,
        "Kein Zugang zur Termin·verwaltung",
        "Die Konsole hat kein Admin-Token (AMTSLOTSE_ADMIN_TOKEN). Bitte melden Sie das der "
        "Technik.",
    ),
}


def _hotline_problem(key: str) -> Problem:
    return Problem(*_HOTLINE_PROBLEMS[key])


async def _caller_claim(request: web.Request) -> dict[str, Any]:
    """``{"booking_code", "name", "contact"}`` as the agent typed them, as the backend's claim."""
    body: Any = await read_json(request, '{"booking_code", "name", "contact"}')
    if not isinstance(body, dict):
        raise Problem(400, "Body must be a JSON object", '{"booking_code", "name", "contact"}')

    def text(name: str) -> str:
        value = body.get(name)
        return clean_text(value, " ") if isinstance(value, str) else ""

    code = find_code(text("booking_code"))
    if code is None:
        raise _hotline_problem("code")
    name = check_name(text("name")).name
    if name is None:
        raise _hotline_problem("name")
    contact = clean_contact(text("contact"))
    if contact is None:
        raise _hotline_problem("contact")
    return {"booking_code": code, "contact": contact_for(name, contact).as_dict()}


def _hotline_answer(request: web.Request, outcome: str, booking: dict[str, Any]) -> web.Response:
    """The booking (without the caller's contact) and what the agent reads out."""
    cat = request.app[keys.CONTENT].catalogue
    standing = booking.get("status") == "confirmed"
    if outcome == "cancelled":
        read_out = list(answers.cancelled_reply(cat, booking).lines)
    else:
        read_out = list(answers.show_reply(cat, booking).lines)
        if standing:
            read_out += phrase_lines(cat, "cancel_confirm")
    shown = {
        "booking_code": booking.get("booking_code"),
        "status": booking.get("status"),
        "start": booking.get("start"),
        "legs": answers.legs_payload(cat, booking.get("legs") or []),
    }
    return web.json_response({"outcome": outcome, "booking": shown, "read_out": read_out})


async def _hotline_booking(request: web.Request, action: str) -> web.Response:
    """Look up or cancel through the backend, with the admin token and the agent's account.

    The backend writes every call, found or not, to its audit log with the
    staff account; the caller's name and contact go no further than that call.
    """
    session = await api_session(request, "hotline", post=True)
    claim = await _caller_claim(request)
    token = request.app[keys.SETTINGS].scheduling.admin_token
    if not token:
        raise _hotline_problem("no_token")
    headers = {"Authorization": f"Bearer {token}", "X-Staff-Account": session.user}
    try:
        status, body = await ask_backend(
            request, "POST", f"/admin/bookings/{action}", headers=headers, body=claim
        )
    except BackendUnavailable:
        raise _hotline_problem("unavailable") from None
    if status == 404:
        raise _hotline_problem("not_found")
    if status == 409:
        raise _hotline_problem("begun")
    if status != 200 or not isinstance(body, dict):
        # 401/400/422 from the backend: the portal's own setup is wrong, not the agent's input.
        raise _hotline_problem("no_token" if status == 401 else "unavailable")
    outcome = "found" if action == "lookup" else "cancelled"
    return _hotline_answer(request, outcome, body)


async def hotline_booking_lookup(request: web.Request) -> web.Response:
    """``POST /api/hotline/booking/lookup``: the caller's booking by code, name and contact."""
    return await _hotline_booking(request, "lookup")


async def hotline_booking_cancel(request: web.Request) -> web.Response:
    """``POST /api/hotline/booking/cancel``: cancel it, after the caller said "Ja"."""
    return await _hotline_booking(request, "cancel")
