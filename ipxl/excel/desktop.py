"""One click in Excel: validate, refresh and build the pack from the open workbook.

The officer clicks a button on the workbook's ``Control`` sheet; xlwings' ``RunPython``
starts Python, which calls one of the entry points here with the workbook that called
it (``xw.Book.caller()``). Everything goes through Excel, never through the file on
disk, so the officer can undo a run by closing without saving.

The same plans as the command line (:mod:`ipxl.writeback`) are applied through
:class:`XlwingsTarget`, the live-Excel implementation of
:class:`ipxl.writeback.target.WorkbookTarget`: one engine, two doors.

Round trips to Excel are what make a macro slow (each is a cross-process call on
Windows and an AppleScript event on the Mac), so each sheet is read in one call, each
block of values is written in one call, and formats are applied per group of cells
with the same format, as multi-area addresses (``A5:P5,A9:P12``) kept under Excel's
255-character limit (:func:`group_addresses`).

xlwings is imported inside the functions: importing this module costs nothing on a
machine without Excel, and ``xlwings.pro`` is never imported.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .. import defaults as D
from ..errors import ExcelUnavailable, IpxlError, OutputExists
from ..xlsx.cells import col_index, col_letter, runs, split_cell

if TYPE_CHECKING:
    from ..writeback.target import Done

#: Longest address string Excel's ``Range()`` accepts.
ADDRESS_LIMIT = 255
ALERT_TITLE = "ipxl"
LINK_FONT = "0563C1"


class WorkbookNotLocal(ExcelUnavailable):
    """The workbook open in Excel has no folder on this computer (OneDrive or
    SharePoint without a local sync mapping, or never saved)."""


# ===================================================================== addresses


def _cells_of(item) -> Iterator[tuple[int, int]]:
    """(row, col) pairs of one item: a (row, col) tuple, an A1 cell or an A1 range."""
    if isinstance(item, tuple):
        yield int(item[0]), int(item[1])
        return
    text = str(item).strip()
    if ":" in text:
        a, b = text.split(":", 1)
        (r1, c1), (r2, c2) = split_cell(a), split_cell(b)
        for r in range(min(r1, r2), max(r1, r2) + 1):
            for c in range(min(c1, c2), max(c1, c2) + 1):
                yield r, c
    else:
        yield split_cell(text)


def _area(r1: int, c1: int, r2: int, c2: int) -> str:
    a = f"{col_letter(c1)}{r1}"
    return a if (r1, c1) == (r2, c2) else f"{a}:{col_letter(c2)}{r2}"


def group_addresses(cells: Iterable, limit: int = ADDRESS_LIMIT) -> list[str]:
    """Cells as few multi-area address strings as possible, each at most ``limit``
    characters (Excel's ``Range()`` refuses longer ones).

    ``cells`` holds A1 cells (``"B5"``), A1 ranges (``"A5:P5"``) or (row, col) pairs.
    Runs of columns in a row become one area, and rows with the same run that follow
    each other merge into a rectangle, so whole new rows ``5`` and ``9..12`` across
    A:P come out as ``["A5:P5,A9:P12"]``. Areas are ordered by row, then column.
    """
    by_row: dict[int, set[int]] = {}
    for item in cells:
        for r, c in _cells_of(item):
            by_row.setdefault(r, set()).add(c)
    # runs of consecutive columns in each row
    rows_of: dict[tuple[int, int], list[int]] = {}
    for r in sorted(by_row):
        for span in runs(by_row[r]):
            rows_of.setdefault(span, []).append(r)
    # consecutive rows with the same run -> one rectangle
    areas = sorted((r1, c1, r2, c2) for (c1, c2), rows in rows_of.items() for r1, r2 in runs(rows))
    out: list[str] = []
    current = ""
    for r1, c1, r2, c2 in areas:
        a = _area(r1, c1, r2, c2)
        if not current:
            current = a
        elif len(current) + 1 + len(a) <= limit:
            current += "," + a
        else:
            out.append(current)
            current = a
    if current:
        out.append(current)
    return out


def row_areas(rows: Iterable[int], last_col: int, first_col: int = 1) -> list[str]:
    """Whole-row areas (``A5:P5``) for ``rows`` between two columns, as A1 ranges."""
    return [_area(r, first_col, r, last_col) for r in sorted(set(rows))]


# ========================================================================= reading


def read_book(book):
    """Read a workbook open in Excel into the same :class:`ipxl.xlsx.model.Workbook` the
    file reader builds, reading each sheet's used range in one call."""
    from ..xlsx.reader import is_read_sheet, sheet_finder, workbook_from_grids

    names: list[str] = []
    grids: dict[str, tuple[list[list], int, int]] = {}
    ranges = {}
    for sheet in book.sheets:
        name = sheet.name
        names.append(name)
        if not is_read_sheet(name):
            continue
        rng = ranges[name] = sheet.used_range
        rows = rng.options(ndim=2).value or []
        grids[name] = (rows, rng.row, rng.column)
    # a signed-off workbook compares values, and a formula's is not one: which cells
    # hold formulas is asked of the record sheets (one call each) only then
    find = sheet_finder(names)
    formulas = {}
    if find("signoff") is not None:
        for key in D.RECORD_SHEETS:
            if (real := find(key)) is not None and real in ranges:
                formulas[real] = _formula_cells(ranges[real])
    return workbook_from_grids(book.name, grids, _book_path(book, required=False), sheet_names=names, formulas=formulas)


def _formula_cells(rng) -> frozenset[str] | None:
    """A1 addresses of the cells of ``rng`` holding a formula; None where the engine
    cannot say (xlwings Lite's reads formulas only asynchronously)."""
    try:
        got = rng.formula
    except Exception:
        return None
    rows = got if isinstance(got, (list, tuple)) else [[got]]
    return frozenset(
        f"{col_letter(rng.column + j)}{rng.row + i}"
        for i, row in enumerate(rows)
        for j, f in enumerate(row if isinstance(row, (list, tuple)) else [row])
        if isinstance(f, str) and f.startswith("=")
    )


def _book_path(book, *, required: bool = True) -> Path:
    """The workbook's path on this computer. OneDrive and SharePoint books report a
    web address unless xlwings can map it to the synced folder."""
    try:
        full = book.fullname
    except Exception:  # the remote engine and unsaved books have no usable fullname
        full = book.name
    full = str(full)
    if full.lower().startswith(("http://", "https://")):
        if required:
            raise WorkbookNotLocal(
                f"{book.name} is open from OneDrive or SharePoint as a web address, so ipxl cannot find "
                "its folder; set ONEDRIVE_COMMERCIAL_WIN (or _MAC) in the xlwings.conf sheet to your "
                "synced OneDrive folder (see `ipxl excel-setup`), or save a copy on this computer."
            )
        return Path(book.name)
    p = Path(full)
    if required and not p.is_absolute():
        raise WorkbookNotLocal(
            f"{book.name} has not been saved to a folder yet; save it (File > Save As) and click the button again."
        )
    return p


# ========================================================================== target


def _hex(colour: str | None) -> str | None:
    return None if colour is None else "#" + colour.lstrip("#")[-6:].upper()


def _is_remote(book) -> bool:
    try:
        return book.app.engine.name == "remote"
    except Exception:
        return False


def _excel_text(v):
    """A value for a block write. Text Excel would read as a formula is kept as text."""
    if isinstance(v, str) and v.startswith(("=", "+", "@")):
        return "'" + v
    return v


def _hyperlink(location: str, display) -> str:
    loc = location.replace('"', '""')
    text = str(display if display not in (None, "") else location).replace('"', '""')
    return f'=HYPERLINK("#{loc}","{text}")'


class XlwingsTarget:
    """:class:`ipxl.writeback.target.WorkbookTarget` over a workbook open in Excel (an
    ``xlwings.Book``). Every change is made through Excel; ``commit`` saves nothing,
    so the officer decides whether to keep the changes by saving.

    ``calls`` counts the requests made to Excel that change something.
    """

    def __init__(self, book, *, extents: Mapping[str, int] | None = None):
        self.book = book
        #: Some engines (xlwings' remote engine) keep only the first area of a
        #: multi-area address, so each area is sent on its own there.
        self.multi_area = not _is_remote(book)
        #: last used column per sheet, for whole-row colouring
        self.extents = dict(extents or {})
        self.calls = 0
        self._recorded: dict[str, set[int]] | None = None

    # -- helpers
    def _sheet(self, name: str):
        for s in self.book.sheets:
            if s.name == name or s.name.casefold() == name.casefold():
                return s
        raise KeyError(name)

    def _ranges(self, sheet, areas: Iterable) -> Iterator:
        for address in group_addresses(areas):
            if self.multi_area:
                yield sheet.range(address)
            else:
                for area in address.split(","):
                    yield sheet.range(area)

    def _apply(self, sheet, areas: Iterable, fn) -> None:
        for rng in self._ranges(sheet, areas):
            fn(rng)
            self.calls += 1

    def _last_col(self, sheet) -> int:
        if sheet.name not in self.extents:
            rng = sheet.used_range
            self.extents[sheet.name] = rng.column + rng.columns.count - 1
        return max(self.extents[sheet.name], 1)

    # -- WorkbookTarget
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def red_rows(self, sheet: str, colour: str, last_col: int | None = None) -> set[int]:
        """Rows whose every cell has a ``colour`` font. Excel cannot say who coloured
        them, so a whole row an officer turned that red counts too; reading fonts is
        one call when no row is red and one per row otherwise. Engines that cannot
        read fonts synchronously (xlwings Lite's remote engine) report the rows the
        last Refresh recorded on the Summary sheet as turned red (none without one)."""
        try:
            sh = self._sheet(sheet)
        except KeyError:
            return set()
        want = _rgb(colour)
        try:
            used = sh.used_range
            whole = used.font.color
            if whole is not None:
                return set(range(used.row, used.row + used.rows.count)) if tuple(whole) == want else set()
            last = used.column + used.columns.count - 1
            out = set()
            for r in range(used.row, used.row + used.rows.count):
                c = sh.range((r, used.column), (r, last)).font.color
                if c is not None and tuple(c) == want:
                    out.add(r)
            return out
        except NotImplementedError:
            return self.recorded_red().get(sh.name, set())

    def recorded_red(self) -> dict[str, set[int]]:
        """The rows the last Refresh turned red, by sheet, from its record on the
        Summary sheet (read from the values Excel sent, not from fonts)."""
        from ..writeback import own_sheet_name, read_red_record

        if self._recorded is None:
            try:
                values = self._sheet(own_sheet_name(self, "summary")).used_range.options(ndim=2).value or []
            except KeyError:
                values = []
            self._recorded = read_red_record(values) or {}
        return self._recorded

    def colour_rows(self, sheet: str, rows: Iterable[int], colour: str, last_col: int) -> None:
        rows = list(rows)
        if not rows:
            return
        sh = self._sheet(sheet)
        self.extents.setdefault(sh.name, last_col)
        areas = row_areas(rows, last_col)

        def paint(rng):
            rng.font.color = _hex(colour)

        self._apply(sh, areas, paint)

    def restore_rows(self, sheet: str, rows: Iterable[int], colour: str) -> None:
        """Give the rows Excel's automatic font colour (what the template's rows have;
        a live workbook does not remember an earlier colour)."""
        rows = list(rows)
        if not rows:
            return
        sh = self._sheet(sheet)
        self._apply(sh, row_areas(rows, self._last_col(sh)), _automatic_font)

    def write_sheet(self, sheet: str, content) -> None:
        try:
            sh = self._sheet(sheet)
            _protect(sh, False)
            sh.clear()
            _delete_own_charts(sh)
        except KeyError:
            sh = self.book.sheets.add(sheet, after=self.book.sheets[len(self.book.sheets) - 1])
        self.calls += 1
        try:
            self._write_sheet(sh, content)
        finally:
            _protect(sh, True)

    def _write_sheet(self, sh, content) -> None:
        width = max((len(r) for r in content.rows), default=1) or 1
        block = []
        for r, row in enumerate(content.rows):
            values = []
            for c in range(width):
                v = row[c] if c < len(row) else None
                if (r, c) in content.links:
                    v = _hyperlink(content.links[(r, c)], v)
                else:
                    v = _excel_text(v)
                values.append(v)
            block.append(values)
        if block:
            if content.text:  # text stays text: Excel would read "2024-03-31" as a date
                _number_format(sh.range((1, 1), (len(block), width)), "@")
            sh.range((1, 1), (len(block), width)).value = block
            self.calls += 1
        if content.state == "veryHidden":
            _very_hidden(sh)
        # formats, one request per group of cells with the same format
        by_role: dict[str, list[str]] = {}
        for r, role in content.roles.items():
            if r < len(content.rows) and content.rows[r]:
                by_role.setdefault(role, []).append(_area(r + 1, 1, r + 1, max(len(content.rows[r]), 1)))
        for role, areas in by_role.items():
            self._apply(sh, areas, _ROLE_FORMAT[role])
        if content.links:
            self._apply(sh, [(r + 1, c + 1) for r, c in content.links], _link_font)
        if content.wrap_cols and len(content.rows) > 1:
            self._apply(sh, [_area(1, c + 1, len(content.rows), c + 1) for c in sorted(content.wrap_cols)], _wrap)
        for i, w in enumerate(content.widths, start=1):
            sh.range((1, i)).column_width = w
            self.calls += 1
        if content.chart is not None:
            self._chart(sh, content)

    def set_marks(self, marks: Mapping[str, Mapping[str, Iterable[str]]]) -> None:
        from ..writeback.plans import MARK_TAG, SEVERITY_ORDER

        real = {s.name.casefold(): s.name for s in self.book.sheets}
        wanted = {real[s.casefold()]: m for s, m in marks.items() if s.casefold() in real}
        for sh in self.book.sheets:
            _remove_marks(sh, MARK_TAG)
            sheet_marks = wanted.get(sh.name) or {}
            for sev in SEVERITY_ORDER:
                cells = list(sheet_marks.get(sev, ()))
                if not cells:
                    continue
                fill = _hex(D.FINDING_FILL.get(sev, D.FINDING_FILL["warning"]))
                formula = f'="{MARK_TAG}:{sev}"<>""'

                def mark(rng, formula=formula, fill=fill):
                    rng.conditional_formats.add_custom(formula, fill_color=fill)

                self._apply(sh, cells, mark)

    def set_values(self, sheet: str, values: Mapping[tuple[int, int], object]) -> list[tuple[int, int]]:
        """Put each value in its cell through Excel (a date shown as 31/03/2024);
        cells holding a formula are left alone and returned."""
        sh = self._sheet(sheet)
        refused = []
        for (r, c), v in values.items():
            rng = sh.range((r, c))
            try:
                formula = rng.formula
            except (NotImplementedError, AttributeError):
                formula = None  # engines that cannot say: the value is written
            if isinstance(formula, str) and formula.startswith("="):
                refused.append((r, c))
                continue
            rng.value = _excel_value(v)
            self.calls += 1
            if isinstance(v, dt.date):
                _date_format(rng)
        return refused

    def append_rows(self, sheet: str, rows: list[list[object]]) -> list[int]:
        """Write ``rows`` (from column A) under the sheet's last used row, in one
        request; returns their row numbers."""
        if not rows:
            return []
        sh = self._sheet(sheet)
        used = sh.used_range
        first = used.row + used.rows.count
        width = max(len(r) for r in rows)
        sh.range((first, 1)).value = [[_excel_value(v) for v in r] + [None] * (width - len(r)) for r in rows]
        self.calls += 1
        for j in range(width):
            if any(isinstance(r[j], dt.date) for r in rows if j < len(r)):
                _date_format(sh.range((first, j + 1), (first + len(rows) - 1, j + 1)))
        return list(range(first, first + len(rows)))

    def commit(self):
        """Nothing to save: the changes are in Excel, and the officer saves them."""
        return None

    def close(self) -> None:
        pass

    # -- internals
    def _chart(self, sh, content) -> None:
        from ..writeback.plans import OWN_CHARTS

        spec = content.chart
        try:
            if any(c.name not in OWN_CHARTS for c in sh.charts):
                return  # a chart the council put there: leave it, as the file door does
            fc, fr, tc, tr = spec.anchor
            chart = sh.charts.add(left=fc * 52, top=fr * 15, width=(tc - fc) * 52, height=(tr - fr) * 15)
            last_col = max(spec.series_cols)
            chart.set_source_data(sh.range((spec.header_row, spec.category_col), (spec.last_row, last_col)))
            chart.chart_type = "column_stacked" if spec.kind == "column" else "bar_stacked"
            chart.name = spec.name
            self.calls += 4
        except (NotImplementedError, KeyError, AttributeError):
            # Engines without charts (the remote engine's test payloads) get the table only.
            pass


def _protect(sh, on: bool) -> None:
    """Protect ipxl's own sheet without a password (against slips, as the file door
    does), or lift that to rewrite it; engines without protection skip it."""
    try:
        if on:
            sh.api.Protect(DrawingObjects=False, Contents=True, Scenarios=True, AllowFormattingColumns=True)
        else:
            sh.api.Unprotect()
    except Exception:  # the remote engine has no .api; a sheet with a password stays as it is
        pass


def _excel_value(v):
    # Excel takes dates as date-times
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return dt.datetime(v.year, v.month, v.day)
    return v


def _date_format(rng) -> None:
    _number_format(rng, "dd/mm/yyyy")


def _number_format(rng, fmt: str) -> None:
    try:
        rng.number_format = fmt
    except (NotImplementedError, AttributeError):
        pass  # an engine without number formats shows the serial; the value is right


def _very_hidden(sh) -> None:
    """Hide the sheet so that Excel's Unhide does not list it (xlSheetVeryHidden);
    an engine that cannot (the remote engine) hides it as it can."""
    try:
        sh.api.Visible = 2
    except Exception:
        try:
            sh.visible = False
        except Exception:
            pass


def _rgb(colour: str) -> tuple[int, int, int]:
    h = colour.lstrip("#")[-6:]
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def _automatic_font(rng) -> None:
    try:
        rng.api.Font.ColorIndex = -4105  # xlColorIndexAutomatic (Windows)
    except Exception:
        rng.font.color = "#000000"


def _title(rng):
    rng.font.bold = True
    rng.font.size = 14


def _header(rng):
    rng.font.bold = True
    rng.font.color = _hex(D.HEADER_FONT)
    rng.color = _hex(D.HEADER_FILL)


def _bold(rng):
    rng.font.bold = True


def _link_font(rng):
    rng.font.color = _hex(LINK_FONT)


def _wrap(rng):
    rng.wrap_text = True


_ROLE_FORMAT = {"title": _title, "header": _header, "bold": _bold, "wrap": _wrap}


def _delete_own_charts(sh) -> None:
    from ..writeback.plans import OWN_CHARTS

    try:
        for chart in list(sh.charts):
            if chart.name in OWN_CHARTS:
                chart.delete()
    except (NotImplementedError, KeyError, AttributeError):
        pass


def _remove_marks(sh, tag: str) -> None:
    """Delete the conditional formats ipxl added (their formula names ipxl). Engines
    that cannot list conditional formats (the remote engine) keep earlier marks."""
    try:
        rules = list(sh.cells.conditional_formats)
    except (NotImplementedError, KeyError, AttributeError):
        return
    for rule in rules:
        try:
            formula = rule.formula or ""
        except Exception:
            continue
        if tag in formula:
            rule.delete()


# ====================================================================== the session


@contextmanager
def _paused(book) -> Iterator[None]:
    """Screen updating off and calculation manual for the run, always restored."""
    app = book.app
    try:
        screen = app.screen_updating
    except NotImplementedError:
        screen = True
    try:
        calc = app.calculation
    except NotImplementedError:
        calc = None
    app.screen_updating = False
    if calc is not None and calc != "manual":
        app.calculation = "manual"
    try:
        yield
    finally:
        if calc is not None and calc != "manual":
            app.calculation = calc
        app.screen_updating = screen


#: Plotting libraries xlwings imports eagerly when they are installed (half a second
#: for matplotlib.pyplot); ipxl never sends figures through xlwings.
_PLOTTING = ("matplotlib", "plotly")


def import_xlwings():
    """``import xlwings``, without letting it pull in plotting libraries: each click
    starts a fresh Python, so import time is most of what the officer waits for. The
    libraries stay importable for any other code afterwards."""
    if "xlwings" in sys.modules:
        return sys.modules["xlwings"]
    hidden = [m for m in _PLOTTING if m not in sys.modules]
    for m in hidden:
        sys.modules[m] = None  # type: ignore[assignment]  # makes `import m` raise ImportError, which xlwings tolerates
    try:
        import xlwings
    finally:
        for m in hidden:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]
    return xlwings


