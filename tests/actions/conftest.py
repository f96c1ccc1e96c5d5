"""The actions against the real scheduling backend (its app on SQLite), not a fake.

Each test gets a fresh database seeded with the project's own catalogue, the
backend app on a local port, and an action runtime whose scheduling client
talks to it. The backend and the actions share one clock, which starts on a
Monday morning, so that the times offered are the same in every run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.api.scheduling import SchedulingClient
from amtslotse.core.content import Catalogue, load_catalogue
from amtslotse.scheduling.app import create_app
from amtslotse.scheduling.clock import BERLIN, UTC
from amtslotse.scheduling.db.database import Database
from amtslotse.scheduling.db.migrate import upgrade
from amtslotse.scheduling.db.seed import seed_catalogue
from amtslotse.scheduling.settings import SchedulingSettings, sqlite_url
from amtslotse.settings import Settings

ADMIN_TOKEN = "test-admin-token-for-actions-0123"
SERVICE_TOKEN = "test-service-token-for-actions-0123"


class Clock:
    """Monday 2025-12-01, 07:00 in Berlin; tests move it by hand."""

    def __init__(self) -> None:
        self.now = datetime(2025, 12, 1, 7, 0, tzinfo=BERLIN).astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture(scope="session")
def cat() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@dataclass
class Backend:
    url: str
    db: Database
    runtime: runtime.Runtime
    admin_token: str = ADMIN_TOKEN


def _runtime(cat: Catalogue, clock: Clock, url: str) -> runtime.Runtime:
    return runtime.Runtime(
        settings=Settings(),
        catalogue=cat,
        scheduling=SchedulingClient(url, timeout=2.0, service_token=SERVICE_TOKEN),
        clock=clock,
    )


@pytest.fixture(autouse=True)
async def down_runtime(cat: Catalogue, clock: Clock) -> AsyncIterator[runtime.Runtime]:
    """By default the actions' backend is down: nothing listens at its address."""
    rt = _runtime(cat, clock, "http://127.0.0.1:9")
    old = runtime.install(rt)
    yield rt
    runtime.install(old)
    await rt.close()


@pytest.fixture
async def backend(
    tmp_path: Path,
    cat: Catalogue,
    clock: Clock,
    aiohttp_server: Any,
    down_runtime: runtime.Runtime,
) -> AsyncIterator[Backend]:
    """The real backend app on a fresh SQLite database; the actions talk to it."""
    settings = SchedulingSettings(
        database_url=sqlite_url(tmp_path / "scheduling.sqlite3"),
        admin_token=ADMIN_TOKEN,
        service_token=SERVICE_TOKEN,
        data_dir=tmp_path,
        housekeeping_minutes=0,
    )
    db = Database(settings.database_url)
    await upgrade(db)
    await seed_catalogue(db, cat)
    server = await aiohttp_server(create_app(settings, clock=clock))
    url = str(server.make_url("")).rstrip("/")
    rt = _runtime(cat, clock, url)
    runtime.install(rt)
    yield Backend(url, db, rt)
    runtime.install(down_runtime)
    await rt.close()
    await db.dispose()


@dataclass
class Conversation:
    """Slots carried from one action to the next, as Rasa would keep them."""

    sender: str = "conversation-0001"
    slots: dict[str, Any] = field(default_factory=dict)
    active_loop: str | None = None
    messages: list[dict[str, Any]] = field(default_factory=list)

    def tracker(
        self,
        intent: str,
        *,
        text: str = "",
        confidence: float = 0.95,
        concerns: tuple[str, ...] = (),
        entities: list[dict[str, Any]] | None = None,
        danger: bool = False,
        candidates: tuple[str, ...] = (),
    ) -> Tracker:
        message = {
            "text": text or f"/{intent}",
            "intent": {"name": intent, "confidence": confidence},
            "entities": [
                *({"entity": "concern", "value": c} for c in concerns),
                *(entities or []),
            ],
            "understanding": {
                "danger": {"danger": danger, "reasons": []},
                "candidates": [{"service": c, "confidence": 0.3} for c in candidates],
            },
        }
        loop = {"name": self.active_loop} if self.active_loop else {}
        return Tracker(
            self.sender, dict(self.slots), message, [], False, None, loop, "action_listen"
        )

    async def run(self, action: Any, intent: str, **kwargs: Any) -> list[dict[str, Any]]:
        """Run one action; its slot events go into the conversation; returns its messages."""
        dispatcher = CollectingDispatcher()
        events = await action.run(dispatcher, self.tracker(intent, **kwargs), {})
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
            elif event.get("event") == "active_loop":
                self.active_loop = event.get("name")
        self.messages = dispatcher.messages
        return dispatcher.messages

    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.messages)

    def custom(self, kind: str) -> list[dict[str, Any]]:
        return [m["custom"] for m in self.messages if (m.get("custom") or {}).get("type") == kind]

    def buttons(self) -> list[dict[str, Any]]:
        return [b for m in self.messages for b in (m.get("buttons") or [])]


@pytest.fixture
def talk() -> Callable[..., Conversation]:
    return Conversation
