"""Understanding what officers typed: list values, near-misses and refs.

One place decides that ``" green "``, ``"G"`` and ``"On track"`` all mean ``Green`` so
that validation (which suggests the fix) and the roll-up (which counts what was meant)
agree.
"""

from __future__ import annotations

import difflib
import re
import sys

import numpy as np
import pandas as pd

#: THEME.WORKSTREAM.N, optionally one more .N for a sub-action: CO.G1.5, CO.G1.5.2.
#: Numbers may run to any length: a large plan has workstream A120 and action 1500.
REF_PATTERN = r"^[A-Z]{2,3}\.[A-Z]{1,3}\d*\.\d+(\.\d+)?$"
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
    return canonical_values(s, allowed, aliases)


def is_ref(value: str) -> bool:
    return bool(_REF_RE.match(value))


def norm_ref(value) -> str:
    """A ref as compared between sheets and periods: no spaces, upper case."""
    return "".join(str(value).split()).upper()


def tidy_ref(value: str) -> str:
    """A likely intended ref: upper case, no spaces, no trailing dot."""
    return re.sub(r"\s+", "", str(value)).upper().rstrip(".")


def parent_ref(ref: str) -> str:
    """The ref less its last segment: CO.G1.5.2 -> CO.G1.5."""
    return ref.rsplit(".", 1)[0]


def split_refs(value: object) -> list[str]:
    """Refs listed in one cell, separated by ``;`` or ``,`` (or new lines)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [p.strip() for p in re.split(r"[;,\n]", str(value)) if p.strip()]


def canonical_values(
    s: pd.Series,
    allowed: tuple[str, ...],
    aliases: dict[str, str] | None = None,
    *,
    keep: bool = False,
    blank: str | None = None,
) -> pd.Series:
    """:func:`ipxl.checks.vocab.canonical` over a column, like :func:`ipxl.checks.vocab.canonical_series`
    but with one hashing pass (``pd.factorize``) instead of three: on a freshly read
    100,000-row column that is the difference between 10 and 40 ms. ``keep=True`` keeps
    a value that means nothing as it was typed instead of making it None; ``blank``
    is what an empty cell becomes."""
    codes, uniques = pd.factorize(s.to_numpy(dtype=object))
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[-1] = blank  # code -1: an empty cell
    for i, u in enumerate(uniques):
        got = canonical(u, allowed, aliases)
        # Interned, so two workbooks' "Green" are one object and compare by identity.
        mapped[i] = u if got is None and keep else sys.intern(got) if got is not None else None
    return pd.Series(mapped[codes], index=s.index, dtype=object)


def ref_positions(refs: pd.Series, targets: pd.Series) -> np.ndarray:
    """For each ref in ``refs``, the position in ``targets`` of the same ref (the first,
    when ``targets`` repeats one), -1 when there is none, -2 when the ref is blank.
    Refs compare ignoring spaces and case.

    Exact matches are looked up first, in one hashing pass; only the refs left over
    are normalised and looked up again, so the usual case (refs typed the same way in
    both) never builds normalised copies of 100,000 strings.
    """
    keys = refs.to_numpy(dtype=object)
    t_values = targets.to_numpy(dtype=object)
    t_ok = pd.notna(t_values)
    t_pos = np.flatnonzero(t_ok)
    t_index = pd.Index(t_values[t_ok] if not t_ok.all() else t_values, dtype=object, copy=False)
    if not t_index.is_unique:
        first = ~t_index.duplicated()
        t_pos, t_index = t_pos[first], t_index[first]
    k_ok = pd.notna(keys)
    pos = np.full(len(keys), -1, dtype=np.int64)
    pos[k_ok] = t_index.get_indexer(keys[k_ok] if not k_ok.all() else keys)
    missing = np.flatnonzero(k_ok & (pos < 0))
    if len(missing):
        hit = np.zeros(len(t_index), dtype=bool)
        hit[pos[pos >= 0]] = True
        left = np.flatnonzero(~hit)
        if len(left):
            norm = pd.Index([norm_ref(v) for v in t_index[left]], dtype=object)
            if not norm.is_unique:
                first = ~norm.duplicated()
                left, norm = left[first], norm[first]
            again = norm.get_indexer([norm_ref(v) for v in keys[missing]])
            pos[missing] = np.where(again >= 0, left[again], -1)
    out = np.where(k_ok, -1, -2)
    found = pos >= 0
    out[found] = t_pos[pos[found]]
    return out


def explode_refs(s: pd.Series) -> pd.Series:
    """Refs listed in each cell (``;``, ``,`` or new lines between them, as
    :func:`split_refs` reads them), one per row, indexed by the cell's row."""
    s = s[s.notna()].astype(object)
    if s.empty:
        return pd.Series([], dtype=object)
    # Most cells hold one ref: only those with a separator are split (by regex).
    text = [str(v) for v in s.tolist()]
    multi = np.fromiter((";" in v or "," in v or "\n" in v for v in text), dtype=bool, count=len(text))
    single = pd.Series(text, index=s.index, dtype=object)[~multi]
    if multi.any():
        # The separator takes the spaces around it; other odd spacing is settled by
        # ref_positions.
        split = s[multi].astype(str).str.split(r"\s*[;,\n]\s*", regex=True).explode()
        parts = pd.concat([single, split]).sort_index(kind="stable")
    else:
        parts = single
    return parts[parts.notna() & (parts != "")]


