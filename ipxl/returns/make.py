"""``ipxl returns make``: one return workbook per lead.

Each return holds its lead's open actions (Closure not closed, Status not Complete),
and their sub-actions that name no lead of their own. The columns of
:data:`ipxl.defaults.RETURN_COLUMNS` that a lead may change are unlocked and checked as
they are typed (a drop-down of the statuses, dates between 2000 and 2199: Excel refuses
anything else, not just warns); the rest are locked by sheet protection without a
password, with filters, sorting and column widths still usable. Above the table: the
plan, the period, the deadline and what to do; a second sheet gives the status
definitions. A very hidden sheet (:data:`ipxl.defaults.RETURN_SNAPSHOT`) keeps each
row's editable values as the master had them, as text, so it survives the return being
saved by Excel, LibreOffice or openpyxl (custom XML parts would not).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import defaults as D
from ..checks import rules
from ..dates import uk
from ..errors import OutputExists
from ..xlsx.model import Source, Workbook
from ..xlsx.sources import as_workbook
from ..xlsx.xml import xml_text

#: The version of the snapshot's layout; a merge refuses one it does not know.
SNAPSHOT_VERSION = 1
_DATE_MIN, _DATE_MAX = dt.date(2000, 1, 1), dt.date(2199, 12, 31)


@dataclass
class MadeReturn:
    lead: str
    path: Path
    rows: int


@dataclass
class MadeReturns:
    """What ``returns make`` wrote: a return per lead, and the manifest beside them."""

    returns: list[MadeReturn] = field(default_factory=list)
    manifest: Path | None = None
    #: open actions with no lead, which no return carries
    unassigned: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "returns": [{"lead": r.lead, "file": str(r.path), "rows": r.rows} for r in self.returns],
            "manifest": str(self.manifest) if self.manifest else None,
            "unassigned": self.unassigned,
        }


def snapshot_text(v) -> str:
    """A value as a return's snapshot keeps it, and as the merge and the chase list
    compare values: dates ISO, blanks empty, text stripped."""
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NaT:
        return ""
    if isinstance(v, dt.datetime):  # pandas' Timestamps too
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    # what a worksheet can hold: the same text however it was stored or read back
    return xml_text(str(v)).strip()


def rows_by_lead(wb: Workbook, by: str = "lead") -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Each lead's open actions (``by``: ``lead`` or ``delivery_lead``), in sheet
    order, with sub-actions that name no lead under their parent's; and the refs of
    open actions no lead can be found for."""
    f = wb.frame("actions")
    status, closure = rules.statuses(f["status"], wb.lists), rules.closures(f["closure"], wb.lists)
    open_ = rules.to_deliver(closure, status) & f["ref"].notna()
    # a sub-action with no lead belongs to its parent's lead (the rule chase keeps too)
    leads = rules.effective_leads(f["ref"], f[by])
    mine = f[open_].assign(_lead=leads[open_])
    unassigned = [str(r) for r in mine.loc[mine["_lead"].isna(), "ref"]]
    out = {
        str(lead): group.drop(columns="_lead")
        for lead, group in mine[mine["_lead"].notna()].groupby("_lead", sort=False)
    }
    return dict(sorted(out.items(), key=lambda kv: kv[0].casefold())), unassigned


def make_returns(
    plan: Source,
    out_dir: str | Path,
    *,
    by: str = "lead",
    deadline: dt.date | None = None,
    force: bool = False,
    now: dt.datetime | None = None,
) -> MadeReturns:
    """Write one return per lead of ``plan`` into ``out_dir`` and a manifest
    (:data:`ipxl.defaults.RETURN_MANIFEST`) naming them. Existing files are not replaced
    unless ``force``; nothing is written when any would be."""
    from ..pack.model import safe_name
    from ..xlsx.safe_write import atomic_write, exists, make_folder, write_bytes

    wb = as_workbook(plan)
    now = now or dt.datetime.now().replace(microsecond=0)
    groups, unassigned = rows_by_lead(wb, by)
    out_dir = Path(out_dir)
    names: dict[str, Path] = {}
    taken: set[str] = set()
    for lead in groups:
        stem = safe_name(f"Return - {lead}")
        name, k = stem, 2
        while name.casefold() in taken:
            name, k = f"{stem} ({k})", k + 1
        taken.add(name.casefold())
        names[lead] = out_dir / f"{name}.xlsx"
    manifest = out_dir / D.RETURN_MANIFEST
    if not force:
        for target in [*names.values(), manifest]:
            if exists(target):
                raise OutputExists(
                    f"{target} already exists; choose another --out folder or add --force to replace it."
                )
    make_folder(out_dir)
    result = MadeReturns(unassigned=unassigned)
    for lead, rows in groups.items():
        book = _return_book(wb, lead, by, rows, deadline, now)
        atomic_write(names[lead], book.save)
        result.returns.append(MadeReturn(lead, names[lead], len(rows)))
    data = {
        "master": Path(wb.path).name,
        "period": wb.settings.period,
        "by": by,
        "made": now.isoformat(),
        "deadline": deadline.isoformat() if deadline else None,
        "returns": [{"lead": r.lead, "file": r.path.name, "rows": r.rows} for r in result.returns],
    }
    text = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    result.manifest = write_bytes(manifest, text)
    return result


