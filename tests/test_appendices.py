"""Committee appendices: render every appendix from hand-built workbooks, reopen the
.docx and check what a committee clerk (and a screen reader) would see."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from builders import action, clean_plan, write_workbook
from click.testing import CliRunner
from docx.oxml.ns import qn

from ipxl import defaults as D
from ipxl.cli import main
from ipxl.colour import contrast, text_colour_on
from ipxl.errors import OutputExists, TemplateError
from ipxl.pack import APPENDICES, render_appendices, to_pdf
from ipxl.pack.accessibility import check_docx
from ipxl.resources import report_templates_dir

TRICKY = "Tom & Jerry <b>bold</b> \"quoted\" 'single' {{ x }} {% if %}"
NEW_REFS = {"SD.D1.3.1", "SD.D1.4"}


def tricky_plan() -> dict:
    """The clean plan plus two rows added this period, one with text that looks like
    markup and template tags."""
    plan = clean_plan()
    plan["actions"][1]["date_added"] = dt.date(2023, 9, 12)  # SD.D1.3.1, new this period
    plan["actions"][1]["progress_update"] = TRICKY
    plan["actions"].append(
        action(
            "SD.D1.4",
            "Strategic Direction",
            status="Amber",
            date_added=dt.date(2023, 10, 1),
            progress_update="Line one\nLine two " * 200,
            exception_reason="Waiting & seeing",
        )
    )
    plan["recommendations"][0]["action_refs"] = "SD.D1.3; CO.G1.5; SD.D1.4"
    plan["recommendations"][1]["recommendation"] = TRICKY
    return plan


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pack")
    wb = write_workbook(tmp / "plan.xlsx", tricky_plan())
    prev_plan = tricky_plan()
    prev_plan["actions"] = [a for a in prev_plan["actions"] if a["ref"] not in NEW_REFS]
    was = next(a for a in prev_plan["actions"] if a["ref"] == "CO.G1.5")
    was["status"], was["exception_reason"] = "Green", None  # CO.G1.5 was Green, now Amber
    prev = write_workbook(tmp / "prev.xlsx", prev_plan)
    written = render_appendices(wb, prev, out_dir=tmp / "out")
    return {p.stem: p for p in written}, written


def texts(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    # w:br becomes a space so words on separate lines stay apart
    xml = re.sub(r"<w:br/>|</w:p>", " ", xml)
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", xml))


def cell_text(tc) -> str:
    """A cell's text with line breaks and paragraph ends as spaces."""
    out = []
    for el in tc.iter(qn("w:t"), qn("w:br"), qn("w:p")):
        out.append(el.text or "" if el.tag == qn("w:t") else " ")
    return "".join(out)


def data_rows(table):
    """(cells' text, set of run colours per cell) for each row after the header."""
    out = []
    for tr in table._tbl.tr_lst[1:]:
        cells = []
        for tc in tr.tc_lst:
            text = " ".join(cell_text(tc).split())
            colours = {c.get(qn("w:val")) for c in tc.iter(qn("w:color"))}
            fill = tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
            cells.append((text, colours, fill.get(qn("w:fill")) if fill is not None else None))
        out.append(cells)
    return out


# ------------------------------------------------------------------ every appendix


def test_every_appendix_is_written_and_passes_the_accessibility_check(pack):
    files, written = pack
    assert list(files) == list(APPENDICES)
    assert written.problems == {f"{n}.docx": [] for n in APPENDICES}
    for path in files.values():
        assert check_docx(path) == []


def test_titles_carry_council_plan_and_period_and_language_is_en_gb(pack):
    files, _ = pack
    for _name, path in files.items():
        d = docx.Document(path)
        title = d.core_properties.title
        assert "Sandwell Metropolitan Borough Council" in title
        assert "Improvement Plan" in title and "October 2023" in title
        assert d.core_properties.language == "en-GB"
        assert d.paragraphs[0].style.name == "Title"
        assert d.sections[0].header.paragraphs[0].text == "Sandwell Metropolitan Borough Council"


