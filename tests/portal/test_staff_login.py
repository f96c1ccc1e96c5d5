"""Staff login under attack: same cost for unknown names, limits reserved before hashing,
a cap on parallel hashes, and limits that key on the real client behind the county's proxy."""

from __future__ import annotations

import asyncio
import re
import statistics
import threading
import time

import pytest

from amtslotse.portal import auth as auth_module
from amtslotse.portal.accounts import Account, hash_password
from amtslotse.portal.app import create_app
from amtslotse.portal.auth import Auth, LoginLimits
from amtslotse.portal.ratelimit import RateLimiter
from amtslotse.portal.sessions import SessionStore

PASSWORD = "richtig-geheim-1"


def _auth(tmp_path, iterations: int, limits: LoginLimits) -> Auth:
    accounts = {
        "erika": Account(
            "erika", hash_password(PASSWORD, iterations=iterations), frozenset({"hotline"})
        )
    }
    return Auth(
        lambda: accounts,
        SessionStore(f"sqlite:///{tmp_path / 'sessions.sqlite3'}", b"s" * 32),
        iterations=iterations,
        limits=limits,
    )


def _limits(client_burst: int = 1000, name_burst: int = 1000, **kw: int) -> LoginLimits:
    return LoginLimits(
        RateLimiter(per_minute=1, burst=client_burst),
        RateLimiter(per_minute=1, burst=name_burst),
        **kw,
    )


async def _portal(aiohttp_client, settings_for, fake_rasa, tmp_path, iterations, limits):
    settings = settings_for(fake_rasa.port, trusted_proxies=("127.0.0.1/32",))
    auth = _auth(tmp_path, iterations, limits)
    return await aiohttp_client(create_app(settings, auth=auth))


async def _form(client, address: str) -> str:
    page = await client.get("/login", headers={"X-Forwarded-For": address})
    return re.search(r'name="csrf" value="([^"]*)"', await page.text()).group(1)


async def _post(client, name: str, password: str, csrf: str, address: str):
    return await client.post(
        "/login",
        data={"name": name, "password": password, "csrf": csrf, "next": "/hotline"},
        headers={"X-Forwarded-For": address},
        allow_redirects=False,
    )


async def _try(client, name: str, password: str, address: str = "203.0.113.7"):
    """One login from ``address`` (forwarded by the trusted proxy at 127.0.0.1)."""
    return await _post(client, name, password, await _form(client, address), address)


@pytest.mark.slow
async def test_unknown_and_known_names_take_the_same_time(
    aiohttp_client, settings_for, fake_rasa, tmp_path
):
    # A cost that dwarfs the request's own time; the property is "same cost".
    client = await _portal(aiohttp_client, settings_for, fake_rasa, tmp_path, 100_000, _limits())
    await _try(client, "erika", "warm-up")
    cpu: dict[str, list[float]] = {"erika": [], "niemand": []}
    wall: dict[str, list[float]] = {"erika": [], "niemand": []}
    for round_ in range(11):
        # Alternating order, so that whatever else runs hits both alike.
        for name in sorted(cpu, reverse=bool(round_ % 2)):
            csrf = await _form(client, "203.0.113.7")
            started, started_cpu = time.perf_counter(), time.process_time()
            response = await _post(client, name, "falsch-falsch", csrf, "203.0.113.7")
            cpu[name].append(time.process_time() - started_cpu)
            wall[name].append(time.perf_counter() - started)
            assert response.status == 401
    # The work a login costs (CPU time of this process, the portal runs in it) is
    # what must not tell names apart; wall time also carries the load of the
    # machine, so it is shown but not compared.
    known, unknown = (statistics.median(cpu[n]) for n in ("erika", "niemand"))
    walls = {n: f"{statistics.median(t) * 1000:.0f} ms" for n, t in wall.items()}
    print(f"login CPU: known {known * 1000:.1f} ms, unknown {unknown * 1000:.1f} ms; wall {walls}")
    assert abs(unknown - known) <= 0.2 * known, (known, unknown, walls)


async def test_parallel_attempts_cannot_pass_the_limiter(
    aiohttp_client, settings_for, fake_rasa, tmp_path, monkeypatch
):
    hashed = []
    monkeypatch.setattr(
        auth_module,
        "verify_password",
        lambda password, encoded: hashed.append(encoded) or False,
    )
    client = await _portal(
        aiohttp_client, settings_for, fake_rasa, tmp_path, 1000, _limits(client_burst=3)
    )
    responses = await asyncio.gather(*(_try(client, "erika", f"falsch-{i}") for i in range(20)))
    statuses = sorted(r.status for r in responses)
    assert statuses == [401] * 3 + [429] * 17
    assert len(hashed) == 3  # refused attempts were never hashed
    assert all(r.headers.get("Retry-After") for r in responses if r.status == 429)


async def test_at_most_two_hashes_run_at_once_and_a_flood_is_turned_away(
    aiohttp_client, settings_for, fake_rasa, tmp_path, monkeypatch
):
    running, most = [0], [0]
    lock = threading.Lock()

    def slow_verify(password: str, encoded: str) -> bool:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return False

    monkeypatch.setattr(auth_module, "verify_password", slow_verify)
    client = await _portal(
        aiohttp_client, settings_for, fake_rasa, tmp_path, 1000, _limits(hashing=2, waiting=2)
    )
    responses = await asyncio.gather(
        *(_try(client, "erika", "falsch", address=f"203.0.113.{i}") for i in range(12))
    )
    statuses = [r.status for r in responses]
    assert most[0] == 2
    assert statuses.count(401) >= 4 and statuses.count(429) >= 1
    assert "Gerade melden sich sehr viele an." in await responses[statuses.index(429)].text()


async def test_a_wrong_password_behind_the_proxy_locks_out_only_that_client(
    aiohttp_client, settings_for, fake_rasa, tmp_path
):
    client = await _portal(
        aiohttp_client, settings_for, fake_rasa, tmp_path, 1000, _limits(client_burst=2)
    )
    for _ in range(2):
        assert (await _try(client, "erika", "falsch", address="198.51.100.1")).status == 401
    assert (await _try(client, "erika", PASSWORD, address="198.51.100.1")).status == 429
    # A colleague behind the same proxy logs in.
    assert (await _try(client, "erika", PASSWORD, address="198.51.100.2")).status == 303


async def test_guesses_at_one_name_from_many_clients_are_limited_per_name(
    aiohttp_client, settings_for, fake_rasa, tmp_path
):
    client = await _portal(
        aiohttp_client, settings_for, fake_rasa, tmp_path, 1000, _limits(name_burst=3)
    )
    statuses = [
        (await _try(client, "erika", "falsch", address=f"198.51.100.{i}")).status for i in range(5)
    ]
    assert statuses == [401, 401, 401, 429, 429]
    # Other names are not affected, known or not.
    assert (await _try(client, "niemand", "falsch", address="198.51.100.9")).status == 401


async def test_a_correct_login_does_not_use_up_the_limit(
    aiohttp_client, settings_for, fake_rasa, tmp_path
):
    client = await _portal(
        aiohttp_client, settings_for, fake_rasa, tmp_path, 1000, _limits(client_burst=2)
    )
    for _ in range(4):
        assert (await _try(client, "erika", PASSWORD)).status == 303
        client.session.cookie_jar.clear()  # the next login comes from a fresh browser
    assert (await _try(client, "erika", "falsch")).status == 401
