"""The workbook as read: one typed frame per record sheet, keyed by Excel row, plus
Settings and Lists. Built by :mod:`ipxl.xlsx.reader` (from a file) or
:func:`ipxl.xlsx.reader.workbook_from_grids` (from live Excel)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeAlias

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
    #: the letters of the columns the spec does not name, by their header as written
    extra_letters: dict[str, str] = field(default_factory=dict)
    #: A1 addresses of the cells holding a formula (their value is computed from other
    #: cells); None when the door that read the sheet cannot tell (xlwings Lite)
    formulas: frozenset[str] | None = None

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
    #: who approves the plan each period (Leadership Team); set, the workbook asks for
    #: a sign-off and its papers are drafts until they have one
    signoff_by: str = ""
    #: where each setting was read: key -> (sheet, Excel row, cell), for a finding
    cells: dict[str, tuple[str, int, str]] = field(default_factory=dict, repr=False, compare=False)


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
    best_value_themes: tuple[str, ...] = D.BEST_VALUE_THEMES
    confidences: tuple[str, ...] = D.CONFIDENCE
    better_when: tuple[str, ...] = D.BETTER_WHEN
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


@dataclass(frozen=True)
class ReportCell:
    """What one Report cell holds for one meeting, and where it is."""

    value: object  #: text as typed (dates as dates); None when blank
    cell: str  #: A1 address
    #: the meeting's own column (False: the All meetings column stands for it)
    own: bool = False

    @property
    def off(self) -> bool:
        """The cell switches its part of the report off (:data:`ipxl.defaults.REPORT_OFF`)."""
        return isinstance(self.value, str) and D.normalise_header(self.value) == D.normalise_header(D.REPORT_OFF)


@dataclass
class ReportRow:
    """One item of the Report sheet as read: its row and cells."""

    key: str
    row: int
    all: ReportCell
    meetings: dict[str, ReportCell]  #: meeting -> its own cell


@dataclass
class ReportSheet:
    """The Report sheet as read: the committee report's own words, for every meeting
    the quarter's report goes to (:data:`ipxl.defaults.REPORT_ITEMS`).

    A meeting's cell says what its report says; blank, the All meetings cell speaks
    for it; :data:`ipxl.defaults.REPORT_OFF` in either leaves the part out."""

    name: str
    header_row: int
    meetings: list[str]
    rows: dict[str, ReportRow]
    #: the All meetings column's letter, and each meeting's
    all_letter: str = "C"
    letters: dict[str, str] = field(default_factory=dict)
    #: Excel rows whose Item ipxl does not know: (row, text)
    unknown: list[tuple[int, str]] = field(default_factory=list)

    @property
    def written(self) -> bool:
        """Whether any part of the report has been written (a fresh template's sheet
        is blank until the quarter's report is drafted)."""
        return any(c.value is not None for r in self.rows.values() for c in (r.all, *r.meetings.values()))

    def get(self, key: str, meeting: str) -> ReportCell | None:
        """The cell that speaks for ``meeting`` on item ``key``: its own when filled,
        else the All meetings cell; None when the sheet has no such row."""
        row = self.rows.get(key)
        if row is None:
            return None
        own = row.meetings.get(meeting)
        return own if own is not None and own.value is not None else row.all

    def text(self, key: str, meeting: str) -> str:
        """The item's text for ``meeting`` ("" when blank, missing or switched off)."""
        got = self.get(key, meeting)
        if got is None or got.value is None or got.off:
            return ""
        return got.value if isinstance(got.value, str) else str(got.value)

    def included(self, key: str, meeting: str) -> bool:
        """Whether the part ``key`` is in ``meeting``'s report (not switched off)."""
        got = self.get(key, meeting)
        return got is None or not got.off


@dataclass(frozen=True)
class SignOffEntry:
    """One row of the Sign-off sheet: a period approved, by whom and when, and the
    fingerprint of the content approved."""

    period: str
    by: str
    on: dt.date | None
    recorded: str
    values: int | None
    fingerprint: str
    row: int


@dataclass
class SignedTable:
    """One record sheet's values as signed off (the hidden record of the sign-off)."""

    key: str  #: the record sheet's key (``actions``)
    name: str  #: its name at sign-off
    columns: list[str]  #: column ids: spec keys, or ``extra:<header>``
    headers: list[str]  #: the headers as written at sign-off, beside ``columns``
    #: row id -> (Excel row at sign-off, canonical values beside ``columns``)
    rows: dict[str, tuple[int, list[str]]] = field(default_factory=dict)


@dataclass
class SignOff:
    """The workbook's record of approval: the Sign-off sheet's rows and the signed
    values of the latest one (:mod:`ipxl.checks.signoff` compares them with the
    workbook as it is)."""

    sheet: str
    entries: list[SignOffEntry]
    #: the values signed, by record sheet key; None when the hidden record is missing
    #: or cannot be read (``problem`` says why)
    signed: dict[str, SignedTable] | None = None
    #: the fingerprint the hidden record says it holds
    signed_fingerprint: str = ""
    problem: str | None = None

    @property
    def latest(self) -> SignOffEntry | None:
        return self.entries[-1] if self.entries else None


@dataclass(frozen=True)
class AuditEntry:
    """One row of the Audit trail sheet: a value ipxl changed, when, and on whose word."""

    when: str
    sheet: str
    ref: str
    cell: str
    column: str
    before: str
    after: str
    who: str
    how: str

    def to_dict(self) -> dict[str, str]:
        return {
            "when": self.when,
            "sheet": self.sheet,
            "ref": self.ref,
            "cell": self.cell,
            "column": self.column,
            "from": self.before,
            "to": self.after,
            "who": self.who,
            "how": self.how,
        }


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
    #: The Report sheet (the committee report's own words), when the workbook has one.
    report: ReportSheet | None = None
    #: The record of approval (Sign-off sheet), when the workbook has one.
    signoff: SignOff | None = None
    #: Every value ipxl changed in the workbook, oldest first (Audit trail sheet).
    audit: list[AuditEntry] = field(default_factory=list)
    #: Sheets named as ipxl's own records (Sign-off, Audit trail) that ipxl did not
    #: write: never read as its records, never written over.
    foreign: tuple[str, ...] = ()
    #: The Actions rows the roll-up counts, worked out once for the next step of the
    #: same command that asks (a refresh counts the actions for its Summary and again
    #: for its Trend). The frames are not changed once read, so it never goes stale.
    counted: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    #: The comparison with the latest sign-off (:func:`ipxl.checks.signoff.approval`),
    #: kept as ``counted`` is: validate and the pack of one command both ask.
    approval: object = field(default=None, repr=False, compare=False)
    #: The Measures sheet as the papers and the roll-up read it
    #: (:func:`ipxl.analysis.impact.measure_frame`), kept as ``counted`` is.
    measures: pd.DataFrame | None = field(default=None, repr=False, compare=False)

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


class HoldsWorkbook(Protocol):
    """Anything holding a workbook read: an :class:`ipxl.Plan`."""

    @property
    def workbook(self) -> Workbook: ...


#: What every function that reads the plan takes for it: a path, a :class:`Workbook`
#: read already, or an :class:`ipxl.Plan` (see :func:`ipxl.xlsx.reader.as_workbook`).
Source: TypeAlias = "str | Path | Workbook | HoldsWorkbook"
