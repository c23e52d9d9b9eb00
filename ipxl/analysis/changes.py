"""What changed between two periods' workbooks, and the committee's summary of it.

:func:`compare` matches Actions rows by Ref (trimmed, upper case) and reports:

* **added** rows (absent from the previous workbook, or Date added within the current
  Period start..Period end: :func:`new_this_period`), by type;
* **removed** rows (absent from the current workbook);
* **proposed to close** and **closed** rows: matched rows whose Closure moved to
  ``Proposed to close``, or to ``Closed`` / ``Moved to business as usual``;
* **timescale changes**: the effective due date (Revised due date when set, else Due
  date) moved, with the calendar months moved (see :func:`months_between`);
* **lead changes** (Director / Lead or Delivery lead) and **description changes**
  (compared ignoring case and runs of spaces);
* **status changes**: improved or worsened in the order Red < Amber < Green < Complete
  (:data:`ipxl.defaults.STATUS_RANK`), otherwise ``moved`` (Not started, On hold);
* **log mismatches**: the current workbook's ``Changes`` sheet, entries dated in the
  period, cross-checked against the above. Every timescale, lead, added and closure
  change should have an entry, and every entry should match a real difference. A
  mismatch is a warning :class:`~ipxl.findings.Finding`, never an exception.

Statuses, types and closures spelled with near-misses count as what they mean
(:mod:`ipxl.checks.vocab`). Every comparison is a merge or a vectorised column operation; only
the handful of changed rows is ever turned into Python records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import defaults as D
from ..checks.vocab import canonical_values, norm_ref, ref_positions
from ..dates import uk
from ..errors import NoPreviousWorkbook, PeriodsOutOfOrder, WorkbookNotFound
from ..findings import Finding
from ..xlsx.convert import to_dates
from ..xlsx.model import Source, Workbook
from ..xlsx.package import check_file
from ..xlsx.reader import read_workbook
from ..xlsx.sources import as_workbook, previous_path
from .wording import summarise

# ------------------------------------------------------------------ vocabulary

#: Closure states that mean an action has left the plan, and the one that means it is
#: about to (defaults order: Open, Proposed to close, Closed, Moved to business as usual).
OPEN, PROPOSED_TO_CLOSE = D.CLOSURES[0], D.CLOSURES[1]
CLOSED, BUSINESS_AS_USUAL = D.CLOSED_STATES
#: Change-log types by the kind of difference each records (defaults order).
LOG_KIND: dict[str, str] = dict(
    zip(
        D.CHANGE_TYPES,
        ("timescale", "added", "added", "added", "closure", "closure", "lead", "description", "closure"),
        strict=True,
    )
)
#: The log type a missing entry should have, by kind of difference.
LOG_TYPE_FOR = {"timescale": D.CHANGE_TYPES[0], "lead": D.CHANGE_TYPES[6], "description": D.CHANGE_TYPES[7]}
LOG_TYPE_ADDED = dict(zip(D.ACTION_TYPES, D.CHANGE_TYPES[1:4]))
LOG_TYPE_CLOSED = {D.ACTION_TYPES[2]: D.CHANGE_TYPES[5]}  # else "Action closed"

IMPROVED, WORSENED, MOVED = "improved", "worsened", "moved"
THREE_MONTHS = 3


# ------------------------------------------------------------------------ results


@dataclass
class Changes:
    """What changed between two workbooks. Each list holds small dicts, in the current
    plan's row order (removed rows in the previous plan's order); dates are ISO text,
    or the keyword (``Ongoing``...) when a due date is one."""

    period: str
    previous_period: str
    #: {"ref", "type"}: rows new this period.
    added: list[dict] = field(default_factory=list)
    #: {"ref", "type"}: rows of the previous workbook missing from the current one.
    removed: list[dict] = field(default_factory=list)
    #: {"ref", "type"}: Closure moved to Proposed to close.
    proposed_to_close: list[dict] = field(default_factory=list)
    #: {"ref", "type", "closure"}: Closure moved to Closed or Moved to business as usual.
    closed: list[dict] = field(default_factory=list)
    #: {"ref", "from", "to", "months", "over_three_months"}.
    timescale_changes: list[dict] = field(default_factory=list)
    #: {"ref", "field", "from", "to"}; field is "Director / Lead" or "Delivery lead".
    lead_changes: list[dict] = field(default_factory=list)
    #: {"ref", "from", "to"}.
    description_changes: list[dict] = field(default_factory=list)
    #: {"ref", "from", "to", "direction"}; direction improved | worsened | moved.
    status_changes: list[dict] = field(default_factory=list)
    #: Rows in both workbooks whose status did not change.
    status_unchanged: int = 0
    log_mismatches: list[Finding] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The comparison as ``ipxl changes --format json`` prints it."""
        return {
            "added": self.added,
            "removed": self.removed,
            "proposed_to_close": self.proposed_to_close,
            "closed": self.closed,
            "timescale_changes": self.timescale_changes,
            "lead_changes": self.lead_changes,
            "description_changes": self.description_changes,
            "status_changes": self.status_changes,
            "log_mismatches": [f.to_dict() for f in self.log_mismatches],
            "summary": self.summary,
        }

    @property
    def movement(self) -> dict[str, int]:
        """Status movement counts: improved, worsened, then the moves to or from an
        unranked status by what happened (started, resumed, put on hold, moved:
        :func:`ipxl.analysis.wording.movement_kind`), unchanged."""
        from .wording import movement_kind

        out = dict.fromkeys((IMPROVED, WORSENED, "started", "resumed", "put on hold", MOVED), 0)
        for c in self.status_changes:
            out[movement_kind(c["direction"], c["from"], c["to"])] += 1
        out["unchanged"] = self.status_unchanged
        return out


