"""Evidence of impact (issue 28): each measure's state at Period end, and the plan by
the seven themes of the statutory Best Value guidance.

Councils under intervention are judged on whether the change works, not only on
whether actions are done. The workbook's Measures sheet (optional) holds a row per
measure: its baseline, target and latest value, whether a higher or a lower value is
better, the Best Value theme(s) and actions it gives evidence for. A measure's
**state** at Period end follows these rules, in order:

* **No data since baseline**: there is no Latest value, or the Latest is dated on or
  before the Baseline date (nothing measured since);
* **Not judged**: Better when is blank or not one of Lists' two words (Higher, Lower),
  so no comparison can be made (validation reports it as an error);
* **Target met**: there is a Target and the Latest reaches it (at or above it when
  higher is better, at or below when lower is);
* **Improving**: the Latest is better than the Baseline;
* **Not improving**: the Latest is the same as the Baseline or worse;
* otherwise (a Latest with no Baseline and no Target reached) **No data since
  baseline**: there is nothing to judge it from (validation warns).

A value that is not a number counts as blank (validation reports it). A measure
naming several themes counts under each; so does an action (``Leadership;
Culture``). Themes are read as validation reads them: a near-miss or a short name
(``resources``) as the theme it means, anything else under its own text.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import defaults as D
from ..checks.vocab import best_value_aliases, canonical, canonical_values, is_proxy, norm_ref, split_refs
from ..xlsx.model import Source, Workbook
from ..xlsx.sources import as_workbook
from .rollup import UNRECOGNISED, counted_actions

#: The group of actions and measures that name no Best Value theme.
NO_BEST_VALUE = "(no Best Value theme)"
#: An action's confidence left blank (or not one of Lists' levels).
NOT_GIVEN = "Not given"
TOTAL = "total"
TARGET_MET, IMPROVING, NOT_IMPROVING, NO_DATA = D.MEASURE_STATES
#: The sheets a Best Value roll-up reads.
SHEETS = ("actions", "measures")


def _number(value) -> float:
    """A cell's number, NaN when it is none (or not finite: 1e999, text "inf")."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return x if np.isfinite(x) else float("nan")


def themes_of(values: pd.Series, allowed: tuple[str, ...]) -> pd.Series:
    """Each Best Value theme cell as a tuple of themes (Lists spelling where one is
    meant, else the part as typed; ``()`` when blank), worked out once per distinct cell."""
    aliases = best_value_aliases()
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[-1] = ()
    for i, u in enumerate(uniques):
        parts = [canonical(p, allowed, aliases) or " ".join(p.split()) for p in split_refs(u)]
        mapped[i] = tuple(dict.fromkeys(parts))
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def measure_frame(wb: Workbook) -> pd.DataFrame:
    """The Measures sheet as the papers and the roll-up read it, indexed by Excel row:
    ``ref``, ``measure``, ``themes`` (a tuple), ``action_refs`` (a tuple), the values
    as floats (NaN when blank or not a number), their dates, ``better`` (Lists'
    Higher or Lower word, None when unknown), ``higher`` (bool), ``evidence``,
    ``proxy`` (bool) and ``state``. Empty when the workbook has no Measures sheet.
    Worked out once per workbook (kept in ``wb.measures``)."""
    if wb.measures is not None:
        return wb.measures
    f = wb.frame("measures")
    lists = wb.lists
    words = tuple(lists.better_when)
    better = canonical_values(f["better_when"], words, D.BETTER_WHEN_ALIASES)
    higher_word = words[0] if words else D.BETTER_WHEN[0]
    values = {k: f[k].map(_number).astype("float64") for k in ("baseline", "target", "latest")}
    out = pd.DataFrame(
        {
            "ref": f["measure_ref"],
            "measure": f["measure"],
            "themes": themes_of(f["best_value"], lists.best_value_themes),
            "action_refs": f["action_refs"].map(lambda v: tuple(split_refs(v))),
            **values,
            "baseline_date": f["baseline_date"],
            "target_date": f["target_date"],
            "latest_date": f["latest_date"],
            "better": better,
            "higher": better == higher_word,
            "evidence": f["evidence"],
            "proxy": f["proxy"].map(lambda v: bool(is_proxy(v))),
        },
        index=f.index,
    )
    out["state"] = states(out)
    wb.measures = out
    return out


def states(m: pd.DataFrame) -> pd.Series:
    """Each measure's state (see the module's rules) from ``baseline``, ``target``,
    ``latest``, their dates, ``better`` and ``higher``."""
    b, t, latest = m["baseline"], m["target"], m["latest"]
    stale = m["latest_date"].notna() & m["baseline_date"].notna() & (m["latest_date"] <= m["baseline_date"])
    fresh = latest.notna() & ~stale
    sign = np.where(m["higher"].astype(bool), 1.0, -1.0)
    met = fresh & t.notna() & (sign * (latest - t) >= 0)
    up = fresh & b.notna() & (sign * (latest - b) > 0)
    down = fresh & b.notna()
    judged = m["better"].notna()
    choice = np.select(
        [~fresh, ~judged, met, up, down],
        [NO_DATA, D.NOT_JUDGED, TARGET_MET, IMPROVING, NOT_IMPROVING],
        default=NO_DATA,
    )
    return pd.Series(choice, index=m.index, dtype=object)