def _version() -> str:
    from .. import __version__

    return __version__


def _caller_book(book):
    if book is not None:
        return book
    try:
        xw = import_xlwings()
    except ImportError:
        raise ExcelUnavailable(
            "xlwings is not installed, so ipxl cannot work with Excel; install ipxl into the Python Excel "
            f"runs ({D.install_hint(_version())}) and try again."
        ) from None
    try:
        return xw.Book.caller()
    except Exception:
        raise ExcelUnavailable(
            "No workbook called ipxl: these functions run from the buttons of a workbook open in Excel "
            "(use `ipxl validate` or `ipxl refresh` on a file instead)."
        ) from None


def _alert(book, message: str) -> None:
    try:
        book.app.alert(message, title=ALERT_TITLE)
    except Exception:
        # No way to show it in Excel; stderr is what RunPython shows as a last resort.
        print(message, file=sys.stderr)


def _one_sentence(exc: BaseException) -> str:
    if isinstance(exc, IpxlError):
        return str(exc)
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
    return (
        f"ipxl could not finish ({type(exc).__name__}: {text}); nothing was saved, so close "
        "without saving to undo any partial change, and report this message."
    )


def _entry(fn):
    """Run an entry point on the calling book; show any failure as a message box
    with one sentence, never a traceback. Returns None after a failure."""
    import functools

    @functools.wraps(fn)
    def wrapper(book=None, *args, **kwargs):
        try:
            book = _caller_book(book)
        except IpxlError as exc:
            print(str(exc), file=sys.stderr)
            return None
        try:
            with _paused(book):
                return fn(book, *args, **kwargs)
        except Exception as exc:  # the officer sees a sentence, not a traceback
            _alert(book, _one_sentence(exc))
            return None

    return wrapper


