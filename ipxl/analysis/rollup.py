"""RAG roll-up: the counts officers make by hand every quarter, straight from the workbook.

:func:`rollup` counts every Actions row whose Closure is not ``Closed`` or ``Moved to
business as usual`` (:data:`ipxl.defaults.CLOSED_STATES`), by status, in the order of
the workbook's ``Lists`` statuses, grouped by theme, by type, by Director / Lead and by
review (through the recommendation links in both directions). Statuses spelled with
near-misses (``" green"``, ``"G"``, ``"On track"``) count as what they mean, decided by
:mod:`ipxl.checks.vocab` exactly as validation decides it. Overdue open actions are counted
separately.

Everything is a groupby over the typed frames: no Python loop visits the actions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from .. import defaults as D
from ..checks import rules
from ..checks.vocab import canonical_values, explode_refs, ref_positions
from ..xlsx.model import Source, Workbook
from ..xlsx.sources import as_workbook

#: Column for statuses that are blank or that match nothing in Lists (shown only when
#: some row has one, so totals always add up).
UNRECOGNISED = "Unrecognised"
TOTAL = "total"
#: Group labels for rows that have no value to group by.
NO_THEME = "(no theme)"
NO_TYPE = "(no type)"
NO_LEAD = "(no lead)"
NO_REVIEW = "(not linked to a review)"

#: The status that ends an action (the best in :data:`ipxl.defaults.STATUS_RANK`).
COMPLETE = max(D.STATUS_RANK, key=lambda s: D.STATUS_RANK[s])

GROUPINGS = ("theme", "type", "lead", "review")
#: Index names of the roll-up tables, as shown to officers.
GROUP_TITLES = {"theme": "Theme", "type": "Type", "lead": "Director / Lead", "review": "Review"}


@dataclass
class Rollup:
    """RAG counts of one workbook.

    Each ``by_*`` frame is indexed by group, with one column per status (``Lists``
    order; ``Unrecognised`` only when a row needs it) and ``total``. ``by_review``
    counts an action once under every review it answers, so its rows can add up to
    more than ``totals``.
    """

    period: str
    statuses: tuple[str, ...]
    by_theme: pd.DataFrame
    by_type: pd.DataFrame
    by_lead: pd.DataFrame
    by_review: pd.DataFrame
    totals: pd.Series
    #: Open actions not Complete whose effective due date (revised if set, else due)
    #: is before Period end.
    overdue: int
    overdue_refs: list[str] = field(default_factory=list)

    def table(self, by: str = "theme") -> pd.DataFrame:
        """The counts grouped ``by`` theme, type, lead or review."""
        if by not in GROUPINGS:
            raise ValueError(f"by must be one of {', '.join(GROUPINGS)}, not {by!r}")
        return getattr(self, f"by_{by}")

    def percentages(self, by: str = "theme") -> pd.DataFrame:
        """Each count as a percentage of its row's total, to one decimal place; the
        ``total`` column is 100 (0 for an empty row)."""
        return percentages(self.table(by))

    def totals_percentages(self) -> pd.Series:
        """The overall counts as percentages of all counted actions."""
        return percentages(self.totals.to_frame().T).iloc[0]

    def to_dict(self, by: tuple[str, ...] = ("theme", "type")) -> dict:
        """The roll-up as ``ipxl rollup --format json`` prints it: ``period``, a
        ``by_<group>`` mapping per name in ``by`` ({group: {status: n, ..., "total": n}}),
        ``totals`` and ``overdue``. The default ``by`` gives exactly the documented shape."""
        out: dict = {"period": self.period}
        for name in by:
            frame = self.table(name)
            out[f"by_{name}"] = {
                str(group): {str(k): int(v) for k, v in row.items()}
                for group, row in frame.to_dict(orient="index").items()
            }
        out["totals"] = {str(k): int(v) for k, v in self.totals.items()}
        out["overdue"] = int(self.overdue)
        return out


def percent(n: int, total: int, places: int = 0) -> float:
    """``n`` as a percentage of ``total``, rounded once, half up, from the counts
    themselves (6 of 11 is 54.5454...%: 55%, never 54.5% rounded again to 54%); 0
    when ``total`` is 0."""
    if not total:
        return 0.0
    exact = Decimal(int(n) * 100) / Decimal(int(total))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def percentages(frame: pd.DataFrame, places: int = 1) -> pd.DataFrame:
    """Counts -> percentages of each row's ``total`` (see :func:`percent`)."""
    totals = frame[TOTAL].tolist()
    data = {c: [percent(n, t, places) for n, t in zip(frame[c].tolist(), totals)] for c in frame.columns}
    return pd.DataFrame(data, index=frame.index, columns=frame.columns, dtype=float)


def counted_actions(workbook: Workbook) -> pd.DataFrame:
    """The Actions rows the roll-up counts (Closure not closed), with canonical
    ``status`` (blank or unknown -> ``Unrecognised``), ``theme`` (a theme code is read
    as its theme) and ``type``. Indexed by Excel row. Worked out once per workbook
    (kept in ``workbook.counted``): callers read the frame and do not change it."""
    if workbook.counted is not None:
        return workbook.counted
    f = workbook.frame("actions")
    lists = workbook.lists
    # A Closure that matches nothing in Lists is treated as open: it still counts.
    keep = rules.in_plan(rules.closures(f["closure"], lists))
    # whose an action is: a sub-action with no Director / Lead is its parent's
    lead = rules.effective_leads(f["ref"], f["lead"])[keep]
    f = f[keep]
    names = tuple(lists.themes.values())
    theme = canonical_values(f["theme"], names, {code.lower(): name for code, name in lists.themes.items()}, keep=True)
    typ = canonical_values(f["type"], lists.types, keep=True)
    status = canonical_values(f["status"], lists.status_names, D.STATUS_ALIASES)
    counted = pd.DataFrame(
        {
            "ref": f["ref"],
            "theme": theme.fillna(NO_THEME),
            "type": typ.fillna(NO_TYPE),
            "lead": lead.fillna(NO_LEAD),
            "status": status.fillna(UNRECOGNISED),
            "recommendations": f["recommendations"],
            "due_date": f["due_date"],
            "revised_due_date": f["revised_due_date"],
        },
        index=f.index,
    )
    workbook.counted = counted
    return counted


