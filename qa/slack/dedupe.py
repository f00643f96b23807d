"""Remember recently seen Slack deliveries so a redelivered event is answered once.

Slack retries an event it thinks went unacknowledged, and one message can arrive as
more than one event; the set is bounded in size and time so it cannot grow without end.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable


class RecentKeys:
    def __init__(self, ttl: float = 3600.0, max_size: int = 10_000,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl, self.max_size, self.clock = ttl, max_size, clock
        self._expiry: OrderedDict[str, float] = OrderedDict()

    def add(self, key: str) -> bool:
        """Record ``key``; False when it was already seen within the TTL."""
        now = self.clock()
        while self._expiry and next(iter(self._expiry.values())) <= now:
            self._expiry.popitem(last=False)
        if key in self._expiry:
            return False
        self._expiry[key] = now + self.ttl
        if len(self._expiry) > self.max_size:
            self._expiry.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._expiry)
