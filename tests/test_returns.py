"""The update round: make returns, edit them as officers do, merge them back."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from builders import action, clean_plan, with_shared_strings, write_workbook
from click.testing import CliRunner
from tools import soffice

from ipxl.cli import main
from ipxl.errors import NotAWorkbook
from ipxl.returns.make import make_returns
from ipxl.returns.merge import merge_returns

TODAY = dt.date(2023, 10, 20)


def _plan() -> dict:
    p = clean_plan()
    # two leads with open actions; CO.E1.5 (Complete) and closed rows are in no return
    p["actions"].append(action("CO.G1.6", "Corporate Oversight", lead="Chief Executive", status="Amber",
                               exception_reason="Capacity.", progress_update="Recruiting."))  # fmt: skip
    p["actions"].append(action("CO.G1.7", "Corporate Oversight", lead="Chief Executive", closure="Closed"))
    return p


@pytest.fixture
def round_(tmp_path):
    master = write_workbook(tmp_path / "plan.xlsx", _plan())
    made = make_returns(master, tmp_path / "returns", deadline=dt.date(2023, 11, 3))
    return master, made, tmp_path


def _ret(made, lead) -> Path:
    return next(r.path for r in made.returns if r.lead == lead)


def _edit(path: Path, edits: dict[tuple[str, str], object]) -> None:
    """Set cells of the Return sheet by (ref, header), as an officer would in Excel."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Return"]
    headers = {c.value: c.column for c in ws[8]}
    rows = {ws.cell(r, 1).value: r for r in range(9, ws.max_row + 1)}
    for (ref, header), value in edits.items():
        ws.cell(rows[ref], headers[header], value)
    wb.save(path)


def _with_email(plan: Path, address: str) -> None:
    """Give the Director of Finance an Email in a Lead/Email list of the Lists sheet."""
    wb = openpyxl.load_workbook(plan)
    ws = wb["Lists"]
    col = ws.max_column + 2
    for row, values in ((1, ("Lead", "Email")), (2, ("Director of Finance", address))):
        ws.cell(row, col, values[0])
        ws.cell(row, col + 1, values[1])
    wb.save(plan)


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: hashlib.sha256(zf.read(n)).hexdigest() for n in zf.namelist()}


def _values(path: Path, sheet: str) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[sheet]
    return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}


# ------------------------------------------------------------------ make


def test_each_lead_gets_a_return_of_their_open_actions_only(round_):
    _, made, tmp = round_
    by_lead = {r.lead: r for r in made.returns}
    assert set(by_lead) == {"Director of Finance", "Chief Executive"}
    ws = openpyxl.load_workbook(by_lead["Chief Executive"].path)["Return"]
    assert [ws.cell(r, 1).value for r in range(9, ws.max_row + 1)] == ["CO.G1.6"]
    fin = openpyxl.load_workbook(by_lead["Director of Finance"].path)["Return"]
    refs = [fin.cell(r, 1).value for r in range(9, fin.max_row + 1)]
    assert "CO.E1.5" not in refs and "CO.G1.7" not in refs and "SD.D1.3.1" in refs
    assert "Friday 03 November 2023" in fin["A3"].value
    manifest = json.loads((tmp / "returns" / "returns.json").read_text())
    assert {r["lead"] for r in manifest["returns"]} == set(by_lead)


def test_a_return_locks_what_the_lead_may_not_change_and_stops_bad_values(round_):
    _, made, _ = round_
    book = openpyxl.load_workbook(_ret(made, "Director of Finance"))
    ws = book["Return"]
    assert ws.protection.sheet and not ws.protection.password
    assert ws.protection.autoFilter is False and ws.protection.formatColumns is False
    headers = {c.value: c.column_letter for c in ws[8]}
    assert ws[f"{headers['Ref']}9"].protection.locked
    assert ws[f"{headers['Action']}9"].protection.locked
    for h in (
        "Status",
        "Progress update",
        "Exception reason",
        "Revised due date",
        "Reason for change",
        "Completion date",
    ):
        assert not ws[f"{headers[h]}9"].protection.locked, h
    dvs = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    status = dvs[headers["Status"]]
    assert status.type == "list" and status.errorStyle == "stop" and status.showErrorMessage
    assert status.formula1 == "'Status key'!$A$2:$A$7" and status.prompt
    date = dvs[headers["Revised due date"]]
    assert date.type == "date" and date.errorStyle == "stop"
    assert book["_ipxl_return"].sheet_state == "veryHidden"
    assert [c.value for c in book["Status key"]["A"]][1:4] == ["Complete", "Green", "Amber"]


