"""Log records carry no personal data: not in tracebacks, fields or SQL errors."""

from __future__ import annotations

import io
import json
import logging

import pytest

from amtslotse.logs import PrivateDataFilter, install

SECRET = "Erika Mustermann 0171 2345678"


@pytest.fixture
def logger():
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(PrivateDataFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    log = logging.getLogger("test.private")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    yield log, out
    log.removeHandler(handler)


def test_a_traceback_keeps_the_type_and_place_only(logger):
    log, out = logger
    try:
        try:
            int(SECRET)
        except ValueError as exc:
            raise RuntimeError(f"could not read {SECRET}") from exc
    except RuntimeError:
        log.exception("a turn failed")
    line = out.getvalue()
    assert SECRET not in line and "Mustermann" not in line
    assert "a turn failed [RuntimeError at " in line and "/test_logs.py:" in line
    assert "(from ValueError)" in line and "Traceback" not in line


def test_structured_lines_keep_the_event_and_level_only(logger):
    log, out = logger
    rendered = {
        "text": SECRET,
        "event": "rest.message.received.failure",
        "level": "error",
        "exception": [{"exc_type": "LockError", "frames": [{"locals": {"text": SECRET}}]}],
    }
    log.error(json.dumps(rendered))
    assert SECRET not in out.getvalue()
    assert json.loads(out.getvalue().split(" ", 1)[1]) == {
        "event": "rest.message.received.failure",
        "level": "error",
        "exception": ["LockError"],
    }


def test_sql_statements_and_parameters_are_cut(logger):
    log, out = logger
    log.error(
        "Error happened when trying to save conversation tracker: (psycopg2.OperationalError) "
        "server closed the connection\n[SQL: INSERT INTO events (data) VALUES (%(data)s)]\n"
        f"[parameters: {{'data': '{SECRET}'}}]\n(Background on this error at: https://x)"
    )
    assert SECRET not in out.getvalue() and "INSERT" not in out.getvalue()
    assert "server closed the connection" in out.getvalue()


def test_debug_lines_never_pass(logger):
    log, out = logger
    log.debug("Received user message '%s'", SECRET)
    assert out.getvalue() == ""


def test_install_reaches_handlers_added_by_libraries():
    handler = logging.StreamHandler(io.StringIO())
    library = logging.getLogger("test.library")
    library.addHandler(handler)
    try:
        install()
        install()  # twice: still one filter
        assert sum(isinstance(f, PrivateDataFilter) for f in handler.filters) == 1
    finally:
        library.removeHandler(handler)
