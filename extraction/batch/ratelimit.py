"""Pacing shared by every call of a batch: requests per minute and tokens per minute.

Token buckets hold at most one second's worth (so a batch does not burst a minute's quota at
once) and refill at the configured rate. A call's tokens are not known until it returns: it takes
an estimate first, and :meth:`RateLimiter.settle` charges or refunds the difference.

>>> bucket = TokenBucket(rate=2.0, capacity=2.0)
>>> asyncio.run(bucket.take(2)); round(bucket.level)
0
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class TokenBucket:
    """``rate`` units a second, bursts up to ``capacity``; a request larger than the capacity
    waits for a full bucket and leaves it in debt. Waiters are served in order."""

    def __init__(
        self,
        rate: float,
        capacity: float,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, not {rate}")
        self.rate = rate
        self.capacity = max(capacity, 1.0)
        self.level = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._stamp = clock()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self.level = min(self.capacity, self.level + (now - self._stamp) * self.rate)
        self._stamp = now

    async def take(self, amount: float) -> None:
        need = min(amount, self.capacity)
        async with self._lock:
            while True:
                self._refill()
                if self.level >= need:
                    self.level -= amount
                    return
                await self._sleep((need - self.level) / self.rate)

    def adjust(self, extra: float) -> None:
        """Charge ``extra`` more units (negative: refund) once the real cost is known."""
        self._refill()
        self.level = min(self.capacity, self.level - extra)


class RateLimiter:
    """Requests-per-minute and tokens-per-minute pacing shared by all calls of a batch: at most
    one second's worth of either in a burst, then a steady rate."""

    def __init__(
        self,
        rpm: float | None = None,
        tpm: float | None = None,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.requests = TokenBucket(rpm / 60, rpm / 60, clock=clock, sleep=sleep) if rpm else None
        self.tokens = TokenBucket(tpm / 60, tpm / 60, clock=clock, sleep=sleep) if tpm else None

    async def acquire(self, estimated_tokens: int) -> None:
        if self.requests is not None:
            await self.requests.take(1)
        if self.tokens is not None:
            await self.tokens.take(estimated_tokens)

    def settle(self, estimated_tokens: int, used_tokens: int | None) -> None:
        if self.tokens is not None and used_tokens is not None:
            self.tokens.adjust(used_tokens - estimated_tokens)