def test_making_returns_twice_refuses_to_overwrite_without_force(round_):
    master, made, tmp = round_
    before = _parts(made.returns[0].path)
    result = CliRunner().invoke(main, ["returns", "make", str(master), "--out", str(tmp / "returns")])
    assert result.exit_code == 2 and "already exists" in result.output and "--force" in result.output
    assert _parts(made.returns[0].path) == before


# ------------------------------------------------------------------ merge


def test_a_merge_changes_exactly_the_cells_the_leads_changed_and_logs_the_new_date(round_):
    master, made, _ = round_
    _edit(
        _ret(made, "Director of Finance"),
        {
            ("OC.E2.8", "Status"): "Amber",
            ("OC.E2.8", "Exception reason"): "Venue & dates <tbc>",
            ("OC.E2.8", "Progress update"): "Sessions moved to {{ spring }}.",
            ("PC.A5.3", "Revised due date"): dt.datetime(2024, 9, 30),
            ("PC.A5.3", "Reason for change"): "Supplier demos delayed.",
        },
    )
    before_parts, before_actions = _parts(master), _values(master, "Actions")
    before_changes = _values(master, "Changes")
    result = merge_returns(master, [_ret(made, "Director of Finance")], today=TODAY)
    fin = result.returns[0]
    assert {(a["ref"], a["column"]) for a in fin.applied} == {
        ("OC.E2.8", "status"), ("OC.E2.8", "exception_reason"), ("OC.E2.8", "progress_update"),
        ("PC.A5.3", "revised_due_date"),
    }  # fmt: skip
    assert fin.conflicts == fin.rejected == fin.foreign == []
    after_parts, after = _parts(master), _values(master, "Actions")
    changed_parts = {n for n in after_parts if after_parts[n] != before_parts.get(n)}
    # the changed sheets, and the Audit trail added as a new sheet (so the workbook's
    # list of sheets, its relationships and content types), nothing else
    new_sheet = {"xl/worksheets/sheet9.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    assert changed_parts <= {"xl/worksheets/sheet2.xml", "xl/worksheets/sheet5.xml", "xl/styles.xml", *new_sheet}
    assert openpyxl.load_workbook(master).sheetnames[-1] == "Audit trail"
    diff = {k for k in after.keys() | before_actions.keys() if after.get(k) != before_actions.get(k)}
    row = {r: i for i, r in ((i, _values(master, "Actions").get(f"A{i}")) for i in range(2, 12))}
    r_oc, r_pc = row["OC.E2.8"], row["PC.A5.3"]
    assert diff == {f"K{r_oc}", f"M{r_oc}", f"L{r_oc}", f"J{r_pc}"}
    assert after[f"K{r_oc}"] == "Amber" and after[f"M{r_oc}"] == "Venue & dates <tbc>"
    assert after[f"L{r_oc}"] == "Sessions moved to {{ spring }}."
    assert after[f"J{r_pc}"] == dt.datetime(2024, 9, 30)
    assert openpyxl.load_workbook(master)["Actions"][f"J{r_pc}"].number_format.lower().startswith("dd/mm")
    changes = _values(master, "Changes")
    new = sorted(k for k in changes if k not in before_changes)
    last = max(int(k[1:]) for k in new)
    assert changes[f"A{last}"] == dt.datetime(2023, 10, 20) and changes[f"B{last}"] == "PC.A5.3"
    assert changes[f"C{last}"] == "Timescale change" and changes[f"E{last}"] == dt.datetime(2024, 9, 30)
    assert changes[f"F{last}"] == "Supplier demos delayed." and f"G{last}" not in changes
    # the master still validates: the new date is logged, the Red/Amber rules hold
    from ipxl import validate

    assert validate(master).ok


def test_a_new_date_for_an_action_due_ongoing_logs_ongoing_as_the_old_value_and_the_file_opens(tmp_path):
    plan = _plan()
    plan["actions"].append(action("CO.G1.8", "Corporate Oversight", lead="Director of Finance", due_date="Ongoing"))
    master = write_workbook(tmp_path / "plan.xlsx", plan)
    made = make_returns(master, tmp_path / "returns", deadline=dt.date(2023, 11, 3))
    _edit(_ret(made, "Director of Finance"), {("CO.G1.8", "Revised due date"): dt.datetime(2024, 12, 31),
                                             ("CO.G1.8", "Reason for change"): "Panel paused."})  # fmt: skip
    merge_returns(master, [_ret(made, "Director of Finance")], today=TODAY)
    with zipfile.ZipFile(master) as zf:
        assert not any(b"<v>nan</v>" in zf.read(n) for n in zf.namelist() if n.endswith(".xml"))
    changes = openpyxl.load_workbook(master)["Changes"]  # opens: no damaged cell
    last = [c.value for c in changes[changes.max_row]]
    assert last[1:5] == ["CO.G1.8", "Timescale change", "Ongoing", dt.datetime(2024, 12, 31)]
    from ipxl import validate

    assert validate(master).ok  # the merge writes nothing validation rejects


def test_merging_the_same_return_twice_changes_nothing_the_second_time(round_):
    master, made, _ = round_
    _edit(
        _ret(made, "Chief Executive"),
        {("CO.G1.6", "Status"): "Complete", ("CO.G1.6", "Completion date"): dt.date(2023, 10, 5)},
    )
    first = merge_returns(master, [_ret(made, "Chief Executive")], today=TODAY, backup=False)
    assert len(first.returns[0].applied) == 2 and first.written
    bytes_after = master.read_bytes()
    second = merge_returns(master, [_ret(made, "Chief Executive")], today=TODAY, backup=False)
    assert second.returns[0].applied == [] and second.written is None
    assert master.read_bytes() == bytes_after


def test_a_cell_changed_in_the_master_meanwhile_is_a_conflict_and_the_master_wins(round_):
    master, made, _ = round_
    wb = openpyxl.load_workbook(master)  # the programme office edits the master meanwhile
    ws = wb["Actions"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "OC.E2.8")
    ws.cell(row, 11, "Red")
    ws.cell(row, 13, "Room booking failed.")
    wb.save(master)
    _edit(_ret(made, "Director of Finance"), {("OC.E2.8", "Status"): "Green"})
    result = merge_returns(master, [_ret(made, "Director of Finance")], today=TODAY)
    assert result.returns[0].conflicts == [{"ref": "OC.E2.8", "column": "status", "master": "Red", "return": "Green"}]
    assert openpyxl.load_workbook(master)["Actions"].cell(row, 11).value == "Red"


def test_an_invalid_status_is_rejected_with_the_returns_cell_and_the_rest_applied(round_):
    master, made, _ = round_
    path = _ret(made, "Director of Finance")
    _edit(path, {("OC.E2.8", "Status"): "Finished-ish", ("PC.A5.3", "Progress update"): "Demos done."})
    result = CliRunner().invoke(main, ["returns", "merge", str(master), str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    rejected = data["returns"][0]["rejected"]
    ws = openpyxl.load_workbook(path)["Return"]
    row = next(r for r in range(9, ws.max_row + 1) if ws.cell(r, 1).value == "OC.E2.8")
    assert rejected == [
        {"ref": "OC.E2.8", "column": "status", "cell": f"F{row}", "value": "Finished-ish", "code": "invalid-status",
         "message": rejected[0]["message"]}
    ]  # fmt: skip
    assert "is not a status" in rejected[0]["message"]
    assert [a["column"] for a in data["returns"][0]["applied"]] == ["progress_update"]
    assert data["missing"] == ["Chief Executive"]


def test_rules_that_join_a_rows_values_reject_the_change_that_breaks_them(round_):
    master, made, _ = round_
    _edit(
        _ret(made, "Director of Finance"),
        {
            ("OC.E2.8", "Status"): "Red",  # no exception reason
            ("PC.A5.3", "Revised due date"): dt.date(2024, 12, 31),  # no reason
            ("SD.D1.3", "Completion date"): dt.date(2023, 10, 1),  # not complete
        },
    )
    result = merge_returns(master, [_ret(made, "Director of Finance")], today=TODAY)
    codes = {(x["ref"], x["code"]) for x in result.returns[0].rejected}
    assert codes == {("OC.E2.8", "exception-required"), ("PC.A5.3", "reason-required"),
                     ("SD.D1.3", "completion-not-complete")}  # fmt: skip
    assert result.written is None


def test_a_row_that_is_not_the_leads_or_not_in_the_master_is_foreign(round_):
    master, made, _ = round_
    wb = openpyxl.load_workbook(master)
    ws = wb["Actions"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "OC.E2.8")
    ws.cell(row, 7, "Chief Executive")  # the action moves to another lead meanwhile
    wb.save(master)
    path = _ret(made, "Director of Finance")
    book = openpyxl.load_workbook(path)
    rws = book["Return"]
    extra = rws.max_row + 1
    rws.cell(extra, 1, "ZZ.Z9.9")  # a row the lead typed in
    rws.cell(extra, 6, "Green")
    book.save(path)
    _edit(path, {("OC.E2.8", "Progress update"): "Moved."})
    result = merge_returns(master, [path], today=TODAY)
    foreign = {x["ref"]: x["reason"] for x in result.returns[0].foreign}
    assert foreign["OC.E2.8"].startswith("the master gives it to Chief Executive")
    assert foreign["ZZ.Z9.9"] == "not in this return as it was made"


def test_a_return_saved_by_libreoffice_merges_the_same(round_):
    lo = soffice()
    master, made, tmp = round_
    path = _ret(made, "Director of Finance")
    _edit(path, {("OC.E2.8", "Progress update"): "Saved by LibreOffice."})
    out = tmp / "lo"
    subprocess.run([lo, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)  # fmt: skip
    resaved = out / path.name
    assert "_ipxl_return" in openpyxl.load_workbook(resaved).sheetnames  # the record survives
    result = merge_returns(master, [resaved], today=TODAY)
    assert [(a["ref"], a["column"], a["to"]) for a in result.returns[0].applied] == [
        ("OC.E2.8", "progress_update", "Saved by LibreOffice.")
    ]


def test_a_file_that_is_not_a_return_is_one_sentence_and_nothing_is_merged(round_, tmp_path):
    master, made, _ = round_
    stranger = shutil.copy(master, tmp_path / "not-a-return.xlsx")
    before = master.read_bytes()
    with pytest.raises(NotAWorkbook, match="is not an ipxl return"):
        merge_returns(master, [_ret(made, "Chief Executive"), stranger])
    assert master.read_bytes() == before
    result = CliRunner().invoke(main, ["returns", "merge", str(master), str(stranger)])
    assert result.exit_code == 2 and len(result.output.splitlines()) == 1


# ------------------------------------------------------------------ chase


def _chase_plans(tmp_path):
    prev = _plan()
    prev["settings"]["period"] = "July 2023"
    prev["settings"]["period_start"], prev["settings"]["period_end"] = dt.date(2023, 5, 1), dt.date(2023, 7, 31)
    next(a for a in prev["actions"] if a["ref"] == "OC.E2.8")["progress_update"] = "Planning sessions."
    write_workbook(tmp_path / "prev.xlsx", prev)
    cur = _plan()
    cur["settings"]["previous_workbook"] = "prev.xlsx"
    acts = {a["ref"]: a for a in cur["actions"]}
    acts["OC.E2.8"]["progress_update"] = "Planning  sessions."  # spaces only: unchanged
    acts["PC.A5.3"]["due_date"] = dt.date(2023, 9, 30)  # before period end 31/10/2023: overdue
    acts["PC.A5.3"]["status"] = "Amber"
    acts["CO.G1.5"]["due_date"] = dt.date(2023, 12, 1)  # within 45 days
    return write_workbook(tmp_path / "plan.xlsx", cur)


def test_the_chase_list_names_each_leads_overdue_due_soon_and_unchanged_actions(tmp_path):
    from ipxl.returns.chase import chase

    plan = _chase_plans(tmp_path)
    made = make_returns(plan, tmp_path / "returns")
    _edit(_ret(made, "Chief Executive"), {("CO.G1.6", "Progress update"): "Two posts filled."})
    result = chase(plan, returns=tmp_path / "returns")
    by = {x.lead: x for x in result.leads}
    fin = by["Director of Finance"]
    assert [x["ref"] for x in fin.overdue] == ["PC.A5.3"]
    assert [x["ref"] for x in fin.due_soon] == ["CO.G1.5"]
    assert "OC.E2.8" in fin.unchanged
    assert fin.return_status == "out" and by["Chief Executive"].return_status == "in"
    data = json.loads(CliRunner().invoke(main, ["chase", str(plan), "--format", "json"]).output)
    assert data["leads"][0]["lead"] == "Director of Finance" and data["leads"][0]["return"] is None


def test_chase_writes_a_draft_email_per_lead_addressed_from_lists(tmp_path):
    import email
    from email import policy

    plan = _chase_plans(tmp_path)
    _with_email(plan, "finance.director@sandwell.gov.uk")
    result = CliRunner().invoke(main, ["chase", str(plan), "--eml", str(tmp_path / "eml"), "--deadline", "14/11/2023"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "eml" / "Chase - Director of Finance.eml"
    msg = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert msg["To"] == "finance.director@sandwell.gov.uk" and msg["X-Unsent"] == "1"
    body = msg.get_content()
    assert "PC.A5.3 (due 30/09/2023)" in body and "Tuesday 14 November 2023" in body
    assert "draft email" in result.output and "nothing sent" in result.output


def test_addresses_typed_one_a_line_in_an_email_cell_are_listed_and_a_two_line_title_joined(tmp_path):
    import email
    from email import policy

    plan = _chase_plans(tmp_path)
    _with_email(plan, "finance.director@sandwell.gov.uk\ndeputy@sandwell.gov.uk;")  # Alt+Enter in Excel
    wb = openpyxl.load_workbook(plan)
    settings = wb["Settings"]
    row = next(r for r in range(1, settings.max_row + 1) if settings.cell(r, 1).value == "Plan title")
    settings.cell(row, 2, "Improvement\nPlan")
    wb.save(plan)
    result = CliRunner().invoke(main, ["chase", str(plan), "--eml", str(tmp_path / "eml")])
    assert result.exit_code == 0, result.output
    msg = email.message_from_bytes((tmp_path / "eml" / "Chase - Director of Finance.eml").read_bytes(),
                                   policy=policy.default)  # fmt: skip
    assert msg["To"] == "finance.director@sandwell.gov.uk, deputy@sandwell.gov.uk"
    assert msg["Subject"] == "Improvement Plan: your update"


def test_chase_looking_further_than_ten_years_ahead_is_refused_in_one_sentence(tmp_path):
    plan = _chase_plans(tmp_path)
    result = CliRunner().invoke(main, ["chase", str(plan), "--days", "3000000"])
    assert result.exit_code == 2
    assert "Invalid value for '--days': 3000000 is not in the range 0<=x<=3660." in result.output


def test_text_a_worksheet_cannot_hold_is_dropped_from_a_return_and_never_reads_as_a_change(tmp_path):
    # as Excel stores them (_x000B_), which openpyxl cannot write: PC.A5.3 in row 6
    master = with_shared_strings(
        write_workbook(tmp_path / "plan.xlsx", _plan()),
        {("Actions", 6, 12): "Supplier\x0b demos delayed.", ("Actions", 6, 7): "Director of Finance\x19"},
    )
    made = make_returns(master, tmp_path / "returns")
    path = next(r.path for r in made.returns if r.lead.startswith("Director of Finance") and r.rows == 1)
    ws = openpyxl.load_workbook(path)["Return"]
    assert ws.cell(9, 7).value == "Supplier demos delayed."
    result = merge_returns(master, [path], today=TODAY)
    assert result.returns[0].applied == [] and result.returns[0].conflicts == [] and result.returns[0].foreign == []
