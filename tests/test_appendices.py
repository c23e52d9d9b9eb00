"""The committee pack: render it from hand-built workbooks, reopen each .docx and check
what a committee clerk (and a screen reader) would see."""

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
from builders import action, appendix, clean_plan, write_workbook
from click.testing import CliRunner
from docx.oxml.ns import qn

from ipxl import defaults as D
from ipxl.checks.validation import validate
from ipxl.cli import main
from ipxl.colour import contrast, text_colour_on
from ipxl.errors import OutputExists, TemplateError
from ipxl.pack import APPENDICES, render_appendices
from ipxl.pack.accessibility import check_docx
from ipxl.resources import report_templates_dir

TRICKY = "Tom & Jerry <b>bold</b> \"quoted\" 'single' {{ x }} {% if %}"
NEW_REFS = {"SD.D1.3.1", "SD.D1.4"}
#: A pack of every kind ipxl builds, each unfiltered, numbered 1-7.
EVERY_KIND = [
    appendix("1", "Monitoring tool"),
    appendix("2", "Theme summary"),
    appendix("3", "Statutory recommendations"),
    appendix("4", "Review responses"),
    appendix("5", "Changes"),
    appendix("6", "Risk register"),
    appendix("7", "Progress over time"),
    appendix("8", "Best Value themes"),
]


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


def previous_of(plan: dict) -> dict:
    prev_plan = tricky_plan()
    prev_plan["actions"] = [a for a in prev_plan["actions"] if a["ref"] not in NEW_REFS]
    was = next(a for a in prev_plan["actions"] if a["ref"] == "CO.G1.5")
    was["status"], was["exception_reason"] = "Green", None  # CO.G1.5 was Green, now Amber
    return prev_plan


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """Every kind of appendix, unfiltered (the Appendices sheet lists them 1-6), and
    the covering report."""
    tmp = tmp_path_factory.mktemp("pack")
    plan = tricky_plan()
    plan["appendices"] = EVERY_KIND
    wb = write_workbook(tmp / "plan.xlsx", plan)
    prev = write_workbook(tmp / "prev.xlsx", previous_of(plan))
    written = render_appendices(wb, prev, out_dir=tmp / "out")
    # the committee reports are one a meeting: "report" is the last, the Audit Committee's
    return {p.kind: p.path for p in written.papers}, written


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
    """(cells' text, set of run colours per cell, fill) for each row after the header."""
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


def headings(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(path).paragraphs if p.style.name.startswith("Heading")]


# ------------------------------------------------------------------ every appendix


def test_every_paper_is_written_and_passes_the_accessibility_check(pack):
    files, written = pack
    assert [p.kind for p in written.papers] == ["report", "report", *APPENDICES]
    assert all(problems == [] for problems in written.problems.values()), written.problems
    assert written.notes == [] and written.ok
    for path in files.values():
        assert check_docx(path) == []


def test_file_names_and_titles_carry_the_appendix_number_and_the_period(pack):
    files, _ = pack
    assert files["monitoring-tool"].name == "Appendix 1 - Improvement Plan Monitoring Tool October 2023.docx"
    assert files["report"].name == "Improvement Plan Progress - Audit Committee 21 November 2023.docx"
    d = docx.Document(files["changes"])
    assert d.core_properties.title == "Appendix 5: Changes to the Improvement Plan October 2023"
    assert d.core_properties.language == "en-GB"
    assert d.paragraphs[0].style.name == "Title"
    # the first line says which appendix it is, as the council's own appendices do; a
    # no-break space keeps the period whole when the title wraps ("2023" never alone)
    assert d.paragraphs[0].text == "Appendix 5 – Changes to the Improvement Plan October\xa02023"
    assert d.sections[0].header.paragraphs[0].text == "Sandwell Metropolitan Borough Council"
    footer = d.sections[0].footer._element.xml
    assert "Appendix 5 · Page " in docx.Document(files["changes"]).sections[0].footer.paragraphs[0].text
    assert 'w:instr=" PAGE "' in footer and 'w:instr=" NUMPAGES "' in footer


