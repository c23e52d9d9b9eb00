"""ipxl's own records in a workbook, read back: the sign-off (the Sign-off sheet and
the very hidden sheet of the values signed) and the audit trail of every value ipxl
changed.

Both are kept as text in ordinary cells, as the returns keep their snapshot, because
that is what survives a workbook being saved by Excel, LibreOffice or openpyxl
(custom XML parts and defined names do not all survive). Values are compared in one
canonical spelling (:func:`canonical`), so a save that stores 31/03/2024 as a serial
number, 1 as 1.0, or a text cell as a shared string moves nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from .. import defaults as D
from .model import AuditEntry, SignedTable, SignOff, SignOffEntry
from .xml import xml_text

#: The version of the hidden record's layout; another is not read.
SIGNED_VERSION = "1"
#: Its first cell, which says what the sheet is.
SIGNED_TITLE = "ipxl sign-off"
#: Row ids: a keyed row is ``k:<key>``, any other ``#<n>``, its place among the records.
KEYED, PLACED = "k:", "#"
_EPOCH = dt.datetime(1899, 12, 30)
_LAST_SERIAL = 2958465  # 31/12/9999
_DATE_KINDS = ("date", "date_or_keyword")


def canonical(v: object, kind: str = "text") -> str:
    """A cell's value in the one spelling ipxl compares: text stripped with its line
    ends as ``\\n``, whole numbers without ``.0`` and others to 15 significant
    digits, dates as ISO (``2024-03-31``; with a time, ``2024-03-31T09:30:00``), TRUE
    and FALSE, blanks ``""``. In a date column (``kind``) a number is the date Excel
    would show for it, so a date stored as its serial number reads the same.

    >>> canonical(" Green "), canonical(1.0), canonical(45382.0, "date"), canonical(dt.date(2024, 3, 31))
    ('Green', '1', '2024-03-31', '2024-03-31')
    """
    if v is None:
        return ""
    if isinstance(v, str):
        return xml_text(v).replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, dt.datetime):  # pandas' Timestamps too
        if v != v:  # NaT
            return ""
        return _moment(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, (int, float)) or type(v).__module__ == "numpy":
        try:
            x = float(v)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return canonical(str(v))
        if math.isnan(x):
            return ""
        if kind in _DATE_KINDS and 0 < x <= _LAST_SERIAL:
            return _moment(_EPOCH + dt.timedelta(days=x))
        if x.is_integer() and abs(x) < 1e15:
            return str(int(x))
        return format(x, ".15g")
    return canonical(str(v))


def _moment(v: dt.datetime) -> str:
    """A date and time to the second (a serial's float noise is not a time)."""
    seconds = round(v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6)
    day = dt.datetime(v.year, v.month, v.day) + dt.timedelta(seconds=seconds)
    return day.date().isoformat() if day.time() == dt.time() else day.isoformat()


# ------------------------------------------------------------------ the sign-off

#: What :func:`read_signoff` gives for a sheet called Sign-off that ipxl did not write.
NOT_OURS = SignOff("", [])


def _text(row: Sequence, j: int) -> str:
    return canonical(row[j]) if j < len(row) else ""


def _signed(v: object) -> str:
    """A value of the hidden record as read back: written canonical, as text, so text
    is taken as it is (the quick way, for a record of every value of the plan); a
    value some program made a number or a date is spelt canonically again."""
    return v if isinstance(v, str) else canonical(v)


def _header_at(rows: list[tuple[int, list]], first: str) -> int | None:
    """The index in ``rows`` of the header row whose first cell is ``first`` (among
    the first ten rows, below ipxl's title)."""
    for i, (n, row) in enumerate(rows):
        if n > D.HEADER_SEARCH_ROWS:
            return None
        if row and D.normalise_header(_text(row, 0)) == D.normalise_header(first):
            return i
    return None


def read_signoff(sheet, signed) -> SignOff | None:
    """The Sign-off sheet (``sheet``, a grid: its name, its rows as (Excel row,
    values), its first column) and the hidden record of the latest sign-off's values
    (``signed``, a grid or None); None when the workbook has no Sign-off sheet, and
    :data:`NOT_OURS` when its sheet of that name is not one ipxl wrote."""
    from .convert import as_date

    if sheet is None:
        return None
    name, rows, _col0 = sheet
    entries: list[SignOffEntry] = []
    at = _header_at(rows, D.SIGNOFF_HEADERS[0])
    if at is None:
        return NOT_OURS
    pos = {D.normalise_header(_text(rows[at][1], j)): j for j in range(len(rows[at][1]))}
    col = [pos.get(D.normalise_header(h)) for h in D.SIGNOFF_HEADERS]
    for n, row in rows[at + 1 :]:
        got = [_text(row, j) if j is not None else "" for j in col]
        if not any(got):
            continue
        on = row[col[2]] if col[2] is not None and col[2] < len(row) else None
        count = got[4].replace(",", "")
        entries.append(
            SignOffEntry(
                period=got[0],
                by=got[1],
                on=as_date(on) if on not in (None, "") else None,
                recorded=got[3],
                values=int(count) if count.isascii() and count.isdigit() else None,
                fingerprint=got[5],
                row=n,
            )
        )
    record = SignOff(name, entries)
    if signed is None:
        record.problem = f"the hidden sheet {D.SHEET_NAMES['signed']} that keeps the values signed is missing"
        return record
    _read_signed(record, signed[1])
    return record


def _read_signed(record: SignOff, rows: list[tuple[int, list]]) -> None:
    """Fill ``record.signed`` from the hidden record's rows, or say why it cannot be."""
    head = [r for _, r in rows[:2]]
    if (
        len(head) < 2
        or _text(head[0], 0) != SIGNED_TITLE
        or _text(head[0], 1) != SIGNED_VERSION
        or _text(head[1], 0) != "fingerprint"
    ):
        record.problem = f"the hidden sheet {D.SHEET_NAMES['signed']} is not a record this version of ipxl wrote"
        return
    record.signed_fingerprint = _text(head[1], 1)
    tables: dict[str, SignedTable] = {}
    table: SignedTable | None = None
    for _n, row in rows[2:]:
        first = _text(row, 0)
        if not first:
            continue
        if first == "sheet":
            table = SignedTable(_text(row, 1), _text(row, 2), [], [])
            tables[table.key] = table
        elif table is None:
            continue  # the period, who and when above the first sheet
        elif first == "columns":
            table.columns = [_text(row, j) for j in range(2, len(row))]
        elif first == "headers":
            table.headers = [_text(row, j) for j in range(2, len(row))]
        elif first.startswith((KEYED, PLACED)):
            excel_row = _text(row, 1)
            values = [_signed(v) for v in row[2 : 2 + len(table.columns)]]
            values += [""] * (len(table.columns) - len(values))
            table.rows[first] = (int(excel_row) if excel_row.isascii() and excel_row.isdigit() else 0, values)
    record.signed = tables


# ------------------------------------------------------------------ the audit trail


def read_audit(sheet) -> list[AuditEntry] | None:
    """The Audit trail sheet's rows (``sheet``, a grid or None), oldest first; None
    when the workbook's sheet of that name is not one ipxl wrote."""
    if sheet is None:
        return []
    _name, rows, _col0 = sheet
    at = _header_at(rows, D.AUDIT_HEADERS[0])
    if at is None:
        return None
    pos = {D.normalise_header(_text(rows[at][1], j)): j for j in range(len(rows[at][1]))}
    col = [pos.get(D.normalise_header(h)) for h in D.AUDIT_HEADERS]
    out = []
    for _n, row in rows[at + 1 :]:
        got = [_text(row, j) if j is not None else "" for j in col]
        if any(got):
            out.append(AuditEntry(*got))
    return out


def signed_rows(tables: dict[str, SignedTable], fingerprint: str, entry: SignOffEntry) -> list[list[object]]:
    """The hidden record's rows (the layout :func:`read_signoff` reads): its title and
    version, the fingerprint, what was signed, then each record sheet's column ids,
    headers and rows as ``[row id, Excel row, values...]``, all text."""
    rows: list[list[object]] = [
        [SIGNED_TITLE, SIGNED_VERSION],
        ["fingerprint", fingerprint],
        ["period", entry.period],
        ["by", entry.by],
        ["on", entry.on.isoformat() if entry.on else ""],
    ]
    for key in sorted(tables):
        t = tables[key]
        rows += [["sheet", t.key, t.name], ["columns", "", *t.columns], ["headers", "", *t.headers]]
        # blanks as empty cells, not empty text (the record stays as small as it can)
        rows += [[row_id, str(n), *(v or None for v in values)] for row_id, (n, values) in t.rows.items()]
    return rows