# ---------------------------------------------------------------- the roll-up


@dataclass
class BestValue:
    """The plan by Best Value theme. Each frame is indexed by theme (Lists' Best Value
    themes in order, zeros kept, then any other theme typed, then
    :data:`NO_BEST_VALUE` when a row names none), with a column per status,
    confidence level or measure state and ``total``. An action or measure naming
    two themes counts under each, so a column can add up to more than the plan has."""

    period: str
    actions: pd.DataFrame
    confidence: pd.DataFrame
    measures: pd.DataFrame
    #: every measure with its values and state (:func:`measure_frame`), sheet order
    measure_rows: pd.DataFrame

    @property
    def themes(self) -> list[str]:
        return list(self.actions.index)

    def to_dict(self) -> dict:
        """What ``ipxl rollup --by best-value --format json`` adds: ``by_best_value``
        ({theme: {"actions": {status: n, "total": n}, "confidence": {...},
        "measures": {state: n, "total": n}}}) and ``measures`` (each measure)."""

        def counts(frame: pd.DataFrame, theme: str) -> dict[str, int]:
            return {str(k): int(v) for k, v in frame.loc[theme].items()}

        return {
            "by_best_value": {
                str(t): {
                    "actions": counts(self.actions, t),
                    "confidence": counts(self.confidence, t),
                    "measures": counts(self.measures, t),
                }
                for t in self.themes
            },
            "measures": [measure_record(row) for row in _rows(self.measure_rows)],
        }


def _rows(frame: pd.DataFrame) -> list[dict]:
    names = list(frame.columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*(frame[c].tolist() for c in names))]


def plain(x) -> object:
    """A value for JSON: None for blanks, whole numbers as ints, dates ISO."""
    if x is None or (isinstance(x, float) and not np.isfinite(x)) or x is pd.NaT:
        return None
    if isinstance(x, pd.Timestamp):
        return None if pd.isna(x) else x.date().isoformat()
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


def measure_record(row: dict) -> dict:
    """One measure as the JSON gives it."""
    return {
        "ref": row["ref"],
        "measure": row["measure"],
        "best_value": list(row["themes"]),
        "action_refs": list(row["action_refs"]),
        **{k: plain(row[k]) for k in ("baseline", "baseline_date", "target", "target_date", "latest", "latest_date")},
        "better_when": row["better"],
        "evidence": row["evidence"],
        "proxy": bool(row["proxy"]),
        "state": row["state"],
    }


def _by_theme(themes: pd.Series, values: pd.Series, columns: list[str], order: list[str]) -> pd.DataFrame:
    """Counts of ``values`` per theme, a row counted once under each of its themes
    (a plain count: a plan has hundreds of rows, not the millions a groupby pays for)."""
    counts = Counter(
        (t, v) for ts, v in zip(themes.tolist(), values.tolist(), strict=True) for t in ts or (NO_BEST_VALUE,)
    )
    table = pd.DataFrame(
        [[counts.get((t, c), 0) for c in columns] for t in order], index=order, columns=columns, dtype="int64"
    )
    table[TOTAL] = table.sum(axis=1)
    table.index.name = "Best Value theme"
    return table


def best_value(workbook: Source) -> BestValue:
    """The plan by Best Value theme: per theme, the actions counted as the roll-up
    counts them (Closure not closed) by status and by confidence, and the measures by
    state at Period end. ``workbook`` is a :class:`Workbook` or a path."""
    wb = as_workbook(workbook, SHEETS)
    lists = wb.lists
    a = counted_actions(wb)
    f = wb.frame("actions").reindex(a.index)
    # a workbook read for fewer columns (read_workbook(columns=...)) has none of these
    blank = pd.Series(None, index=f.index, dtype=object)
    action_themes = themes_of(f.get("best_value", blank), lists.best_value_themes)
    confidence = canonical_values(f.get("confidence", blank), lists.confidences, D.CONFIDENCE_ALIASES).fillna(NOT_GIVEN)
    m = measure_frame(wb)

    seen = [t for ts in (*action_themes.tolist(), *m["themes"].tolist()) for t in ts]
    known = list(lists.best_value_themes)
    others = sorted({t for t in seen if t not in known}, key=str.casefold)
    unthemed = any(not ts for ts in action_themes.tolist()) or any(not ts for ts in m["themes"].tolist())
    order = known + others + ([NO_BEST_VALUE] if unthemed else [])

    statuses = list(lists.status_names) + ([UNRECOGNISED] if (a["status"] == UNRECOGNISED).any() else [])
    levels = [*lists.confidences, NOT_GIVEN]
    kinds = list(D.MEASURE_STATES) + ([D.NOT_JUDGED] if (m["state"] == D.NOT_JUDGED).any() else [])
    return BestValue(
        period=wb.settings.period or "",
        actions=_by_theme(action_themes, a["status"], statuses, order),
        confidence=_by_theme(action_themes, confidence, levels, order),
        measures=_by_theme(m["themes"], m["state"], kinds, order),
        measure_rows=m,
    )


