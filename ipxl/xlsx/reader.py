"""Read a monitoring workbook once into typed DataFrames keyed by Excel row.

The reader goes through python-calamine (a Rust xlsx reader, many times faster than
openpyxl) because validation only needs values; openpyxl is used elsewhere only where
styles matter. Every record keeps its Excel row number as the DataFrame index, so a
finding can point at a cell without a second lookup.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import defaults as D
from ..errors import NotAWorkbook, WrongLayout
from ..findings import Finding
from .cells import col_letter
from .convert import (
    convert,
    dates_and_text,
    filled,
    is_blank,
    number_or_none,
    texts,
)
from .model import Lists, Settings, SheetData, Workbook, column_spec, dtype_of
from .package import PackageInfo, check_file, short_error
from .settings_sheet import overall_risk_findings, read_settings

# ------------------------------------------------------------------------- reading


def read_workbook(
    path: str | Path,
    sheets: Iterable[str] | None = None,
    *,
    columns: Mapping[str, Iterable[str]] | None = None,
    checked: PackageInfo | None = None,
    on_settings: Callable[[Settings], object] | None = None,
) -> Workbook:
    """Read the workbook at ``path`` in one pass.

    ``sheets`` names the record sheets to read (keys such as ``"actions"``; Settings
    and Lists are always read); by default every sheet is, as validation needs. A
    step that needs less (highlight: Actions and Milestones; last period's workbook:
    the same) reads less, and the rest are listed in ``Workbook.skipped``.
    ``columns`` maps a record sheet's key to the spec columns a step needs of it
    (:data:`ipxl.defaults.HIGHLIGHT_COLUMNS`): only those are converted, and the
    sheet's frames hold only those (the rest are named in ``SheetData.unread``); its
    rows, header and column letters are found as in a full read.

    Raises a :class:`~ipxl.errors.WorkbookUnusable` subclass, with a one-sentence
    message, when the file is missing, not an .xlsx/.xlsm, corrupt, empty,
    password-protected or has no usable Actions sheet. Everything else that is wrong
    becomes a finding, returned by :func:`ipxl.validate`. ``checked`` is the
    :func:`~ipxl.xlsx.package.check_file` result of a caller that already checked
    the file (a write-back holding its lock), so the package is checked once.
    ``on_settings`` is called with the Settings as soon as they are read, before any
    record sheet (:func:`read_with_previous` starts last period's read there).
    """
    path = Path(path)
    info = check_file(path, checked)
    wanted = None if sheets is None else frozenset(sheets)
    only = {k: frozenset(v) for k, v in (columns or {}).items()}
    with gc_paused():
        return _read_file(path, info, wanted, only, on_settings)


@contextlib.contextmanager
def gc_paused():
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


#: Cells a sheet may span (rows x columns, from A1) before it is read cell by cell
#: instead of as one dense grid: a 300,000-row plan of 16 columns is well inside it.
DENSE_LIMIT = 6_000_000

#: A grid as the assembler takes it: (real sheet name, rows as (Excel row number,
#: values from column col0 + 1), col0).
Grid = tuple[str, list[tuple[int, list]], int]


def _read_file(
    path: Path,
    info,
    wanted: frozenset[str] | None = None,
    only: Mapping[str, frozenset[str]] | None = None,
    on_settings: Callable[[Settings], object] | None = None,
) -> Workbook:
    import zipfile

    from . import sparse
    from .calamine import calamine_book
    from .package import scan_sheet

    # None where python-calamine has no build (Pyodide, xlwings Lite): every sheet is
    # then read cell by cell
    book: Any = calamine_book(path, info)
    try:
        sheet_names = list(book.sheet_names) if book is not None else list(info.sheets)
    except Exception as exc:  # calamine raises its own error types for bad packages
        raise NotAWorkbook(
            f"{path.name} could not be read as an Excel workbook ({short_error(exc)}); "
            "open it in Excel and save it again as .xlsx or .xlsm."
        ) from None

    finder = sheet_finder(sheet_names)
    zf = zipfile.ZipFile(path)
    cache: dict[str, Any] = {}
    formulas: dict[str, frozenset[str]] = {}

    def sparse_rows(part: str) -> list[tuple[int, list]]:
        if "strings" not in cache:
            cache["strings"] = sparse.shared_strings(zf, info.shared_strings)
            cache["dates"] = sparse.date_styles(zf, info.styles)
        return sparse.read_sheet(zf, part, cache["strings"], cache["dates"])

    def grid(key: str) -> Grid | None:
        name = finder(key)
        if name is None:
            return None
        part = info.sheets.get(name)
        scan = scan_sheet(path, zf, part, info.encodings.get(part, "utf-8")) if part in info.infos else None
        try:  # a sheet's part can be missing, damaged or not XML: the readers fail here
            if book is None or (scan is not None and (scan.extent > DENSE_LIMIT or scan.negative)):
                rows, col0 = sparse_rows(part), 0
            else:
                try:
                    sheet = book.get_sheet_by_name(name)
                    start = sheet.start or (0, 0)
                    row0, col0 = start
                    rows = [(row0 + i + 1, r) for i, r in enumerate(sheet.to_python())]
                except (KeyboardInterrupt, SystemExit, MemoryError):
                    raise
                except BaseException as exc:
                    # calamine panics (a BaseException) on some values Excel never
                    # writes; the cell-by-cell reader gives every cell as it is
                    if part not in info.infos:
                        raise NotAWorkbook(_unreadable(name, path, exc)) from None
                    rows, col0 = sparse_rows(part), 0
        except NotAWorkbook:
            raise
        except Exception as exc:
            raise NotAWorkbook(_unreadable(name, path, exc)) from None
        if scan is not None and scan.errors:
            _put_errors(rows, col0, scan.errors)
        formulas[name] = frozenset(scan.formulas) if scan is not None else frozenset()
        return name, rows, col0

    try:
        return _with_formulas(_assemble(path, sheet_names, grid, wanted, only, on_settings), formulas)
    finally:
        zf.close()


def _with_formulas(wb: Workbook, formulas: Mapping[str, frozenset[str] | None]) -> Workbook:
    """Say which cells of each record sheet hold a formula (where the door knows)."""
    for sheet in wb.sheets.values():
        if sheet is not None and sheet.name in formulas:
            sheet.formulas = formulas[sheet.name]
    return wb


def _unreadable(name: str, path: Path, exc: BaseException) -> str:
    return (
        f"Sheet {name!r} of {path.name} could not be read ({short_error(exc)}); "
        "open the workbook in Excel and save it again."
    )


def _put_errors(rows: list[tuple[int, list]], col0: int, errors: dict[str, str]) -> None:
    """Cells holding an Excel error read as blank; put the error's text (``#REF!``)
    in them, so a finding names it as what it is."""
    from .cells import split_cell

    at: dict[int, list[tuple[int, str]]] = {}
    for ref, text in errors.items():
        r, c = split_cell(ref)
        at.setdefault(r, []).append((c - col0 - 1, text))
    for n, values in rows:
        for j, text in at.get(n, ()):
            if 0 <= j < len(values) and values[j] in ("", None):
                values[j] = text


def _assemble(
    path: Path,
    sheet_names: list[str],
    grid,
    wanted: frozenset[str] | None = None,
    only: Mapping[str, frozenset[str]] | None = None,
    on_settings: Callable[[Settings], object] | None = None,
) -> Workbook:
    """The one way a :class:`Workbook` is made, whatever the cells came from:
    ``grid(key)`` gives a sheet's :data:`Grid` (its real name, its rows as (Excel row
    number, values), the column offset), or None when the workbook has no such sheet.
    Record sheets outside ``wanted`` (when given; Actions always) are not read; of a
    sheet named in ``only``, only those columns are converted. Settings are read
    first (and given to ``on_settings``); their findings follow the record sheets'."""
    settings_findings: list[Finding] = []
    settings = read_settings(grid("settings"), path, settings_findings)
    if on_settings is not None:
        on_settings(settings)
    findings: list[Finding] = []
    sheets: dict[str, SheetData | None] = {}
    skipped = set()
    for key in (*D.RECORD_SHEETS, *D.OPTIONAL_SHEETS):
        if wanted is not None and key != "actions" and key not in wanted:
            sheets[key] = None
            skipped.add(key)
            continue
        g = grid(key)
        if g is None:
            sheets[key] = None
            if key in D.OPTIONAL_SHEETS:
                continue
            if key == "actions":
                raise WrongLayout(
                    f"{path.name} has no Actions sheet (sheets found: "
                    f"{', '.join(sheet_names) or 'none'}); use the ipxl template "
                    "(`ipxl new`) or rename the sheet that holds the actions to 'Actions'."
                )
            findings.append(
                Finding(
                    D.SHEET_NAMES[key],
                    None,
                    None,
                    None,
                    "error",
                    "missing-sheet",
                    f"The workbook has no {D.SHEET_NAMES[key]} sheet (sheets found: {', '.join(sheet_names)}).",
                    f"Add a {D.SHEET_NAMES[key]} sheet with the template's headers.",
                )
            )
            continue
        name, rows, col0 = g
        sheets[key] = _read_records(key, name, rows, col0, findings, path, (only or {}).get(key))
    findings += settings_findings
    lists = _read_lists(grid("lists"), findings)
    findings += overall_risk_findings(settings, lists)
    report = None
    if wanted is None or "report" in wanted:
        g = grid("report")
        if g is not None:
            from .report_sheet import read_report

            report = read_report(*g)
    wb = Workbook(path, sheet_names, sheets, settings, lists, findings, skipped=frozenset(skipped), report=report)
    # ipxl's own records: the hidden record of the values signed is read only by the
    # steps that compare with it (a full read: validate, the pack, a sign-off)
    from .records import NOT_OURS, read_audit, read_signoff

    if wanted is None or "signoff" in wanted:
        g = grid("signoff")
        wb.signoff = read_signoff(g, grid("signed") if g is not None else None)
        if wb.signoff is NOT_OURS and g is not None:
            wb.signoff, wb.foreign = None, (*wb.foreign, g[0])
    if wanted is None or "audit" in wanted:
        g = grid("audit")
        audit = read_audit(g)
        if audit is None and g is not None:
            wb.foreign = (*wb.foreign, g[0])
        wb.audit = audit or []
    # ipxl's own sheets an officer made under the same name: never written over (read
    # only by a step that may write them: a full read, or one that names them)
    for key, marks in D.OWN_SHEET_MARKS.items():
        if wanted is not None and key not in wanted:
            continue
        g = grid(key)
        if g is not None and not _own_sheet(g, marks):
            wb.foreign = (*wb.foreign, g[0])
    return wb


