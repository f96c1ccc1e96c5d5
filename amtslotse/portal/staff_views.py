"""Handlers of the staff pages: login, hotline console, editor preview, and their APIs.

Pages without a valid session redirect to /login; APIs answer 401. Every
POST of a logged-in page carries the session's CSRF token. Handlers stay
thin: sessions live in ``auth``, the checker in ``content``.
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
    Session,
    csrf_ok,
    set_cookie,
)
from amtslotse.portal.bodies import clean_text, read_form, read_json
from amtslotse.portal.content import MAX_LINT_CHARS
from amtslotse.portal.errors import Problem
from amtslotse.portal.views import client_key, forward, read_chat_body

#: Where a login may lead (no open redirect to other sites).
_NEXT_PAGES = {"/hotline", "/editor"}
_LOGIN_COOKIE_AGE = 3600


def _secure(request: web.Request) -> bool:
    """Cookies only over https when the public address is https (or this request was)."""
    return request.app[keys.SETTINGS].public_https or request.secure


def _session(request: web.Request) -> Session | None:
    return request.app[keys.AUTH].read(request.cookies.get(SESSION_COOKIE))


def _page(request: web.Request, name: str, status: int = 200, **values: str) -> web.Response:
    html = request.app[keys.PAGES][name].safe_substitute(
        {k: escape(v, quote=True) for k, v in values.items()}
    )
    response = web.Response(text=html, status=status, content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


def _to_login(request: web.Request) -> web.HTTPSeeOther:
    target = request.app.router["login"].url_for().with_query(next=request.path)
    return web.HTTPSeeOther(location=target)


def _staff_page(request: web.Request, name: str) -> web.Response:
    session = _session(request)
    if session is None:
        raise _to_login(request)
    return _page(request, name, user=session.user, csrf=session.csrf)


def _api_session(request: web.Request, *, post: bool) -> Session:
    """The caller's session; Problem 401 without one, 403 when a POST lacks the CSRF header."""
    session = _session(request)
    if session is None:
        raise Problem(401, "Login needed", "Log in at /login.")
    if post and not csrf_ok(session.csrf, request.headers.get(CSRF_HEADER)):
        raise Problem(403, "CSRF token missing or wrong", f"Send the {CSRF_HEADER} header.")
    return session


def _login_form(request: web.Request, *, error: str = "", status: int = 200) -> web.Response:
    token = secrets.token_urlsafe(24)
    next_page = request.query.get("next", "/hotline")
    response = _page(
        request,
        "login",
        status=status,
        csrf=token,
        next=next_page if next_page in _NEXT_PAGES else "/hotline",
        error=error,
        error_hidden="" if error else "hidden",
    )
    set_cookie(
        response,
        LOGIN_COOKIE,
        token,
        max_age=_LOGIN_COOKIE_AGE,
        path="/login",
        secure=_secure(request),
    )
    return response


async def login_page(request: web.Request) -> web.Response:
    if _session(request) is not None:
        next_page = request.query.get("next", "/hotline")
        raise web.HTTPSeeOther(location=next_page if next_page in _NEXT_PAGES else "/hotline")
    return _login_form(request)


async def login(request: web.Request) -> web.Response:
    """Form POST: name, password, csrf (double-submit), next. Failed tries are rate-limited."""
    client = f"login:{client_key(request)}"
    limiter = request.app[keys.LOGIN_LIMITER]
    if limiter.blocked(client):
        return _login_form(
            request, error="Zu viele falsche Versuche. Bitte warten Sie 1 Minute.", status=429
        )
    form = await read_form(request)
    if not csrf_ok(request.cookies.get(LOGIN_COOKIE, ""), form.get("csrf")):
        return _login_form(
            request, error="Die Seite war zu alt. Bitte melden Sie sich noch einmal an.", status=403
        )
    name, password = form.get("name", ""), form.get("password", "")
    auth = request.app[keys.AUTH]
    if not name or not await auth.check_password(name, password):
        limiter.allow(client)
        return _login_form(request, error="Name oder Pass·wort ist falsch.", status=401)
    value, _ = auth.issue(name)
    next_page = form.get("next", "")
    response = web.HTTPSeeOther(location=next_page if next_page in _NEXT_PAGES else "/hotline")
    set_cookie(response, SESSION_COOKIE, value, max_age=auth.max_age, secure=_secure(request))
    response.del_cookie(LOGIN_COOKIE, path="/login")
    raise response


async def logout(request: web.Request) -> web.Response:
    session = _session(request)
    form = await read_form(request)
    if session is not None and not csrf_ok(session.csrf, form.get("csrf")):
        raise Problem(403, "CSRF token missing or wrong")
    response = web.HTTPSeeOther(location=request.app.router["login"].url_for())
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


async def hotline_page(request: web.Request) -> web.Response:
    return _staff_page(request, "hotline")


async def editor_page(request: web.Request) -> web.Response:
    return _staff_page(request, "editor")


async def hotline_chat(request: web.Request) -> web.Response:
    """The console's turn: what the caller said → Rasa's ``hotline`` channel → next step."""
    _api_session(request, post=True)
    sender, message = await read_chat_body(request)
    if not sender.startswith("hotline-"):
        raise Problem(422, "Invalid sender", "Hotline conversations start with 'hotline-'.")
    return await forward(request, "hotline", sender, message)


async def editor_texts(request: web.Request) -> web.Response:
    """Every citizen-facing text with its findings and readability scores."""
    _api_session(request, post=False)
    return web.json_response(await request.app[keys.CONTENT].texts_report())


async def lint(request: web.Request) -> web.Response:
    """``{"text": ...}`` → ``{"findings": [...], "scores": {...}}`` of the checker."""
    _api_session(request, post=True)
    body: Any = await read_json(request, '{"text": "..."}')
    text = body.get("text") if isinstance(body, dict) else None
    if not isinstance(text, str):
        raise Problem(422, "Invalid text", '{"text": "..."}')
    if len(text) > MAX_LINT_CHARS:
        raise Problem(413, "Text too long", f"At most {MAX_LINT_CHARS} characters.")
    return web.json_response(await request.app[keys.CONTENT].check(clean_text(text, " ")))
