"""Read a monitoring workbook once into typed DataFrames keyed by Excel row.

The reader goes through python-calamine (a Rust xlsx reader, many times faster than
openpyxl) because validation only needs values; openpyxl is used elsewhere only where
styles matter. Every record keeps its Excel row number as the DataFrame index, so a
finding can point at a cell without a second lookup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import defaults as D
from .cells import col_letter
from .errors import NotAWorkbook, WorkbookEncrypted, WorkbookNotFound, WrongLayout
from .findings import Finding

# ----------------------------------------------------------------------- data model


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

    def cell(self, key: str, row: int) -> str | None:
        """A1 address of column ``key`` in Excel row ``row`` (None when absent)."""
        letter = self.letters.get(key)
        return f"{letter}{row}" if letter else None

    def header(self, key: str) -> str:
        """The column's header as the workbook spells it (the default when absent)."""
        return self.headers.get(key) or _column(self.key, key).header


@dataclass
class Settings:
    council: str = ""
    plan_title: str = "Improvement Plan"
    period: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    previous_workbook: Path | None = None


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

    def frame(self, key: str) -> pd.DataFrame:
        """The typed frame of a record sheet; an empty frame with the spec's columns
        when the workbook lacks the sheet."""
        sheet = self.sheets.get(key)
        if sheet is not None:
            return sheet.frame
        return pd.DataFrame({c.key: pd.Series(dtype=_dtype(c.kind)) for c in D.COLUMNS[key]})

    @property
    def actions(self) -> pd.DataFrame:
        return self.frame("actions")


# ------------------------------------------------------------------------- reading


def read_workbook(path: str | Path) -> Workbook:
    """Read the workbook at ``path`` in one pass.

    Raises a :class:`~ipxl.errors.WorkbookUnusable` subclass, with a one-sentence
    message, when the file is missing, not an .xlsx/.xlsm, corrupt, empty,
    password-protected or has no usable Actions sheet. Everything else that is wrong
    becomes a finding, returned by :func:`ipxl.validate`.
    """
    path = Path(path)
    check_file(path)
    with _gc_paused():
        return _read_file(path)


@contextlib.contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while a sheet's cells become Python objects:
    reading makes millions of objects and no cycles, and the collector's repeated
    passes over them cost about a sixth of the read on a 100,000-action plan."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_file(path: Path) -> Workbook:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet_names = list(book.sheet_names)
    except Exception as exc:  # calamine raises its own error types for bad packages
        raise NotAWorkbook(
            f"{path.name} could not be read as an Excel workbook ({_short(exc)}); "
            "open it in Excel and save it again as .xlsx or .xlsm."
        ) from None

    finder = sheet_finder(sheet_names)

    def grid(key: str) -> tuple[str, list[list], int, int] | None:
        name = finder(key)
        if name is None:
            return None
        try:  # a sheet's part can be missing, damaged or not XML: calamine fails here
            sheet = book.get_sheet_by_name(name)
            start = sheet.start or (0, 0)
            rows = sheet.to_python()
        except Exception as exc:
            raise NotAWorkbook(
                f"Sheet {name!r} of {path.name} could not be read ({_short(exc)}); "
                "open the workbook in Excel and save it again."
            ) from None
        return name, rows, start[0], start[1]

    return _assemble(path, sheet_names, grid)


def _assemble(path: Path, sheet_names: list[str], grid) -> Workbook:
    """The one way a :class:`Workbook` is made, whatever the cells came from:
    ``grid(key)`` gives ``(real name, rows, row offset, column offset)`` of a sheet, or
    None when the workbook has no such sheet."""
    findings: list[Finding] = []
    sheets: dict[str, SheetData | None] = {}
    for key in D.RECORD_SHEETS:
        g = grid(key)
        if g is None:
            sheets[key] = None
            if key == "actions":
                raise WrongLayout(
                    f"{path.name} has no Actions sheet (sheets found: "
                    f"{', '.join(sheet_names) or 'none'}); use the ipxl template "
                    "(`ipxl new`) or rename the sheet that holds the actions to 'Actions'."
                )
            findings.append(
                Finding(
                    D.SHEET_NAMES[key], None, None, None, "error", "missing-sheet",
                    f"The workbook has no {D.SHEET_NAMES[key]} sheet "
                    f"(sheets found: {', '.join(sheet_names)}).",
                    f"Add a {D.SHEET_NAMES[key]} sheet with the template's headers.",
                )
            )
            continue
        sheets[key] = _read_records(key, *g, findings, path)
    settings = _read_settings(grid("settings"), path, findings)
    lists = _read_lists(grid("lists"), findings)
    return Workbook(path, sheet_names, sheets, settings, lists, findings)


