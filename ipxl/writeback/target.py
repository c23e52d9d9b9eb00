"""Where write-back plans are applied: the small interface both doors implement."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..xlsx.patch import SaveResult
from .plans import SheetContent


@dataclass(frozen=True)
class SignedOff:
    """A sign-off recorded (or found recorded already, ``already``)."""

    period: str
    by: str
    on: dt.date
    values_signed: int
    fingerprint: str
    already: bool = False


@dataclass(frozen=True)
class Done:
    """What the steps of an operation did; a step fills its own fields, the others
    stay None. Both doors return it, so the file and Excel can be compared field by
    field.

    >>> Done(painted={"Actions": 2, "Milestones": 1}) | Done(themes=9, sentences=4)
    Done(painted 3, themes 9, sentences 4)
    """

    painted: Mapping[str, int] | None = None  #: sheet -> rows turned red
    restored: Mapping[str, int] | None = None  #: sheet -> rows given their own font back
    new: Mapping[str, int] | None = None  #: sheet -> rows new this period
    themes: int | None = None  #: themes in the Summary's table
    sentences: int | None = None  #: change sentences on the Summary
    trend_periods: int | None = None  #: periods on the Trend sheet
    findings: int | None = None  #: findings listed on the Validation sheet
    marked: int | None = None  #: cells marked
    signoff: SignedOff | None = None

    def __or__(self, other: Done) -> Done:
        mine = {f.name: getattr(self, f.name) for f in fields(self)}
        return Done(**{k: v if getattr(other, k) is None else getattr(other, k) for k, v in mine.items()})

    def counts(self) -> list[tuple[str, int]]:
        """(what, how many) for each field a step filled, a sheet map summed:
        ``[("painted", 3), ("trend periods", 2)]``."""
        out = []
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Mapping):
                out.append((f.name.replace("_", " "), sum(value.values())))
            elif isinstance(value, int) and not isinstance(value, bool):
                out.append((f.name.replace("_", " "), value))
        return out

    def __repr__(self) -> str:
        return f"Done({', '.join(f'{k} {n}' for k, n in self.counts())})"


@dataclass(frozen=True)
class WritebackResult:
    """What an operation did: where the workbook went and what changed in it."""

    save: SaveResult
    details: Done

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