def previous_workbook(current: Source) -> Workbook:
    """The workbook Settings' ``Previous workbook`` names (relative to the current
    workbook's folder), read. Raises :class:`NoPreviousWorkbook` when Settings names
    none and :class:`~ipxl.errors.WorkbookNotFound` when the file is not there."""
    wb = as_workbook(current, D.CHANGES_SHEETS)
    path = previous_path(wb.settings)
    name = wb.path.name
    if wb.settings.previous_workbook is None:
        raise NoPreviousWorkbook(
            f"{name} does not name a previous workbook; give both files (ipxl changes PREVIOUS CURRENT) "
            "or put last period's file in Settings' 'Previous workbook'."
        )
    if path is None:
        raise WorkbookNotFound(
            f"The previous workbook named in {name}'s Settings is not at {wb.settings.previous_workbook}; "
            "correct 'Previous workbook' in Settings or give both files (ipxl changes PREVIOUS CURRENT)."
        )
    check_file(path)
    return read_workbook(path, D.PREVIOUS_SHEETS, columns=D.PREVIOUS_COLUMNS)


# ----------------------------------------------------------------- new this period


def new_this_period(current: Source, previous: Source | None = None) -> pd.Series:
    """Which Actions rows of ``current`` are new this period: a boolean Series indexed
    by Excel row, named ``new``.

    A row is new when its Date added falls within Settings' Period start to Period end
    (both inclusive; the whole end day counts; when either date is missing this test
    finds nothing), or, when ``previous`` is given, its Ref (trimmed, upper case) is
    absent from the previous workbook's Actions. Rows without a Ref are new only by
    the date test. These are the rows shown in red font.
    """
    cur = as_workbook(current, D.CHANGES_SHEETS)
    f = cur.frame("actions")
    new = added_in_period(f["date_added"], cur.settings.period_start, cur.settings.period_end)
    if previous is not None:
        before = ref_positions(f["ref"], as_workbook(previous, D.PREVIOUS_SHEETS).frame("actions")["ref"])
        new |= before == -1
    return new.astype(bool).rename("new")


def added_in_period(added: pd.Series, start: dt.date | None, end: dt.date | None) -> pd.Series:
    """Dates from ``start`` to ``end`` inclusive (the whole end day, whatever the time);
    all False when either is unknown: with no period nothing is new by date."""
    if start is None or end is None:
        return pd.Series(False, index=added.index)
    return (added >= pd.Timestamp(start)) & (added < pd.Timestamp(end) + pd.Timedelta(days=1))


def _refs(s: pd.Series) -> pd.Series:
    """Refs as compared: no spaces, upper case. Used on the change log and the detected
    changes, never on a whole Actions column (:func:`ref_positions` matches those)."""
    return pd.Series(
        [norm_ref(v) if isinstance(v, str) else None for v in s.to_numpy(dtype=object)], index=s.index, dtype=object
    )


# --------------------------------------------------------------------- months moved