# ==================================================================== entry points


def _now(now):
    return now or dt.datetime.now()


def _previous_of(wb, previous):
    """Last period's workbook, read for the columns Refresh uses (as the file door)."""
    from ..xlsx.sources import previous_for

    return previous_for(wb, previous, D.HIGHLIGHT_SHEETS, D.PREVIOUS_COLUMNS)


def _target(book, wb) -> XlwingsTarget:
    extents = {}
    for key in ("actions", "milestones"):
        s = wb.sheets.get(key)
        if s is not None and s.letters:
            extents[s.name] = s.last_col or max(col_index(x) for x in s.letters.values())
    return XlwingsTarget(book, extents=extents)


def _validate(book, *, now=None, wb=None, report_sheet: bool = False):
    from ..checks.validation import validate as check
    from ..writeback import own_sheet_name, plan_validation
    from ..writeback.plans import check_ours

    now = _now(now)
    wb = wb or read_book(book)
    report = check(wb, today=now.date(), report=report_sheet)
    target = _target(book, wb)
    plan = plan_validation(report, target.sheet_names(), now)
    check_ours(wb, "validation")
    target.set_marks(plan.marks)
    target.write_sheet(own_sheet_name(target, "validation"), plan.content)
    return report


@_entry
def validate(book=None, *, now: dt.datetime | None = None):
    """Check the workbook open in Excel; list the findings in the Validation sheet,
    each with a link to its cell, and mark the cells. Returns the
    :class:`~ipxl.findings.Report` (None when it could not run; the officer was told why)."""
    return _validate(book, now=now)


