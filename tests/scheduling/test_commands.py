"""Settings from the environment, the CLI subcommands and the server loop."""

from __future__ import annotations

import asyncio
import stat

import aiohttp
import pytest

from amtslotse.errors import SetupError
from amtslotse.run.cli import main
from amtslotse.run.supervisor import free_port
from amtslotse.scheduling.app import serve
from amtslotse.scheduling.db.migrate import head_revision
from amtslotse.scheduling.settings import SchedulingSettings
from tests.scheduling.demo import demo_catalogue


def test_settings_defaults_and_generated_admin_token(tmp_path):
    settings = SchedulingSettings.from_env({"AMTSLOTSE_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path}/scheduling.sqlite3"
    assert (settings.hold_minutes, settings.min_notice_minutes, settings.horizon_days) == (
        10,
        120,
        60,
    )
    token_file = tmp_path / "admin-token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert token_file.read_text().strip() == settings.admin_token
    assert len(settings.admin_token) >= 40
    assert settings.admin_token not in repr(settings)
    again = SchedulingSettings.from_env({"AMTSLOTSE_DATA_DIR": str(tmp_path)})
    assert again.admin_token == settings.admin_token  # kept across restarts


def test_settings_from_environment(tmp_path):
    settings = SchedulingSettings.from_env(
        {
            "AMTSLOTSE_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgresql://u:p@db/amt",
            "AMTSLOTSE_ADMIN_TOKEN": "given",
            "SCHEDULING_HOLD_MINUTES": "5",
            "SCHEDULING_MIN_NOTICE_MINUTES": "0",
            "SCHEDULING_HORIZON_DAYS": "30",
            "SCHEDULING_PURGE_AFTER_DAYS": "7",
        }
    )
    assert settings.database_url == "postgresql+asyncpg://u:p@db/amt"
    assert settings.admin_token == "given" and not (tmp_path / "admin-token").exists()
    assert settings.search_rules.horizon.days == 30 and settings.hold_duration.seconds == 300
    assert settings.purge_after_days == 7
    with pytest.raises(SetupError, match="SCHEDULING_HOLD_MINUTES"):
        SchedulingSettings.from_env(
            {"AMTSLOTSE_DATA_DIR": str(tmp_path), "SCHEDULING_HOLD_MINUTES": "soon"}
        )


def test_db_commands(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AMTSLOTSE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(
        "amtslotse.scheduling.provision.load_catalogue", lambda root=None: demo_catalogue()
    )
    assert main(["db", "upgrade"]) == 0
    assert f"revision {head_revision()}" in capsys.readouterr().out
    assert main(["db", "seed"]) == 0
    assert "3 locations, 6 offices" in capsys.readouterr().out
    assert main(["db", "purge", "--older-than-days", "10"]) == 0
    assert "0 bookings older than 10 days" in capsys.readouterr().out
    assert main(["db", "purge", "--older-than-days", "0"]) == 1
    assert (tmp_path / "scheduling.sqlite3").is_file()


async def test_serve_needs_a_service_token(tmp_path):
    settings = SchedulingSettings.from_env({"AMTSLOTSE_DATA_DIR": str(tmp_path)})
    with pytest.raises(SetupError, match="SCHEDULING_SERVICE_TOKEN"):
        await serve(settings, "127.0.0.1", free_port(), loader=demo_catalogue)


def test_bundle_key_is_made_once_readable_by_the_owner_only(tmp_path):
    first = SchedulingSettings.from_env({"AMTSLOTSE_DATA_DIR": str(tmp_path)})
    key_file = tmp_path / "bundle-key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    again = SchedulingSettings.from_env({"AMTSLOTSE_DATA_DIR": str(tmp_path)})
    assert first.bundle_key == again.bundle_key and len(first.bundle_key or b"") >= 32
    configured = SchedulingSettings.from_env(
        {"AMTSLOTSE_DATA_DIR": str(tmp_path), "SCHEDULING_BUNDLE_KEY": "k" * 32}
    )
    assert configured.bundle_key == b"k" * 32
    with pytest.raises(SetupError, match="at least 32"):
        SchedulingSettings.from_env(
            {"AMTSLOTSE_DATA_DIR": str(tmp_path), "SCHEDULING_BUNDLE_KEY": "short"}
        )


async def test_serve_migrates_seeds_and_answers_healthz(tmp_path):
    settings = SchedulingSettings.from_env(
        {"AMTSLOTSE_DATA_DIR": str(tmp_path), "SCHEDULING_SERVICE_TOKEN": "t" * 32}
    )
    port = free_port()
    server = asyncio.create_task(serve(settings, "127.0.0.1", port, loader=demo_catalogue))
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                        assert resp.status == 200
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            else:
                pytest.fail("the server did not come up")
            async with http.get(f"http://127.0.0.1:{port}/api/v1/offices") as resp:
                assert len((await resp.json())["offices"]) == 6
    finally:
        server.cancel()
        with pytest.raises(asyncio.CancelledError):
            await server


def test_a_run_makes_one_service_token_and_hands_it_to_its_children():
    from amtslotse.run.processes import process_specs, with_run_tokens
    from amtslotse.settings import Settings

    settings = with_run_tokens(Settings.from_env({}))
    token = settings.scheduling.service_token
    assert len(token) == 64
    assert with_run_tokens(Settings.from_env({})).scheduling.service_token != token  # per run
    specs = {spec.name: spec for spec in process_specs(settings)}
    for name in ("scheduling", "actions"):
        child = Settings.from_env(specs[name].env)
        assert child.scheduling.service_token == token
        assert token not in " ".join(specs[name].argv)  # not on the command line (ps)
    configured = Settings.from_env({"SCHEDULING_SERVICE_TOKEN": "s" * 40})
    assert with_run_tokens(configured).scheduling.service_token == "s" * 40


def test_a_run_hands_the_backends_admin_token_to_the_portal(tmp_path):
    """The hotline console's look-ups go through the admin endpoints: one token for both."""
    from dataclasses import replace

    from amtslotse.run.processes import process_specs, with_admin_token
    from amtslotse.scheduling.settings import SchedulingSettings
    from amtslotse.settings import Settings

    settings = with_admin_token(replace(Settings.from_env({}), data_dir=tmp_path))
    token = settings.scheduling.admin_token
    assert token and (tmp_path / "admin-token").read_text().strip() == token
    specs = {spec.name: spec for spec in process_specs(settings)}
    for name in ("scheduling", "portal"):
        child = Settings.from_env(specs[name].env)
        assert child.scheduling.admin_token == token
        assert token not in " ".join(specs[name].argv)
    # A backend started without the variable reads the same file.
    assert (
        SchedulingSettings.from_settings(
            replace(settings, scheduling=replace(settings.scheduling, admin_token=""))
        ).admin_token
        == token
    )
    configured = replace(settings, scheduling=replace(settings.scheduling, admin_token="a" * 40))
    assert with_admin_token(configured).scheduling.admin_token == "a" * 40
