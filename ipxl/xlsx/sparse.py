"""A worksheet read cell by cell, for the rare sheet a dense reader must not meet.

python-calamine (the fast path) builds a dense grid from A1 to the farthest cell, so
one stray value at XFD50000 asks for 800 million cells and aborts the process. When
:func:`ipxl.xlsx.package.scan_sheet` finds a sheet reaching that far, its cells are
read here instead (and a sheet holding negative numbers, which calamine reads as
times of day in a date format, or panics on), streamed with lxml: only the cells that exist, rows that exist,
and no column wider than the sheet's header rows use (a value beyond them has no
header, so no reader would use it). Values come out as calamine gives them: text,
floats, booleans, ``datetime`` for numbers in a date format, ``""`` for blanks, the
error's text (``#REF!``) for an error.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile

from .. import defaults as D
from .cells import split_cell

M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
#: Built-in number formats that are dates or times (ECMA-376 18.8.30, and the
#: East Asian ones Excel also treats as dates).
_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51,
                 52, 53, 54, 55, 56, 57, 58}  # fmt: skip
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


def date_styles(zf: zipfile.ZipFile, styles_part: str | None) -> set[int]:
    """Indexes of the cell formats (``s``) whose number format is a date or time."""
    if not styles_part:
        return set()
    from lxml import etree

    from .package import safe_parser

    root = etree.fromstring(zf.read(styles_part), safe_parser())
    custom: dict[int, str] = {}
    for fmt in root.iter(f"{M}numFmt"):
        try:
            custom[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
        except ValueError:
            continue
    out = set()
    xfs = root.find(f"{M}cellXfs")
    for i, xf in enumerate(xfs if xfs is not None else ()):
        try:
            fid = int(xf.get("numFmtId", "0"))
        except ValueError:
            continue
        if fid in _DATE_FORMATS or (fid in custom and _is_date_code(custom[fid])):
            out.add(i)
    return out


def _is_date_code(code: str) -> bool:
    plain = _QUOTED.sub("", code).lower()
    return "general" not in plain and any(ch in plain for ch in "dmyhs")


def shared_strings(zf: zipfile.ZipFile, part: str | None) -> list[str]:
    """Every shared string, in order (the text of its runs, phonetic hints left out)."""
    if not part:
        return []
    from lxml import etree

    out = []
    with zf.open(part) as fh:
        for _, si in etree.iterparse(fh, events=("end",), tag=f"{M}si", resolve_entities=False, huge_tree=True):
            out.append("".join(t.text or "" for t in si.iter(f"{M}t") if t.getparent().tag != f"{M}rPh"))
            si.clear()
    return out


def read_sheet(
    zf: zipfile.ZipFile, part: str, strings: list[str], dates: set[int], *, date1904: bool = False
) -> list[tuple[int, list]]:
    """``(Excel row number, values from column A)`` for each row with a cell, values
    up to the widest column the first ``HEADER_SEARCH_ROWS`` rows use (at least A:Z)."""
    from lxml import etree

    epoch = _EPOCH_1904 if date1904 else _EPOCH
    cells: list[tuple[int, dict[int, object]]] = []
    row_no = 0
    with zf.open(part) as fh:
        for _, row in etree.iterparse(fh, events=("end",), tag=f"{M}row", resolve_entities=False, huge_tree=True):
            r = row.get("r")
            row_no = int(r) if r and r.isdigit() else row_no + 1
            values: dict[int, object] = {}
            col = 0
            for c in row.iterchildren(f"{M}c"):
                ref = c.get("r")
                try:
                    col = split_cell(ref)[1] if ref else col + 1
                except ValueError:
                    col += 1
                v = _value(c, strings, dates, epoch)
                if v != "":
                    values[col] = v
            if values:
                cells.append((row_no, values))
            row.clear()
    width = 26
    for n, values in cells:
        if n > D.HEADER_SEARCH_ROWS:
            break
        width = max(width, *values)
    out = []
    for n, values in cells:
        line: list = [""] * width
        for col, v in values.items():
            if col <= width:
                line[col - 1] = v
        out.append((n, line))
    return out


def _value(c, strings: list[str], dates: set[int], epoch: dt.datetime):
    kind = c.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in c.iter(f"{M}t"))
    v = c.find(f"{M}v")
    text = v.text if v is not None else None
    if text is None:
        return ""
    if kind == "s":
        try:
            return strings[int(text)]
        except (ValueError, IndexError):
            return ""
    if kind in ("str", "e"):
        return text
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(text.strip())
        except ValueError:
            return text
    try:
        number = float(text)
    except ValueError:
        return text
    style = c.get("s")
    # a number in a date format is a date from 1 (1 January 1900) to 2958465 (31
    # December 9999); anything else stays the number it is, for a finding to name
    if style and style.isdigit() and int(style) in dates and 0 < number < 2958466:
        try:
            return epoch + dt.timedelta(days=number)
        except OverflowError:
            return number
    return number


# ------------------------------------------------- where python-calamine is missing


class SparseWorkbook:
    """The part of python-calamine's ``CalamineWorkbook`` ipxl uses, read cell by cell
    with lxml: for Pyodide (xlwings Lite), which has no build of python-calamine, when
    ipxl reads a file there (last period's workbook, a return imported into /data)."""

    def __init__(self, path):
        from pathlib import Path

        from .package import check_file

        self.path = Path(path)
        self.info = check_file(self.path)
        self.sheet_names = list(self.info.sheets)

    def get_sheet_by_name(self, name: str) -> SparseSheet:
        with zipfile.ZipFile(self.path) as zf:
            strings = shared_strings(zf, self.info.shared_strings)
            dates = date_styles(zf, self.info.styles)
            return SparseSheet(read_sheet(zf, self.info.sheets[name], strings, dates))


class SparseSheet:
    """A sheet's rows as ``CalamineSheet.to_python`` gives them, from A1."""

    start = (0, 0)

    def __init__(self, rows: list[tuple[int, list]]):
        self._rows = rows

    def to_python(self, skip_empty_area: bool = True) -> list[list]:
        out: list[list] = []
        for n, line in self._rows:
            out += [[""] * len(line) for _ in range(n - 1 - len(out))]
            out.append(line)
        return out
