"""Who changed what: the Audit trail ipxl keeps in the workbook, the values changed
from month to month (``ipxl history --cells``) and one action's story (``ipxl audit``).

Three monthly workbooks are made as the programme office makes them: each month's is
last month's saved under a new name with the new period in Settings; in October and
November a lead's return is merged, and in October an officer also edits a cell by
hand (no audit entry: ipxl did not make that change)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from builders import clean_plan, write_workbook
from click.testing import CliRunner
from remote_books import grids_of
from tools import soffice

from ipxl.analysis.cells import cell_changes, story
from ipxl.analysis.history import CELLS_SCHEMA, export, history, load_series
from ipxl.cli import main
from ipxl.excel import buttons as B
from ipxl.excel import update_round as U
from ipxl.returns.make import make_returns
from ipxl.returns.merge import merge_returns
from ipxl.xlsx.reader import read_workbook

LEAD = "Director of Finance"
MONTHS = {"September 2023": (dt.date(2023, 9, 1), dt.date(2023, 9, 30)),
          "October 2023": (dt.date(2023, 10, 1), dt.date(2023, 10, 31)),
          "November 2023": (dt.date(2023, 11, 1), dt.date(2023, 11, 30))}  # fmt: skip


def _next_month(path: Path, name: str, period: str) -> Path:
    """Last month's workbook saved as this month's: the new period, the old file named."""
    book = openpyxl.load_workbook(path)
    ws = book["Settings"]
    labels = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    start, end = MONTHS[period]
    ws.cell(labels["Reporting period"], 2, period)
    ws.cell(labels["Period start"], 2, start).number_format = "dd/mm/yyyy"
    ws.cell(labels["Period end"], 2, end).number_format = "dd/mm/yyyy"
    ws.cell(labels["Previous workbook"], 2, path.name)
    target = path.with_name(name)
    book.save(target)
    return target


def _return_edit(master: Path, out: Path, edits: dict[tuple[str, str], object], when: dt.datetime) -> None:
    """A lead's return made from ``master``, filled in, and merged back."""
    made = make_returns(master, out, force=True)
    path = next(r.path for r in made.returns if r.lead == LEAD)
    book = openpyxl.load_workbook(path)
    ws = book["Return"]
    headers = {c.value: c.column for c in ws[8]}
    rows = {ws.cell(r, 1).value: r for r in range(9, ws.max_row + 1)}
    for (ref, header), value in edits.items():
        ws.cell(rows[ref], headers[header], value)
    book.save(path)
    merge_returns(master, [path], today=when.date(), now=when, backup=False)


@pytest.fixture
def year(tmp_path) -> list[Path]:
    folder = tmp_path / "monthly"
    folder.mkdir()
    data = clean_plan()
    start, end = MONTHS["September 2023"]
    data["settings"].update(period="September 2023", period_start=start, period_end=end)
    sep = write_workbook(folder / "plan_2023_09.xlsx", data)
    octo = _next_month(sep, "plan_2023_10.xlsx", "October 2023")
    _return_edit(octo, tmp_path / "r10", {("OC.E2.8", "Status"): "Amber", ("OC.E2.8", "Exception reason"): "Venue booking."},
                 dt.datetime(2023, 10, 20, 14, 5))  # fmt: skip
    book = openpyxl.load_workbook(octo)  # an officer's own edit: not ipxl's, so no one is named
    ws = book["Actions"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "CO.G1.5")
    ws.cell(row, 5, "Refresh the Corporate Plan")
    book.save(octo)
    nov = _next_month(octo, "plan_2023_11.xlsx", "November 2023")
    _return_edit(
        nov, tmp_path / "r11", {("PC.A5.3", "Progress update"): "Demos held."}, dt.datetime(2023, 11, 17, 9, 0)
    )
    return [sep, octo, nov]


# ------------------------------------------------------------------ the Audit trail


def test_merging_a_return_writes_who_changed_what_when_into_the_audit_trail(year):
    _, octo, _ = year
    book = openpyxl.load_workbook(octo)
    ws = book["Audit trail"]
    assert ws.protection.sheet and not ws.protection.password
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=5)]
    actions = openpyxl.load_workbook(octo)["Actions"]
    row = next(r for r in range(2, actions.max_row + 1) if actions.cell(r, 1).value == "OC.E2.8")
    assert rows == [
        ["2023-10-20 14:05", "Actions", "OC.E2.8", f"K{row}", "Status", "Not started", "Amber", LEAD,
         "merged from Return - Director of Finance.xlsx"],
        ["2023-10-20 14:05", "Actions", "OC.E2.8", f"M{row}", "Exception reason", None, "Venue booking.", LEAD,
         "merged from Return - Director of Finance.xlsx"],
    ]  # fmt: skip


