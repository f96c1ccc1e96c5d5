"""Staff accounts: PBKDF2 hashes, roles, configuration sources, and `amtslotse staff ...`."""

from __future__ import annotations

import io

import pytest

from amtslotse.portal.accounts import (
    LEGACY_ROLES,
    AccountError,
    AccountSource,
    accounts_file,
    add_account,
    hash_password,
    load_accounts,
    parse_accounts,
    unknown_name_hash,
    verify_password,
)
from amtslotse.run.cli import main


def test_hash_verifies_only_the_right_password_and_is_salted():
    encoded = hash_password("richtig", iterations=1000)
    assert verify_password("richtig", encoded)
    assert not verify_password("falsch", encoded)
    assert encoded != hash_password("richtig", iterations=1000)
    assert ":" not in encoded and "," not in encoded
    assert not verify_password("richtig", "not-a-hash")


def test_accounts_from_file_and_environment(tmp_path):
    add_account(tmp_path, "erika", "aus-der-datei", iterations=1000)
    env_hash = hash_password("aus-der-umgebung", iterations=1000)
    accounts = load_accounts(tmp_path, f"max:{env_hash}:planner, ")
    assert set(accounts) == {"erika", "max"}
    assert verify_password("aus-der-datei", accounts["erika"].password_hash)
    assert accounts["max"].roles == {"planner"}
    assert oct(accounts_file(tmp_path).stat().st_mode & 0o777) == "0o600"


def test_adding_a_name_again_replaces_its_password(tmp_path):
    add_account(tmp_path, "erika", "alt", iterations=1000)
    add_account(tmp_path, "erika", "neu", iterations=1000)
    accounts = load_accounts(tmp_path)
    assert len(accounts_file(tmp_path).read_text().splitlines()) == 1
    assert verify_password("neu", accounts["erika"].password_hash)


def test_lines_without_roles_keep_working_as_hotline_and_editor():
    encoded = hash_password("x", iterations=1000)
    old, new = parse_accounts(f"erika:{encoded},max:{encoded}:admin").values()
    assert old.roles == LEGACY_ROLES == {"hotline", "editor"}
    assert old.may("hotline") and old.may("editor") and not old.may("planner")
    assert new.roles == {"admin"} and all(new.may(r) for r in ("hotline", "editor", "planner"))
    assert new.line() == f"max:{encoded}:admin"


def test_the_hash_of_unknown_names_costs_what_real_ones_cost_and_matches_nothing():
    dummy = unknown_name_hash(iterations=1234)
    assert dummy.split("$")[1] == "1234"
    assert not verify_password("", dummy) and not verify_password("amtslotse", dummy)


def test_the_portal_reads_the_accounts_again_when_the_file_changes(tmp_path):
    source = AccountSource(tmp_path)
    assert source() == {}
    add_account(tmp_path, "erika", "eins", iterations=1000)
    assert set(source()) == {"erika"}
    accounts_file(tmp_path).write_text("kaputt\n")  # a broken edit: the last good ones stay
    assert set(source()) == {"erika"}


@pytest.mark.parametrize(
    "bad",
    [
        "erika",
        "erika:plaintext",
        "bad name:pbkdf2_sha256$1$a$b",
        "erika:pbkdf2_sha256$1$a$b:boss",
        "erika:pbkdf2_sha256$1$a$b:",
    ],
)
def test_malformed_account_entries_are_refused(bad):
    with pytest.raises(AccountError):
        parse_accounts(bad)


def test_cli_adds_an_account_to_the_data_dir(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AMTSLOTSE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("ein-langes-passwort\n"))
    assert main(["staff", "add", "erika", "--password-stdin", "--role", "hotline,planner"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("erika:pbkdf2_sha256$600000$")
    assert out.splitlines()[0].endswith(":hotline+planner")
    account = load_accounts(tmp_path)["erika"]
    assert verify_password("ein-langes-passwort", account.password_hash)
    assert account.roles == {"hotline", "planner"}
    assert main(["staff", "list"]) == 0
    assert capsys.readouterr().out == "erika: hotline, planner\n"


def test_cli_refuses_unknown_roles(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AMTSLOTSE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("ein-langes-passwort\n"))
    assert main(["staff", "add", "erika", "--password-stdin", "--role", "chef"]) == 1
    assert "Roles are hotline, editor, planner, admin" in capsys.readouterr().err
    assert not accounts_file(tmp_path).exists()


def test_cli_refuses_short_passwords(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AMTSLOTSE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("kurz\n"))
    assert main(["staff", "add", "erika", "--password-stdin"]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert not accounts_file(tmp_path).exists()


def test_cli_removes_an_account_and_ends_its_sessions(tmp_path, monkeypatch, capsys):
    import asyncio

    from amtslotse.portal.auth import session_store
    from amtslotse.settings import Settings

    monkeypatch.setenv("AMTSLOTSE_DATA_DIR", str(tmp_path))
    add_account(tmp_path, "erika", "eins", iterations=1000)
    add_account(tmp_path, "max", "zwei", iterations=1000)
    store = session_store(Settings.from_env())

    async def open_sessions() -> list[str]:
        tokens = [(await store.create(name, "f", 2e9, 1e9))[0] for name in ("erika", "max")]
        await store.close()
        return tokens

    erika, max_ = asyncio.run(open_sessions())
    assert main(["staff", "remove", "erika"]) == 0
    assert "Removed erika; 1 session(s) ended." in capsys.readouterr().out
    assert set(load_accounts(tmp_path)) == {"max"}

    async def still_open() -> tuple[bool, bool]:
        found = (await store.find(erika)) is not None, (await store.find(max_)) is not None
        await store.close()
        return found

    assert asyncio.run(still_open()) == (False, True)
    assert main(["staff", "remove", "erika"]) == 1
