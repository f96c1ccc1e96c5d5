"""Access log without personal data.

aiohttp's default line holds the full URL (booking codes, query strings) and
the client address. This logger writes the route template instead
(``GET /api/v1/bookings/{code} 200 12ms``), never bodies, queries or headers.
"""

from __future__ import annotations

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse


class RouteAccessLogger(AbstractAccessLogger):
    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        match_info = getattr(request, "match_info", None)
        resource = match_info.route.resource if match_info is not None else None
        path = resource.canonical if resource is not None else "<unmatched>"
        self.logger.info("%s %s %d %.0fms", request.method, path, response.status, time * 1000)
