"""Old conversations are deleted whole from Rasa's tracker store."""

from __future__ import annotations

import time
from pathlib import Path

import sqlalchemy as sa

from amtslotse.cli import main
from amtslotse.conversations import EVENTS, purge_conversations

DAY = 86400.0
NOW = time.time()


def _tracker_db(path: Path) -> str:
    """A tracker store with Rasa's own table definition, as Rasa creates it."""
    from rasa.core.tracker_store import SQLTrackerStore

    url = f"sqlite:///{path}"
    engine = sa.create_engine(url, future=True)
    SQLTrackerStore.Base.metadata.create_all(engine)
    rows = [
        ("idle-citizen", NOW - 30 * DAY),
        ("idle-citizen", NOW - 10 * DAY),
        ("active-citizen", NOW - 30 * DAY),
        ("active-citizen", NOW - 1 * DAY),
    ]
    with engine.begin() as connection:
        connection.execute(
            sa.insert(SQLTrackerStore.SQLEvent.__table__),
            [{"sender_id": s, "type_name": "user", "timestamp": t, "data": "{}"} for s, t in rows],
        )
    engine.dispose()
    return url


def _senders(url: str) -> list[str]:
    engine = sa.create_engine(url, future=True)
    with engine.connect() as connection:
        found = sorted(set(connection.scalars(sa.select(EVENTS.c.sender_id))))
    engine.dispose()
    return found


def test_only_conversations_idle_for_longer_than_the_period_go_and_go_whole(tmp_path):
    url = _tracker_db(tmp_path / "tracker.sqlite3")
    assert purge_conversations(url, older_than_days=7, now=NOW) == 1
    assert _senders(url) == ["active-citizen"]
    assert purge_conversations(url, older_than_days=7, now=NOW) == 0


def test_an_empty_store_is_fine(tmp_path):
    assert purge_conversations(f"sqlite:///{tmp_path / 'none.sqlite3'}", 7) == 0


def test_command_uses_the_configured_store(tmp_path, monkeypatch, capsys):
    url = _tracker_db(tmp_path / "tracker.sqlite3")
    monkeypatch.setenv("TRACKER_DB_URL", url)
    assert main(["conversations", "purge", "--older-than-days", "0"]) == 0
    assert "Deleted 2 conversation(s)" in capsys.readouterr().out
    assert _senders(url) == []
