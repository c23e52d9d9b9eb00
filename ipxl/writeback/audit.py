"""The audit trail: every value ipxl changes in the officers' workbook, kept in it.

Each change ipxl applies to a cell (a value merged from a lead's return, and any fix
ipxl makes in future) is one row of the **Audit trail** sheet, oldest first: when,
which sheet, Ref, cell and column, from what, to what, who it came from and how.
The sheet is ipxl's own, protected without a password against slips and written
whole each time (the rows already there are kept as they are); the workbook goes
from month to month with it, so ``ipxl history --cells`` and ``ipxl audit REF`` can
say who changed a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .. import defaults as D
from ..xlsx.model import AuditEntry, Workbook
from .plans import SheetContent, check_ours
from .target import WorkbookTarget

#: The title and note above the Audit trail's table.
AUDIT_TITLE = "Audit trail: every value ipxl changed in this workbook"
AUDIT_NOTE = (
    "Oldest first. Who is the Director / Lead whose return the value came from; How is what ipxl did. "
    "Written by ipxl (protected against slips): do not edit."
)


def when_text(now: dt.datetime) -> str:
    """When a change was made, as the Audit trail says it: ``2023-10-20 14:05``
    (sorts as text, and reads the same in every locale)."""
    return f"{now:%Y-%m-%d %H:%M}"


def plan_audit(entries: Iterable[AuditEntry]) -> SheetContent:
    """The Audit trail sheet holding ``entries``, oldest first.

    >>> e = AuditEntry("2023-10-20 14:05", "Actions", "CO.G1.5", "K4", "Status", "Green", "Amber",
    ...                "Director of Finance", "merged from Return - Director of Finance.xlsx")
    >>> plan_audit([e]).rows[3]
    ['When', 'Sheet', 'Ref', 'Cell', 'Column', 'From', 'To', 'Who', 'How']
    """
    rows: list[list[object]] = [[AUDIT_TITLE], [AUDIT_NOTE], [], list(D.AUDIT_HEADERS)]
    rows += [
        [e.when, e.sheet, e.ref, e.cell, e.column, e.before or None, e.after or None, e.who, e.how] for e in entries
    ]
    return SheetContent(
        rows,
        roles={0: "title", 3: "header"},
        widths=(17, 12, 12, 8, 18, 40, 40, 26, 44),
        wrap_cols=frozenset({5, 6}),
        freeze_row=4,
        text=True,
    )


def record_changes(target: WorkbookTarget, wb: Workbook, entries: list[AuditEntry]) -> int:
    """Add ``entries`` to the workbook's Audit trail on ``target`` (after the rows
    ``wb`` holds already); returns how many were added. Nothing is written for none."""
    from .operations import own_sheet_name

    if not entries:
        return 0
    check_ours(wb, "audit")
    target.write_sheet(own_sheet_name(target, "audit"), plan_audit([*wb.audit, *entries]))
    return len(entries)