def workbook_from_grids(
    name: str,
    grids: dict[str, tuple[list[list], int, int]],
    path: str | Path | None = None,
    *,
    sheet_names: list[str] | None = None,
) -> Workbook:
    """Build a :class:`Workbook` from cell values already in memory, e.g. the used
    ranges of a workbook open in Excel (:mod:`ipxl.excel`).

    ``grids`` maps a sheet's real name to ``(rows, first_row, first_col)``: the
    values of its used range (blank cells None or ``''``) and the 1-based Excel row
    and column of their top-left cell. ``name`` is the workbook's file name, used in
    messages; ``sheet_names`` lists every sheet (default: the keys of ``grids``).
    Everything else is exactly what :func:`read_workbook` does with a file.
    """
    path = Path(path) if path is not None else Path(name)
    sheet_names = list(sheet_names) if sheet_names is not None else list(grids)
    finder = sheet_finder(list(grids))

    def grid(key: str) -> tuple[str, list[list], int, int] | None:
        real = finder(key)
        if real is None:
            return None
        rows, first_row, first_col = grids[real]
        rows = [list(r) if isinstance(r, (list, tuple)) else [r] for r in (rows or [])]
        return real, rows, max(first_row - 1, 0), max(first_col - 1, 0)

    return _assemble(path, sheet_names, grid)


def sheet_finder(names: list[str]):
    """``find(key)``: the workbook's own name for sheet ``key`` ("actions", ...): the
    default name first, then the aliases in :data:`ipxl.defaults.SHEET_ALIASES`, each
    compared ignoring case and spacing; None when the workbook has no such sheet."""
    by_norm: dict[str, str] = {}
    for n in names:
        by_norm.setdefault(D.normalise_header(n), n)

    def find(key: str) -> str | None:
        for candidate in (D.SHEET_NAMES[key], *D.SHEET_ALIASES.get(key, ())):
            real = by_norm.get(D.normalise_header(candidate))
            if real is not None:
                return real
        return None

    return find


def is_read_sheet(name: str) -> bool:
    """Whether a sheet of this name is one the reader reads (for live Excel, which
    fetches only those)."""
    norm = D.normalise_header(name)
    return any(
        norm == D.normalise_header(candidate)
        for key in (*D.RECORD_SHEETS, "settings", "lists")
        for candidate in (D.SHEET_NAMES[key], *D.SHEET_ALIASES.get(key, ()))
    )


def check_file(path: Path) -> None:
    """Raise a one-sentence :class:`WorkbookUnusable` unless ``path`` looks like an
    xlsx/xlsm package. Cheap: reads the first bytes and the zip directory only."""
    if not path.exists():
        raise WorkbookNotFound(f"No file at {path}; check the path and try again.")
    if path.is_dir():
        raise NotAWorkbook(f"{path} is a folder, not a workbook; give the path of the .xlsx or .xlsm file.")
    size = path.stat().st_size
    if size == 0:
        raise NotAWorkbook(f"{path.name} is empty (0 bytes); use a saved copy of the workbook.")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE compound file: either an encrypted xlsx (Office wraps those in OLE)
        # or an old binary .xls.
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise WorkbookEncrypted(
                f"{path.name} is password-protected; remove the password in Excel "
                "(File > Info > Protect Workbook) and save it, then try again."
            )
        raise NotAWorkbook(
            f"{path.name} is an old-format .xls workbook; open it in Excel and save it as .xlsx or .xlsm."
        )
    if not head.startswith(b"PK"):
        raise NotAWorkbook(
            f"{path.name} is not an Excel workbook (it looks like {_sniff(head)}); "
            "give the .xlsx or .xlsm file."
        )
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise NotAWorkbook(
            f"{path.name} is damaged (the file is not a complete Excel package); "
            "restore it from a backup or save it again from Excel."
        ) from None
    if "xl/workbook.xml" not in names:
        kind = "a Word document" if "word/document.xml" in names else "not an Excel workbook"
        raise NotAWorkbook(f"{path.name} is {kind}; give the .xlsx or .xlsm monitoring workbook.")


