"""Redis options of the lock store in bot/endpoints.yml, read as what they mean.

Rasa fills the ``${...}`` placeholders of endpoints.yml with text, and its
own ``type: redis`` hands that text to Redis unchanged: ``use_ssl: false``
from ``REDIS_TLS=false`` arrives as the non-empty string ``"false"`` and
switches TLS *on*. :func:`redis_options` turns the lock store's keys into
the types a Redis client takes (a bool, numbers, an optional password), and
``LOCK_STORE=redis`` stands for :class:`RedisLockStore`, Rasa's store built
from them (amtslotse.settings.LOCK_STORE_CLASSES). Rasa loads it by module
path with ``endpoint_config=``. A store of the project's own on Redis takes
its client's options from :func:`redis_options` as well.
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


def redis_options(endpoint_config: EndpointConfig) -> dict[str, Any]:
    """``host``, ``port``, ``db``, ``username``, ``password``, ``ssl``, ``ssl_ca_certs``."""
    kw = endpoint_config.kwargs
    return {
        "host": endpoint_config.url or "localhost",
        "port": int(kw.get("port") or 6379),
        "db": int(kw.get("db") or 1),
        "username": _text(kw.get("username")),
        "password": _text(kw.get("password")),
        "ssl": _flag(kw.get("use_ssl")),
        "ssl_ca_certs": _text(kw.get("ssl_ca_certs")),
    }


class RedisLockStore(_RasaRedisLockStore):
    """``lock_store: {type: amtslotse.rasa.redis_config.RedisLockStore, url, port, ...}``."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        options = redis_options(endpoint_config)
        super().__init__(
            host=options["host"],
            port=options["port"],
            db=options["db"],
            username=options["username"],
            password=options["password"],
            use_ssl=options["ssl"],
            ssl_ca_certs=options["ssl_ca_certs"],
            key_prefix=_text(endpoint_config.kwargs.get("key_prefix")),
        )
