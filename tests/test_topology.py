"""Several Rasa instances are one setting; setups that would lose events are refused."""

from __future__ import annotations

import pytest

from amtslotse.errors import SetupError
from amtslotse.run.processes import process_specs
from amtslotse.settings import Settings

POSTGRES = {
    "TRACKER_DB_URL": "postgresql://rasa@db.internal/rasa",
    "TRACKER_DB_DIALECT": "postgresql",
}


def test_two_instances_are_pairs_of_rasa_and_action_server_on_consecutive_ports():
    settings = Settings.from_env(
        {"RASA_INSTANCES": "2", "REDIS_HOST": "redis.internal", **POSTGRES}
    )
    specs = {s.name: s for s in process_specs(settings)}
    assert list(specs) == ["scheduling", "actions-1", "actions-2", "rasa-1", "rasa-2", "portal"]
    assert [specs["rasa-1"].port, specs["rasa-2"].port] == [5005, 5006]
    assert [specs["actions-1"].port, specs["actions-2"].port] == [5055, 5056]
    # Rasa i calls action server i, and takes its lock from the shared Redis.
    assert specs["rasa-2"].env["AMTSLOTSE_ACTION_URL"] == "http://127.0.0.1:5056"
    assert specs["rasa-2"].env["LOCK_STORE"] == "amtslotse.rasa.locks.SharedLockStore"
    assert specs["rasa-2"].env["REDIS_HOST"] == "redis.internal"
    assert specs["rasa-1"].env["TRACKER_DB_URL"] == POSTGRES["TRACKER_DB_URL"]
    assert "--logging-config-file" in specs["rasa-1"].argv
    assert {specs["rasa-1"].stop_group, specs["actions-2"].stop_group} == {"rasa", "actions"}
    # The portal balances over both.
    again = Settings.from_env(specs["portal"].env)
    assert again.rasa_urls == ("http://127.0.0.1:5005", "http://127.0.0.1:5006")


def test_without_a_configured_redis_a_local_one_is_started_first():
    specs = process_specs(Settings.from_env({"RASA_INSTANCES": "2", **POSTGRES}))
    assert specs[0].name == "redis" and specs[0].port == 6379
    assert "--save" in specs[0].argv and specs[0].ready_check is not None
    rasa = next(s for s in specs if s.name == "rasa-1")
    assert rasa.env["REDIS_HOST"] == "127.0.0.1" and rasa.env["REDIS_PORT"] == "6379"


def test_one_instance_stays_as_it_was():
    specs = process_specs(Settings.from_env({}))
    assert [s.name for s in specs] == ["scheduling", "actions", "rasa", "portal"]
    assert next(s for s in specs if s.name == "rasa").env["LOCK_STORE"] == "in_memory"


def test_rasa_urls_mean_rasa_runs_elsewhere():
    settings = Settings.from_env({"RASA_URLS": "http://rasa-a:5005/, http://rasa-b:5005"})
    assert [s.name for s in process_specs(settings)] == ["scheduling", "portal"]
    assert settings.rasa_urls == ("http://rasa-a:5005", "http://rasa-b:5005")


def test_several_instances_on_the_in_memory_lock_store_are_refused():
    settings = Settings.from_env({"RASA_INSTANCES": "3", "LOCK_STORE": "in_memory", **POSTGRES})
    with pytest.raises(SetupError, match="RASA_INSTANCES=3 needs the Redis lock store") as caught:
        process_specs(settings)
    assert "LOCK_STORE=redis" in str(caught.value)


def test_several_instances_on_a_sqlite_tracker_store_are_refused():
    with pytest.raises(SetupError, match="needs a tracker store the servers can share") as caught:
        process_specs(Settings.from_env({"RASA_INSTANCES": "2"}))
    assert "TRACKER_DB_URL=postgresql://" in str(caught.value)


def test_instances_must_be_a_positive_number():
    with pytest.raises(SetupError, match="RASA_INSTANCES must be at least 1"):
        Settings.from_env({"RASA_INSTANCES": "0"})
