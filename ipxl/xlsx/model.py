"""The workbook as read: one typed frame per record sheet, keyed by Excel row, plus
Settings and Lists. Built by :mod:`ipxl.xlsx.reader` (from a file) or
:func:`ipxl.xlsx.reader.workbook_from_grids` (from live Excel)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import defaults as D
from ..errors import WrongLayout
from ..findings import Finding


@dataclass
class SheetData:
    """One record sheet as read.

    ``frame`` is typed (text stripped, dates as datetime64, numbers numeric) with one
    column per spec column (all-null when the workbook lacks it) plus the workbook's
    extra columns under their own header text. ``raw`` holds the cell values exactly
    as read, same index and columns, so findings can quote what the officer typed.
    Both are indexed by Excel row number.
    """

    key: str
    name: str
    header_row: int
    frame: pd.DataFrame
    raw: pd.DataFrame
    headers: dict[str, str]  #: canonical key -> header text as in the workbook
    letters: dict[str, str]  #: canonical key -> column letter
    missing: list[str]  #: canonical keys of spec columns the sheet lacks
    #: date column key -> Excel rows whose cell held text (UK date text or a keyword)
    text_dates: dict[str, pd.Index] = field(default_factory=dict)
    #: the table's last column (1-based): its last header; a stray cell further right
    #: is not the table's, and write-back never reaches it
    last_col: int = 0
    #: spec columns left unconverted because the step reading did not need them
    #: (``read_workbook(path, columns=...)``): absent from ``frame`` and ``raw``
    unread: frozenset[str] = frozenset()

    def cell(self, key: str, row: int) -> str | None:
        """A1 address of column ``key`` in Excel row ``row`` (None when absent)."""
        letter = self.letters.get(key)
        return f"{letter}{row}" if letter else None

    def header(self, key: str) -> str:
        """The column's header as the workbook spells it (the default when absent)."""
        return self.headers.get(key) or column_spec(self.key, key).header


@dataclass
class Settings:
    council: str = ""
    plan_title: str = "Improvement Plan"
    period: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    previous_workbook: Path | None = None
    #: the rating Leadership Team gives the plan's risk as a whole (the report's headline)
    overall_risk: str = ""


@dataclass
class Lists:
    """The allowed values, read from the workbook's ``Lists`` sheet."""

    themes: dict[str, str] = field(default_factory=lambda: dict(D.THEMES))
    statuses: tuple[D.Status, ...] = D.STATUSES
    types: tuple[str, ...] = D.ACTION_TYPES
    closures: tuple[str, ...] = D.CLOSURES
    reviews: tuple[str, ...] = D.REVIEWS
    categories: tuple[str, ...] = D.CATEGORIES
    change_types: tuple[str, ...] = D.CHANGE_TYPES
    milestone_statuses: tuple[str, ...] = D.MILESTONE_STATUSES
    directions: tuple[str, ...] = D.DIRECTIONS
    date_keywords: tuple[str, ...] = D.DATE_KEYWORDS
    score_bands: tuple[D.ScoreBand, ...] = D.SCORE_BANDS
    #: lead -> email address, from the optional Lead and Email columns (ipxl chase)
    emails: dict[str, str] = field(default_factory=dict)

    @property
    def status_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.statuses)

    def status_colour(self, name: str) -> str | None:
        for s in self.statuses:
            if s.name == name:
                return s.colour
        return None

    def rating_for(self, score: float) -> str | None:
        """The rating whose band holds ``score``, or None when no band does."""
        for band in self.score_bands:
            if band.low <= score <= band.high:
                return band.rating
        return None


@dataclass
class Workbook:
    """A monitoring workbook as read: one :class:`SheetData` per record sheet found."""

    path: Path
    sheet_names: list[str]
    sheets: dict[str, SheetData | None]
    settings: Settings
    lists: Lists
    #: Notes made while reading (missing sheets, columns, lists), reported by validate.
    findings: list[Finding] = field(default_factory=list)
    #: Whether ``path`` is where the file is on this computer (a workbook open in Excel
    #: from the web has only a name), so files named relative to it can be looked for.
    located: bool = True
    #: Record sheets left unread because the caller did not need them
    #: (``read_workbook(path, sheets=...)``); they are absent from ``sheets``' values.
    skipped: frozenset[str] = frozenset()
    #: What the analysis steps derived from the frames, kept for the next step of the
    #: same command that asks (a refresh counts the actions for its Summary and again
    #: for its Trend). The frames are not changed once read, so nothing goes stale.
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def frame(self, key: str) -> pd.DataFrame:
        """The typed frame of a record sheet; an empty frame with the spec's columns
        when the workbook lacks the sheet."""
        sheet = self.sheets.get(key)
        if sheet is not None:
            return sheet.frame
        return pd.DataFrame({c.key: pd.Series(dtype=dtype_of(c.kind)) for c in D.COLUMNS[key]})

    @property
    def actions(self) -> pd.DataFrame:
        return self.frame("actions")

    @property
    def actions_sheet(self) -> SheetData:
        """The Actions sheet as read: every Workbook has one (the reader refuses a file
        without it)."""
        sheet = self.sheets.get("actions")
        if sheet is None:
            raise WrongLayout(
                f"{self.path.name} has no Actions sheet; rename the sheet that holds the actions to 'Actions'."
            )
        return sheet


def column_spec(sheet: str, key: str) -> D.Column:
    """The spec column ``key`` of record sheet ``sheet``."""
    for col in D.COLUMNS[sheet]:
        if col.key == key:
            return col
    raise KeyError(key)


def dtype_of(kind: str):
    """The pandas dtype a column of this kind is read as."""
    return {"date": "datetime64[ns]", "int": "Int64", "number": "float64"}.get(kind, object)
