"""Production settings are configuration: PostgreSQL for conversations and
appointments, Redis with a password as Rasa's lock store, with the same code and commands."""

from __future__ import annotations

import io
import subprocess

import pytest

from amtslotse.run.processes import running_assistant
from amtslotse.testing.postgres import OS_USER, running_postgres
from amtslotse.testing.redis import redis_cli, running_redis

pytestmark = [pytest.mark.integration, pytest.mark.postgres]


def test_the_assistant_runs_on_postgresql_and_redis(tmp_path, monkeypatch):
    import json
    import urllib.request

    redis_password = "redis-password-for-the-test"
    with running_postgres() as pg, running_redis(redis_password) as redis_port:
        pg.psql('CREATE DATABASE "rasa"')
        monkeypatch.setenv("DATABASE_URL", pg.create_database("scheduling"))
        monkeypatch.setenv("TRACKER_DB_DIALECT", "postgresql")
        monkeypatch.setenv("TRACKER_DB_URL", f"postgresql://{OS_USER}@127.0.0.1:{pg.port}/rasa")
        monkeypatch.setenv("LOCK_STORE", "redis")
        monkeypatch.setenv("REDIS_HOST", "127.0.0.1")
        monkeypatch.setenv("REDIS_PORT", str(redis_port))
        monkeypatch.setenv("REDIS_PASSWORD", redis_password)
        log = io.StringIO()
        with running_assistant(tmp_path / "var", log) as settings:
            request = urllib.request.Request(
                f"{settings.portal_url}/api/chat",
                data=json.dumps(
                    {"sender": "production-check-1", "message": "Ich möchte Wohngeld beantragen"}
                ).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                messages = json.loads(response.read())
            office = [m["custom"] for m in messages if m.get("custom")][0]
            assert office["office_id"] == "wohngeldstelle"
            with urllib.request.urlopen(  # noqa: S310
                f"{settings.scheduling_base_url}/api/v1/services", timeout=10
            ) as response:
                assert response.status == 200

            # The conversation is in PostgreSQL, the appointments' data too,
            # and Rasa took its conversation lock in Redis.
            events = pg.psql(
                "SELECT count(*) FROM events WHERE sender_id = 'production-check-1'",
                database="rasa",
            )
            assert int(events) > 0
            assert int(pg.psql("SELECT count(*) FROM services", database="scheduling")) >= 40
            stats = subprocess.run(
                redis_cli(redis_port, redis_password, "info", "commandstats"),
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            assert "cmdstat_set" in stats or "cmdstat_eval" in stats, stats
        assert "production-check" not in log.getvalue()
