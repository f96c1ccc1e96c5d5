"""Redis options of the lock store in bot/endpoints.yml, read as what they mean.

Rasa fills the ``${...}`` placeholders of endpoints.yml with text, and its
own ``type: redis`` hands that text to Redis unchanged: ``use_ssl: false``
from ``REDIS_TLS=false`` arrives as the non-empty string ``"false"`` and
switches TLS *on*. :func:`redis_options` turns the lock store's keys into
the types a Redis client takes (a bool, numbers, an optional password).
``LOCK_STORE=redis`` stands for the project's own store on Redis,
:class:`amtslotse.rasa.locks.SharedLockStore` (amtslotse.settings.LOCK_STORE_CLASSES),
which Rasa loads by module path with ``endpoint_config=`` and which builds
both of its Redis clients from these options.
"""

from __future__ import annotations

from typing import Any

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
