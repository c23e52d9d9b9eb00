"""Unusable files, empty workbooks and hostile cell text through every command.

The standard: a file ipxl cannot use gives one plain sentence and exit code 2, never a
traceback, and nothing is written beside it; an empty but well-formed workbook just
works; text typed in a cell is data and comes out literally, never evaluated; a
workbook open in Excel is refused, not overwritten.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import bad_files
import openpyxl
import pytest
from builders import clean_plan, write_workbook
from click.testing import CliRunner

from ipxl.cli import main


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``, with a hash of each file's bytes."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = str(p.relative_to(folder))
        out[rel] = "<dir>" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def assert_one_sentence_error(result, *words: str) -> None:
    """Exit 2, exactly one line of output, ``Error: ...`` naming what is wrong."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: "), result.output
    assert result.stdout == "", result.stdout  # the sentence goes to stderr
    text = lines[0].lower()
    assert any(w.lower() in text for w in words), f"expected one of {words} in {lines[0]!r}"


# ===================================================================== unusable files


def _missing(folder: Path) -> Path:
    return folder / "plan.xlsx"


def _empty(folder: Path) -> Path:
    path = folder / "plan.xlsx"
    path.write_bytes(b"")
    return path


def _csv_renamed(folder: Path) -> Path:
    path = folder / "plan.xlsx"
    path.write_text("Ref,Theme,Status\nSD.D1.3,Strategic Direction,Green\n", encoding="utf-8")
    return path


def _truncated_zip(folder: Path) -> Path:
    good = write_workbook(folder / "whole.tmp", clean_plan())
    data = good.read_bytes()
    good.unlink()
    path = folder / "plan.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def _word_document(folder: Path) -> Path:
    return bad_files.word_document(folder / "plan.xlsx")


def _encrypted(folder: Path) -> Path:
    good = write_workbook(folder / "whole.tmp", clean_plan())
    path = bad_files.encrypted(good, folder / "plan.xlsx")
    good.unlink()
    return path


def _no_actions_sheet(folder: Path) -> Path:
    return bad_files.no_actions_sheet(folder / "plan.xlsx")


def _actions_without_headers(folder: Path) -> Path:
    return bad_files.actions_without_headers(folder / "plan.xlsx")


def _rezipped(folder: Path, part: str, data: bytes | None) -> Path:
    """A good workbook with ``part`` replaced by ``data`` (None: left out)."""
    good = write_workbook(folder / "whole.tmp", clean_plan())
    path = folder / "plan.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename != part:
                zout.writestr(info.filename, zin.read(info.filename))
            elif data is not None:
                zout.writestr(info.filename, data)
    good.unlink()
    return path


def _actions_part() -> str:
    return "xl/worksheets/sheet2.xml"  # write_workbook: Settings, then Actions


def _actions_not_xml(folder: Path) -> Path:
    return _rezipped(folder, _actions_part(), b"<worksheet garbage")


def _actions_part_missing(folder: Path) -> Path:
    return _rezipped(folder, _actions_part(), None)


