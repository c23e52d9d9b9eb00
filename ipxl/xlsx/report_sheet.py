"""Read the Report sheet: the committee report's own words, item by item, for every
meeting the quarter's report goes to (the layout is in ``docs/monitoring-workbook.md``).

Unlike the record sheets it is a form: column A names the part of the report
(:data:`ipxl.defaults.REPORT_ITEMS`), the ``All meetings`` column holds its words for
every meeting, and each column to its right, headed with a committee's name, holds
what that meeting's report says instead. Cells keep their line breaks: a line is a
paragraph of the paper.
"""

from __future__ import annotations

import datetime as dt

from .. import defaults as D
from .cells import col_letter
from .convert import as_date, is_blank
from .model import ReportCell, ReportRow, ReportSheet

#: Report item label (as compared) -> key.
_ITEMS = {D.normalise_header(i.label): i for i in D.REPORT_ITEMS}
_ALL = {D.normalise_header(h) for h in (D.REPORT_HEADERS["all"], *D.REPORT_ALL_ALIASES)}
_ITEM = D.normalise_header(D.REPORT_HEADERS["item"])


def read_report(name: str, rows: list[tuple[int, list]], col0: int) -> ReportSheet:
    """The Report sheet from its rows (Excel row number, values from column
    ``col0 + 1``); ``header_row`` 0 when no row in the first ten holds ``Item`` and
    ``All meetings`` (the sheet is then reported, and no report can be written)."""
    header_at = None
    for i, (row_no, values) in enumerate(rows):
        if row_no > D.HEADER_SEARCH_ROWS:
            break
        norm = [D.normalise_header(v) if isinstance(v, str) else "" for v in values]
        if _ITEM in norm and any(n in _ALL for n in norm):
            header_at = i
            break
    if header_at is None:
        return ReportSheet(name, 0, [], {})
    header_no, header = rows[header_at]
    norm = [D.normalise_header(v) if isinstance(v, str) else "" for v in header]
    item_j = norm.index(_ITEM)
    all_j = next(j for j, n in enumerate(norm) if n in _ALL)
    # every headed column right of All meetings is a meeting; a name twice counts once
    meeting_cols: dict[str, int] = {}
    for j in range(all_j + 1, len(header)):
        title = " ".join(str(header[j]).split()) if not is_blank(header[j]) else ""
        if title and title.casefold() not in {m.casefold() for m in meeting_cols}:
            meeting_cols[title] = j
    letter = {j: col_letter(col0 + j + 1) for j in (all_j, *meeting_cols.values())}
    sheet = ReportSheet(
        name,
        header_no,
        list(meeting_cols),
        {},
        all_letter=letter[all_j],
        letters={m: letter[j] for m, j in meeting_cols.items()},
    )
    for row_no, values in rows[header_at + 1 :]:
        label = values[item_j] if item_j < len(values) else None
        if is_blank(label):
            continue
        item = _ITEMS.get(D.normalise_header(label)) if isinstance(label, str) else None
        if item is None:
            sheet.unknown.append((row_no, " ".join(str(label).split())))
            continue
        if item.key in sheet.rows:
            continue  # the first row of an item counts, as the first column of a header does

        def cell(j: int, own: bool) -> ReportCell:
            value = values[j] if j < len(values) else None  # noqa: B023 (used at once, in this pass)
            return ReportCell(_value(value, item.kind), f"{letter[j]}{row_no}", own)  # noqa: B023

        sheet.rows[item.key] = ReportRow(
            item.key,
            row_no,
            cell(all_j, False),
            {m: cell(j, True) for m, j in meeting_cols.items()},
        )
    return sheet


def _value(value: object, kind: str) -> object:
    """A cell's value as the report uses it: None when blank; text with each line's
    ends trimmed and blank lines dropped; a date as a date (a cell that is not a date
    keeps its value, for the finding that quotes it)."""
    if is_blank(value):
        return None
    if kind == "date":
        got = as_date(value)
        return got if got is not None else value
    if isinstance(value, dt.datetime | dt.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    lines = [" ".join(line.split()) for line in str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if line) or None
