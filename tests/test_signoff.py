"""Sign-off: the record of what Leadership Team approved, and what changed since.

Real workbooks in tmp_path, signed off by the real command, saved again by the real
LibreOffice and openpyxl, edited as officers edit them, and read back."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from builders import clean_plan, write_workbook
from click.testing import CliRunner
from tools import soffice

from ipxl import defaults as D
from ipxl import validate
from ipxl.checks.signoff import approval, content, fingerprint
from ipxl.cli import main
from ipxl.errors import SheetNotOurs, WorkbookHasErrors
from ipxl.resources import previous_sample_path, sample_path, sample_xlsm_path
from ipxl.writeback.signoff import sign_off
from ipxl.xlsx.reader import read_workbook
from ipxl.xlsx.records import canonical

ON = dt.date(2023, 11, 7)
NOW = dt.datetime(2023, 11, 8, 9, 30)
APPROVED = "Approved by Leadership Team on 7 November 2023"
CHANGED = "DRAFT: changed since approval by Leadership Team on 7 November 2023"


@pytest.fixture
def signed(tmp_path) -> Path:
    """The sample plan (formulas in its risk register, a Report sheet), signed off."""
    plan = Path(shutil.copy(sample_path(), tmp_path / "plan.xlsx"))
    shutil.copy(sample_path().with_name("governance-diagram.png"), tmp_path)
    shutil.copy(previous_sample_path(), tmp_path)  # last period's, which its Settings name
    sign_off(plan, "Leadership Team", ON, backup=False, now=NOW)
    return plan


def _fingerprint_recorded(path: Path) -> str:
    wb = read_workbook(path)
    assert wb.signoff is not None and wb.signoff.latest is not None
    return wb.signoff.latest.fingerprint


def _set(path: Path, sheet: str, cell: str, value, out: Path | None = None) -> Path:
    """Change one cell as an officer would in a spreadsheet program (openpyxl saves it)."""
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(out or path)
    return out or path


def _libreoffice(path: Path, out: Path) -> Path:
    subprocess.run([soffice(), f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless", "--convert-to",
                    "xlsx", "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=240)  # fmt: skip
    return out / path.name


def _first_lines(docx_path: Path) -> tuple[str, list[str]]:
    """A paper's first line, and the first line of each of its page headers."""
    d = docx.Document(str(docx_path))
    headers = [s.header.paragraphs[0].text for s in d.sections if s.header.paragraphs]
    return d.paragraphs[0].text, headers


def _pack(plan: Path, out: Path, *extra: str):
    return CliRunner().invoke(main, ["appendices", str(plan), "--out", str(out), "--only", "1", "--html", *extra])


# ------------------------------------------------------------------ the record


