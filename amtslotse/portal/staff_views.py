"""Handlers of the staff pages: login, hotline console, editor preview, and their APIs.

Every page and API names the role it needs (:data:`PAGE_ROLES`; ``admin``
may do everything). Without a session, pages redirect to /login and APIs
answer 401; with a session but not the role, pages answer 403 with a page in
Leichte Sprache and APIs 403 problem+json. Every POST of a logged-in page
carries the session's CSRF token. Handlers stay thin: logins and sessions
live in ``auth``, the checker in ``content``.
"""

from __future__ import annotations

import secrets
from html import escape
from typing import Any

from aiohttp import web

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
from amtslotse.portal.bodies import clean_text, read_form, read_json
from amtslotse.portal.content import MAX_LINT_CHARS
from amtslotse.portal.errors import Problem
from amtslotse.portal.views import client_key, forward, read_chat_body

#: The staff pages a login may lead to, and the role each needs.
PAGE_ROLES = {
    "/hotline": "hotline",
    "/editor": "editor",
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
    target = request.app.router["login"].url_for().with_query(next=request.path)
    return web.HTTPSeeOther(location=target)


def _landing(session: Session, wanted: str) -> str:
    """``wanted`` if the session may see it, else the first staff page it may see."""
    if session.may(PAGE_ROLES.get(wanted, "admin")):
        return wanted
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
        next=next_page if next_page in PAGE_ROLES else "/hotline",
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


async def editor_page(request: web.Request) -> web.Response:
    return await _staff_page(request, "editor", PAGE_ROLES["/editor"])


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
