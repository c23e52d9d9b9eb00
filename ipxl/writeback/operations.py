"""The write-back operations: read, plan, apply through a target, commit.

Each operation works on a file (a :class:`~ipxl.writeback.file_target.FileTarget`) or
on any other :class:`~ipxl.writeback.target.WorkbookTarget` (live Excel), so both doors
share one engine (:func:`highlight_target`, :func:`summary_target`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from .. import defaults as D
from ..analysis.plan import Plan
from ..findings import Report
from ..xlsx.cells import col_index
from ..xlsx.model import Workbook
from .file_target import FileTarget
from .plans import (
    HighlightPlan,
    RagTable,
    check_ours,
    date_text,
    new_rows,
    plan_highlight,
    plan_summary,
    plan_trend,
    plan_validation,
)
from .target import Done, WorkbookTarget, WritebackResult

# ================================================================ the operations


@contextmanager
def _opened(path, output, target: WorkbookTarget | None, backup: bool, now, checked=None) -> Iterator[WorkbookTarget]:
    """``target`` as given, or a :class:`FileTarget` on ``path`` closed afterwards
    (reusing ``checked``, the caller's check of the file, when given)."""
    if target is not None:
        yield target
        return
    own = FileTarget(path, output, backup=backup, now=now, checked=checked)
    try:
        yield own
    finally:
        own.close()


def _read(path, sheets=None, target: WorkbookTarget | None = None, columns=None):
    """The workbook at ``path``, read once (``sheets`` and ``columns`` as
    :func:`~ipxl.xlsx.reader.read_workbook` takes them); a file target has checked the
    package already (under its lock), and that check is reused."""
    from ..xlsx.reader import read_workbook

    return read_workbook(path, sheets, columns=columns, checked=getattr(target, "checked", None))


def _read_pair(
    path, sheets, target, columns, previous, previous_sheets=D.HIGHLIGHT_SHEETS, previous_columns=D.PREVIOUS_COLUMNS
):
    """The workbook at ``path`` and last period's (``previous``, else the one its
    Settings name, else None; see :func:`~ipxl.xlsx.sources.read_with_previous`), read
    together; last period's for the columns the write-back steps use."""
    from ..xlsx.sources import read_with_previous

    return read_with_previous(
        path,
        sheets,
        columns=columns,
        checked=getattr(target, "checked", None),
        previous=previous,
        previous_sheets=previous_sheets,
        previous_columns=previous_columns,
    )


def highlight(
    path,
    output=None,
    previous=None,
    *,
    target: WorkbookTarget | None = None,
    backup: bool = True,
    now: dt.datetime | None = None,
) -> WritebackResult:
    """Turn the rows of Actions and Milestones that are new this period red
    (``NEW_ROW_RED`` font on every cell, other formatting kept) and give rows ipxl
    turned red earlier, and no longer new, back their own font.

    Writes in place with a timestamped backup, or to ``output``. Running it twice
    changes nothing the second time (and writes nothing).
    """
    with _opened(path, output, target, backup, now) as own:
        wb, prev = _read_pair(
            path, D.HIGHLIGHT_SHEETS, own, D.HIGHLIGHT_COLUMNS, previous, D.HIGHLIGHT_SHEETS, D.HIGHLIGHT_COLUMNS
        )
        details = highlight_target(own, Plan(wb, prev))
        saved = own.commit()
    return WritebackResult(saved, details)


def highlight_target(target: WorkbookTarget, plan: Plan, fresh=None) -> Done:
    """Plan and apply the red-font changes for ``plan`` on ``target`` (a file or a live
    workbook); returns the counts painted, restored and new per sheet. Both doors
    (file and Excel) go through here. ``fresh``: :func:`new_rows`, when already found."""
    wb = plan.workbook
    if fresh is None:
        fresh = new_rows(wb, plan.previous)
    new_by_name, red_by_name, data_by_name, widths = {}, {}, {}, {}
    for key in ("actions", "milestones"):
        sheet = wb.sheets.get(key)
        if sheet is None:
            continue
        widths[sheet.name] = sheet.last_col or max((col_index(x) for x in sheet.letters.values()), default=1)
        new_by_name[sheet.name] = fresh.get(key, set())
        red_by_name[sheet.name] = target.red_rows(sheet.name, D.NEW_ROW_RED, widths[sheet.name])
        data_by_name[sheet.name] = {r for r in red_by_name[sheet.name] if r > sheet.header_row}
    changes = plan_highlight(new_by_name, red_by_name, data_by_name, D.NEW_ROW_RED, widths)
    apply_highlight(target, changes)
    return Done(
        painted={s: len(r) for s, r in changes.paint.items()},
        restored={s: len(r) for s, r in changes.restore.items()},
        new={s: len(r) for s, r in new_by_name.items()},
    )


def apply_highlight(target: WorkbookTarget, plan: HighlightPlan) -> None:
    for sheet, rows in plan.restore.items():
        target.restore_rows(sheet, rows, plan.colour)
    for sheet, rows in plan.paint.items():
        target.colour_rows(sheet, rows, plan.colour, plan.widths.get(sheet, 1))


def mark_validation(
    path,
    report: Report | None = None,
    output=None,
    *,
    target: WorkbookTarget | None = None,
    backup: bool = True,
    now: dt.datetime | None = None,
    checked=None,
    workbook: Workbook | None = None,
) -> WritebackResult:
    """Write (or replace) the Validation sheet listing ``report``'s findings with a
    link to each cell, and mark the offending cells; marks from an earlier run that
    are no longer findings disappear. ``report`` defaults to validating the file
    (``workbook``, the file as read for it, when the caller has it). A Validation
    sheet ipxl did not write is never written over (:class:`~ipxl.errors.SheetNotOurs`).
    ``checked`` is the caller's :func:`~ipxl.xlsx.package.check_file` of ``path``
    (made under the lock it still holds), which the write then reuses."""
    now = now or dt.datetime.now()
    with _opened(path, output, target, backup, now, checked) as own:
        if report is None or workbook is None:
            from ..checks.validation import validate

            workbook = _read(path, None, own)
            report = validate(workbook) if report is None else report
        check_ours(workbook, "validation")
        sheet_name = own_sheet_name(own, "validation")
        plan = plan_validation(report, own.sheet_names(), now)
        own.set_marks(plan.marks)
        own.write_sheet(sheet_name, plan.content)
        saved = own.commit()
    return WritebackResult(
        saved, Done(findings=len(report), marked=sum(len(c) for m in plan.marks.values() for c in m.values()))
    )


def own_sheet_name(target: WorkbookTarget, key: str) -> str:
    """The workbook's spelling of ipxl's own sheet ``key`` (Summary, Validation), or
    the default name when the workbook has none yet."""
    want = D.SHEET_NAMES[key]
    for n in target.sheet_names():
        if n.casefold() == want.casefold():
            return n
    return want


def rag_table(wb, rollup=None) -> RagTable:
    """RAG counts by theme for the Summary sheet, from :func:`ipxl.rollup` (its themes
    and statuses, in Lists order)."""
    from ..analysis.rollup import rollup as count

    result = rollup if rollup is not None else count(wb)
    by = result.by_theme
    statuses = tuple(c for c in by.columns if c != "total")
    counts = {str(t): {s: int(row[s]) for s in statuses} for t, row in by.iterrows()}
    colours = {s.name: s.colour for s in wb.lists.statuses}
    return RagTable(tuple(counts), statuses, counts, colours)


def change_sentences(prev, wb) -> list[str]:
    """The change-summary sentences from :func:`ipxl.compare`; none without a
    previous workbook."""
    if prev is None:
        return []
    from ..analysis.changes import compare

    return list(compare(prev, wb).summary)


def refresh_summary(
    path,
    output=None,
    previous=None,
    *,
    table: RagTable | None = None,
    sentences: Iterable[str] | None = None,
    target: WorkbookTarget | None = None,
    backup: bool = True,
    now: dt.datetime | None = None,
) -> WritebackResult:
    """Write (or rewrite) the Summary sheet: reporting period, refresh time, RAG counts
    by theme with totals and a native bar chart, and the change summary sentences.

    ``table`` and ``sentences`` default to the roll-up and comparison of the workbook
    (with ``previous``, or Settings' Previous workbook)."""
    now = now or dt.datetime.now()
    with _opened(path, output, target, backup, now) as own:
        if sentences is None:
            wb, prev = _read_pair(path, D.SUMMARY_SHEETS, own, None, previous)
        else:
            wb, prev = _read(path, D.SUMMARY_SHEETS, own), None
        details = summary_target(own, Plan(wb, prev), now, table=table, sentences=sentences, record=False)
        saved = own.commit()
    return WritebackResult(saved, details)


def refresh(
    path,
    output=None,
    previous=None,
    *,
    highlight: bool = True,
    target: WorkbookTarget | None = None,
    backup: bool = True,
    now: dt.datetime | None = None,
) -> WritebackResult:
    """The Refresh button: rewrite the Summary sheet (see :func:`refresh_summary`)
    and, unless ``highlight`` is False, turn this period's new rows red (see
    :func:`highlight`), reading the workbook once and writing it once, with one
    backup, in one locked turn."""
    now = now or dt.datetime.now()
    with _opened(path, output, target, backup, now) as own:
        wb, prev = _read_pair(
            path, D.REFRESH_SHEETS if highlight else D.SUMMARY_SHEETS, own, D.REFRESH_COLUMNS, previous
        )
        details = refresh_target(own, Plan(wb, prev), now, highlight=highlight)
        saved = own.commit()
    return WritebackResult(saved, details)


def refresh_target(
    target: WorkbookTarget, plan: Plan, now: dt.datetime, *, highlight: bool = True, missing_note: str | None = None
) -> Done:
    """The Refresh button's steps on ``target``, in the one order every door takes
    (the file, Excel through xlwings, xlwings Lite): this period's new rows red and
    last period's back to their font, then the Summary sheet (which records the rows
    turned red, for a door that cannot read fonts), then the Trend sheet. Returns what
    each step did."""
    # before any step: a sheet of an officer's under one of these names stops the
    # whole Refresh, not half of it in a live workbook
    check_ours(plan.workbook, "summary")
    check_ours(plan.workbook, "trend")
    done = Done()
    fresh = new_rows(plan.workbook, plan.previous) if highlight else None
    if highlight:
        # red first: a door that cannot read fonts finds last period's red rows in the
        # record the Summary about to be rewritten holds
        done |= highlight_target(target, plan, fresh)
    done |= summary_target(target, plan, now, fresh=fresh, record=highlight, missing_note=missing_note)
    return done | trend_target(target, plan, now)


def summary_target(
    target: WorkbookTarget,
    plan: Plan,
    now: dt.datetime,
    *,
    table: RagTable | None = None,
    sentences: Iterable[str] | None = None,
    fresh: Mapping[str, Iterable[int]] | None = None,
    record: bool = True,
    missing_note: str | None = None,
) -> Done:
    """Plan and write the Summary sheet of ``plan`` on ``target`` (a file or a live
    workbook). ``sentences`` default to comparing with last period's; the record of the
    rows Refresh turns red is ``fresh`` (:func:`new_rows`, found when not given), kept
    only when ``record`` (the run turns them red).
    ``missing_note`` is what the Summary says when no previous workbook was read, where
    the door knows better than "not found" (xlwings Lite cannot open files)."""
    wb, previous = plan.workbook, plan.previous
    note = None
    if table is None:
        table = rag_table(wb)
    if sentences is None:
        sentences = change_sentences(previous, wb)
        named = wb.settings.previous_workbook
        if previous is None and missing_note is not None:
            note = missing_note
        elif previous is None and named is not None:
            note = (
                f"The previous workbook named in Settings ({Path(named).name}) was not found, "
                "so no changes are summarised."
            )
        elif previous is None:
            note = "No previous workbook given, so no changes are summarised."
    sentences = list(sentences)
    s = wb.settings
    period = s.period or " to ".join(x for x in (date_text(s.period_start), date_text(s.period_end)) if x)
    title = f"{s.plan_title} summary" if s.plan_title else "Summary"
    if s.council:
        title = f"{s.council}: {title}"
    red = None
    if record:
        if fresh is None:
            fresh = new_rows(wb, previous)
        sheets = {k: wb.sheets.get(k) for k in ("actions", "milestones")}
        red = {sheet.name: set(fresh.get(k, ())) for k, sheet in sheets.items() if sheet is not None}
    content = plan_summary(table, sentences, period=period, now=now, title=title, changes_note=note, red=red)
    check_ours(wb, "summary")
    target.write_sheet(own_sheet_name(target, "summary"), content)
    return Done(themes=len(table.themes), sentences=len(sentences))


def trend_target(target: WorkbookTarget, plan: Plan, now: dt.datetime) -> Done:
    """Plan and write the Trend sheet of ``plan`` on ``target``: the RAG counts of every
    period found back along the Previous workbook chain (this period's and last
    period's workbooks are not read again). With no earlier period nothing is written
    and ``trend periods`` is 0, which the command says."""
    from ..analysis.history import load_series, period_counts

    wb, previous = plan.workbook, plan.previous

    series = load_series(
        [wb, *([previous] if previous is not None else [])], sheets=D.TREND_SHEETS, columns=D.TREND_COLUMNS
    )
    if len(series.workbooks) < 2:
        return Done(trend_periods=0)
    periods = period_counts(series)
    latest = series.workbooks[-1]
    statuses = tuple(s for s in periods[-1]["counts"]["All"] if s != "total")
    colours = {s.name: s.colour for s in latest.lists.statuses}
    s = wb.settings
    title = f"{s.plan_title} trend" if s.plan_title else "Trend"
    if s.council:
        title = f"{s.council}: {title}"
    check_ours(wb, "trend")
    target.write_sheet(own_sheet_name(target, "trend"), plan_trend(periods, statuses, colours, now=now, title=title))
    return Done(trend_periods=len(periods))