def test_the_longest_papers_are_written_first_for_libreoffice_and_listed_in_pack_order(tmp_path):
    # LibreOffice converts each paper as it is written: the ones that take it longest
    # (charts, the monitoring tool) go first, so the last to convert is a short one.
    from ipxl.resources import previous_sample_path, sample_path

    for src in (sample_path(), previous_sample_path()):
        shutil.copy(src, tmp_path)
    seen: list[Path] = []
    pack = render_appendices(tmp_path / sample_path().name, out_dir=tmp_path / "out", only="1,2,4,6", cover=False,
                             on_written=seen.append)  # fmt: skip
    assert [p.name[:10] for p in seen] == ["Appendix 2", "Appendix 1", "Appendix 6", "Appendix 4"]
    assert [p.name[:10] for p in pack] == ["Appendix 1", "Appendix 2", "Appendix 4", "Appendix 6"]


def test_the_default_pack_follows_the_committee_reports_list(tmp_path):
    wb = write_workbook(tmp_path / "plan.xlsx", tricky_plan())  # no Appendices sheet
    written = render_appendices(wb, out_dir=tmp_path / "out")
    names = [p.path.name for p in written.papers]
    assert names == [
        "Improvement Plan Progress - Cabinet 20 November 2023.docx",
        "Improvement Plan Progress - Audit Committee 21 November 2023.docx",
        "Appendix 1 - Improvement Plan Monitoring Tool October 2023.docx",
        "Appendix 2 - Improvement Plan Theme Summary October 2023.docx",
        "Appendix 3 - Statutory Recommendations Reporting October 2023.docx",
        "Appendix 4 - Scrutiny and Audit Recommendations Reporting October 2023.docx",
        "Appendix 5 - Changes to the Improvement Plan October 2023.docx",
        "Appendix 6 - Improvement Plan Risk Register October 2023.docx",
    ]
    # Appendix 7 is the governance diagram, a file the officer supplies: the pack says so.
    assert len(written.notes) == 1 and "Appendix 7 (Improvement Plan Governance Diagram)" in written.notes[0]
    assert not written.ok


def test_a_custom_appendices_table_numbers_titles_and_filters_the_pack(tmp_path):
    plan = tricky_plan()
    plan["appendices"] = [
        appendix("A", "Risk register", "Risks to the {plan}, {period}"),
        appendix("B", "monitoring tool", "Strategic Direction actions", "Theme: Strategic"),
    ]
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    written = render_appendices(wb, out_dir=tmp_path / "out")
    by_kind = {p.kind: p.path for p in written.papers}
    assert by_kind["risk-register"].name == "Appendix A - Risks to the Improvement Plan, October 2023.docx"
    tool = by_kind["monitoring-tool"]
    assert tool.name == "Appendix B - Strategic Direction actions.docx"
    assert [h for s, h in headings(tool) if s == "Heading 1"] == ["Status key", "Strategic Direction"]
    cover = texts(by_kind["report"])
    assert "A. Risks to the Improvement Plan, October 2023" in cover and "B. Strategic Direction actions" in cover
    assert "attached as Appendix A" in cover


def test_every_table_row_keeps_together_and_its_header_row_repeats_and_no_cell_is_merged(pack):
    files, _ = pack
    for path in files.values():
        d = docx.Document(path)
        for table in d.tables:
            rows = table._tbl.tr_lst
            assert rows[0].trPr.find(qn("w:tblHeader")) is not None
            assert all(r.trPr is not None and r.trPr.find(qn("w:cantSplit")) is not None for r in rows), path.name
            xml = table._tbl.xml
            assert "w:vMerge" not in xml and "w:hMerge" not in xml
            assert not re.search(r'w:gridSpan w:val="[2-9]', xml)


def test_headings_and_the_sentences_before_tables_keep_with_what_follows(pack):
    files, _ = pack
    d = docx.Document(files["theme-summary"])
    for level in (1, 2, 3):
        assert d.styles[f"Heading {level}"].paragraph_format.keep_with_next
    body = d.element.body
    for tbl in body.iter(qn("w:tbl")):
        before = tbl.getprevious()
        if before is not None and before.tag == qn("w:p"):
            assert before.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None or "Heading" in (
                before.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val"))
            )