# ------------------------------------------------------------------ record sheets

_ALIASES: dict[str, dict[str, str]] = {
    sheet: {
        D.normalise_header(name): col.key
        for col in cols
        for name in (col.header, *col.aliases)
    }
    for sheet, cols in D.COLUMNS.items()
}


def _column(sheet: str, key: str) -> D.Column:
    for col in D.COLUMNS[sheet]:
        if col.key == key:
            return col
    raise KeyError(key)


def _read_records(key, name, rows, row0, col0, findings, path) -> SheetData:
    aliases = _ALIASES[key]
    required = [c.key for c in D.COLUMNS[key] if c.required]
    header_idx = None
    best: tuple[int, list] = (-1, [])
    for i, row in enumerate(rows):
        if row0 + i >= D.HEADER_SEARCH_ROWS:
            break
        found = {aliases.get(D.normalise_header(v)) for v in row if isinstance(v, str) and v.strip()}
        hits = sum(k in found for k in required)
        if hits == len(required):
            header_idx = i
            break
        if hits > best[0]:
            best = (hits, [v for v in row if isinstance(v, str) and v.strip()])

    if header_idx is None:
        want = ", ".join(_column(key, k).header for k in required)
        seen = ", ".join(repr(v) for v in best[1][:12]) or "nothing"
        if key == "actions":
            raise WrongLayout(
                f"The Actions sheet of {path.name} has no header row with {want} in its "
                f"first {D.HEADER_SEARCH_ROWS} rows (found {seen}); put the column headers "
                "in one row near the top, as in the ipxl template."
            )
        findings.append(
            Finding(
                name, None, None, None, "error", "missing-header-row",
                f"No header row with {want} in the first {D.HEADER_SEARCH_ROWS} rows "
                f"(found {seen}); the sheet was not checked.",
                f"Put the headers {want} in one row near the top.",
            )
        )
        return _empty_sheet(key, name)

    header_row = row0 + header_idx + 1  # Excel is 1-based
    headers: dict[str, str] = {}
    letters: dict[str, str] = {}
    positions: dict[str, int] = {}
    extra: dict[str, int] = {}
    for j, v in enumerate(rows[header_idx]):
        if not (isinstance(v, str) and v.strip()):
            continue
        k = aliases.get(D.normalise_header(v))
        label = v.strip()
        if k is None:
            if label not in extra and label not in positions:
                extra[label] = j
            continue
        if k in positions:
            findings.append(
                Finding(
                    name, header_row, label, f"{col_letter(col0 + j + 1)}{header_row}", "warning",
                    "duplicate-column",
                    f"Column {label!r} is a second {headers[k]!r} column; only the first "
                    f"(column {letters[k]}) is read.",
                    "Rename or remove one of them.",
                )
            )
            continue
        positions[k] = j
        headers[k] = label
        letters[k] = col_letter(col0 + j + 1)

    missing = [c.key for c in D.COLUMNS[key] if c.key not in positions]
    body = rows[header_idx + 1 :]
    # Blank rows are skipped. calamine gives '' for empty cells, so a C-level count
    # settles almost every row; only rows with some content are looked at further.
    kept = [
        (header_row + 1 + i, r)
        for i, r in enumerate(body)
        if r.count("") != len(r) and (_filled(r[0]) or not all(_is_blank(v) for v in r))
    ]
    index = pd.Index([i for i, _ in kept], dtype="int64", name="row")
    width = max((len(r) for _, r in kept), default=0)
    # Transposed once, in C (zip), instead of indexing every row for every column.
    by_column = list(zip(*(r if len(r) == width else list(r) + [""] * (width - len(r)) for _, r in kept)))

    def column(j: int) -> list:
        if j >= width:
            return [None] * len(kept)
        # Inline rather than a function call per cell: this is the reader's hot loop.
        return [None if v == "" or (v.__class__ is str and v.isspace()) else v for v in by_column[j]]

    raw_cols: dict[str, list] = {}
    typed_cols: dict[str, pd.Series] = {}
    text_dates: dict[str, pd.Index] = {}
    for col in D.COLUMNS[key]:
        values = column(positions[col.key]) if col.key in positions else [None] * len(kept)
        raw_cols[col.key] = values
        if col.kind in ("date", "date_or_keyword"):
            # The reader already meets every text cell of a date column; it keeps
            # their rows so validation need not look at every cell again.
            typed_cols[col.key], text_at = _dates_and_text(values, index)
            text_dates[col.key] = index[text_at]
        else:
            typed_cols[col.key] = convert(values, col.kind, index)
    for label, j in extra.items():
        values = column(j)
        raw_cols[label] = values
        typed_cols[label] = pd.Series(values, index=index, dtype=object)
    raw = pd.DataFrame({k: pd.Series(v, index=index, dtype=object) for k, v in raw_cols.items()}, index=index)
    frame = pd.DataFrame(typed_cols, index=index)
    return SheetData(key, name, header_row, frame, raw, headers, letters, missing, text_dates)


