"""A1 addresses: the one home for column letters and cell references."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

_CELL_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def col_letter(index: int) -> str:
    """1-based column number -> letters (1 -> A, 28 -> AB)."""
    out = ""
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_index(letters: str) -> int:
    """Column letters -> 1-based number (A -> 1)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


@functools.lru_cache(maxsize=4096)
def _letters_index(letters: str) -> int:
    return col_index(letters)


def column_of(ref: str) -> int:
    """The column number of a plain cell reference (``"K12"`` -> 11), quickly: the
    write-back loops call it for every cell of the rows they change."""
    return _letters_index(ref.rstrip("0123456789").lstrip("$"))


def split_cell(ref: str) -> tuple[int, int]:
    """``"B5"`` (or ``"$B$5"``) -> (row 5, column 2)."""
    m = _CELL_RE.match(ref.strip())
    if not m or int(m.group(2)) < 1:
        raise ValueError(f"{ref!r} is not a cell address such as B5.")
    return int(m.group(2)), col_index(m.group(1))


def runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive runs in ``numbers`` as (first, last) pairs, in order:
    ``[5, 6, 7, 9]`` -> ``[(5, 7), (9, 9)]``."""
    out: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out
