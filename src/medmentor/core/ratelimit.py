"""A fixed-window counter in the cache (Redis when ``REDIS_URL`` is set), in the spirit of
allauth's rate limits: ``limit`` attempts per ``period`` seconds for one key."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache


def _count(cache_key: str, timeout: int) -> int:
    cache.add(cache_key, 0, timeout=timeout)
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=timeout)
        return 1


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds

    @staticmethod
    def _digest(key: str) -> str:
        return hashlib.sha256(key.strip().lower().encode()).hexdigest()

    def consume(self, *, scope: str, key: str) -> bool:
        """Counts one attempt; False once the limit for this window is passed."""
        count = _count(f"ratelimit:{scope}:{self._digest(key)}", self.period)
        return count <= self.limit

    def wait(self, *, scope: str, key: str) -> int:
        """Counts one attempt in the clock's current window (windows start at multiples of
        the period): 0 within the limit, else the seconds until the next window opens (a
        ``Retry-After``)."""
        now = time.time()
        window = int(now // self.period)
        count = _count(f"ratelimit:{scope}:{window}:{self._digest(key)}", self.period)
        if count <= self.limit:
            return 0
        return max(1, math.ceil((window + 1) * self.period - now))
