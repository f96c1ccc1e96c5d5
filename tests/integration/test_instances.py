"""Two Rasa instances on PostgreSQL and Redis: they share conversations, survive one
of them being killed mid-booking, and say in Leichte Sprache when a part is down.

One stack for the whole module (two Rasa servers take a minute to start):
the tests run in file order, and each leaves the stack as its docstring says.
Redis is the one ``amtslotse run`` starts itself when none is configured.
"""

from __future__ import annotations

import asyncio
import io
import json
import secrets
import signal
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

from amtslotse.run.processes import running_stack
from amtslotse.run.supervisor import Supervisor
from amtslotse.settings import Settings
from amtslotse.testing.postgres import OS_USER, PostgresServer, running_postgres

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

#: Where the stack's log is left for a look after the run.
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

# Bookable services of different offices, so concurrent citizens rarely want one desk.
SERVICES = (
    "wohngeld",
    "kfz_zulassen",
    "fuehrerschein_antrag",
    "impfung",
    "einbuergerung",
    "aufenthaltstitel",
    "bauantrag",
    "elterngeld",
)
NAME, PHONE = "Erika Mustermann", "0171 2345678"
#: What a citizen types while a part is down; it must not appear in any log.
SECRET_TEXT = "Ich heiße Zacharias Quendelmeier, Telefon 0171 9876543"


@dataclass
class Stack:
    settings: Settings
    supervisor: Supervisor
    log: io.StringIO
    pg: PostgresServer
    killed: list[str] = field(default_factory=list)

    def kill(self, name: str) -> None:
        child = next(c for c in self.supervisor.children if c.spec.name == name)
        child.signal(signal.SIGKILL)
        child.process.wait(timeout=10)
        self.killed.append(name)

    def bookings(self) -> list[str]:
        rows = self.pg.psql("SELECT code FROM bookings ORDER BY code", database="scheduling")
        return rows.split()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    log = io.StringIO()
    with running_postgres() as pg, pytest.MonkeyPatch.context() as env:
        pg.psql('CREATE DATABASE "rasa"')
        env.setenv("DATABASE_URL", pg.create_database("scheduling"))
        env.setenv("TRACKER_DB_DIALECT", "postgresql")
        env.setenv("TRACKER_DB_URL", f"postgresql://{OS_USER}@127.0.0.1:{pg.port}/rasa")
        env.delenv("LOCK_STORE", raising=False)  # several instances: Redis by default
        env.delenv("REDIS_HOST", raising=False)  # none configured: the stack starts one
        # Every citizen of these tests comes from 127.0.0.1: lift the per-client caps.
        env.setenv("CHAT_RATE_PER_MINUTE", "6000")
        env.setenv("CHAT_RATE_BURST", "1000")
        env.setenv("CHAT_NEW_CONVERSATIONS_PER_HOUR", "1000")
        env.setenv("CHAT_HOLDS_PER_CLIENT", "1000")
        try:
            data = tmp_path_factory.mktemp("var")
            with running_stack(data, log, instances=2) as (settings, supervisor):
                yield Stack(settings, supervisor, log, pg)
        except Exception:
            print(log.getvalue()[-6000:])
            raise
        finally:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / "instances.log").write_text(log.getvalue(), encoding="utf-8")


def _post(url: str, body: dict) -> tuple[int, object]:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _custom(messages: list[dict], kind: str) -> dict | None:
    return next(
        (m["custom"] for m in messages if (m.get("custom") or {}).get("type") == kind), None
    )


