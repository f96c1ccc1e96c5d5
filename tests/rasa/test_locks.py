"""The shared lock store: one server at a time per conversation, and a dead server's
ticket lapses within seconds (a real Redis, started per test module)."""

from __future__ import annotations

import asyncio
import time

import pytest
from rasa.core.lock_store import LockError
from rasa.utils.endpoints import EndpointConfig

from amtslotse.rasa import locks
from amtslotse.run.supervisor import free_port
from amtslotse.testing.redis import running_redis

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def redis_port():
    with running_redis() as port:
        yield port


def _store(port: int) -> locks.SharedLockStore:
    return locks.SharedLockStore(EndpointConfig(url="127.0.0.1", port=port, type="redis"))


async def test_two_servers_never_work_on_one_conversation_at_once(redis_port):
    servers = [_store(redis_port), _store(redis_port)]
    inside: list[int] = []
    overlaps = 0

    async def turn(n: int) -> None:
        nonlocal overlaps
        async with servers[n % 2].lock("conversation-a"):
            inside.append(n)
            overlaps += len(inside) > 1
            await asyncio.sleep(0.01)
            inside.remove(n)

    await asyncio.gather(*(turn(n) for n in range(20)))
    assert overlaps == 0
    # Other conversations do not wait for this one.
    started = time.monotonic()
    async with servers[0].lock("conversation-a"), servers[1].lock("conversation-b"):
        pass
    assert time.monotonic() - started < 1


async def test_a_turn_longer_than_the_lease_keeps_its_lock(redis_port, monkeypatch):
    monkeypatch.setattr(locks, "LEASE_SECONDS", 0.6)
    monkeypatch.setattr(locks, "RENEW_SECONDS", 0.15)
    first, second = _store(redis_port), _store(redis_port)
    order: list[str] = []

    async def long_turn() -> None:
        async with first.lock("conversation-long"):
            order.append("long starts")
            await asyncio.sleep(1.5)  # more than twice the lease
            order.append("long ends")

    async def next_turn() -> None:
        await asyncio.sleep(0.1)
        async with second.lock("conversation-long"):
            order.append("next")

    await asyncio.gather(long_turn(), next_turn())
    assert order == ["long starts", "long ends", "next"]


async def test_the_ticket_of_a_server_that_died_lapses(redis_port, monkeypatch):
    monkeypatch.setattr(locks, "LEASE_SECONDS", 1.0)
    monkeypatch.setattr(locks, "RENEW_SECONDS", 0.25)
    dead = _store(redis_port)
    # A server took the lock and died: its ticket is never renewed nor released.
    dead._issue(keys=[dead._key("conversation-c")], args=[1000])
    started = time.monotonic()
    async with _store(redis_port).lock("conversation-c"):
        waited = time.monotonic() - started
    assert 0.5 < waited < 3


async def test_redis_down_is_a_lock_error_at_once():
    store = _store(free_port())
    started = time.monotonic()
    with pytest.raises(LockError, match="the lock store does not answer"):
        async with store.lock("conversation-d"):
            pass
    assert time.monotonic() - started < 3
    assert await store.ping() is False
