"""Lossless write-back: red for new rows, Summary and Validation sheets.

Everything runs on the kitchen-sink workbook (tests/kitchen_sink.py): a real .xlsm with
a VBA project, buttons, validations (including the 2010-extension kind), conditional
formats, chart, image, notes and threaded comments, names, a table, hidden and
protected sheets, custom properties and custom XML.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import warnings
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from kitchen_sink import (
    ACTIONS,
    HEADER_ROW,
    MILESTONES,
    NEW_ACTION_ROWS,
    NEW_MILESTONE_ROWS,
    SHAPE_MACRO,
    X14_NS,
    build_kitchen_sink,
)

from ipxl import Plan
from ipxl import defaults as D
from ipxl import writeback as W
from ipxl.errors import WorkbookLocked
from ipxl.findings import Finding, Report
from ipxl.xlsx import patch as X
from ipxl.xlsx import xml as XML
from ipxl.xlsx.reader import read_workbook
from ipxl.xlsx.sheet import StreamSheet, TreeSheet
from ipxl.xlsx.styles import Styles

NOW = dt.datetime(2023, 11, 2, 9, 30)
RED = "FF" + D.NEW_ROW_RED

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


# ----------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return build_kitchen_sink(tmp_path_factory.mktemp("sink") / "plan.xlsm")


@pytest.fixture
def plan(pristine, tmp_path) -> Path:
    """A fresh copy of the kitchen sink for one test."""
    return Path(shutil.copy(pristine, tmp_path / "Improvement Plan monitoring.xlsm"))


def entries(path) -> dict[str, zipfile.ZipInfo]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: i for i in z.infolist()}


def contents(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def part_of(path, sheet: str) -> str:
    with X.Package(path) as pkg:
        return pkg.sheet_part(sheet)


def assert_only_changed(before: Path, after: Path, allowed: set[str]) -> set[str]:
    """Every entry not in ``allowed`` is byte-identical (content and compressed
    stream), in the same order; return the entries that did change."""
    a, b = entries(before), entries(after)
    ca, cb = contents(before), contents(after)
    assert [n for n in a if n in b] == list(a)  # nothing removed, order kept
    changed = {n for n in b if n not in a or ca[n] != cb[n]}
    assert changed <= allowed, f"unexpected parts changed: {sorted(changed - allowed)}"
    for name, info in a.items():
        if name not in changed:
            other = b[name]
            assert (info.CRC, info.compress_size, info.compress_type, info.date_time) == (
                other.CRC,
                other.compress_size,
                other.compress_type,
                other.date_time,
            ), name
    return changed


def cells(path, *, skip=("Summary", "Validation")) -> dict:
    """Every cell's value (formulas as text) and number format, by sheet."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        if ws.title in skip:
            continue
        out[ws.title] = {
            c.coordinate: (c.value, c.number_format) for row in ws.iter_rows() for c in row if c.value is not None
        }
    return out


def cached_values(path, *, skip=("Summary", "Validation")) -> dict:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return {n: book.get_sheet_by_name(n).to_python() for n in book.sheet_names if n not in skip}


