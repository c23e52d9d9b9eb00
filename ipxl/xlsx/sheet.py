"""A worksheet part opened for patching: its rows, cells and inherited formats."""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..errors import NotAWorkbook
from .cells import col_letter, split_cell
from .patch import Package
from .xml import WORKSHEET_ORDER, insert_in_order, local, q


class SheetXml:
    """A worksheet part opened for patching."""

    def __init__(self, pkg: Package, part: str):
        self.pkg = pkg
        self.part = part
        self.root = pkg.xml(part)
        if self.root.tag != q("worksheet"):
            raise NotAWorkbook(
                f"Part {part} of {pkg.path.name} is not a worksheet; open the workbook in Excel and save it again."
            )
        self.sheet_data = self.root.find(q("sheetData"))
        self._rows: dict[int, Any] | None = None
        self._col_styles: list[tuple[int, int, int]] | None = None

    def rows(self) -> dict[int, Any]:
        """Excel row number -> ``<row>`` element."""
        if self._rows is None:
            self._rows = {}
            prev = 0
            for row in self.sheet_data if self.sheet_data is not None else ():
                if not isinstance(row.tag, str):
                    continue
                r = row.get("r")
                n = int(r) if r else prev + 1
                self._rows[n] = row
                prev = n
        return self._rows

    def cells(self, row_number: int) -> list:
        row = self.rows().get(row_number)
        if row is None:
            return []
        return [c for c in row if isinstance(c.tag, str) and local(c) == "c"]

    def child(self, name: str):
        return self.root.find(q(name))

    def used_columns(self) -> int:
        """Last used column number: from ``<dimension>``, else the cells themselves."""
        dim = self.child("dimension")
        if dim is not None:
            last = dim.get("ref", "").split(":")[-1]
            try:
                return split_cell(last)[1]
            except ValueError:
                pass
        best = 0
        for row in self.rows().values():
            for c in row:
                r = c.get("r") if isinstance(c.tag, str) else None
                if r:
                    best = max(best, split_cell(r)[1])
        return best

    def inherited_style(self, row_number: int, col: int) -> int:
        """The format an absent cell shows: its row's (when custom), else its column's."""
        row = self.rows().get(row_number)
        if row is not None and row.get("customFormat") in ("1", "true") and row.get("s"):
            return int(row.get("s"))
        if self._col_styles is None:
            self._col_styles = []
            cols = self.child("cols")
            for c in cols if cols is not None else ():
                if isinstance(c.tag, str) and c.get("style"):
                    self._col_styles.append((int(c.get("min")), int(c.get("max")), int(c.get("style"))))
        for lo, hi, style in self._col_styles:
            if lo <= col <= hi:
                return style
        return 0

    def fill_row(self, row_number: int, last_col: int) -> list:
        """The row's cells from column 1 to ``last_col``, creating absent ones (empty,
        with the format they inherit) in column order; returns every cell of the row."""
        row = self.rows().get(row_number)
        if row is None:
            return []
        present = {}
        for c in row:
            if isinstance(c.tag, str) and local(c) == "c" and c.get("r"):
                present[split_cell(c.get("r"))[1]] = c
        if len(present) != sum(1 for c in row if isinstance(c.tag, str) and local(c) == "c"):
            return self.cells(row_number)  # cells without r: leave such a row as it is
        for col in range(1, last_col + 1):
            if col in present:
                continue
            el = etree.Element(q("c"))
            el.set("r", f"{col_letter(col)}{row_number}")
            style = self.inherited_style(row_number, col)
            if style:
                el.set("s", str(style))
            after = [k for k in present if k < col]
            if after:
                present[max(after)].addnext(el)
            else:
                row.insert(0, el)
            el.tail = None
            present[col] = el
        return self.cells(row_number)

    def insert(self, el) -> None:
        insert_in_order(self.root, el, WORKSHEET_ORDER)