def _text(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def test_both_servers_serve_turns_of_one_conversation_alternately(stack: Stack):
    """Each turn goes to the other server; slots and the held time travel along."""
    urls = stack.settings.rasa_urls
    assert len(urls) == 2
    sender = "alternate-0001"
    step = iter(range(100))

    def say(message: str) -> list[dict]:
        url = urls[next(step) % 2]
        status, messages = _post(
            f"{url}/webhooks/rest/webhook", {"sender": sender, "message": message}
        )
        assert status == 200 and isinstance(messages, list) and messages, (url, messages)
        return messages

    offer = _custom(say('/termin_buchen{"service": "wohngeld"}'), "booking_offer")
    assert offer is not None
    option = offer["options"][0]
    asked = say(f'/termin_waehlen{{"bundle_id": "{option["bundle_id"]}"}}')  # held on server 2
    assert [b["payload"] for m in asked for b in m.get("buttons") or []] == ["/affirm", "/deny"]
    assert "Wie ist Ihr Name?" in _text(say("/affirm"))  # server 1 knows the hold
    assert "Wie erreicht das Amt Sie?" in _text(say(NAME))  # server 2 knows the name
    confirmed = _custom(say(PHONE), "booking_confirmed")  # server 1 books
    assert confirmed is not None and confirmed["start"] == option["start"]
    assert stack.bookings() == [confirmed["booking_code"]]


@dataclass
class Citizen:
    """One conversation through the portal, as the widget has it: every message has a
    turn id; a 503 shows "Noch einmal senden", and the citizen presses it."""

    sender: str
    service: str
    resends: int = 0
    answers: list[list[dict]] = field(default_factory=list)

    async def say(self, http: aiohttp.ClientSession, portal: str, message: str) -> list[dict]:
        turn = "t" + secrets.token_hex(12)
        body = {"sender": self.sender, "message": message, "turn": turn}
        for attempt in range(6):
            async with http.post(f"{portal}/api/chat", json=body) as r:
                answer = await r.json()
                if r.status == 200:
                    assert isinstance(answer, list) and answer, answer
                    self.answers.append(answer)
                    return answer
                assert r.status == 503 and "Bürger·telefon" in _text(
                    [{"text": line} for line in answer["lines"]]
                ), answer
            self.resends += 1
            body["resent"] = True
            await asyncio.sleep(1 + attempt)
        raise AssertionError(f"{self.sender}: no answer to {message!r}")

    async def book(self, http: aiohttp.ClientSession, portal: str, held: asyncio.Event) -> dict:
        offer = _custom(
            await self.say(http, portal, f'/termin_buchen{{"service": "{self.service}"}}'),
            "booking_offer",
        )
        assert offer is not None, self.answers[-1]
        option = offer["options"][0]
        await self.say(http, portal, f'/termin_waehlen{{"bundle_id": "{option["bundle_id"]}"}}')
        held.set()
        assert "Wie ist Ihr Name?" in _text(await self.say(http, portal, "/affirm"))
        assert "Wie erreicht das Amt Sie?" in _text(await self.say(http, portal, NAME))
        confirmed = _custom(await self.say(http, portal, PHONE), "booking_confirmed")
        assert confirmed is not None, self.answers[-1]
        assert confirmed["start"] == option["start"]
        return confirmed


def _answered_turns(stack: Stack, sender: str) -> list[str]:
    """The message ids of the user turns that got an answer, in order."""
    rows = stack.pg.psql(
        f"SELECT type_name, data FROM events WHERE sender_id = '{sender}' ORDER BY id",
        database="rasa",
    ).splitlines()
    answered, current = [], None
    for row in rows:
        kind, _, data = row.partition("|")
        if kind == "user":
            current = json.loads(data).get("message_id")
        elif kind == "bot" and current is not None:
            answered.append(current)
            current = None
    return answered


def test_a_rasa_server_killed_under_load_loses_no_turn_and_books_nothing_twice(stack: Stack):
    """Afterwards: rasa-1 is dead; rasa-2 serves alone."""
    portal = stack.settings.portal_url
    citizens = [Citizen(f"fault-{n:04d}", service) for n, service in enumerate(SERVICES)]
    before = set(stack.bookings())

    async def run() -> list[dict]:
        holds = [asyncio.Event() for _ in citizens]
        timeout = aiohttp.ClientTimeout(total=120)
        async with aiohttp.ClientSession(timeout=timeout) as http:

            async def killer() -> None:
                # Mid-booking, while the other conversations are in flight.
                await asyncio.wait_for(holds[len(citizens) // 2].wait(), 120)
                await asyncio.to_thread(stack.kill, "rasa-1")

            kill = asyncio.create_task(killer())
            booked = await asyncio.gather(
                *(c.book(http, portal, h) for c, h in zip(citizens, holds, strict=True))
            )
            await kill
            return list(booked)

    booked = asyncio.run(run())
    codes = [b["booking_code"] for b in booked]
    assert len(set(codes)) == len(citizens)
    # Exactly one booking per citizen in the backend: none lost, none twice.
    assert set(stack.bookings()) - before == set(codes)
    for citizen in citizens:
        turns = _answered_turns(stack, citizen.sender)
        assert len(turns) == len(set(turns)) == 5, (citizen.sender, turns)
    print(f"resends after the kill: {sum(c.resends for c in citizens)}")


def test_an_action_server_down_is_said_with_the_hotline_number(stack: Stack):
    """Afterwards: actions-2 is dead too, so no pair of Rasa and action server is left."""
    stack.kill("actions-2")
    chat = f"{stack.settings.portal_url}/api/chat"
    # The secret first (answered or not, as the model reads it), so that the
    # failing action call below carries it in the conversation it sends.
    status, _ = _post(chat, {"sender": "down-actions-01", "message": SECRET_TEXT})
    assert status in (200, 503)
    # A concern always needs the action server (payload: no model in between).
    status, problem = _post(chat, {"sender": "down-actions-01", "message": "/anliegen_wohngeld"})
    assert status == 503, problem
    assert isinstance(problem, dict) and problem["part"] == "actions"
    assert "Bürger·telefon: 03496 0000-0." in problem["lines"]
    health = _health(stack)
    assert f"actions of {stack.settings.rasa_urls[1]}" in health["down"]
    assert f"rasa {stack.settings.rasa_urls[0]}" in health["down"]


def test_postgresql_down_is_said_and_named(stack: Stack):
    """Afterwards: PostgreSQL is stopped (tracker store and scheduling database)."""
    stack.pg.stop()
    status, problem = _post(
        f"{stack.settings.rasa_urls[1]}/webhooks/rest/webhook",
        {"sender": "down-pg-000001", "message": SECRET_TEXT},
    )
    assert status == 503 and problem == {
        "error": "the tracker store (the conversations' database) does not answer",
        "part": "tracker_store",
    }
    status, problem = _post(
        f"{stack.settings.portal_url}/api/chat",
        {"sender": "down-pg-000001", "message": SECRET_TEXT},
    )
    assert status == 503 and isinstance(problem, dict) and problem["part"] == "tracker_store"
    assert "Bürger·telefon: 03496 0000-0." in problem["lines"]
    health = _health(stack)
    assert {"tracker_store", "scheduling"} <= set(health["down"])


def test_redis_down_is_said_and_no_log_holds_what_citizens_typed(stack: Stack):
    """Afterwards: Redis is dead too. The log is that of every process of the stack."""
    stack.kill("redis")
    status, problem = _post(
        f"{stack.settings.portal_url}/api/chat",
        {"sender": "down-redis-0001", "message": SECRET_TEXT},
    )
    assert status == 503 and isinstance(problem, dict) and problem["part"] == "lock_store"
    assert problem["lines"][0] == "Entschuldigung."
    assert "lock_store" in _health(stack)["down"]
    time.sleep(1)  # the last lines reach the log
    log = stack.log.getvalue()
    assert "rasa-2    |" in log and "portal    |" in log  # the log is the processes' log
    for secret in ("Quendelmeier", "9876543", "Mustermann", "2345678"):
        assert secret not in log, secret


def _health(stack: Stack) -> dict:
    try:
        with urllib.request.urlopen(f"{stack.settings.portal_url}/healthz", timeout=20) as r:  # noqa: S310
            return json.loads(r.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read())