# --------------------------------------------------------------------- appendices


def appendix_kind(value: object):
    """The :class:`~ipxl.defaults.AppendixKind` an Appendices sheet's ``Appendix`` cell
    names (its name, key or an alias, near-misses allowed), or None."""
    from .. import defaults as D

    by_name: dict[str, object] = {}
    for kind in D.APPENDIX_KINDS:
        for name in (kind.name, kind.key, kind.key.replace("-", " "), *kind.aliases):
            by_name.setdefault(name, kind)
    got = canonical(value, tuple(by_name))
    return by_name[got] if got is not None else None


def parse_filter(value: object) -> tuple[str, tuple[str, ...]] | None:
    """``"Area: Scrutiny; Audit"`` -> ``("Area", ("Scrutiny", "Audit"))``: a column
    and the texts a row's value must contain one of (case ignored). None when the cell
    is not of that form. Blank means no filter and is never passed here."""
    text = str(value).strip()
    column, sep, rest = text.partition(":")
    values = tuple(v.strip() for v in re.split(r"[;,]", rest) if v.strip())
    if not sep or not column.strip() or not values:
        return None
    return column.strip(), values


def column_key(sheet: str, header: str) -> str | None:
    """The canonical key of the column of record sheet ``sheet`` that ``header`` names
    (its header or an alias, compared as headers are), or None."""
    from .. import defaults as D

    want = D.normalise_header(header)
    for col in D.COLUMNS[sheet]:
        if want in (D.normalise_header(n) for n in (col.header, *col.aliases)):
            return col.key
    return None


# ------------------------------------------------------------- evidence of impact


def best_value_aliases() -> dict[str, str]:
    """Short names officers type for the Best Value themes (``Resources``), lower case."""
    from .. import defaults as D

    return dict(D.BEST_VALUE_ALIASES)


def best_value_parts(value: object, allowed: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """Each theme a Best Value theme cell names (``;``, ``,`` or new lines between
    them), with the Lists theme it means, or None when it means none.

    >>> best_value_parts("Culture; goverance", ("Governance", "Culture"))
    [('Culture', 'Culture'), ('goverance', 'Governance')]
    """
    return [(part, canonical(part, allowed, best_value_aliases())) for part in split_refs(value)]


def is_proxy(value: object) -> bool | None:
    """Whether a Proxy for success cell marks the measure as a proxy: True for Yes
    (``y``, ``x``, TRUE), False for blank or No, None for anything else."""
    from .. import defaults as D

    if value is None or (isinstance(value, float) and pd.isna(value)):
        return False
    if isinstance(value, bool):
        return value
    word = squeeze(value)
    if not word or word in D.PROXY_NO:
        return False
    return True if word in D.PROXY_YES else None