def styles(path, sheet: str) -> dict:
    """Each cell's formatting as openpyxl sees it, font colour separately."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path)
    out = {}
    for row in wb[sheet].iter_rows():
        for c in row:
            f = c.font
            colour = (
                f.color.rgb
                if f.color is not None and f.color.type == "rgb"
                else (None if f.color is None else (f.color.type, f.color.value))
            )
            out[c.coordinate] = {
                "font": (f.name, f.sz, f.b, f.i, f.u, f.strike, f.vertAlign),
                "colour": colour,
                "fill": repr(c.fill),
                "border": repr(c.border),
                "alignment": repr(c.alignment),
                "number_format": c.number_format,
                "protection": repr(c.protection),
            }
    return out


def sheet_xml(path, sheet: str) -> bytes:
    return contents(path)[part_of(path, sheet)]


# ------------------------------------------------------------------------ highlight


def test_highlight_changes_only_the_two_record_sheets_and_styles(plan, tmp_path):
    out = tmp_path / "out.xlsm"
    result = W.highlight(plan, output=out)
    allowed = {part_of(plan, "Actions"), part_of(plan, "Milestones"), "xl/styles.xml"}
    assert assert_only_changed(plan, out, allowed) == allowed
    assert set(result.changed) == allowed
    assert result.details.painted == {"Actions": 3, "Milestones": 1}


def test_highlight_keeps_every_value_formula_and_cached_value(plan, tmp_path):
    out = tmp_path / "out.xlsm"
    W.highlight(plan, output=out)
    assert cells(out) == cells(plan)
    assert cached_values(out) == cached_values(plan)


def test_new_rows_turn_red_and_keep_all_other_formatting(plan, tmp_path):
    out = tmp_path / "out.xlsm"
    W.highlight(plan, output=out)
    for sheet, new in (("Actions", NEW_ACTION_ROWS), ("Milestones", NEW_MILESTONE_ROWS)):
        before, after = styles(plan, sheet), styles(out, sheet)
        assert before.keys() == after.keys()
        for coord, b in before.items():
            a = after[coord]
            row = openpyxl.utils.cell.coordinate_to_tuple(coord)[0]
            assert {k: v for k, v in a.items() if k != "colour"} == {k: v for k, v in b.items() if k != "colour"}, coord
            if row in new:
                assert a["colour"] == RED, coord
            else:
                assert a["colour"] == b["colour"], coord


def test_highlight_keeps_bold_italic_and_fill_of_a_styled_new_row(tmp_path):
    actions = list(ACTIONS)
    actions[2] = (*actions[2][:4], dt.date(2023, 9, 1))  # the bold, green-filled row is new
    p = build_kitchen_sink(tmp_path / "p.xlsm", actions=actions)
    out = tmp_path / "out.xlsm"
    W.highlight(p, output=out)
    c = openpyxl.load_workbook(out)["Actions"]["A6"]
    assert (c.font.b, c.font.i, c.font.color.rgb, c.fill.fgColor.rgb) == (True, True, RED, "FFE2EFDA")


def test_highlight_leaves_shapes_validations_and_markup_of_the_patched_sheet(plan, tmp_path):
    out = tmp_path / "out.xlsm"
    W.highlight(plan, output=out)
    xml = sheet_xml(out, "Actions")
    assert b'mc:Ignorable="x14ac"' in xml and X14_NS.encode() in xml
    assert b"<x14:dataValidation " in xml and b"<xm:sqref>P4:P40</xm:sqref>" in xml
    for tag in (
        b"<legacyDrawing",
        b"<conditionalFormatting",
        b"<dataValidations",
        b"<hyperlinks",
        b"<autoFilter",
        b"<pane ",
        b"<mergeCells",
    ):
        assert tag in xml
    assert xml.startswith(sheet_xml(plan, "Actions")[:55])  # the XML declaration as written


def test_highlight_twice_changes_no_bytes_and_writes_nothing(plan):
    first = W.highlight(plan, now=NOW)
    assert first.backup is not None
    data = plan.read_bytes()
    files = set(plan.parent.iterdir())
    second = W.highlight(plan, now=NOW)
    assert second.changed == () and second.backup is None
    assert plan.read_bytes() == data
    assert set(plan.parent.iterdir()) == files


def test_highlight_in_place_keeps_a_timestamped_backup_of_the_original(plan):
    original = plan.read_bytes()
    result = W.highlight(plan, now=NOW)
    assert result.backup == plan.with_name("Improvement Plan monitoring.backup-20231102-093000.xlsm")
    assert result.backup.read_bytes() == original
    assert plan.read_bytes() != original


def test_rows_no_longer_new_get_back_their_exact_previous_style(plan, tmp_path):
    W.highlight(plan)  # October: three actions and one milestone turn red
    # November's workbook: same rows, a period in which nothing was added
    nov = build_kitchen_sink(tmp_path / "nov.xlsm", period=(dt.date(2023, 11, 1), dt.date(2023, 11, 30)))
    october_sheets = {s: sheet_xml(plan, s) for s in ("Actions", "Milestones")}
    with X.Package(plan) as pkg:
        parts = {n: pkg.read(n) for n in pkg.names()}
    # carry October's highlighted sheets and styles into November's file
    src = {part_of(plan, "Actions"), part_of(plan, "Milestones"), "xl/styles.xml"}
    _replace_parts(nov, {n: parts[n] for n in src})
    result = W.highlight(nov)
    assert result.details.restored == {"Actions": 3, "Milestones": 1}
    assert result.details.painted == {"Actions": 0, "Milestones": 0}
    pristine_nov = build_kitchen_sink(tmp_path / "nov0.xlsm", period=(dt.date(2023, 11, 1), dt.date(2023, 11, 30)))
    for s in ("Actions", "Milestones"):
        assert styles(nov, s) == styles(pristine_nov, s)
        assert sheet_xml(nov, s) != october_sheets[s]
    # every cell carries exactly the style index it had before ipxl ever touched it
    for s in ("Actions", "Milestones"):
        assert _style_indexes(nov, s) == _style_indexes(pristine_nov, s)


def _style_indexes(path, sheet) -> dict:
    with X.Package(path) as pkg:
        sx = TreeSheet(pkg, pkg.sheet_part(sheet))
        return {c.get("r"): c.get("s") for row in sx.rows().values() for c in row if XML.local(c) == "c"}


def _replace_parts(path: Path, new: dict[str, bytes]) -> None:
    with X.Package(path) as pkg:
        for name, data in new.items():
            pkg.write(name, data)
        pkg.save(path.with_suffix(".tmp.xlsm"))
    os.replace(path.with_suffix(".tmp.xlsm"), path)


def test_a_single_cell_an_officer_coloured_red_is_not_reverted(plan, tmp_path):
    # an old row with one cell in ipxl's red (as an officer emphasising it would)
    with X.Package(plan) as pkg:
        st = Styles(pkg)
        sx = StreamSheet(pkg, pkg.sheet_part("Actions"))
        c = sx.cells(4)[10]
        c.set("s", str(st.xf_with_font_colour(int(c.get("s", "0")), D.NEW_ROW_RED)))
        pkg.save(tmp_path / "emph.xlsm")
    out = tmp_path / "out.xlsm"
    result = W.highlight(tmp_path / "emph.xlsm", output=out)
    assert result.details.restored["Actions"] == 0
    assert openpyxl.load_workbook(out)["Actions"]["K4"].font.color.rgb == RED


def _november_pair(tmp_path: Path) -> tuple[Path, Path]:
    """Last period's kitchen sink (two actions and one milestone fewer) and this
    period's, both ending in November."""
    nov = (dt.date(2023, 11, 1), dt.date(2023, 11, 30))
    prev = build_kitchen_sink(tmp_path / "prev.xlsm", actions=ACTIONS[:6], milestones=MILESTONES[:2], period=nov)
    return prev, build_kitchen_sink(tmp_path / "cur.xlsm", period=nov)


def test_rows_absent_from_the_previous_workbook_are_new(tmp_path):
    prev, cur = _november_pair(tmp_path)
    import ipxl

    rows = W.new_rows(ipxl.read_workbook(cur), ipxl.read_workbook(prev))
    assert rows == {"actions": {HEADER_ROW + 7, HEADER_ROW + 8}, "milestones": {4}}
    result = W.highlight(cur, output=tmp_path / "out.xlsm", previous=prev)
    assert result.details.painted == {"Actions": 2, "Milestones": 1}


