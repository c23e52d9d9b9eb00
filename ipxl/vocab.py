"""Understanding what officers typed: list values, near-misses and refs.

One place decides that ``" green "``, ``"G"`` and ``"On track"`` all mean ``Green`` so
that validation (which suggests the fix) and the roll-up (which counts what was meant)
agree.
"""

from __future__ import annotations

import difflib
import re

import pandas as pd

from . import defaults as D

#: THEME.WORKSTREAM.N, optionally one more .N for a sub-action: CO.G1.5, CO.G1.5.2.
REF_PATTERN = r"^[A-Z]{2,3}\.[A-Z]{1,3}\d{0,2}\.\d{1,3}(\.\d{1,3})?$"
_REF_RE = re.compile(REF_PATTERN)


def squeeze(value: object) -> str:
    """Lower case with runs of whitespace made single and the ends trimmed."""
    return " ".join(str(value).split()).lower()


def canonical(value: object, allowed: tuple[str, ...] | list[str], aliases: dict[str, str] | None = None) -> str | None:
    """The allowed value ``value`` most likely means, or None when there is no good
    guess. Exact matches after trimming and case-folding win, then the aliases, then a
    close spelling (difflib ratio >= 0.8)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    key = squeeze(value)
    if not key:
        return None
    folded = {squeeze(a): a for a in allowed}
    if key in folded:
        return folded[key]
    if aliases:
        target = aliases.get(key)
        if target in allowed:
            return target
    close = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.8)
    return folded[close[0]] if close else None


def canonical_series(s: pd.Series, allowed: tuple[str, ...], aliases: dict[str, str] | None = None) -> pd.Series:
    """:func:`canonical` over a column, computed once per distinct value."""
    uniques = {v: canonical(v, allowed, aliases) for v in s.dropna().unique()}
    return s.map(uniques).astype(object)


def canonical_status(value: object, statuses: tuple[str, ...]) -> str | None:
    return canonical(value, statuses, D.STATUS_ALIASES)


def is_ref(value: str) -> bool:
    return bool(_REF_RE.match(value))


def tidy_ref(value: str) -> str:
    """A likely intended ref: upper case, no spaces, no trailing dot."""
    return re.sub(r"\s+", "", str(value)).upper().rstrip(".")


def parent_ref(ref: str) -> str:
    """The ref less its last segment: CO.G1.5.2 -> CO.G1.5."""
    return ref.rsplit(".", 1)[0]


def ref_depth(ref: str) -> int:
    return ref.count(".") + 1


def split_refs(value: object) -> list[str]:
    """Refs listed in one cell, separated by ``;`` or ``,`` (or new lines)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [p.strip() for p in re.split(r"[;,\n]", str(value)) if p.strip()]
