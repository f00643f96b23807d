"""How OpenMP threads wait, for the two engines that share this process's libgomp.

The multilingual embedder's OpenMP threads spin while they wait, by default long enough
that with any other busy thread on a 2-core VM (llama.cpp generating, a second request)
one query took 3.3 s instead of 0.03 s; never spinning (OMP_WAIT_POLICY=PASSIVE) makes
every query pay a thread wake-up, and slowed llama.cpp, which shares the process's
libgomp, from 14 to 10 tokens/s. A short spin keeps all three: query p50 21-24 ms
quiet (34 ms passive), 41-46 ms beside two busy processes (39-50 ms passive; 98 ms
at 10,000, 682 ms at 100,000), generation 14 tokens/s.

The setting is read once, when libgomp loads, so whichever engine loads first (the
embedder or llama.cpp) calls this before it does.
"""

from __future__ import annotations

import os


def spin_briefly() -> None:
    os.environ.setdefault("GOMP_SPINCOUNT", "1000")