def test_new_rows_follows_the_period_inclusive_of_both_ends(plan):
    import ipxl

    assert W.new_rows(ipxl.read_workbook(plan)) == {"actions": NEW_ACTION_ROWS, "milestones": NEW_MILESTONE_ROWS}


def test_plan_highlight_is_pure_and_only_restores_data_rows():
    plan = W.plan_highlight({"Actions": {5, 6}}, {"Actions": {1, 6, 9}}, {"Actions": {6, 9}})
    assert plan.paint == {"Actions": (5,)}
    assert plan.restore == {"Actions": (9,)}


# -------------------------------------------------------------------------- summary


def test_refresh_adds_a_summary_sheet_with_a_chart_and_touches_nothing_else(plan, tmp_path):
    out = tmp_path / "out.xlsm"
    result = W.refresh_summary(plan, output=out, now=NOW)
    changed = set(result.changed)
    structural = {"[Content_Types].xml", "xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/styles.xml"}
    assert structural <= changed
    new_parts = changed - structural
    assert all(n not in entries(plan) for n in new_parts)
    assert {n.split("/")[1] for n in new_parts} == {"worksheets", "charts", "drawings"}
    assert_only_changed(plan, out, changed)
    assert cells(out) == cells(plan)
    wb = openpyxl.load_workbook(out)
    ws = wb["Summary"]
    assert wb.sheetnames[-1] == "Summary"
    assert ws["B2"].value == "October 2023" and ws["B3"].value == "2 November 2023 09:30"
    header = [c.value for c in ws[6]]
    assert header == ["Theme", *[s.name for s in D.STATUSES], "Total"]
    rows = {r[0].value: [c.value for c in r[1:]] for r in ws.iter_rows(min_row=7, max_row=13)}
    assert rows["Corporate Oversight"] == [0, 1, 0, 1, 0, 0, 2]
    assert rows["Total"] == [1, 4, 1, 1, 1, 0, 8]
    assert any(str(v).startswith("No previous workbook") for v in [c.value for c in ws["A"]])


def test_summary_chart_has_a_title_alt_text_and_is_bound_to_the_table(plan, tmp_path):
    out = tmp_path / "out.xlsm"
    W.refresh_summary(plan, output=out, now=NOW)
    new = contents(out)
    chart = next(v for k, v in new.items() if k.startswith("xl/charts/") and k not in entries(plan))
    drawing = next(v for k, v in new.items() if k.startswith("xl/drawings/drawing") and k not in entries(plan))
    assert b"<a:t>RAG status by theme</a:t>" in chart
    assert b"<c:f>'Summary'!$A$7:$A$12</c:f>" in chart and b"<c:f>'Summary'!$B$7:$B$12</c:f>" in chart
    assert b'descr="Bar chart of the number of actions' in drawing
    ct = new["[Content_Types].xml"]
    assert b"drawingml.chart+xml" in ct and b"drawing+xml" in ct


def test_refreshing_an_existing_summary_rewrites_values_and_keeps_the_chart_part(plan, tmp_path):
    first = tmp_path / "first.xlsm"
    W.refresh_summary(plan, output=first, now=NOW)
    again = tmp_path / "again.xlsm"
    r = W.refresh_summary(first, output=again, now=NOW)
    assert r.changed == () and first.read_bytes() == again.read_bytes()
    table = W.RagTable(
        ("Corporate Oversight", "Decision Making"),
        ("Green", "Red"),
        {"Corporate Oversight": {"Green": 5, "Red": 2}, "Decision Making": {"Green": 1}},
    )
    later = tmp_path / "later.xlsm"
    r = W.refresh_summary(
        first,
        output=later,
        now=NOW + dt.timedelta(days=30),
        table=table,
        sentences=["1 assurance action has been added"],
    )
    chart = [n for n in r.changed if n.startswith("xl/charts/")]
    assert set(r.changed) <= {part_of(first, "Summary"), "xl/styles.xml", *chart}
    assert len(chart) == 1 and chart[0] in entries(first)
    ws = openpyxl.load_workbook(later)["Summary"]
    assert [c.value for c in ws[7]] == ["Corporate Oversight", 5, 2, 7]
    assert "1 assurance action has been added" in [c.value for c in ws["A"]]
    assert b"<c:v>5</c:v>" in contents(later)[chart[0]]


# ----------------------------------------------------------------------- validation


def _report() -> Report:
    return Report(
        [
            Finding(
                "Actions",
                5,
                "Exception reason",
                "M5",
                "warning",
                "exception-missing",
                "Amber action SD.D1.3.1 has no exception reason.",
                "Say why the action is at risk.",
            ),
            Finding("Actions", 6, "Status", "K6", "error", "bad-status", "Status 'Redd' is not a status.", "Use Red."),
            Finding("Actions", 6, "Ref", "K6", "warning", "dup", "Same cell twice.", None),
            Finding("Milestones", 3, "Status", "D3", "error", "bad-status", "Bad.", None),
            Finding("Recommendations", None, None, None, "error", "missing-sheet", "No Recommendations sheet.", None),
        ]
    )


def test_mark_writes_a_validation_sheet_with_links_to_each_cell(plan, tmp_path):
    out = tmp_path / "out.xlsm"
    W.mark_validation(plan, _report(), output=out, now=NOW)
    ws = openpyxl.load_workbook(out)["Validation"]
    assert [c.value for c in ws[6]] == ["Sheet", "Cell", "Severity", "Code", "Message", "Suggestion"]
    assert ws["B3"].value == 3 and ws["B4"].value == 2
    assert ws["B7"].value == "M5" and ws["B7"].hyperlink.location == "'Actions'!M5"
    assert ws["A11"].value == "Recommendations" and ws["B11"].hyperlink is None
    assert b"location=\"'Actions'!M5\"" in sheet_xml(out, "Validation")


