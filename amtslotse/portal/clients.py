"""Who the client is: its address behind trusted reverse proxies, and the key its limits use.

``X-Forwarded-For`` is a list that each proxy appends to (``client, proxy1,
proxy2``; the peer that connected to the portal is the last proxy). Anyone
can send the header with made-up addresses in it, so only what trusted
proxies appended counts: start at the peer and walk from the right while
the address is one of ``AMTSLOTSE_TRUSTED_PROXIES``; the first address that
is not is the client (the right-most untrusted one). From a peer that is not
trusted, both headers are ignored. ``X-Forwarded-Proto`` is taken as the
trusted peer set it (its right-most value).

Rate limits key on the client: an IPv4 address, or the /64 network of an
IPv6 address (one household or phone gets a whole /64).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from multidict import MultiMapping

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Client:
    remote: str | None
    scheme: str


def parse_address(text: str | None) -> Address | None:
    """``1.2.3.4``, ``1.2.3.4:80``, ``2001:db8::1``, ``[2001:db8::1]:443``; else None."""
    if not text:
        return None
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


class Proxies:
    """The trusted proxies' networks; falsy when there are none (headers are never read)."""

    def __init__(self, networks: Iterable[str] = ()):
        self.networks = tuple(ipaddress.ip_network(n, strict=False) for n in networks)

    def __bool__(self) -> bool:
        return bool(self.networks)

    def trusted(self, address: Address | None) -> bool:
        return address is not None and any(
            address.version == n.version and address in n for n in self.networks
        )

    def client(self, peer: str | None, scheme: str, headers: MultiMapping[str]) -> Client:
        """The real client and scheme of a request that ``peer`` sent over ``scheme``."""
        current = parse_address(peer)
        if not self.trusted(current):
            return Client(peer, scheme)
        for hop in reversed(_values(headers, "X-Forwarded-For")):
            if not self.trusted(current):
                break
            address = parse_address(hop)
            if address is None:
                break  # garbage left of what the trusted proxies wrote: keep the last hop
            current = address
        proto = next((p.lower() for p in reversed(_values(headers, "X-Forwarded-Proto")) if p), "")
        return Client(str(current), proto if proto in ("http", "https") else scheme)


def _values(headers: MultiMapping[str], name: str) -> list[str]:
    """All comma-separated values of every ``name`` header, in order."""
    return [item.strip() for value in headers.getall(name, ()) for item in value.split(",")]


def client_key(remote: str | None) -> str:
    """The rate limits' key for a client address."""
    address = parse_address(remote)
    if address is None:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
