"""Reading request bodies so that no body, header or charset can make a handler fail.

aiohttp's own ``request.json()`` decodes with the charset the client names
(``charset=foo`` is a LookupError) and lets a body of 5000 ``[`` raise a
RecursionError; ``request.post()`` parses multipart bodies of any shape.
The portal reads the bytes itself: JSON is UTF-8 whatever the header says
(RFC 8259), forms are ``application/x-www-form-urlencoded`` (what every
browser form sends), and anything else is a :class:`Problem` 400 or 415.
Oversized bodies end in aiohttp's 413 (``client_max_size``), which the
error middleware answers as problem+json.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from amtslotse.portal.errors import Problem

#: A form has a handful of fields; more is not a browser.
MAX_FORM_FIELDS = 20
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


async def read_json(request: web.Request, detail: str) -> Any:
    """The body as JSON; Problem 400 with ``detail`` when it is not UTF-8 JSON."""
    raw = await request.read()
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Problem(400, "Body must be JSON", detail) from None


async def read_form(request: web.Request) -> dict[str, str]:
    """The fields of a urlencoded form (the first value of each name)."""
    return {name: values[0] for name, values in (await read_form_lists(request)).items()}


async def read_form_lists(
    request: web.Request, max_fields: int = MAX_FORM_FIELDS
) -> dict[str, list[str]]:
    """The fields of a urlencoded form, every value of each name (checkboxes)."""
    if request.content_type not in (
        "application/x-www-form-urlencoded",
        "application/octet-stream",
    ):
        raise Problem(
            415,
            "Unsupported form encoding",
            "Send the form as application/x-www-form-urlencoded.",
        )
    raw = await request.read()
    try:
        pairs = parse_qsl(
            raw.decode("utf-8"),
            keep_blank_values=True,
            max_num_fields=max_fields,
            encoding="utf-8",
            errors="strict",
        )
    except ValueError:  # not UTF-8, bad percent-escapes, too many fields
        raise Problem(400, "Malformed form") from None
    form: dict[str, list[str]] = {}
    for name, value in pairs:
        form.setdefault(name, []).append(value)
    return form


def clean_text(text: str, replacement: str = "") -> str:
    """``text`` with control characters (but newlines and tabs) and lone surrogates
    replaced (removed by default; a space keeps the columns of a text to check)."""
    return _CONTROL.sub(replacement, text)
