"""Rasa's Redis lock store, with the values of bot/endpoints.yml read as what they mean.

Rasa fills the ``${...}`` placeholders of endpoints.yml with text, and its
own ``type: redis`` hands that text to Redis unchanged: ``use_ssl: false``
from ``REDIS_TLS=false`` arrives as the non-empty string ``"false"`` and
switches TLS *on*. ``LOCK_STORE=redis`` therefore stands for this class
(amtslotse.settings.REDIS_LOCK_STORE): it reads the same keys, turns them
into a bool, numbers and an optional password, and is otherwise Rasa's
RedisLockStore. Rasa loads it by module path with ``endpoint_config=``.
"""

from __future__ import annotations

from typing import Any

from rasa.core.lock_store import RedisLockStore as _RasaRedisLockStore
from rasa.utils.endpoints import EndpointConfig

_TRUE = frozenset({"1", "true", "yes", "on"})


def _flag(value: Any) -> bool:
    return value if isinstance(value, bool) else str(value or "").strip().lower() in _TRUE


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


class RedisLockStore(_RasaRedisLockStore):
    """``lock_store: {type: amtslotse.rasa.locks.RedisLockStore, url, port, password, use_ssl}``."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        kw = endpoint_config.kwargs
        super().__init__(
            host=endpoint_config.url or "localhost",
            port=int(kw.get("port") or 6379),
            db=int(kw.get("db") or 1),
            username=_text(kw.get("username")),
            password=_text(kw.get("password")),
            use_ssl=_flag(kw.get("use_ssl")),
            ssl_ca_certs=_text(kw.get("ssl_ca_certs")),
            key_prefix=_text(kw.get("key_prefix")),
        )
