"""What a portal handler raises when a request cannot be served.

One exception, turned into an ``application/problem+json`` answer (RFC 9457)
by :func:`amtslotse.portal.middleware.error_middleware`::

    Problem
     └── (status, title, detail): 400 bad body, 401 login needed, 403 CSRF,
         422 invalid field, 429 too fast, 502/503 a process behind the portal
"""

from __future__ import annotations

from aiohttp import web


class Problem(Exception):
    """A request the portal refuses, with the answer's status, title and detail."""

    def __init__(self, status: int, title: str, detail: str = "", **extra: object):
        super().__init__(f"{status} {title}")
        self.status = status
        self.title = title
        self.detail = detail
        self.extra = extra  # more members of the problem (RFC 9457 extensions)

    def response(self) -> web.Response:
        return problem_response(self.status, self.title, self.detail, **self.extra)


def problem_response(status: int, title: str, detail: str = "", **extra: object) -> web.Response:
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return web.json_response(body, status=status, content_type="application/problem+json")
