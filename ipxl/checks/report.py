"""The Report sheet's rules: every part of the committee report written for every
meeting, nothing left to fill in.

A paper goes to committee as ipxl writes it, so a part of the report an officer has
not written, or has written as a note to themselves ("TBC", "[insert date]"), is an
error naming the cell, never a gap or a placeholder in the paper.
"""

from __future__ import annotations

import datetime as dt
import re

from .. import defaults as D
from ..findings import Finding
from ..xlsx.convert import shown, why_not_a_date
from ..xlsx.model import ReportCell, ReportSheet

_WORDS = re.compile(r"(?<![\w])(" + "|".join(re.escape(w) for w in D.PLACEHOLDER_WORDS) + r")(?![\w])", re.I)
_LINES = {line.casefold() for line in D.PLACEHOLDER_LINES}
_NOTES = re.compile(r"\[([^\]]*)\]|<([^>]*)>")
_NOTE_WORDS = re.compile(r"\b(" + "|".join(re.escape(w.strip()) for w in D.PLACEHOLDER_NOTES) + r")\b", re.I)


def placeholder(text: str) -> str | None:
    """The placeholder ``text`` carries, as typed, or None.

    >>> placeholder("Go-live date TBC")
    'TBC'
    >>> placeholder("Approved by Cabinet on [insert date].")
    '[insert date]'
    >>> placeholder("Leaders [...] are making sustained improvements") is None
    True
    """
    for line in text.split("\n"):
        if line.strip().casefold() in _LINES:
            return line.strip()
    m = _WORDS.search(text)
    if m:
        return m.group(1)
    for m in _NOTES.finditer(text):
        inside = m.group(1) if m.group(1) is not None else m.group(2)
        if inside.strip() in ("...", "…"):
            continue  # an ellipsis in a quotation: words left out on purpose
        if _NOTE_WORDS.search(inside) or not inside.strip():
            return m.group(0)
    return None


def check_report(sheet: ReportSheet) -> list[Finding]:
    """Every finding of the Report sheet, in the sheet's order."""
    name = sheet.name
    out: list[Finding] = []
    if not sheet.header_row:
        return [
            Finding(
                name,
                None,
                None,
                None,
                "error",
                "missing-header-row",
                f"The {name} sheet has no header row with '{D.REPORT_HEADERS['item']}' and "
                f"'{D.REPORT_HEADERS['all']}' in its first ten rows, so no committee report can be written.",
                "Restore the Report sheet's header row from the ipxl template (ipxl new).",
            )
        ]
    if not sheet.meetings:
        out.append(
            Finding(
                name,
                sheet.header_row,
                None,
                None,
                "error",
                "report-no-meeting",
                f"The {name} sheet names no meeting, so there is no committee to write the report for.",
                f"Head a column right of '{D.REPORT_HEADERS['all']}' with the committee's name, e.g. Cabinet.",
            )
        )
    elif not sheet.written:
        # one sentence for a sheet not yet started, not one for every cell of it
        return [
            *out,
            Finding(
                name,
                None,
                None,
                None,
                "error",
                "report-text-missing",
                f"The {name} sheet is blank, so the committee report has none of its own words yet.",
                f"Write each part of the report in the {name} sheet ('{D.REPORT_HEADERS['all']}' for every "
                "meeting) before building the pack; the sample plan's Report sheet shows each part (ipxl new --sample).",
            ),
        ]
    for at, label in sheet.unknown:
        out.append(
            Finding(
                name,
                at,
                D.REPORT_HEADERS["item"],
                None,
                "warning",
                "report-unknown-item",
                f"{label!r} is not a part of the report ipxl writes, so its text is not used.",
                "Name one of the parts the template's Report sheet lists in column A, or delete the row.",
            )
        )
    for item in D.REPORT_ITEMS:
        row = sheet.rows.get(item.key)
        if row is None:
            if item.narrative or item.kind == "date":
                out.append(
                    Finding(
                        name,
                        None,
                        D.REPORT_HEADERS["item"],
                        None,
                        "error",
                        "report-text-missing",
                        f"The {name} sheet has no row '{item.label}', which the committee report needs.",
                        f"Add a row '{item.label}' in the {D.REPORT_HEADERS['item']} column and write its text.",
                    )
                )
            continue
        cells = [row.all, *row.meetings.values()]
        for cell in cells:
            out += _cell_findings(name, item, row.row, cell)
        if not (item.narrative or item.kind == "date"):
            continue
        front = item.kind == "date" or item.key in ("subject", "director", "contact_officers")
        for meeting in sheet.meetings:
            got = sheet.get(item.key, meeting)
            if got is not None and got.value is not None and not (got.off and front):
                continue
            own = row.meetings[meeting]
            if got is not None and got.off and front:
                message = f"{item.label} cannot be left out of a report's front sheet."
            else:
                message = f"{item.label} is blank for {meeting}, so its report would have a gap."
            out.append(
                Finding(
                    name,
                    row.row,
                    meeting,
                    own.cell,
                    "error",
                    "report-text-missing",
                    message,
                    f"Write it in {own.cell} (or in {row.all.cell} for every meeting)"
                    + ("." if front else f"; type {D.REPORT_OFF} to leave it out of the report."),
                )
            )
    return out


def _cell_findings(name: str, item: D.ReportItem, row: int, cell: ReportCell) -> list[Finding]:
    value = cell.value
    if value is None or cell.off:
        return []
    column = None  # the header is the meeting's name or All meetings: the cell says which
    if item.kind == "date":
        if isinstance(value, dt.date):
            return []
        return [
            Finding(
                name,
                row,
                column,
                cell.cell,
                "error",
                "invalid-date",
                f"{item.label} {shown(value)!r} {why_not_a_date(value)}.",
                "Enter the meeting's date, such as 22/11/2023.",
            )
        ]
    text = value if isinstance(value, str) else shown(value)
    gap = placeholder(text)
    if gap is None:
        return []
    return [
        Finding(
            name,
            row,
            column,
            cell.cell,
            "error",
            "report-placeholder",
            f"{item.label} holds {gap!r}, which would go to committee as it is.",
            "Write the text the report needs in its place"
            + (f", or type {D.REPORT_OFF} to leave this part out." if item.key != "subject" else "."),
        )
    ]
