"""Build real monitoring workbooks for tests, from plain dicts keyed by column key.

``clean_plan()`` is a small plan that validates with no errors and no warnings; tests
copy it, plant one fault and write it with ``write_workbook``.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import openpyxl

from ipxl import defaults as D

PERIOD_START = dt.date(2023, 8, 1)
PERIOD_END = dt.date(2023, 10, 31)


def action(ref, theme, **kw):
    row = {
        "ref": ref,
        "theme": theme,
        "workstream": "Medium-Term Financial Planning",
        "type": "Action",
        "description": f"Deliver {ref}",
        "recommendations": None,
        "lead": "Director of Finance",
        "delivery_lead": "Head of Finance",
        "due_date": dt.date(2024, 3, 31),
        "revised_due_date": None,
        "status": "Green",
        "progress_update": "On track.",
        "exception_reason": None,
        "date_added": dt.date(2022, 6, 7),
        "completion_date": None,
        "closure": "Open",
    }
    row.update(kw)
    return row


def measure(ref, name, theme, **kw) -> dict:
    """One row of the Measures sheet: by default a measure of SD.D1.3 that rose from
    40 (June 2023) to 55 (September 2023) against a target of 60 by March 2024."""
    row = {
        "measure_ref": ref,
        "measure": name,
        "best_value": theme,
        "action_refs": "SD.D1.3",
        "baseline": 40,
        "baseline_date": dt.date(2023, 6, 30),
        "target": 60,
        "target_date": dt.date(2024, 3, 31),
        "latest": 55,
        "latest_date": dt.date(2023, 9, 30),
        "better_when": "Higher",
        "evidence": f"{name} report, September 2023",
        "proxy": None,
    }
    row.update(kw)
    return row


def appendix(number, kind, title=None, filter=None, file=None, alt_text=None) -> dict:
    """One row of the Appendices sheet."""
    return {"number": number, "appendix": kind, "title": title, "filter": filter, "file": file, "alt_text": alt_text}


#: The meetings the test plans' Report sheet writes for.
MEETINGS = ("Cabinet", "Audit Committee")


FRONT = {
    "subject": "Improvement Plan Progress",
    "director": "Chief Executive\nShokat Lal",
    "contact_officers": "Strategic Lead – Service Improvement, Kate Ashley, kate_ashley@example.gov.uk",
}


def report_sheet(meetings: tuple[str, ...] = MEETINGS) -> dict:
    """A Report sheet with every part written: the same words for every meeting but
    each meeting's date and recommendations."""
    texts: dict[str, dict[str, object]] = {}
    for item in D.REPORT_ITEMS:
        if item.kind == "date":
            texts[item.key] = {m: dt.date(2023, 11, 20 + i) for i, m in enumerate(meetings)}
        elif item.key == "recommendations":
            texts[item.key] = {m: f"That {m} notes the progress of the Improvement Plan." for m in meetings}
        elif item.key in FRONT:
            texts[item.key] = {"all": FRONT[item.key]}
        else:
            texts[item.key] = {"all": f"The {item.label.lower()} of the report."}
    return {"meetings": list(meetings), "texts": texts}


