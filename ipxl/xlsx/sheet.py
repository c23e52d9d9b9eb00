"""A worksheet part opened for patching: its rows, cells and inherited formats.

Two ways to open one, with one interface. :class:`StreamSheet` (what write-back uses)
parses only what it edits: the sheet around its rows (views, columns, conditional
formats, validations: a small "skeleton") and the rows it is asked for; every other
row is copied as the bytes it was, so turning 6,000 rows of a 100,000-row sheet red
costs about what copying the sheet costs. :class:`TreeSheet` parses the whole part
with lxml; it is kept as the reference the streamed result is tested against (the two
give byte-identical files).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from ..errors import NotAWorkbook
from .cells import col_letter, column_of
from .opc import UTF8, to_utf8, xml_encoding
from .patch import Package, _declaration, _keep_ns_tags
from .xml import PARSER, WORKSHEET_ORDER, insert_in_order, int_attr, local, q, xml_text

#: Where the rows go back into the skeleton when it is serialised.
_ROWS_MARK = b"<!--ipxl-rows-->"
_WRAP = "ipxl-wrap"
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b([^>]*)>")
_CELL_R = re.compile(rb'\sr="([A-Z]+\d+)"')
_CELL_S = re.compile(rb'\ss="(\d+)"')
_C_TAG = q("c")


class _Sheet:
    """What both kinds share: cells, inherited formats and filling a row."""

    pkg: Package
    part: str
    root: Any
    sheet_data: Any

    def row(self, row_number: int):
        """The ``<row>`` element of an Excel row (parsed for editing), or None."""
        raise NotImplementedError

    def preload(self, row_numbers) -> None:
        """Make the rows ready for editing in one go (a whole tree has them already)."""

    def cell_styles(self, candidates: set[str] | None = None) -> Iterator[tuple[int, list[tuple[str | None, str]]]]:
        """``(row number, [(cell ref, style index as text), ...])`` for each row; with
        ``candidates``, only rows where some cell may carry one of those styles."""
        raise NotImplementedError

    def _check_root(self) -> None:
        if self.root.tag != q("worksheet"):
            raise NotAWorkbook(
                f"Part {self.part} of {self.pkg.path.name} is not a worksheet; open the workbook in Excel and save it "
                "again."
            )
        self.sheet_data = self.root.find(q("sheetData"))
        self._col_styles: list[tuple[int, int, int]] | None = None

    def cells(self, row_number: int) -> list:
        row = self.row(row_number)
        if row is None:
            return []
        return [c for c in row if isinstance(c.tag, str) and local(c) == "c"]

    def child(self, name: str):
        return self.root.find(q(name))

    def inherited_style(self, row_number: int, col: int) -> int:
        """The format an absent cell shows: its row's (when custom), else its column's."""
        row = self.row(row_number)
        if row is not None and row.get("customFormat") in ("1", "true") and row.get("s"):
            return int_attr(row.get("s"))
        if self._col_styles is None:
            self._col_styles = []
            cols = self.child("cols")
            for c in cols if cols is not None else ():
                if isinstance(c.tag, str) and c.get("style"):
                    self._col_styles.append((int_attr(c.get("min")), int_attr(c.get("max")), int_attr(c.get("style"))))
        for lo, hi, style in self._col_styles:
            if lo <= col <= hi:
                return style
        return 0

    def fill_row(self, row_number: int, last_col: int) -> list[tuple[int, Any]]:
        """``(column, cell)`` for each cell of the row, after creating its absent cells
        from column 1 to ``last_col`` (empty, with the format they inherit) in column
        order. A row whose cells do not all say where they are is left as it is."""
        row = self.row(row_number)
        if row is None:
            return []
        c_tag = _C_TAG
        cells = [c for c in row if c.tag == c_tag]
        refs = [c.get("r") for c in cells]
        if not all(refs):
            return [(i + 1, c) for i, c in enumerate(cells)]
        present = [(column_of(r), c) for r, c in zip(refs, cells)]
        if any(a[0] >= b[0] for a, b in itertools.pairwise(present)):
            return present  # cells out of column order: leave such a row as it is
        have = {col for col, _ in present}
        missing = [col for col in range(1, last_col + 1) if col not in have]
        if not missing:
            return present
        out: list[tuple[int, Any]] = []
        it = iter(present)
        nxt = next(it, None)
        for col in range(1, max(last_col, present[-1][0] if present else 0) + 1):
            if nxt is not None and nxt[0] == col:
                out.append(nxt)
                nxt = next(it, None)
                continue
            if col > last_col or col in have:
                continue
            el = etree.Element(c_tag)
            el.set("r", f"{col_letter(col)}{row_number}")
            style = self.inherited_style(row_number, col)
            if style:
                el.set("s", str(style))
            if nxt is not None:
                nxt[1].addprevious(el)
            else:
                row.append(el)
            el.tail = None
            out.append((col, el))
        return out

    def insert(self, el) -> None:
        insert_in_order(self.root, el, WORKSHEET_ORDER)

    def set_value(self, row_number: int, col: int, value, style: int | None = None) -> bool:
        """Put ``value`` (text, a number, a date as its Excel serial already, or None
        for empty) in the cell, keeping its format unless ``style`` is given. Text goes
        in as an inline string, literally. Returns False, changing nothing, when the
        row is absent or the cell holds a formula (its value is Excel's to compute)."""
        cells = dict(self.fill_row(row_number, col))
        cell = cells.get(col)
        if cell is None:
            return False
        if cell.find(q("f")) is not None:
            return False
        for child in list(cell):
            cell.remove(child)
        cell.attrib.pop("t", None)
        if style is not None:
            if style:
                cell.set("s", str(style))
            else:
                cell.attrib.pop("s", None)
        if value is None or value == "" or (not isinstance(value, str) and not math.isfinite(float(value))):
            # a missing value from pandas (NaN, NaT as a serial) is an empty cell:
            # <v>nan</v> is a file Excel calls damaged
            return True
        if isinstance(value, str):
            cell.set("t", "inlineStr")
            is_ = etree.SubElement(cell, q("is"))
            t = etree.SubElement(is_, q("t"))
            t.text = xml_text(value)
            if t.text != t.text.strip() or "\n" in t.text:
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        else:
            etree.SubElement(cell, q("v")).text = (
                repr(float(value)) if not float(value).is_integer() else str(int(value))
            )
        return True

    def last_row(self) -> int:
        """The highest row number with a ``<row>`` element (0 when none)."""
        raise NotImplementedError

    def append_row(self, row_number: int):
        """A new, empty ``<row>`` after the last, numbered ``row_number``."""
        raise NotImplementedError


class TreeSheet(_Sheet):
    """A worksheet part parsed whole (the reference for :class:`StreamSheet`)."""

    def __init__(self, pkg: Package, part: str):
        self.pkg = pkg
        self.part = part
        self.root = pkg.xml(part)
        self._check_root()
        self._rows: dict[int, Any] | None = None

    def rows(self) -> dict[int, Any]:
        """Excel row number -> ``<row>`` element."""
        if self._rows is None:
            self._rows = {}
            prev = 0
            for row in self.sheet_data if self.sheet_data is not None else ():
                if not isinstance(row.tag, str):
                    continue
                r = row.get("r")
                n = int(r) if r and r.isdigit() else prev + 1
                self._rows[n] = row
                prev = n
        return self._rows

    def row(self, row_number: int):
        return self.rows().get(row_number)

    def last_row(self) -> int:
        return max(self.rows(), default=0)

    def append_row(self, row_number: int):
        assert row_number > self.last_row()
        if self.sheet_data is None:
            self.sheet_data = etree.Element(q("sheetData"))
            self.insert(self.sheet_data)
        row = etree.SubElement(self.sheet_data, q("row"))
        row.set("r", str(row_number))
        self.rows()[row_number] = row
        return row

    def cell_styles(self, candidates: set[str] | None = None) -> Iterator[tuple[int, list[tuple[str | None, str]]]]:
        c_tag = q("c")
        for n, row in self.rows().items():
            yield n, [(c.get("r"), c.get("s") or "0") for c in row.iterchildren(c_tag)]


class StreamSheet(_Sheet):
    """A worksheet part of which only the skeleton and the rows asked for are parsed;
    the rest stays the original bytes. Registered with the package, which asks it for
    the part's bytes when saving."""

    def __init__(self, pkg: Package, part: str):
        self.pkg = pkg
        self.part = part
        #: the part's bytes as they are, given back when nothing changed
        self._source = data = pkg.read(part)
        codec = xml_encoding(data[:256])
        if codec not in UTF8:
            # rows are found in UTF-8 bytes: a part in another encoding (UTF-16,
            # ISO-8859-1) is edited as UTF-8, and written so when it changes
            try:
                data = to_utf8(data, codec)
            except (UnicodeError, LookupError):
                raise NotAWorkbook(
                    f"Part {part} of {pkg.path.name} is not well-formed XML; open the workbook in Excel and save it "
                    "again."
                ) from None
        self._data = data
        opening = re.search(rb"<((?:[A-Za-z_][\w.-]*:)?)sheetData\b[^>]*?(/?)>", data)
        if opening is None:
            raise NotAWorkbook(
                f"Part {part} of {pkg.path.name} is not a worksheet; open the workbook in Excel and save it again."
            )
        prefix = opening.group(1)
        self._row_open = b"<" + prefix + b"row"
        self._row_close = b"</" + prefix + b"row>"
        if opening.group(2):  # <sheetData/>: no rows
            self._body = (opening.end(), opening.end())
            open_tag = opening.group(0)[:-2].rstrip() + b">"
            close_tag = b"</" + prefix + b"sheetData>"
        else:
            close_tag = b"</" + prefix + b"sheetData>"
            end = data.rfind(close_tag)
            if end < opening.end():
                raise NotAWorkbook(
                    f"Part {part} of {pkg.path.name} is not well-formed XML; open the workbook in Excel and save it again."
                )
            self._body = (opening.end(), end)
            open_tag = opening.group(0)
        end = self._body[1]
        self._head = data[: opening.start()]
        self._tail = data[end + len(close_tag) :] if not opening.group(2) else data[opening.end() :]
        skeleton = self._head + open_tag + _ROWS_MARK + close_tag + self._tail
        try:
            self.root = etree.fromstring(skeleton, PARSER)
        except etree.XMLSyntaxError as exc:
            raise NotAWorkbook(
                f"Part {part} of {pkg.path.name} is not well-formed XML ({exc}); open the workbook in Excel and save "
                "it again."
            ) from None
        self._check_root()
        self._skeleton = self._tostring(self.root)
        self._spans: dict[int, tuple[int, int]] | None = None
        self._starts: list[int] = []
        self._edited: dict[int, Any] = {}
        self._canonical: dict[int, bytes] = {}
        self._appended: dict[int, Any] = {}
        pkg.attach(part, self.serialise)

    # -- the rows, found without parsing them
    def spans(self) -> dict[int, tuple[int, int]]:
        """Excel row number -> (start, end) of its ``<row>`` element in the part."""
        if self._spans is None:
            data, start, stop = self._data, *self._body
            spans, self._starts = row_spans(data, start, stop, self._row_open[1:-3])
            self._spans = spans
        return self._spans

    def last_row(self) -> int:
        return max([*self.spans(), *self._appended], default=0)

    def append_row(self, row_number: int):
        assert row_number > self.last_row()
        row = self._parse_row(self._row_open + b' r="' + str(row_number).encode() + b'"/>')[0]
        self._appended[row_number] = row
        return row

    def row(self, row_number: int):
        if row_number in self._appended:
            return self._appended[row_number]
        if row_number in self._edited:
            return self._edited[row_number]
        span = self.spans().get(row_number)
        if span is None:
            return None
        wrapper = self._parse_row(self._data[span[0] : span[1]])
        row = wrapper[0]
        self._edited[row_number] = row
        self._canonical[row_number] = self._row_bytes(row)
        return row

    def preload(self, row_numbers) -> None:
        """Parse the rows not yet parsed in one lxml call rather than one each: each
        row keeps a wrapper of its own, so it serialises exactly as :meth:`row` would."""
        spans = self.spans()
        todo = [n for n in row_numbers if n in spans and n not in self._edited and n not in self._appended]
        if len(todo) < 2:
            return
        open_wrap, close_wrap = b"<" + _WRAP.encode() + b">", b"</" + _WRAP.encode() + b">"
        data = self._data
        body = b"".join(open_wrap + data[spans[n][0] : spans[n][1]] + close_wrap for n in todo)
        for n, wrapper in zip(todo, self._parse_row(body), strict=True):
            row = wrapper[0]
            self._edited[n] = row
            self._canonical[n] = self._row_bytes(row)

    def cell_styles(self, candidates: set[str] | None = None) -> Iterator[tuple[int, list[tuple[str | None, str]]]]:
        spans = self.spans()
        rows = list(spans)
        if candidates is not None:
            rows = sorted(self._rows_with(candidates))
        data = self._data
        for n in rows:
            if n in self._edited:
                yield n, [(c.get("r"), c.get("s") or "0") for c in self._edited[n].iterchildren(q("c"))]
                continue
            a, b = spans[n]
            out = []
            for m in _CELL_TAG.finditer(data, a, b):
                attrs = m.group(1)
                r, s = _CELL_R.search(attrs), _CELL_S.search(attrs)
                out.append((r.group(1).decode() if r else None, s.group(1).decode() if s else "0"))
            yield n, out

    def _rows_with(self, styles: set[str]) -> set[int]:
        """Rows whose bytes hold ``s="k"`` for some k in ``styles`` (a cell's or the
        row's own format; the caller checks which)."""
        import bisect

        spans = self.spans()
        by_start = {a: n for n, (a, _) in spans.items()}
        starts = self._starts
        data, start, stop = self._data, *self._body
        found: set[int] = set()
        for style in styles:
            needle = b' s="' + style.encode() + b'"'
            i = data.find(needle, start, stop)
            while i != -1:
                k = bisect.bisect_right(starts, i) - 1
                if k >= 0:
                    found.add(by_start[starts[k]])
                i = data.find(needle, i + 1, stop)
        found.update(n for n in self._edited if n in spans)
        return found

    # -- parsing and writing one row
    def _parse_row(self, data: bytes):
        decls = b"".join(
            (b' xmlns="' if prefix is None else b" xmlns:" + prefix.encode() + b'="') + uri.encode() + b'"'
            for prefix, uri in self.sheet_data.nsmap.items()
        )
        return etree.fromstring(b"<" + _WRAP.encode() + decls + b">" + data + b"</" + _WRAP.encode() + b">", PARSER)

    @staticmethod
    def _row_bytes(row) -> bytes:
        text = etree.tostring(row.getparent(), encoding="UTF-8", xml_declaration=False)
        return text[text.index(b">") + 1 : text.rindex(b"</")]

    @staticmethod
    def _tostring(root) -> bytes:
        return etree.tostring(root, encoding="UTF-8", xml_declaration=False)

    # -- the part's bytes
    def serialise(self) -> bytes:
        """The part as edited: original bytes wherever nothing changed."""
        data = self._data
        view = memoryview(data)  # slices of it are not copies
        start, stop = self._body
        pieces: list = []
        pos = start
        spans = self.spans() if self._edited else {}
        for n in sorted(self._edited, key=lambda k: spans[k][0]):
            new = self._row_bytes(self._edited[n])
            if new == self._canonical[n]:
                continue  # parsed, perhaps edited back: as it was
            a, b = spans[n]
            pieces += [view[pos:a], new]
            pos = b
        skeleton = self._tostring(self.root)
        if not pieces and not self._appended and skeleton == self._skeleton:
            return self._source
        pieces.append(view[pos:stop])
        pieces += [self._row_bytes(self._appended[n]) for n in sorted(self._appended)]
        if skeleton == self._skeleton:
            return b"".join([view[:start], *pieces, view[stop:]])
        head, _, tail = skeleton.partition(_ROWS_MARK)
        if stop == start and len(pieces) == 1 and not self._appended:
            # no rows: an empty sheetData as Excel writes it
            head = re.sub(rb"<((?:[\w.-]+:)?sheetData\b[^>]*)>$", rb"<\1/>", head)
            tail = re.sub(rb"^</(?:[\w.-]+:)?sheetData>", b"", tail)
        original = self._head + self._tail
        out = b"".join([_declaration(data), _keep_ns_tags(original, head), *pieces, _keep_ns_tags(original, tail)])
        return self._source if out == data else out


def row_spans(data: bytes, start: int, stop: int, prefix: bytes = b"") -> tuple[dict[int, tuple[int, int]], list[int]]:
    """Excel row number -> (start, end) of each ``<row>`` element between ``start``
    and ``stop`` of a worksheet part, and the rows' starts in order.

    Two passes of the regular-expression engine (C speed) instead of five searches per
    row: the row openings, with their r attribute and whether they close themselves,
    and the closing tags. Rows do not nest, so the n-th row that does not close itself
    ends at the n-th closing tag. A row without r is the row after the one before it."""
    p = re.escape(prefix)
    opening = re.compile(rb"<" + p + rb'row(?=[\s>/])(?:[^>]*?\sr="(\d+)")?[^>]*?(/?)>')
    matches = list(opening.finditer(data, start, stop))
    closes = [m.end() for m in re.compile(b"</" + p + b"row>").finditer(data, start, stop)]
    starts = [m.start() for m in matches]
    numbers = [m[1] for m in matches]
    shut = [m[2] for m in matches]
    if None not in numbers and not any(shut) and len(closes) == len(matches):
        # as Excel writes them: every row says its number and holds cells
        return dict(zip(map(int, numbers), zip(starts, closes, strict=True), strict=True)), starts
    spans: dict[int, tuple[int, int]] = {}
    prev, ends = 0, iter(closes)
    for m, r, empty in zip(matches, numbers, shut, strict=True):
        prev = int(r) if r is not None else prev + 1
        spans[prev] = (m.start(), m.end() if empty else next(ends, stop))
    return spans, starts
