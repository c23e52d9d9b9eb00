"""The plan's history: the monthly workbooks read together.

:func:`load_series` gathers the workbooks (files, folders of them, and each one's
Settings ``Previous workbook`` chain back as far as it goes), reads each once (Actions
and Changes, with Settings and Lists) and orders them by Settings ``Period end``, never
by file name. A file with no Period end, two files for the same period, or a file that
cannot be read is listed in :attr:`Series.left_out` with the reason, never guessed at.

:func:`history` turns the series into figures (see :class:`History`). Actions are
matched by Ref across periods, ignoring spaces and case, as :func:`ipxl.compare` does;
a Ref typed twice in one workbook counts once, its first row. The rules:

* **counts**: per period, actions counted as the roll-up counts them (Closure not
  closed), per status, for ``All`` and for each theme.
* **effective due date**: Revised due date when set, else Due date; a Due date given as
  a keyword (Ongoing, Quarterly ...) is that word.
* **rebaselines**: how many times the effective due date changed between two
  consecutive periods in which the action appears (a blank on either side is not a
  change). **slippage_months**: calendar months from ``original_due`` (the Due date in
  the first period the action appears) to ``current_due`` (the effective due date in
  the latest period it appears), as :func:`ipxl.analysis.changes.months_between`.
* **stale_periods**: for an action in the latest period that is not Complete and not
  closed, how many of the latest period-to-period steps in a row left its Progress
  update unchanged (compared ignoring runs of spaces; blank to blank is unchanged).
* **persistent Red**: Red in each of the latest N periods, N at least ``red`` (2).
* **completed**: the period in which an action became Complete (Complete there and not
  in the period before, or new and Complete). In the first period of the series only
  actions whose Completion date falls in that period's Period start..end count, since
  the series cannot see the change. ``since`` keeps those completed on or after it (by
  Completion date when given, else by the period's end).
* **unlogged date changes**: the effective due date changed between two consecutive
  periods and the later workbook's Changes sheet has no ``Timescale change`` entry for
  that Ref dated after the earlier period's end (an entry with no date counts as one).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import defaults as D
from ..checks import rules
from ..checks.vocab import canonical_values, norm_ref
from ..dates import uk
from ..errors import NoHistory, WorkbookUnusable
from ..xlsx.model import Workbook
from ..xlsx.reader import read_workbook
from ..xlsx.safe_write import workbook_files
from ..xlsx.sources import previous_path
from .changes import months_between
from .impact import MEASURES_SCHEMA, measure_frame, measures_table, plain
from .rollup import COMPLETE, NO_THEME, TOTAL, UNRECOGNISED, counted_actions

#: The Status that means off track (the lowest in :data:`ipxl.defaults.STATUS_RANK`).
RED = min(D.STATUS_RANK, key=lambda s: D.STATUS_RANK[s])
#: The key of the whole plan's counts beside each theme's.
ALL = "All"
TIMESCALE_CHANGE = D.CHANGE_TYPES[0]


# ------------------------------------------------------------------ the series


@dataclass(frozen=True)
class LeftOut:
    """A workbook not placed in the series, and why (one sentence)."""

    file: str
    reason: str


@dataclass
class Series:
    """Workbooks ordered by Period end, oldest first, and those left out."""

    workbooks: list[Workbook]
    left_out: list[LeftOut] = field(default_factory=list)


def _files(paths: Iterable[str | Path]) -> tuple[list[Path], list[LeftOut]]:
    files: list[Path] = []
    missing: list[LeftOut] = []
    for p in map(Path, paths):
        if p.is_dir():
            # a backup named on its own is read; in a folder it would repeat a period
            files += workbook_files(p)
        elif p.exists():
            files.append(p)
        else:
            missing.append(LeftOut(str(p), f"No file at {p}; check the path."))
    return files, missing


def _read(path: Path, sheets: Iterable[str], columns: Mapping[str, Iterable[str]] | None) -> Workbook | LeftOut:
    try:
        return read_workbook(path, sheets, columns=columns)
    except WorkbookUnusable as exc:
        return LeftOut(str(path), str(exc))


def load_series(
    paths: Iterable[str | Path | Workbook],
    *,
    follow: bool = True,
    workers: int = D.READ_WORKERS,
    sheets: Iterable[str] = D.HISTORY_SHEETS,
    columns: Mapping[str, Iterable[str]] | None = None,
) -> Series:
    """The workbooks at ``paths`` (files and folders of .xlsx/.xlsm, or workbooks
    already read, which are not read again), and with ``follow`` every workbook each
    one names as its Previous workbook, back along the chain, read once each (in
    ``workers`` threads) and ordered by Period end. Files are read for ``sheets``,
    and of those for ``columns`` when given (the Trend sheet needs only the roll-up's
    columns of Actions: :data:`ipxl.defaults.TREND_COLUMNS`)."""
    sheets = tuple(sheets)

    def read(p: Path) -> Workbook | LeftOut:
        return _read(p, sheets, columns)

    paths = list(paths)
    given = [p for p in paths if isinstance(p, Workbook)]
    files, left_out = _files(p for p in paths if not isinstance(p, Workbook))
    seen: dict[Path, Workbook | LeftOut] = {}

    def key(p: Path) -> Path:
        return p.resolve()

    def previous(wb: Workbook) -> list[Path]:
        # the rule every command follows: a folder there is read, and left out with why
        prev = previous_path(wb.settings) if follow else None
        return [key(prev)] if prev is not None else []

    todo = list(dict.fromkeys(key(f) for f in files))
    for wb in given:
        seen[key(Path(wb.path))] = wb
        todo += previous(wb)
    todo = [p for p in dict.fromkeys(todo) if p not in seen]
    while todo:
        batch = todo
        if workers > 1 and len(batch) > 1:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(read, batch))
        else:
            results = [read(p) for p in batch]
        todo = []
        for p, got in zip(batch, results, strict=True):
            seen[p] = got
            if isinstance(got, Workbook):
                todo += previous(got)
        todo = [p for p in dict.fromkeys(todo) if p not in seen]

    by_end: dict[dt.date, list[Workbook]] = {}
    for p, got in seen.items():
        if isinstance(got, LeftOut):
            left_out.append(got)
        elif got.settings.period_end is None:
            left_out.append(
                LeftOut(str(p), f"{p.name} has no Period end in Settings, so its place in the series is unknown.")
            )
        else:
            by_end.setdefault(got.settings.period_end, []).append(got)
    workbooks = []
    chosen = {id(wb) for wb in given}
    for end in sorted(by_end):
        group = by_end[end]
        picked = [wb for wb in group if id(wb) in chosen]
        if len(group) > 1 and len(picked) == 1:
            # A workbook handed in already read (Refresh's --previous, say) is the
            # caller's choice for its period: a file found along a chain for the
            # same period gives way to it, and is listed as left out.
            workbooks.append(picked[0])
            for wb in group:
                if wb is not picked[0]:
                    left_out.append(
                        LeftOut(
                            str(wb.path),
                            f"{wb.path.name} ends on {uk(end)}, as {picked[0].path.name} does, which was given "
                            "for that period.",
                        )
                    )
        elif len(group) > 1:
            names = sorted(wb.path.name for wb in group)
            for wb in group:
                others = ", ".join(n for n in names if n != wb.path.name)
                left_out.append(
                    LeftOut(
                        str(wb.path),
                        f"{wb.path.name} and {others} both end on {uk(end)}; keep the one that is right "
                        "for that period and move the other out of the way.",
                    )
                )
        else:
            workbooks.append(group[0])
    left_out.sort(key=lambda x: x.file)
    return Series(workbooks, left_out)


# ------------------------------------------------------------------ one period


@dataclass
class PeriodFrame:
    """One workbook's actions as the history compares them, indexed by normalised Ref."""

    period: str
    period_start: dt.date | None
    period_end: dt.date
    file: str
    counts: dict[str, dict[str, int]]
    actions: pd.DataFrame
    #: normalised Refs with a Timescale change logged this period; None when the
    #: workbook's Changes sheet was not read
    logged: frozenset[str] | None
    #: the measures of impact (:func:`ipxl.analysis.impact.measure_frame`; empty when
    #: the workbook has none or its Measures sheet was not read)
    measures: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)


