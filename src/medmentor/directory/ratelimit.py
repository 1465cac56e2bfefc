"""A fixed-window counter in the cache (Redis when ``REDIS_URL`` is set), in the spirit of
allauth's rate limits: ``limit`` attempts per ``period`` seconds for one key."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds

    def consume(self, *, scope: str, key: str) -> bool:
        """Counts one attempt; False once the limit for this window is passed."""
        digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()
        cache_key = f"ratelimit:{scope}:{digest}"
        cache.add(cache_key, 0, timeout=self.period)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=self.period)
            count = 1
        return count <= self.limit
