"""How many Rasa servers run, and what they must share so that no event is lost.

Rasa's documented way to scale out is several servers behind a balancer
that share one tracker store (the conversations) and one lock store (which
server may work on a conversation right now). This module refuses the
setups where that sharing does not hold:

- several instances on the in-memory lock store: each server would lock a
  conversation only against itself, two could answer the same conversation
  at once, and the events of one would overwrite the other's;
- several instances on a SQLite tracker store: the servers wait for each
  other's writes on one file, and when a write waits too long Rasa keeps
  that conversation in its own memory from then on (its fail-safe tracker
  store falls back to memory), so the events never reach the file.
"""

from __future__ import annotations

from amtslotse.errors import SetupError
from amtslotse.settings import Settings


def check_instances(settings: Settings) -> None:
    """SetupError, saying what to set, for several Rasa servers that would lose events."""
    n = settings.rasa_instances
    if n == 1:
        return
    if settings.lock_store_type != "redis":
        raise SetupError(
            f"RASA_INSTANCES={n} needs the Redis lock store, not LOCK_STORE="
            f"{settings.lock_store_type}: with locks in each server's own memory, two servers "
            "could answer one conversation at the same time and the events of one would be "
            "lost. Unset LOCK_STORE (several instances use Redis by default) or set "
            "LOCK_STORE=redis."
        )
    if settings.tracker_url.startswith("sqlite"):
        raise SetupError(
            f"RASA_INSTANCES={n} needs a tracker store the servers can share: set "
            "TRACKER_DB_URL=postgresql://user:password@host/rasa and "
            "TRACKER_DB_DIALECT=postgresql. On SQLite the servers wait for each other's "
            "writes, and a write that waits too long leaves that conversation in one "
            "server's memory only: its events would be lost."
        )


def starts_own_redis(settings: Settings) -> bool:
    """A Redis lock store and none configured: ``amtslotse run`` starts one (a local try-out)."""
    return settings.lock_store_type == "redis" and not settings.redis_host


def check_own_redis(settings: Settings) -> None:
    """SetupError for a Redis that ``amtslotse run`` would start but cannot serve as asked."""
    if settings.redis_tls:
        raise SetupError(
            "REDIS_TLS=true needs a Redis that speaks TLS: set REDIS_HOST (and REDIS_PORT) to "
            "it. The Redis that 'amtslotse run' starts for a try-out, when REDIS_HOST is unset, "
            "speaks no TLS; for that, unset REDIS_TLS."
        )


def starts_own_rasa(settings: Settings) -> bool:
    """With RASA_URLS, Rasa and its action servers run elsewhere; the portal talks to them."""
    return not settings.rasa_urls_configured
