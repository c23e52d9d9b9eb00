"""Timing shared by the benchmarks."""

from __future__ import annotations

import time


def best_of(fn, repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``fn(i)`` (``i`` the run number, for runs
    that need their own output file), in seconds."""
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - t)
    return min(times)
