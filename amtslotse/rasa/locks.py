"""Rasa's conversation lock on Redis, shared by several Rasa servers: atomic and leased.

Rasa serialises the turns of one conversation with a ticket lock: a turn
takes a ticket and waits until it is the lowest one. Rasa's own
``RedisLockStore`` reads the tickets, changes them in Python and writes them
back, so two servers that take a ticket at the same moment can both read
"free" and work on one conversation at once; and a ticket lives 60 seconds,
so a server killed in the middle of a turn blocks that conversation for a
minute. ``bot/endpoints.yml`` loads this store instead (``LOCK_STORE=redis``):

- every change of the tickets is one Lua script, atomic in Redis, timed by
  Redis's clock (the servers' clocks may differ);
- a ticket is a lease of :data:`LEASE_SECONDS` that its server renews while
  the turn waits and runs, however long that takes; the ticket of a server
  that died lapses within seconds, and the next turn goes on;
- its Redis clients take host, port, password and TLS from
  :func:`amtslotse.rasa.redis_config.redis_options` (``REDIS_PASSWORD``,
  ``REDIS_TLS``);
- Redis failing is :class:`~rasa.core.lock_store.LockError` at once (socket
  timeouts of 2 seconds), which the chat channel (amtslotse/rasa/channels.py)
  answers as "lock store down".

The calls to Redis are synchronous, as in Rasa's own store: each takes a
fraction of a millisecond on the event loop, and turns are then served in
the order they came. (With redis.asyncio, some turns under a burst of
concurrent first messages never finished; the synchronous client has no
such failure mode.)

Tickets of one conversation are fields of one hash ``amtslotse:lock:<sender>``:
``next`` counts, ``t<n>`` holds ticket n's expiry in milliseconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig
from redis.exceptions import RedisError

from amtslotse.rasa.redis_config import redis_options

log = logging.getLogger(__name__)

#: A ticket lapses this long after its server last renewed it.
LEASE_SECONDS = 10.0
#: How often a server renews the tickets of its turns.
RENEW_SECONDS = 2.0
#: How often a waiting turn asks whether it is its turn.
POLL_SECONDS = 0.05
#: A turn that waits longer than this gives up (the conversation is stuck).
MAX_WAIT_SECONDS = 60.0

KEY_PREFIX = "amtslotse:lock:"

_NOW_MS = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) "

_ISSUE = (
    _NOW_MS
    + """
local n = redis.call('HINCRBY', KEYS[1], 'next', 1)
redis.call('HSET', KEYS[1], 't' .. n, now + tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[1], 4 * tonumber(ARGV[1]))
return n
"""
)

# 1: the ticket is served now; 0: it waits; -1: it has lapsed (its server was too slow).
_TRY = (
    _NOW_MS
    + """
local mine = tonumber(ARGV[1])
local fields = redis.call('HGETALL', KEYS[1])
local lowest = nil
local present = false
for i = 1, #fields, 2 do
  local f = fields[i]
  if string.sub(f, 1, 1) == 't' then
    local n = tonumber(string.sub(f, 2))
    if tonumber(fields[i + 1]) < now then
      redis.call('HDEL', KEYS[1], f)
    else
      if n == mine then present = true end
      if lowest == nil or n < lowest then lowest = n end
    end
  end
end
if not present then return -1 end
if lowest == mine then return 1 end
return 0
"""
)

_RENEW = (
    _NOW_MS
    + """
local f = 't' .. ARGV[1]
if redis.call('HEXISTS', KEYS[1], f) == 0 then return 0 end
redis.call('HSET', KEYS[1], f, now + tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], 4 * tonumber(ARGV[2]))
return 1
"""
)

# Deletes the hash with the last ticket, so the counter starts again at 1.
_RELEASE = """
redis.call('HDEL', KEYS[1], 't' .. ARGV[1])
if redis.call('HLEN', KEYS[1]) <= 1 then redis.call('DEL', KEYS[1]) end
return 1
"""


class SharedLockStore(RedisLockStore):
    """``lock_store: type: amtslotse.rasa.locks.SharedLockStore`` (with url, port, ...)."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        # Host, port, password and TLS as bot/endpoints.yml gives them, read as
        # what they mean (REDIS_TLS=false is no TLS): amtslotse.rasa.redis_config.
        options = redis_options(endpoint_config)
        timeout = float(endpoint_config.kwargs.get("socket_timeout") or 2)
        super().__init__(
            host=options["host"],
            port=options["port"],
            db=options["db"],
            username=options["username"],
            password=options["password"],
            use_ssl=options["ssl"],
            ssl_ca_certs=options["ssl_ca_certs"],
            socket_timeout=timeout,
        )
        self._redis = redis.Redis(**options, socket_timeout=timeout, socket_connect_timeout=timeout)
        # Not Rasa's "lock:" keys: those hold Rasa's own JSON tickets.
        self.key_prefix = KEY_PREFIX
        self._issue = self._redis.register_script(_ISSUE)
        self._try = self._redis.register_script(_TRY)
        self._renew = self._redis.register_script(_RENEW)
        self._release = self._redis.register_script(_RELEASE)

    def _key(self, conversation_id: str) -> str:
        return f"{self.key_prefix}{conversation_id}"

    async def ping(self) -> bool:
        """True when Redis answers (the channel's health check)."""
        try:
            return bool(self._redis.ping())
        except (RedisError, OSError):
            return False

    @contextlib.asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LEASE_SECONDS,
        wait_time_in_seconds: float = POLL_SECONDS,
    ) -> AsyncIterator[TicketLock]:
        """Hold the conversation's lock; Rasa's arguments are ignored (leases instead)."""
        key = self._key(conversation_id)
        lease_ms = int(LEASE_SECONDS * 1000)
        try:
            ticket = int(self._issue(keys=[key], args=[lease_ms]))
        except (RedisError, OSError) as exc:
            raise LockError(f"the lock store does not answer ({type(exc).__name__})") from exc
        done = asyncio.Event()
        keeper = asyncio.create_task(self._keep(key, ticket, lease_ms, done))
        try:
            await self._wait_for_turn(key, ticket)
            yield TicketLock(conversation_id)
        finally:
            done.set()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
            try:
                self._release(keys=[key], args=[ticket])
            except (RedisError, OSError):
                log.warning("a conversation lock was not released; its lease lapses by itself")

    async def _wait_for_turn(self, key: str, ticket: int) -> None:
        deadline = asyncio.get_running_loop().time() + MAX_WAIT_SECONDS
        while True:
            try:
                state = int(self._try(keys=[key], args=[ticket]))
            except (RedisError, OSError) as exc:
                raise LockError(f"the lock store does not answer ({type(exc).__name__})") from exc
            if state == 1:
                return
            if state == -1:
                raise LockError("the conversation lock lapsed while waiting")
            if asyncio.get_running_loop().time() > deadline:
                raise LockError("the conversation stayed locked for too long")
            await asyncio.sleep(POLL_SECONDS)

    async def _keep(self, key: str, ticket: int, lease_ms: int, done: asyncio.Event) -> None:
        """Renew the ticket every RENEW_SECONDS until ``done`` is set (the turn ended)."""
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(done.wait(), RENEW_SECONDS)
            if done.is_set():
                return
            try:
                if not self._renew(keys=[key], args=[ticket, lease_ms]):
                    log.warning("a conversation lock lapsed during a turn (Redis restarted?)")
                    return
            except (RedisError, OSError):
                log.warning("the lock store did not answer a renewal; retrying")
