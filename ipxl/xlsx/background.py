"""Work on other threads, where the platform can start them (Pyodide cannot).

Two kinds of work here let go of the GIL for long stretches: python-calamine's parse of
a sheet and zlib's inflating and deflating. On a machine with two cores they can run
while Python turns another workbook's cells into columns.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def cores() -> int:
    """How many threads are worth running at once: the cores this process may use
    (at most 8), or 1 where no thread can start."""
    if sys.platform == "emscripten":
        return 1
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        n = os.cpu_count() or 1
    return max(1, min(n, 8))


def in_background(fn: Callable[[], T]) -> Callable[[], T]:
    """Start ``fn`` on a thread of its own; the callable returned waits for its result
    (or raises what it raised). Where no thread can start, it calls ``fn`` itself."""
    from concurrent.futures import ThreadPoolExecutor

    if cores() < 2:
        return fn
    pool = ThreadPoolExecutor(1, thread_name_prefix="ipxl")
    try:
        future = pool.submit(fn)
    except RuntimeError:  # no threads after all
        return fn
    finally:
        pool.shutdown(wait=False)
    return future.result
