"""The four process specs: secrets reach only the process that uses them, never a command line."""

from __future__ import annotations

import stat
from dataclasses import replace

from amtslotse.run.processes import PRIVATE_UMASK, private_data_dir, process_specs
from amtslotse.settings import KNOWN, MailConfig, SchedulingConfig, Settings

#: Each secret, and the processes that may see it.
SECRETS = {
    # The hotline console looks bookings up through the backend's admin endpoints.
    "admin-token-0001": {"scheduling", "portal"},
    "postgresql+asyncpg://sched:pw-0002@db/scheduling": {"scheduling"},
    "session-secret-0003": {"portal"},
    "erika:pbkdf2_sha256$1$c2FsdA$aGFzaA:hotline": {"portal"},
    "postgresql://portal:pw-0004@db/portal": {"portal"},
    "postgresql://rasa:pw-0005@db/rasa": {"rasa", "portal"},
    "redis-password-0006": {"rasa"},
    "smtp-password-0007": {"scheduling"},
    "scheduling-secret-0008": {"scheduling"},
}


def _settings() -> Settings:
    (admin, database, secret, staff, portal_db, tracker, redis, smtp, key) = SECRETS
    return replace(
        Settings(),
        scheduling=SchedulingConfig(database_url=database, admin_token=admin, secret_key=key),
        mail=MailConfig(smtp_host="mail.example", smtp_password=smtp),
        session_secret=secret,
        staff_users=staff,
        portal_db_url=portal_db,
        tracker_db_url=tracker,
        tracker_db_dialect="postgresql",
        lock_store="redis",
        redis_host="redis.internal",
        redis_password=redis,
    )


def test_secrets_reach_only_the_process_that_uses_them_and_no_command_line():
    specs = {spec.name: spec for spec in process_specs(_settings())}
    assert set(specs) == {"scheduling", "actions", "rasa", "portal"}
    for secret, allowed in SECRETS.items():
        for name, spec in specs.items():
            assert not any(secret in arg for arg in spec.argv), (secret, name)
            seen = any(secret in value for value in spec.env.values())
            assert seen == (name in allowed), f"{secret!r} in {name}: {seen}"
    rasa = specs["rasa"].argv
    assert not any(arg.startswith("--auth-token") or arg == "--enable-api" for arg in rasa)


def test_each_process_gets_only_the_settings_it_reads():
    specs = {spec.name: spec for spec in process_specs(_settings())}
    project = {name: set(spec.env) & KNOWN for name, spec in specs.items()}
    assert project["actions"] == {
        "SCHEDULING_URL",
        "SCHEDULING_SERVICE_TOKEN",
        "AMTSLOTSE_CONTENT_DIR",
        "SCHEDULING_PURGE_AFTER_DAYS",
    }
    assert "AMTSLOTSE_STAFF_USERS" not in project["scheduling"] | project["actions"]
    assert not project["portal"] & {"DATABASE_URL", "SMTP_PASSWORD", "REDIS_PASSWORD"}
    assert not project["portal"] & {"SCHEDULING_SECRET_KEY", "SCHEDULING_SERVICE_TOKEN"}
    # Rasa reads only the placeholders of bot/endpoints.yml.
    assert set(specs["rasa"].env) >= {"AMTSLOTSE_ACTION_URL", "TRACKER_DB_URL", "LOCK_STORE"}
    assert specs["rasa"].env["LOCK_STORE"] == "amtslotse.rasa.locks.SharedLockStore"
    for spec in specs.values():
        # Nothing of the supervisor's own environment leaks through either.
        assert spec.unset == KNOWN and spec.umask == PRIVATE_UMASK
        # What a child reads back is what the supervisor meant.
        again = Settings.from_env(spec.env)
        assert again.scheduling_base_url == _settings().scheduling_base_url


def test_every_variable_reaches_the_processes_that_read_it_or_is_the_supervisors():
    # A new variable must be given its place: else the child that needs it
    # would silently run with the default.
    from amtslotse.run.processes import _NEEDS, SUPERVISOR_ONLY

    given = set().union(*_NEEDS.values())
    assert given | SUPERVISOR_ONLY == KNOWN
    assert not given & SUPERVISOR_ONLY


def test_the_portal_binds_the_public_address_and_the_others_the_internal_one():
    settings = replace(Settings(), host="127.0.0.1", public_host="127.0.0.2")
    specs = {spec.name: spec for spec in process_specs(settings)}
    assert specs["portal"].host == "127.0.0.2" and "127.0.0.2" in specs["portal"].argv
    assert specs["portal"].ready_url.startswith("http://127.0.0.2:")
    for name in ("scheduling", "actions", "rasa"):
        assert specs[name].host == "127.0.0.1" and "127.0.0.2" not in specs[name].argv
    assert Settings.from_env(specs["portal"].env).rasa_url.startswith("http://127.0.0.1:")


def test_the_data_dir_and_its_files_are_the_owners_only(tmp_path):
    data = tmp_path / "var"
    (data / "outbox").mkdir(parents=True)
    (data / "scheduling.sqlite3").write_text("")
    (data / "outbox" / "mail.eml").write_text("")
    for path in (data, data / "outbox", data / "scheduling.sqlite3", data / "outbox" / "mail.eml"):
        path.chmod(0o777 if path.is_dir() else 0o666)
    private_data_dir(data)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "outbox").stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "scheduling.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((data / "outbox" / "mail.eml").stat().st_mode) == 0o600
