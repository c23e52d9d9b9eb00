"""Where write-back plans are applied: the small interface both doors implement."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..xlsx.patch import SaveResult
from .plans import SheetContent


@dataclass(frozen=True)
class WritebackResult:
    """What an operation did: where the workbook went and what changed in it."""

    save: SaveResult
    details: Mapping[str, object]

    @property
    def path(self) -> Path:
        return self.save.path

    @property
    def backup(self) -> Path | None:
        return self.save.backup

    @property
    def changed(self) -> tuple[str, ...]:
        return self.save.changed

    @property
    def written(self) -> bool:
        return self.save.written


# ============================================================ the target interface


@runtime_checkable
class WorkbookTarget(Protocol):
    """Where write-back plans are applied: a workbook file, or a workbook open in Excel.

    Sheet names are the workbook's real names. Rows are Excel row numbers; cells are A1
    addresses.
    """

    def sheet_names(self) -> list[str]:
        """Names of the worksheets, in workbook order."""

    def red_rows(self, sheet: str, colour: str, last_col: int | None = None) -> set[int]:
        """Rows whose every cell (up to ``last_col``, the table's last column) carries a
        ``colour`` font put there by ipxl."""

    def colour_rows(self, sheet: str, rows: Iterable[int], colour: str, last_col: int) -> None:
        """Give every cell of ``rows`` from column A to ``last_col`` (the table's own
        columns) a ``colour`` font, keeping all other formatting."""

    def restore_rows(self, sheet: str, rows: Iterable[int], colour: str) -> None:
        """Give cells of ``rows`` that ipxl coloured ``colour`` back their own font."""

    def write_sheet(self, sheet: str, content: SheetContent) -> None:
        """Create the sheet (last) or replace its contents with ``content``."""

    def set_marks(self, marks: Mapping[str, Mapping[str, Iterable[str]]]) -> None:
        """Mark these cells (sheet -> severity -> addresses) and remove every other
        ipxl mark in the workbook."""

    def set_values(self, sheet: str, values: Mapping[tuple[int, int], object]) -> list[tuple[int, int]]:
        """Put values in cells, ``(row, column)``; returns the cells holding formulas, left alone."""
        ...

    def append_rows(self, sheet: str, rows: list[list[object]]) -> list[int]:
        """Add rows (values from column A) after the last; returns their numbers."""
        ...

    def commit(self) -> SaveResult:
        """Make the changes permanent."""
