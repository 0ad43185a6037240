"""Failed sign-ins are counted per editor name and per client address; past a few, sign-in is
refused for a while without checking the password, so a password cannot be guessed by trying.

Counts live in each server process (a moving window from the `limits` library): with several
workers an attacker gets a few more tries, but never an unbounded number. A successful sign-in
clears its name's count.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

WINDOW_MINUTES = 15
#: Failures allowed per editor name, then per client address (several people behind one
#: newsroom proxy share an address), within the window.
PER_NAME = 5
PER_CLIENT = 20


class SignInThrottle:
    def __init__(self, per_name: int = PER_NAME, per_client: int = PER_CLIENT) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._name = RateLimitItemPerMinute(per_name, WINDOW_MINUTES)
        self._client = RateLimitItemPerMinute(per_client, WINDOW_MINUTES)

    def _checks(self, name: str, client: str):
        return ((self._name, "name", name.strip().casefold()), (self._client, "client", client))

    def wait_seconds(self, name: str, client: str) -> int:
        """0 when this name and client may try; else the seconds until they may again."""
        waits = [
            self._limiter.get_window_stats(item, kind, key).reset_time - time.time()
            for item, kind, key in self._checks(name, client)
            if not self._limiter.test(item, kind, key)
        ]
        return max(1, math.ceil(max(waits))) if waits else 0

    def failed(self, name: str, client: str) -> None:
        for item, kind, key in self._checks(name, client):
            self._limiter.hit(item, kind, key)

    def succeeded(self, name: str) -> None:
        self._limiter.clear(self._name, "name", name.strip().casefold())