def test_every_table_header_row_repeats_and_no_cell_is_merged(pack):
    files, _ = pack
    for path in files.values():
        d = docx.Document(path)
        assert d.tables, path.name
        for table in d.tables:
            tr_pr = table._tbl.tr_lst[0].trPr
            assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
            xml = table._tbl.xml
            assert "w:vMerge" not in xml and "w:hMerge" not in xml
            assert not re.search(r'w:gridSpan w:val="[2-9]', xml)


def test_wide_appendices_are_landscape(pack):
    files, _ = pack
    for name in ("monitoring-tool", "review-responses", "changes", "risk-register"):
        s = docx.Document(files[name]).sections[0]
        assert s.page_width > s.page_height, name


# ------------------------------------------------------------------ monitoring tool


def test_monitoring_tool_lists_every_open_action_by_theme(pack):
    files, _ = pack
    d = docx.Document(files["monitoring-tool"])
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Status key",
        "Organisational Culture",
        "Corporate Oversight",
        "Strategic Direction",
        "Procurement and Commercial",
    ]
    refs = [row[0][0].split()[0] for t in d.tables[1:] for row in data_rows(t)]
    assert refs == ["OC.E2.8", "CO.G1.5", "CO.E1.5", "SD.D1.3", "SD.D1.3.1", "SD.D1.4", "PC.A5.3"]


def test_new_rows_are_red_and_marked_new_and_no_other_row_is(pack):
    files, _ = pack
    d = docx.Document(files["monitoring-tool"])
    red = D.NEW_ROW_RED
    seen_new = set()
    for table in d.tables[1:]:
        for cells in data_rows(table):
            ref = cells[0][0].split()[0]
            status_cell = cells[6]
            others = cells[:6] + cells[7:]
            if ref in NEW_REFS:
                seen_new.add(ref)
                assert "New" in cells[0][0].split()
                assert all(colours == {red} for text, colours, _ in others if text.strip()), ref
            else:
                assert "New" not in cells[0][0].split()
                assert all(red not in colours for _, colours, _ in others), ref
            # the status cell carries its word in black or white, never red text
            assert red not in status_cell[1]
    assert seen_new == NEW_REFS


def test_status_cells_are_shaded_in_their_lists_colour_and_carry_the_word(pack):
    files, _ = pack
    d = docx.Document(files["monitoring-tool"])
    colours = {s.name: s.colour for s in D.STATUSES}
    seen = set()
    for table in d.tables[1:]:
        for cells in data_rows(table):
            word, text_colours, fill = cells[6]
            assert word in colours
            assert fill == colours[word]
            assert text_colours == {text_colour_on(fill)}
            assert contrast(fill, text_colour_on(fill)) >= 4.5
            seen.add(word)
    assert {"Green", "Amber", "Red", "Complete", "Not started"} <= seen


def test_cell_text_that_looks_like_markup_or_tags_appears_literally(pack):
    files, _ = pack
    for name in ("monitoring-tool", "statutory-recommendations", "review-responses"):
        assert TRICKY in texts(files[name]), name
    assert "Waiting & seeing" in texts(files["theme-summary"])


def test_default_status_colours_all_reach_4_5_to_1_with_the_chosen_text_colour():
    for s in D.STATUSES:
        assert contrast(s.colour, text_colour_on(s.colour)) >= 4.5, s.name
    assert text_colour_on("C00000") == "FFFFFF" and text_colour_on("FFC000") == "000000"


# ------------------------------------------------------------------- theme summary


def test_theme_summary_has_counts_movement_chart_achievements_and_issues(pack):
    files, _ = pack
    text = texts(files["theme-summary"])
    assert "Since the previous period:" in text
    assert "1 worsened" in text and "2 new" in text
    assert "Consultation ran late." in text  # Amber exception reason
    assert "Supplier availability." in text  # Red exception reason
    assert "CO.E1.5" in text  # completed 01/09/2023, in the period
    d = docx.Document(files["theme-summary"])
    headings = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Decision Making") in headings  # every theme, even with no actions
    assert headings.count(("Heading 2", "Progress issues")) == len(D.THEMES)


