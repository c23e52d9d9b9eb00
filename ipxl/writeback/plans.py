"""Write-back plans: pure data computed from what was read.

Which rows turn red and which go back, what the Summary and Validation sheets hold,
which cells are marked. A :class:`~ipxl.writeback.target.WorkbookTarget` applies a plan
to a file (:mod:`ipxl.writeback.file_target`) or to a workbook open in Excel
(:mod:`ipxl.excel`), so the plans never depend on how the workbook is reached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .. import defaults as D
from ..checks.vocab import norm_ref
from ..errors import SheetNotOurs
from ..findings import Report
from ..xlsx.cells import runs, split_cell
from ..xlsx.model import Workbook
from ..xlsx.xml import quote_sheet

#: Text in the formula of ipxl's conditional-format marks; how they are recognised.
MARK_TAG = "ipxl:finding"
#: Names of the chart shapes ipxl draws on the Summary and Trend sheets (cNvPr name):
#: how ipxl tells its own charts from a council's.
CHART_NAME = "ipxl RAG by theme"
TREND_CHART_NAME = "ipxl RAG by period"
OWN_CHARTS = frozenset({CHART_NAME, TREND_CHART_NAME})
SEVERITY_ORDER = ("error", "warning")
#: The heading of the Summary's record of the rows Refresh turned red as new. A door
#: that cannot read fonts (xlwings Lite's engine raises for them) reads the record
#: the last Refresh left, whichever door ran it, to give those rows their colour back.
RED_RECORD = "New this period (Refresh turns these rows red)"
#: What a sheet with no new rows says in the record.
RED_RECORD_NONE = "none"
#: A cell holds at most 32,767 characters; a longer record goes on in the next cell.
_CELL_TEXT = 32000

# ============================================================== plans (pure data)


@dataclass(frozen=True)
class ChartSpec:
    """A bar chart of a table on the same sheet.

    Rows and columns are 1-based Excel numbers on the sheet holding the table:
    categories are ``category_col`` rows ``first_row``..``last_row``; each series is a
    column with its name in ``header_row``.
    """

    title: str
    alt_text: str
    header_row: int
    first_row: int
    last_row: int
    category_col: int
    series_cols: tuple[int, ...]
    colours: tuple[str | None, ...]
    #: (from col, from row, to col, to row), 0-based, as in a drawing anchor.
    anchor: tuple[int, int, int, int] = (9, 4, 18, 24)
    #: ``bar``: a horizontal bar per category; ``column``: a vertical one, categories
    #: left to right (periods, oldest first)
    kind: str = "bar"
    name: str = CHART_NAME


@dataclass
class SheetContent:
    """What ipxl writes into a sheet it owns (Summary, Validation).

    ``rows`` are cell values from A1 (None, str, int, float, bool, date, datetime);
    ``roles`` style whole rows (``title``, ``header``, ``bold``); ``links`` maps a
    0-based (row, col) to an internal hyperlink location such as ``'Actions'!B5``.
    """

    rows: list[list[object]]
    roles: dict[int, str] = field(default_factory=dict)
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    widths: tuple[float, ...] = ()
    wrap_cols: frozenset[int] = frozenset()
    chart: ChartSpec | None = None
    freeze_row: int | None = None
    #: ``veryHidden`` for a sheet officers never see (the record of the values
    #: signed off), which Excel's Unhide does not list
    state: str | None = None
    #: every value is text and stays text (Excel would read "2024-03-31" as a date)
    text: bool = False


@dataclass(frozen=True)
class HighlightPlan:
    """Rows (Excel numbers) to turn ``colour`` and rows to give back their own font,
    by real sheet name."""

    colour: str
    paint: dict[str, tuple[int, ...]]
    restore: dict[str, tuple[int, ...]]
    #: sheet -> the table's last column: red rows cover the table, not the sheet
    widths: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(self.paint.values()) and not any(self.restore.values())


@dataclass(frozen=True)
class ValidationPlan:
    content: SheetContent
    #: sheet name -> severity -> cell addresses; sheets absent from it lose their marks.
    marks: dict[str, dict[str, tuple[str, ...]]]


# ========================================================================= new rows


def new_rows(wb, previous=None) -> dict[str, set[int]]:
    """Excel rows of Actions and Milestones that are new this period, by sheet key.

    Actions follow :func:`ipxl.analysis.changes.new_this_period` (Date added within the period,
    or Ref absent from the previous workbook), the one rule that also drives the
    "(marked in red)" sentence. A Milestones row is new when its Date added is in the
    period or its (Ref, Milestone) pair is absent from the previous workbook.
    """
    from ..analysis.changes import added_in_period, new_this_period

    new = new_this_period(wb, previous)
    out: dict[str, set[int]] = {"actions": {int(i) for i in new.index[new.to_numpy(dtype=bool)]}}
    sheet = wb.sheets.get("milestones")
    if sheet is None or sheet.frame.empty:
        out["milestones"] = set()
        return out
    f = sheet.frame
    mask = added_in_period(f["date_added"], wb.settings.period_start, wb.settings.period_end)
    rows = {int(i) for i in f.index[mask.to_numpy(dtype=bool)]}
    if previous is not None:
        prev = previous.sheets.get("milestones")
        old = (
            set()
            if prev is None
            else {(norm_ref(r), _norm_text(m)) for r, m in zip(prev.frame["ref"], prev.frame["milestone"])}
        )
        rows |= {
            int(i)
            for i, r, m in zip(f.index, f["ref"], f["milestone"])
            if r is not None and r == r and (norm_ref(r), _norm_text(m)) not in old
        }
    out["milestones"] = rows
    return out


def _norm_text(v) -> str:
    if v is None or v != v:
        return ""
    return " ".join(str(v).split()).casefold()


# ============================================================================ plans


def plan_highlight(
    new: Mapping[str, Iterable[int]],
    red: Mapping[str, Iterable[int]],
    data_rows: Mapping[str, Iterable[int]],
    colour: str = D.NEW_ROW_RED,
    widths: Mapping[str, int] | None = None,
) -> HighlightPlan:
    """Paint every new row; restore rows that are red (by ipxl) but no longer new.

    Only data rows (below the header) are ever restored, so a title or header an
    officer styled dark red is left alone. All mappings are keyed by real sheet name.
    """
    paint, restore = {}, {}
    for sheet in sorted(set(new) | set(red)):
        n = set(new.get(sheet, ()))
        r = set(red.get(sheet, ())) & set(data_rows.get(sheet, ()))
        paint[sheet] = tuple(sorted(n - set(red.get(sheet, ()))))
        restore[sheet] = tuple(sorted(r - n))
    return HighlightPlan(colour, paint, restore, dict(widths or {}))


def stamp(now: dt.datetime) -> str:
    return now.strftime("%d %B %Y %H:%M").lstrip("0")


def date_text(d) -> str:
    return d.strftime("%d %B %Y").lstrip("0") if d else ""


def plan_validation(report: Report, sheet_names: Iterable[str], now: dt.datetime) -> ValidationPlan:
    """The Validation sheet's content and the cells to mark, from a report."""
    by_fold = {n.casefold(): n for n in sheet_names}
    counts = report.counts
    rows: list[list[object]] = [
        ["Validation"],
        [D.OWN_SHEET_MARKS["validation"][0], stamp(now)],
        [D.OWN_SHEET_MARKS["validation"][1], counts.get("error", 0)],
        ["Warnings", counts.get("warning", 0)],
        [],
        ["Sheet", "Cell", "Severity", "Code", "Message", "Suggestion"],
    ]
    links: dict[tuple[int, int], str] = {}
    marks: dict[str, dict[str, list[str]]] = {}
    for f in report.findings:
        real = by_fold.get((f.sheet or "").casefold())
        cell = f.cell
        if real and cell and _is_cell(cell):
            links[(len(rows), 1)] = f"{quote_sheet(real)}!{cell.upper()}"
            marks.setdefault(real, {}).setdefault(f.severity, [])
            if cell.upper() not in marks[real][f.severity]:
                marks[real][f.severity].append(cell.upper())
        rows.append([real or f.sheet, cell, f.severity.capitalize(), f.code, f.message, f.suggestion])
    if not report.findings:
        rows.append(["No findings: every check passed."])
    # An error outranks a warning on the same cell: the cell shows one mark.
    for sev in marks.values():
        errs = set(sev.get("error", ()))
        if "warning" in sev:
            sev["warning"] = [c for c in sev["warning"] if c not in errs]
    frozen = {s: {k: tuple(v) for k, v in sev.items() if v} for s, sev in marks.items()}
    content = SheetContent(
        rows=rows,
        roles={0: "title", 5: "header", 1: "bold", 2: "bold", 3: "bold"},
        links=links,
        widths=(18, 10, 10, 26, 80, 60),
        wrap_cols=frozenset({4, 5}),
        freeze_row=6,
    )
    return ValidationPlan(content, frozen)


