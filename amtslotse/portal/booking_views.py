"""The page the cancel link in the e-mails opens: see the booking, cancel with one button.

``GET /termin/{code}?t=<link token>`` shows the booking in Leichte Sprache
(the sentences of mail.yml and the chat's summary) and, while it stands, a
form with one button. Only ``POST /termin/{code}`` cancels: a GET alone,
a link preview or a prefetching mail scanner changes nothing. The POST
carries the token in a hidden field and a CSRF token that must equal the
page's cookie (double submit; the cookie is SameSite=Strict, HttpOnly and
limited to /termin/); a POST from another site's page also fails the
``Sec-Fetch-Site``/``Origin`` check. The token goes to the scheduling
backend as a bearer token and is never logged (the portal has no access
log; errors log the path only).
"""

from __future__ import annotations

import hmac
import re
import secrets
from collections.abc import Sequence
from html import escape
from typing import Any
from urllib.parse import quote

from aiohttp import web

from amtslotse.core.booking.answers import summary_lines
from amtslotse.core.content import Catalogue
from amtslotse.core.reply import phrase_lines
from amtslotse.portal import keys
from amtslotse.portal.auth import set_cookie
from amtslotse.portal.backend import BackendUnavailable, ask_backend, booking_path

CSRF_COOKIE = "amtslotse_termin"
_COOKIE_PATH = "/termin/"
_COOKIE_AGE = 3600
_CODE = re.compile(r"^[A-Za-z0-9-]{4,32}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,200}$")


def _lines_html(lines: Sequence[str]) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in lines)


def _notice(lines: Sequence[str], kind: str = "", *, alert: bool = False) -> str:
    role = "alert" if alert else "status"
    return f'<div class="notice {kind}" role="{role}">{_lines_html(lines)}</div>'


def _page(
    request: web.Request,
    *,
    status: int = 200,
    notice: str = "",
    booking: dict[str, Any] | None = None,
    action: str = "",
) -> web.Response:
    cat: Catalogue = request.app[keys.CONTENT].catalogue
    title = " ".join(phrase_lines(cat, "cancel_page_title"))
    summary = ""
    if booking is not None:
        summary = f'<section class="summary">{_lines_html(summary_lines(cat, booking))}</section>'
    html = request.app[keys.PAGES]["termin"].safe_substitute(
        title=escape(title),
        county=escape(cat.county.name),
        notice=notice,
        summary=summary,
        action=action,
    )
    response = web.Response(text=html, status=status, content_type="text/html", charset="utf-8")
    # The page shows a booking and carries its token: never cached, never indexed.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _phrase(request: web.Request, key: str) -> list[str]:
    cat: Catalogue = request.app[keys.CONTENT].catalogue
    return phrase_lines(cat, key, phone=cat.county.hotline_phone)


def _problem_page(request: web.Request, status: int, key: str) -> web.Response:
    return _page(request, status=status, notice=_notice(_phrase(request, key), "problem"))


async def _backend(request: web.Request, method: str, code: str, token: str) -> tuple[int, Any]:
    """Ask the scheduling backend about the booking, with the link token."""
    headers = {"Authorization": f"Bearer {token}"}
    return await ask_backend(request, method, booking_path(code), headers=headers)


def _form(request: web.Request, code: str, token: str, csrf: str) -> str:
    question = _lines_html(_phrase(request, "cancel_confirm"))  # the chat's question
    button = escape(" ".join(_phrase(request, "cancel_page_button")))
    keep = _lines_html(_phrase(request, "cancel_page_keep"))
    return (
        f'<form method="post" action="/termin/{escape(quote(code), quote=True)}">'
        f'<input type="hidden" name="t" value="{escape(token, quote=True)}">'
        f'<input type="hidden" name="csrf" value="{escape(csrf, quote=True)}">'
        f'<div class="question">{question}</div>'
        f'<button type="submit">{button}</button>'
        f"</form>{keep}"
    )


def _show(
    request: web.Request, code: str, token: str, booking: dict[str, Any], *, notice: str = ""
) -> web.Response:
    """The booking; while it stands, with the form and a fresh CSRF cookie."""
    if booking.get("status") == "cancelled":
        notice = notice or _notice(_phrase(request, "cancel_page_already"))
        return _page(request, notice=notice, booking=booking)
    csrf = secrets.token_urlsafe(24)
    response = _page(
        request,
        status=403 if notice else 200,
        notice=notice,
        booking=booking,
        action=_form(request, code, token, csrf),
    )
    set_cookie(response, request, CSRF_COOKIE, csrf, max_age=_COOKIE_AGE, path=_COOKIE_PATH)
    return response


def _too_fast(request: web.Request) -> bool:
    return not request.app[keys.LIMITER].allow(f"termin:{request.remote or 'unknown'}")


async def cancel_page(request: web.Request) -> web.Response:
    """GET: show the booking the link names; cancels nothing."""
    code, token = request.match_info["code"], request.query.get("t", "")
    if _too_fast(request):
        return _problem_page(request, 429, "cancel_page_unavailable")
    if not _CODE.match(code) or not _TOKEN.match(token):
        return _problem_page(request, 404, "cancel_page_not_found")
    try:
        status, booking = await _backend(request, "GET", code, token)
    except BackendUnavailable:
        return _problem_page(request, 503, "cancel_page_unavailable")
    if status != 200:
        return _problem_page(request, 404, "cancel_page_not_found")
    return _show(request, code, token, booking)


def _same_origin(request: web.Request) -> bool:
    """The form was sent from a page of this portal, as far as the browser tells.

    ``Sec-Fetch-Site`` first (modern browsers); then ``Origin``, which is
    "null" on this page (Referrer-Policy: no-referrer) and then says nothing.
    Clients that send neither rely on the CSRF token alone.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return True
    return origin == f"{request.scheme}://{request.host}"


async def cancel_booking(request: web.Request) -> web.Response:
    """POST from the page's button: cancel, then show the result."""
    code = request.match_info["code"]
    if _too_fast(request):
        return _problem_page(request, 429, "cancel_page_unavailable")
    form = await request.post()
    token, csrf = str(form.get("t", "")), str(form.get("csrf", ""))
    if not _CODE.match(code) or not _TOKEN.match(token):
        return _problem_page(request, 404, "cancel_page_not_found")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    fresh = bool(cookie) and hmac.compare_digest(cookie.encode(), csrf.encode())
    try:
        if not (fresh and _same_origin(request)):
            # Nothing is cancelled; the page comes back with a new form to press again.
            status, booking = await _backend(request, "GET", code, token)
            if status != 200:
                return _problem_page(request, 404, "cancel_page_not_found")
            expired = _notice(_phrase(request, "cancel_page_expired"), "problem", alert=True)
            return _show(request, code, token, booking, notice=expired)
        status, booking = await _backend(request, "DELETE", code, token)
    except BackendUnavailable:
        return _problem_page(request, 503, "cancel_page_unavailable")
    if status == 409:
        return _problem_page(request, 409, "cancel_page_begun")
    if status != 200:
        return _problem_page(request, 404, "cancel_page_not_found")
    response = _page(
        request, notice=_notice(_phrase(request, "cancel_page_done"), "done"), booking=booking
    )
    response.del_cookie(CSRF_COOKIE, path=_COOKIE_PATH)
    return response
