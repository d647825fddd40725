"""Signed webhooks: the body serialised once, an HMAC over timestamp and body, one keep-alive client."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx

# Enough of a refusal's body to explain it in last_error; the rest is never read.
MAX_RESPONSE_READ = 2048
USER_AGENT = "Surge-Webhook/1"


class WebhookFailed(Exception):
    """The receiver did not take the message; the text is safe to store (no secret in it)."""


def encode(body: dict) -> bytes:
    """Compact, keys sorted: the bytes that are signed are the bytes that are sent."""
    return json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def signature(secret: str, timestamp: int, raw: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<raw body>"): what a receiver recomputes."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + raw, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def headers(*, key: str, topic: str, timestamp: int, secret: str, raw: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Idempotency-Key": key,
        "X-Surge-Topic": topic,
        "X-Surge-Timestamp": str(timestamp),
        "X-Surge-Signature": signature(secret, timestamp, raw),
    }


def make_client(*, timeout: float, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """One client per worker, so connections to a receiver are kept alive between messages.

    Redirects are not followed: a signed message goes to the URL its clearinghouse gave, nowhere else.
    """
    return httpx.Client(timeout=timeout, follow_redirects=False, transport=transport,
                        limits=httpx.Limits(max_keepalive_connections=20, keepalive_expiry=30))


def post(client: httpx.Client, url: str, *, raw: bytes, headers: dict[str, str]) -> None:
    """Send one webhook; returns on a 2xx, raises WebhookFailed on anything else."""
    try:
        with client.stream("POST", url, content=raw, headers=headers) as response:
            if 200 <= response.status_code < 300:
                return
            excerpt = _excerpt(response)
    except httpx.HTTPError as exc:
        raise WebhookFailed(f"{type(exc).__name__}: {exc}") from None
    raise WebhookFailed(f"HTTP {response.status_code}" + (f": {excerpt}" if excerpt else ""))


def _excerpt(response: httpx.Response) -> str:
    taken = b""
    try:
        for chunk in response.iter_bytes():
            taken += chunk
            if len(taken) >= MAX_RESPONSE_READ:
                break
    except httpx.HTTPError:
        pass
    return taken[:MAX_RESPONSE_READ].decode("utf-8", "replace").strip()