def _is_cell(ref: str) -> bool:
    try:
        split_cell(ref)
        return True
    except ValueError:
        return False


@dataclass(frozen=True)
class RagTable:
    """RAG counts by theme: ``counts[theme][status]``, in ``themes`` and ``statuses`` order."""

    themes: tuple[str, ...]
    statuses: tuple[str, ...]
    counts: dict[str, dict[str, int]]
    colours: dict[str, str] = field(default_factory=dict)

    def total(self, theme: str) -> int:
        return sum(self.counts.get(theme, {}).get(s, 0) for s in self.statuses)


def row_ranges(rows: Iterable[int]) -> str:
    """Excel rows as the record writes them, ``rows 5, 9-12`` (the word keeps Excel
    from reading ``9-12`` as a date or ``5`` as a number), or ``none``."""
    spans = [f"{a}" if a == b else f"{a}-{b}" for a, b in runs(rows)]
    return "rows " + ", ".join(spans) if spans else RED_RECORD_NONE


def parse_row_ranges(text: str) -> set[int]:
    """The rows :func:`row_ranges` wrote (anything else in the text is ignored)."""
    out: set[int] = set()
    for part in str(text).removeprefix("rows").split(","):
        a, _, b = part.strip().partition("-")
        if a.isdigit() and (not b or b.isdigit()):
            out.update(range(int(a), int(b or a) + 1))
    return out


