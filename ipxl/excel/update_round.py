"""The update round's buttons: **Make returns** and **Merge returns**, on the workbook
open in Excel.

Make returns writes a return per Director / Lead from the workbook as it is in Excel
into ``<name> returns <period>`` beside it. Merge returns reads the returns saved back
in that folder and puts each checked change into the open workbook through Excel
(:class:`~ipxl.excel.desktop.XlwingsTarget`), with the same rules as ``ipxl returns
merge``; nothing is saved, so the officer looks, then saves (or closes without saving).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .desktop import _alert, _book_path, _entry, _target, read_book


def returns_folder(workbook: Path, period: str) -> Path:
    """``<folder>/<stem> returns <period>``, characters Windows forbids made ``-``."""
    label = re.sub(r'[<>:"/\\|?*]+', "-", (period or "").strip()).strip(" .")
    return workbook.parent / (f"{workbook.stem} returns" + (f" {label}" if label else ""))


#: What the officer does with the returns made, as the desktop buttons say it.
SEND_RETURNS = "send each lead theirs. When they come back, save them in that folder and click Merge returns."


@_entry
def make_returns(
    book=None, *, out_dir: str | Path | None = None, deadline: dt.date | None = None, then: str = SEND_RETURNS
):
    """Write the returns of the open workbook (unsaved edits included) into the
    returns folder beside it; an existing set of returns is never overwritten.
    ``then`` says what to do with them (xlwings Lite says it its own way)."""
    from ..returns.make import make_returns as make

    wb = read_book(book)
    folder = Path(out_dir) if out_dir is not None else returns_folder(_book_path(book), wb.settings.period)
    made = make(wb, folder, deadline=deadline)
    message = f"{len(made.returns)} returns are in {folder}: {then}"
    if made.unassigned:
        message += f" {len(made.unassigned)} open actions have no Director / Lead, so no return holds them."
    _alert(book, message)
    return made


@_entry
def merge_returns(
    book=None,
    *,
    returns_dir: str | Path | None = None,
    today: dt.date | None = None,
    files: list[Path] | None = None,
    none_found: str | None = None,
):
    """Merge the returns in the returns folder (or ``files``) into the open workbook
    through Excel; ``none_found`` is what to say when there are none."""
    from ..returns.merge import audit_entries, missing_leads, plan_merge, read_return, return_files
    from ..writeback.audit import record_changes

    wb = read_book(book)
    folder = Path(returns_dir) if returns_dir is not None else returns_folder(_book_path(book), wb.settings.period)
    if files is None:
        files = return_files([folder]) if folder.is_dir() else []
    if not files:
        _alert(
            book,
            none_found or f"There are no returns in {folder}; click Make returns first, or save the returns there.",
        )
        return None
    parsed = [read_return(p) for p in files]
    results, cells, log = plan_merge(wb, parsed, today or dt.date.today())
    target = _target(book, wb)
    actions, changes = wb.sheets.get("actions"), wb.sheets.get("changes")
    if actions is not None and cells:
        target.set_values(actions.name, cells)
    if changes is not None and log:
        target.append_rows(changes.name, log)
    if actions is not None and cells:
        # who changed what, in the workbook itself (as the file door keeps it)
        record_changes(target, wb, audit_entries(wb, results, dt.datetime.now()))
    applied = sum(len(r.applied) for r in results)
    parts = [f"{applied} changes from {len(results)} returns are in the workbook (not yet saved)"]
    for word, n in (
        ("conflicts (the workbook's value kept)", sum(len(r.conflicts) for r in results)),
        ("rejected values", sum(len(r.rejected) for r in results)),
        ("rows that are not the lead's", sum(len(r.foreign) for r in results)),
    ):
        if n:
            parts.append(f"{n} {word}")
    message = "; ".join(parts) + "."
    for r in results:
        for x in r.rejected[:3]:
            message += f" {Path(r.file).name} cell {x['cell']}: {x['message']}."
        for c in r.conflicts[:3]:
            message += (
                f" {c['ref']} {c['column'].replace('_', ' ')}: kept {c['master']!r}, the return says {c['return']!r}."
            )
    missing = missing_leads(files, parsed)
    if missing:
        message += f" No return yet from {', '.join(missing)}."
    if log:
        message += f" {len(log)} timescale changes were added to Changes; record who approved them."
    _alert(book, message)
    return results