def months_between(start: pd.Series, end: pd.Series) -> pd.Series:
    """Calendar months from ``start`` to ``end`` (datetime Series, same index), signed.

    Measured from the earlier date to the later one: whole months N are the most for
    which the earlier date plus N months is not after the later date. Adding months
    keeps the day of the month, stops at the month's last day (31/01 + 1 month =
    29/02) and keeps a month-end date at month end (30/11 + 4 months = 31/03), so
    month-end to month-end is always whole months. The days left over are a fraction
    of the following month's length. So 31/03 -> 30/06 is exactly 3.0 months,
    31/03 -> 01/07 is 3.03, 15/03 -> 14/06 is 2.97, 30/09 -> 30/11 is 2.0 and
    31/12 -> 30/06 is 6.0. A move earlier is the same distance, negative. Rounded to
    two decimal places: the smallest leftover (1 day of 31) still shows, so
    ``abs(months) > 3`` exactly when the move is more than three months.
    """
    forward = end >= start
    a = start.where(forward, end)
    b = end.where(forward, start)
    ya, ma, da = a.dt.year.to_numpy(), a.dt.month.to_numpy(), a.dt.day.to_numpy()
    yb, mb = b.dt.year.to_numpy(), b.dt.month.to_numpy()
    n = (yb - ya) * 12 + (mb - ma)
    anchor = _add_months(ya, ma, da, n)
    over = anchor > b.to_numpy()
    n = np.where(over, n - 1, n)
    anchor = np.where(over, _add_months(ya, ma, da, n), anchor)
    following = _add_months(ya, ma, da, n + 1)
    frac = (b.to_numpy() - anchor) / (following - anchor)
    months = np.round(n + frac, 2)
    return pd.Series(np.where(forward.to_numpy(), months, -months), index=start.index)


def _add_months(y: np.ndarray, m: np.ndarray, d: np.ndarray, n: np.ndarray) -> np.ndarray:
    """datetime64 of (y, m, d) plus ``n`` months: the day kept, clamped to month end,
    and a month-end day kept at month end."""
    source = ((y * 12 + (m - 1)) - 1970 * 12).astype("datetime64[M]")
    source_length = ((source + 1).astype("datetime64[D]") - source.astype("datetime64[D]")).astype(int)
    d = np.where(d == source_length, 31, d)
    total = y * 12 + (m - 1) + n
    first = (total - 1970 * 12).astype("datetime64[M]")  # months since the epoch
    length = ((first + 1).astype("datetime64[D]") - first.astype("datetime64[D]")).astype(int)
    return first.astype("datetime64[D]") + (np.minimum(d, length) - 1).astype("timedelta64[D]")


# --------------------------------------------------------------------------- compare


def check_order(previous: Workbook, current: Workbook) -> None:
    """Refuse a "previous" workbook whose period ends after the current one's (the two
    given the wrong way round): every change would be reported backwards. Workbooks
    without period dates are compared as they are."""
    p, c = previous.settings, current.settings
    for before, now, word in ((p.period_end, c.period_end, "to"), (p.period_start, c.period_start, "from")):
        if before is None or now is None:
            continue
        if before > now:
            raise PeriodsOutOfOrder(
                f"The previous workbook {previous.path.name} covers a later period ({word} {_show(before)}) "
                f"than {current.path.name} ({word} {_show(now)}); give last period's workbook as the previous "
                "one (`ipxl changes PREVIOUS CURRENT`, or Settings' Previous workbook)."
            )
        return


