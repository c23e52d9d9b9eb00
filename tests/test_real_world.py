"""Every command on the package shapes of workbooks nobody here wrote (issue 30).

ipxl was run on the public test workbooks of XlsxWriter, calamine, SheetJS, exceljs
and xlsx-populate with ipxl's headers written in; it crashed on styles parts with
nothing in them and on ``s=""``, refused valid packages (a workbook part elsewhere
than ``xl/workbook.xml``, a UTF-16 custom XML part, an Excel 4 macro sheet, no styles
part) and printed raw control characters from cells. ``real_world.py`` builds those
shapes from the clean plan; here every command meets every one of them through the
CLI: exit 0, 1 or 2, never a traceback; the valid ones used (exit 0 or 1) by
validate and every write command; a write changes only the parts it names, every
other part byte for byte; nothing unescaped but tab and newline reaches the terminal.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from real_world import SHAPES, build, clean_package, parts_of, zipped

from ipxl import defaults as D
from ipxl.cli import main

#: Every command, as an officer runs it on the workbook P (writes go to W/...).
COMMANDS: dict[str, tuple[str, ...]] = {
    "validate": ("validate", "{P}"),
    "validate --format json": ("validate", "{P}", "--format", "json"),
    "validate --mark": ("validate", "{P}", "--mark", "--output", "{W}/marked{S}"),
    "rollup": ("rollup", "{P}", "--by", "lead"),
    "changes": ("changes", "{P}", "{P}"),
    "highlight": ("highlight", "{P}", "--output", "{W}/highlighted{S}"),
    "highlight --previous": ("highlight", "{P}", "--previous", "{P}", "--output", "{W}/again{S}"),
    "refresh": ("refresh", "{P}", "--output", "{W}/refreshed{S}"),
    "appendices": ("appendices", "{P}", "--out", "{W}/pack"),
    "returns make": ("returns", "make", "{P}", "--out", "{W}/returns"),
    "chase": ("chase", "{P}"),
    "history": ("history", "{P}"),
    "history --cells": ("history", "{P}", "--cells", "--format", "json"),
    "sign-off": ("sign-off", "{P}", "--by", "Leadership Team", "--on", "07/11/2023", "--output", "{W}/signed{S}"),
}
#: The write commands, the workbook each writes, and the sheets it may change.
WRITES = {
    "validate --mark": ("marked", None),  # any sheet with findings
    "highlight": ("highlighted", {"Actions", "Milestones"}),
    "highlight --previous": ("again", {"Actions", "Milestones"}),
    "refresh": ("refreshed", {"Actions", "Milestones"}),
}
#: What a terminal would act on: C0 controls but tab and newline, DEL, C1 controls.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

VALID = [name for name, shape in SHAPES.items() if shape.valid]


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None


@dataclass
class Shaped:
    """One shape and what every command made of it."""

    path: Path
    work: Path
    runs: dict[str, Run]
    digest_before: str
    digest_after: str


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def shaped(tmp_path_factory):
    """``shaped(name)``: the shape built in a folder of its own and every command run
    on it once (the tests below each judge one thing about the same runs)."""
    root = tmp_path_factory.mktemp("real-world")
    clean = clean_package(root)
    done: dict[str, Shaped] = {}

    def make(name: str) -> Shaped:
        if name not in done:
            folder = root / re.sub(r"\W+", "-", name)
            folder.mkdir()
            path = build(name, folder, clean)
            work = folder / "out"
            work.mkdir()
            before = _digest(path)
            runs = {}
            for command, template in COMMANDS.items():
                args = [a.format(P=path, W=work, S=path.suffix) for a in template]
                result = CliRunner().invoke(main, args)
                runs[command] = Run(result.exit_code, result.stdout, result.stderr, result.exception)
            done[name] = Shaped(path, work, runs, before, _digest(path))
        return done[name]

    return make


# ------------------------------------------------------------------ every shape


@pytest.mark.parametrize("name", list(SHAPES))
def test_every_command_answers_every_shape_with_0_1_or_2_and_never_a_traceback(shaped, name):
    s = shaped(name)
    for command, run in s.runs.items():
        assert run.exception is None or isinstance(run.exception, SystemExit), (command, repr(run.exception))
        assert "Traceback" not in run.stdout + run.stderr, command
        assert run.exit_code in (0, 1, 2), (command, run.exit_code, run.stderr)
        if run.exit_code == 2:
            errors = [line for line in run.stderr.splitlines() if line.startswith("Error: ")]
            assert len(errors) == 1, (command, run.stderr)


@pytest.mark.parametrize("name", list(SHAPES))
def test_nothing_but_tab_and_newline_reaches_the_terminal_unescaped(shaped, name):
    for command, run in shaped(name).runs.items():
        assert not RAW_CONTROL.search(run.stdout), (command, run.stdout)
        assert not RAW_CONTROL.search(run.stderr), (command, run.stderr)


@pytest.mark.parametrize("name", list(SHAPES))
def test_no_command_changes_the_workbook_it_was_given(shaped, name):
    s = shaped(name)
    assert s.digest_after == s.digest_before


# ------------------------------------------------------------ the valid shapes


@pytest.mark.parametrize("name", VALID)
def test_validate_and_every_write_command_use_a_valid_shape(shaped, name):
    runs = shaped(name).runs
    for command in ("validate", "validate --format json", *WRITES):
        assert runs[command].exit_code in (0, 1), (command, runs[command].stderr)


@pytest.mark.parametrize("name", VALID)
def test_every_other_command_uses_a_valid_shape_too_or_says_why_it_cannot(shaped, name):
    runs = shaped(name).runs
    for command in set(COMMANDS) - {"validate", "validate --format json", *WRITES}:
        if command in SHAPES[name].cannot:  # history needs a Period end to place a workbook
            assert runs[command].exit_code == 2, command
        else:
            assert runs[command].exit_code in (0, 1), (command, runs[command].stderr)


def _parts(path: Path) -> dict[str, bytes]:
    return dict(parts_of(path.read_bytes()))


@pytest.mark.parametrize("name", VALID)
def test_a_write_changes_only_the_parts_it_names_and_keeps_every_other_byte_for_byte(shaped, name):
    from ipxl.xlsx.opc import rels_name
    from ipxl.xlsx.package import check_file

    s = shaped(name)
    info = check_file(s.path)
    before = _parts(s.path)
    # the package's own lists of parts and relationships, and the styles part
    package = {"[Content_Types].xml", rels_name(info.workbook), info.workbook, info.styles}
    folder = info.workbook.rsplit("/", 1)[0] + "/" if "/" in info.workbook else ""
    for command, (stem, sheets) in WRITES.items():
        after = _parts(s.work / (stem + s.path.suffix))
        named = {part for sheet, part in info.sheets.items() if sheets is None or sheet in sheets}
        if command != "highlight" and command != "highlight --previous":
            named |= package
        else:  # a new row's red font: the sheets and the styles (made, where there were none)
            named |= {info.styles} if info.styles else {"[Content_Types].xml", rels_name(info.workbook)}
        for part, data in before.items():
            if part not in named:
                assert after.get(part) == data, (command, part)
        for part in set(after) - set(before):
            # new parts: ipxl's own sheets, their drawing and chart, a styles part
            assert part.startswith(folder) and re.search(r"(worksheets|drawings|charts)/|styles", part), (
                command,
                part,
            )


@pytest.mark.parametrize("name", VALID)
def test_what_a_write_made_is_read_again_by_ipxl_and_opened_by_openpyxl_where_the_input_was(shaped, name):
    s = shaped(name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no stylesheet, using openpyxl's defaults"
            openpyxl.load_workbook(s.path).close()
        opens = True
    except Exception:  # openpyxl refuses some valid shapes (s="", a style out of range)
        opens = False
    for stem, _ in WRITES.values():
        out = s.work / (stem + s.path.suffix)
        again = CliRunner().invoke(main, ["validate", str(out)])
        assert again.exit_code in (0, 1), (stem, again.stderr)
        if opens:
            openpyxl.load_workbook(out).close()


# --------------------------------------------------------------- the styles part


def _styles(path: Path):
    from lxml import etree

    from ipxl.xlsx.package import check_file

    info = check_file(path)
    with zipfile.ZipFile(path) as zf:
        return info, etree.fromstring(zf.read(info.styles))


def _cell_styles(path: Path, sheet: str, row: int) -> list[int]:
    from ipxl.xlsx.package import check_file

    info = check_file(path)
    with zipfile.ZipFile(path) as zf:
        data = zf.read(info.sheets[sheet]).decode("utf-8")
    row_xml = re.search(rf'<(?:\w+:)?row r="{row}"[^>]*>(.*?)</(?:\w+:)?row>', data).group(1)
    cells = re.findall(r"<(?:\w+:)?c\b([^>]*)>", row_xml)
    return [int(m.group(1) or 0) if (m := re.search(r'\ss="(\d*)"', c)) else 0 for c in cells]


def _red(styles, xf_index: int) -> bool:
    m = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    xf = list(styles.find(f"{m}cellXfs"))[xf_index]
    font = list(styles.find(f"{m}fonts"))[int(xf.get("fontId", "0"))]
    colour = font.find(f"{m}color")
    return colour is not None and (colour.get("rgb") or "").upper().endswith(D.NEW_ROW_RED)


def test_a_workbook_without_a_styles_part_gets_one_with_its_relationship_and_content_type(shaped):
    s = shaped("no styles part")
    out = s.work / "highlighted.xlsx"
    info, styles = _styles(out)
    assert info.styles == "xl/styles.xml"
    with zipfile.ZipFile(out) as zf:
        types = zf.read("[Content_Types].xml").decode()
    assert (
        'PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"'
        in types
    )
    assert all(_red(styles, s) for s in _cell_styles(out, "Actions", 2))  # the new row


@pytest.mark.parametrize(
    "name", ["an empty styleSheet", "styles without cell formats", "styles without fonts, fills or borders"]
)
def test_the_red_font_lands_after_every_format_the_cells_already_name(shaped, name):
    # the cells name format 1 (their dates) which such a styles part does not hold:
    # the red format must not become format 1, or every date would turn red
    s = shaped(name)
    out = s.work / "highlighted.xlsx"
    _, styles = _styles(out)
    assert all(_red(styles, x) for x in _cell_styles(out, "Actions", 2))
    for row in (3, 4, 5):
        assert not any(_red(styles, x) for x in _cell_styles(out, "Actions", row)), row
    assert _cell_styles(out, "Actions", 3) == _cell_styles(s.path, "Actions", 3)


@pytest.mark.parametrize("name", ["cells with s=''", "cells with an out-of-range s"])
def test_cells_naming_no_format_turn_red_and_back_to_the_default_format(tmp_path, name):
    from ipxl.writeback import FileTarget

    path = build(name, tmp_path, clean_package(tmp_path))
    red, back = tmp_path / "red.xlsx", tmp_path / "back.xlsx"
    with FileTarget(path, red) as target:
        target.colour_rows("Actions", [3], D.NEW_ROW_RED, 16)
        target.commit()
    _, styles = _styles(red)
    assert all(_red(styles, x) for x in _cell_styles(red, "Actions", 3))
    with FileTarget(red, back) as target:
        assert target.red_rows("Actions", D.NEW_ROW_RED, 16) == {3}
        target.restore_rows("Actions", [3], D.NEW_ROW_RED)
        target.commit()
    assert _cell_styles(back, "Actions", 3) == [0] * len(_cell_styles(back, "Actions", 3))


# ------------------------------------------------------------- the package as OPC


@pytest.mark.parametrize(
    ("name", "workbook"),
    [
        ("the workbook part at xl/workbook2.xml", "xl/workbook2.xml"),
        ("the workbook part at Excel/book.xml", "Excel/book.xml"),
    ],
)
def test_the_workbook_part_is_where_the_package_relationships_put_it(shaped, name, workbook):
    from ipxl.xlsx.package import check_file

    s = shaped(name)
    assert check_file(s.path).workbook == workbook
    out = s.work / "refreshed.xlsx"
    info = check_file(out)
    assert info.workbook == workbook
    assert "Summary" in info.sheets  # ipxl's own sheet, listed by that workbook part
    assert "xl/workbook.xml" not in _parts(out)


@pytest.mark.parametrize(
    ("name", "part", "sheet"),
    [
        ("an Excel 4 macro sheet", "xl/macrosheets/sheet1.xml", "Macro1"),
        ("a dialog sheet", "xl/dialogsheets/sheet1.xml", "Dialog1"),
        ("a chart sheet", "xl/chartsheets/sheet1.xml", "Chart1"),
    ],
)
def test_sheets_of_kinds_ipxl_does_not_read_stay_listed_and_byte_for_byte(shaped, name, part, sheet):
    s = shaped(name)
    for stem, _ in WRITES.values():
        out = s.work / (stem + s.path.suffix)
        assert _parts(out)[part] == _parts(s.path)[part]
        with zipfile.ZipFile(out) as zf:
            assert f'name="{sheet}"'.encode() in zf.read("xl/workbook.xml")


def test_a_utf16_custom_xml_part_is_checked_as_the_text_it_holds_and_kept(shaped):
    from ipxl.xlsx.package import check_file

    s = shaped("a UTF-16 custom XML part with a BOM")
    assert check_file(s.path).encodings == {}  # not a part any reader reads
    for stem, _ in WRITES.values():
        assert _parts(s.work / (stem + ".xlsx"))["customXml/item1.xml"].startswith(b"\xff\xfe<\x00?\x00")


def test_a_control_character_in_a_utf16_part_is_still_refused(tmp_path):
    clean = clean_package(tmp_path)
    parts = [(n, d) for n, d in parts_of(clean)]
    bad = '<?xml version="1.0" encoding="utf-16"?><DataMashup>\x01</DataMashup>'
    parts.append(("customXml/item1.xml", b"\xff\xfe" + bad.encode("utf-16-le")))
    path = tmp_path / "plan.xlsx"
    path.write_bytes(zipped(parts))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "characters XML does not allow (in customXml/item1.xml)" in result.stderr


def test_calamine_is_given_the_file_itself_when_it_can_read_it(shaped):
    from ipxl.xlsx.calamine import calamine_ready
    from ipxl.xlsx.package import check_file

    assert calamine_ready(check_file(shaped("as Excel writes it").path))
    for name in ("the workbook part at Excel/book.xml", "an Excel 4 macro sheet", "the core parts in UTF-16"):
        assert not calamine_ready(check_file(shaped(name).path)), name


def test_a_missing_shared_strings_part_is_named_in_one_sentence(shaped):
    run = shaped("shared strings missing").runs["validate"]
    assert run.exit_code == 2
    assert "the part holding its text (xl/sharedStrings.xml) is missing" in run.stderr


# ------------------------------------------------------------------ the terminal


def test_control_characters_from_cells_are_shown_escaped(shaped):
    runs = shaped("control characters in cells").runs
    assert "Strategic\\r\\nDirection\\x1b[2J\\x7f\\x9b" in runs["validate"].stdout
    assert "Director\\rof\\x1b[31mFinance" in runs["rollup"].stdout  # one table row, not two
    assert "Director\\rof\\x1b[31mFinance:" in runs["chase"].stdout


def test_json_output_is_exactly_the_library_report_even_with_control_characters(shaped):
    from ipxl.checks.validation import validate

    s = shaped("control characters in cells")
    printed = s.runs["validate --format json"].stdout
    assert json.loads(printed) == json.loads(json.dumps(validate(s.path).to_dict()))
    # the values kept as they are, only written as escapes
    assert any("\x1b[2J\x7f\x9b" in issue["suggestion"] for issue in json.loads(printed)["issues"])
    assert "\\u007f\\u009b" in printed


def test_the_terminal_escapes_are_the_ones_python_writes():
    from ipxl.cli.render import one_line, terminal

    assert terminal("a\tb\nc\rd\x1be\x7ff\x9bg\x00") == "a\tb\nc\\rd\\x1be\\x7ff\\x9bg\\x00"
    assert one_line("a\tb\nc") == "a\\tb\\nc"
    assert terminal("Café – “quoted” \u202e") == "Café – “quoted” \u202e"


def test_every_line_the_cli_prints_goes_through_its_rendering_layer():
    # click.echo only inside echo() and echo_json(), which escape what they print
    import ipxl.cli as cli

    folder = Path(cli.__file__).parent
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef) or fn.name in ("echo", "echo_json"):
                continue
            for node in ast.walk(fn):
                if isinstance(node, ast.Call):
                    f = node.func
                    name = (
                        f"{getattr(f.value, 'id', '')}.{f.attr}"
                        if isinstance(f, ast.Attribute)
                        else getattr(f, "id", "")
                    )
                    assert name not in ("click.echo", "click.secho", "print", "sys.stdout.write"), (path.name, fn.name)


@pytest.mark.parametrize("name", VALID)
def test_a_shape_signed_off_reads_back_as_approved_or_was_refused_for_its_errors(shaped, name):
    from ipxl.checks.signoff import approval
    from ipxl.xlsx.reader import read_workbook

    s = shaped(name)
    run = s.runs["sign-off"]
    signed = s.work / ("signed" + s.path.suffix)
    if run.exit_code == 1:  # errors (a sheet missing): nothing signed, nothing written
        assert "sign-off was not recorded" in run.stderr and not signed.exists()
    else:
        assert run.exit_code == 0, run.stderr
        assert approval(read_workbook(signed)).state == "approved"