def rollup(workbook: Source, *, as_of: dt.date | None = None) -> Rollup:
    """RAG counts of ``workbook`` (a :class:`Workbook` or a path) by theme, type,
    Director / Lead and review, overall, and the number of overdue open actions.

    Overdue means: counted (Closure not closed), Status not Complete, and the
    effective due date (Revised due date when set, else Due date) before ``as_of``,
    which defaults to Settings' Period end (today when the workbook has none). Due
    dates given as keywords (Ongoing, Quarterly, ...) are never overdue.
    """
    wb = as_workbook(workbook, D.ROLLUP_SHEETS)
    a = counted_actions(wb)
    statuses = tuple(wb.lists.status_names)
    if (a["status"] == UNRECOGNISED).any():
        statuses = (*statuses, UNRECOGNISED)

    themes = list(wb.lists.themes.values())
    by_theme = _count(a["theme"], a["status"], statuses, themes, "theme")
    by_type = _count(a["type"], a["status"], statuses, list(wb.lists.types), "type")
    by_lead = _count(a["lead"], a["status"], statuses, None, "lead")
    by_review = _by_review(wb, a, statuses)
    totals = by_type.sum(axis=0).astype("int64") if len(by_type) else pd.Series(0, index=[*statuses, TOTAL])
    totals.name = TOTAL

    as_of = as_of or wb.settings.period_end or dt.date.today()
    due = rules.effective_due(a["due_date"], a["revised_due_date"])
    late = rules.overdue(due, a["status"] != COMPLETE, as_of)
    return Rollup(
        period=wb.settings.period or "",
        statuses=statuses,
        by_theme=by_theme,
        by_type=by_type,
        by_lead=by_lead,
        by_review=by_review,
        totals=totals,
        overdue=int(late.sum()),
        overdue_refs=[str(r) for r in a.loc[late, "ref"]],
    )


def _count(
    groups: pd.Series, status: pd.Series, statuses: tuple[str, ...], order: list[str] | None, name: str
) -> pd.DataFrame:
    """Status counts per group: known groups in ``order`` (all of them, zeros kept),
    then any others alphabetically; ``order=None`` sorts every group."""
    if len(groups):
        t = (
            pd.DataFrame({"g": groups.astype(object), "s": status.astype(object)})
            .groupby(["g", "s"], sort=False)
            .size()
            .unstack("s", fill_value=0)
        )
    else:
        t = pd.DataFrame()
    present = [str(g) for g in t.index]
    if order is None:
        index = sorted(present, key=str.casefold)
    else:
        index = list(order) + sorted((g for g in present if g not in order), key=str.casefold)
    t = t.reindex(index=index, columns=list(statuses), fill_value=0).astype("int64")
    t[TOTAL] = t.sum(axis=1)
    t.index.name = GROUP_TITLES[name]
    t.columns.name = None
    return t


def _by_review(wb: Workbook, a: pd.DataFrame, statuses: tuple[str, ...]) -> pd.DataFrame:
    """Counts per review: an action answers a review when its Recommendations cell
    names one of the review's recommendations, or a recommendation's Action refs
    names the action. Each action counts once per review."""
    recs = wb.frame("recommendations")
    review = canonical_values(recs["review"], wb.lists.reviews, keep=True).to_numpy()
    # action -> recommendation, from the Actions sheet
    ids = explode_refs(a["recommendations"])
    rec = ref_positions(ids, recs["rec_id"])
    rows = [ids.index.to_numpy()[rec >= 0]]
    reviews = [review[rec[rec >= 0]]]
    # recommendation -> action, from the Recommendations sheet
    refs = explode_refs(recs["action_refs"])
    if len(refs):
        act = ref_positions(refs, a["ref"])
        rec_at = recs.index.get_indexer(refs.index)
        rows.append(a.index.to_numpy()[act[act >= 0]])
        reviews.append(review[rec_at[act >= 0]])
    pairs = pd.DataFrame({"row": np.concatenate(rows).astype("int64"), "review": np.concatenate(reviews)})
    pairs = pairs[pairs["review"].notna()].drop_duplicates()
    unlinked = a.index.difference(pd.Index(pairs["row"]))
    groups = pd.concat(
        [
            pd.Series(pairs["review"].to_numpy(), index=pairs["row"].to_numpy()),
            pd.Series(NO_REVIEW, index=unlinked, dtype=object),
        ]
    )
    status = pd.Series(a["status"].to_numpy()[a.index.get_indexer(groups.index)], index=groups.index)
    t = _count(groups, status, statuses, list(wb.lists.reviews), "review")
    if NO_REVIEW in t.index:  # unlinked actions go last, whatever the alphabet says
        t = pd.concat([t.drop(index=NO_REVIEW), t.loc[[NO_REVIEW]]])
    return t