def clean_plan() -> dict:
    """A small, fully valid plan: every sheet, no errors, no warnings."""
    return copy.deepcopy(
        {
            "settings": {
                "council": "Sandwell Metropolitan Borough Council",
                "plan_title": "Improvement Plan",
                "period": "October 2023",
                "period_start": PERIOD_START,
                "period_end": PERIOD_END,
                "previous_workbook": None,
            },
            "report": report_sheet(),
            "actions": [
                action("SD.D1.3", "Strategic Direction", recommendations="S1"),
                action("SD.D1.3.1", "Strategic Direction", type="Sub-action", description="Star chamber meetings"),
                action(
                    "CO.G1.5",
                    "Corporate Oversight",
                    workstream="Corporate Plan",
                    status="Amber",
                    progress_update="Delayed by consultation.",
                    exception_reason="Consultation ran late.",
                ),
                action(
                    "CO.E1.5",
                    "Corporate Oversight",
                    type="Assurance action",
                    workstream="Corporate Transformation",
                    status="Complete",
                    completion_date=dt.date(2023, 9, 1),
                ),
                action(
                    "PC.A5.3",
                    "Procurement and Commercial",
                    workstream="Commercial Strategy",
                    status="Red",
                    progress_update="Supplier demos delayed.",
                    exception_reason="Supplier availability.",
                    recommendations="GT-I1",
                ),
                action(
                    "OC.E2.8",
                    "Organisational Culture",
                    workstream="Member Development",
                    status="Not started",
                    due_date=dt.date(2024, 6, 30),
                ),
            ],
            "milestones": [
                {
                    "ref": "SD.D1.3",
                    "milestone": "MTFS refreshed",
                    "due_date": dt.date(2023, 10, 1),
                    "status": "Complete",
                    "completed_date": dt.date(2023, 9, 30),
                },
                {
                    "ref": "PC.A5.3",
                    "milestone": "Options appraisal",
                    "due_date": "TBC" if False else dt.date(2024, 1, 31),
                    "status": "Not complete",
                    "completed_date": None,
                },
            ],
            "recommendations": [
                {
                    "rec_id": "S1",
                    "review": "Grant Thornton VFM Governance Review 2021",
                    "category": "Statutory",
                    "kloe_ref": None,
                    "area": "Corporate grip",
                    "recommendation": "Take effective corporate grip.",
                    "response": "Accepted.",
                    "action_refs": "SD.D1.3; CO.G1.5",
                    "lead": "Chief Executive",
                },
                {
                    "rec_id": "GT-I1",
                    "review": "Grant Thornton follow-up 2022",
                    "category": "Improvement",
                    "kloe_ref": "KLOE A1",
                    "area": "Commercial Strategy",
                    "recommendation": "Define commercial.",
                    "response": "Agreed.",
                    "action_refs": "Commentary",
                    "lead": "Director of Finance",
                },
            ],
            "changes": [
                {
                    "date": dt.date(2023, 9, 12),
                    "ref": "SD.D1.3.1",
                    "change_type": "New sub-action",
                    "old_value": None,
                    "new_value": "Star chamber meetings",
                    "reason": "Follow-up review",
                    "approved_by": "Leadership Team 12/09/2023",
                },
            ],
            "risks": [
                {
                    "risk_ref": "IP1",
                    "risk": "Resources for delivery",
                    "cause": "Capacity",
                    "consequence": "Slippage",
                    "owner": "Chief Executive",
                    "likelihood": 3,
                    "impact": 4,
                    "score": 12,
                    "rating": "Amber",
                    "mitigations": "Graduate placements",
                    "target_likelihood": 2,
                    "target_impact": 3,
                    "direction": "Improving",
                },
                {
                    "risk_ref": "IP2",
                    "risk": "Investment and financial resources",
                    "cause": None,
                    "consequence": None,
                    "owner": "Director of Finance",
                    "likelihood": 4,
                    "impact": 5,
                    "score": 20,
                    "rating": "Red",
                    "mitigations": "Improvement reserve",
                    "target_likelihood": 2,
                    "target_impact": 4,
                    "direction": "Stable",
                },
            ],
        }
    )