def red_record_rows(red: Mapping[str, Iterable[int]]) -> list[list[object]]:
    """The Summary's record of the rows turned red, a row per sheet (a long list goes
    on across the next cells)."""
    rows: list[list[object]] = [[RED_RECORD]]
    for sheet, numbers in red.items():
        text = row_ranges(numbers)
        rows.append([sheet, *(text[i : i + _CELL_TEXT] for i in range(0, len(text), _CELL_TEXT))])
    return rows


def read_red_record(values: Iterable[Iterable[object]]) -> dict[str, set[int]] | None:
    """The rows each sheet had turned red by the last Refresh, from the values of the
    Summary sheet it wrote; None when that Summary has no record (a workbook refreshed
    before ipxl kept one)."""
    found: dict[str, set[int]] | None = None
    for row in values:
        cells = list(row or [])
        first = cells[0] if cells else None
        if found is None:
            if isinstance(first, str) and first.strip() == RED_RECORD:
                found = {}
            continue
        if first is None or str(first).strip() == "":
            break
        found[str(first).strip()] = parse_row_ranges("".join(str(c) for c in cells[1:] if c is not None))
    return found


def plan_summary(
    table: RagTable,
    sentences: Iterable[str],
    *,
    period: str,
    now: dt.datetime,
    title: str = "Summary",
    changes_note: str | None = None,
    red: Mapping[str, Iterable[int]] | None = None,
) -> SheetContent:
    """The Summary sheet: period, refresh time, RAG by theme with totals, chart, changes,
    and the record of the rows this period's Refresh turns red (``red``, by sheet)."""
    statuses = list(table.statuses)
    rows: list[list[object]] = [
        [title],
        [D.OWN_SHEET_MARKS["summary"][0], period],
        [D.OWN_SHEET_MARKS["summary"][1], stamp(now)],
        [],
        ["RAG status by theme"],
        ["Theme", *statuses, "Total"],
    ]
    header_row = len(rows)  # 1-based Excel row of the table header
    for theme in table.themes:
        c = table.counts.get(theme, {})
        rows.append([theme, *[int(c.get(s, 0)) for s in statuses], table.total(theme)])
    last_row = len(rows)
    totals = [sum(table.counts.get(t, {}).get(s, 0) for t in table.themes) for s in statuses]
    rows.append(["Total", *totals, sum(totals)])
    roles = {0: "title", 4: "bold", header_row - 1: "header", len(rows) - 1: "bold"}
    rows.append([])
    roles[len(rows)] = "bold"
    rows.append(["Changes this period"])
    sentences = list(sentences)
    for s in sentences:
        rows.append([s])
    if not sentences:
        rows.append([changes_note or "No changes to report."])
    if red is not None:
        rows.append([])
        roles[len(rows)] = "bold"
        rows.extend(red_record_rows(red))
    chart = None
    if table.themes:
        chart = ChartSpec(
            title="RAG status by theme",
            alt_text=(
                "Bar chart of the number of actions at each RAG status in each theme, "
                f"for {period or 'this period'}; the same numbers are in the table beside it."
            ),
            header_row=header_row,
            first_row=header_row + 1,
            last_row=last_row,
            category_col=1,
            series_cols=tuple(range(2, 2 + len(statuses))),
            colours=tuple(table.colours.get(s) for s in statuses),
            anchor=(len(statuses) + 3, 4, len(statuses) + 12, 24),
        )
    return SheetContent(rows=rows, roles=roles, widths=(32, *[11] * len(statuses), 9), chart=chart)


