"""``amtslotse staff add|remove|list``: staff accounts and their roles.

Accounts live in ``<data dir>/staff_users`` (or AMTSLOTSE_STAFF_USERS); see
amtslotse.portal.accounts. ``remove`` also ends the account's sessions in
the portal's database (PORTAL_DB_URL); a running portal locks a removed
account out at its next request in any case.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import TYPE_CHECKING

from amtslotse.errors import UserFacingError
from amtslotse.settings import Settings

if TYPE_CHECKING:
    from amtslotse.portal.sessions import SessionStore

#: Shorter passwords are refused.
MIN_PASSWORD_LENGTH = 12
#: What an account may do when ``--role`` is not given (what every account could, before roles).
DEFAULT_ROLES = "hotline,editor"


def register(subparsers: argparse._SubParsersAction) -> None:
    staff = subparsers.add_parser("staff", help="staff accounts (hotline console, editor)")
    sub = staff.add_subparsers(dest="staff_command", metavar="ACTION", required=True)
    add = sub.add_parser(
        "add",
        help="add or replace an account in <data dir>/staff_users and print its line",
    )
    add.add_argument("name")
    add.add_argument(
        "--role",
        default=DEFAULT_ROLES,
        help="comma-separated: hotline, editor, planner, admin (default: %(default)s)",
    )
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin instead of asking",
    )
    add.add_argument(
        "--print-only",
        action="store_true",
        help="only print name:hash:roles (for AMTSLOTSE_STAFF_USERS), write no file",
    )
    add.set_defaults(handler=_add)
    remove = sub.add_parser(
        "remove", help="remove an account from <data dir>/staff_users and end its sessions"
    )
    remove.add_argument("name")
    remove.set_defaults(handler=_remove)
    listing = sub.add_parser("list", help="the accounts and their roles (no hashes)")
    listing.set_defaults(handler=_list)


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
        Account,
        AccountError,
        accounts_file,
        add_account,
        hash_password,
        parse_roles,
    )

    if not NAME.match(args.name):
        raise UserFacingError("A name has 1 to 64 letters, digits, '.', '_' or '-'.")
    try:
        roles = parse_roles(args.role)
    except AccountError as exc:
        raise UserFacingError(str(exc)) from None
    password = _password(args)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserFacingError(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if args.print_only:
        print(Account(args.name, hash_password(password), roles).line())
        return 0
    data_dir = Settings.from_env().data_dir
    account = add_account(data_dir, args.name, password, roles=roles)
    print(account.line())
    print(f"Saved in {accounts_file(data_dir)}; the portal reads it at the next request.")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from amtslotse.portal.accounts import accounts_file, load_accounts, remove_account
    from amtslotse.portal.auth import session_store

    settings = Settings.from_env()
    removed = remove_account(settings.data_dir, args.name)
    ended = asyncio.run(_end_sessions(session_store(settings), args.name))
    if not removed:
        print(f"{args.name} has no line in {accounts_file(settings.data_dir)}.")
    if args.name in load_accounts(settings.data_dir, settings.staff_users):
        raise UserFacingError(
            f"{args.name} is still in AMTSLOTSE_STAFF_USERS: remove it there and restart the "
            "portal."
        )
    print(f"Removed {args.name}; {ended} session(s) ended.")
    return 0 if removed else 1


async def _end_sessions(store: SessionStore, name: str) -> int:
    try:
        return await store.end_account(name)
    finally:
        await store.close()


def _list(args: argparse.Namespace) -> int:
    from amtslotse.portal.accounts import ROLES, load_accounts

    settings = Settings.from_env()
    for account in load_accounts(settings.data_dir, settings.staff_users).values():
        print(f"{account.name}: {', '.join(r for r in ROLES if r in account.roles)}")
    return 0