def compare(previous: Source, current: Source) -> Changes:
    """What changed from ``previous`` to ``current`` (workbooks or paths), matched by
    Ref, with the committee summary and the Changes-sheet cross-check. See the module
    docstring for every rule."""
    prev_wb, cur_wb = as_workbook(previous, D.PREVIOUS_SHEETS), as_workbook(current, D.CHANGES_SHEETS)
    check_order(prev_wb, cur_wb)
    cur, prev = _prepare(cur_wb), _prepare(prev_wb)
    out = Changes(period=cur_wb.settings.period or "", previous_period=prev_wb.settings.period or "")

    # Each current row's position in the previous rows by Ref (-1: not there).
    at = ref_positions(cur["ref"], prev["ref"])
    new = added_in_period(cur["date_added"], cur_wb.settings.period_start, cur_wb.settings.period_end)
    added = _typed(_take(cur, np.flatnonzero((at == -1) | new.to_numpy())), cur_wb)
    out.added = _records(added, ref="ref", type="type")
    seen = np.zeros(len(prev["ref"]), dtype=bool)
    seen[at[at >= 0]] = True
    unseen = np.flatnonzero(~seen)
    if len(unseen):  # rows not matched: gone, or a second row with a Ref already matched
        unseen = unseen[ref_positions(prev["ref"].iloc[unseen], cur["ref"]) == -1]
    out.removed = _records(_typed(_take(prev, unseen), prev_wb), ref="ref", type="type")

    # Matched rows side by side: one per previous row, the first current row with its
    # Ref (a repeated Ref is a validation error).
    hit = np.flatnonzero(at >= 0)
    _, first = np.unique(at[hit], return_index=True)
    hit = np.sort(hit[first])
    m = _Matched(cur, prev, hit, at[hit])

    moved = m["closure"] != m["closure_prev"]
    proposed = _typed(m.frame(moved & (m["closure"] == PROPOSED_TO_CLOSE)), cur_wb)
    out.proposed_to_close = _records(proposed, ref="ref", type="type")
    for rec, ws in zip(out.proposed_to_close, _workstream_closed_by(cur_wb, cur["closure"], proposed["row"])):
        rec["closes_workstream"] = ws
    gone = [CLOSED, BUSINESS_AS_USUAL]
    closed = _typed(m.frame(moved & m["closure"].isin(gone) & ~m["closure_prev"].isin(gone)), cur_wb)
    out.closed = _records(closed, ref="ref", type="type", closure="closure")

    ts = m.frame(_due_changed(m))
    if len(ts):
        both = ts["due"].notna() & ts["due_prev"].notna()
        months = pd.Series(np.nan, index=ts.index)
        if both.any():
            months[both] = months_between(ts.loc[both, "due_prev"], ts.loc[both, "due"])
        ts = ts.assign(months=months, over=months.abs() > THREE_MONTHS)
        out.timescale_changes = [
            {
                "ref": r,
                "from": _due_text(dp, kp),
                "to": _due_text(d, k),
                "months": None if pd.isna(mo) else float(mo),
                "over_three_months": bool(ov),
            }
            for r, dp, kp, d, k, mo, ov in zip(
                ts["ref"], ts["due_prev"], ts["keyword_prev"], ts["due"], ts["keyword"], ts["months"], ts["over"]
            )
        ]

    lead_rows = []
    for key, title in (("lead", _header("lead")), ("delivery_lead", _header("delivery_lead"))):
        diff = m.frame(_text_changed(m[key], m[f"{key}_prev"]))
        lead_rows.append(diff)
        out.lead_changes += [
            {"ref": r, "field": title, "from": a, "to": b, "row": row}
            for r, a, b, row in zip(diff["ref"], diff[f"{key}_prev"], diff[key], diff["row"])
        ]
    out.lead_changes.sort(key=lambda c: c.pop("row"))
    diff = m.frame(_text_changed(m["description"], m["description_prev"]))
    out.description_changes = _records(diff, ref="ref", **{"from": "description_prev", "to": "description"})

    moved_status = m["status"] != m["status_prev"]  # canonical already; None == blank
    st = m.frame(moved_status)
    rank_now = st["status"].map(D.STATUS_RANK)
    rank_before = st["status_prev"].map(D.STATUS_RANK)
    direction = np.select([rank_now > rank_before, rank_now < rank_before], [IMPROVED, WORSENED], MOVED)
    out.status_changes = [
        {"ref": r, "from": a, "to": b, "direction": str(d)}
        for r, a, b, d in zip(st["ref"], st["status_prev"], st["status"], direction)
    ]
    out.status_unchanged = int((~moved_status).sum())

    out.log_mismatches = _cross_check(cur_wb, prev_wb, out, added, [proposed, closed, ts, *lead_rows], ts)
    out.summary = summarise(out)
    return out