def test_a_sign_off_records_the_period_who_when_and_a_fingerprint_on_a_protected_sheet(signed):
    book = openpyxl.load_workbook(signed)
    ws = book["Sign-off"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Period")
    row = [c.value for c in ws[header + 1]]
    assert row[:3] == ["October 2023", "Leadership Team", "7 November 2023"]
    assert row[3] == "8 November 2023 09:30" and row[4] > 2000 and len(row[5]) == 64
    assert ws.protection.sheet and not ws.protection.password
    hidden = book["_ipxl_signoff"]
    assert hidden.sheet_state == "veryHidden" and hidden.protection.sheet
    assert row[5] == fingerprint(content(read_workbook(signed)))


def test_a_sign_off_changes_only_its_own_sheets_and_keeps_vba_buttons_and_names_byte_for_byte(tmp_path):
    plan = Path(shutil.copy(sample_xlsm_path(), tmp_path / "plan_2023_10.xlsm"))
    before = _zip(plan)
    result = sign_off(plan, "Leadership Team", ON, now=NOW)
    after = _zip(plan)
    changed = {n for n in after if before.get(n) != after[n]}
    new = set(after) - set(before)
    assert len(new) == 2 and all(n.startswith("xl/worksheets/sheet") for n in new)
    assert changed - new <= {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml"}
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    assert result.backup is not None and result.backup.read_bytes() == sample_xlsm_path().read_bytes()
    book = openpyxl.load_workbook(plan, keep_vba=True)
    assert book.sheetnames[-2:] == ["Sign-off", "_ipxl_signoff"] and book.sheetnames[0] == "Control"
    assert validate(plan).ok


def _zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_signing_off_again_with_nothing_changed_writes_nothing(signed):
    data = signed.read_bytes()
    result = sign_off(signed, "Leadership Team", ON, now=NOW + dt.timedelta(days=1))
    assert result.details.signoff.already and not result.written and signed.read_bytes() == data


def test_a_second_sign_off_adds_a_row_and_the_latest_is_the_one_compared(signed):
    _set(signed, "Actions", "K5", "Amber")
    _set(signed, "Actions", "M5", "Recruitment paused.")
    sign_off(signed, "Leadership Team", dt.date(2023, 11, 21), backup=False, now=dt.datetime(2023, 11, 21, 16))
    wb = read_workbook(signed)
    assert [e.on for e in wb.signoff.entries] == [ON, dt.date(2023, 11, 21)]
    a = approval(wb)
    assert a.state == "approved" and a.line == "Approved by Leadership Team on 21 November 2023"


# ------------------------------------------------------------------ re-saved


def test_a_workbook_signed_off_and_resaved_by_libreoffice_is_still_approved(signed, tmp_path):
    resaved = _libreoffice(signed, tmp_path / "lo")
    wb = read_workbook(resaved)
    a = approval(wb)
    assert a.state == "approved" and a.differences == () and a.problem is None
    assert a.fingerprint == _fingerprint_recorded(signed)
    assert not [f for f in validate(wb) if f.code.endswith("signoff")]


def test_a_workbook_signed_off_and_resaved_by_openpyxl_is_still_approved(signed, tmp_path):
    # openpyxl drops every formula's value (the risk register's Score): formula cells
    # are not compared, so the fingerprint does not move
    book = openpyxl.load_workbook(signed)
    book.save(tmp_path / "openpyxl.xlsx")
    wb = read_workbook(tmp_path / "openpyxl.xlsx")
    assert wb.frame("risks")["score"].isna().all()
    a = approval(wb)
    assert a.state == "approved" and a.fingerprint == _fingerprint_recorded(signed)


def test_a_date_stored_as_its_serial_number_and_a_whole_number_as_a_float_move_nothing(tmp_path):
    plan = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    sign_off(plan, "Leadership Team", ON, backup=False, now=NOW)
    book = openpyxl.load_workbook(plan)
    ws = book["Actions"]
    due = next(c for c in ws[1] if c.value == "Due date").column_letter
    ws[f"{due}2"].value = (dt.datetime(2024, 3, 31) - dt.datetime(1899, 12, 30)).days  # 45382, shown as a number
    ws[f"{due}2"].number_format = "General"
    risks = book["Risks"]
    risks["F2"].value = float(risks["F2"].value)  # likelihood 3 as 3.0
    book.save(plan)
    assert approval(read_workbook(plan)).state == "approved"
    assert canonical(45382.0, "date") == canonical(dt.date(2024, 3, 31)) == "2024-03-31"
    assert canonical(3.0) == canonical(3) == "3" and canonical("a\r\nb ") == "a\nb"


def test_sorting_the_actions_or_inserting_a_blank_row_is_no_change_to_what_was_approved(tmp_path):
    plan = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    sign_off(plan, "Leadership Team", ON, backup=False, now=NOW)
    reordered = clean_plan()
    reordered["actions"].reverse()
    fresh = write_workbook(tmp_path / "sorted.xlsx", reordered)
    book = openpyxl.load_workbook(fresh)
    signed = openpyxl.load_workbook(plan)
    for name in ("Sign-off", "_ipxl_signoff"):  # the record travels with the sheets
        ws = book.create_sheet(name)
        for row in signed[name].iter_rows(values_only=True):
            ws.append(list(row))
    book["Actions"].insert_rows(4)
    book.save(fresh)
    assert approval(read_workbook(fresh)).state == "approved"


# ------------------------------------------------------------------ changed since


def test_one_cell_changed_after_sign_off_makes_every_paper_a_draft_and_validate_names_the_cell(signed, tmp_path):
    ref, was = openpyxl.load_workbook(signed)["Actions"]["A5"].value, "Green"
    assert openpyxl.load_workbook(signed)["Actions"]["K5"].value == was
    _set(signed, "Actions", "K5", "Amber")
    _set(signed, "Actions", "M5", "Recruitment paused.")

    result = CliRunner().invoke(main, ["validate", str(signed), "--format", "json"])
    assert result.exit_code == 0, result.output  # a warning: the data is not wrong
    found = [f for f in json.loads(result.output)["issues"] if f["code"] == "changed-since-signoff"]
    # the status, and the exception reason Amber needs (blank when signed)
    assert [(f["sheet"], f["cell"], f["column"], f["severity"]) for f in found] == [
        ("Actions", "K5", "Status", "warning"), ("Actions", "M5", "Exception reason", "warning")
    ]  # fmt: skip
    assert found[0]["message"] == (
        f"{ref} Status: changed since the sign-off by Leadership Team on 7 November 2023; it was 'Green', now 'Amber'."
    )
    assert found[1]["message"].endswith("it was blank, now 'Recruitment paused.'.")

    packed = _pack(signed, tmp_path / "pack")
    assert packed.exit_code == 1 and "these papers are drafts" in packed.output
    first, headers = _first_lines(next((tmp_path / "pack").glob("Appendix 1 *.docx")))
    assert first == CHANGED and headers and all(h == CHANGED for h in headers)
    page = (tmp_path / "pack" / "html" / "appendix-1.html").read_text(encoding="utf-8")
    assert f'<p class="draft">{CHANGED}</p>' in page and "<title>DRAFT" in page


def test_papers_from_the_content_approved_say_so_on_their_first_page_and_exit_0(signed, tmp_path):
    packed = _pack(signed, tmp_path / "pack")
    assert packed.exit_code == 0, packed.output
    assert f"The papers say: {APPROVED}." in packed.output
    first, headers = _first_lines(next((tmp_path / "pack").glob("Appendix 1 *.docx")))
    assert first == APPROVED and APPROVED not in headers  # the first page, not every page
    page = (tmp_path / "pack" / "html" / "appendix-1.html").read_text(encoding="utf-8")
    assert f'<p class="approval">{APPROVED}</p>' in page and "DRAFT" not in page


def test_rows_added_and_removed_since_sign_off_are_findings_too(tmp_path):
    plan = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    sign_off(plan, "Leadership Team", ON, backup=False, now=NOW)
    book = openpyxl.load_workbook(plan)
    ws = book["Actions"]
    gone = ws["A7"].value
    ws.delete_rows(7)
    ws.append(["OC.E2.9", "Organisational Culture", "Member Development", "Action", "A new action"])
    book.save(plan)
    found = {f.code: f for f in validate(plan) if "signoff" in f.code}
    assert found["row-added-since-signoff"].message.startswith("OC.E2.9 was added since the sign-off")
    assert found["row-removed-since-signoff"].message.startswith(f"{gone} (row 7 at sign-off) was removed")
    assert approval(read_workbook(plan)).state == "changed"


def test_a_hidden_record_edited_by_hand_is_said_and_the_fingerprint_still_decides(signed):
    book = openpyxl.load_workbook(signed)
    hidden = book["_ipxl_signoff"]
    row = next(r for r in range(1, hidden.max_row + 1) if str(hidden.cell(r, 1).value).startswith("k:"))
    hidden.cell(row, 3).value = "tampered"
    book.save(signed)
    wb = read_workbook(signed)
    a = approval(wb)
    assert a.state == "approved" and "was edited since the sign-off" in (a.problem or "")
    (finding,) = [f for f in validate(wb) if "signoff" in f.code]
    assert finding.code == "signoff-record-damaged" and finding.sheet == "Sign-off"


# ------------------------------------------------------------------ asked for, other periods


def test_a_workbook_that_asks_for_sign_off_makes_drafts_until_it_has_one(tmp_path):
    data = clean_plan()
    data["settings"]["signoff_by"] = "Leadership Team"
    plan = write_workbook(tmp_path / "plan.xlsx", data)
    a = approval(read_workbook(plan))
    assert a.state == "unsigned" and a.draft == "not yet approved by Leadership Team"
    result = CliRunner().invoke(main, ["sign-off", str(plan), "--on", "07/11/2023"])  # who: from Settings
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Recorded the sign-off of October 2023 by Leadership Team on 7 November 2023")
    assert approval(read_workbook(plan)).state == "approved"


def test_a_sign_off_of_last_period_does_not_approve_this_one(signed):
    _set(signed, "Settings", "B4", "November 2023")
    wb = read_workbook(signed)
    assert wb.settings.period == "November 2023"
    a = approval(wb)
    assert a.state == "other-period"
    assert a.draft == "not approved for November 2023 (Leadership Team approved October 2023 on 7 November 2023)"


# ------------------------------------------------------------------ refused


def test_a_workbook_with_errors_is_not_signed_off(tmp_path):
    data = clean_plan()
    data["actions"][0]["status"] = "Purple"
    plan = write_workbook(tmp_path / "plan.xlsx", data)
    before = plan.read_bytes()
    with pytest.raises(WorkbookHasErrors, match="so its sign-off was not recorded"):
        sign_off(plan, "Leadership Team", ON)
    result = CliRunner().invoke(main, ["sign-off", str(plan), "--by", "Leadership Team"])
    assert result.exit_code == 1 and "'Purple' is not a status" in result.output
    assert plan.read_bytes() == before


@pytest.mark.parametrize(
    "args, says",
    [
        ([], "Say who approved plan.xlsx"),
        (["--by", "Leadership Team", "--on", "31/12/2199"], "31/12/2199 is still to come"),
    ],
)
def test_no_approver_or_a_date_to_come_is_one_sentence_and_exit_2(tmp_path, args, says):
    plan = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    before = plan.read_bytes()
    result = CliRunner().invoke(main, ["sign-off", str(plan), *args])
    assert result.exit_code == 2 and result.output.startswith(f"Error: {says}")
    assert len(result.output.strip().splitlines()) == 1 and plan.read_bytes() == before


def test_a_sheet_called_sign_off_that_ipxl_did_not_write_is_never_written_over(tmp_path):
    plan = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    book = openpyxl.load_workbook(plan)
    book.create_sheet("Sign-off")["A1"] = "Signed: ______ (Chief Executive)"
    book.save(plan)
    before = plan.read_bytes()
    with pytest.raises(SheetNotOurs, match="has a sheet called 'Sign-off' that ipxl did not write"):
        sign_off(plan, "Leadership Team", ON)
    assert plan.read_bytes() == before and approval(read_workbook(plan)).state == "none"


def test_a_workbook_open_in_excel_is_not_signed_off(tmp_path):
    plan = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    (tmp_path / "~$plan.xlsx").write_bytes(b"owner")
    result = CliRunner().invoke(main, ["sign-off", str(plan), "--by", "Leadership Team"])
    assert result.exit_code == 2 and "open" in result.output
    assert D.SHEET_NAMES["signoff"] not in openpyxl.load_workbook(plan).sheetnames