def _empty_sheet(key: str, name: str) -> SheetData:
    idx = pd.Index([], dtype="int64", name="row")
    frame = pd.DataFrame({c.key: pd.Series(dtype=_dtype(c.kind), index=idx) for c in D.COLUMNS[key]})
    raw = pd.DataFrame({c.key: pd.Series(dtype=object, index=idx) for c in D.COLUMNS[key]})
    return SheetData(key, name, 0, frame, raw, {}, {}, [c.key for c in D.COLUMNS[key]])


def _dtype(kind: str):
    return {"date": "datetime64[ns]", "int": "Int64", "number": "float64"}.get(kind, object)


def _filled(v) -> bool:
    """True for a cell that certainly holds something (the fast path of _is_blank)."""
    if v.__class__ is str:
        return v != "" and not v.isspace()
    return v is not None


def _is_blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


# ---------------------------------------------------------------------- conversion

#: UK date spellings accepted in text cells, tried in order.
TEXT_DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%d-%m-%Y",
    "%d-%m-%y",
    "%Y-%m-%d",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B %y",
    "%d %b %y",
)

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def convert(values: list, kind: str, index: pd.Index) -> pd.Series:
    """Convert one column of raw cell values (blanks already None) to its type.

    Values that do not convert become null in the typed frame; validation reports
    them from the raw frame.
    """
    if kind in ("date", "date_or_keyword"):
        return to_dates(values, index)
    if kind in ("int", "number"):
        return pd.Series([_number_or_none(v) for v in values], index=index, dtype="float64")
    # Plain strings (nearly every cell) are stripped inline; the rest go through _text.
    return pd.Series([(v.strip() or None) if v.__class__ is str else _text(v) for v in values],
                     index=index, dtype=object)


def _text(v):
    """A cell value as stripped text. Whole floats lose their ``.0`` (calamine reads
    every number as a float) and dates become ISO text."""
    if v is None:
        return None
    if isinstance(v, str):
        return v.strip() or None
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.isoformat() if (v.hour or v.minute or v.second) else v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _blank_to_none(v):
    if v == "" or (isinstance(v, str) and not v.strip()):
        return None
    return v


_DATE_CLASSES = (dt.date, dt.datetime)
_UNIX_ORDINAL = dt.date(1970, 1, 1).toordinal()
_NO_DATE = -(2**62)


def to_dates(values, index: pd.Index | None = None) -> pd.Series:
    """Dates from Excel date cells, Excel serial numbers and UK text (``31/03/2024``)."""
    if isinstance(values, pd.Series):
        index = values.index if index is None else index
        values = values.tolist()
    return _dates_and_text(values, index)[0]


