"""Behind the county's reverse proxy: the real client, Secure cookies, HSTS, headers everywhere."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from amtslotse.portal.app import create_app
from amtslotse.portal.clients import Proxies, client_key
from amtslotse.portal.ratelimit import RateLimiter

SENDER = "proxy-sender-0001"


def _headers(**values: str | list[str]) -> CIMultiDictProxy[str]:
    headers: CIMultiDict[str] = CIMultiDict()
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            headers.add(name.replace("_", "-"), item)
    return CIMultiDictProxy(headers)


@pytest.mark.parametrize(
    "peer, forwarded_for, client",
    [
        # The proxy appends the address it saw: that one is the client.
        ("10.0.0.5", "203.0.113.9", "203.0.113.9"),
        # Whatever the client wrote itself stays left of it and is ignored.
        ("10.0.0.5", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        ("10.0.0.5", ["1.2.3.4", "203.0.113.9"], "203.0.113.9"),
        # Two proxies of the county: walk over both.
        ("10.0.0.5", "203.0.113.9, 10.0.0.7", "203.0.113.9"),
        # Garbage where a trusted proxy should have written: stop at the last good hop.
        ("10.0.0.5", "unknown", "10.0.0.5"),
        ("10.0.0.5", "", "10.0.0.5"),
        # With ports and IPv6 brackets; IPv4-mapped IPv6.
        ("10.0.0.5", "[2001:db8::1]:4711", "2001:db8::1"),
        ("10.0.0.5", "203.0.113.9:4711", "203.0.113.9"),
        ("::ffff:10.0.0.5", "203.0.113.9", "203.0.113.9"),
        # Not from a trusted proxy: its headers count for nothing.
        ("198.51.100.1", "203.0.113.9", "198.51.100.1"),
    ],
)
def test_the_client_is_the_right_most_untrusted_address(peer, forwarded_for, client):
    proxies = Proxies(["10.0.0.0/24"])
    found = proxies.client(peer, "http", _headers(X_Forwarded_For=forwarded_for))
    assert found.remote == client


def test_the_scheme_comes_from_a_trusted_proxy_only():
    proxies = Proxies(["10.0.0.5/32"])
    https = _headers(X_Forwarded_For="203.0.113.9", X_Forwarded_Proto="https")
    assert proxies.client("10.0.0.5", "http", https).scheme == "https"
    assert proxies.client("198.51.100.1", "http", https).scheme == "http"
    odd = _headers(X_Forwarded_Proto="gopher")
    assert proxies.client("10.0.0.5", "http", odd).scheme == "http"


def test_ipv6_clients_are_limited_by_their_64_network():
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::2")
    assert client_key("2001:db8:1:2::1") != client_key("2001:db8:1:3::1")
    assert client_key("203.0.113.9") == "203.0.113.9"
    assert client_key(None) == "unknown"


async def test_rate_limits_key_on_the_real_client_behind_the_proxy(
    aiohttp_client, fake_rasa, settings_for
):
    settings = settings_for(fake_rasa.port, trusted_proxies=("127.0.0.1/32",))
    client = await aiohttp_client(create_app(settings, limiter=RateLimiter(per_minute=1, burst=2)))

    async def chat(address: str) -> int:
        response = await client.post(
            "/api/chat",
            json={"sender": SENDER, "message": "Hallo"},
            headers={"X-Forwarded-For": address},
        )
        return response.status

    assert [await chat("203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert await chat("203.0.113.2") == 200  # the next citizen behind the same proxy
    # A client that claims another address only adds it on the left: still itself.
    assert await chat("203.0.113.2, 203.0.113.1") == 429


async def test_forwarded_headers_from_anyone_else_are_ignored(
    aiohttp_client, fake_rasa, settings_for
):
    client = await aiohttp_client(
        create_app(settings_for(fake_rasa.port), limiter=RateLimiter(per_minute=1, burst=1))
    )
    body = {"sender": SENDER, "message": "Hallo"}
    first = await client.post("/api/chat", json=body, headers={"X-Forwarded-For": "1.1.1.1"})
    second = await client.post("/api/chat", json=body, headers={"X-Forwarded-For": "2.2.2.2"})
    assert (first.status, second.status) == (200, 429)


async def test_cookies_are_secure_and_hsts_is_sent_behind_an_https_url(
    aiohttp_client, fake_rasa, settings_for
):
    settings = settings_for(fake_rasa.port, public_url="https://amtslotse.kreis.example")
    client = await aiohttp_client(create_app(settings))
    login = await client.get("/login")
    assert login.cookies["amtslotse_login"]["secure"]
    for response in (login, await client.get("/"), await client.get("/nichts")):
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    redirect = await client.get("/hotline", allow_redirects=False)
    assert redirect.status == 303
    assert redirect.headers["Strict-Transport-Security"] == "max-age=31536000"


async def test_no_secure_cookie_and_no_hsts_over_plain_http(
    aiohttp_client, fake_rasa, settings_for
):
    client = await aiohttp_client(create_app(settings_for(fake_rasa.port)))
    login = await client.get("/login")
    assert not login.cookies["amtslotse_login"]["secure"]
    assert "Strict-Transport-Security" not in login.headers


async def test_https_from_a_trusted_proxy_makes_cookies_secure(
    aiohttp_client, fake_rasa, settings_for
):
    settings = settings_for(fake_rasa.port, trusted_proxies=("127.0.0.1/32",))
    client = await aiohttp_client(create_app(settings))
    login = await client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert login.cookies["amtslotse_login"]["secure"]


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/"),
        ("GET", "/widget.js"),
        ("GET", "/static/widget.css"),
        ("GET", "/hotline"),  # a redirect raised as HTTPException
        ("GET", "/gibt-es-nicht"),  # the router's 404
        ("DELETE", "/api/chat"),  # the router's 405
        ("POST", "/api/chat"),  # a Problem
        ("GET", "/api/editor/texts"),  # 401
        ("GET", "/healthz"),  # 503: nothing runs behind this portal
    ],
)
async def test_every_response_carries_the_security_headers(
    aiohttp_client, settings_for, method, path
):
    from amtslotse.run.supervisor import free_port

    client = await aiohttp_client(create_app(settings_for(free_port())))
    response = await client.request(method, path, allow_redirects=False)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