def _own_sheet(g: Grid, marks: tuple[str, str]) -> bool:
    """Whether a sheet is one ipxl wrote (its first column says ``marks`` in rows 2
    and 3), or holds nothing to lose."""
    _, rows, col0 = g
    first = {n: r[0] for n, r in rows if r and col0 == 0}
    said = tuple(str(first.get(n) or "").strip() for n in (2, 3))
    return said == marks or not any(filled(v) for _, r in rows for v in r)


def workbook_from_grids(
    name: str,
    grids: dict[str, tuple[list[list], int, int]],
    path: str | Path | None = None,
    *,
    sheet_names: list[str] | None = None,
    formulas: Mapping[str, frozenset[str] | None] | None = None,
) -> Workbook:
    """Build a :class:`Workbook` from cell values already in memory, e.g. the used
    ranges of a workbook open in Excel (:mod:`ipxl.excel`); ``formulas`` gives the
    cells of a sheet that hold formulas, where the door can tell.

    ``grids`` maps a sheet's real name to ``(rows, first_row, first_col)``: the
    values of its used range (blank cells None or ``''``) and the 1-based Excel row
    and column of their top-left cell. ``name`` is the workbook's file name, used in
    messages; ``sheet_names`` lists every sheet (default: the keys of ``grids``).
    Everything else is exactly what :func:`read_workbook` does with a file.
    """
    path = Path(path) if path is not None else Path(name)
    sheet_names = list(sheet_names) if sheet_names is not None else list(grids)
    finder = sheet_finder(list(grids))

    def grid(key: str) -> Grid | None:
        real = finder(key)
        if real is None:
            return None
        rows, first_row, first_col = grids[real]
        row0 = max(first_row - 1, 0)
        lines = [(row0 + i + 1, list(r) if isinstance(r, (list, tuple)) else [r]) for i, r in enumerate(rows or [])]
        return real, lines, max(first_col - 1, 0)

    wb = _with_formulas(_assemble(path, sheet_names, grid), formulas or {})
    wb.located = path.is_absolute()
    return wb


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
        for key in (
            *D.RECORD_SHEETS,
            *D.OPTIONAL_SHEETS,
            "settings",
            "lists",
            "report",
            "signoff",
            "signed",
            "audit",
            *D.OWN_SHEET_MARKS,
        )
        for candidate in (D.SHEET_NAMES[key], *D.SHEET_ALIASES.get(key, ()))
    )