def _dates_and_text(values: list, index: pd.Index) -> tuple[pd.Series, list[int]]:
    """:func:`to_dates`, and the positions of the cells that held text."""
    # Excel date cells (the usual case) become day numbers in one comprehension;
    # anything else is looked at one by one afterwards.
    days = [v.toordinal() - _UNIX_ORDINAL if v.__class__ in _DATE_CLASSES else _NO_DATE for v in values]
    text_at: list[int] = []
    for i, v in enumerate(values):
        if v is None or days[i] != _NO_DATE:
            continue
        if isinstance(v, _DATE_CLASSES):  # a subclass of date (pandas Timestamp, say)
            days[i] = v.toordinal() - _UNIX_ORDINAL
        elif isinstance(v, str):
            text_at.append(i)
        elif isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 2958466:
            days[i] = (_EXCEL_EPOCH + pd.Timedelta(days=round(v))).toordinal() - _UNIX_ORDINAL
    arr = np.array(days, dtype="int64")
    stamps = np.where(arr == _NO_DATE, np.datetime64("NaT"), arr.astype("datetime64[D]"))
    result = pd.Series(stamps.astype("datetime64[ns]"), index=index)
    if text_at:
        texts = pd.Series([values[i] for i in text_at], index=index[text_at], dtype=object)
        result.iloc[text_at] = parse_text_dates(texts).to_numpy()
    return result, text_at


def parse_text_dates(s: pd.Series) -> pd.Series:
    """Parse UK-style date text, each format tried in turn on what is still unparsed."""
    text = pd.Series([" ".join(str(v).split()) for v in s], index=s.index, dtype=object)
    result = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    todo = pd.Series(True, index=s.index)
    for fmt in TEXT_DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        hit = parsed.notna()
        if hit.any():
            result[hit[hit].index] = parsed[hit].astype("datetime64[ns]")
            todo[hit[hit].index] = False
    return result


def parse_text_date(value: str) -> dt.date | None:
    """One UK date text -> date, or None."""
    got = parse_text_dates(pd.Series([value], dtype=object)).iloc[0]
    return None if pd.isna(got) else got.date()