def _space(text) -> str:
    return re.sub(r"\s+", " ", str(text)).strip() if text is not None and text == text else ""


def status_counts(wb: Workbook) -> dict[str, dict[str, int]]:
    """Actions at each status (and ``total``), counted as the roll-up counts them
    (Closure not closed), for ``All`` and for each theme in Lists order."""
    names = tuple(wb.lists.themes.values())
    counted = counted_actions(wb)
    statuses = list(wb.lists.status_names)
    if (counted["status"] == UNRECOGNISED).any():
        statuses.append(UNRECOGNISED)

    def tally(s: pd.Series) -> dict[str, int]:
        vc = s.value_counts()
        out = {st: int(vc.get(st, 0)) for st in statuses}
        out[TOTAL] = len(s)
        return out

    counts = {ALL: tally(counted["status"])}
    by_theme = dict(tuple(counted.groupby("theme", sort=False)["status"]))
    for t in [*names, *sorted(set(counted["theme"]) - set(names), key=str.casefold)]:
        counts[t] = tally(by_theme.get(t, counted["status"].iloc[:0]))
    return counts


def _label(wb: Workbook) -> str:
    """The period's label: Settings' Reporting period, else the month Period end falls in."""
    return wb.settings.period or f"{wb.settings.period_end:%B %Y}"


