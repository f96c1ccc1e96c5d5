"""Old conversations are deleted whole from Rasa's tracker store."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

import sqlalchemy as sa

from amtslotse.rasa.trackers import EVENTS, purge_conversations, purge_periodically
from amtslotse.run.cli import main

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


async def test_the_periodic_purge_outlives_a_failed_run_and_never_logs_the_url(caplog):
    calls: list[tuple[str, float]] = []

    def flaky(url: str, days: float) -> int:
        calls.append((url, days))
        if len(calls) == 1:
            raise RuntimeError(f"could not connect to {url}")
        return 1

    secret_url = "postgresql://rasa:s3cret@db/rasa"
    task = asyncio.create_task(purge_periodically(secret_url, 7, 0.01, purge=flaky))
    for _ in range(200):
        if len(calls) >= 3:
            break
        await asyncio.sleep(0.01)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert len(calls) >= 3 and calls[0] == (secret_url, 7)
    assert "RuntimeError" in caplog.text
    assert "s3cret" not in caplog.text


async def test_the_portal_purges_idle_conversations_while_it_runs(tmp_path, aiohttp_client):
    from dataclasses import replace

    from amtslotse.portal.app import create_app
    from amtslotse.settings import Settings

    url = _tracker_db(tmp_path / "tracker.sqlite3")
    settings = replace(Settings(), tracker_db_url=url, data_dir=tmp_path)
    client = await aiohttp_client(create_app(settings))
    for _ in range(100):
        if _senders(url) == ["active-citizen"]:
            break
        await asyncio.sleep(0.05)
    assert _senders(url) == ["active-citizen"]
    await client.close()


async def test_interval_zero_leaves_the_purge_to_cron(tmp_path, aiohttp_client):
    from dataclasses import replace

    from amtslotse.portal.app import create_app
    from amtslotse.settings import Settings

    url = _tracker_db(tmp_path / "tracker.sqlite3")
    settings = replace(
        Settings(), tracker_db_url=url, data_dir=tmp_path, tracker_purge_interval_minutes=0
    )
    client = await aiohttp_client(create_app(settings))
    await asyncio.sleep(0.3)
    assert _senders(url) == ["active-citizen", "idle-citizen"]
    await client.close()