# ------------------------------------------------------------------ record sheets

_ALIASES: dict[str, dict[str, str]] = {
    sheet: {D.normalise_header(name): col.key for col in cols for name in (col.header, *col.aliases)}
    for sheet, cols in D.COLUMNS.items()
}


def _read_records(
    key, name, rows: list[tuple[int, list]], col0, findings, path, only: frozenset[str] | None = None
) -> SheetData:
    aliases = _ALIASES[key]
    required = [c.key for c in D.COLUMNS[key] if c.required]
    header_idx = None
    best: tuple[int, list] = (-1, [])
    for i, (row_no, row) in enumerate(rows):
        if row_no > D.HEADER_SEARCH_ROWS:
            break
        found = {aliases.get(D.normalise_header(v)) for v in row if isinstance(v, str) and v.strip()}
        hits = sum(k in found for k in required)
        if hits == len(required):
            header_idx = i
            break
        if hits > best[0]:
            best = (hits, [v for v in row if isinstance(v, str) and v.strip()])

    if header_idx is None:
        want = ", ".join(column_spec(key, k).header for k in required)
        seen = ", ".join(repr(v) for v in best[1][:12]) or "nothing"
        if key == "actions":
            raise WrongLayout(
                f"The Actions sheet of {path.name} has no header row with {want} in its "
                f"first {D.HEADER_SEARCH_ROWS} rows (found {seen}); put the column headers "
                "in one row near the top, as in the ipxl template."
            )
        findings.append(
            Finding(
                name,
                None,
                None,
                None,
                "error",
                "missing-header-row",
                f"No header row with {want} in the first {D.HEADER_SEARCH_ROWS} rows "
                f"(found {seen}); the sheet was not checked.",
                f"Put the headers {want} in one row near the top.",
            )
        )
        return _empty_sheet(key, name, only)

    header_row, header = rows[header_idx]
    headers: dict[str, str] = {}
    letters: dict[str, str] = {}
    positions: dict[str, int] = {}
    extra: dict[str, int] = {}
    for j, v in enumerate(header):
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
                    name,
                    header_row,
                    label,
                    f"{col_letter(col0 + j + 1)}{header_row}",
                    "warning",
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
    # A value right of the last header has no column to belong to: rows are cut there,
    # so a stray cell far out never widens the table.
    width = max((j for j, v in enumerate(header) if isinstance(v, str) and v.strip()), default=-1) + 1
    body = [(n, r if len(r) <= width else r[:width]) for n, r in rows[header_idx + 1 :]]
    # Blank rows are skipped. calamine gives '' for empty cells, so a C-level count
    # settles almost every row; only rows with some content are looked at further.
    kept = [
        (n, r) for n, r in body if r and r.count("") != len(r) and (filled(r[0]) or not all(is_blank(v) for v in r))
    ]
    index = pd.Index([i for i, _ in kept], dtype="int64", name="row")
    specs, unread = _columns_read(key, only)
    # A step that names the columns it needs wants none of the sheet's extra ones.
    extras = extra if only is None else {}
    # The kept rows as one 2-D array (numpy copies the references, in C); a column is
    # then a slice of it, not a pass of Python over every row.
    cells = _cell_grid([r for _, r in kept], width)

    def column(j: int) -> list:
        if j >= width or not kept:
            return [None] * len(kept)
        # Inline rather than a function call per cell: this is the reader's hot loop.
        return [None if v == "" or (v.__class__ is str and v.isspace()) else v for v in cells[:, j].tolist()]

    raw_cols: dict[str, Any] = {}
    typed_cols: dict[str, pd.Series] = {}
    text_dates: dict[str, pd.Index] = {}
    for col in specs:
        at = positions.get(col.key)
        if col.kind == "text" and at is not None and kept:
            # Text, the most of a sheet: one pass strips each cell (a blank or spaces
            # becomes None), and the raw column is the cells as they were with None
            # where the stripped text is, found in C.
            typed = np.fromiter(texts(cells[:, at].tolist()), dtype=object, count=len(kept))
            raw = cells[:, at].copy()
            raw[typed == None] = None  # noqa: E711 - elementwise, in numpy
            raw_cols[col.key] = raw
            typed_cols[col.key] = pd.Series(typed, index=index, dtype=object)
            continue
        values = column(at) if at is not None else [None] * len(kept)
        raw_cols[col.key] = values
        if col.kind in ("date", "date_or_keyword"):
            # The reader already meets every text cell of a date column; it keeps
            # their rows so validation need not look at every cell again.
            typed_cols[col.key], text_at = dates_and_text(values, index)
            text_dates[col.key] = index[text_at]
        else:
            typed_cols[col.key] = convert(values, col.kind, index)
    for label, j in extras.items():
        values = column(j)
        raw_cols[label] = values
        typed_cols[label] = pd.Series(values, index=index, dtype=object)
    raw = pd.DataFrame({k: pd.Series(v, index=index, dtype=object) for k, v in raw_cols.items()}, index=index)
    frame = pd.DataFrame(typed_cols, index=index)
    extra_letters = {label: col_letter(col0 + j + 1) for label, j in extras.items()}
    return SheetData(
        key, name, header_row, frame, raw, headers, letters, missing, text_dates, col0 + width, unread, extra_letters
    )