def period_counts(series: Series) -> list[dict]:
    """Each period's label, end, file and :func:`status_counts`, oldest first: the
    Trend sheet's table, without the per-action history it does not need."""
    return [
        {
            "period": _label(wb),
            "period_end": wb.settings.period_end.isoformat() if wb.settings.period_end else "",
            "file": str(wb.path),
            "counts": status_counts(wb),
        }
        for wb in series.workbooks
    ]


def _period_frame(wb: Workbook, previous_end: dt.date | None) -> PeriodFrame:
    f = wb.frame("actions")
    lists = wb.lists
    sheet = wb.sheets.get("actions")
    raw_due = sheet.raw["due_date"] if sheet is not None else f["due_date"]
    names = tuple(lists.themes.values())
    theme = canonical_values(f["theme"], names, {c.lower(): n for c, n in lists.themes.items()}, keep=True)
    status = canonical_values(f["status"], lists.status_names, D.STATUS_ALIASES)
    closure = canonical_values(f["closure"], lists.closures)
    revised = f["revised_due_date"]
    due = revised.where(revised.notna(), f["due_date"])

    def due_value(date, raw) -> object:
        if isinstance(date, pd.Timestamp) and not pd.isna(date):
            return date.date()
        return str(raw).strip() if raw is not None and raw == raw and str(raw).strip() else None

    key = f["ref"].map(lambda r: norm_ref(r) if isinstance(r, str) and r.strip() else None)
    frame = pd.DataFrame(
        {
            "key": key,
            "ref": f["ref"],
            "theme": theme.fillna(NO_THEME),
            "type": f["type"],
            "lead": f["lead"],
            "status": status,
            "closure": closure,
            "due_date": [due_value(d, r) for d, r in zip(f["due_date"], raw_due, strict=True)],
            "effective_due": [due_value(d, r) for d, r in zip(due, raw_due, strict=True)],
            "progress": f["progress_update"].map(_space),
            "completion_date": [d.date() if not pd.isna(d) else None for d in f["completion_date"]],
        },
        index=f.index,
    )
    frame = frame[frame["key"].notna()].drop_duplicates("key").set_index("key")

    counts = status_counts(wb)

    logged: frozenset[str] | None = frozenset()
    ch = wb.frame("changes")
    if "changes" in wb.skipped:
        logged = None  # not read (a caller's part-read workbook): no verdict on its log
    elif len(ch):
        kind = canonical_values(ch["change_type"], lists.change_types)
        dates = ch["date"]
        after = dates.isna() if previous_end is None else dates.isna() | (dates > pd.Timestamp(previous_end))
        upto = dates.isna() | (dates <= pd.Timestamp(wb.settings.period_end))
        refs = ch.loc[(kind == TIMESCALE_CHANGE) & after & upto, "ref"]
        logged = frozenset(norm_ref(r) for r in refs if isinstance(r, str) and r.strip())
    assert wb.settings.period_end is not None  # load_series leaves out those without
    return PeriodFrame(
        period=_label(wb),
        period_start=wb.settings.period_start,
        period_end=wb.settings.period_end,
        file=str(wb.path),
        counts=counts,
        actions=frame,
        logged=logged,
        measures=measure_frame(wb),
    )