def _refresh(book, *, previous=None, now=None, wb=None, missing_note: str | None = None) -> Done:
    from ..analysis.plan import Plan
    from ..writeback import refresh_target

    now = _now(now)
    wb = wb or read_book(book)
    prev = _previous_of(wb, previous)
    target = _target(book, wb)
    # the file door's steps, in its order, with its arguments
    return refresh_target(target, Plan(wb, prev), now, missing_note=missing_note)


@_entry
def refresh(book=None, *, previous=None, now: dt.datetime | None = None) -> Done | None:
    """Rewrite the Summary sheet and turn this period's new rows of Actions and
    Milestones red (rows no longer new get the automatic font colour back)."""
    return _refresh(book, previous=previous, now=now)


@_entry
def appendices(book=None, *, previous=None, out_dir: str | Path | None = None):
    """Build the committee pack from the workbook as it is in Excel (unsaved edits
    included) into a new folder beside it, ``<name> appendices <period>``: the
    committee reports and the numbered appendices as Word files and as web pages
    (``html``). An existing folder is never overwritten (a numbered one is made
    instead). A workbook with errors gets no paper: they are written to the
    Validation sheet and the message box says so."""
    from ..errors import WorkbookHasErrors
    from ..pack import build_pack

    wb = read_book(book)
    folder = Path(out_dir) if out_dir is not None else pack_folder(_book_path(book), wb.settings.period)
    for attempt in range(1, 100):
        target = folder if attempt == 1 else folder.with_name(f"{folder.name} ({attempt})")
        if target.exists():
            continue
        try:
            pack = build_pack(wb, previous, target, html=True)
        except WorkbookHasErrors as exc:
            refuse_pack(book, wb, exc)
            return None
        break
    else:  # pragma: no cover - a hundred packs of the same period
        raise OutputExists(f"{folder} and 98 numbered copies exist; move old packs away and try again.")
    _alert(book, pack_message(f"The pack is in {target}; open html/index.html for the web pages.", pack))
    return pack