def _cell_grid(rows: list[list], width: int):
    """``rows`` (cut to ``width`` already) as a 2-D numpy array of their values, short
    rows padded with ``''`` (calamine's empty cell)."""
    if not rows or not width:
        return np.empty((len(rows), width), dtype=object)
    if any(len(r) != width for r in rows):
        rows = [r if len(r) == width else list(r) + [""] * (width - len(r)) for r in rows]
    grid = np.array(rows, dtype=object)
    if grid.shape != (len(rows), width):  # a value numpy took for a sequence: put each in its place
        grid = np.empty((len(rows), width), dtype=object)
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                grid[i, j] = v
    return grid


def _columns_read(key: str, only: frozenset[str] | None) -> tuple[list[D.Column], frozenset[str]]:
    """The spec columns of sheet ``key`` a read converts (all, or those in ``only``),
    and the keys of the rest (``SheetData.unread``)."""
    specs = [c for c in D.COLUMNS[key] if only is None or c.key in only]
    return specs, frozenset(c.key for c in D.COLUMNS[key] if c not in specs)


def _empty_sheet(key: str, name: str, only: frozenset[str] | None = None) -> SheetData:
    idx = pd.Index([], dtype="int64", name="row")
    specs, unread = _columns_read(key, only)
    frame = pd.DataFrame({c.key: pd.Series(dtype=dtype_of(c.kind), index=idx) for c in specs})
    raw = pd.DataFrame({c.key: pd.Series(dtype=object, index=idx) for c in specs})
    return SheetData(key, name, 0, frame, raw, {}, {}, [c.key for c in D.COLUMNS[key]], unread=unread)