def test_theme_summary_charts_carry_alt_text_stating_the_counts(pack):
    files, _ = pack
    with zipfile.ZipFile(files["theme-summary"]) as zf:
        xml = zf.read("word/document.xml").decode()
    descrs = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    assert len(descrs) == len(D.THEMES)
    sd = next(d for d in descrs if "Strategic Direction" in d)
    assert "2 Green" in sd and "1 Amber" in sd and "0 Red" in sd


# --------------------------------------------------------------------- statutory


def test_statutory_appendix_groups_linked_actions_by_theme_with_milestones(pack):
    files, _ = pack
    d = docx.Document(files["statutory-recommendations"])
    heads = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert heads[0] == ("Heading 1", "S1")
    assert ("Heading 2", "Strategic Direction") in heads and ("Heading 3", "Milestones") in heads
    text = texts(files["statutory-recommendations"])
    assert "Take effective corporate grip." in text
    for ref in ("SD.D1.3", "SD.D1.3.1", "SD.D1.4", "CO.G1.5"):
        assert ref in text
    assert "PC.A5.3" not in text  # linked to GT-I1, not S1
    assert "MTFS refreshed" in text and "Complete (30/09/2023)" in text
    assert "No actions in this theme." in text


# ----------------------------------------------------------------------- responses


def test_responses_appendix_groups_by_review_and_area(pack):
    files, _ = pack
    d = docx.Document(files["review-responses"])
    heads = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert heads == [
        ("Heading 1", "Grant Thornton VFM Governance Review 2021"),
        ("Heading 2", "Corporate grip"),
        ("Heading 1", "Grant Thornton follow-up 2022"),
        ("Heading 2", "Commercial Strategy"),
    ]
    rows = [data_rows(t) for t in d.tables]
    # As seed 000: a row per answering action, each with its own update and lead; the
    # number repeats, the recommendation text stands on the first row.
    s1 = rows[0]
    assert [r[0][0] for r in s1] == ["S1", "S1", "S1"]
    assert [r[2][0] for r in s1] == ["SD.D1.3", "CO.G1.5", "SD.D1.4 New"]
    assert s1[0][1][0] and s1[1][1][0] == "" and s1[2][1][0] == ""
    assert s1[0][3][0] == "On track." and s1[1][3][0] == "Delayed by consultation."
    assert s1[2][2][1] == {"C00000"} and s1[0][2][1] <= {None, "auto", "000000"}
    assert [r[4][0] for r in s1] == ["Director of Finance", "Director of Finance", "Director of Finance"]
    gt = rows[1][0]
    assert gt[1][0] == " ".join(TRICKY.split())
    assert gt[2][0] == "Commentary" and gt[3][0] == "Agreed."


# ------------------------------------------------------------------------ changes


def test_changes_appendix_has_summary_sentences_log_and_status_moves(pack):
    files, _ = pack
    d = docx.Document(files["changes"])
    bullets = [p.text for p in d.paragraphs if p.style.name == "List Bullet"]
    assert any("sub-action has been added" in b for b in bullets), bullets
    text = texts(files["changes"])
    assert "Star chamber meetings" in text and "Leadership Team 12/09/2023" in text
    moves = data_rows(d.tables[1])
    assert [c[0] for c in moves[0]][:4] == ["CO.G1.5", "Deliver CO.G1.5", "Green", "Amber"]
    assert moves[0][4][0].startswith("Worsened")


def test_changes_appendix_without_a_previous_workbook_says_so(tmp_path):
    wb = write_workbook(tmp_path / "plan.xlsx", tricky_plan())
    out = render_appendices(wb, out_dir=tmp_path / "out", only="changes")
    assert "no previous workbook was given" in texts(out[0])


# -------------------------------------------------------------------- risk register