def plan_trend(
    periods: list[dict], statuses: tuple[str, ...], colours: Mapping[str, str], *, now: dt.datetime, title: str
) -> SheetContent:
    """The Trend sheet: the RAG counts of every period in the series (oldest first, as
    :func:`ipxl.analysis.history.history` gives them in ``periods``), with a stacked
    column chart of the same numbers."""
    from ..analysis.history import ALL

    rows: list[list[object]] = [
        [title],
        [D.OWN_SHEET_MARKS["trend"][0], f"{periods[0]['period']} to {periods[-1]['period']} ({len(periods)})"],
        [D.OWN_SHEET_MARKS["trend"][1], stamp(now)],
        [],
        ["RAG status by period (actions not closed)"],
        ["Period", *statuses, "Total"],
    ]
    header_row = len(rows)
    for p in periods:
        c = p["counts"][ALL]
        rows.append([p["period"], *[int(c.get(s, 0)) for s in statuses], int(c.get("total", 0))])
    last_row = len(rows)
    roles = {0: "title", 4: "bold", header_row - 1: "header"}
    first, last = periods[0]["period"], periods[-1]["period"]
    chart = ChartSpec(
        title="RAG status by period",
        alt_text=(
            f"Stacked column chart of the number of actions at each RAG status in each period from {first} "
            f"to {last}; the same numbers are in the table beside it."
        ),
        header_row=header_row,
        first_row=header_row + 1,
        last_row=last_row,
        category_col=1,
        series_cols=tuple(range(2, 2 + len(statuses))),
        colours=tuple(colours.get(s) for s in statuses),
        anchor=(len(statuses) + 3, 4, len(statuses) + 13, 24),
        kind="column",
        name=TREND_CHART_NAME,
    )
    return SheetContent(
        rows=rows, roles=roles, widths=(20, *[11] * len(statuses), 9), chart=chart, freeze_row=header_row
    )


def check_ours(wb: Workbook, key: str) -> None:
    """Refuse, in one sentence, to write over a sheet of the name of one of ipxl's own
    (Sign-off, Audit trail, Summary, Trend, Validation) that ipxl did not write."""
    name = D.SHEET_NAMES[key]
    for foreign in wb.foreign:
        if foreign.casefold() == name.casefold():
            raise SheetNotOurs(
                f"{wb.path.name} has a sheet called {foreign!r} that ipxl did not write, and ipxl keeps its own "
                f"sheet under that name; rename that sheet and run it again."
            )