# ---------------------------------------------------------------------------- lists


def _read_lists(g, findings: list[Finding]) -> Lists:
    lists = Lists()
    if g is None:
        findings.append(
            Finding(
                D.SHEET_NAMES["lists"],
                None,
                None,
                None,
                "warning",
                "missing-sheet",
                "The workbook has no Lists sheet; the default themes, statuses and lists were used.",
                "Add the Lists sheet from the ipxl template to set your own values.",
            )
        )
        return lists
    name, rows, _col0 = g
    header_idx = None
    for i, (row_no, row) in enumerate(rows):
        if row_no > D.HEADER_SEARCH_ROWS:
            break
        norm = {D.normalise_header(v) for v in row if isinstance(v, str)}
        if D.normalise_header(D.LIST_HEADERS["status"]) in norm:
            header_idx = i
            break
    if header_idx is None:
        findings.append(
            Finding(
                name,
                None,
                None,
                None,
                "warning",
                "missing-list",
                "The Lists sheet has no header row with 'Status'; the default lists were used.",
                "Restore the Lists sheet from the ipxl template.",
            )
        )
        return lists
    header = rows[header_idx][1]
    cols = {D.normalise_header(v): j for j, v in enumerate(header) if isinstance(v, str) and v.strip()}
    body = [r for _, r in rows[header_idx + 1 :]]

    def column(label: str) -> list | None:
        j = cols.get(D.normalise_header(label))
        if j is None:
            return None
        return [r[j] if j < len(r) else None for r in body]

    def texts(values: list) -> list[str]:
        return [
            " ".join(str(v).split()) if not isinstance(v, float) else str(int(v)) if v.is_integer() else str(v)
            for v in values
            if not is_blank(v)
        ]

    def missing(label: str) -> None:
        findings.append(
            Finding(
                name,
                None,
                label,
                None,
                "warning",
                "missing-list",
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
            if not is_blank(c) and not is_blank(t)
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
            if is_blank(n):
                continue
            n = " ".join(str(n).split())
            base = defaults.get(n)
            colour = str(c).strip().lstrip("#").upper() if not is_blank(c) else (base.colour if base else "FFFFFF")
            meaning = str(m).strip() if not is_blank(m) else (base.meaning if base else "")
            statuses.append(D.Status(n, colour, meaning))
        if statuses:
            lists.statuses = tuple(statuses)
    for spec in D.SIMPLE_LISTS:
        values = column(spec.header)
        if values is None:
            if not spec.optional:
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
            if is_blank(r) or number_or_none(lo) is None or number_or_none(hi) is None:
                continue
            band = next((b for b in D.SCORE_BANDS if b.rating == str(r).strip()), None)
            colour = str(c).strip().lstrip("#").upper() if not is_blank(c) else (band.colour if band else "FFFFFF")
            bands.append(D.ScoreBand(str(r).strip(), int(number_or_none(lo)), int(number_or_none(hi)), colour))
        if bands:
            lists.score_bands = tuple(bands)
    leads, emails = column(H["lead"]), column(H["lead_email"])
    if leads is not None and emails is not None:  # optional: no finding when absent
        lists.emails = {
            " ".join(str(n).split()): str(e).strip()
            for n, e in zip(leads, emails)
            if not is_blank(n) and not is_blank(e)
        }
    return lists
