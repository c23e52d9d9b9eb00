"""The Settings sheet: the period, its dates, last period's workbook and the rest,
read from a key/value sheet, with what is wrong with them as findings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import defaults as D
from ..dates import uk
from ..findings import Finding
from .cells import col_letter
from .convert import as_date, is_blank, shown, text_of, why_not_a_date
from .model import Lists, Settings


def read_settings(g, path: Path, findings: list[Finding]) -> Settings:
    """The Settings of the sheet ``g`` (a grid, as the reader gives it; None when the
    workbook has none) of the workbook at ``path``; what is wrong goes in ``findings``."""
    settings = Settings()
    if g is None:
        findings.append(
            Finding(
                D.SHEET_NAMES["settings"],
                None,
                None,
                None,
                "warning",
                "missing-sheet",
                "The workbook has no Settings sheet, so the reporting period is unknown "
                "and nothing can be counted as new this period.",
                "Add a Settings sheet with Council, Plan title, Reporting period, Period start and Period end.",
            )
        )
        return settings
    name, rows, col0 = g
    labels = {D.normalise_header(v): k for k, v in D.SETTINGS_KEYS.items()}
    found: dict[str, tuple[object, int]] = {}
    for row_no, row in rows:
        if not row:
            continue
        key = labels.get(D.normalise_header(row[0])) if isinstance(row[0], str) else None
        if key and key not in found:
            found[key] = (row[1] if len(row) > 1 else None, row_no)
    value_col = col_letter(col0 + 2)
    for key, (value, excel_row) in found.items():
        settings.cells[key] = (name, excel_row, f"{value_col}{excel_row}")
        if is_blank(value):
            continue
        if key == "period" and isinstance(value, dt.date):
            # "October 2023" typed in Excel is stored as a date (1 October 2023): the
            # period is its month, as the cell shows it
            settings.period = f"{value:%B %Y}"
            continue
        if key in ("period_start", "period_end"):
            d = as_date(value)
            if d is not None and isinstance(value, str):
                # as a date typed as text in a record sheet is: understood, and said
                findings.append(
                    Finding(
                        name,
                        excel_row,
                        "Value",
                        f"{value_col}{excel_row}",
                        "warning",
                        "date-as-text",
                        f"{D.SETTINGS_KEYS[key]} {value!r} is text, not an Excel date; it was read as {uk(d)}.",
                        uk(d),
                    )
                )
            if d is None:
                findings.append(
                    Finding(
                        name,
                        excel_row,
                        "Value",
                        f"{value_col}{excel_row}",
                        "error",
                        "invalid-date",
                        f"{D.SETTINGS_KEYS[key]} {shown(value)!r} {why_not_a_date(value)}.",
                        "Enter a date such as 31/10/2023.",
                    )
                )
            setattr(settings, key, d)
        elif key == "previous_workbook":
            p = Path(str(value).strip())
            settings.previous_workbook = p = p if p.is_absolute() else path.parent / p
            findings += _previous_findings(p, path, name, excel_row, f"{value_col}{excel_row}")
        else:
            setattr(settings, key, text_of(value) or "")
    for key in ("period_start", "period_end"):
        label = D.SETTINGS_KEYS[key]
        if key not in found:
            findings.append(
                Finding(
                    name,
                    None,
                    None,
                    None,
                    "warning",
                    "missing-setting",
                    f"Settings has no {label}, so nothing can be counted as new this period.",
                    f"Add a row '{label}' with the date in column B.",
                )
            )
        elif is_blank(found[key][0]):
            # the row is there (a fresh template's): it wants filling in, not adding
            row = found[key][1]
            findings.append(
                Finding(
                    name,
                    row,
                    "Value",
                    f"{value_col}{row}",
                    "warning",
                    "missing-setting",
                    f"Settings' {label} is blank, so nothing can be counted as new this period.",
                    f"Fill in the date in {value_col}{row}, e.g. 31/10/2023.",
                )
            )
    return settings


def _previous_findings(previous: Path, path: Path, sheet: str, row: int, cell: str) -> list[Finding]:
    """Settings' Previous workbook, where this workbook's own folder can be looked in
    (not a workbook open from the web): not this workbook itself (every figure would
    compare with itself), and there (else nothing is compared with last period)."""
    if not path.is_file():
        return []
    label = D.SETTINGS_KEYS["previous_workbook"]
    if previous.is_file() and previous.resolve() == path.resolve():
        message, fix = (
            f"{label} names this workbook itself ({previous.name}), so every change would be measured against itself.",
            "Name last period's saved copy of the workbook.",
        )
        return [Finding(sheet, row, "Value", cell, "error", "previous-is-this-workbook", message, fix)]
    if not previous.exists():
        message = (
            f"{label} {previous.name} is not in {previous.parent}, so nothing is compared with last period "
            "(the papers say nothing of movement)."
        )
        fix = "Put last period's copy there, or correct its name."
        return [Finding(sheet, row, "Value", cell, "warning", "previous-missing", message, fix)]
    return []


def overall_risk_findings(settings: Settings, lists: Lists) -> list[Finding]:
    """Settings' Overall risk rating, quoted in the report, must be one of the risk
    register's ratings (Green, Amber, Red): anything else ('TBC') would reach
    committee as the plan's risk."""
    risk = settings.overall_risk.strip()
    ratings = [b.rating for b in lists.score_bands]
    if not risk or not ratings or risk.casefold() in {r.casefold() for r in ratings}:
        return []
    sheet, row, cell = settings.cells["overall_risk"]
    said = ", ".join(ratings)
    return [
        Finding(
            sheet,
            row,
            "Value",
            cell,
            "error",
            "invalid-overall-risk",
            f"{D.SETTINGS_KEYS['overall_risk']} {risk!r} is not one of the risk ratings ({said}).",
            f"Enter one of {said}, or leave it blank.",
        )
    ]
