"""A year of the sample plan month by month, for the history (``ipxl demo``).

The council papers give the plan at two points, July 2023 (:func:`~.sample_plan.previous_plan`)
and October 2023 (:func:`~.sample_plan.current_plan`), and a change log with the date of
every change. The monthly copies between and before are rebuilt from those facts, so
they agree with both:

* **July and October** are the two sample periods as they are, with monthly Settings.
* **Any other month** starts from the next of those two after it and undoes every change
  the log dates after the month's end: actions added later are absent, a timescale
  change goes back to its old due date, a delivery lead change to its old lead, a
  closure to Open. An action completed after the month's end is not yet Complete (it
  shows its July status, or Green).
* **Progress updates** were not published monthly: a month before July shows July's
  update; August shows July's, and September October's, except that an action On hold
  or Not started in October has had October's words since August (nothing new to say).
  So an update the papers show unchanged from July to October (39 of them) counts as
  unchanged all year: the history's stale list is the papers' own, stretched back.
* Recommendations answered by an action added later name only the actions there then,
  and its milestones appear with it.
* Milestones completed after the month's end are Not complete; the log stops at the
  month's end; the risks are July's until July and October's after.
* Each action's Confidence follows the month's status as the sample's does
  (:func:`~.sample_impact.tag`). The papers give the measures of impact at July and
  October only, so the other months have no Measures sheet.

Each month names the month before as its Previous workbook, so ``ipxl history`` on the
last one follows the whole year.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
from pathlib import Path

from .. import defaults as D
from ..checks.vocab import split_refs
from . import sample_impact
from . import sample_plan as S

#: The months of the sample year, (year, month), oldest first.
MONTHS = tuple((2022 + (10 + i) // 12, (10 + i) % 12 + 1) for i in range(12))  # Nov 2022 .. Oct 2023
#: Change-log entries that add a row.
_ADDED = ("New action", "New sub-action", "New assurance action")
_CLOSED = ("Action closed", "Assurance action closed", "Workstream closed")


def file_name(year: int, month: int) -> str:
    return f"sample-plan-{year}-{month:02d}.xlsx"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def monthly_plan(year: int, month: int) -> dict:
    """The sample plan as it stood at the end of ``month`` (see the module docstring)."""
    end = _month_end(year, month)
    july, october = S.previous_plan(), S.current_plan()
    base = october if end > S.PREVIOUS_SETTINGS["period_end"] else july  # type: ignore[operator]
    plan = copy.deepcopy(base)
    was = {a["ref"]: a for a in july["actions"]}
    now = {a["ref"]: a for a in october["actions"]}
    later = [c for c in S.CHANGES if c["date"] > end]
    added_later = {c["ref"] for c in later if c["change_type"] in _ADDED}
    actions = []
    for a in plan["actions"]:
        if a["ref"] in added_later or (a["date_added"] is not None and a["date_added"] > end):
            continue
        for c in later:
            if c["ref"] != a["ref"]:
                continue
            if c["change_type"] == "Timescale change":
                old = c["old_value"]
                a["revised_due_date"] = None if old == a["due_date"] else old
            elif c["change_type"] == "Delivery lead change":
                a["delivery_lead"] = c["old_value"]
            elif c["change_type"] in _CLOSED:
                a["closure"] = c["old_value"]
        if a["completion_date"] is not None and a["completion_date"] > end:
            before = was.get(a["ref"])
            a["status"] = before["status"] if before and before["status"] != "Complete" else "Green"
            a["completion_date"] = None
            if before:
                a["progress_update"] = before["progress_update"]
                a["exception_reason"] = before["exception_reason"]
        elif base is october and month == 8 and a["ref"] in was:
            # August: July's status and words, unless something recorded says otherwise
            before = was[a["ref"]]
            quiet = now[a["ref"]]["status"] in ("On hold", "Not started")
            if a["status"] != "Complete" and before["status"] != "Complete":
                a["status"], a["exception_reason"] = before["status"], before["exception_reason"]
                if not quiet:
                    a["progress_update"] = before["progress_update"]
        actions.append(a)
    plan["actions"] = actions
    sample_impact.tag(actions)
    if month not in (7, 10):
        plan.pop("measures", None)
    present = {a["ref"] for a in actions}
    for r in plan["recommendations"]:
        # a recommendation answered by an action added later names only those there then
        kept = [x for x in split_refs(r["action_refs"]) if x in present or x in D.OUTSIDE_PLAN]
        r["action_refs"] = "; ".join(kept) or None
    plan["milestones"] = [m for m in plan["milestones"] if m["ref"] in present]
    for m in plan["milestones"]:
        if m["completed_date"] and m["completed_date"] > end:
            m["status"], m["completed_date"] = "Not complete", None
    plan["changes"] = [c for c in plan["changes"] if c["date"] <= end]
    previous = MONTHS[MONTHS.index((year, month)) - 1] if (year, month) != MONTHS[0] else None
    plan["settings"].update(
        period=f"{end:%B %Y}",
        period_start=dt.date(year, month, 1),
        period_end=end,
        previous_workbook=file_name(*previous) if previous else None,
    )
    return plan


def write_sample_history(folder: str | Path) -> list[Path]:
    """Write the twelve monthly workbooks into ``folder``, with the governance diagram
    their Appendices sheet names; returns the workbooks, oldest first."""
    from .. import resources
    from ..xlsx.safe_write import copy_new
    from .workbook import build_template

    folder = Path(folder)
    written = [build_template(folder / file_name(y, m), monthly_plan(y, m)) for y, m in MONTHS]
    copy_new(resources.governance_path(), folder / resources.GOVERNANCE_NAME, force=True)
    return written