def pack_message(where: str, pack) -> str:
    """The message box after Build appendices (both Excel doors): where the pack is,
    then whether its papers are drafts, then anything not made."""
    message = where
    if pack.draft:  # changed since it was approved (or never approved where asked)
        message += f" The papers are drafts, each saying {pack.draft!r}."
    if pack.notes:
        message += " " + " ".join(pack.notes)
    return message


def refuse_pack(book, wb, exc) -> None:
    """No paper from a workbook with errors: they go on the Validation sheet, each
    with a link to its cell, and the message box says so (both Excel doors)."""
    _validate(book, wb=wb, report_sheet=True)
    n = exc.report.counts["error"] if exc.report is not None else 0
    _alert(
        book,
        f"The workbook has {n} error{'s' if n != 1 else ''}, so no committee paper was made: a paper must not "
        "carry them. They are listed on the Validation sheet, each with a link to its cell and its fix; correct "
        "them and click Build appendices again.",
    )


def pack_folder(workbook: Path, period: str) -> Path:
    """``<folder>/<stem> appendices <period>``, with characters Windows forbids in
    names (``Q2 2023/24``) replaced by ``-``."""
    label = re.sub(r'[<>:"/\\|?*]+', "-", (period or "").strip()).strip(" .")
    name = f"{workbook.stem} appendices" + (f" {label}" if label else "")
    return workbook.parent / name
