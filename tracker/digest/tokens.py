"""Signed unsubscribe tokens: an HMAC of the subscription id under the secret key, so a link
in an email ends that one subscription and nothing else, without signing in."""

from __future__ import annotations

import hashlib
import hmac


def unsubscribe_token(secret: bytes, subscription_id: str) -> str:
    return hmac.new(
        secret, f"unsubscribe\x00{subscription_id}".encode(), hashlib.sha256
    ).hexdigest()


def token_ok(secret: bytes, subscription_id: str, token: str | None) -> bool:
    if not token or len(token) != 64:
        return False
    return hmac.compare_digest(unsubscribe_token(secret, subscription_id), token)


__all__ = ["token_ok", "unsubscribe_token"]