# ------------------------------------------------------------------ the history


@dataclass
class History:
    """The figures of a series of periods; see the module docstring for each rule.
    ``to_dict()`` is what ``ipxl history --format json`` prints."""

    periods: list[dict]
    actions: list[dict]
    rebaselined: list[dict]
    stale: list[dict]
    persistent_red: list[dict]
    completed: list[dict]
    unlogged_date_changes: list[dict]
    left_out: list[LeftOut]
    thresholds: dict[str, object]
    #: the per-period frames, for the tidy export and the Trend sheet (not in to_dict)
    frames: list[PeriodFrame] = field(default_factory=list, repr=False)
    #: every value changed between consecutive periods, when asked for
    #: (:func:`ipxl.analysis.cells.cell_changes`, ``ipxl history --cells``)
    cells: list[dict] | None = None
    #: each measure of impact's Latest and state period by period (:func:`measure_history`)
    measures: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        out = {
            "periods": self.periods,
            "actions": self.actions,
            "rebaselined": self.rebaselined,
            "stale": self.stale,
            "persistent_red": self.persistent_red,
            "completed": self.completed,
            "unlogged_date_changes": self.unlogged_date_changes,
            "measures": self.measures,
            "left_out": [asdict(x) for x in self.left_out],
            "thresholds": self.thresholds,
        }
        if self.cells is not None:
            out["cells"] = self.cells
        return out


def _records(frame: pd.DataFrame) -> dict[str, dict]:
    """``frame.to_dict("index")`` without pandas' per-cell boxing (a fifth of the
    time): each row as a plain dict, keyed by the index."""
    names = list(frame.columns)
    columns = [frame[c].tolist() for c in names]
    return {k: dict(zip(names, row, strict=True)) for k, row in zip(frame.index.tolist(), zip(*columns), strict=True)}


def _iso(v) -> object:
    return v.isoformat() if isinstance(v, dt.date) else v


