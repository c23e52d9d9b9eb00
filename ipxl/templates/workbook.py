"""Build the monitoring workbook template (and the bundled samples) with openpyxl.

Every sheet name, header, width, list value, colour and score band comes from
:mod:`ipxl.defaults`; this module only lays them out. Output is reproducible: the same
code writes byte-identical files (fixed document dates, fixed zip timestamps), so the
bundled workbooks only change in git when the template really changes.

``python -m ipxl.templates [DIR]`` rewrites every bundled workbook (:mod:`ipxl.templates.bundled`).
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from .. import defaults as D
from ..colour import text_colour_on
from ..xlsx.safe_write import write_fixed_zip

#: Drop-downs and conditional formats cover the rows officers will realistically use.
LAST_ROW = 5000
DATE_FORMAT = "dd/mm/yyyy"
#: Columns at least this wide hold running text and wrap.
WRAP_WIDTH = 28
#: Fixed document timestamp so that rebuilding gives identical files.
_FIXED_TIME = dt.datetime(2023, 11, 1, 9, 0, 0)

# ----------------------------------------------------------------- Lists sheet layout


def list_layout(leads: tuple[str, ...] = ()) -> list[tuple[str, str | None, tuple]]:
    """The Lists sheet's columns in order: ``(letter, header or None, values)``.

    ``None`` is a blank spacer column. The reader finds lists by header, so the layout
    only matters to the template's defined names (which are computed from it).
    """
    H = D.LIST_HEADERS
    cols: list[tuple[str | None, tuple]] = [
        (H["theme_code"], tuple(D.THEMES)),
        (H["theme"], tuple(D.THEMES.values())),
        (None, ()),
        (H["status"], tuple(s.name for s in D.STATUSES)),
        (H["status_colour"], tuple(f"#{s.colour}" for s in D.STATUSES)),
        (H["status_meaning"], tuple(s.meaning for s in D.STATUSES)),
        (None, ()),
        *[(spec.header, tuple(spec.defaults)) for spec in D.SIMPLE_LISTS],
        (None, ()),
        (H["band_rating"], tuple(b.rating for b in D.SCORE_BANDS)),
        (H["band_low"], tuple(b.low for b in D.SCORE_BANDS)),
        (H["band_high"], tuple(b.high for b in D.SCORE_BANDS)),
        (H["band_colour"], tuple(f"#{b.colour}" for b in D.SCORE_BANDS)),
        (None, ()),
        (H["lead"], tuple(leads)),
        (H["lead_email"], ()),
    ]
    return [(get_column_letter(i), header, values) for i, (header, values) in enumerate(cols, start=1)]


def _list_letters() -> dict[str, str]:
    return {header: letter for letter, header, _ in list_layout() if header}


#: Defined name -> Lists header it covers.
LIST_NAMES: dict[str, str] = {
    "ThemeCodeList": D.LIST_HEADERS["theme_code"],
    "ThemeList": D.LIST_HEADERS["theme"],
    "StatusList": D.LIST_HEADERS["status"],
    **{"".join(w.capitalize() for w in spec.header.split()) + "List": spec.header for spec in D.SIMPLE_LISTS},
    "RatingList": D.LIST_HEADERS["band_rating"],
    "LeadList": D.LIST_HEADERS["lead"],
}

_SIMPLE = {spec.key: spec.header for spec in D.SIMPLE_LISTS}

#: (sheet key, column key) -> (defined name, what the officer is told when a value is off-list).
VALIDATIONS: dict[tuple[str, str], tuple[str, str]] = {
    ("actions", "theme"): ("ThemeList", "Pick a theme from the list. New themes are added on the Lists sheet."),
    ("actions", "type"): ("TypeList", "Pick Action, Sub-action or Assurance action."),
    ("actions", "status"): ("StatusList", "Pick a status from the list (see Guidance for what each means)."),
    ("actions", "closure"): ("ClosureList", "Pick a closure state; blank means Open."),
    ("actions", "due_date"): (
        "DateKeywordList",
        "Type a date (dd/mm/yyyy) or pick a keyword such as Ongoing. Click Yes to keep a date.",
    ),
    ("milestones", "status"): ("MilestoneStatusList", "Pick Complete, Not complete or Not started."),
    ("recommendations", "review"): ("ReviewList", "Pick the review. New reviews are added on the Lists sheet."),
    ("recommendations", "category"): ("CategoryList", "Pick Statutory, Key or Improvement."),
    ("changes", "change_type"): ("ChangeTypeList", "Pick a change type from the list."),
    ("risks", "rating"): ("RatingList", "Pick Green, Amber or Red to match the score band."),
    ("risks", "direction"): ("DirectionList", "Pick Improving, Stable or Worsening."),
    ("actions", "best_value"): (
        "BestValueThemesList",
        "Pick the Best Value theme the action serves; for two, type them separated by ; (Leadership; Culture).",
    ),
    ("actions", "confidence"): (
        "ConfidenceList",
        "Pick High, Medium or Low: your confidence that the action will achieve its outcome, apart from its RAG.",
    ),
    ("measures", "best_value"): (
        "BestValueThemesList",
        "Pick the Best Value theme the measure gives evidence for; for two, type them separated by ;.",
    ),
    ("measures", "better_when"): ("BetterWhenList", "Pick Higher or Lower: which way the measure is better."),
}

_STATUS_COLOUR = {s.name: s.colour for s in D.STATUSES}

#: Cells filled with their colour: (sheet key, column key) -> ((word, hex colour), ...).
COLOURED: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("actions", "status"): tuple((s.name, s.colour) for s in D.STATUSES),
    ("milestones", "status"): tuple(
        (word, _STATUS_COLOUR[status])
        for word, status in zip(D.MILESTONE_STATUSES, ("Complete", "Amber", "Not started"))
    ),
    ("risks", "rating"): tuple((b.rating, b.colour) for b in D.SCORE_BANDS),
    ("actions", "confidence"): tuple(D.CONFIDENCE_COLOURS.items()),
}

SETTINGS_NOTES: dict[str, str] = {
    "council": "The council's name, printed on reports.",
    "plan_title": "The plan's title, printed on reports.",
    "period": "The reporting period's label, e.g. October 2023 or Q2 2023/24.",
    "period_start": "First day of the period (dd/mm/yyyy). Rows with Date added from this date are new this period.",
    "period_end": "Last day of the period (dd/mm/yyyy). Overdue checks use this date.",
    "previous_workbook": "Optional: last period's saved copy (a path, relative to this workbook's folder) for change reports.",
    "overall_risk": "Optional: the overall rating of the plan's strategic risk (Green, Amber or Red), quoted in the covering report.",
    "signoff_by": "Optional: who approves the plan each period (e.g. Leadership Team). Set, the papers say DRAFT until "
    "it is signed off (ipxl sign-off, or the Sign off button).",
}

# ------------------------------------------------------------------------- helpers


def _hex(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()


def _fill(colour: str) -> PatternFill:
    return PatternFill("solid", start_color=_hex(colour), end_color=_hex(colour))


_HEADER_FONT = Font(bold=True, color=_hex(D.HEADER_FONT))
_HEADER_FILL = _fill(D.HEADER_FILL)
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


def _header_row(ws, headers: list[str], widths: list[float]) -> None:
    for i, (text, width) in enumerate(zip(headers, widths), start=1):
        cell = ws.cell(row=1, column=i, value=text)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    # A wrapped header needs its row tall enough for all its lines (the defaults' widths
    # fit each header's longest word, so none is broken mid-word).
    lines = max((-(-int(len(text) * 1.2 + 2) // int(width)) for text, width in zip(headers, widths)), default=1)
    ws.row_dimensions[1].height = 15 * max(lines, 1) + 4
    # Printed copies go to meetings: landscape, one page wide, header on every page.
    _print_setup(ws, landscape=True)
    ws.print_title_rows = "1:1"


def _print_setup(ws, *, landscape: bool) -> None:
    """A4 (councils print on it; without a size Excel prints on Letter), one page wide,
    the sheet's name in the header and the file's name and page numbers in the footer
    (the file's name carries the period: plan_2023_10.xlsx)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddHeader.center.text = "&A"
    ws.oddHeader.center.font = "Calibri,Bold"
    ws.oddFooter.left.text = "&F"
    ws.oddFooter.right.text = "Page &P of &N"


def _lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide (an estimate a
    little generous, so nothing is cut)."""
    per_line = max(1, int(width * 1.1))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _is_date(value) -> bool:
    return isinstance(value, (dt.date, dt.datetime))


def _put(cell, value, column: D.Column | None = None) -> None:
    if value is None or value == "":
        return
    if column is not None and column.kind == "int":
        value = int(value)
    cell.value = value
    if _is_date(value):
        cell.number_format = DATE_FORMAT


# ---------------------------------------------------------------------------- sheets


#: The Guidance sheet's one column: inside an A4 portrait page at full size, whatever
#: font stands in for Calibri (LibreOffice's is wider), so no line runs off the page.
GUIDANCE_WIDTH = 72


def _guidance(ws) -> None:
    S = D.SHEET_NAMES
    lines: list[tuple[str, str]] = [
        ("title", "Improvement Plan monitoring workbook"),
        (
            "",
            "This workbook is the single source of truth for the Improvement Plan. Officers update it each month; "
            "ipxl checks it, counts RAG ratings, highlights new rows and builds the committee appendices.",
        ),
        ("", ""),
        ("heading", "What each sheet is for"),
        (
            "",
            "Control: the buttons (Validate, Refresh, Build appendices); they run with the xlwings Lite add-in "
            "(Home tab), and in the macro-enabled copy with Python on this computer. See `ipxl excel-setup`.",
        ),
        (
            "",
            f"{S['settings']}: the council, plan title, reporting period (start and end dates) and, optionally, last period's saved copy.",
        ),
        ("", f"{S['actions']}: the monitoring tool itself, one row per action, sub-action or assurance action."),
        ("", f"{S['milestones']}: key milestones for actions, with their due dates and status."),
        (
            "",
            f"{S['recommendations']}: the external review recommendations (Grant Thornton, LGA, CIPFA, Secretary of State Directions) and how the plan answers them.",
        ),
        (
            "",
            f"{S['changes']}: the change control log: every new action, timescale change, closure and change of lead, with who approved it.",
        ),
        (
            "",
            f"{S['risks']}: the Improvement Plan risk register (Score is a formula, likelihood x impact: copy it down to new rows; the score band gives the rating).",
        ),
        (
            "",
            f"{S['lists']}: the allowed values behind every drop-down. Add a value there and it becomes valid everywhere; "
            "the sheet is protected against slips, without a password: Review > Unprotect Sheet first.",
        ),
        (
            "",
            f"{S['summary']}, {S['trend']} and {S['validation']} are written by ipxl each time it runs, and protected without a "
            "password. Do not edit them by hand: they are rebuilt.",
        ),
        (
            "",
            f"{S['signoff']} and {S['audit']}, when ipxl adds them: who approved the plan and when, and "
            "every value ipxl changed in it, with whose return it came from. Protected too; they are ipxl's record.",
        ),
        ("", ""),
        ("heading", "Progress statuses"),
        *[("status:" + s.name, f"{s.name}: {s.meaning}") for s in D.STATUSES],
        (
            "",
            "Red and Amber rows need a Progress update; Red rows also need an Exception reason (Amber should have one).",
        ),
        ("", "Complete rows should have a Completion date, which cannot be in the future."),
        ("", ""),
        ("heading", "References"),
        (
            "",
            "Each action's ref is THEME.WORKSTREAM.N, e.g. CO.G1.5 (Corporate Oversight, workstream G1, action 5). "
            "The theme code must match the row's Theme.",
        ),
        (
            "",
            "A sub-action adds one more number to its parent's ref, e.g. CO.G1.5.2 is a sub-action of CO.G1.5. The parent must exist.",
        ),
        ("", "Theme codes: " + "; ".join(f"{code} {name}" for code, name in D.THEMES.items()) + "."),
        ("", ""),
        ("heading", "Dates, changes and new rows"),
        (
            "",
            "Type dates as dd/mm/yyyy. Due date may instead be a keyword: "
            + ", ".join(D.DATE_KEYWORDS)
            + " (TBC is flagged).",
        ),
        ("", "When you set a Revised due date, log a 'Timescale change' for the ref on the Changes sheet."),
        (
            "",
            "Rows whose Date added falls in the reporting period are new: ipxl turns them red in this workbook and in the appendices.",
        ),
        (
            "",
            "Keep header names as they are (ipxl also accepts common alternatives). Extra columns are kept and ignored.",
        ),
        ("", ""),
        ("heading", "Evidence of impact"),
        (
            "",
            f"{S['actions']}: Best Value theme names the theme(s) of the statutory Best Value guidance the action "
            "serves (Leadership; Culture for two); Confidence is your confidence (High, Medium, Low) that it will "
            "achieve its outcome, whatever its status.",
        ),
        (
            "",
            f"{S['measures']}: one row per measure of what the plan is changing: its baseline, target and latest "
            "value with their dates, whether Higher or Lower is better, the Best Value theme(s) and actions it gives "
            "evidence for, the evidence itself, and Yes in Proxy for success for the commissioners' proxies.",
        ),
        (
            "",
            "Update Latest and Latest date whenever a measure is measured: a value older than two reporting periods "
            "is flagged, and so is a completed action whose measures show no evidence.",
        ),
        ("", ""),
        ("heading", "The committee pack"),
        (
            "",
            f"{S['appendices']}: the papers of the quarterly pack, numbered as the covering report lists them. Title "
            "may use {plan} and {period}, which become the Plan title and the Reporting period.",
        ),
        (
            "",
            "Filter keeps some rows only, written Column: value; value (Area: Scrutiny; Audit keeps the "
            "recommendations whose Area mentions scrutiny or audit).",
        ),
        (
            "",
            "A Supplied file appendix (the governance diagram) names a .docx, .pdf or picture beside this workbook "
            "in File; a picture also needs its Alt text.",
        ),
    ]
    ws.column_dimensions["A"].width = GUIDANCE_WIDTH
    _print_setup(ws, landscape=False)
    for row, (kind, text) in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1, value=text or None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # as tall as its wrapped text: not every reader fits rows when it opens a file
        ws.row_dimensions[row].height = 15 * _lines(text, GUIDANCE_WIDTH) if text else 15
        if kind == "title":
            cell.font = Font(bold=True, size=14)
            ws.row_dimensions[row].height = 22
        elif kind == "heading":
            cell.font = Font(bold=True, size=12)
            ws.row_dimensions[row].height = 20
        elif kind.startswith("status:"):
            status = next(s for s in D.STATUSES if s.name == kind[7:])
            cell.fill = _fill(status.colour)
            cell.font = Font(color=_hex(text_colour_on(status.colour)))


def _settings(ws, values: dict | None) -> None:
    _header_row(ws, ["Setting", "Value", "Notes"], [22, 42, 90])
    values = {**D.DEFAULT_SETTINGS, **(values or {})}
    for row, (key, label) in enumerate(D.SETTINGS_KEYS.items(), start=2):
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        _put(ws.cell(row=row, column=2), values.get(key))
        ws.cell(row=row, column=3, value=SETTINGS_NOTES.get(key)).alignment = _WRAP


def _lists(ws, leads: tuple[str, ...] = ()) -> None:
    for letter, header, values in list_layout(leads):
        ws.column_dimensions[letter].width = 4 if header is None else max(12, min(48, len(header) + 4))
        if header is None:
            continue
        cell = ws[f"{letter}1"]
        cell.value, cell.font, cell.fill = header, _HEADER_FONT, _HEADER_FILL
        for row, value in enumerate(values, start=2):
            ws[f"{letter}{row}"] = value
    letters = _list_letters()
    ws.column_dimensions[letters[D.LIST_HEADERS["theme"]]].width = 30
    ws.column_dimensions[letters[D.LIST_HEADERS["status_meaning"]]].width = 58
    ws.column_dimensions[letters[_SIMPLE["reviews"]]].width = 42
    # Status and rating cells in their own colour, so the Lists sheet is the legend.
    for word_header, items in (
        (D.LIST_HEADERS["status"], [(s.name, s.colour) for s in D.STATUSES]),
        (D.LIST_HEADERS["band_rating"], [(b.rating, b.colour) for b in D.SCORE_BANDS]),
    ):
        for row, (_, colour) in enumerate(items, start=2):
            cell = ws[f"{letters[word_header]}{row}"]
            cell.fill = _fill(colour)
            cell.font = Font(color=_hex(text_colour_on(colour)))
    ws.freeze_panes = "A2"
    ws.column_dimensions[letters[D.LIST_HEADERS["lead"]]].width = 40
    ws.column_dimensions[letters[D.LIST_HEADERS["lead_email"]]].width = 36
    _print_setup(ws, landscape=True)
    # against slips, not people: no password, and column widths and filters stay free
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.autoFilter = False


def _record_sheet(ws, key: str, records: list[dict] | None) -> None:
    columns = D.COLUMNS[key]
    _header_row(ws, [c.header for c in columns], [c.width for c in columns])
    for r, record in enumerate(records or [], start=2):
        lines = 1
        for i, column in enumerate(columns, start=1):
            cell = ws.cell(row=r, column=i)
            _put(cell, record.get(column.key), column)
            cell.alignment = _WRAP if column.width >= WRAP_WIDTH else _TOP
            if column.width >= WRAP_WIDTH and isinstance(cell.value, str):
                lines = max(lines, _lines(cell.value, column.width))
        if lines > 1:
            # as tall as its wrapped text: not every reader fits rows when it opens a file
            ws.row_dimensions[r].height = 15 * lines
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A1:{last}{max(1, len(records or []) + 1)}"


#: Empty Risks rows given the Score formula below the last risk, for the officer's next
#: ones (Excel extends a formula every row above has to the rows typed after them).
#: Few: a formula's row is a printed row, and two hundred would print blank pages.
SCORE_SPARE_ROWS = 10


def score_formula(row: int) -> str:
    """Score as Likelihood x Impact, blank until both are numbers."""
    li, im = _letter("risks", "likelihood"), _letter("risks", "impact")
    return f'=IF(AND(ISNUMBER({li}{row}),ISNUMBER({im}{row})),{li}{row}*{im}{row},"")'


def _score_formulas(ws, records: list[dict]) -> dict[str, float | str]:
    """Put the Score formula in the Risks rows; return each cell's value as Excel
    would cache it (openpyxl writes formulas without one, and readers such as
    calamine read only the cached value)."""
    col = _letter("risks", "score")
    cached: dict[str, float | str] = {}
    for row in range(2, len(records) + SCORE_SPARE_ROWS + 2):
        ws[f"{col}{row}"] = score_formula(row)
        record = records[row - 2] if row - 2 < len(records) else {}
        li, im = record.get("likelihood"), record.get("impact")
        if isinstance(li, int | float) and isinstance(im, int | float):
            cached[f"{col}{row}"] = li * im
        else:
            cached[f"{col}{row}"] = ""
    return cached


def _with_cached_values(xml: bytes, cached: dict[str, float | str]) -> bytes:
    """Fill the empty cached value openpyxl writes after each formula in ``cached``."""

    def fill(m: re.Match) -> str:
        value = cached.get(m.group(1))
        if value is None:
            return m.group(0)
        if value == "":
            return f'<c r="{m.group(1)}"{m.group(2)} t="str"><f>{m.group(3)}</f><v></v></c>'
        number = int(value) if isinstance(value, float | int) and float(value).is_integer() else value
        return f'<c r="{m.group(1)}"{m.group(2)}><f>{m.group(3)}</f><v>{number}</v></c>'

    text = re.sub(
        r'<c r="([A-Z]+\d+)"((?: (?!t=)[a-z]+="[^"]*")*)><f>([^<]*)</f><v\s*/?>(?:</v>)?</c>', fill, xml.decode()
    )
    return text.encode("utf-8")


def _report(ws, report: dict | None) -> None:
    """The Report sheet: a row per part of the committee report, its guidance, the
    words for every meeting and a column per meeting (see ``docs/monitoring-workbook.md``)."""
    report = report or {}
    meetings = list(report.get("meetings") or D.REPORT_MEETINGS)
    texts: dict[str, dict[str, object]] = report.get("texts") or {}
    H = D.REPORT_HEADERS
    widths: list[float] = [30, 36, 70, *[50] * len(meetings)]
    _header_row(ws, [H["item"], H["guidance"], H["all"], *meetings], widths)
    ws.freeze_panes = "C2"
    guidance_font = Font(italic=True, color="FF595959")  # 7:1 on white
    for r, item in enumerate(D.REPORT_ITEMS, start=2):
        ws.cell(row=r, column=1, value=item.label).font = Font(bold=True)
        ws.cell(row=r, column=1).alignment = _TOP
        note = ws.cell(row=r, column=2, value=item.guidance or None)
        note.font, note.alignment = guidance_font, _WRAP
        lines = _lines(item.guidance, widths[1]) if item.guidance else 1
        got = texts.get(item.key, {})
        for j, key in enumerate(["all", *meetings], start=3):
            cell = ws.cell(row=r, column=j)
            _put(cell, got.get(key))
            cell.alignment = _WRAP
            if isinstance(cell.value, str):
                lines = max(lines, _lines(cell.value, widths[j - 1]))
        # as tall as its wrapped text, within the 409 points Excel allows a row
        ws.row_dimensions[r].height = min(15 * lines, 409)


def default_appendices() -> list[dict]:
    """The Appendices sheet of a fresh workbook: the committee report's usual list,
    the last a file the council supplies (its File left for the officer)."""
    kinds = {k.key: k.name for k in D.APPENDIX_KINDS}
    return [
        {"number": n, "appendix": kinds[key], "title": title, "filter": filt or None, "file": None, "alt_text": None}
        for n, key, title, filt in D.DEFAULT_PACK
    ]


def _appendix_kinds(ws) -> None:
    """A drop-down of the kinds of appendix ipxl makes (fixed by ipxl, so listed inline)."""
    names = ",".join(k.name for k in D.APPENDIX_KINDS)
    dv = DataValidation(
        type="list",
        formula1=f'"{names}"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="Appendix: not a kind ipxl makes",
        error="Pick the kind of appendix from the list; Supplied file is a Word, PDF or picture file you provide.",
    )
    letter = _letter("appendices", "appendix")
    dv.add(f"{letter}2:{letter}200")
    ws.add_data_validation(dv)


def _proxy_list(ws) -> None:
    """Proxy for success is Yes or blank: a drop-down of the one word."""
    dv = DataValidation(
        type="list",
        formula1='"Yes"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Proxy for success: Yes or blank",
        error="Yes marks one of the proxies for success; otherwise leave the cell blank.",
    )
    letter = _letter("measures", "proxy")
    dv.add(f"{letter}2:{letter}{LAST_ROW}")
    ws.add_data_validation(dv)


def _letter(key: str, column_key: str) -> str:
    keys = [c.key for c in D.COLUMNS[key]]
    return get_column_letter(keys.index(column_key) + 1)


def _defined_names(wb) -> None:
    letters = _list_letters()
    lists = D.SHEET_NAMES["lists"]
    if not lists.isalnum():
        lists = "'" + lists.replace("'", "''") + "'"
    for name, header in LIST_NAMES.items():
        col = letters[header]
        formula = f"OFFSET({lists}!${col}$2,0,0,COUNTA({lists}!${col}:${col})-1,1)"
        wb.defined_names[name] = DefinedName(name, attr_text=formula)


#: Lists whose drop-down only warns: a due date may be a date as well as a keyword,
#: and a Best Value theme cell may name two themes.
#: (Director / Lead stops too, once Lists holds the leads; a new lead goes there first.)
WARN_ONLY = {("actions", "due_date"), ("actions", "best_value"), ("measures", "best_value")}


def _validations(wb, leads: bool = False) -> None:
    rules = dict(VALIDATIONS)
    if leads:
        rules[("actions", "lead")] = (
            "LeadList",
            "Pick the Director / Lead from the list. A new lead is added on the Lists sheet first.",
        )
    for (key, column_key), (name, message) in rules.items():
        ws = wb[D.SHEET_NAMES[key]]
        header = next(c.header for c in D.COLUMNS[key] if c.key == column_key)
        stop = (key, column_key) not in WARN_ONLY
        dv = DataValidation(
            type="list",
            formula1=f"={name}",
            allow_blank=True,
            showDropDown=False,  # (sic) False shows the in-cell arrow
            showErrorMessage=True,
            errorStyle="stop" if stop else "warning",
            errorTitle=f"{header}: value not in the list",
            error=message,
            showInputMessage=True,
            promptTitle=header,
            prompt=message.split(". Click")[0],
        )
        letter = _letter(key, column_key)
        dv.add(f"{letter}2:{letter}{LAST_ROW}")
        ws.add_data_validation(dv)
    # likelihood and impact are whole numbers from 1 to 5
    ws = wb[D.SHEET_NAMES["risks"]]
    for column_key in ("likelihood", "impact", "target_likelihood", "target_impact"):
        header = next(c.header for c in D.COLUMNS["risks"] if c.key == column_key)
        dv = DataValidation(
            type="whole",
            operator="between",
            formula1="1",
            formula2="5",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop",
            errorTitle=f"{header}: 1 to 5",
            error=f"{header} is a whole number from 1 (lowest) to 5 (highest).",
            showInputMessage=True,
            promptTitle=header,
            prompt="A whole number from 1 (lowest) to 5 (highest).",
        )
        letter = _letter("risks", column_key)
        dv.add(f"{letter}2:{letter}{LAST_ROW}")
        ws.add_data_validation(dv)


def _conditional_formats(wb) -> None:
    for (key, column_key), items in COLOURED.items():
        ws = wb[D.SHEET_NAMES[key]]
        letter = _letter(key, column_key)
        for word, colour in items:
            ws.conditional_formatting.add(
                f"{letter}2:{letter}{LAST_ROW}",
                CellIsRule(
                    operator="equal",
                    formula=[f'"{word}"'],
                    fill=_fill(colour),
                    font=Font(color=_hex(text_colour_on(colour))),
                ),
            )


# ------------------------------------------------------------------------ public API


def build_template(path: str | Path, plan: dict | None = None) -> Path:
    """Write a monitoring workbook to ``path`` and return the path.

    With ``plan=None`` the record sheets hold headers only (the empty template). A
    ``plan`` is a dict with ``settings`` (keyed by :data:`ipxl.defaults.SETTINGS_KEYS`
    keys) and a list of records per record sheet key (``actions``, ``milestones``,
    ``recommendations``, ``changes``, ``risks``), each record keyed by the canonical
    column keys of :data:`ipxl.defaults.COLUMNS` -- see :mod:`ipxl.templates.sample_plan`.
    """
    path = Path(path)
    plan = plan or {}
    wb = Workbook()
    guidance = wb.worksheets[0]
    guidance.title = D.SHEET_NAMES["guidance"]
    _guidance(guidance)
    _settings(wb.create_sheet(D.SHEET_NAMES["settings"]), plan.get("settings"))
    for key in D.RECORD_SHEETS:
        _record_sheet(wb.create_sheet(D.SHEET_NAMES[key]), key, plan.get(key))
    risks = wb[D.SHEET_NAMES["risks"]]
    cached = {
        f"xl/worksheets/sheet{wb.sheetnames.index(risks.title) + 1}.xml": _score_formulas(
            risks, plan.get("risks") or []
        )
    }
    _record_sheet(wb.create_sheet(D.SHEET_NAMES["measures"]), "measures", plan.get("measures"))
    _proxy_list(wb[D.SHEET_NAMES["measures"]])
    _record_sheet(
        wb.create_sheet(D.SHEET_NAMES["appendices"]), "appendices", plan.get("appendices") or default_appendices()
    )
    _appendix_kinds(wb[D.SHEET_NAMES["appendices"]])
    _report(wb.create_sheet(D.SHEET_NAMES["report"]), plan.get("report"))
    leads = tuple(
        sorted({str(a["lead"]).strip() for a in plan.get("actions") or [] if a.get("lead")}, key=str.casefold)
    )
    _lists(wb.create_sheet(D.SHEET_NAMES["lists"]), leads)
    _defined_names(wb)
    _validations(wb, leads=bool(leads))
    _conditional_formats(wb)
    wb.active = 2 if plan.get("actions") else 0
    wb.properties.creator = "ipxl"
    wb.properties.lastModifiedBy = "ipxl"
    wb.properties.title = "Improvement Plan monitoring workbook"
    wb.properties.created = _FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    make_reproducible(path, cached)
    return path


def make_reproducible(path: Path, cached: dict[str, dict[str, float | str]] | None = None) -> None:
    """Pin the timestamps openpyxl stamps at save time (docProps and zip entries),
    and give the formulas in ``cached`` (part -> cell -> value) their cached values."""
    stamp = _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as zin:
        items = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    for i, (name, data) in enumerate(items):
        if cached and name in cached:
            data = _with_cached_values(data, cached[name])
            items[i] = (name, data)
        if name == "docProps/core.xml":
            text = data.decode("utf-8")
            text = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{stamp}\g<2>", text)
            items[i] = (name, text.encode("utf-8"))
    write_fixed_zip(path, items)