# ------------------------------------------------------------- what moved


def moved(now: pd.DataFrame, before: pd.DataFrame | None, start: dt.date | None, end: dt.date | None) -> list[dict]:
    """The measures of ``now`` (a :func:`measure_frame`) whose Latest moved since
    ``before`` (an earlier workbook's, or None): a measure in both moved when its
    Latest differs from the earlier one's (from that value, else from its Baseline);
    a measure new since then, or with no earlier workbook, when its Latest is dated
    from ``start`` to ``end`` (from its Baseline). Proxies for success first, then in
    sheet order; each a dict with ``ref``, ``measure``, ``themes``, ``from`` and
    ``from_date``, ``to`` and ``to_date``, ``target``, ``target_date``, ``higher``,
    ``proxy`` and ``state``."""
    earlier: dict[str, dict] = {}
    if before is not None:
        for row in _rows(before):
            key = norm_ref(row["ref"]) if isinstance(row["ref"], str) else None
            if key and key not in earlier:
                earlier[key] = row
    out = []
    for row in _rows(now):
        latest = row["latest"]
        if not np.isfinite(latest):
            continue
        key = norm_ref(row["ref"]) if isinstance(row["ref"], str) else None
        prior = earlier.get(key) if key else None
        if prior is not None:
            if np.isfinite(prior["latest"]):
                start_value, start_date = prior["latest"], prior["latest_date"]
            else:
                start_value, start_date = row["baseline"], row["baseline_date"]
            if np.isfinite(prior["latest"]) and prior["latest"] == latest:
                continue
        else:
            when = row["latest_date"]
            if pd.isna(when) or (start is not None and when < pd.Timestamp(start)):
                continue
            if end is not None and when > pd.Timestamp(end):
                continue
            start_value, start_date = row["baseline"], row["baseline_date"]
        out.append(
            {
                "ref": row["ref"],
                "measure": row["measure"],
                "themes": row["themes"],
                "from": plain(start_value),
                "from_date": plain(start_date),
                "to": plain(latest),
                "to_date": plain(row["latest_date"]),
                "target": plain(row["target"]),
                "target_date": plain(row["target_date"]),
                "higher": bool(row["higher"]),
                "proxy": bool(row["proxy"]),
                "state": row["state"],
            }
        )
    return sorted(out, key=lambda x: not x["proxy"])


#: Column -> meaning of the history's measures table (docs/history.md; a test keeps
#: them equal).
MEASURES_SCHEMA = {
    "period": "the period's label (Settings Period)",
    "period_end": "Settings Period end (date)",
    "file": "the workbook's file name",
    "measure_ref": "the Measure ref as typed in that workbook",
    "ref_key": "the Measure ref as matched across periods (no spaces, upper case)",
    "measure": "the Measure",
    "best_value": "its Best Value themes, separated by ; (Lists spelling)",
    "baseline": "Baseline (a number; blank when none)",
    "target": "Target (a number)",
    "latest": "Latest (a number)",
    "latest_date": "Latest date (date)",
    "better_when": "Higher or Lower (Lists spelling; blank when not known)",
    "proxy": "whether it is a proxy for success (true or false)",
    "state": "its state at that period's end: Target met, Improving, Not improving, No data since baseline",
}


def measures_table(periods: list[tuple[str, dt.date, str, pd.DataFrame]]) -> pd.DataFrame:
    """One row per measure per period (:data:`MEASURES_SCHEMA`), from each period's
    label, end, file and :func:`measure_frame`."""
    rows = []
    for label, end, file, m in periods:
        for row in _rows(m):
            ref = row["ref"]
            rows.append(
                {
                    "period": label,
                    "period_end": pd.Timestamp(end),
                    "file": Path(file).name,
                    "measure_ref": None if ref is None else str(ref),
                    "ref_key": norm_ref(ref) if isinstance(ref, str) else None,
                    "measure": row["measure"],
                    "best_value": "; ".join(row["themes"]) or None,
                    "baseline": row["baseline"],
                    "target": row["target"],
                    "latest": row["latest"],
                    "latest_date": row["latest_date"],
                    "better_when": row["better"],
                    "proxy": bool(row["proxy"]),
                    "state": row["state"],
                }
            )
    table = pd.DataFrame(rows, columns=list(MEASURES_SCHEMA))
    for c in ("baseline", "target", "latest"):
        table[c] = table[c].astype("float64")
    table["latest_date"] = pd.to_datetime(table["latest_date"])
    table["proxy"] = table["proxy"].astype(bool)
    for c in ("period", "file", "measure_ref", "ref_key", "measure", "best_value", "better_when", "state"):
        table[c] = table[c].astype(object)
    return table