def history(
    series: Series | Iterable[str | Path],
    *,
    since: dt.date | None = None,
    rebaselines: int = D.HISTORY_REBASELINES,
    stale: int = D.HISTORY_STALE,
    red: int = D.HISTORY_RED,
) -> History:
    """The history of ``series`` (a :class:`Series` or paths for :func:`load_series`).

    ``rebaselines``, ``stale`` and ``red`` are the thresholds for the lists of
    re-baselined, stale and persistently Red actions; ``since`` filters the completions.
    Raises :class:`NoHistory` when no workbook can be placed in the series.
    """
    red = max(red, 2)  # Red in one period is not persistent
    if not isinstance(series, Series):
        series = load_series(series)
    if not series.workbooks:
        why = "; ".join(x.reason for x in series.left_out) or "no .xlsx or .xlsm files were given"
        raise NoHistory(f"No workbook could be placed in a series ({why}).")
    frames: list[PeriodFrame] = []
    for wb in series.workbooks:
        frames.append(_period_frame(wb, frames[-1].period_end if frames else None))
    labels = [p.period for p in frames]
    n = len(frames)

    # Every Ref seen, in the order first seen (oldest period first, then sheet order).
    refs: dict[str, None] = {}
    for p in frames:
        refs.update(dict.fromkeys(p.actions.index))

    # Each period's rows as plain dicts: the loop below looks at every action in every
    # period, and a dict lookup is a hundredth of a DataFrame row's.
    records = [_records(p.actions) for p in frames]
    slips: list[tuple[dict, dt.date, dt.date]] = []

    actions, rebased, stale_list, reds, completed, unlogged = [], [], [], [], [], []
    for key in refs:
        rows: list[Any] = [r.get(key) for r in records]
        present = [k for k in range(n) if rows[k] is not None]
        first, last = present[0], present[-1]
        latest = rows[last]
        assert latest is not None
        original, current = rows[first]["due_date"], latest["effective_due"]
        count = 0
        for a, b in itertools.pairwise(present):
            before, after = rows[a]["effective_due"], rows[b]["effective_due"]
            if before is not None and after is not None and before != after:
                count += 1
                logged = frames[b].logged
                if b == a + 1 and logged is not None and key not in logged:
                    unlogged.append(
                        {
                            "ref": str(latest["ref"]),
                            "period": labels[b],
                            "from": _iso(before),
                            "to": _iso(after),
                        }
                    )
        stale_n = 0
        if last == n - 1 and latest["status"] != COMPLETE and not rules.is_closed(latest["closure"]):
            k = n - 1
            while k > 0 and rows[k - 1] is not None and rows[k]["progress"] == rows[k - 1]["progress"]:
                stale_n += 1
                k -= 1
        red_n = 0
        k = n - 1
        while k >= 0 and rows[k] is not None and rows[k]["status"] == RED:
            red_n += 1
            k -= 1
        record = {
            "ref": str(latest["ref"]),
            "theme": str(latest["theme"]),
            "lead": latest["lead"] if isinstance(latest["lead"], str) else None,
            "first_period": labels[first],
            "original_due": _iso(original),
            "current_due": _iso(current),
            "rebaselines": count,
            "slippage_months": None,  # below, for every action at once
            "stale_periods": stale_n,
            "statuses": [None if r is None else r["status"] for r in rows],
        }
        actions.append(record)
        if isinstance(original, dt.date) and isinstance(current, dt.date):
            slips.append((record, original, current))
        if count >= rebaselines:
            rebased.append(record)
        if stale_n >= stale:
            stale_list.append({"ref": record["ref"], "lead": record["lead"], "periods": stale_n})
        if red_n >= red:
            reds.append({"ref": record["ref"], "lead": record["lead"], "periods": red_n})
        for k in present:
            row = rows[k]
            assert row is not None
            if row["status"] != COMPLETE:
                continue
            prior = rows[k - 1] if k > 0 else None
            if k == 0:
                p = frames[0]
                done = row["completion_date"]
                became = (
                    done is not None and (p.period_start is None or done >= p.period_start) and done <= p.period_end
                )
            else:
                became = prior is None or prior["status"] != COMPLETE
            if not became:
                continue
            when = row["completion_date"] or frames[k].period_end
            if since is not None and when < since:
                continue
            completed.append(
                (
                    k,
                    str(row["ref"]),
                    {
                        "ref": str(row["ref"]),
                        "theme": str(row["theme"]),
                        "period": labels[k],
                        "completion_date": _iso(row["completion_date"]),
                        "progress_update": row["progress"] or None,
                    },
                )
            )

    if slips:
        months = months_between(
            pd.Series(pd.to_datetime([o for _, o, _ in slips])), pd.Series(pd.to_datetime([c for _, _, c in slips]))
        )
        for (record, _, _), m in zip(slips, months.tolist(), strict=True):
            record["slippage_months"] = float(m)
    periods = [
        {"period": p.period, "period_end": p.period_end.isoformat(), "file": p.file, "counts": p.counts} for p in frames
    ]
    return History(
        periods=periods,
        actions=actions,
        rebaselined=rebased,
        stale=sorted(stale_list, key=lambda x: (-x["periods"], x["ref"])),
        persistent_red=sorted(reds, key=lambda x: (-x["periods"], x["ref"])),
        completed=[c for _, _, c in sorted(completed, key=lambda x: (x[0], x[1]))],
        unlogged_date_changes=unlogged,
        left_out=list(series.left_out),
        thresholds={
            "rebaselines": rebaselines,
            "stale": stale,
            "red": red,
            "since": since.isoformat() if since else None,
        },
        frames=frames,
        measures=measure_history(frames),
    )


