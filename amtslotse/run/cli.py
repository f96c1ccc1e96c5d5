"""``amtslotse``: the one command-line front door.

Each concern adds its own subcommands through a ``register(subparsers)``
function in its package (see ``_COMMAND_MODULES``); this module only
assembles them and turns expected failures into one-paragraph messages.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from amtslotse.errors import UserFacingError

# Modules are imported only when the parser is built, never at import time of
# this module; each offers register(subparsers).
_COMMAND_MODULES = (
    "amtslotse.run.commands.assistant",  # run, train, build, serve-*, bench
    "amtslotse.run.commands.lint",  # lint
    "amtslotse.run.commands.content",  # content check, content build-nlu
    "amtslotse.run.commands.db",  # db upgrade|seed|purge
    "amtslotse.run.commands.staff",  # staff add|remove|list
)

#: Commands that write the data dir (databases, tokens, mails): what they
#: create is the owner's only, also when started alone (systemd, a container).
_PRIVATE_FILES = frozenset({"run", "serve-portal", "serve-actions", "serve-scheduling"})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="amtslotse",
        description="Amtslotse: citizen assistant in Leichte Sprache.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # spaCy imports TensorFlow through thinc; its start-up chatter is noise here.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    if args.command in _PRIVATE_FILES:
        os.umask(0o077)
    try:
        return int(args.handler(args) or 0)
    except UserFacingError as exc:
        print(f"amtslotse: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