def test_risk_register_shows_scores_ratings_targets_and_direction(pack):
    files, _ = pack
    d = docx.Document(files["risk-register"])
    rows = data_rows(d.tables[1])
    ip1, ip2 = rows
    assert [c[0] for c in ip1][:7] == [
        "IP1",
        "Resources for delivery Cause: Capacity Consequence: Slippage",
        "Chief Executive",
        "3",
        "4",
        "12",
        "Amber",
    ]
    assert ip1[6][2] == "FFC000" and ip2[6][0] == "Red" and ip2[6][2] == "C00000"
    assert ip2[6][1] == {"FFFFFF"}
    assert ip1[8][0] == "2 × 3 = 6 (Amber)" and ip1[9][0] == "Improving"


# -------------------------------------------------------------------- robustness


def test_empty_sheets_render_with_plain_sentences(tmp_path):
    plan = clean_plan()
    plan["actions"] = []
    for key in ("milestones", "recommendations", "changes", "risks"):
        plan[key] = []
    wb = write_workbook(tmp_path / "empty.xlsx", plan)
    pack = render_appendices(wb, out_dir=tmp_path / "out")
    assert pack.ok, pack.problems
    assert "There are no open actions in the plan." in texts(pack[0])
    assert "The risk register has no risks." in texts(pack[-1])


def test_existing_output_is_not_overwritten_without_force(tmp_path):
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    out = tmp_path / "out"
    out.mkdir()
    (out / "changes.docx").write_text("keep me")
    with pytest.raises(OutputExists, match=r"changes\.docx already exists.*--force"):
        render_appendices(wb, out_dir=out)
    assert (out / "changes.docx").read_text() == "keep me"
    assert not (out / "monitoring-tool.docx").exists()  # nothing written at all
    render_appendices(wb, out_dir=out, force=True)
    assert zipfile.is_zipfile(out / "changes.docx")


def _broken_templates(tmp_path: Path, old: str, new: str) -> Path:
    templates = tmp_path / "templates"
    shutil.copytree(report_templates_dir(), templates, ignore=shutil.ignore_patterns("*.py"))
    path = templates / "monitoring-tool.docx"
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    xml = parts["word/document.xml"].decode()
    assert old in xml
    parts["word/document.xml"] = xml.replace(old, new, 1).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    return templates


def test_a_misspelt_tag_names_the_template_and_the_tag(tmp_path):
    templates = _broken_templates(tmp_path, "{{ t.sentence }}", "{{ t.sentense }}")
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    with pytest.raises(TemplateError) as err:
        render_appendices(wb, out_dir=tmp_path / "out", only="monitoring-tool", templates_dir=templates)
    msg = str(err.value)
    assert "monitoring-tool.docx" in msg and "{{ t.sentense }}" in msg
    assert "\n" not in msg


def test_a_broken_tag_names_the_template_and_the_tag(tmp_path):
    templates = _broken_templates(tmp_path, "{%p endfor %}", "{%p endfro %}")
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    with pytest.raises(TemplateError) as err:
        render_appendices(wb, out_dir=tmp_path / "out", only="monitoring-tool", templates_dir=templates)
    msg = str(err.value)
    assert "monitoring-tool.docx" in msg and "at the tag {% endfro %}" in msg


def test_a_missing_template_is_named(tmp_path):
    templates = tmp_path / "none"
    templates.mkdir()
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    with pytest.raises(TemplateError, match=r"Template risk-register.docx is missing"):
        render_appendices(wb, out_dir=tmp_path / "out", only="risk-register", templates_dir=templates)


def test_committed_templates_are_what_the_build_script_makes(tmp_path):
    script = Path(__file__).resolve().parents[1] / "report_templates" / "build_templates.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    for name in APPENDICES:
        assert (tmp_path / f"{name}.docx").read_bytes() == (report_templates_dir() / f"{name}.docx").read_bytes(), name


# ------------------------------------------------------------- accessibility check


