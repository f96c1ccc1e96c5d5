"""Staff accounts: PBKDF2 hashes, configuration sources, and `amtslotse staff add`."""

from __future__ import annotations

import io

import pytest

from amtslotse.portal.accounts import (
    AccountError,
    accounts_file,
    add_account,
    hash_password,
    load_accounts,
    parse_accounts,
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
    accounts = load_accounts(tmp_path, f"max:{env_hash}, ")
    assert set(accounts) == {"erika", "max"}
    assert verify_password("aus-der-datei", accounts["erika"])
    assert oct(accounts_file(tmp_path).stat().st_mode & 0o777) == "0o600"


def test_adding_a_name_again_replaces_its_password(tmp_path):
    add_account(tmp_path, "erika", "alt", iterations=1000)
    add_account(tmp_path, "erika", "neu", iterations=1000)
    accounts = load_accounts(tmp_path)
    assert len(accounts_file(tmp_path).read_text().splitlines()) == 1
    assert verify_password("neu", accounts["erika"])


@pytest.mark.parametrize("bad", ["erika", "erika:plaintext", "bad name:pbkdf2_sha256$1$a$b"])
def test_malformed_account_entries_are_refused(bad):
    with pytest.raises(AccountError):
        parse_accounts(bad)


def test_cli_adds_an_account_to_the_data_dir(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AMTSLOTSE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("ein-langes-passwort\n"))
    assert main(["staff", "add", "erika", "--password-stdin"]) == 0
    assert capsys.readouterr().out.startswith("erika:pbkdf2_sha256$600000$")
    assert verify_password("ein-langes-passwort", load_accounts(tmp_path)["erika"])


def test_cli_refuses_short_passwords(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AMTSLOTSE_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("sys.stdin", io.StringIO("kurz\n"))
    assert main(["staff", "add", "erika", "--password-stdin"]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert not accounts_file(tmp_path).exists()