def log_summary(wb: Workbook) -> list[str]:
    """The committee's summary sentences counted from the Changes sheet's entries
    in the reporting period, worded as :func:`compare` words them: for a pack made
    without last period's workbook. Entries of a type the sentences do not cover
    (Workstream closed) and entries outside the period are not counted."""
    log = wb.frame("changes")
    st = wb.settings
    when = log["date"]
    keep = when.notna()
    if st.period_start:
        keep &= when >= pd.Timestamp(st.period_start)
    if st.period_end:
        keep &= when < pd.Timestamp(st.period_end) + pd.Timedelta(days=1)
    log = log[keep]
    kinds = canonical_values(log["change_type"], wb.lists.change_types, keep=True)
    found = Changes(period=st.period, previous_period="")
    T = D.CHANGE_TYPES
    timescale = log[kinds == T[0]]
    if len(timescale):
        old, new = to_dates(timescale["old_value"]), to_dates(timescale["new_value"])
        both = old.notna() & new.notna()
        months = pd.Series(np.nan, index=timescale.index)
        if both.any():
            months[both] = months_between(old[both], new[both])
        found.timescale_changes = [{"over_three_months": bool(abs(m) > THREE_MONTHS)} for m in months.fillna(0)]
    added_types = {v: k for k, v in LOG_TYPE_ADDED.items()}
    found.added = [{"ref": r, "type": added_types[k]} for r, k in zip(log["ref"], kinds) if k in added_types]
    closed_types = {T[4]: D.ACTION_TYPES[0], T[5]: D.ACTION_TYPES[2]}
    found.closed = [
        {"ref": r, "type": closed_types[k], "closure": CLOSED} for r, k in zip(log["ref"], kinds) if k in closed_types
    ]
    found.lead_changes = [{"ref": r} for r, k in zip(log["ref"], kinds) if k == T[6]]
    found.description_changes = [{"ref": r} for r, k in zip(log["ref"], kinds) if k == T[7]]
    return summarise(found)


def _header(key: str) -> str:
    return next(c.header for c in D.COLUMNS["actions"] if c.key == key)


def _prepare(wb: Workbook) -> dict[str, pd.Series]:
    """The columns compare needs, indexed by Excel row (named ``row``): Closure and
    Status canonical, ``due`` the effective due date, ``keyword`` a due date given as
    a keyword. Type stays as typed (see :func:`_typed`)."""
    f = wb.frame("actions")
    lists = wb.lists
    sheet = wb.sheets.get("actions")
    raw_due = sheet.raw["due_date"] if sheet is not None else f["due_date"]
    closure = canonical_values(f["closure"], lists.closures, keep=True, blank=OPEN)
    status = canonical_values(f["status"], lists.status_names, D.STATUS_ALIASES, keep=True)
    revised_set = f["revised_due_date"].notna()
    due = f["revised_due_date"].where(revised_set, f["due_date"])
    # A due date given as a keyword (Ongoing, Quarterly...) is compared as its text.
    keyword = pd.Series(None, index=f.index, dtype=object)
    undated = raw_due[due.isna()]
    undated = undated[undated.notna()]
    if len(undated):
        # Only a real keyword (near-misses as meant): a date that is a typo (31/03/3024)
        # or an error value is no due date at all, so never a timescale change.
        words = canonical_values(undated.astype(str).str.strip(), lists.date_keywords)
        keyword[undated.index] = words.where(words.notna(), None)
    # A dict of columns, not a DataFrame: building one would copy every object
    # column, and each copy touches 100,000 Python objects.
    return {
        "row": pd.Series(f.index.to_numpy(), index=f.index),
        "ref": f["ref"],
        "type": f["type"],
        "closure": closure,
        "status": status,
        "due": due,
        "revised_set": revised_set,
        "keyword": keyword,
        "lead": f["lead"],
        "delivery_lead": f["delivery_lead"],
        "description": f["description"],
        "date_added": f["date_added"],
    }


class _Matched:
    """Rows matched by Ref, side by side, each column taken only when asked for:
    ``m["status"]`` is the current value, ``m["status_prev"]`` the previous one, as
    Series over the matched rows (0..n-1). ``m.frame(mask)`` gives every column of the
    selected rows as a small DataFrame."""

    def __init__(self, cur: dict[str, pd.Series], prev: dict[str, pd.Series], ci: np.ndarray, pi: np.ndarray):
        self.cur, self.prev, self.ci, self.pi = cur, prev, ci, pi
        self.index = pd.RangeIndex(len(ci))
        self._cols: dict[str, pd.Series] = {}

    def __getitem__(self, name: str) -> pd.Series:
        col = self._cols.get(name)
        if col is None:
            side, key, pos = (self.prev, name[:-5], self.pi) if name.endswith("_prev") else (self.cur, name, self.ci)
            col = self._cols[name] = _series(side[key].to_numpy()[pos], self.index)
        return col

    def frame(self, mask: pd.Series) -> pd.DataFrame:
        at = np.flatnonzero(np.asarray(mask, dtype=bool))
        index = pd.Index(at)
        cols = {k: _series(v.to_numpy()[self.ci[at]], index) for k, v in self.cur.items()}
        cols |= {f"{k}_prev": _series(v.to_numpy()[self.pi[at]], index) for k, v in self.prev.items() if k != "ref"}
        return pd.DataFrame(cols, index=index)