def test_mark_touches_only_marked_sheets_styles_and_the_new_sheet(plan, tmp_path):
    out = tmp_path / "out.xlsm"
    r = W.mark_validation(plan, _report(), output=out, now=NOW)
    allowed = {
        part_of(plan, "Actions"),
        part_of(plan, "Milestones"),
        "xl/styles.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
    }
    changed = assert_only_changed(plan, out, allowed | {n for n in r.changed if n not in entries(plan)})
    assert allowed <= changed
    assert cells(out) == cells(plan)
    assert styles(out, "Actions") == styles(plan, "Actions")  # cell formats untouched


def test_marks_are_conditional_formats_that_outrank_the_sheets_own(plan, tmp_path):
    out = tmp_path / "out.xlsm"
    W.mark_validation(plan, _report(), output=out, now=NOW)
    ws = openpyxl.load_workbook(out)["Actions"]
    rules = {str(rng.sqref): [(r.priority, r.formula) for r in rng.rules] for rng in ws.conditional_formatting}
    assert rules["K6"] == [(1, ['"ipxl:finding:error"<>""'])]
    assert rules["M5"] == [(2, ['"ipxl:finding:warning"<>""'])]
    own = sorted(p for k, v in rules.items() if k not in ("K6", "M5") for p, _ in v)
    assert own == [3, 4]
    dxf = openpyxl.load_workbook(out)._differential_styles
    fills = {d.fill.fgColor.rgb for d in dxf.dxf if d.fill is not None}
    assert {"FF" + D.FINDING_FILL["error"], "FF" + D.FINDING_FILL["warning"]} <= fills


def test_a_clean_run_removes_every_mark_and_restores_the_sheets_exactly(plan, tmp_path):
    marked = tmp_path / "marked.xlsm"
    W.mark_validation(plan, _report(), output=marked, now=NOW)
    clean = tmp_path / "clean.xlsm"
    W.mark_validation(marked, Report([]), output=clean, now=NOW)
    for s in ("Actions", "Milestones"):
        assert sheet_xml(clean, s) == sheet_xml(plan, s)
    ws = openpyxl.load_workbook(clean)["Validation"]
    assert ws["B3"].value == 0 and ws["A7"].value.startswith("No findings")


def test_marking_again_with_the_same_report_changes_no_bytes(plan, tmp_path):
    a, b = tmp_path / "a.xlsm", tmp_path / "b.xlsm"
    W.mark_validation(plan, _report(), output=a, now=NOW)
    r = W.mark_validation(a, _report(), output=b, now=NOW)
    assert r.changed == () and a.read_bytes() == b.read_bytes()


def test_mark_validation_without_a_report_validates_the_file(plan, tmp_path):
    r = W.mark_validation(plan, output=tmp_path / "out.xlsm", now=NOW)
    assert r.details.findings > 0
    assert r.details.marked >= 1


# -------------------------------------------------------------- all of it together


def test_after_highlight_refresh_and_mark_everything_else_is_byte_identical(plan, tmp_path):
    W.highlight(plan, now=NOW)
    W.refresh_summary(plan, now=NOW)
    W.mark_validation(plan, now=NOW)
    original = next(plan.parent.glob("*.backup-*"))  # the first backup is the pristine file
    sheets = {part_of(original, s) for s in ("Actions", "Milestones")}
    structural = {"xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    new = {n for n in entries(plan) if n not in entries(original)}
    assert_only_changed(original, plan, sheets | structural | new)
    assert cells(plan) == cells(original)
    assert cached_values(plan) == cached_values(original)
    data = contents(plan)
    assert data["xl/vbaProject.bin"] == contents(original)["xl/vbaProject.bin"]
    assert SHAPE_MACRO.encode() in b"".join(v for k, v in data.items() if k.startswith("xl/drawings/"))
    for part in (
        "customXml/item1.xml",
        "xl/threadedComments/threadedComment1.xml",
        "xl/persons/person.xml",
        "docProps/custom.xml",
        "xl/comments1.xml",
        "xl/tables/table1.xml",
        "xl/media/image1.png",
    ):
        assert data[part] == contents(original)[part]
    wb = openpyxl.load_workbook(plan, keep_vba=True)
    assert wb["Notes"].sheet_state == "hidden" and wb["Lists"].protection.sheet
    assert "StatusList" in wb.defined_names and wb["Actions"].freeze_panes == "B4"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_written_workbook(plan, tmp_path):
    W.highlight(plan, now=NOW)
    W.refresh_summary(plan, now=NOW)
    W.mark_validation(plan, _report(), now=NOW)
    outdir = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()
    proc = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(plan),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = outdir / (plan.stem + ".pdf")
    assert proc.returncode == 0, proc.stderr
    assert pdf.exists() and pdf.stat().st_size > 10_000, proc.stdout + proc.stderr
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "RAG status by theme" in text and "Validation" in text and "CO.G1.5.2" in text


def test_a_plain_xlsx_from_openpyxl_works_too(tmp_path):
    from builders import clean_plan, write_workbook

    plan_data = clean_plan()
    plan_data["actions"][0]["date_added"] = dt.date(2023, 9, 1)
    p = write_workbook(tmp_path / "plain.xlsx", plan_data, title_rows=1)
    W.highlight(p, output=tmp_path / "a.xlsx")
    W.refresh_summary(tmp_path / "a.xlsx", output=tmp_path / "b.xlsx", now=NOW)
    W.mark_validation(tmp_path / "b.xlsx", output=tmp_path / "c.xlsx", now=NOW)
    wb = openpyxl.load_workbook(tmp_path / "c.xlsx")
    assert wb["Actions"]["A3"].font.color.rgb == RED
    assert wb["Actions"]["A4"].font.color is None or wb["Actions"]["A4"].font.color.rgb != RED
    assert {"Summary", "Validation"} <= set(wb.sheetnames)


# -------------------------------------------------------------------------- safety


def test_a_failure_while_renaming_leaves_the_original_byte_identical(plan, monkeypatch):
    original = plan.read_bytes()
    before = set(plan.parent.iterdir())

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        W.highlight(plan, now=NOW)
    assert plan.read_bytes() == original
    assert set(plan.parent.iterdir()) == before  # no temp file, no backup left behind


def test_a_failure_half_way_through_the_zip_leaves_the_original_byte_identical(plan, monkeypatch):
    original = plan.read_bytes()
    before = set(plan.parent.iterdir())
    calls = {"n": 0}
    real = X._copy_raw

    def flaky(*a, **k):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("interrupted")
        return real(*a, **k)

    monkeypatch.setattr(X, "_copy_raw", flaky)
    with pytest.raises(RuntimeError, match="interrupted"):
        W.refresh_summary(plan, now=NOW)
    assert plan.read_bytes() == original
    assert set(plan.parent.iterdir()) == before


def test_an_excel_owner_file_refuses_the_write_with_one_sentence(plan):
    owner = plan.with_name("~$" + plan.name)
    owner.write_bytes(b"Policy Officer")
    original = plan.read_bytes()
    with pytest.raises(WorkbookLocked) as exc:
        W.highlight(plan)
    assert str(exc.value) == (
        f"{plan.name} is open in Excel (its owner file {owner.name} is beside it); close it in Excel and try again "
        "(if it is not open anywhere, delete that file)."
    )
    assert plan.read_bytes() == original
    assert sorted(p.name for p in plan.parent.iterdir()) == sorted([plan.name, owner.name])


def test_the_short_owner_file_excel_uses_for_long_names_is_recognised_too(plan):
    owner = plan.with_name("~$" + plan.name[2:])
    owner.write_bytes(b"x")
    with pytest.raises(WorkbookLocked, match="open in Excel"):
        W.highlight(plan)


def test_a_folder_that_cannot_be_written_is_refused(plan, tmp_path, monkeypatch):
    out_dir = tmp_path / "readonly"
    out_dir.mkdir()
    out_dir.chmod(0o555)
    if os.geteuid() == 0:  # root may write anywhere: simulate what an ordinary user sees
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, m: False if Path(p) == out_dir else real(p, m))
    try:
        with pytest.raises(WorkbookLocked, match="cannot be written to"):
            W.highlight(plan, output=out_dir / "out.xlsm")
        assert list(out_dir.iterdir()) == []
    finally:
        out_dir.chmod(0o755)