def measure_history(frames: list[PeriodFrame]) -> list[dict]:
    """Each measure of impact across the periods, matched by Measure ref (ignoring
    spaces and case), in the order first seen: its ref, name and Best Value themes as
    the latest period it appears in gives them, and per period (oldest first, None
    where it does not appear) its Latest, the Latest's date and its state."""
    seen: dict[str, list] = {}
    for k, p in enumerate(frames):
        m = p.measures
        if m.empty:
            continue
        for ref, name, themes, latest, when, state in zip(
            m["ref"], m["measure"], m["themes"], m["latest"], m["latest_date"], m["state"], strict=True
        ):
            if not isinstance(ref, str) or not ref.strip():
                continue
            rows = seen.setdefault(norm_ref(ref), [None] * len(frames))
            if rows[k] is None:  # a ref typed twice in one workbook: its first row
                rows[k] = (ref, name, themes, latest, when, state)
    out = []
    for rows in seen.values():
        last = next(r for r in reversed(rows) if r is not None)
        out.append(
            {
                "ref": str(last[0]),
                "measure": last[1],
                "best_value": list(last[2]),
                "latest": [None if r is None else plain(r[3]) for r in rows],
                "latest_date": [None if r is None else plain(r[4]) for r in rows],
                "states": [None if r is None else r[5] for r in rows],
            }
        )
    return out


# ------------------------------------------------------------------ tidy tables


def tidy_tables(h: History) -> dict[str, pd.DataFrame]:
    """The history as tidy tables for Power BI or Power Query (schema in
    ``docs/history.md``): ``actions`` (one row per action per period), ``counts``
    (one row per period, theme and status), ``measures`` (one row per measure of
    impact per period) and, when the history has them, ``cells`` (one row per value
    changed)."""
    rows = []
    for p in h.frames:
        a = p.actions
        rows.append(
            pd.DataFrame(
                {
                    "period": p.period,
                    "period_end": pd.Timestamp(p.period_end),
                    "file": Path(p.file).name,
                    "ref": a["ref"].astype(str).to_numpy(),
                    "ref_key": a.index.to_numpy(),
                    "theme": a["theme"].to_numpy(),
                    "type": a["type"].to_numpy(),
                    "lead": a["lead"].to_numpy(),
                    "status": a["status"].to_numpy(),
                    "closure": a["closure"].to_numpy(),
                    # a date or a keyword: both as text (dates ISO), one type in CSV and Parquet
                    "due_date": [_iso(v) for v in a["due_date"]],
                    "effective_due": [_iso(v) for v in a["effective_due"]],
                    "progress_update": a["progress"].replace("", None).to_numpy(),
                    "completion_date": pd.to_datetime(pd.Series(list(a["completion_date"]), dtype=object)),
                }
            )
        )
    columns = list(ACTIONS_SCHEMA)
    actions = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)
    for c in ("ref", "ref_key", "theme", "type", "lead", "status", "closure", "due_date", "effective_due"):
        actions[c] = actions[c].astype(object)
    counts = pd.DataFrame(
        [
            {
                "period": p.period,
                "period_end": pd.Timestamp(p.period_end),
                "theme": theme,
                "status": status,
                "count": n,
            }
            for p in h.frames
            for theme, by in p.counts.items()
            for status, n in by.items()
            if status != TOTAL
        ],
        columns=list(COUNTS_SCHEMA),
    )
    counts["count"] = counts["count"].astype("int64")
    measures = measures_table([(p.period, p.period_end, p.file, p.measures) for p in h.frames if not p.measures.empty])
    tables = {"actions": actions[columns], "counts": counts, "measures": measures}
    if h.cells is not None:
        cells = pd.DataFrame(h.cells, columns=list(CELLS_SCHEMA)).astype(object)
        cells["period_end"] = pd.to_datetime(cells["period_end"])
        tables["cells"] = cells
    return tables