def _take(side: dict[str, pd.Series], at: np.ndarray) -> pd.DataFrame:
    """Rows at positions ``at`` of one workbook's columns, indexed by Excel row."""
    index = pd.Index(side["row"].to_numpy()[at])
    return pd.DataFrame({k: _series(v.to_numpy()[at], index) for k, v in side.items()}, index=index)


def _series(values: np.ndarray, index: pd.Index) -> pd.Series:
    """A Series that keeps an object array as object: pandas 3 would otherwise turn
    text into its string dtype, a copy that is slow to make and to iterate."""
    return pd.Series(values, index=index, dtype=object if values.dtype == object else None, copy=False)


def _workstream_closed_by(wb: Workbook, closure: pd.Series, rows: pd.Series) -> list[str | None]:
    """For each Excel row in ``rows`` (actions proposed to close), the workstream it
    closes, or None: a workstream closes when, with these proposals, none of its rows
    is still Open. Workstreams are told apart by theme and name, ignoring case."""
    f = wb.frame("actions")
    names = f["workstream"].to_numpy(dtype=object)
    # One number per (theme, workstream) pair, found by hashing in C: only each
    # distinct spelling is case-folded in Python.
    themes, streams = _folded_ids(f["theme"]), _folded_ids(f["workstream"])
    keys = themes * (int(streams.max(initial=0)) + 1) + streams
    at = f.index.get_indexer(rows.tolist())
    # A row without a workstream name belongs to none, so it keeps none open.
    named = np.fromiter((isinstance(w, str) for w in names), dtype=bool, count=len(names))
    still_open = np.unique(keys[(closure == OPEN).to_numpy() & named])
    closes = ~np.isin(keys[at], still_open)
    return [names[i] if c else None for i, c in zip(at.tolist(), (closes & named[at]).tolist())]


def _folded_ids(column: pd.Series) -> np.ndarray:
    """For each cell, a number shared by every cell holding the same text ignoring
    case; 0 for a blank or a value that is not text."""
    codes, uniques = pd.factorize(column.to_numpy(dtype=object))
    ids: dict[str, int] = {"": 0}
    per_unique = np.array(
        [0, *(ids.setdefault(u.casefold() if isinstance(u, str) else "", len(ids)) for u in uniques)], dtype=np.int64
    )
    return per_unique[codes + 1]


def _typed(rows: pd.DataFrame, wb: Workbook) -> pd.DataFrame:
    """``rows`` with Type canonical (near-misses read as meant). Only the few rows that
    become records need it, so it is done on them alone."""
    return rows.assign(type=canonical_values(rows["type"], wb.lists.types, keep=True))


def _due_changed(m: pd.DataFrame) -> pd.Series:
    """Effective due date moved: two dates that differ, a date to or from a keyword, or
    one keyword to another. A due date appearing where there was none is not a move."""
    d, dp = m["due"], m["due_prev"]
    dated, was_dated = d.notna(), dp.notna()
    changed = dated & was_dated & (d != dp)
    # Keywords are few: only those rows are looked at, ignoring case.
    undated = ~(dated & was_dated)
    if undated.any():
        k = m["keyword"][undated].astype(object).str.casefold()
        kp = m["keyword_prev"][undated].astype(object).str.casefold()
        has, had = dated[undated] | k.notna(), was_dated[undated] | kp.notna()
        kinds = dated[undated] != was_dated[undated]
        keywords = ~dated[undated] & ~was_dated[undated] & (k != kp)
        # bool, whatever the comparisons of text gave (object under pandas 2)
        changed[undated] = (has & had & (kinds | keywords)).to_numpy(dtype=bool)
    return changed


def _due_text(date, keyword) -> str | None:
    if pd.notna(date):
        return pd.Timestamp(date).date().isoformat()
    return keyword if isinstance(keyword, str) else None


