"""Rasa's lock store from bot/endpoints.yml: Redis password and TLS are configuration."""

from __future__ import annotations

from dataclasses import replace

import pytest

from amtslotse.settings import PROJECT_ROOT, Settings

ENDPOINTS = PROJECT_ROOT / "bot" / "endpoints.yml"


def _lock_store(monkeypatch, settings: Settings):
    from rasa.core.lock_store import LockStore
    from rasa.utils.endpoints import read_endpoint_config

    for name, value in settings.rasa_endpoint_env().items():
        monkeypatch.setenv(name, value)
    return LockStore.create(read_endpoint_config(str(ENDPOINTS), "lock_store"))


def test_the_default_is_rasas_in_memory_lock_store(monkeypatch):
    from rasa.core.lock_store import InMemoryLockStore

    assert isinstance(_lock_store(monkeypatch, Settings()), InMemoryLockStore)


@pytest.mark.parametrize("tls", [False, True])
def test_redis_gets_the_password_and_tls_as_configured(monkeypatch, tls):
    from redis.connection import SSLConnection

    settings = replace(
        Settings(),
        lock_store="redis",
        redis_host="redis.internal",
        redis_port=6380,
        redis_password="geheim$word",
        redis_tls=tls,
    )
    store = _lock_store(monkeypatch, settings)
    pool = store.red.connection_pool
    assert pool.connection_kwargs["host"] == "redis.internal"
    assert pool.connection_kwargs["port"] == 6380
    assert pool.connection_kwargs["password"] == "geheim$word"
    assert (pool.connection_class is SSLConnection) is tls


def test_no_password_sends_none(monkeypatch):
    store = _lock_store(monkeypatch, replace(Settings(), lock_store="redis"))
    assert store.red.connection_pool.connection_kwargs["password"] is None


@pytest.mark.parametrize("text, tls", [("false", False), ("true", True), ("", False), ("1", True)])
def test_placeholder_text_becomes_a_yes_or_no(text, tls):
    from rasa.utils.endpoints import EndpointConfig

    from amtslotse.rasa.redis_config import redis_options

    config = EndpointConfig(url="redis", port="6380", password="", use_ssl=text)
    options = redis_options(config)
    assert options["ssl"] is tls and options["port"] == 6380 and options["password"] is None
