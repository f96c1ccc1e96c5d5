"""``amtslotse staff add NAME``: make a staff account for the hotline console and editor."""

from __future__ import annotations

import argparse
import getpass
import sys

from amtslotse.errors import UserFacingError
from amtslotse.settings import Settings

#: Shorter passwords are refused.
MIN_PASSWORD_LENGTH = 12


def register(subparsers: argparse._SubParsersAction) -> None:
    staff = subparsers.add_parser("staff", help="staff accounts (hotline console, editor)")
    sub = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = sub.add_parser(
        "add",
        help="add or replace an account in <data dir>/staff_users and print its line",
    )
    add.add_argument("name")
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin instead of asking",
    )
    add.add_argument(
        "--print-only",
        action="store_true",
        help="only print name:hash (for AMTSLOTSE_STAFF_USERS), write no file",
    )
    add.set_defaults(handler=_add)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise UserFacingError("The two passwords differ; nothing was changed.")
    return first


def _add(args: argparse.Namespace) -> int:
    from amtslotse.portal.accounts import (
        NAME,
        AccountError,
        accounts_file,
        add_account,
        hash_password,
    )

    if not NAME.match(args.name):
        raise UserFacingError("A name has 1 to 64 letters, digits, '.', '_' or '-'.")
    password = _password(args)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserFacingError(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if args.print_only:
        print(f"{args.name}:{hash_password(password)}")
        return 0
    data_dir = Settings.from_env().data_dir
    try:
        line = add_account(data_dir, args.name, password)
    except AccountError as exc:
        raise UserFacingError(str(exc)) from None
    print(line)
    print(f"Saved in {accounts_file(data_dir)}; the portal reads it at the next login.")
    return 0