def test_a_sections_short_opening_keeps_with_its_first_subsection_so_no_heading_ends_a_page_alone(tmp_path):
    from ipxl.pack.model import Column, Document, Paragraph, Row, Section, Table, Text
    from ipxl.pack.word import render

    table = Table("Measures", "", (Column("Ref", 1), Column("Measure", 3)), [Row((Text.of("M10"), Text.of("Calls")))])
    long_opening = [Paragraph.of(f"Sentence {n}.") for n in range(4)]
    doc = Document("best-value", "8", "Best Value Themes", "Council", "October 2023", False, [
        Section("Continuous Improvement", [Paragraph.of("14 actions."), Paragraph.of("Confidence."),
                                           Section("Measures of impact", [table])]),
        Section("Governance", [*long_opening, Section("Measures of impact", [table])]),
    ])  # fmt: skip
    path = render(doc, report_templates_dir() / "appendix.docx", tmp_path / "a.docx")
    keeps = {p.text: p.paragraph_format.keep_with_next for p in docx.Document(path).paragraphs}
    assert keeps["14 actions."] and keeps["Confidence."]
    # an opening longer than a few sentences may end a page: kept whole it could leave
    # most of one empty
    assert keeps["Sentence 2."] and not keeps["Sentence 3."]


def test_a_lists_last_point_never_starts_a_page_alone(tmp_path):
    from ipxl.pack.model import Document, Paragraph, Section
    from ipxl.pack.word import render

    points = [Paragraph.of(f"Point {n}.", kind="bullet") for n in range(1, 6)]
    doc = Document("cover", "", "Report", "Council", "October 2023", False,
                   [Section("Risks", [Paragraph.of("The main risks:", kind="lead"), *points, Paragraph.of("After.")])])  # fmt: skip
    path = render(doc, report_templates_dir() / "appendix.docx", tmp_path / "a.docx")
    keeps = {p.text: p.paragraph_format.keep_with_next for p in docx.Document(path).paragraphs}
    # the first point stays with the second, the fourth with the fifth; the middle may break
    assert [bool(keeps[f"Point {n}."]) for n in range(1, 6)] == [True, False, False, True, False]


def test_text_is_at_least_10_point_in_tables_and_11_point_in_the_body(pack):
    files, _ = pack
    d = docx.Document(files["monitoring-tool"])
    assert d.styles["Table Text"].font.size.pt >= 10
    assert (d.styles["Table Heading"].font.size or d.styles["Table Heading"].base_style.font.size).pt >= 10
    assert d.styles["Normal"].font.size.pt >= 11
    # no run sets a smaller size of its own
    sizes = [int(s.get(qn("w:val"))) / 2 for s in d.element.body.iter(qn("w:sz"))]
    assert all(size >= 10 for size in sizes)


def test_wide_appendices_are_landscape(pack):
    files, _ = pack
    for name in ("monitoring-tool", "review-responses", "changes", "risk-register"):
        s = docx.Document(files[name]).sections[0]
        assert s.page_width > s.page_height, name
    s = docx.Document(files["theme-summary"]).sections[0]
    assert s.page_width < s.page_height


# ------------------------------------------------------------------ monitoring tool


