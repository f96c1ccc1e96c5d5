"""Subcommands of the running assistant: build, train, run, serve-portal, serve-actions, bench."""

from __future__ import annotations

import argparse
import time

from amtslotse.settings import Paths, Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "build", help="build the spaCy pipeline and the content-derived Rasa files"
    )
    p.set_defaults(handler=_build)

    p = subparsers.add_parser("train", help="train the Rasa model if its inputs changed")
    p.add_argument("--force", action="store_true", help="train even if nothing changed")
    p.set_defaults(handler=_train)

    p = subparsers.add_parser("run", help="start the whole assistant (Ctrl-C stops it)")
    p.set_defaults(handler=_run)

    p = subparsers.add_parser("serve-portal", help="serve the portal (chat page, /api/chat)")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(handler=_serve_portal)

    p = subparsers.add_parser("serve-actions", help="serve the Rasa action server")
    p.add_argument("--host", default=None)
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(handler=_serve_actions)

    p = subparsers.add_parser("conversations", help="the conversations Rasa keeps")
    sub = p.add_subparsers(dest="conversations_command", metavar="ACTION", required=True)
    purge = sub.add_parser("purge", help="delete conversations idle for longer than N days")
    purge.add_argument(
        "--older-than-days", type=float, default=None, help="default: TRACKER_RETENTION_DAYS (7)"
    )
    purge.set_defaults(handler=_purge_conversations)

    p = subparsers.add_parser("bench", help="run the benchmarks, write bench/results.json")
    p.add_argument("--quick", action="store_true", help="fewer repetitions")
    p.add_argument("--only", action="append", default=[], help="run only this suite (repeatable)")
    p.set_defaults(handler=_bench)


def _build(args: argparse.Namespace) -> int:
    from amtslotse.rasa.training.train import build

    build(Paths.from_env())
    print("Built build/spacy and build/rasa.")
    return 0


def _train(args: argparse.Namespace) -> int:
    from amtslotse.rasa.training.train import train

    result = train(Paths.from_env(), force=args.force)
    if not result.trained:
        print("The model is up to date; nothing to train.")
    return 0


def _run(args: argparse.Namespace) -> int:
    from amtslotse.rasa.training.train import train
    from amtslotse.run.processes import (
        private_data_dir,
        process_specs,
        with_admin_token,
        with_run_tokens,
    )
    from amtslotse.run.supervisor import Supervisor, stop_on_signals

    started = time.monotonic()
    settings = with_run_tokens(Settings.from_env())
    private_data_dir(settings.data_dir)
    settings = with_admin_token(settings)  # the portal's hotline console needs it too
    supervisor = Supervisor(process_specs(settings))
    supervisor.check_ports()  # before training: fail fast on a busy port
    # SIGTERM (systemd's stop) and SIGHUP stop everything like Ctrl-C, at any
    # point from here on: during training, start-up or while serving.
    with stop_on_signals():
        try:
            train(settings.paths)
            with supervisor:
                supervisor.start()
                supervisor.wait_ready()
                supervisor.say(
                    f"Amtslotse is ready after {time.monotonic() - started:.0f} s: open "
                    f"{settings.public_base_url}/ (Ctrl-C stops everything)"
                )
                supervisor.watch()
        except KeyboardInterrupt as stop:  # Ctrl-C, or Stopped (SIGTERM, SIGHUP)
            supervisor.say(f"stopped ({str(stop) or 'SIGINT'}): every process has ended")
    return 0


def _serve_portal(args: argparse.Namespace) -> int:
    from amtslotse.portal.app import serve

    settings = Settings.from_env()
    serve(settings, host=args.host or settings.host, port=args.port or settings.portal_port)
    return 0


def _serve_actions(args: argparse.Namespace) -> int:
    from actions.server import serve

    settings = Settings.from_env()
    serve(settings, host=args.host or settings.host, port=args.port or settings.action_port)
    return 0


def _purge_conversations(args: argparse.Namespace) -> int:
    from amtslotse.rasa.trackers import purge_conversations

    settings = Settings.from_env()
    days = settings.tracker_retention_days if args.older_than_days is None else args.older_than_days
    deleted = purge_conversations(settings.tracker_url, days)
    print(f"Deleted {deleted} conversation(s) idle for more than {days:g} days.")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from amtslotse.bench.runner import run_benchmarks

    return run_benchmarks(Paths.from_env(), quick=args.quick, only=args.only)