def test_a_read_only_workbook_is_refused(plan, monkeypatch):
    plan.chmod(0o444)
    if os.geteuid() == 0:
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, m: False if Path(p) == plan else real(p, m))
    try:
        with pytest.raises(WorkbookLocked, match="read-only"):
            W.highlight(plan)
    finally:
        plan.chmod(0o644)


def test_the_file_target_satisfies_the_backend_protocol(plan):
    with W.FileTarget(plan) as t:
        assert isinstance(t, W.WorkbookTarget)
        assert t.sheet_names()[:3] == ["Settings", "Actions", "Milestones"]


def test_marked_cells_are_written_as_compact_ranges():
    assert W.sqref(["K6", "K5", "K7", "M5", "K9", "A1"]) == "A1 K5:K7 K9 M5"


def test_highlight_uses_the_previous_workbook_named_in_settings(tmp_path):
    nov = (dt.date(2023, 11, 1), dt.date(2023, 11, 30))
    build_kitchen_sink(tmp_path / "prev.xlsm", actions=ACTIONS[:7], milestones=MILESTONES, period=nov)
    cur = build_kitchen_sink(tmp_path / "cur.xlsm", period=nov, previous_workbook="prev.xlsm")
    result = W.highlight(cur, output=tmp_path / "out.xlsm")
    assert result.details.painted == {"Actions": 1, "Milestones": 0}
    ws = openpyxl.load_workbook(tmp_path / "out.xlsm")["Actions"]
    assert ws[f"A{HEADER_ROW + 8}"].font.color.rgb == RED


def test_a_chart_sheet_called_summary_is_refused_with_one_sentence(plan, tmp_path):
    with X.Package(plan) as pkg:
        with pytest.raises(X.WorkbookUnusable, match="not a worksheet"):
            pkg.xml("xl/workbook.xml").find(XML.q("sheets"))[4].set("name", "Summary")
            pkg.add_sheet("summary", b"")


def test_replacing_a_summary_with_formulas_drops_them_from_the_calc_chain(tmp_path):
    import xlsxwriter

    p = tmp_path / "calc.xlsx"
    wb = xlsxwriter.Workbook(p)
    wb.add_worksheet("Actions").write_row(0, 0, ["Ref", "Theme", "Description", "Status"])
    summary = wb.add_worksheet("Summary")  # one ipxl wrote (its first column says so), with a formula added
    summary.write_formula("A1", "=1+1", None, 2)
    summary.write_column("A2", ["Reporting period", "Refreshed"])
    wb.add_worksheet("Other").write_formula("A1", "=2+2", None, 4)
    wb.close()
    with X.Package(p) as pkg:
        pkg.write(
            "xl/calcChain.xml",
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<calcChain xmlns="{XML.MAIN}"><c r="A1" i="2"/><c r="A1" i="3"/></calcChain>'
            ).encode(),
        )
        pkg.add_override(
            "xl/calcChain.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"
        )
        pkg.add_rel("xl/workbook.xml", XML.R + "/calcChain", "xl/calcChain.xml")
        pkg.save(tmp_path / "calc2.xlsx")
    table = W.RagTable(("Corporate Oversight",), ("Green",), {"Corporate Oversight": {"Green": 1}})
    W.refresh_summary(tmp_path / "calc2.xlsx", output=tmp_path / "out.xlsx", table=table, sentences=[], now=NOW)
    chain = contents(tmp_path / "out.xlsx")["xl/calcChain.xml"]
    assert b'i="3"' in chain and b'i="2"' not in chain
    assert openpyxl.load_workbook(tmp_path / "out.xlsx")["Summary"]["A6"].value == "Theme"