def test_the_audit_trail_grows_month_by_month_and_keeps_what_it_held(year):
    _, octo, nov = year
    before, after = read_workbook(octo).audit, read_workbook(nov).audit
    assert len(before) == 2 and after[:2] == before and len(after) == 3
    assert (after[2].ref, after[2].column, after[2].after, after[2].who) == (
        "PC.A5.3", "Progress update", "Demos held.", LEAD
    )  # fmt: skip


def test_the_audit_trail_survives_a_libreoffice_save(year, tmp_path):
    _, octo, _ = year
    out = tmp_path / "lo"
    subprocess.run([soffice(), f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless", "--convert-to",
                    "xlsx", "--outdir", str(out), str(octo)], check=True, capture_output=True, timeout=240)  # fmt: skip
    assert read_workbook(out / octo.name).audit == read_workbook(octo).audit


# ------------------------------------------------------------------ history --cells


def test_history_over_three_monthly_files_lists_every_changed_value_once_in_order(year):
    series = load_series([year[-1].parent], sheets=("actions", "changes", "recommendations", "audit"))
    changes = [(c.period, c.ref, c.column, c.before, c.after, c.who) for c in cell_changes(series.workbooks)]
    assert changes == [
        ("October 2023", "CO.G1.5", "Description", "Deliver CO.G1.5", "Refresh the Corporate Plan", None),
        ("October 2023", "OC.E2.8", "Status", "Not started", "Amber", LEAD),
        ("October 2023", "OC.E2.8", "Exception reason", "", "Venue booking.", LEAD),
        ("November 2023", "PC.A5.3", "Progress update", "Supplier demos delayed.", "Demos held.", LEAD),
    ]


def test_history_cells_in_text_json_and_the_tidy_export(year, tmp_path):
    folder = year[-1].parent
    text = CliRunner().invoke(main, ["history", str(folder), "--cells"])
    assert text.exit_code == 0, text.output
    assert "Values changed (4):" in text.output
    assert "    OC.E2.8 Status: Not started -> Amber (Director of Finance, 2023-10-20 14:05)" in text.output
    assert "    CO.G1.5 Description: Deliver CO.G1.5 -> Refresh the Corporate Plan\n" in text.output
    data = json.loads(CliRunner().invoke(main, ["history", str(folder), "--cells", "--format", "json"]).output)
    assert [c["to"] for c in data["cells"]] == ["Refresh the Corporate Plan", "Amber", "Venue booking.", "Demos held."]
    assert data["cells"][1]["who"] == LEAD and data["cells"][1]["when"] == "2023-10-20 14:05"
    assert "cells" not in json.loads(CliRunner().invoke(main, ["history", str(folder), "--format", "json"]).output)
    series = load_series([folder], sheets=("actions", "changes", "recommendations", "audit"))
    h = history(series)
    h.cells = [c.to_dict() for c in cell_changes(series.workbooks)]
    written = export(h, tmp_path / "bi")
    assert {p.name for p in written} >= {"history_cells.csv", "history_cells.parquet"}
    table = pd.read_csv(tmp_path / "bi" / "history_cells.csv", encoding="utf-8-sig")
    assert list(table.columns) == list(CELLS_SCHEMA) and len(table) == 4
    assert table.loc[3, "who"] == LEAD and table.loc[3, "period_end"] == "2023-11-30"


def test_the_cells_schema_in_the_docs_matches_the_code():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "history.md").read_text()
    for name, meaning in CELLS_SCHEMA.items():
        assert f"| `{name}` | {meaning} |" in doc, name


# ------------------------------------------------------------------ ipxl audit REF


def test_one_actions_story_across_the_year(year):
    result = CliRunner().invoke(main, ["audit", "oc.e2.8", str(year[-1])])  # the chain is followed back
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "OC.E2.8: its story across 3 periods",
        "  September 2023: first seen (plan_2023_09.xlsx): Theme Organisational Culture; Description Deliver "
        "OC.E2.8; Director / Lead Director of Finance; Due date 2024-06-30; Status Not started; Closure Open",
        "  October 2023:",
        "    Status: Not started -> Amber (Director of Finance, 2023-10-20 14:05)",
        "    Exception reason: (blank) -> Venue booking. (Director of Finance, 2023-10-20 14:05)",
        "  November 2023: no change",
        "Audit trail (2 changes ipxl made):",
        "  2023-10-20 14:05  Status: Not started -> Amber  Director of Finance, merged from Return - Director of "
        "Finance.xlsx",
        "  2023-10-20 14:05  Exception reason: (blank) -> Venue booking.  Director of Finance, merged from Return - "
        "Director of Finance.xlsx",
    ]
    data = json.loads(CliRunner().invoke(main, ["audit", "OC.E2.8", str(year[-1]), "--format", "json"]).output)
    assert data == story(load_series([year[-1]], sheets=("actions", "audit")).workbooks, "OC.E2.8").to_dict()
    assert [len(p["changes"]) for p in data["periods"]] == [0, 2, 0]