def _number_or_none(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            return float(v.strip())
        except ValueError:
            return None
    return None


def _as_date(v) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v < 2958466:
        return (_EXCEL_EPOCH + pd.Timedelta(days=round(v))).date()
    if isinstance(v, str) and v.strip():
        return parse_text_date(v)
    return None


# ------------------------------------------------------------------------- settings


def _read_settings(g, path: Path, findings: list[Finding]) -> Settings:
    settings = Settings()
    if g is None:
        findings.append(
            Finding(
                D.SHEET_NAMES["settings"], None, None, None, "warning", "missing-sheet",
                "The workbook has no Settings sheet, so the reporting period is unknown "
                "and nothing can be counted as new this period.",
                "Add a Settings sheet with Council, Plan title, Reporting period, Period start and Period end.",
            )
        )
        return settings
    name, rows, row0, col0 = g
    labels = {D.normalise_header(v): k for k, v in D.SETTINGS_KEYS.items()}
    found: dict[str, tuple[object, int]] = {}
    for i, row in enumerate(rows):
        if not row:
            continue
        key = labels.get(D.normalise_header(row[0])) if isinstance(row[0], str) else None
        if key and key not in found:
            found[key] = (row[1] if len(row) > 1 else None, row0 + i + 1)
    value_col = col_letter(col0 + 2)
    for key, (value, excel_row) in found.items():
        if _is_blank(value):
            continue
        if key in ("period_start", "period_end"):
            d = _as_date(value)
            if d is None:
                findings.append(
                    Finding(
                        name, excel_row, "Value", f"{value_col}{excel_row}", "error", "invalid-date",
                        f"{D.SETTINGS_KEYS[key]} {value!r} is not a date.",
                        "Enter a date such as 31/10/2023.",
                    )
                )
            setattr(settings, key, d)
        elif key == "previous_workbook":
            p = Path(str(value).strip())
            settings.previous_workbook = p if p.is_absolute() else path.parent / p
        else:
            setattr(settings, key, _text(value) or "")
    for key in ("period_start", "period_end"):
        if key not in found or _is_blank(found[key][0]):
            findings.append(
                Finding(
                    name, None, None, None, "warning", "missing-setting",
                    f"Settings has no {D.SETTINGS_KEYS[key]}, so nothing can be counted as new this period.",
                    f"Add a row '{D.SETTINGS_KEYS[key]}' with the date in column B.",
                )
            )
    return settings


# ---------------------------------------------------------------------------- lists


def _read_lists(g, findings: list[Finding]) -> Lists:
    lists = Lists()
    if g is None:
        findings.append(
            Finding(
                D.SHEET_NAMES["lists"], None, None, None, "warning", "missing-sheet",
                "The workbook has no Lists sheet; the default themes, statuses and lists were used.",
                "Add the Lists sheet from the ipxl template to set your own values.",
            )
        )
        return lists
    name, rows, row0, col0 = g
    header_idx = None
    for i, row in enumerate(rows[: max(0, D.HEADER_SEARCH_ROWS - row0)]):
        norm = {D.normalise_header(v) for v in row if isinstance(v, str)}
        if D.normalise_header(D.LIST_HEADERS["status"]) in norm:
            header_idx = i
            break
    if header_idx is None:
        findings.append(
            Finding(
                name, None, None, None, "warning", "missing-list",
                "The Lists sheet has no header row with 'Status'; the default lists were used.",
                "Restore the Lists sheet from the ipxl template.",
            )
        )
        return lists
    header = rows[header_idx]
    cols = {D.normalise_header(v): j for j, v in enumerate(header) if isinstance(v, str) and v.strip()}
    body = rows[header_idx + 1 :]

    def column(label: str) -> list | None:
        j = cols.get(D.normalise_header(label))
        if j is None:
            return None
        return [r[j] if j < len(r) else None for r in body]

    def texts(values: list) -> list[str]:
        return [" ".join(str(v).split()) if not isinstance(v, float) else str(int(v)) if v.is_integer() else str(v)
                for v in values if not _is_blank(v)]

    def missing(label: str) -> None:
        findings.append(
            Finding(
                name, None, label, None, "warning", "missing-list",
                f"The Lists sheet has no {label!r} column; the default values were used.",
                f"Add a {label!r} column to the Lists sheet.",
            )
        )

    H = D.LIST_HEADERS
    codes, themes = column(H["theme_code"]), column(H["theme"])
    if codes is None or themes is None:
        missing(H["theme_code"] if codes is None else H["theme"])
    else:
        pairs = {
            str(c).strip(): " ".join(str(t).split())
            for c, t in zip(codes, themes)
            if not _is_blank(c) and not _is_blank(t)
        }
        if pairs:
            lists.themes = pairs
    names = column(H["status"])
    if names is None:
        missing(H["status"])
    else:
        colours = column(H["status_colour"]) or [None] * len(names)
        meanings = column(H["status_meaning"]) or [None] * len(names)
        defaults = {s.name: s for s in D.STATUSES}
        statuses = []
        for n, c, m in zip(names, colours, meanings):
            if _is_blank(n):
                continue
            n = " ".join(str(n).split())
            base = defaults.get(n)
            colour = str(c).strip().lstrip("#").upper() if not _is_blank(c) else (base.colour if base else "FFFFFF")
            meaning = str(m).strip() if not _is_blank(m) else (base.meaning if base else "")
            statuses.append(D.Status(n, colour, meaning))
        if statuses:
            lists.statuses = tuple(statuses)
    for spec in D.SIMPLE_LISTS:
        values = column(spec.header)
        if values is None:
            missing(spec.header)
            continue
        got = texts(values)
        if got:
            setattr(lists, spec.key, tuple(got))
    ratings, lows, highs = column(H["band_rating"]), column(H["band_low"]), column(H["band_high"])
    if ratings is None or lows is None or highs is None:
        missing(H["band_rating"] if ratings is None else H["band_low"] if lows is None else H["band_high"])
    else:
        colours = column(H["band_colour"]) or [None] * len(ratings)
        bands = []
        for r, lo, hi, c in zip(ratings, lows, highs, colours):
            if _is_blank(r) or _number_or_none(lo) is None or _number_or_none(hi) is None:
                continue
            base = next((b for b in D.SCORE_BANDS if b.rating == str(r).strip()), None)
            colour = str(c).strip().lstrip("#").upper() if not _is_blank(c) else (base.colour if base else "FFFFFF")
            bands.append(D.ScoreBand(str(r).strip(), int(_number_or_none(lo)), int(_number_or_none(hi)), colour))
        if bands:
            lists.score_bands = tuple(bands)
    return lists


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def _sniff(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "a PDF"
    if head[:1] in (b"<",) or head.lstrip().startswith(b"<"):
        return "an HTML or XML file"
    try:
        head.decode("utf-8")
        return "a text or CSV file"
    except UnicodeDecodeError:
        return "some other kind of file"