def test_refresh_writes_the_change_summary_from_the_previous_workbook(tmp_path):
    prev = build_kitchen_sink(tmp_path / "prev.xlsm", actions=ACTIONS[:5])
    cur = build_kitchen_sink(tmp_path / "cur.xlsm")
    W.refresh_summary(cur, output=tmp_path / "out.xlsm", previous=prev, now=NOW)
    column_a = [c.value for c in openpyxl.load_workbook(tmp_path / "out.xlsm")["Summary"]["A"]]
    assert "1 assurance action has been added" in column_a
    assert column_a[column_a.index("Changes this period") + 1 :] == [
        "2 main actions have been added",
        "1 assurance action has been added",
        "1 sub-action has been added (marked in red within the plan)",
    ]


def test_highlighting_the_bundled_sample_twice_writes_nothing_the_second_time(tmp_path):
    # Regression: a sheet parsed only to be read (Milestones, whose empty styled cells
    # openpyxl writes as <c ...></c>) was re-spelled by lxml and counted as changed.
    from ipxl import resources
    from ipxl.writeback import highlight

    path = tmp_path / "plan.xlsx"
    shutil.copy(resources.sample_path(), path)
    shutil.copy(resources.previous_sample_path(), tmp_path / resources.PREVIOUS_SAMPLE_NAME)
    first = highlight(path)
    assert first.changed
    before = path.read_bytes()
    second = highlight(path)
    assert second.changed == ()
    assert second.backup is None
    assert path.read_bytes() == before


def test_the_summary_says_when_the_previous_workbook_in_settings_is_missing(tmp_path):
    from ipxl import resources
    from ipxl.writeback import refresh_summary

    path = tmp_path / "plan.xlsx"
    shutil.copy(resources.sample_path(), path)  # its Settings name a previous file not copied
    refresh_summary(path, backup=False)
    values = [c.value for row in openpyxl.load_workbook(path)["Summary"].iter_rows() for c in row if c.value]
    assert (
        "The previous workbook named in Settings (sample-improvement-plan-previous.xlsx) was not found, "
        "so no changes are summarised."
    ) in values


# ------------------------------------------------------- streamed = parsed whole


