"""The **Sign off** button: record, in the workbook open in Excel, that Leadership
Team approved it today (who signs off is Settings' Sign-off by).

The same step as ``ipxl sign-off`` (:func:`ipxl.writeback.signoff.signoff_target`)
through Excel: the Sign-off sheet gains a row and the hidden record of the values
signed is rewritten; nothing is saved, so the officer saves (or closes without
saving). A workbook with errors is not signed off: they go on the Validation sheet.
"""

from __future__ import annotations

import datetime as dt

from .desktop import _alert, _entry, _target, _validate, read_book


@_entry
def sign_off(book=None, *, by: str | None = None, on: dt.date | None = None, now: dt.datetime | None = None):
    """Sign off the workbook open in Excel: ``by`` (default: Settings' Sign-off by)
    on ``on`` (default: today). Returns what was recorded (None when it was not; the
    officer was told why)."""
    from ..checks.signoff import day_text
    from ..errors import WorkbookHasErrors
    from ..writeback.signoff import signoff_target

    now = now or dt.datetime.now()
    wb = read_book(book)
    try:
        signed = signoff_target(_target(book, wb), wb, by, on, now)
    except WorkbookHasErrors as exc:
        _validate(book, wb=wb)
        n = exc.report.counts["error"] if exc.report is not None else 0
        _alert(
            book,
            f"The workbook has {n} error{'s' if n != 1 else ''}, so its sign-off was not recorded: what is approved "
            "is what committee will read. They are listed on the Validation sheet, each with a link to its cell and "
            "its fix; correct them and click Sign off again.",
        )
        return None
    what = f"{signed.period or 'the plan'} by {signed.by} on {day_text(signed.on)}"
    if signed.already:
        _alert(book, f"The sign-off of {what} is recorded already, and nothing has changed since.")
    else:
        _alert(
            book,
            f"The sign-off of {what} is on the Sign-off sheet (not yet saved: save the workbook to keep it). From "
            "now on Validate lists each value changed since, and the papers say DRAFT until it is approved again.",
        )
    return signed