#: Column -> meaning, for docs/history.md (a test keeps them equal).
ACTIONS_SCHEMA = {
    "period": "the period's label (Settings Period)",
    "period_end": "Settings Period end (date)",
    "file": "the workbook's file name",
    "ref": "the Ref as typed in that workbook",
    "ref_key": "the Ref as matched across periods (no spaces, upper case)",
    "theme": "the theme (a theme code read as its name)",
    "type": "Type as typed",
    "lead": "Director / Lead",
    "status": "Status in its Lists spelling (blank when blank or unrecognised)",
    "closure": "Closure in its Lists spelling (blank when blank or unrecognised)",
    "due_date": "Due date: ISO date, or the keyword given (Ongoing, Quarterly, ...)",
    "effective_due": "Revised due date when set, else Due date (as due_date)",
    "progress_update": "Progress update, runs of spaces made one",
    "completion_date": "Completion date (date)",
}
CELLS_SCHEMA = {
    "period": "the later period's label",
    "period_end": "its Settings Period end (date)",
    "file": "the later workbook's file name",
    "ref": "the Ref as typed in the later workbook",
    "ref_key": "the Ref as matched across periods",
    "column": "the column's header in the later workbook",
    "from": "the value in the earlier period (dates ISO; blank when blank)",
    "to": "the value in the later period",
    "who": "whose return the value came from, where the Audit trail says (else blank)",
    "when": "when ipxl changed it, from the Audit trail",
    "how": "what ipxl did (merged from a return)",
}
COUNTS_SCHEMA = {
    "period": "the period's label",
    "period_end": "Settings Period end (date)",
    "theme": "a theme, or All for the whole plan",
    "status": "a status (Unrecognised for blank or unknown ones)",
    "count": "actions at that status (Closure not closed), an integer",
}


def export(h: History, folder: str | Path) -> list[Path]:
    """Write :func:`tidy_tables` to ``folder`` as ``history_actions``,
    ``history_counts`` and ``history_measures`` (and ``history_cells`` with ``--cells``), each as .csv (UTF-8 with a byte-order mark, which Excel needs
    to read it right) and .parquet. Returns the files written."""
    from ..xlsx.safe_write import atomic_write, make_folder, write_bytes

    folder = Path(folder)
    make_folder(folder, "--export")
    written = []
    for name, table in tidy_tables(h).items():
        csv = folder / f"history_{name}.csv"
        data = table.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8-sig")
        written.append(write_bytes(csv, data))
        written.append(atomic_write(folder / f"history_{name}.parquet", functools.partial(_parquet, table)))
    return written


def _parquet(table: pd.DataFrame, fh) -> None:
    import contextlib
    import warnings

    with warnings.catch_warnings():
        # fastparquet asks pandas for an option pandas 3 deprecates; not the officer's concern
        warnings.filterwarnings("ignore", message=".*future.infer_string.*")
        import fastparquet

    # fastparquet reads back only microsecond timestamps under pandas 3; dates are
    # written as timestamps at midnight, which Power BI and Power Query read as dates.
    out = table.copy()
    for c in out.columns:
        if str(out[c].dtype).startswith("datetime64"):
            out[c] = out[c].astype("datetime64[us]")
    fastparquet.write(fh.name, out, open_with=lambda _path, _mode: contextlib.nullcontext(fh), write_index=False)


__all__ = [
    "ALL",
    "MEASURES_SCHEMA",
    "History",
    "LeftOut",
    "NoHistory",
    "Series",
    "export",
    "history",
    "load_series",
    "tidy_tables",
]