def _text_changed(now: pd.Series, before: pd.Series) -> pd.Series:
    """Text that differs beyond case and spacing. Exact equality settles almost every
    row; only the rest are normalised."""
    a, b = now.astype(object), before.astype(object)
    diff = a != b  # blanks are None on both sides (None != None is False)
    if diff.any():
        na = a[diff].fillna("").astype(str).str.split().str.join(" ").str.casefold()
        nb = b[diff].fillna("").astype(str).str.split().str.join(" ").str.casefold()
        diff[diff] = (na != nb).to_numpy()
    return diff


def _records(frame: pd.DataFrame, **columns: str) -> list[dict]:
    """Rows of ``frame`` as dicts: output key -> frame column; NaN becomes None."""
    cols = [frame[c].astype(object).where(frame[c].notna(), None) for c in columns.values()]
    return [dict(zip(columns, values)) for values in zip(*cols)]


# -------------------------------------------------------------------- cross-check


def _cross_check(
    cur_wb: Workbook,
    prev_wb: Workbook,
    out: Changes,
    added: pd.DataFrame,
    changed: list[pd.DataFrame],
    ts: pd.DataFrame,
) -> list[Finding]:
    """Detected differences against the current Changes sheet's entries in the period.
    ``changed`` holds the matched rows (``ref`` and Excel ``row``) behind the closure,
    timescale and lead changes."""
    start = cur_wb.settings.period_start
    if start is None and prev_wb.settings.period_end is not None:
        start = prev_wb.settings.period_end + dt.timedelta(days=1)
    end = cur_wb.settings.period_end
    log_sheet = cur_wb.sheets.get("changes")
    actions_sheet = cur_wb.actions_sheet
    if log_sheet is None:
        return []  # validation already reports the missing sheet
    if start is None and end is None:
        return [
            Finding(
                log_sheet.name,
                None,
                None,
                None,
                "warning",
                "log-period-unknown",
                "The change log was not cross-checked because the reporting period is unknown.",
                "Set Period start and Period end in Settings.",
            )
        ]
    log = log_sheet.frame
    when = pd.Series(True, index=log.index)
    if start is not None:
        when &= log["date"] >= pd.Timestamp(start)
    if end is not None:
        when &= log["date"] < pd.Timestamp(end) + pd.Timedelta(days=1)
    log = log[when & log["date"].notna()]
    kinds = canonical_values(log["change_type"], cur_wb.lists.change_types).map(LOG_KIND)
    log = pd.DataFrame(
        {
            "ref": log["ref"],
            "kind": kinds,
            "type": log["change_type"],
            "date": log["date"],
            "new_value": log_sheet.raw.loc[log.index, "new_value"],
        },
        index=log.index,
    )
    log = log[log["ref"].notna() & log["kind"].notna()]

    period = _period_words(start, end)
    # What the workbooks show, one row per difference that needs a log entry.
    expected = [
        (r, "added", row, "ref", f"{r} was added this period", LOG_TYPE_ADDED.get(t, D.CHANGE_TYPES[1]))
        for r, row, t in zip(added["ref"], added.index, added["type"])
        # a row still without a ref cannot have a log entry yet (validation asks for one)
        if isinstance(r, str) and r.strip()
    ]
    expected += [
        (
            c["ref"],
            "closure",
            None,
            "closure",
            f"{c['ref']} was proposed to close",
            LOG_TYPE_CLOSED.get(c["type"], D.CHANGE_TYPES[4]),
        )
        for c in out.proposed_to_close
    ]
    expected += [
        (
            c["ref"],
            "closure",
            None,
            "closure",
            f"{c['ref']} was {'closed' if c['closure'] == CLOSED else 'moved to business as usual'}",
            LOG_TYPE_CLOSED.get(c["type"], D.CHANGE_TYPES[4]),
        )
        for c in out.closed
    ]
    revised = dict(zip(ts["ref"], ts["revised_set"])) if len(ts) else {}
    expected += [
        (
            c["ref"],
            "timescale",
            None,
            "revised_due_date" if revised.get(c["ref"]) else "due_date",
            f"{c['ref']}'s due date moved from {_show(c['from'])} to {_show(c['to'])}",
            LOG_TYPE_FOR["timescale"],
        )
        for c in out.timescale_changes
    ]
    expected += [
        (
            c["ref"],
            "lead",
            None,
            "lead" if c["field"] == _header("lead") else "delivery_lead",
            f"{c['ref']}'s {c['field']} changed from {c['from'] or 'blank'} to {c['to'] or 'blank'}",
            LOG_TYPE_FOR["lead"],
        )
        for c in out.lead_changes
    ]
    exp = pd.DataFrame(expected, columns=["ref", "kind", "row", "column", "what", "log_type"])
    rows = pd.concat([f[["ref", "row"]] for f in changed])
    row_of = pd.Series(rows["row"].to_numpy(), index=rows["ref"].to_numpy())
    # where(), not fillna(): fillna on an object column downcasts under pandas 2
    exp["row"] = exp["row"].where(exp["row"].notna(), exp["ref"].map(row_of[~row_of.index.duplicated()]))

    findings: list[Finding] = []
    missing = exp[~_found_in(exp, log)]
    for r, row, col, what, log_type in zip(
        missing["ref"], missing["row"], missing["column"], missing["what"], missing["log_type"]
    ):
        row = None if pd.isna(row) else int(row)
        findings.append(
            Finding(
                actions_sheet.name,
                row,
                actions_sheet.header(col),
                actions_sheet.cell(col, row) if row else None,
                "warning",
                "change-not-logged",
                f"{what} but the {log_sheet.name} sheet has no entry for it {period}.",
                f"Add a '{log_type}' row for {r} to the {log_sheet.name} sheet, with the reason and who approved it.",
            )
        )

    # Every entry must match a difference. A description change needs no entry, but a
    # Description change entry must match one. A row added this period has nothing to
    # compare with, so entries about its other changes cannot be checked and are not.
    real = pd.concat(
        [
            exp[["ref", "kind"]],
            pd.DataFrame({"ref": [c["ref"] for c in out.description_changes], "kind": "description"}),
        ]
    )
    about_new = ref_positions(log["ref"], added["ref"]) >= 0
    extra = log[~_found_in(log, real) & ((log["kind"] == "added").to_numpy() | ~about_new)]
    for row, r, typ in zip(extra.index, extra["ref"], extra["type"]):
        findings.append(
            Finding(
                log_sheet.name,
                int(row),
                log_sheet.header("ref"),
                log_sheet.cell("ref", int(row)),
                "warning",
                "log-without-change",
                f"The {log_sheet.name} sheet records a '{typ}' for {r} {period} but the workbooks show no such "
                "difference from the previous period.",
                f"Check the entry, or make the change on the Actions sheet for {r}.",
            )
        )

    # A logged timescale change must land on the date the plan now shows.
    tlog = log[log["kind"] == "timescale"]
    tlog = tlog.assign(key=_refs(tlog["ref"])).sort_values("date", kind="stable").drop_duplicates("key", keep="last")
    if len(tlog) and len(ts):
        told = to_dates(tlog["new_value"])
        now = pd.Series(ts["due"].to_numpy(), index=_refs(ts["ref"]).to_numpy())
        now = now[~now.index.duplicated()]
        shows = now.reindex(tlog["key"].to_numpy()).to_numpy()
        bad = told.notna().to_numpy() & pd.notna(shows) & (told.to_numpy() != shows)
        for row, r, said, shown in zip(tlog.index[bad], tlog["ref"][bad], told[bad], shows[bad]):
            findings.append(
                Finding(
                    log_sheet.name,
                    int(row),
                    log_sheet.header("new_value"),
                    log_sheet.cell("new_value", int(row)),
                    "warning",
                    "log-date-mismatch",
                    f"The {log_sheet.name} sheet moves {r} to {_show(said)} but the Actions sheet shows {_show(shown)}.",
                    f"Correct the New value or {r}'s Revised due date so they agree.",
                )
            )
    return findings


def _found_in(these: pd.DataFrame, those: pd.DataFrame) -> np.ndarray:
    """Which (ref, kind) rows of ``these`` also appear in ``those``, refs compared
    ignoring spaces and case."""
    found = np.zeros(len(these), dtype=bool)
    for kind in pd.unique(these["kind"]):
        mine = (these["kind"] == kind).to_numpy()
        theirs = (those["kind"] == kind).to_numpy()
        if theirs.any():
            found[mine] = ref_positions(these["ref"][mine], those["ref"][theirs]) >= 0
    return found


def _period_words(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return f"between {uk(start)} and {uk(end)}"
    if start:
        return f"since {uk(start)}"
    return f"up to {uk(end)}"


def _show(value) -> str:
    """A date (ISO text, datetime64 or Timestamp) as dd/mm/yyyy; other text as it is."""
    return uk(value) or "blank"
