"""The plan's rules are written once (ipxl.checks.rules) and every command and door
agrees on them. Each test pins a disagreement found between two of them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from builders import action, clean_plan, write_workbook
from click.testing import CliRunner
from remote_books import grids_of

from ipxl import defaults as D
from ipxl.checks import rules
from ipxl.checks.validation import validate
from ipxl.cli import main
from ipxl.resources import previous_sample_path, sample_path
from ipxl.returns.chase import chase
from ipxl.returns.make import make_returns
from ipxl.returns.merge import merge_returns

NOW = dt.datetime(2023, 11, 6, 9, 30)


def plan_with_a_sub_action_of_no_lead() -> dict:
    plan = clean_plan()
    # CO.G1.5 is the Director of Finance's; its sub-action names no lead and is overdue
    plan["actions"].append(
        action("CO.G1.5.1", "Corporate Oversight", type="Sub-action", lead=None, due_date=dt.date(2023, 9, 30),
               workstream="Corporate Plan")
    )  # fmt: skip
    return plan


def test_a_sub_action_with_no_lead_is_its_parents_in_the_returns_the_chase_list_and_the_roll_up(tmp_path):
    wb = write_workbook(tmp_path / "plan.xlsx", plan_with_a_sub_action_of_no_lead())
    made = make_returns(wb, tmp_path / "returns")
    finance = next(r for r in made.returns if r.lead == "Director of Finance")
    refs = [c.value for c in openpyxl.load_workbook(finance.path)[D.RETURN_SHEET]["A"][D.RETURN_HEADER_ROW :]]
    assert "CO.G1.5.1" in refs
    listed = next(x for x in chase(wb).leads if x.lead == "Director of Finance")
    assert {"ref": "CO.G1.5.1", "due": dt.date(2023, 9, 30)} in listed.overdue
    from ipxl.analysis.rollup import rollup

    assert "No lead" not in rollup(wb).by_lead.index
    assert not [f for f in validate(wb) if f.code == "required"]  # its blank lead is no gap


def test_effective_leads_follow_the_nearest_ancestor_that_names_one():
    import pandas as pd

    ref = pd.Series(["CO.G1.5", "CO.G1.5.2", "CO.G1.5.2.1", "SD.D1.1.1"])
    lead = pd.Series(["Director of Finance", None, " ", None])
    assert rules.effective_leads(ref, lead).tolist() == ["Director of Finance"] * 3 + [None]


def test_rollup_calls_what_it_counts_actions_not_closed_and_overdue_ones_not_complete(tmp_path):
    result = CliRunner().invoke(main, ["rollup", str(write_workbook(tmp_path / "p.xlsx", clean_plan()))])
    assert "(actions not closed, Complete ones included)" in result.output
    assert "Overdue actions (past their due date at period end and not complete)" in result.output
    assert "open actions" not in result.output


def _return_for(tmp_path: Path, plan: dict, lead: str, edits: dict[str, dict[str, object]]) -> tuple[Path, Path]:
    master = write_workbook(tmp_path / "plan.xlsx", plan)
    made = make_returns(master, tmp_path / "returns")
    path = next(r.path for r in made.returns if r.lead == lead)
    book = openpyxl.load_workbook(path)
    ws = book[D.RETURN_SHEET]
    headers = {c.value: c.column for c in ws[D.RETURN_HEADER_ROW]}
    for row in ws.iter_rows(min_row=D.RETURN_HEADER_ROW + 1):
        for header, value in edits.get(row[0].value, {}).items():
            ws.cell(row[0].row, headers[header], value)
    book.save(path)
    return master, path


def test_a_status_validation_rejects_is_rejected_by_the_merge_with_validations_words(tmp_path):
    master, ret = _return_for(tmp_path, clean_plan(), "Director of Finance", {"SD.D1.3": {"Status": "On track"}})
    result = merge_returns(master, [ret], backup=False)
    (rejected,) = result.returns[0].rejected
    assert rejected["code"] == "invalid-status" and rejected["column"] == "status"
    assert "Status 'On track' is not a status in Lists; did you mean 'Green'?" in rejected["message"]
    assert result.returns[0].unchanged < 5 * len(D.RETURN_EDITS)  # it was not counted unchanged
    # validation says the same of the same value in the master
    plan = clean_plan()
    plan["actions"][0]["status"] = "On track"
    (found,) = [f for f in validate(write_workbook(tmp_path / "v.xlsx", plan)) if f.code == "invalid-status"]
    assert found.message == "Status 'On track' is not a status in Lists; did you mean 'Green'?"


def test_the_exception_reason_rule_is_the_same_in_the_return_the_merge_and_validation(tmp_path):
    master, ret = _return_for(
        tmp_path,
        clean_plan(),
        "Director of Finance",
        {"SD.D1.3": {"Status": "Amber", "Progress update": "Slipping."}, "SD.D1.3.1": {"Status": "Red",
                                                                                       "Progress update": "Stuck."}},
    )  # fmt: skip
    said = openpyxl.load_workbook(ret)[D.RETURN_SHEET]["A5"].value
    assert said.startswith("Red actions need an exception reason; Amber actions should have one.")
    result = merge_returns(master, [ret], backup=False).returns[0]
    assert [(x["ref"], x["code"]) for x in result.rejected] == [("SD.D1.3.1", "exception-required")]
    assert [(x["ref"], x["code"]) for x in result.warnings] == [("SD.D1.3", "exception-missing")]
    assert ("SD.D1.3", "status") in {(a["ref"], a["column"]) for a in result.applied}
    codes = {(f.code, f.severity) for f in validate(master) if f.code.startswith("exception")}
    assert codes == {("exception-missing", "warning")}  # the merged Amber, as validation rates it


def test_a_period_end_typed_as_text_gets_the_warning_a_date_typed_as_text_gets_anywhere(tmp_path):
    plan = clean_plan()
    plan["settings"]["period_end"] = "31 Oct 2023"
    found = [f for f in validate(write_workbook(tmp_path / "p.xlsx", plan)) if f.sheet == "Settings"]
    assert [(f.code, f.cell, f.severity) for f in found] == [("date-as-text", "B6", "warning")]
    assert found[0].message == "Period end '31 Oct 2023' is text, not an Excel date; it was read as 31/10/2023."


def test_a_blank_setting_is_filled_in_and_a_missing_one_added(tmp_path):
    path = tmp_path / "fresh.xlsx"
    CliRunner().invoke(main, ["new", str(path)])
    blank = [f for f in validate(path) if f.code == "missing-setting"]
    assert [f.cell for f in blank] == ["B5", "B6"]
    assert blank[0].suggestion == "Fill in the date in B5, e.g. 31/10/2023."
    plan = clean_plan()
    del plan["settings"]["period_start"]
    wb = openpyxl.load_workbook(write_workbook(tmp_path / "p.xlsx", plan))
    ws = wb["Settings"]
    ws.delete_rows(next(c.row for c in ws["A"] if c.value == "Period start"))
    wb.save(tmp_path / "p.xlsx")
    (missing,) = [f for f in validate(tmp_path / "p.xlsx") if f.code == "missing-setting"]
    assert missing.cell is None and missing.suggestion == "Add a row 'Period start' with the date in column B."


def test_the_file_and_the_excel_doors_refresh_the_same_cells_in_the_same_order(tmp_path, remote):
    from ipxl.excel import desktop as E
    from ipxl.writeback import refresh

    copy = tmp_path / "plan.xlsx"
    shutil.copy(sample_path(), copy)
    out = tmp_path / "out.xlsx"
    result = refresh(copy, out, previous=None, now=NOW)
    book = remote(grids_of(sample_path()))
    live = E.refresh(book, now=NOW, previous=None)
    assert live == result.details  # field by field: painted, restored, new, themes, ...
    written = openpyxl.load_workbook(out)["Summary"]
    (write,) = [
        a for a in book.json()["actions"] if a["func"] == "setValues" and a["values"][0][0] == written["A1"].value
    ]
    file_rows = [
        [c for c in row] for row in written.iter_rows(min_row=1, max_row=len(write["values"]), values_only=True)
    ]
    live_rows = [
        [None if v == "" else v for v in row] + [None] * (len(file_rows[0]) - len(row)) for row in write["values"]
    ]
    refreshed = 2  # the time of the refresh is written as the door's own text
    assert [r[: len(file_rows[0])] for i, r in enumerate(live_rows) if i != refreshed] == [
        r for i, r in enumerate(file_rows) if i != refreshed
    ]


@pytest.mark.parametrize("name", ["dates.py", "checks/rules.py"])
def test_each_rule_has_one_definition_in_the_package(name):
    root = Path(__file__).resolve().parents[1] / "ipxl"

    def grep(pattern: str) -> list[str]:
        import re

        return sorted(
            p.relative_to(root).as_posix() for p in root.rglob("*.py") if re.search(pattern, p.read_text("utf-8"))
        )

    if name == "dates.py":
        assert grep("%d/%m/%Y") == ["defaults.py", "xlsx/convert.py"]  # the format, and parsing typed text
    else:
        assert grep("isin\\(list\\(D\\.CLOSED_STATES") == ["checks/rules.py"]
        assert grep('rsplit\\("\\.", 1\\)\\[0\\]') == ["checks/rules.py", "checks/vocab.py"]


def test_every_command_finds_last_periods_workbook_by_one_rule(tmp_path):
    # Settings name a folder where last period's file should be. History used to pass
    # it over in silence while refresh, the pack and changes refused it: now each says
    # the reader's sentence about it.
    from ipxl.analysis.changes import previous_workbook
    from ipxl.analysis.history import load_series
    from ipxl.errors import NotAWorkbook
    from ipxl.xlsx.reader import read_workbook
    from ipxl.xlsx.sources import previous_for, previous_path

    data = clean_plan()
    data["settings"]["previous_workbook"] = "last month"
    path = write_workbook(tmp_path / "plan.xlsx", data)
    (tmp_path / "last month").mkdir()
    wb = read_workbook(path)
    assert previous_path(wb.settings) == tmp_path / "last month"
    (left,) = load_series([path]).left_out
    assert "is a folder, not a workbook" in left.reason
    for find in (previous_for, previous_workbook):
        with pytest.raises(NotAWorkbook, match="is a folder, not a workbook"):
            find(wb)
    out = CliRunner().invoke(main, ["refresh", str(path), "--output", str(tmp_path / "out.xlsx")])
    assert out.exit_code == 2 and "is a folder, not a workbook" in out.output


def test_every_command_that_reads_the_plan_takes_a_plan_read_once(tmp_path):
    # Read once, asked many times: each command given the Plan answers as it does
    # given the file (and uses the Plan's last period, as it would Settings').
    import ipxl
    from ipxl.analysis.impact import best_value

    folder = tmp_path / "plan"
    folder.mkdir()
    for src in (sample_path(), previous_sample_path()):
        shutil.copy(src, folder)
    path = folder / sample_path().name
    plan = ipxl.Plan.open(path)
    assert plan.previous is not None and "measures" in plan.previous.sheets  # enough for the pack

    assert ipxl.validate(plan).to_dict() == ipxl.validate(path).to_dict()
    assert ipxl.rollup(plan).to_dict() == ipxl.rollup(path).to_dict()
    assert best_value(plan).to_dict() == best_value(path).to_dict()
    assert ipxl.chase(plan).to_dict() == ipxl.chase(path).to_dict()
    assert ipxl.compare(plan.previous, plan).to_dict() == ipxl.compare(plan.previous, path).to_dict()
    made = [(r.lead, r.path.name, r.rows) for r in ipxl.make_returns(plan, tmp_path / "returns").returns]
    assert made and made == [(r.lead, r.path.name, r.rows) for r in ipxl.make_returns(path, tmp_path / "r2").returns]
    from_plan = ipxl.build_pack(plan, out_dir=tmp_path / "a", only="2,5")
    from_file = ipxl.build_pack(path, out_dir=tmp_path / "b", only="2,5")
    assert [p.name for p in from_plan] == [p.name for p in from_file]
    for a, b in zip(from_plan, from_file, strict=True):
        assert docx_text(a) == docx_text(b)  # movement since last period included


def docx_text(path: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_an_overall_risk_rating_that_is_not_a_rating_is_an_error_and_reaches_no_paper(tmp_path):
    from ipxl.errors import WorkbookHasErrors
    from ipxl.pack import render_appendices

    plan = clean_plan()
    plan["settings"]["overall_risk"] = "TBC"
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    found = [f for f in validate(wb) if f.code == "invalid-overall-risk"]
    assert len(found) == 1 and found[0].sheet == "Settings" and found[0].cell.startswith("B")
    assert found[0].message == "Overall risk rating 'TBC' is not one of the risk ratings (Green, Amber, Red)."
    with pytest.raises(WorkbookHasErrors):
        render_appendices(wb, out_dir=tmp_path / "out")
    plan["settings"]["overall_risk"] = "amber"  # the case as typed does not matter
    assert not [f for f in validate(write_workbook(tmp_path / "ok.xlsx", plan)) if f.code == "invalid-overall-risk"]


def test_a_reporting_period_excel_stored_as_a_date_reads_as_its_month(tmp_path):
    from ipxl.xlsx.reader import read_workbook

    plan = clean_plan()
    plan["settings"]["period"] = dt.datetime(2023, 10, 1)  # "October 2023" typed in Excel
    wb = read_workbook(write_workbook(tmp_path / "plan.xlsx", plan))
    assert wb.settings.period == "October 2023"