def test_accessibility_check_finds_each_kind_of_problem(tmp_path):
    d = docx.Document()
    d.core_properties.title = ""
    d.core_properties.language = ""
    d.add_heading("Skipped", level=2)
    t = d.add_table(rows=2, cols=2)
    t.cell(1, 0).merge(t.cell(1, 1))
    shd = d.add_table(rows=2, cols=1)
    tc_pr = shd.cell(1, 0)._tc.get_or_add_tcPr()
    el = tc_pr.makeelement(qn("w:shd"), {qn("w:val"): "clear", qn("w:fill"): "00B050"})
    tc_pr.append(el)
    path = tmp_path / "bad.docx"
    d.save(path)
    problems = " | ".join(check_docx(path))
    assert "first row is not set to repeat" in problems
    assert "merged cells" in problems
    assert "shaded cell(s) with no text" in problems
    assert "Heading 2 'Skipped' follows the start of the document" in problems
    assert "no title" in problems


# ---------------------------------------------------------------------------- CLI


def test_cli_writes_the_pack_and_refuses_to_overwrite(tmp_path):
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(main, ["appendices", str(wb), "--out", str(out), "--only", "changes,risk-register"])
    assert result.exit_code == 0, result.output
    assert "6" not in result.output.splitlines()[-1] and "passed the accessibility check" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["changes.docx", "risk-register.docx"]
    again = runner.invoke(main, ["appendices", str(wb), "--out", str(out), "--only", "changes"])
    assert again.exit_code == 2
    assert "already exists; choose another --out folder or add --force" in again.output


def test_cli_rejects_an_unknown_appendix_name(tmp_path):
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    result = CliRunner().invoke(main, ["appendices", str(wb), "--out", str(tmp_path), "--only", "minutes"])
    assert result.exit_code == 2
    assert "No appendix called 'minutes'" in result.output


# ---------------------------------------------------------------------------- PDF


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_each_appendix_converts_to_pdf_with_the_expected_refs(pack, tmp_path):
    from pypdf import PdfReader

    files, _ = pack
    pdfs = to_pdf(list(files.values()), out_dir=tmp_path)
    expected = {
        "monitoring-tool": ["OC.E2.8", "SD.D1.3.1", "PC.A5.3", "New"],
        "theme-summary": ["CO.G1.5", "PC.A5.3", "Decision Making"],
        "statutory-recommendations": ["S1", "SD.D1.3", "MTFS refreshed"],
        "review-responses": ["GT-I1", "SD.D1.4"],
        "changes": ["SD.D1.3.1", "Star chamber meetings"],
        "risk-register": ["IP1", "IP2"],
    }
    for pdf in pdfs:
        text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
        for ref in expected[pdf.stem]:
            assert ref in text, (pdf.name, ref)
    mt = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "monitoring-tool.pdf").pages)
    assert "{{ x }}" in mt and "Tom & Jerry" in mt


def test_pdf_without_libreoffice_says_so_plainly_after_writing_the_word_files(tmp_path, monkeypatch):
    import ipxl.pack.pdf as A

    monkeypatch.setattr(A.shutil, "which", lambda name: None)
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    result = CliRunner().invoke(
        main, ["appendices", str(wb), "--out", str(tmp_path / "out"), "--only", "changes", "--pdf"]
    )
    assert result.exit_code == 2
    assert "Wrote " in result.output and "changes.docx" in result.output
    assert "LibreOffice is not installed, so no PDFs were made" in result.output
    assert not (tmp_path / "out" / "changes.pdf").exists()


def test_timescale_values_in_the_change_log_are_uk_dates(tmp_path):
    plan = clean_plan()
    plan["changes"].append(
        {
            "date": dt.date(2023, 9, 19),
            "ref": "PC.A5.3",
            "change_type": "Timescale change",
            "old_value": "2023-09-30",
            "new_value": "2023-11-30",
            "reason": "Supplier",
            "approved_by": "Leadership Team 19/09/2023",
        }
    )
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    out = render_appendices(wb, out_dir=tmp_path / "out", only="changes")
    assert "30/09/2023" in texts(out[0]) and "2023-09-30" not in texts(out[0])
