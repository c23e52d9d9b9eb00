"""The plan's rules, written once.

What a status or closure a cell holds means, which actions are still in the plan,
which are still to deliver, who owns an action (a sub-action with no Director / Lead
is its parent's), when it is due, when it is overdue, what a list value must be, and
when an exception reason is needed. Validation, the roll-up, the pack, the update
round (returns, merge, chase) and the Excel doors all ask here; none spells a rule out
again.

Every function takes columns of the Actions frame (indexed by Excel row) and gives a
column back, so a rule over 100,000 actions is one pass.

>>> import pandas as pd
>>> f = pd.DataFrame({"ref": ["CO.G1.5", "CO.G1.5.1"], "lead": ["Director of Finance", None]})
>>> effective_leads(f["ref"], f["lead"]).tolist()
['Director of Finance', 'Director of Finance']
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import defaults as D
from ..xlsx.model import Lists
from . import vocab

#: The status that ends an action.
COMPLETE = "Complete"
OPEN = "Open"


def statuses(status: pd.Series, lists: Lists) -> pd.Series:
    """Each Status as meant: its Lists spelling, a near-miss (``on track``) read as
    the status it means; a value that means none kept as typed."""
    return vocab.canonical_values(status, lists.status_names, D.STATUS_ALIASES, keep=True)


def closures(closure: pd.Series, lists: Lists) -> pd.Series:
    """Each Closure as meant; blank is ``Open``."""
    return vocab.canonical_values(closure, lists.closures, keep=True, blank=OPEN)


def in_plan(closure: pd.Series) -> pd.Series:
    """Actions still in the plan: Closure not Closed nor Moved to business as usual
    (:data:`ipxl.defaults.CLOSED_STATES`). They are what the roll-up counts, Complete
    ones included; the papers call them "actions not closed"."""
    return ~closure.isin(list(D.CLOSED_STATES))


def is_closed(state: object) -> bool:
    """Whether one Closure (as meant) takes its action out of the plan."""
    return state in D.CLOSED_STATES


def to_deliver(closure: pd.Series, status: pd.Series) -> pd.Series:
    """Actions still to deliver: in the plan and not Complete ("actions not
    complete"): what a lead's return holds and the chase list chases."""
    return in_plan(closure) & (status != COMPLETE)


def effective_leads(ref: pd.Series, lead: pd.Series) -> pd.Series:
    """Who owns each action: its own Director / Lead (or Delivery lead, whichever
    column ``lead`` is), else its nearest ancestor's that has one (a sub-action
    ``CO.G1.5.2`` belongs to ``CO.G1.5``'s lead); None when no ancestor names one."""
    own = pd.Series(
        [v if isinstance(v, str) and v.strip() else None for v in lead],
        index=lead.index,
        dtype=object,
    )
    if own.notna().all():
        return own
    by_ref = {vocab.norm_ref(r): v for r, v in zip(ref, own) if isinstance(r, str) and isinstance(v, str)}
    out = own.copy()
    for i in own.index[own.isna()]:
        r = ref.at[i]
        if not isinstance(r, str):
            continue
        parent = vocab.norm_ref(r)
        while "." in parent:
            parent = parent.rsplit(".", 1)[0]
            if parent in by_ref:
                out.at[i] = by_ref[parent]
                break
    return out


def effective_due(due_date: pd.Series, revised_due_date: pd.Series) -> pd.Series:
    """When each action is due now: its Revised due date when set, else its Due date
    (a keyword such as Ongoing is no date: NaT)."""
    return revised_due_date.where(revised_due_date.notna(), due_date)


def overdue(due: pd.Series, to_be_delivered: pd.Series, as_of) -> pd.Series:
    """Actions past their effective due date at ``as_of`` (the period's end) and still
    to deliver."""
    return to_be_delivered & due.notna() & (due < pd.Timestamp(as_of))


def exception_reason(status: str | None) -> str | None:
    """How much a blank Exception reason matters at ``status``: ``error`` (Red: the
    reason is required), ``warning`` (Amber: it should be given), or None
    (:data:`ipxl.defaults.EXCEPTION_REASONS`). Validation, the merge of returns and
    the returns' instructions all say this."""
    return D.EXCEPTION_REASONS.get(status or "")


def exception_reason_words() -> str:
    """The rule in the words the returns' instructions use: ``Red actions need an
    exception reason; Amber actions should have one.``"""
    need = [s for s, level in D.EXCEPTION_REASONS.items() if level == "error"]
    should = [s for s, level in D.EXCEPTION_REASONS.items() if level == "warning"]
    words = f"{' and '.join(need)} actions need an exception reason" if need else ""
    if should:
        words += ("; " if words else "") + f"{' and '.join(should)} actions should have one"
    return words[:1].upper() + words[1:] + "."


@dataclass(frozen=True)
class ListValue:
    """What a cell of a list column holds, judged against the list: ``meant`` is the
    listed value it most likely means (None: no good guess); ``ok`` whether it is
    that value but for case and spacing (read as meant, at most a spelling warning)."""

    meant: str | None
    ok: bool

    def message(self, header: str, shown: str, label: str, allowed: tuple[str, ...]) -> tuple[str, str]:
        """The finding's message and suggestion for a value that is not ``ok``:
        ``Status 'On track' is not a status in Lists; did you mean 'Green'?``."""
        listed = ", ".join(allowed[:10]) + (", ..." if len(allowed) > 10 else "")
        hint = f"; did you mean {self.meant!r}?" if self.meant else f"; use one of: {listed}."
        return f"{header} {shown!r} is not a {label} in Lists{hint}", self.meant or f"One of: {listed}"


def list_value(value: object, allowed: tuple[str, ...], aliases: dict[str, str] | None = None) -> ListValue:
    """``value`` judged against ``allowed`` (see :class:`ListValue`).

    >>> list_value(" green", ("Green", "Amber"), D.STATUS_ALIASES)
    ListValue(meant='Green', ok=True)
    >>> list_value("On track", ("Green", "Amber"), D.STATUS_ALIASES)
    ListValue(meant='Green', ok=False)
    """
    meant = vocab.canonical(value, allowed, aliases)
    return ListValue(meant, meant is not None and vocab.squeeze(value) == vocab.squeeze(meant))


def supplied_file_problem(path) -> str:
    """Why the supplied appendix file at ``path`` is not what its name says (a file of
    another kind renamed, or damaged), in words that follow its name; "" when it is,
    or when its type is not one a pack takes (that is said elsewhere).

    >>> from pathlib import Path
    >>> supplied_file_problem(Path("missing.png"))
    'cannot be opened'
    """
    import zipfile

    kind = D.SUPPLIED_KINDS.get(path.suffix.lower())
    if kind is None:
        return ""
    said, starts = kind
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
        ok = head.startswith(starts)
        if ok and path.suffix.lower() == ".docx":
            with zipfile.ZipFile(path) as zf:
                ok = "word/document.xml" in zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return "cannot be opened"
    return "" if ok else f"is not {said} inside (another kind of file renamed, or a damaged one)"