def write_workbook(
    path: Path,
    plan: dict,
    *,
    title_rows: int = 0,
    headers: dict[str, dict[str, str]] | None = None,
    order: dict[str, list[str]] | None = None,
    extra_columns: dict[str, dict[str, list]] | None = None,
    omit_sheets: tuple[str, ...] = (),
    omit_columns: dict[str, tuple[str, ...]] | None = None,
    lists: bool = True,
) -> Path:
    """Write ``plan`` as a real .xlsx. ``headers`` renames columns per sheet (aliases),
    ``order`` reorders them, ``title_rows`` puts title rows above the header row."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    headers = headers or {}
    order = order or {}
    omit_columns = omit_columns or {}
    if "settings" not in omit_sheets:
        ws = wb.create_sheet(D.SHEET_NAMES["settings"])
        ws.append(["Setting", "Value"])
        for key, label in D.SETTINGS_KEYS.items():
            value = plan["settings"].get(key)
            ws.append([label, value])
    for key in D.RECORD_SHEETS:
        if key in omit_sheets:
            continue
        ws = wb.create_sheet(D.SHEET_NAMES[key])
        for i in range(title_rows):
            ws.append([f"{D.SHEET_NAMES[key]} - Improvement Plan" if i == 0 else None])
        cols = [c.key for c in D.COLUMNS[key] if c.key not in omit_columns.get(key, ())]
        if key in order:
            cols = order[key] + [c for c in cols if c not in order[key]]
        names = {c.key: c.header for c in D.COLUMNS[key]} | headers.get(key, {})
        extras = (extra_columns or {}).get(key, {})
        ws.append([names[c] for c in cols] + list(extras))
        for i, rec in enumerate(plan[key]):
            ws.append([rec.get(c) for c in cols] + [v[i] for v in extras.values()])
        for row in ws.iter_rows(min_row=title_rows + 2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
    if plan.get("measures") is not None and "measures" not in omit_sheets:
        ws = wb.create_sheet(D.SHEET_NAMES["measures"])
        cols = [c.key for c in D.COLUMNS["measures"] if c.key not in omit_columns.get("measures", ())]
        names = {c.key: c.header for c in D.COLUMNS["measures"]} | headers.get("measures", {})
        ws.append([names[c] for c in cols])
        for rec in plan["measures"]:
            ws.append([rec.get(c) for c in cols])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
    if plan.get("appendices") is not None:
        ws = wb.create_sheet(D.SHEET_NAMES["appendices"])
        cols = [c.key for c in D.COLUMNS["appendices"]]
        ws.append([c.header for c in D.COLUMNS["appendices"]])
        for rec in plan["appendices"]:
            ws.append([rec.get(c) for c in cols])
    if plan.get("report") is not None and "report" not in omit_sheets:
        ws = wb.create_sheet(D.SHEET_NAMES["report"])
        meetings = list(plan["report"]["meetings"])
        H = D.REPORT_HEADERS
        ws.append([H["item"], H["guidance"], H["all"], *meetings])
        for item in D.REPORT_ITEMS:
            got = plan["report"]["texts"].get(item.key)
            if got is None:
                continue
            ws.append([item.label, None, got.get("all"), *[got.get(m) for m in meetings]])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
    if lists and "lists" not in omit_sheets:
        ws = wb.create_sheet(D.SHEET_NAMES["lists"])
        H = D.LIST_HEADERS
        columns: list[tuple[str, list]] = [
            (H["theme_code"], list(D.THEMES)),
            (H["theme"], list(D.THEMES.values())),
            (H["status"], [s.name for s in D.STATUSES]),
            (H["status_colour"], ["#" + s.colour for s in D.STATUSES]),
            (H["status_meaning"], [s.meaning for s in D.STATUSES]),
        ]
        columns += [(spec.header, list(spec.defaults)) for spec in D.SIMPLE_LISTS]
        columns += [
            (H["band_rating"], [b.rating for b in D.SCORE_BANDS]),
            (H["band_low"], [b.low for b in D.SCORE_BANDS]),
            (H["band_high"], [b.high for b in D.SCORE_BANDS]),
        ]
        for j, (header, values) in enumerate(columns, start=1):
            ws.cell(1, j, header)
            for i, v in enumerate(values, start=2):
                ws.cell(i, j, v)
    wb.save(path)
    return path


def with_shared_strings(path: Path, edits: dict[tuple[str, int, int], object] | None = None) -> Path:
    """The workbook at ``path`` rewritten as Excel writes text: in a shared-strings part
    (xlsxwriter, which also writes control characters as Excel does, ``_x0001_``).
    ``edits`` sets cells first: (sheet title, 1-based row, column) -> value; text
    starting with ``=`` becomes a formula."""
    import xlsxwriter

    cells: dict[tuple[str, int, int], object] = {}
    source = openpyxl.load_workbook(path)
    for ws in source.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells[(ws.title, c.row, c.column)] = c.value
    cells.update(edits or {})
    out = path.with_name(path.name + ".shared.xlsx")
    book = xlsxwriter.Workbook(str(out))
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheets = {ws.title: book.add_worksheet(ws.title) for ws in source.worksheets}
    for (title, r, c), v in cells.items():
        sheet, r, c = sheets[title], r - 1, c - 1
        if v is None:
            continue
        if isinstance(v, bool):
            sheet.write_boolean(r, c, v)
        elif isinstance(v, (int, float)):
            sheet.write_number(r, c, v)
        elif isinstance(v, (dt.date, dt.datetime)):
            sheet.write_datetime(r, c, v, date_format)
        elif isinstance(v, str) and v.startswith("=") and len(v) > 1:
            sheet.write_formula(r, c, v)
        else:
            sheet.write_string(r, c, str(v))
    book.close()
    out.replace(path)
    return path
