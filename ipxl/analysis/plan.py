"""One period of the plan, read once, answering every question about its actions in
one place.

:class:`Plan` holds the workbook as read, its Settings and Lists, and last period's
workbook when there is one. :attr:`Plan.actions` is the Actions sheet as the plan's
rules (:mod:`ipxl.checks.rules`) read it: each action's status and closure as meant,
whether it is still in the plan and still to deliver, who owns it (a sub-action
inherits its parent's lead), when it is due now, whether it is overdue at the
period's end and whether it is new this period. The roll-up, the change report, the
papers and the update round ask the same questions; here they are asked once.

>>> from ipxl import resources
>>> plan = Plan.open(resources.sample_path())
>>> plan
Plan(October 2023: 98 actions, 41 complete, 57 to deliver, 1 overdue; last period July 2023)
>>> int(plan.actions["to_deliver"].sum())
57
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .. import defaults as D
from ..checks import rules
from ..xlsx.model import Lists, Settings, Workbook


@dataclass
class Plan:
    """A period of the plan: ``workbook`` (as :func:`ipxl.read_workbook` reads it) and
    ``previous``, last period's workbook, when there is one.

    Every function that reads the plan takes a Plan where it takes a path, and uses
    its ``previous`` unless given another: the plan is read once for all of them.

    >>> import ipxl
    >>> from ipxl import resources
    >>> plan = Plan.open(resources.sample_path())
    >>> ipxl.validate(plan).ok, int(ipxl.rollup(plan).totals["Green"])
    (True, 38)
    >>> len(ipxl.chase(plan).leads) > 0
    True
    """

    workbook: Workbook
    previous: Workbook | None = None
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def open(cls, path: str | Path, previous: str | Path | Workbook | None = None) -> Plan:
        """Read the workbook at ``path`` once, and last period's (``previous``, else the
        file its Settings name, when it exists) on a thread of its own meanwhile."""
        from ..xlsx.sources import read_with_previous

        # last period's measures too, so that the pack can be made from the plan
        wb, prev = read_with_previous(path, previous=previous, previous_sheets=D.PACK_PREVIOUS_SHEETS)
        return cls(wb, prev)

    # ------------------------------------------------------------------ the period

    @property
    def settings(self) -> Settings:
        return self.workbook.settings

    @property
    def lists(self) -> Lists:
        return self.workbook.lists

    @property
    def period(self) -> str:
        """The reporting period's label (``October 2023``)."""
        return self.settings.period or ""

    @property
    def as_of(self) -> dt.date:
        """The date overdue is judged at: Period end, or today without one."""
        return self.settings.period_end or dt.date.today()

    # ----------------------------------------------------------------- the actions

    @cached_property
    def actions(self) -> pd.DataFrame:
        """The Actions sheet, indexed by Excel row, with the rules' answers beside the
        cells as typed: ``status`` and ``closure`` as meant, ``in_plan`` (not closed),
        ``to_deliver`` (in the plan and not complete), ``owner`` (the effective
        Director / Lead), ``due`` (the effective due date), ``overdue`` (at
        :attr:`as_of`) and ``new`` (this period)."""
        from .changes import new_this_period

        f = self.workbook.frame("actions")
        status = rules.statuses(f["status"], self.lists)
        closure = rules.closures(f["closure"], self.lists)
        in_plan = rules.in_plan(closure)
        to_deliver = rules.to_deliver(closure, status)
        due = rules.effective_due(f["due_date"], f["revised_due_date"])
        return pd.DataFrame(
            {
                "ref": f["ref"],
                "theme": f["theme"],
                "type": f["type"],
                "description": f["description"],
                "status": status,
                "closure": closure,
                "in_plan": in_plan,
                "to_deliver": to_deliver,
                "owner": rules.effective_leads(f["ref"], f["lead"]),
                "due": due,
                "overdue": rules.overdue(due, to_deliver, self.as_of),
                "new": new_this_period(self.workbook, self.previous).reindex(f.index).fillna(False).astype(bool),
            },
            index=f.index,
        )

    def validate(self):
        """The workbook's findings (:func:`ipxl.validate`)."""
        from ..checks.validation import validate

        return validate(self.workbook)

    def rollup(self):
        """The RAG counts (:func:`ipxl.rollup`)."""
        from .rollup import rollup

        return rollup(self.workbook)

    def changes(self):
        """What changed since last period (:func:`ipxl.compare`); None without one."""
        from .changes import compare

        return compare(self.previous, self.workbook) if self.previous is not None else None

    # -------------------------------------------------------------------- showing

    def _counts(self) -> tuple[int, int, int, int]:
        a = self.actions[self.actions["in_plan"]]
        done = int((a["status"] == rules.COMPLETE).sum())
        return len(a), done, int(a["to_deliver"].sum()), int(a["overdue"].sum())

    def __repr__(self) -> str:
        total, done, todo, late = self._counts()
        last = f"; last period {self.previous.settings.period}" if self.previous is not None else ""
        return (
            f"Plan({self.period or self.workbook.path.name}: {total} actions, {done} complete, "
            f"{todo} to deliver, {late} overdue{last})"
        )

    def _repr_html_(self) -> str:
        """A small table for a notebook: the counts a reader asks for first."""
        from html import escape

        total, done, todo, late = self._counts()
        rows = "".join(
            f"<tr><th scope='row'>{escape(k)}</th><td>{v}</td></tr>"
            for k, v in (("Actions not closed", total), ("Complete", done), ("To deliver", todo), ("Overdue", late))
        )
        caption = escape(f"{self.settings.plan_title or 'Improvement Plan'}, {self.period}".strip(", "))
        return f"<table><caption>{caption}</caption>{rows}</table>"
