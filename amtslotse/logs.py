"""Log records without personal data: what citizens type never reaches a log.

Every process logs through handlers that carry :class:`PrivateDataFilter`
(``install`` puts it on every handler there is; Rasa gets it from
bot/logging.yml through ``--logging-config-file``). The filter cannot know
which words a citizen typed, so it removes the places where such words end
up, whatever the library:

- tracebacks: an exception's message and the local variables (Rasa's
  structured tracebacks list them all) often hold the data being processed;
  a record keeps the exception's type and the line it came from, nothing else;
- structured records (Rasa's structlog JSON lines): only the event name and
  the log level stay; the fields (``text``, ``message``, ``rasa_event``, ...)
  go;
- SQL errors: SQLAlchemy appends the statement and its parameters;
- debug records: they narrate every message and slot, so none passes.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from types import TracebackType

_SQL_DETAILS = re.compile(r"\s*\[(?:SQL|parameters):.*?\](?=\s*(?:\[|\(Background|$))", re.S)
_KEPT_FIELDS = ("event", "level", "event_key")


def exception_summary(
    exc_type: type[BaseException] | None, tb: TracebackType | None, chain: BaseException | None
) -> str:
    """``ConnectionError at rasa/core/lock_store.py:123 (from OSError)``: type and place only."""
    if exc_type is None:
        return ""
    where = ""
    if tb is not None:
        last = traceback.extract_tb(tb)[-1]
        parts = last.filename.replace("\\", "/").split("/")
        short = "/".join(parts[-3:])
        where = f" at {short}:{last.lineno}"
    causes: list[str] = []
    cause = (chain.__cause__ or chain.__context__) if chain is not None else None
    while cause is not None and len(causes) < 3:
        causes.append(type(cause).__name__)
        cause = cause.__cause__ or cause.__context__
    suffix = f" (from {', '.join(causes)})" if causes else ""
    return f"{exc_type.__name__}{where}{suffix}"


def scrub(message: str) -> str:
    """A log message without structured fields and SQL parameters."""
    stripped = message.strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        try:
            data = json.loads(stripped)
        except ValueError:
            data = None
        if isinstance(data, dict):
            kept = {k: data[k] for k in _KEPT_FIELDS if k in data}
            exceptions = data.get("exception")
            if isinstance(exceptions, list):
                kept["exception"] = [e.get("exc_type") for e in exceptions if isinstance(e, dict)]
            return json.dumps(kept, ensure_ascii=False)
    return _SQL_DETAILS.sub("", message)


class PrivateDataFilter(logging.Filter):
    """Rewrites each record so that it carries no personal data (see the module)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.INFO:
            return False
        if getattr(record, "_amtslotse_scrubbed", False):
            return True  # a record reaches several handlers; rewrite it once
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        message = scrub(message)
        if record.exc_info:
            exc_type, exc, tb = record.exc_info
            message = f"{message} [{exception_summary(exc_type, tb, exc)}]"
        record.msg, record.args = message, ()
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        record._amtslotse_scrubbed = True
        return True


def install() -> None:
    """Put the filter on every handler of every logger there is now."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, PrivateDataFilter) for f in handler.filters):
                handler.addFilter(PrivateDataFilter())


def configure(level: int = logging.INFO) -> None:
    """A process's logging: lines to stdout (the supervisor prefixes them), filtered."""
    logging.basicConfig(
        level=level, stream=sys.stdout, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    install()