def test_monitoring_tool_lists_every_open_action_by_theme(pack):
    files, _ = pack
    d = docx.Document(files["monitoring-tool"])
    assert [h for s, h in headings(files["monitoring-tool"]) if s == "Heading 1"] == [
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
    assert "Since the last report:" in text
    assert "1 worsened" in text and "2 new" in text
    assert "Consultation ran late." in text  # Amber exception reason
    assert "Supplier availability." in text  # Red exception reason
    assert "CO.E1.5" in text  # completed 01/09/2023, in the period
    found = headings(files["theme-summary"])
    assert ("Heading 1", "Decision Making") in found  # every theme, even with no actions
    assert found.count(("Heading 2", "Progress issues")) == len(D.THEMES)


def test_theme_summary_charts_are_native_charts_with_the_counts_and_alt_text(pack):
    files, _ = pack
    from ipxl.analysis.rollup import rollup

    with zipfile.ZipFile(files["theme-summary"]) as zf:
        names = zf.namelist()
        xml = zf.read("word/document.xml").decode()
        charts = sorted(n for n in names if re.fullmatch(r"word/charts/chart\d+\.xml", n))
        chart_xml = {n: zf.read(n).decode() for n in charts}
        embedded = [n for n in names if n.startswith("word/embeddings/") and n.endswith(".xlsx")]
        types = zf.read("[Content_Types].xml").decode()
    assert len(charts) == len(D.THEMES) and len(embedded) == len(D.THEMES)
    assert "application/vnd.openxmlformats-officedocument.drawingml.chart+xml" in types
    assert "wp:docPr" in xml and 'uri="http://schemas.openxmlformats.org/drawingml/2006/chart"' in xml
    descrs = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    assert len(descrs) == len(D.THEMES)
    sd = next(d for d in descrs if "Strategic Direction" in d)
    assert "2 Green" in sd and "1 Amber" in sd and "0 Red" in sd
    assert sd.count("Strategic Direction") == 1  # stated once, not title plus description
    # the cached values are the roll-up's counts, in Lists order
    counts = rollup(files["theme-summary"].parent.parent / "plan.xlsx").by_theme
    statuses = [s.name for s in D.STATUSES]
    for n, theme in zip(charts, D.THEMES.values()):
        cache = re.search(r"<c:numCache>(.*?)</c:numCache>", chart_xml[n], re.S).group(1)
        cached = [int(v) for v in re.findall(r"<c:v>(\d+)</c:v>", cache)]
        assert cached == [int(counts.at[theme, s]) for s in statuses], theme
        labels = [int(x) for x in re.findall(r'<a:defRPr sz="(\d+)"', chart_xml[n])]
        assert labels and min(labels) >= 1000  # 10 pt or more


def test_each_chart_keeps_with_its_theme_heading_and_the_first_rows_of_its_table_of_the_same_numbers(pack):
    files, _ = pack
    body = docx.Document(files["theme-summary"]).element.body
    kept = f"{qn('w:pPr')}/{qn('w:keepNext')}"
    for drawing in body.iter(qn("w:drawing")):
        p = drawing.getparent().getparent()
        assert p.find(kept) is not None
        table = p.getnext()
        assert table.tag == qn("w:tbl")
        # the theme's heading and its opening sentences go with the chart, never left
        # at the foot of a page
        before = p.getprevious()
        while before is not None and before.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is None:
            assert before.find(kept) is not None
            before = before.getprevious()
        assert before is not None and "Heading" in before.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val"))
        # its table may go on over the page (header repeated), so that the chart, its
        # heading and its table never need more than a third of a page together
        rows = table.findall(qn("w:tr"))
        assert all(r.find(f".//{qn('w:keepNext')}") is None for r in rows[1:])


# --------------------------------------------------------------------- statutory


def test_statutory_appendix_groups_linked_actions_by_theme_with_milestones(pack):
    files, _ = pack
    found = headings(files["statutory-recommendations"])
    # named as the council names them, with a section per theme that has actions
    assert found == [
        ("Heading 1", "Statutory Recommendation 1"),
        ("Heading 2", "Corporate Oversight"),
        ("Heading 2", "Strategic Direction"),
    ]
    text = " ".join(texts(files["statutory-recommendations"]).split())
    assert "Take effective corporate grip." in text
    for ref in ("SD.D1.3", "SD.D1.3.1", "SD.D1.4", "CO.G1.5"):
        assert ref in text
    assert "PC.A5.3" not in text  # linked to GT-I1, not S1
    # each theme's progress in words: its workstreams' updates
    assert "Medium-Term Financial Planning" in text and "Delayed by consultation. (CO.G1.5)" in text
    assert "MTFS refreshed" in text and "Complete (30/09/2023)" in text
    # the themes with no actions in one sentence, not a line each, before the themes it
    # has (after the last theme's table it would read as part of that theme)
    assert text.count("has no actions in") == 1
    none = "It has no actions in the Organisational Culture, Decision Making, Procurement and Commercial and "
    assert none in text and text.index(none) < text.index("Medium-Term Financial Planning")
    milestones = [t for t in docx.Document(files["statutory-recommendations"]).tables if "milestones" in t._tbl.xml]
    words = {row[3][0].split(" (")[0] for t in milestones for row in data_rows(t)}
    assert words <= set(D.MILESTONE_STATUSES)  # the Lists' words, one vocabulary


# ----------------------------------------------------------------------- responses


def test_responses_appendix_groups_by_review_and_area_and_leaves_statutory_ones_to_their_own(pack):
    files, _ = pack
    assert headings(files["review-responses"]) == [
        ("Heading 1", "Grant Thornton follow-up 2022"),
        ("Heading 2", "Commercial Strategy"),
    ]
    text = texts(files["review-responses"])
    assert "The statutory recommendations are reported in Appendix 3." in text
    gt = data_rows(docx.Document(files["review-responses"]).tables[0])[0]
    assert gt[0][0] == "GT-I1" and gt[1][0] == " ".join(TRICKY.split())
    # PC.A5.3 names GT-I1 among its Recommendations: its status and update are the row's
    assert gt[2][0] == "Red" and gt[3][0] == "Agreed. PC.A5.3: Supplier demos delayed."


def test_each_recommendation_is_one_row_with_its_status_and_every_answering_actions_update(tmp_path):
    plan = tricky_plan()
    plan["appendices"] = [appendix("1", "Review responses")]
    written = render_appendices(write_workbook(tmp_path / "plan.xlsx", plan), out_dir=tmp_path / "out")
    path = next(p.path for p in written.papers if p.kind == "review-responses")
    rows = [data_rows(t) for t in docx.Document(path).tables]
    (s1,) = rows[0]  # one row, its text once
    assert s1[0][0] == "S1" and s1[1][0] == "Take effective corporate grip."
    # the least good of its open actions (Green, Amber, Amber)
    assert s1[2][0] == "Amber" and s1[2][2] == "FFC000"
    assert s1[3][0] == (
        "Accepted. SD.D1.3: On track. CO.G1.5: Delayed by consultation. SD.D1.4 (New): "
        + " ".join(("Line one Line two " * 200).split())
        + " SD.D1.3.1 (New): "  # a sub-action answers what its parent answers
        + " ".join(TRICKY.split())
    )


def test_the_scrutiny_and_audit_appendix_keeps_the_recommendations_its_filter_names(tmp_path):
    plan = tricky_plan()
    plan["recommendations"].append(
        {"rec_id": "GT-SC1", "review": "Grant Thornton VFM Governance Review 2021", "category": "Improvement",
         "kloe_ref": None, "area": "Scrutiny", "recommendation": "Review scrutiny.", "response": "Done.",
         "action_refs": "SD.D1.3", "lead": "Director of Law and Governance"}
    )  # fmt: skip
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    written = render_appendices(wb, out_dir=tmp_path / "out", only="4")
    path = written.papers[0].path
    assert path.name == "Appendix 4 - Scrutiny and Audit Recommendations Reporting October 2023.docx"
    text = texts(path)
    assert "Review scrutiny." in text and "GT-SC1" in text
    assert "GT-I1" not in text and "Take effective corporate grip." not in text


# ------------------------------------------------------------------------ changes


def test_changes_appendix_has_summary_sentences_log_and_status_moves(pack):
    files, _ = pack
    d = docx.Document(files["changes"])
    bullets = [p.text for p in d.paragraphs if p.style.name == "List Bullet"]
    assert any("sub-action has been added" in b for b in bullets), bullets
    text = texts(files["changes"])
    assert "Star chamber meetings" in text and "Leadership Team 12/09/2023" in text
    assert "in the monitoring tool (Appendix 1)" in text
    moves = data_rows(d.tables[1])
    assert [c[0] for c in moves[0]][:4] == ["CO.G1.5", "Deliver CO.G1.5", "Green", "Amber"]
    assert moves[0][4][0].startswith("Worsened")


def test_changes_appendix_without_a_previous_workbook_sums_up_the_change_log(tmp_path):
    wb = write_workbook(tmp_path / "plan.xlsx", tricky_plan())
    out = render_appendices(wb, out_dir=tmp_path / "out", only="changes")
    d = docx.Document(out[0])
    bullets = [p.text for p in d.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["1 sub-action has been added (marked in red within the plan)"]
    assert [h for s, h in headings(out[0])] == ["Summary of changes", "Change log"]  # no status moves to show
    assert "previous workbook" not in texts(out[0])


# -------------------------------------------------------------------- risk register


def test_risk_register_shows_scores_ratings_targets_and_direction(pack):
    files, _ = pack
    d = docx.Document(files["risk-register"])
    ip1, ip2 = data_rows(d.tables[1])
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


def test_numbers_sit_right_in_word_as_on_the_web_pages(pack):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    files, _ = pack
    table = docx.Document(files["risk-register"]).tables[1]
    header = [c.text for c in table.rows[0].cells]
    for row in table.rows[1:]:
        for name, cell in zip(header, row.cells):
            right = cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
            assert right == (name in ("Likelihood", "Impact", "Score")), (name, cell.text)


# ----------------------------------------------------------- supplied appendices


def test_a_supplied_picture_becomes_its_appendix_with_its_alt_text(tmp_path):
    from PIL import Image

    Image.new("RGB", (400, 200), "white").save(tmp_path / "governance.png")
    plan = tricky_plan()
    plan["appendices"] = [appendix("7", "Supplied file", "{plan} Governance Diagram", file="governance.png",
                                   alt_text="How reports flow from Leadership Team to Cabinet.")]  # fmt: skip
    written = render_appendices(write_workbook(tmp_path / "plan.xlsx", plan), out_dir=tmp_path / "out")
    path = next(p.path for p in written.papers if p.kind == "supplied")
    assert path.name == "Appendix 7 - Improvement Plan Governance Diagram.docx"
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert (
        'descr="How reports flow from Leadership Team to Cabinet."' in xml
        and "title=" not in xml.split("<wp:docPr")[1].split("/>")[0]
    )
    assert written.ok and check_docx(path) == []


def test_a_supplied_word_file_is_copied_into_the_pack_under_its_number(tmp_path):
    d = docx.Document()
    d.add_paragraph("Our governance framework")
    d.save(tmp_path / "framework.docx")
    plan = tricky_plan()
    plan["appendices"] = [appendix("7", "Supplied file", "Governance Diagram", file="framework.docx")]
    written = render_appendices(write_workbook(tmp_path / "plan.xlsx", plan), out_dir=tmp_path / "out")
    assert (tmp_path / "out" / "Appendix 7 - Governance Diagram.docx").read_bytes() == (
        tmp_path / "framework.docx"
    ).read_bytes()
    assert written.ok


def test_a_missing_supplied_file_is_named_and_fails_the_command(tmp_path):
    plan = tricky_plan()
    plan["appendices"] = [appendix("1", "Monitoring tool"), appendix("7", "Supplied file", file="missing.pdf")]
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    result = CliRunner().invoke(main, ["appendices", str(wb), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "Note: Appendix 7 (Improvement Plan Governance Diagram) was not made: missing.pdf is not in" in result.output


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("diagram.png", b"RIFF\x24\x00\x00\x00WEBPVP8 "),  # a WebP picture renamed .png
        ("diagram.jpg", b""),  # an empty file
        ("framework.docx", b"junk"),
        ("framework.pdf", b"<html>not a pdf</html>"),
    ],
)
def test_a_supplied_file_that_is_not_what_its_name_says_is_an_error_and_never_a_traceback(tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    plan = tricky_plan()
    plan["appendices"] = [appendix("1", "Monitoring tool"),
                          appendix("7", "Supplied file", "Governance Diagram", file=name, alt_text="Our governance.")]  # fmt: skip
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    found = [f for f in validate(wb) if f.code == "appendix-file-unreadable"]
    assert len(found) == 1 and found[0].severity == "error" and name in found[0].message
    # a draft is made all the same, without that appendix, and says why
    result = CliRunner().invoke(main, ["appendices", str(wb), "--out", str(tmp_path / "out"), "--draft"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Appendix 7 (Governance Diagram) was not made: {name} is not " in result.output
    assert not list((tmp_path / "out").glob("Appendix 7*"))


def test_a_filter_on_a_supplied_file_says_it_takes_none_in_plain_words(tmp_path):
    plan = tricky_plan()
    plan["appendices"] = [appendix("7", "Supplied file", "Governance Diagram", filter="Area: Scrutiny")]
    found = [f for f in validate(write_workbook(tmp_path / "plan.xlsx", plan)) if f.code == "invalid-filter"]
    assert [f.message for f in found] == ["A Supplied file appendix takes no Filter (found 'Area: Scrutiny')."]
    assert found[0].suggestion == "Clear the Filter cell."


def test_an_svg_picture_is_a_file_type_the_pack_cannot_take(tmp_path):
    (tmp_path / "diagram.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')
    plan = tricky_plan()
    plan["appendices"] = [appendix("7", "Supplied file", "Governance Diagram", file="diagram.svg", alt_text="Ours.")]
    found = [f for f in validate(write_workbook(tmp_path / "plan.xlsx", plan)) if f.code == "appendix-file-type"]
    assert len(found) == 1 and found[0].suggestion == "Supply a .docx, .pdf, .png, .jpg or .gif file."


# -------------------------------------------------------------------- robustness


def test_empty_sheets_render_with_plain_sentences(tmp_path):
    plan = clean_plan()
    plan["actions"] = []
    for key in ("milestones", "recommendations", "changes", "risks"):
        plan[key] = []
    plan["appendices"] = EVERY_KIND
    wb = write_workbook(tmp_path / "empty.xlsx", plan)
    pack = render_appendices(wb, out_dir=tmp_path / "out")
    assert pack.ok, pack.problems
    by_kind = {p.kind: p.path for p in pack.papers}
    assert "There are no open actions in the plan." in texts(by_kind["monitoring-tool"])
    assert "The risk register has no risks." in texts(by_kind["risk-register"])
    assert "the plan had no actions still open." in texts(by_kind["report"])


def test_existing_output_is_not_overwritten_without_force(tmp_path):
    plan = clean_plan()
    plan["appendices"] = EVERY_KIND
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    out = tmp_path / "out"
    out.mkdir()
    (out / "Appendix 5 - Changes to the Improvement Plan October 2023.docx").write_text("keep me")
    with pytest.raises(
        OutputExists, match=r"Appendix 5 - Changes to the Improvement Plan October 2023\.docx already exists.*--force"
    ):
        render_appendices(wb, out_dir=out)
    assert (out / "Appendix 5 - Changes to the Improvement Plan October 2023.docx").read_text() == "keep me"
    assert sorted(p.name for p in out.iterdir()) == [
        "Appendix 5 - Changes to the Improvement Plan October 2023.docx"
    ]  # nothing else written
    render_appendices(wb, out_dir=out, force=True)
    assert zipfile.is_zipfile(out / "Appendix 5 - Changes to the Improvement Plan October 2023.docx")


def _broken_templates(tmp_path: Path, old: str, new: str) -> Path:
    templates = tmp_path / "templates"
    shutil.copytree(report_templates_dir(), templates, ignore=shutil.ignore_patterns("*.py"))
    path = templates / "appendix.docx"
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
    templates = _broken_templates(tmp_path, "{{ title }}", "{{ titel }}")
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    with pytest.raises(TemplateError) as err:
        render_appendices(wb, out_dir=tmp_path / "out", only="monitoring-tool", templates_dir=templates)
    msg = str(err.value)
    assert "appendix.docx" in msg and "{{ titel }}" in msg
    assert "\n" not in msg


def test_a_broken_tag_names_the_template_and_the_tag(tmp_path):
    templates = _broken_templates(tmp_path, "{{ title }}", "{% if title %}{{ title }}")
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    with pytest.raises(TemplateError) as err:
        render_appendices(wb, out_dir=tmp_path / "out", only="monitoring-tool", templates_dir=templates)
    assert "appendix.docx is broken" in str(err.value)


def test_a_template_without_the_body_tag_says_where_the_content_goes(tmp_path):
    templates = _broken_templates(tmp_path, "{{ body }}", "Content")
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    with pytest.raises(TemplateError, match=r"appendix\.docx has no \{\{ body \}\} paragraph"):
        render_appendices(wb, out_dir=tmp_path / "out", only="monitoring-tool", templates_dir=templates)


def test_a_missing_template_is_named(tmp_path):
    templates = tmp_path / "none"
    templates.mkdir()
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    with pytest.raises(TemplateError, match=r"Template appendix.docx is missing"):
        render_appendices(wb, out_dir=tmp_path / "out", only="risk-register", templates_dir=templates)


def test_committed_templates_are_what_the_build_script_makes(tmp_path):
    script = Path(__file__).resolve().parents[1] / "report_templates" / "build_templates.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    for name in ("appendix", "cover-report"):
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
    small = d.add_paragraph().add_run("tiny")
    small.font.size = docx.shared.Pt(8)
    path = tmp_path / "bad.docx"
    d.save(path)
    problems = " | ".join(check_docx(path))
    assert "first row is not set to repeat" in problems
    assert "rows that may split across pages" in problems
    assert "merged cells" in problems
    assert "shaded cell(s) with no text" in problems
    assert "Heading 2 'Skipped' follows the start of the document" in problems
    assert "no title" in problems
    assert "text smaller than 10 pt" in problems


def test_a_merged_cell_is_reported_for_its_own_table_not_the_table_around_it(tmp_path):
    d = docx.Document()
    outer = d.add_table(rows=2, cols=2)
    inner = outer.cell(1, 0).add_table(rows=2, cols=2)
    inner.cell(1, 0).merge(inner.cell(1, 1))
    path = tmp_path / "nested.docx"
    d.save(path)
    problems = " | ".join(check_docx(path))
    assert "Table 2 has merged cells" in problems
    assert "Table 1 has merged cells" not in problems


# ---------------------------------------------------------------------------- CLI


def test_cli_writes_the_pack_and_refuses_to_overwrite(tmp_path):
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(main, ["appendices", str(wb), "--out", str(out), "--only", "5,risk-register"])
    assert result.exit_code == 0, result.output
    assert "2 files passed the accessibility check" in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "Appendix 5 - Changes to the Improvement Plan October 2023.docx",
        "Appendix 6 - Improvement Plan Risk Register October 2023.docx",
    ]
    again = runner.invoke(main, ["appendices", str(wb), "--out", str(out), "--only", "changes"])
    assert again.exit_code == 2
    assert "already exists; choose another --out folder or add --force" in again.output


def test_cli_rejects_an_unknown_appendix_name(tmp_path):
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    result = CliRunner().invoke(main, ["appendices", str(wb), "--out", str(tmp_path), "--only", "minutes"])
    assert result.exit_code == 2
    assert "No appendix called 'minutes'" in result.output


def test_cli_lists_the_workbooks_errors_and_makes_no_paper(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["status"] = "Purple"
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    result = CliRunner().invoke(main, ["appendices", str(wb), "--out", str(tmp_path / "out"), "--only", "1"])
    assert result.exit_code == 1
    assert "K2      ERROR Status 'Purple' is not a status in Lists" in result.output  # as validate lists it
    assert "plan.xlsx has 1 error, so no committee paper was made" in result.output
    assert "the Validate button, or ipxl validate --mark" in result.output and "--draft" in result.output
    assert not (tmp_path / "out").exists()


def test_pdf_without_libreoffice_says_so_plainly_after_writing_the_word_files(tmp_path, monkeypatch):
    import ipxl.pack.pdf as A

    monkeypatch.setattr(A.shutil, "which", lambda name: None)
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    result = CliRunner().invoke(
        main, ["appendices", str(wb), "--out", str(tmp_path / "out"), "--only", "changes", "--pdf"]
    )
    assert result.exit_code == 2
    assert "Wrote " in result.output and "Changes to the Improvement Plan October 2023.docx" in result.output
    assert "LibreOffice is not installed, so no PDFs were made" in result.output
    assert not list((tmp_path / "out").glob("*.pdf"))


def test_a_template_edited_between_two_packs_in_one_python_gives_the_edited_words(tmp_path):
    # The Excel buttons keep one Python between clicks, and each template text is
    # compiled once: a text an officer changed is a new text, compiled afresh.
    templates = tmp_path / "templates"
    shutil.copytree(report_templates_dir(), templates, ignore=shutil.ignore_patterns("*.py"))
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())

    def footer(out: Path) -> str:
        (paper,) = out.glob("Appendix 1 - *.docx")
        with zipfile.ZipFile(paper) as zf:
            return "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("word/footer"))

    render_appendices(wb, out_dir=tmp_path / "before", only="monitoring-tool", templates_dir=templates)
    path = templates / "appendix.docx"
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    assert b" \xc2\xb7 Page " in parts["word/footer1.xml"]
    parts["word/footer1.xml"] = parts["word/footer1.xml"].replace(b" \xc2\xb7 Page ", b", page ")
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    render_appendices(wb, out_dir=tmp_path / "after", only="monitoring-tool", templates_dir=templates)
    assert "· Page " in footer(tmp_path / "before") and ", page " not in footer(tmp_path / "before")
    assert ", page " in footer(tmp_path / "after") and "· Page " not in footer(tmp_path / "after")