def test_an_action_in_no_workbook_is_one_sentence_and_exit_2(year):
    result = CliRunner().invoke(main, ["audit", "ZZ.Z9.9", str(year[-1])])
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: No action ZZ.Z9.9 in the 3 workbooks (September 2023 to November 2023); check the Ref "
        "(ipxl history lists them)."
    )


# ------------------------------------------------------------------ the Excel doors


def test_the_sign_off_button_records_the_sign_off_through_excel(remote, tmp_path):
    data = clean_plan()
    data["settings"]["signoff_by"] = "Leadership Team"
    grids = grids_of(write_workbook(tmp_path / "plan.xlsx", data))
    grids = {"Control": [["", ""], ["", ""], ["Task", 6]], **grids}
    book = remote(grids)
    signed = B.run(book)
    assert signed is not None and signed.by == "Leadership Team" and signed.period == "October 2023"
    sent = book.json()["actions"]
    added = [a["args"][1] for a in sent if a["func"] == "addSheet"]
    assert added[-2:] == ["Sign-off", "_ipxl_signoff"]
    names = [s.name for s in book.sheets]
    # the values signed stay text, and the sheet is hidden as far as the engine can
    hidden = names.index("_ipxl_signoff")
    assert any(a["func"] == "setNumberFormat" and a["args"] == ["@"] and a["sheet_position"] == hidden for a in sent)
    assert any(a["func"] == "setSheetVisibility" and a["sheet_position"] == hidden for a in sent)
    (alert,) = [a for a in sent if a["func"] == "alert"]
    assert "is on the Sign-off sheet (not yet saved" in alert["args"][0]


def test_merging_returns_through_excel_writes_the_audit_trail_too(remote, tmp_path):
    plan = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    made = make_returns(plan, tmp_path / "returns")
    path = next(r.path for r in made.returns if r.lead == LEAD)
    book = openpyxl.load_workbook(path)
    ws = book["Return"]
    headers = {c.value: c.column for c in ws[8]}
    ws.cell(9, headers["Progress update"], "Merged through Excel.")
    book.save(path)
    live = remote(grids_of(plan))
    assert U.merge_returns(live, returns_dir=tmp_path / "returns", today=dt.date(2023, 10, 20)) is not None
    sent = live.json()["actions"]
    assert "Audit trail" in [a["args"][1] for a in sent if a["func"] == "addSheet"]
    names = [s.name for s in live.sheets]
    (write,) = [a for a in sent if a["func"] == "setValues" and names[a["sheet_position"]] == "Audit trail"]
    assert write["values"][4][2] == ws.cell(9, 1).value and write["values"][4][7] == LEAD


def test_the_lite_sign_off_script_records_it_and_without_an_approver_says_where_to_name_one(remote, tmp_path):
    from remote_books import OFFICE_JS

    from ipxl.excel import lite as L

    data = clean_plan()
    data["settings"]["signoff_by"] = "Leadership Team"
    book = remote(grids_of(write_workbook(tmp_path / "asks.xlsx", data)), "asks.xlsx", OFFICE_JS)
    assert L.run("sign_off", book).by == "Leadership Team"
    assert "_ipxl_signoff" in [a["args"][1] for a in book.json()["actions"] if a["func"] == "addSheet"]
    unnamed = remote(grids_of(write_workbook(tmp_path / "plan.xlsx", clean_plan())), "plan.xlsx", OFFICE_JS)
    assert L.run("sign_off", unnamed) is None
    (alert,) = [a for a in unnamed.json()["actions"] if a["func"] == "alert"]
    assert alert["args"][0].startswith("Say who approved plan.xlsx: put who signs off in Settings' Sign-off by")


def test_a_column_added_to_actions_this_month_reads_blank_last_month_and_crashes_nothing(tmp_path):
    first = write_workbook(tmp_path / "plan_2023_10.xlsx", clean_plan())
    second = _next_month(first, "plan_2023_11.xlsx", "November 2023")
    book = openpyxl.load_workbook(second)
    ws = book["Actions"]
    col = ws.max_column + 1
    ws.cell(1, col, "Notes")
    ws.cell(2, col, "Raised at Leadership Team")
    book.save(second)
    ref = ws.cell(2, 1).value
    result = CliRunner().invoke(main, ["history", "--cells", str(second)])
    assert result.exit_code == 0, result.output
    assert f"{ref} Notes: (blank) -> Raised at Leadership Team" in result.output
    result = CliRunner().invoke(main, ["audit", ref, str(second)])
    assert result.exit_code == 0 and "Notes: (blank) -> Raised at Leadership Team" in result.output
