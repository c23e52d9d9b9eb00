"""The command line: exact messages, exit codes, and --json equal to the library."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import bad_files
import pytest
from builders import clean_plan, write_workbook
from click.testing import CliRunner

import ipxl
from ipxl.cli import main


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_validate_exits_0_on_a_clean_workbook(tmp_path):
    path = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    result = invoke("validate", path)
    assert result.exit_code == 0
    assert "no problems found" in result.output


def test_validate_exits_1_and_groups_findings_by_sheet(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["status"] = "G"
    plan["risks"][0]["score"] = 99
    path = write_workbook(tmp_path / "plan.xlsx", plan)
    result = invoke("validate", path)
    assert result.exit_code == 1
    out = result.output
    assert out.index("Actions") < out.index("K2") < out.index("Risks") < out.index("H2")
    assert "fix: Green" in out
    assert "2 errors, 0 warnings" in out


def test_validate_exits_0_when_there_are_only_warnings(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["status"] = "green"
    result = invoke("validate", write_workbook(tmp_path / "plan.xlsx", plan))
    assert result.exit_code == 0
    assert "0 errors, 1 warning" in result.output


def test_validate_json_equals_the_library_report(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["status"] = "On track"
    plan["actions"][1]["due_date"] = "31/03/24"
    path = write_workbook(tmp_path / "plan.xlsx", plan)
    result = invoke("validate", path, "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output) == ipxl.validate(path).to_dict()
    data = json.loads(result.output)
    assert set(data) == {"ok", "counts", "issues"}
    assert set(data["issues"][0]) == {"sheet", "row", "column", "cell", "severity", "code", "message", "suggestion"}


UNUSABLE = {
    "missing": (lambda p: p, "No file at"),
    "empty": (lambda p: (p.write_bytes(b""), p)[1], "is empty (0 bytes)"),
    "text": (lambda p: (p.write_text("Ref,Theme\n"), p)[1], "is not an Excel workbook"),
    "corrupt": (lambda p: (p.write_bytes(b"PK\x03\x04" + b"\x00" * 50), p)[1], "is damaged"),
    "word": (bad_files.word_document, "is a Word document"),
    "no actions": (bad_files.no_actions_sheet, "has no Actions sheet (sheets found: Risks)"),
    "no header": (bad_files.actions_without_headers, "has no header row with Ref, Theme, Description, Status"),
}


@pytest.mark.parametrize("case", list(UNUSABLE))
def test_an_unusable_file_exits_2_with_one_sentence(tmp_path, case):
    make, phrase = UNUSABLE[case]
    path = make(tmp_path / "plan.xlsx")
    result = invoke("validate", path)
    assert result.exit_code == 2
    assert phrase in result.output
    assert "Traceback" not in result.output
    assert result.output.count("\n") == 1


def test_an_encrypted_workbook_exits_2_asking_to_remove_the_password(tmp_path):
    source = write_workbook(tmp_path / "plain.xlsx", clean_plan())
    path = bad_files.encrypted(source, tmp_path / "locked.xlsx")
    result = invoke("validate", path)
    assert result.exit_code == 2
    assert "locked.xlsx is password-protected; remove the password" in result.output


def test_the_installed_command_prints_no_traceback_for_a_bad_file(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"")
    proc = subprocess.run([sys.executable, "-m", "ipxl", "validate", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "Error: plan.xlsx is empty (0 bytes); use a saved copy of the workbook."
    assert proc.stdout == ""


def test_help_does_not_import_pandas():
    code = "import sys; from ipxl.cli import main; sys.argv=['ipxl','--help']\ntry: main()\nexcept SystemExit: pass\nprint('pandas' in sys.modules, 'openpyxl' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip().endswith("False False")


def test_validating_never_loads_hypothesis_which_pandera_would_import_for_nothing():
    # Hypothesis is installed here (the tests use it), as it would be on an analyst's
    # machine; pandera's backends import it for data synthesis ipxl never asks for.
    code = (
        "import sys\nfrom ipxl import validate\nfrom ipxl.resources import sample_path\n"
        "report = validate(sample_path())\nprint('hypothesis' in sys.modules, len(report.findings) >= 0)\n"
        "import hypothesis\nprint(hypothesis.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True", "hypothesis"]


def test_every_command_has_help_text():
    for name, command in main.commands.items():
        assert command.help, f"{name} has no help text"


def test_new_writes_the_template_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "plan.xlsx"
    assert invoke("new", target).exit_code == 0
    wb = ipxl.read_workbook(target)
    assert wb.actions.empty and "Lists" in wb.sheet_names
    again = invoke("new", target)
    assert again.exit_code == 2
    assert "already exists; choose another path or add --force" in again.output


def test_new_sample_writes_the_sample_and_its_previous_period(tmp_path):
    result = invoke("new", "--sample", tmp_path / "sample.xlsx")
    assert result.exit_code == 0
    assert ipxl.validate(tmp_path / "sample.xlsx").ok
    assert (tmp_path / "sample-improvement-plan-previous.xlsx").exists()


def test_the_sample_plan_validates_with_no_errors():
    from ipxl.resources import previous_sample_path, sample_path

    for path in (sample_path(), previous_sample_path()):
        report = ipxl.validate(path)
        assert report.counts == {"error": 0, "warning": 0}, report.findings[:3]


def test_demo_runs_the_whole_job_on_the_sample(tmp_path):
    import openpyxl

    from ipxl import resources

    out = tmp_path / "demo"
    result = invoke("demo", "--out", out)
    assert result.exit_code == 0, result.output
    assert "sample-improvement-plan.xlsx: no problems found." in result.output
    assert "7 sub-actions have been added (marked in red within the plan)" in result.output
    # the evidence of impact: the plan by Best Value theme, the proxies for success first
    assert "== Best Value themes and the evidence of impact ==" in result.output
    assert "  M01: Improving (baseline 58, latest 71, target 75) [proxy for success]" in result.output
    # the year's history, and an update round with its conflict
    assert "History: 12 periods, November 2022 to October 2023" in result.output
    assert "Return - Director of Finance.xlsx (Director of Finance): 2 changes applied" in result.output
    assert "1 conflict" in result.output and "the master's is kept" in result.output
    assert "Chase list at 31/10/2023" in result.output
    # the copy of the sample now has its new rows red, a Summary and a Validation sheet
    book = openpyxl.load_workbook(out / "sample-improvement-plan.xlsx")
    assert {"Summary", "Validation"} <= set(book.sheetnames)
    actions = book["Actions"]
    red = {
        row[0].value
        for row in actions.iter_rows(min_row=2)
        if row[0].font.color is not None and row[0].font.color.rgb == "FFC00000"
    }
    assert red == {"PC.A1.7", "SD.B2.2.1", "SD.B2.2.2", "PC.C1.1.1", "PC.C1.1.2", "CO.E1.4.1", "CO.E1.4.2", "OC.B1.2.1"}
    # the previous period's copy is untouched, and the pack is there
    assert (out / "sample-improvement-plan-previous.xlsx").read_bytes() == (
        resources.previous_sample_path().read_bytes()
    )
    names = {p.name for p in (out / "pack").glob("*.docx")}
    assert names == {
        "Improvement Plan Progress - Cabinet 13 December 2023.docx",
        "Improvement Plan Progress - Budget and Corporate Scrutiny Management Board 22 November 2023.docx",
        "Improvement Plan Progress - Audit and Risk Assurance Committee 23 November 2023.docx",
        "Appendix 1 - Improvement Plan Monitoring Tool October 2023.docx",
        "Appendix 2 - Improvement Plan Theme Summary October 2023.docx",
        "Appendix 3 - Statutory Recommendations Reporting October 2023.docx",
        "Appendix 4 - Scrutiny and Audit Recommendations Reporting October 2023.docx",
        "Appendix 5 - Changes to the Improvement Plan October 2023.docx",
        "Appendix 6 - Improvement Plan Risk Register October 2023.docx",
        "Appendix 7 - Improvement Plan Governance Diagram.docx",
        "Appendix 8 - Improvement Plan Best Value Themes October 2023.docx",
    }
    assert (out / "pack" / "html" / "index.html").is_file()
    # one order of steps: the Summary the workbook shows and the report give the same counts
    import docx

    total = next(r for r in book["Summary"].iter_rows(values_only=True) if r[0] == "Total")
    report = docx.Document(out / "pack" / "Improvement Plan Progress - Cabinet 13 December 2023.docx")
    said = next(p.text for p in report.paragraphs if "At the end of October 2023" in p.text)
    complete, green, amber, red, not_started, on_hold, all_ = total[1:8]
    assert f"the plan had {all_} actions, of which {complete} are complete" in said
    assert f"{green} are Green, {amber} Amber, {red} Red, {not_started} Not started and {on_hold} On hold." in said
    assert "Note:" not in result.output


def test_new_with_an_xlsm_name_writes_the_workbook_with_buttons_and_its_module(tmp_path):
    result = invoke("new", tmp_path / "plan_2023_10.xlsm")
    assert result.exit_code == 0, result.output
    assert "xl/vbaProject.bin" in zipfile.ZipFile(tmp_path / "plan_2023_10.xlsm").namelist()
    assert "from ipxl.excel import main" in (tmp_path / "plan_2023_10.py").read_text()
    assert ipxl.read_workbook(tmp_path / "plan_2023_10.xlsm").sheet_names[0] == "Control"


def test_new_refuses_an_xlsm_name_the_buttons_cannot_import(tmp_path):
    result = invoke("new", tmp_path / "Improvement Plan - Oct 2023.xlsm")
    assert result.exit_code == 2
    assert "save it as improvement_plan_oct_2023.xlsm" in result.output
    assert not (tmp_path / "Improvement Plan - Oct 2023.xlsm").exists()


def test_every_command_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    missing = [name for name in main.commands if f"ipxl {name}" not in readme]
    assert missing == []


def test_new_files_are_readable_by_colleagues_not_only_their_owner(tmp_path):
    # Regression: files written through a temporary file kept mkstemp's 0600 mode.
    import os
    import stat

    umask = os.umask(0o022)
    try:
        assert invoke("new", tmp_path / "plan.xlsx").exit_code == 0
        assert (
            invoke(
                "appendices", tmp_path / "plan.xlsx", "--out", tmp_path / "pack", "--only", "risk-register"
            ).exit_code
            == 0
        )
    finally:
        os.umask(umask)
    for path in (tmp_path / "plan.xlsx", tmp_path / "pack" / "Appendix 6 - Improvement Plan Risk Register.docx"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


def test_validate_mark_refuses_a_workbook_open_in_excel_before_printing_the_report(tmp_path):
    path = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    (tmp_path / "~$plan.xlsx").write_bytes(b"owner")
    result = invoke("validate", path, "--mark")
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: plan.xlsx is open in Excel (its owner file ~$plan.xlsx is beside it); close it in Excel and try again "
        "(if it is not open anywhere, delete that file)."
    )


def test_changes_without_a_period_says_the_cross_check_was_not_done(tmp_path):
    assert invoke("new", tmp_path / "t.xlsx").exit_code == 0
    result = invoke("changes", tmp_path / "t.xlsx", tmp_path / "t.xlsx")
    assert "Change log cross-check: not done." in result.output
    assert "mismatch" not in result.output
