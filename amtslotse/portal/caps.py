"""Caps on what one client can make the assistant hold: new conversations and chosen times.

A time is held when a citizen chooses it: the widget sends the payload
``/termin_waehlen{"bundle_id": ...}``, Rasa's action asks the scheduling
backend for a hold, and the hold lives ``SCHEDULING_HOLD_MINUTES``. The
backend allows one live hold per conversation. Without more, one client
could open many conversations (each a fresh sender id) and hold a time in
each: at the chat rate limit about 300 holds at once.

The portal sees every citizen message and knows the client (its real
address behind trusted proxies, see :mod:`amtslotse.portal.clients`), so it
caps two things per client, and neither needs state shared with the backend:

- **New conversations**: a sender id this client has not used within the
  last hour is a new conversation; at most
  ``CHAT_NEW_CONVERSATIONS_PER_HOUR`` per hour (:class:`NewConversations`).
- **Chosen times**: at most ``CHAT_HOLDS_PER_CLIENT`` ``/termin_waehlen``
  turns within one hold lifetime (:class:`SlidingWindow`). A hold lives no
  longer than that window, so however many conversations a client has, it
  never holds more than ``CHAT_HOLDS_PER_CLIENT`` times at once. Counting
  choices rather than live holds means nothing can drift out of step with
  the backend when a hold is given back or expires; the price is that a
  citizen who changes their mind more often than that waits a few minutes.

Both are kept in memory and bounded (the least recently seen clients are
forgotten first). Each portal instance counts for itself: behind a load
balancer that spreads one client over N instances, the caps are N times as
high, so keep a client on one instance (sticky by address) where that matters.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import TypeVar

Clock = Callable[[], float]
V = TypeVar("V")


def _recent(table: OrderedDict[str, V], key: str, new: Callable[[], V], most: int) -> V:
    """``table[key]`` (made by ``new`` if missing), now the most recently used entry;
    beyond ``most`` entries the least recently used go."""
    value = table.get(key)
    if value is None:
        value = table[key] = new()
        while len(table) > most:
            table.popitem(last=False)
    table.move_to_end(key)
    return value


class SlidingWindow:
    """``allow(key)``: at most ``limit`` events per key within the last ``seconds``."""

    def __init__(
        self,
        limit: int,
        seconds: float,
        clock: Clock = time.monotonic,
        max_keys: int = 10_000,
    ):
        self.limit = limit
        self.seconds = seconds
        self.clock = clock
        self.max_keys = max_keys
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, key: str) -> bool:
        now = self.clock()
        events = _recent(self._events, key, deque, self.max_keys)
        while events and events[0] <= now - self.seconds:
            events.popleft()
        if len(events) >= self.limit:
            return False
        events.append(now)
        return True


class NewConversations:
    """``allow(client, sender)``: known senders always; a new one while the hour's cap allows."""

    def __init__(
        self,
        per_hour: int,
        clock: Clock = time.monotonic,
        max_clients: int = 10_000,
    ):
        self.clock = clock
        self.max_clients = max_clients
        self._starts = SlidingWindow(per_hour, 3600, clock, max_clients)
        self._senders: OrderedDict[str, OrderedDict[str, float]] = OrderedDict()

    def allow(self, client: str, sender: str) -> bool:
        now = self.clock()
        known = _recent(self._senders, client, OrderedDict, self.max_clients)
        while known and next(iter(known.values())) <= now - 3600:
            known.popitem(last=False)  # idle for an hour: a new conversation if it returns
        if sender not in known and not self._starts.allow(client):
            return False
        known[sender] = now
        known.move_to_end(sender)
        return True