def _parts_in_order(path: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def _both_ways(source: Path, folder: Path, run) -> tuple[Path, Path]:
    """``run(path, output, target)`` once with streamed sheets and once with sheets
    parsed whole; returns the two outputs."""
    outs = []
    for streamed in (True, False):
        out = folder / f"{'streamed' if streamed else 'tree'}-{source.name}"
        target = W.FileTarget(source, out, now=NOW, streamed=streamed)
        try:
            run(source, out, target)
        finally:
            target.close()
        outs.append(out)
    return outs[0], outs[1]


def test_streamed_sheets_give_byte_for_byte_the_file_parsing_them_whole_gives(plan, tmp_path):
    from ipxl.checks.validation import validate

    steps = {
        "highlight": lambda p, o, t: W.highlight(p, o, target=t),
        "refresh": lambda p, o, t: W.refresh(p, o, target=t, now=NOW),
        "mark": lambda p, o, t: W.mark_validation(p, validate(ipxl.read_workbook(p)), o, target=t, now=NOW),
    }
    import ipxl

    current = plan
    for name, step in steps.items():
        streamed, tree = _both_ways(current, tmp_path, step)
        assert _parts_in_order(streamed) == _parts_in_order(tree), name
        assert _parts_in_order(streamed) != _parts_in_order(current), f"{name} changed nothing"
        current = streamed
    # and back: in November's workbook October's red rows go back, both ways alike
    nov = build_kitchen_sink(tmp_path / "nov.xlsm", period=(dt.date(2023, 11, 1), dt.date(2023, 11, 30)))
    with X.Package(current) as pkg:
        parts = {n: pkg.read(n) for n in pkg.names()}
    src = {part_of(current, "Actions"), part_of(current, "Milestones"), "xl/styles.xml"}
    _replace_parts(nov, {n: parts[n] for n in src})
    streamed, tree = _both_ways(nov, tmp_path, lambda p, o, t: W.highlight(p, o, target=t))
    assert _parts_in_order(streamed) == _parts_in_order(tree)
    assert _parts_in_order(streamed) != _parts_in_order(nov)


def test_a_large_part_deflated_in_pieces_on_every_core_holds_the_same_bytes(plan, tmp_path, monkeypatch):
    # pieces of 1 KB, so the kitchen sink's edited sheets go the way a large plan's do
    whole = tmp_path / "whole.xlsm"
    W.refresh(plan, whole, now=NOW)
    monkeypatch.setattr(X, "DEFLATE_PIECE", 1024)
    pieces = tmp_path / "pieces.xlsm"
    W.refresh(plan, pieces, now=NOW)
    assert contents(pieces) == contents(whole)
    with zipfile.ZipFile(pieces) as z:
        assert z.testzip() is None  # every CRC and size right
    actions = part_of(plan, "Actions")
    a, b = entries(whole)[actions], entries(pieces)[actions]
    assert a.file_size == b.file_size > 4 * 1024 and b.compress_type == zipfile.ZIP_DEFLATED
    assert _raw_entry(pieces, b) != _raw_entry(whole, a)  # it did go in pieces
    assert_only_changed(plan, pieces, assert_only_changed(plan, whole, set(entries(whole))))
    data = contents(whole)[actions]
    assert X._deflate(data, workers=1) == X._deflate(data, workers=3)
    assert zlib.decompress(X._deflate(data), -15) == data


def _raw_entry(path: Path, info: zipfile.ZipInfo) -> bytes:
    """An entry's compressed bytes, as they are in the file."""
    with zipfile.ZipFile(path) as z:
        return X._raw_data(z, info)


def test_ipxls_own_sheets_are_protected_without_a_password_and_rewritten_all_the_same(tmp_path):
    import openpyxl
    from builders import clean_plan, write_workbook

    from ipxl import writeback as W

    path = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    W.refresh(path, backup=False)
    W.mark_validation(path, backup=False)
    book = openpyxl.load_workbook(path)
    for name in ("Summary", "Validation"):
        assert book[name].protection.sheet and not book[name].protection.password, name
    assert not book["Actions"].protection.sheet  # the officers' sheets are theirs
    again = W.refresh(path, backup=False, now=dt.datetime(2030, 1, 1))
    assert again.written and openpyxl.load_workbook(path)["Summary"]["B3"].value != book["Summary"]["B3"].value


@pytest.mark.parametrize(
    "args",
    [["highlight"], ["refresh"], ["validate", "--mark"]],
    ids=lambda a: " ".join(a),
)
def test_each_write_command_checks_each_workbook_once(plan, tmp_path, monkeypatch, args):
    from click.testing import CliRunner

    from ipxl.cli import main
    from ipxl.xlsx import package

    checked: list[str] = []
    real = package._core_parts

    def counted(zf, info):
        checked.append(Path(info.path).name)
        return real(zf, info)

    monkeypatch.setattr(package, "_core_parts", counted)
    out = tmp_path / f"out{plan.suffix}"
    result = CliRunner().invoke(main, [*args, str(plan), "--output", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert out.exists()
    assert checked.count(plan.name) == 1, checked
    assert all(checked.count(name) == 1 for name in checked), "the previous workbook too"


@given(st.text())
def test_the_xml_escapes_are_saxutils_character_for_character(text):
    from xml.sax import saxutils

    assert XML.escape(text) == saxutils.escape(text)
    assert XML.quoteattr(text) == saxutils.quoteattr(text)


def test_a_write_command_imports_no_web_client(tmp_path):
    # xml.sax.saxutils would bring urllib.request, http.client and email to every click
    script = "import sys, ipxl.writeback, ipxl.excel.lite; print(sorted({'urllib.request', 'http.client', 'xml.sax.saxutils'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_highlight_and_refresh_read_only_the_sheets_and_columns_they_use_of_each_workbook(plan, tmp_path, monkeypatch):
    from ipxl.analysis import changes
    from ipxl.xlsx import reader, sources

    read: list[tuple[str, tuple, dict | None]] = []
    real = reader.read_workbook

    def spied(path, sheets=None, **kw):
        read.append((Path(path).name, tuple(sheets or ()), kw.get("columns")))
        return real(path, sheets, **kw)

    for module in (changes, reader, sources):  # a spy: every read still happens
        monkeypatch.setattr(module, "read_workbook", spied)
    prev = tmp_path / "prev.xlsx"
    shutil.copy(plan, prev)
    out = tmp_path / f"out{plan.suffix}"
    W.highlight(plan, out, previous=prev)
    W.refresh(plan, tmp_path / f"out2{plan.suffix}", previous=prev)
    assert read == [
        (plan.name, D.HIGHLIGHT_SHEETS, D.HIGHLIGHT_COLUMNS),
        ("prev.xlsx", D.HIGHLIGHT_SHEETS, D.HIGHLIGHT_COLUMNS),
        (plan.name, D.REFRESH_SHEETS, D.REFRESH_COLUMNS),
        ("prev.xlsx", D.HIGHLIGHT_SHEETS, D.PREVIOUS_COLUMNS),
    ]


def test_refresh_writes_the_same_workbook_from_last_periods_sheets_it_reads_as_from_all_of_them(tmp_path):
    prev, cur = _november_pair(tmp_path)
    part, whole = tmp_path / "part.xlsm", tmp_path / "whole.xlsm"
    W.refresh(cur, part, previous=prev, now=NOW)
    W.refresh(cur, whole, previous=read_workbook(prev), now=NOW)
    assert contents(part) == contents(whole)
    assert assert_only_changed(cur, part, set(entries(part))) >= {part_of(cur, "Actions")}


def test_refresh_writes_the_same_workbook_from_the_columns_it_reads_as_from_every_column(tmp_path):
    prev, cur = _november_pair(tmp_path)
    part, whole = tmp_path / "part.xlsm", tmp_path / "whole.xlsm"
    W.refresh(cur, part, previous=prev, now=NOW)
    with W.FileTarget(cur, whole, now=NOW) as target:
        wb = read_workbook(cur, D.REFRESH_SHEETS)  # every column, progress updates too
        assert not wb.actions_sheet.unread
        last = read_workbook(prev)
        W.refresh_target(target, Plan(wb, last), NOW)  # the steps every door takes, in their order
        target.commit()
    assert contents(part) == contents(whole)


@st.composite
def sheet_rows(draw):
    """sheetData bodies as writers produce them: rows with or without r, empty rows
    that close themselves, whitespace between rows, a namespace prefix or none."""
    prefix = draw(st.sampled_from([b"", b"x:"]))
    parts, expected, n = [], [], 0
    for _ in range(draw(st.integers(0, 12))):
        n += draw(st.integers(1, 3))
        numbered = draw(st.booleans()) or not expected
        if not numbered:
            n = expected[-1][0] + 1
        attrs = (b' r="%d"' % n if numbered else b"") + draw(st.sampled_from([b"", b' spans="1:3"', b' ht="30"']))
        if draw(st.booleans()):
            row = b"<" + prefix + b"row" + attrs + b"/>"
        else:
            cells = b"".join(
                b"<" + prefix + b'c r="A%d"><' % n + prefix + b"v>1</" + prefix + b"v></" + prefix + b"c>"
                for _ in range(draw(st.integers(1, 2)))
            )
            row = b"<" + prefix + b"row" + attrs + b">" + cells + b"</" + prefix + b"row>"
        parts.append(row + draw(st.sampled_from([b"", b"\n", b"\n  "])))
        expected.append((n, row))
    return prefix, b"".join(parts), expected


@given(sheet_rows())
def test_row_spans_find_every_row_with_its_number_and_exact_bytes(case):
    from ipxl.xlsx.sheet import row_spans

    prefix, body, expected = case
    data = b"<" + prefix + b"sheetData>" + body + b"</" + prefix + b"sheetData><" + prefix + b"rowBreaks/>"
    start = data.index(b">") + 1
    stop = data.rindex(b"</" + prefix + b"sheetData>")
    spans, starts = row_spans(data, start, stop, prefix)
    assert [(n, data[a:b]) for n, (a, b) in spans.items()] == expected
    assert starts == [a for a, _ in spans.values()]


def test_refresh_records_on_the_summary_the_rows_it_turned_red_for_doors_that_cannot_read_fonts(tmp_path):
    from ipxl.resources import sample_path

    path = tmp_path / "plan.xlsx"
    shutil.copy(sample_path(), path)
    W.refresh(path, backup=False, now=NOW)
    new = W.new_rows(read_workbook(path), None)
    summary = [[c.value for c in row] for row in openpyxl.load_workbook(path)["Summary"].iter_rows()]
    record = W.read_red_record(summary)
    assert record == {"Actions": new["actions"], "Milestones": new["milestones"]}
    assert new["actions"], "the sample has actions new this period"
    at = [r[0] for r in summary].index(W.RED_RECORD)
    assert summary[at + 1][1].startswith("rows "), "a word first, so Excel keeps 9-12 as text, not a date"


def test_a_summary_written_without_turning_rows_red_keeps_no_record(tmp_path):
    from ipxl.resources import sample_path

    path = tmp_path / "plan.xlsx"
    shutil.copy(sample_path(), path)
    W.refresh(path, backup=False, now=NOW, highlight=False)
    summary = [[c.value for c in row] for row in openpyxl.load_workbook(path)["Summary"].iter_rows()]
    assert W.read_red_record(summary) is None


def test_the_record_of_red_rows_reads_back_what_it_wrote_whatever_excel_made_of_the_cells():
    from ipxl.writeback.plans import parse_row_ranges, red_record_rows, row_ranges

    rows = {5, 9, 10, 11, 12, 40}
    assert row_ranges(rows) == "rows 5, 9-12, 40"
    assert row_ranges([]) == "none" and parse_row_ranges("none") == set()
    assert parse_row_ranges(row_ranges(rows)) == rows
    written = [
        ["Changes this period"],
        ["No changes to report."],
        [],
        *red_record_rows({"Actions": rows, "Milestones": []}),
    ]
    assert W.read_red_record([*written, [], ["anything after"]]) == {"Actions": rows, "Milestones": set()}
    long = set(range(1, 40000, 2))  # 20,000 rows apart: the text goes on across cells
    (_, (_, *cells)) = red_record_rows({"Actions": long})
    assert len(cells) > 1 and all(len(c) <= 32000 for c in cells)
    assert W.read_red_record(red_record_rows({"Actions": long})) == {"Actions": long}


@pytest.mark.parametrize(
    ("sheet", "command"),
    [("Summary", ["refresh"]), ("Trend", ["refresh"]), ("Validation", ["validate", "--mark"])],
)
def test_a_sheet_an_officer_made_under_the_name_of_one_of_ipxls_is_never_written_over(tmp_path, sheet, command):
    from click.testing import CliRunner

    from ipxl.cli import main

    path = tmp_path / "plan.xlsx"
    assert CliRunner().invoke(main, ["new", "--sample", str(path)]).exit_code == 0
    made = sorted(p.name for p in tmp_path.iterdir())
    book = openpyxl.load_workbook(path)
    book.create_sheet(sheet)["A1"] = "My own notes - do not delete"
    book.save(path)
    before = path.read_bytes()
    result = CliRunner().invoke(main, [*command, str(path)])
    assert result.exit_code == 2
    assert f"has a sheet called '{sheet}' that ipxl did not write" in result.output
    assert "rename that sheet and run it again" in result.output
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == made


def test_ipxls_own_summary_and_validation_sheets_are_rewritten_run_after_run(tmp_path):
    from click.testing import CliRunner

    from ipxl.cli import main

    path = tmp_path / "plan.xlsx"
    assert CliRunner().invoke(main, ["new", "--sample", str(path)]).exit_code == 0
    for _ in range(2):
        assert CliRunner().invoke(main, ["refresh", str(path)]).exit_code == 0
        assert CliRunner().invoke(main, ["validate", "--mark", str(path)]).exit_code in (0, 1)
    assert {"Summary", "Validation"} <= set(openpyxl.load_workbook(path).sheetnames)


def test_only_a_read_for_a_step_that_writes_them_looks_at_summary_trend_and_validation(tmp_path):
    from click.testing import CliRunner

    from ipxl.cli import main

    path = tmp_path / "plan.xlsx"
    assert CliRunner().invoke(main, ["new", "--sample", str(path)]).exit_code == 0
    book = openpyxl.load_workbook(path)
    book.create_sheet("Summary")["A1"] = "My own notes"
    book.save(path)
    assert read_workbook(path).foreign == ("Summary",)  # validate --mark, the buttons
    assert read_workbook(path, D.REFRESH_SHEETS).foreign == ("Summary",)
    # history, last period's workbook, the roll-up: never written, never read
    for sheets in (D.HISTORY_SHEETS, D.PREVIOUS_SHEETS, D.ROLLUP_SHEETS):
        assert read_workbook(path, sheets).foreign == ()