def _return_book(wb: Workbook, lead: str, by: str, rows: pd.DataFrame, deadline, now):
    from openpyxl import Workbook as Book
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Book()
    ws = book.active
    ws.title = D.RETURN_SHEET
    st = wb.settings
    plan = st.plan_title or "Improvement Plan"
    by_words = "Director / Lead" if by == "lead" else "Delivery lead"
    lead_text = xml_text(lead)
    ws["A1"] = xml_text(f"{plan}: update return for {lead}")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = xml_text(f"{st.council}. Reporting period: {st.period or ''}".strip())
    ws["A3"] = (
        f"Please return this by {deadline:%A %d %B %Y}."
        if deadline
        else "Please return this by the date the programme office gives."
    )
    ws["A3"].font = Font(bold=True)
    ws["A4"] = (
        "Update the white columns only: Status, Progress update, Exception reason, and when a date moves, the "
        "Revised due date with a Reason for change. Give a Completion date when an action is complete."
    )
    ws["A5"] = (
        f"{rules.exception_reason_words()} The grey columns come from the plan and are locked; "
        "the Status key sheet says what each status means. Save the file and send it back as it is."
    )
    ws["A6"] = f"{len(rows)} actions for {lead_text} ({by_words}), as the plan stood on {uk(now)}."
    header_row = D.RETURN_HEADER_ROW
    head_fill = PatternFill("solid", fgColor=D.HEADER_FILL)
    locked_fill = PatternFill("solid", fgColor="F2F2F2")
    for c, (_, header, _editable) in enumerate(D.RETURN_COLUMNS, start=1):
        cell = ws.cell(header_row, c, header)
        cell.font = Font(bold=True, color=D.HEADER_FONT)
        cell.fill = head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    f = rows
    keys = [k for k, _, _ in D.RETURN_COLUMNS]
    editable = {k for k, _, e in D.RETURN_COLUMNS if e}
    widths = {"ref": 12, "theme": 18, "workstream": 22, "description": 48, "due_date": 12, "status": 13,
              "progress_update": 60, "exception_reason": 36, "revised_due_date": 13, "reason": 30,
              "completion_date": 13}  # fmt: skip
    sheet = wb.sheets.get("actions")
    raw = sheet.raw if sheet is not None else f
    for r, i in enumerate(f.index, start=header_row + 1):
        for c, key in enumerate(keys, start=1):
            if key == "reason":
                v = None
            elif key in ("due_date", "revised_due_date", "completion_date"):
                d = f.at[i, key]
                keyword = raw.at[i, key] if key == "due_date" else None  # Ongoing, or what was typed
                v = d.date() if isinstance(d, pd.Timestamp) and not pd.isna(d) else keyword
                if v is not None and not isinstance(v, dt.date):
                    v = xml_text(str(v))
            else:
                v = f.at[i, key]
                v = None if v is None or (isinstance(v, float) and pd.isna(v)) else xml_text(str(v))
            cell = ws.cell(r, c, v)
            if isinstance(v, dt.date):
                cell.number_format = "dd/mm/yyyy"
            cell.alignment = Alignment(
                wrap_text=key in ("description", "progress_update", "exception_reason", "reason"), vertical="top"
            )
            if key in editable:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = locked_fill
    # Row heights for the wrapped text (readers do not all fit them on opening).
    wrapped = {c: widths.get(k, 16) for c, k in enumerate(keys, start=1)
               if k in ("description", "progress_update", "exception_reason")}  # fmt: skip
    for r in range(header_row + 1, header_row + 1 + len(f)):
        lines = 1
        for c, width in wrapped.items():
            text = str(ws.cell(r, c).value or "")
            lines = max(lines, sum(max(1, -(-len(part) // int(width * 1.1))) for part in text.split("\n")))
        ws.row_dimensions[r].height = 15 * lines
    ws.row_dimensions[header_row].height = 30
    last = header_row + max(len(f), 1)
    for c, key in enumerate(keys, start=1):
        ws.column_dimensions[get_column_letter(c)].width = widths.get(key, 16)
    ws.freeze_panes = ws.cell(header_row + 1, 2)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(keys))}{last}"
    col = {k: get_column_letter(c) for c, k in enumerate(keys, start=1)}

    statuses = [s for s in wb.lists.status_names]
    status_dv = DataValidation(
        type="list",
        # the Status key sheet's words: an inline list would break on a comma in a
        # status, or past Excel's 255 characters
        formula1=f"'Status key'!$A$2:$A${len(statuses) + 1}",
        allow_blank=False,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Not a status",
        error=xml_text("Choose a status from the list: " + ", ".join(statuses) + ".")[:225],
        showInputMessage=True,
        promptTitle="Status",
        prompt="Choose from the list; the Status key sheet says what each means.",
    )
    date_dv = DataValidation(
        type="date",
        operator="between",
        formula1=str((_DATE_MIN - dt.date(1899, 12, 30)).days),
        formula2=str((_DATE_MAX - dt.date(1899, 12, 30)).days),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="Not a date",
        error="Type a date, for example 31/03/2024.",
        showInputMessage=True,
        promptTitle="Date",
        prompt="A date, for example 31/03/2024.",
    )
    reason_dv = DataValidation(
        type="textLength",
        operator="lessThanOrEqual",
        formula1="1000",
        allow_blank=True,
        showInputMessage=True,
        promptTitle="Reason for change",
        prompt="Needed when you give a new Revised due date: why the date moves.",
    )
    first = header_row + 1
    for dv, keys_ in (
        (status_dv, ("status",)),
        (date_dv, ("revised_due_date", "completion_date")),
        (reason_dv, ("reason",)),
    ):
        ws.add_data_validation(dv)
        for k in keys_:
            dv.add(f"{col[k]}{first}:{col[k]}{last}")
    # Printed, it fits the page's width on A4 landscape with the header row on each page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    # Locked without a password: it stops slips, not people; filters, sorting and
    # column widths stay usable (False: not protected).
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    key_ws = book.create_sheet("Status key")
    key_ws.append(["Status", "Meaning"])
    for cell in key_ws[1]:
        cell.font = Font(bold=True, color=D.HEADER_FONT)
        cell.fill = head_fill
    for s in wb.lists.statuses:
        key_ws.append([xml_text(s.name), xml_text(s.meaning)])
        key_ws.cell(key_ws.max_row, 1).fill = PatternFill("solid", fgColor=s.colour)
    key_ws.column_dimensions["A"].width = 14
    key_ws.column_dimensions["B"].width = 70
    key_ws.protection.sheet = True

    snap = book.create_sheet(D.RETURN_SNAPSHOT)
    snap.sheet_state = "veryHidden"
    snap.append(["ipxl return", SNAPSHOT_VERSION])
    for k, v in (
        ("lead", lead_text),
        ("by", by),
        ("master", xml_text(Path(wb.path).name)),
        ("period", xml_text(st.period or "")),
        ("made", now.isoformat()),
        ("deadline", deadline.isoformat() if deadline else ""),
    ):
        snap.append([k, v])
    snap.append(["ref", *D.RETURN_EDITS])
    for i in f.index:
        snap.append([snapshot_text(f.at[i, "ref"]), *[snapshot_text(f.at[i, k]) for k in D.RETURN_EDITS]])
    # text, never numbers or dates, so no reader turns them into something else
    for row in snap.iter_rows():
        for cell in row:
            cell.number_format = "@"
            if cell.value is not None and not isinstance(cell.value, str):
                cell.value = str(cell.value)
    snap.protection.sheet = True
    book.active = 0
    return book
