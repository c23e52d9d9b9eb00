"""``ipxl chase``: per lead, what needs their attention, and whether their return is in.

For each Director / Lead with open actions (Closure not closed, Status not Complete):

* **overdue**: the effective due date (Revised due date when set, else Due date) before
  the reporting date (Settings' Period end, or ``as_of``);
* **due soon**: due on it or after it, within ``days`` (45, as Pentana reminds);
* **unchanged**: the Progress update the same as in the previous period's workbook
  (when one is known: Settings' Previous workbook, or ``previous``), runs of spaces
  aside;
* **return**: with ``returns`` (the folder of returns), ``in`` when a return for the
  lead has come back (saved since it was made, or any of its cells changed), ``out``
  when one was made and has not, ``none`` when none was made; None without a folder.

With ``eml``, one draft email per lead with something to chase, as a standard ``.eml``
file (Outlook opens it as a draft; nothing is sent), addressed from the optional Lead
and Email columns of Lists.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import defaults as D
from ..checks import rules
from ..checks.vocab import norm_ref
from ..dates import uk
from ..xlsx.model import Source
from .make import snapshot_text


@dataclass
class LeadChase:
    lead: str
    email: str | None
    open: int
    #: {"ref", "due"}: the action and its effective due date (a date)
    overdue: list[dict] = field(default_factory=list)
    due_soon: list[dict] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: in | out | none; None when no returns folder was given
    return_status: str | None = None

    def to_dict(self) -> dict:
        def iso(items: list[dict]) -> list[dict]:
            return [{"ref": x["ref"], "due": x["due"].isoformat()} for x in items]

        return {
            "lead": self.lead,
            "email": self.email,
            "open": self.open,
            "overdue": iso(self.overdue),
            "due_soon": iso(self.due_soon),
            "unchanged": self.unchanged,
            "return": self.return_status,
        }


@dataclass
class Chase:
    as_of: dt.date
    days: int
    leads: list[LeadChase]
    previous: str | None
    #: the plan's title (Settings), for the emails' subject
    title: str = "Improvement Plan"
    emails: list[Path] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "days": self.days,
            "previous": self.previous,
            "leads": [x.to_dict() for x in self.leads],
        }


def _words(text) -> str:
    # runs of spaces are not an update (as the history compares them)
    return " ".join(snapshot_text(text).split())


def chase(
    plan: Source,
    *,
    returns: str | Path | None = None,
    days: int = D.CHASE_DAYS,
    previous: Source | None = None,
    as_of: dt.date | None = None,
) -> Chase:
    """The chase list of ``plan`` (see the module docstring)."""
    from ..xlsx.sources import as_pair

    wb, prev = as_pair(plan, previous, ("actions",))
    as_of = as_of or wb.settings.period_end or dt.date.today()
    f = wb.frame("actions")
    lists = wb.lists
    closure, status = rules.closures(f["closure"], lists), rules.statuses(f["status"], lists)
    # whose they are as the returns give them: a sub-action with no lead is its parent's
    f = f.assign(lead=rules.effective_leads(f["ref"], f["lead"]))
    live = rules.to_deliver(closure, status) & f["ref"].notna() & f["lead"].notna()
    due = rules.effective_due(f["due_date"], f["revised_due_date"])
    before: dict[str, str] = {}
    if prev is not None:
        pf = prev.frame("actions")
        before = {
            norm_ref(r): _words(u) for r, u in zip(pf["ref"], pf["progress_update"], strict=True) if isinstance(r, str)
        }
    state = _returns_in(Path(returns)) if returns is not None else None
    start, soon = pd.Timestamp(as_of), pd.Timestamp(as_of + dt.timedelta(days=days))
    out = []
    for lead, group in f[live].groupby("lead", sort=False):
        name = str(lead).strip()
        d = due[group.index]
        late = group[d < start]
        coming = group[(d >= start) & (d <= soon)]
        same = [
            str(r)
            for r, u in zip(group["ref"], group["progress_update"], strict=True)
            if norm_ref(r) in before and before[norm_ref(r)] == _words(u)
        ]
        out.append(
            LeadChase(
                lead=name,
                email=lists.emails.get(name),
                open=len(group),
                overdue=[{"ref": str(r), "due": due[i].date()} for i, r in zip(late.index, late["ref"], strict=True)],
                due_soon=[{"ref": str(r), "due": due[i].date()} for i, r in zip(coming.index, coming["ref"], strict=True)],
                unchanged=same,
                return_status=None if state is None else state.get(name, "none"),
            )
        )  # fmt: skip
    out.sort(key=lambda x: (-(len(x.overdue) + len(x.unchanged)), x.lead.casefold()))
    title = wb.settings.plan_title or "Improvement Plan"
    return Chase(as_of, days, out, str(prev.path) if prev is not None else None, title)


def _returns_in(folder: Path) -> dict[str, str]:
    """lead -> ``in`` or ``out`` for the ipxl returns in ``folder``."""
    import zipfile

    from ..errors import WorkbookUnusable
    from ..xlsx.safe_write import workbook_files
    from .merge import read_return

    state: dict[str, str] = {}
    if not folder.is_dir():
        return state
    for path in workbook_files(folder):
        try:
            ret = read_return(path)
        except WorkbookUnusable:
            continue  # not a return: not this list's business
        lead = ret.meta.get("lead", "")
        edited = any(
            snapshot_text(value) != ret.snapshot.get(norm_ref(ref), {}).get(col, "")
            for ref, _, cells in ret.rows
            for col, (value, _) in cells.items()
            if col in D.RETURN_EDITS
        )
        saved = False
        try:
            with zipfile.ZipFile(path) as zf:
                core = zf.read("docProps/core.xml").decode("utf-8", "replace")
            m = re.search(r"<dcterms:modified[^>]*>([^<]+)</dcterms:modified>", core)
            made = dt.datetime.fromisoformat(ret.meta.get("made", ""))
            if m:
                when = dt.datetime.fromisoformat(m.group(1).replace("Z", "+00:00")).replace(tzinfo=None)
                saved = when > made + dt.timedelta(minutes=5)
        except (KeyError, ValueError, zipfile.BadZipFile):
            saved = False
        # a lead with two returns here has theirs in when either came back
        state[lead] = "in" if edited or saved or state.get(lead) == "in" else "out"
    return state


def write_emails(result: Chase, deadline: dt.date | None, folder: str | Path) -> list[Path]:
    """One draft .eml per lead with something to chase, into ``folder``."""
    from email.message import EmailMessage
    from email.policy import SMTP

    from ..pack.model import safe_name
    from ..xlsx.safe_write import write_bytes

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    title = result.title
    written = []
    for lead in result.leads:
        if not (lead.overdue or lead.due_soon or lead.unchanged or lead.return_status == "out"):
            continue
        msg = EmailMessage(policy=SMTP)
        # a header is one line: a title typed over two lines (Alt+Enter) is joined,
        # and addresses typed one a line, or with ; or , between them, are listed
        subject = f"{title}: your update" + (f" by {uk(deadline)}" if deadline else "")
        msg["Subject"] = " ".join(subject.split())
        addresses = [a for a in re.split(r"[\s;,]+", lead.email or "") if a]
        if addresses:
            msg["To"] = ", ".join(addresses)
        msg["X-Unsent"] = "1"  # Outlook opens it as a draft to send
        lines = [f"Dear {lead.lead},", "", f"For the {title} update round, please look at:"]
        if lead.overdue:
            lines += ["", "Overdue:"] + [f"  {x['ref']} (due {uk(x['due'])})" for x in lead.overdue]
        if lead.due_soon:
            lines += ["", f"Due in the next {result.days} days:"]
            lines += [f"  {x['ref']} (due {uk(x['due'])})" for x in lead.due_soon]
        if lead.unchanged:
            lines += ["", "Progress update unchanged since the last period:"] + [f"  {r}" for r in lead.unchanged]
        if lead.return_status == "out":
            lines += ["", "Your return has not come back yet."]
        if deadline:
            lines += ["", f"Please send your return by {deadline:%A %d %B %Y}."]
        lines += ["", "Thank you,", "The Improvement Plan programme office"]
        msg.set_content("\n".join(lines))
        target = folder / f"{safe_name(f'Chase - {lead.lead}')}.eml"
        written.append(write_bytes(target, bytes(msg)))
    result.emails = written
    return written
