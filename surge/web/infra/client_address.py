"""Who the client really is: the socket peer, or, behind proxies we trust, the address they forwarded.

Every rate limit, the log-in throttle, the access log and the audit log key on this one answer. Only
peers listed in SURGE_TRUSTED_PROXIES (none by default) may speak for the client through
X-Forwarded-For; anyone else could write any address there and dodge or poison the limits.
"""

from __future__ import annotations

import ipaddress
from typing import Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.5:443"
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def _trusted(address, networks: Sequence[Network]) -> bool:
    return address is not None and any(address.version == net.version and address in net for net in networks)


def real_client(peer: str, forwarded_for: Sequence[str], trusted: Sequence[Network]) -> str:
    """Walk X-Forwarded-For from the right while each hop is a trusted proxy; the first other hop is the client."""
    current = _parse(peer)
    if not _trusted(current, trusted):
        return str(current) if current is not None else peer
    hops = [hop for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        previous = _parse(hop)
        if previous is None:
            break  # a garbled entry: trust nothing before it
        current = previous
        if not _trusted(current, trusted):
            break
    return str(current)


class ClientAddressMiddleware:
    """Rewrites scope["client"] to the real client, so every later layer reads one answer."""

    def __init__(self, app: ASGIApp, *, trusted: Sequence[Network]):
        self.app = app
        self.trusted = tuple(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            peer, port = scope.get("client") or ("unknown", 0)
            forwarded = [value.decode("latin-1") for key, value in scope.get("headers", [])
                         if key == b"x-forwarded-for"] if self.trusted else []
            scope["client"] = (real_client(peer, forwarded, self.trusted), port)
        await self.app(scope, receive, send)


def client_of(request) -> str:
    return request.client.host if request.client else "unknown"