def _damaged_part(folder: Path, part: str) -> Path:
    """One byte of ``part``'s compressed data flipped: the zip directory is intact."""
    path = write_workbook(folder / "plan.xlsx", clean_plan())
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(part)
    with path.open("rb") as fh:  # the local header's own name and extra lengths
        fh.seek(info.header_offset + 26)
        n, m = int.from_bytes(fh.read(2), "little"), int.from_bytes(fh.read(2), "little")
    data[info.header_offset + 30 + n + m + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return path


def _actions_damaged(folder: Path) -> Path:
    return _damaged_part(folder, _actions_part())


def _folder(folder: Path) -> Path:
    path = folder / "plan.xlsx"
    path.mkdir()
    return path


#: Each unusable file, and words one of which its sentence must contain (what is wrong).
UNUSABLE = {
    "missing": (_missing, ("no file",)),
    "empty": (_empty, ("empty",)),
    "csv-renamed": (_csv_renamed, ("not an excel workbook", "text or csv")),
    "truncated-zip": (_truncated_zip, ("damaged", "not a complete")),
    "word-document": (_word_document, ("word document",)),
    "encrypted": (_encrypted, ("password",)),
    "no-actions-sheet": (_no_actions_sheet, ("no actions sheet",)),
    "actions-without-headers": (_actions_without_headers, ("header",)),
    "folder": (_folder, ("folder",)),
    "actions-not-xml": (_actions_not_xml, ("could not be read", "is damaged", "not well-formed")),
    "actions-part-missing": (_actions_part_missing, ("could not be read", "is damaged")),
    "actions-damaged": (_actions_damaged, ("could not be read", "is damaged")),
}

#: Every way a command takes the unusable file as its workbook (``{bad}``), with a
#: usable workbook (``{good}``) where the command needs a second one.
COMMANDS = {
    "validate": ("validate", "{bad}"),
    "validate-json": ("validate", "{bad}", "--format", "json"),
    "validate-mark": ("validate", "{bad}", "--mark"),
    "rollup": ("rollup", "{bad}"),
    "rollup-json": ("rollup", "{bad}", "--format", "json"),
    "changes-current-alone": ("changes", "{bad}"),
    "changes-bad-current": ("changes", "{good}", "{bad}"),
    "changes-bad-previous": ("changes", "{bad}", "{good}"),
    "highlight": ("highlight", "{bad}"),
    "highlight-bad-previous": ("highlight", "{good}", "--previous", "{bad}"),
    "refresh": ("refresh", "{bad}"),
    "refresh-bad-previous": ("refresh", "{good}", "--previous", "{bad}"),
    "appendices": ("appendices", "{bad}", "--out", "{out}"),
    "appendices-bad-previous": ("appendices", "{good}", "--previous", "{bad}", "--out", "{out}"),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", UNUSABLE)
def test_every_command_answers_an_unusable_file_in_one_sentence_and_writes_nothing(tmp_path, kind, command):
    make, words = UNUSABLE[kind]
    folder = tmp_path / "plans"
    folder.mkdir()
    bad = make(folder)
    good = write_workbook(folder / "good.xlsx", clean_plan())
    out = tmp_path / "appendices"
    before = snapshot(tmp_path)
    args = [a.format(bad=bad, good=good, out=out) for a in COMMANDS[command]]
    result = invoke(*args)
    assert_one_sentence_error(result, *words)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("command", ["changes", "highlight", "refresh", "appendices"])
@pytest.mark.parametrize("kind", [k for k in UNUSABLE if k != "missing"])
def test_a_previous_workbook_named_in_settings_that_is_unusable_is_one_sentence(tmp_path, kind, command):
    make, words = UNUSABLE[kind]
    folder = tmp_path / "plans"
    folder.mkdir()
    bad = make(folder)
    plan = clean_plan()
    plan["settings"]["previous_workbook"] = bad.name  # relative to the workbook's folder
    current = write_workbook(folder / "current.xlsx", plan)
    out = tmp_path / "appendices"
    before = snapshot(tmp_path)
    args = [command, current] + (["--out", out] if command == "appendices" else [])
    result = invoke(*args)
    assert_one_sentence_error(result, *words)
    assert snapshot(tmp_path) == before


def test_changes_with_a_settings_previous_workbook_that_does_not_exist_says_so(tmp_path):
    plan = clean_plan()
    plan["settings"]["previous_workbook"] = "last-quarter.xlsx"
    current = write_workbook(tmp_path / "current.xlsx", plan)
    before = snapshot(tmp_path)
    result = invoke("changes", current)
    assert_one_sentence_error(result, "previous workbook")
    assert "last-quarter.xlsx" in result.output
    assert snapshot(tmp_path) == before


def test_changes_finds_a_relative_settings_previous_workbook_beside_the_workbook_not_in_the_cwd(tmp_path, monkeypatch):
    folder = tmp_path / "plans"
    folder.mkdir()
    write_workbook(folder / "last-quarter.xlsx", clean_plan())
    plan = clean_plan()
    plan["settings"]["previous_workbook"] = "last-quarter.xlsx"
    current = write_workbook(folder / "current.xlsx", plan)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = invoke("changes", current)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


def test_changes_with_three_workbooks_is_a_usage_error_not_a_traceback(tmp_path):
    good = write_workbook(tmp_path / "good.xlsx", clean_plan())
    result = invoke("changes", good, good, good)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "at most two" in result.output


def test_the_part_these_tests_break_is_the_actions_sheet(tmp_path):
    path = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    with zipfile.ZipFile(path) as zf:
        assert zf.read(_actions_part()).decode("utf-8") == _sheet_xml(path, "Actions")


@pytest.mark.parametrize(
    "args",
    [("highlight",), ("refresh",), ("validate", "--mark")],
    ids=["highlight", "refresh", "validate-mark"],
)
def test_a_workbook_whose_styles_part_is_damaged_is_refused_for_writing(tmp_path, args):
    # (a workbook with no styles part at all is valid, and written: test_real_world)
    folder = tmp_path / "plans"
    folder.mkdir()
    path = _damaged_part(folder, "xl/styles.xml")
    before = snapshot(tmp_path)
    result = invoke(args[0], path, *args[1:])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.output
    # the package check names the damaged part
    assert "xl/styles.xml" in errors[0]
    assert result.stderr.strip() == errors[0]
    assert snapshot(tmp_path) == before


# ============================================================ empty but usable workbook


@pytest.fixture
def empty_template(tmp_path):
    path = tmp_path / "plan.xlsx"
    result = invoke("new", path)
    assert result.exit_code == 0, result.output
    return path


def _sane(result):
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), result.output
    assert result.output.strip()
    assert "nan" not in result.output.lower().split()


def test_validate_of_the_empty_template_reports_no_errors(empty_template):
    result = invoke("validate", empty_template)
    _sane(result)
    assert result.exit_code == 0
    assert "0 errors" in result.output


def test_validate_json_of_the_empty_template_is_valid_json(empty_template):
    result = invoke("validate", empty_template, "--format", "json")
    _sane(result)
    data = json.loads(result.output)
    assert data["ok"] is True


def test_validate_mark_of_the_empty_template_writes_a_validation_sheet(empty_template):
    result = invoke("validate", empty_template, "--mark")
    _sane(result)
    assert "Validation" in openpyxl.load_workbook(empty_template).sheetnames


def test_rollup_of_zero_actions_counts_zero(empty_template):
    result = invoke("rollup", empty_template)
    _sane(result)
    assert result.exit_code == 0
    total = [line for line in result.output.splitlines() if line.startswith("Total")]
    assert total and all(set(line.split()[1:]) == {"0"} for line in total)
    assert "Overdue actions" in result.output


def test_rollup_json_of_zero_actions_is_valid_json(empty_template):
    result = invoke("rollup", empty_template, "--format", "json")
    _sane(result)
    json.loads(result.output)


def test_changes_between_two_empty_workbooks_finds_no_changes(empty_template):
    result = invoke("changes", empty_template, empty_template)
    _sane(result)
    assert "No changes" in result.output


def test_changes_of_the_empty_template_alone_asks_for_the_previous_workbook(empty_template):
    result = invoke("changes", empty_template)
    assert_one_sentence_error(result, "previous workbook")


def test_highlight_of_the_empty_template_writes_nothing(empty_template):
    before = snapshot(empty_template.parent)
    result = invoke("highlight", empty_template)
    _sane(result)
    assert result.exit_code == 0
    assert snapshot(empty_template.parent) == before


def test_refresh_of_the_empty_template_writes_a_summary_of_zeros(empty_template):
    result = invoke("refresh", empty_template)
    _sane(result)
    assert result.exit_code == 0
    assert "Summary" in openpyxl.load_workbook(empty_template).sheetnames


def test_appendices_of_the_empty_template_are_written_with_no_rows(empty_template, tmp_path):
    out = tmp_path / "out"
    result = invoke("appendices", empty_template, "--out", out, "--only", "1,2,3,4,5,6,7")
    _sane(result)
    # Appendices 1-6; Appendix 7 is the file the council supplies
    assert result.exit_code == 1
    assert len(list(out.glob("*.docx"))) == 6
    assert "Note: Appendix 7 (Improvement Plan Governance Diagram) is a file you supply" in result.output


def test_the_empty_templates_committee_report_waits_for_its_words(empty_template, tmp_path):
    out = tmp_path / "out"
    result = invoke("appendices", empty_template, "--out", out)
    _sane(result)
    assert result.exit_code == 1
    assert "The Report sheet is blank, so the committee report has none of its own words yet." in result.output
    assert not out.exists()


# ========================================================================= hostile text

HOSTILE = {
    "jinja-expression": "A{{ 7*7 }}Z",
    "jinja-statement": "B{% for x in 'ab' %}X{% endfor %}Y",
    "jinja-comment": "C{# hidden #}D",
    "script": "<script>alert('x')</script>",
    "entity": "Fish &amp; chips &lt;b&gt;",
    "formula": "=cmd|' /C calc'!A0",
    "formula-at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "emoji": "Done \U0001f44d\U0001f3fd \u2705 \U0001f1ec\U0001f1e7",
    "right-to-left": "\u0645\u062c\u0644\u0633 \u0627\u0644\u0645\u062f\u064a\u0646\u0629 \u202eevil\u202c",
    # 40,000 characters: more than a cell holds, so the workbook keeps Excel's 32,767
    "long": "L" + "x" * 39_998 + "Z",
}
CELL_LIMIT = 32_767

#: What evaluating a hostile text would have produced; none of these may appear.
EVALUATED = ("A49Z", "BXXY", "CD")


def _hostile_plan() -> dict:
    plan = clean_plan()
    for i, (_name, text) in enumerate(HOSTILE.items()):
        base = plan["actions"][0]
        row = dict(base, ref=f"SD.Z9.{i + 1}", description=text, progress_update=text, delivery_lead=text)
        plan["actions"].append(row)
    # one value validation quotes back, and one the Summary sheet shows
    plan["actions"].append(dict(plan["actions"][0], ref="SD.Z9.99", status=HOSTILE["jinja-expression"]))
    plan["settings"]["council"] = HOSTILE["jinja-expression"] + " " + HOSTILE["formula"]
    return plan


@pytest.fixture
def hostile(tmp_path):
    path = write_workbook(tmp_path / "plan.xlsx", _hostile_plan())
    # openpyxl writes text starting "=" as a formula; Excel keeps typed '=... as text
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == HOSTILE["formula"]:
                    cell.data_type = "s"
    wb.save(path)
    return path


def test_validate_json_quotes_hostile_text_literally(hostile):
    result = invoke("validate", hostile, "--format", "json")
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    status = [i for i in data["issues"] if i.get("cell") == "K" + str(2 + len(clean_plan()["actions"]) + len(HOSTILE))]
    assert status, data["issues"]
    assert "{{ 7*7 }}" in json.dumps(status, ensure_ascii=False)
    for text in EVALUATED:
        assert text not in result.output


def test_validate_of_hostile_text_finds_nothing_wrong_with_free_text(hostile):
    # only the planted bad status is an error: free text is free
    data = json.loads(invoke("validate", hostile, "--format", "json").output)
    errors = [i for i in data["issues"] if i["severity"] == "error"]
    assert len(errors) == 1, errors


def _sheet_xml(path: Path, sheet: str) -> str:
    wb = openpyxl.load_workbook(path)
    index = wb.sheetnames.index(sheet)
    with zipfile.ZipFile(path) as zf:
        import xml.etree.ElementTree as ET

        ns = {
            "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
            "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        }
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rid = book.findall("m:sheets/m:sheet", ns)[index].get(f"{{{ns['r']}}}id")
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        part = target.lstrip("/") if target.startswith("/") else "xl/" + target
        return zf.read(part).decode("utf-8")


def test_refresh_writes_hostile_text_as_text_never_as_a_formula(hostile):
    result = invoke("refresh", hostile)
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(hostile)
    values = [c.value for row in wb["Summary"].iter_rows() for c in row if isinstance(c.value, str)]
    title = next(v for v in values if "{{ 7*7 }}" in v)
    assert HOSTILE["formula"] in title
    assert not any(t in v for v in values for t in EVALUATED)
    xml = _sheet_xml(hostile, "Summary")
    assert "cmd|" not in "".join(re.findall(r"<f[ >].*?</f>", xml))
    # the hostile rows themselves are untouched
    actions = openpyxl.load_workbook(hostile)["Actions"]
    descriptions = {c.value for c in next(iter(actions.iter_cols(min_col=5, max_col=5)))}
    assert {v[:CELL_LIMIT] for v in HOSTILE.values()} <= descriptions


def _docx_text(path: Path) -> str:
    import xml.etree.ElementTree as ET

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("word/document.xml"))
    paragraphs = []
    for p in root.iter(f"{w}p"):
        paragraphs.append("".join(t.text or "" for t in p.iter(f"{w}t")))
    return "\n".join(paragraphs)


def test_appendices_show_hostile_text_literally(hostile, tmp_path):
    out = tmp_path / "out"
    # a draft: what the hostile cells hold is also what validation calls errors
    result = invoke("appendices", hostile, "--out", out, "--only", "monitoring-tool", "--draft")
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    (path,) = out.glob("Appendix 1 - *.docx")
    text = _docx_text(path)
    for name, value in HOSTILE.items():
        assert value[:CELL_LIMIT] in text, name
    for evaluated in EVALUATED:
        assert evaluated not in text
    assert "Fish & chips" not in text  # the entity was not decoded


# ====================================================================== open in Excel


def _with_owner_file(tmp_path) -> tuple[Path, bytes]:
    path = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    (tmp_path / "~$plan.xlsx").write_bytes(b"\x0bSomeone Else" + b"\x00" * 150)
    return path, path.read_bytes()


@pytest.mark.parametrize(
    "args",
    [("highlight",), ("refresh",), ("refresh", "--no-highlight"), ("validate", "--mark")],
    ids=["highlight", "refresh", "refresh-no-highlight", "validate-mark"],
)
def test_a_workbook_open_in_excel_is_refused_and_left_untouched(tmp_path, args):
    path, original = _with_owner_file(tmp_path)
    before = snapshot(tmp_path)
    result = invoke(args[0], path, *args[1:])
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "open in Excel" in errors[0], result.output
    assert path.read_bytes() == original
    assert snapshot(tmp_path) == before


def test_writing_to_an_output_that_is_open_in_excel_is_refused(tmp_path):
    path = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    target = write_workbook(tmp_path / "copy.xlsx", clean_plan())
    (tmp_path / "~$copy.xlsx").write_bytes(b"\x0bSomeone Else")
    before = snapshot(tmp_path)
    result = invoke("refresh", path, "--output", target)
    assert result.exit_code == 2, result.output
    assert "open in Excel" in result.output
    assert snapshot(tmp_path) == before


def test_a_previous_workbook_that_is_the_workbook_itself_is_an_error_and_makes_no_paper(tmp_path):
    from ipxl.checks.validation import validate

    plan = clean_plan()
    plan["settings"]["previous_workbook"] = "plan.xlsx"
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    found = [f for f in validate(wb) if f.code == "previous-is-this-workbook"]
    assert len(found) == 1 and found[0].severity == "error" and found[0].sheet == "Settings"
    result = invoke("appendices", wb, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1 and not (tmp_path / "out").exists()


def test_a_previous_workbook_not_where_settings_say_is_a_warning_and_a_note_on_the_pack(tmp_path):
    from ipxl.checks.validation import validate

    plan = clean_plan()
    plan["settings"]["previous_workbook"] = "last-quarter.xlsx"
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    found = [f for f in validate(wb) if f.code == "previous-missing"]
    assert len(found) == 1 and found[0].severity == "warning" and "last-quarter.xlsx" in found[0].message
    result = invoke("appendices", wb, "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "Settings name last-quarter.xlsx as last period's workbook, but it is not in" in result.output
    assert "say nothing of movement since last period" in result.output


def test_an_excel_package_renamed_xls_is_read_as_what_it_is(tmp_path):
    from ipxl.xlsx.reader import read_workbook

    path = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    renamed = path.rename(tmp_path / "last quarter.xls")
    result = invoke("validate", renamed)
    assert result.exit_code == 0, result.output
    assert "Cfb" not in result.output
    assert len(read_workbook(renamed).frame("actions")) == len(clean_plan()["actions"])
