"""The committee report itself: one per meeting, in the shape of the council's report
to its scrutiny board (seed 002), in the officers' words from the Report sheet and
the figures of the appendices. Every test writes a real workbook, makes the papers and
reopens them as a clerk would."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import docx
import pytest
from builders import action, clean_plan, write_workbook
from click.testing import CliRunner

from ipxl import resources
from ipxl.checks.validation import validate
from ipxl.cli import main
from ipxl.errors import WorkbookHasErrors
from ipxl.pack import render_appendices
from ipxl.pack.accessibility import check_docx

#: The sections of the council's report, in its order (seed 002, 1-14).
SEED_ORDER = [
    "Recommendations",
    "Reasons for Recommendations",
    "How does this deliver objectives of the Corporate Plan?",
    "Context and Key Issues",
    "Statutory Recommendations",
    "Specific Recommendations from External Reviews relating to Scrutiny",
    "Scrutiny Work Programme",
    "External Reviews - Follow up reports",
    "Risk Management",
    "Changes to the Improvement Plan",
    "Reporting Framework and Governance",
    "Implications",
    "Appendices",
    "Background Papers",
]


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(path).paragraphs]


def headings(path: Path, level: int | None = None) -> list[str]:
    return [
        p.text
        for p in docx.Document(path).paragraphs
        if p.style.name.startswith("Heading") and (level is None or p.style.name == f"Heading {level}")
    ]


def all_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode()
    import html

    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", xml)).split())


def reports(written) -> dict[str, Path]:
    return {p.title.removeprefix("Report to "): p.path for p in written.papers if p.kind == "report"}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The bundled sample's whole pack: a report for each of its three meetings."""
    out = tmp_path_factory.mktemp("sample")
    written = render_appendices(resources.sample_path(), resources.previous_sample_path(), out_dir=out, html=True)
    return written


# ---------------------------------------------------------------------- front sheet


def test_the_report_opens_with_its_front_sheet(sample):
    path = reports(sample)["Budget and Corporate Scrutiny Management Board"]
    assert (
        path.name == "Improvement Plan Progress - Budget and Corporate Scrutiny Management Board 22 November 2023.docx"
    )
    first = paragraphs(path)[:7]
    assert first == [
        "Report to Budget and Corporate Scrutiny Management Board",
        "22 November 2023",
        "Subject: Improvement Plan Progress",
        "Director: Chief Executive, Shokat Lal",
        "Contact Officers:",
        "Strategic Lead – Service Improvement, Kate Ashley, kate1_ashley@sandwell.gov.uk",
        "Lead Officer – Service Improvement, Dawn Webster, dawn_webster@sandwell.gov.uk",
    ]
    assert docx.Document(path).paragraphs[0].style.name == "Title"


def test_each_meeting_gets_its_own_report_with_its_own_front_sheet_and_recommendations(sample):
    got = reports(sample)
    assert list(got) == [
        "Cabinet",
        "Budget and Corporate Scrutiny Management Board",
        "Audit and Risk Assurance Committee",
    ]
    cabinet, audit = paragraphs(got["Cabinet"]), paragraphs(got["Audit and Risk Assurance Committee"])
    assert cabinet[1] == "13 December 2023" and audit[1] == "23 November 2023"
    assert "1.2\tThat Cabinet approves the changes to the Improvement Plan set out in Appendix 5." in cabinet
    assert not any("That Cabinet" in p for p in audit)
    # the same figures in every report
    counts = [
        next(p for p in paragraphs(path) if "At the end of October 2023" in p).split("\t")[1] for path in got.values()
    ]
    assert len(set(counts)) == 1


# ------------------------------------------------------------------------ sections


def test_the_sections_follow_the_councils_report_and_are_numbered(sample):
    path = reports(sample)["Budget and Corporate Scrutiny Management Board"]
    assert headings(path, 1) == [f"{n} {h}" for n, h in enumerate(SEED_ORDER, start=1)]
    level2 = headings(path, 2)
    assert level2[:3] == ["4.1 Background", "4.2 Improvement Plan Progress", "4.3 Organisational Culture Theme"]
    assert level2[-1] == "4.8 Partnerships and Relationships Theme"
    texts = paragraphs(path)
    assert (
        "1.1\tThat the Board considers and comments upon the progress of the Improvement Plan up to November 2023."
        in texts
    )
    assert texts.index("4.1.1\t" + texts[texts.index("4.1 Background") + 1].split("\t")[1]) > 0
    assert "4.3.1\tAchievements this quarter:" in texts and "4.3.2\tOrganisational Culture Progress Issues:" in texts
    numbers = [t.split("\t")[0] for t in texts if re.match(r"\d+(\.\d+)+\t", t)]
    assert len(numbers) == len(set(numbers))  # no number twice


def test_a_meeting_with_a_section_switched_off_has_the_rest_renumbered(sample):
    cabinet = reports(sample)["Cabinet"]
    found = headings(cabinet, 1)
    # the scrutiny board's work programme is not Cabinet's business
    assert "Scrutiny Work Programme" not in " ".join(found)
    assert found[5:7] == [
        "6 Specific Recommendations from External Reviews relating to Scrutiny",
        "7 External Reviews - Follow up reports",
    ]


def test_the_implications_table_has_a_row_for_each_implication(sample):
    path = reports(sample)["Audit and Risk Assurance Committee"]
    table = next(t for t in docx.Document(path).tables if t.rows[0].cells[0].text == "Implication")
    assert [r.cells[0].text for r in table.rows[1:]] == [
        "Resources", "Legal and Governance", "Risk", "Equality", "Health and Wellbeing", "Social Value",
        "Climate Change", "Corporate Parenting",
    ]  # fmt: skip
    assert table.rows[1].cells[1].text.startswith("The monitoring of the Improvement Plan")


def test_achievements_say_what_was_achieved_never_the_actions_description(sample):
    from ipxl.xlsx.reader import read_workbook

    wb = read_workbook(resources.sample_path())
    descriptions = {d for d in wb.actions["description"].dropna()}
    texts = paragraphs(reports(sample)["Cabinet"])
    start = texts.index("4.4.1\tAchievements this quarter:")
    achieved = []
    for t in texts[start + 1 :]:
        if "\t" in t or t.endswith("Theme"):
            break
        achieved.append(t)
    assert achieved == [
        "Oracle Fusion approval for Gateway 2 exit from the Modelling phase for HR and Payroll; system configuration "
        "for Finance, Procurement and EPM complete.",
        "2020/21 accounts signed off by the external auditor with no qualifications.",
    ]
    every = [t for t in texts if t not in descriptions]
    assert len(every) == len(texts)  # no paragraph is an action's description


def test_progress_issues_give_the_action_its_update_as_points_and_the_reason(sample):
    texts = paragraphs(reports(sample)["Cabinet"])
    at = texts.index("Broader scenario-based learning across finance, procurement and governance (OC.D1.2)")
    assert texts[at + 1 : at + 4] == [
        "Officers involved in pulling together training across finance, procurement and governance have undergone "
        "significant changes of personnel.",
        "Next step is to bring a new project team together to agree training detail and diarise sessions.",
        "Amber rating reflects the need to bring the project group together and progress the planning.",
    ]
    assert "4.6.2\tDecision Making Progress Issues: no issues in this theme." in texts


def test_an_overdue_action_is_named_so_members_know_which(sample):
    texts = paragraphs(reports(sample)["Cabinet"])
    assert any(
        t.endswith(
            "\tOne action is past its due date and not complete: Deliver Directorships and Trusteeships training "
            "for Members and officers appointed to outside bodies (OC.B1.3)."
        )
        for t in texts
    )


def test_more_than_three_overdue_actions_are_counted_not_listed(tmp_path):
    plan = clean_plan()
    late = dt.date(2023, 6, 30)
    plan["actions"] += [
        action(f"CO.G9.{n}", "Corporate Oversight", due_date=late, status="Amber", exception_reason="Late.")
        for n in range(1, 5)
    ]
    got = reports(render_appendices(write_workbook(tmp_path / "plan.xlsx", plan), out_dir=tmp_path / "out"))
    text = all_text(next(iter(got.values())))
    assert "Four actions are past their due date and not complete." in text
    assert "CO.G9.1)" not in text.split("past their due date")[1][:40]


def test_statutory_recommendations_are_named_in_full_with_their_progress(sample):
    text = all_text(reports(sample)["Cabinet"])
    assert "The Grant Thornton VFM Governance Review 2021 included three statutory recommendations (Appendix 3)" in text
    for n in (1, 2, 3):
        assert f"Statutory Recommendation {n} " in text
    assert " S1 " not in text


def test_no_sentence_says_nought_or_explains_the_tool(sample):
    for paper in sample.papers:
        if paper.path.suffix != ".docx":
            continue
        text = all_text(paper.path)
        assert not re.search(r"(^|[.:;] )0 [a-z]", text), paper.path.name
        for phrase in ("the figures below are the same", "the colour only repeats", "previous workbook",
                       "Each of the 0", "this period", "monitoring workbook"):  # fmt: skip
            assert phrase.lower() not in text.lower(), (phrase, paper.path.name)


def test_every_report_passes_the_accessibility_check(sample):
    for path in reports(sample).values():
        assert check_docx(path) == []


def test_the_web_pages_hold_each_report_and_list_them(sample):
    index = (sample.html[0]).read_text()
    for meeting in ("Cabinet", "Budget and Corporate Scrutiny Management Board", "Audit and Risk Assurance Committee"):
        assert f">Report to {meeting}</a>" in index
    page = next(p for p in sample.html if p.name == "report-improvement-plan-progress-cabinet-13-december-2023.html")
    html = page.read_text()
    assert '<span class="para-no">1.1</span>' in html
    assert re.search(r'<h2 id="part-\d+">4 Context and Key Issues</h2>', html)
    assert '<a href="#part-4">4 Context and Key Issues</a>' in html  # in the page's contents list
    # which follows the front sheet, before the first section
    assert html.index("Subject:") < html.index('class="contents"') < html.index('id="part-1"')


# ------------------------------------------------------------------ the Report sheet


def test_a_blank_part_of_the_report_is_a_finding_naming_its_cell_and_no_paper_is_made(tmp_path):
    plan = clean_plan()
    plan["report"]["texts"]["background"] = {}
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    found = [f for f in validate(wb) if f.code == "report-text-missing"]
    assert [(f.sheet, f.cell, f.column) for f in found] == [
        ("Report", "D9", "Cabinet"),
        ("Report", "E9", "Audit Committee"),
    ]
    assert found[0].message == "Background is blank for Cabinet, so its report would have a gap."
    assert (
        found[0].suggestion
        == "Write it in D9 (or in C9 for every meeting); type Not included to leave it out of the report."
    )
    result = CliRunner().invoke(main, ["report", str(wb), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "D9      ERROR Background is blank for Cabinet" in result.output
    assert not (tmp_path / "out").exists()


def test_a_placeholder_in_the_report_sheet_never_reaches_a_paper(tmp_path):
    plan = clean_plan()
    plan["report"]["texts"]["governance"] = {"all": "Cabinet will approve the framework on [insert date]."}
    plan["report"]["texts"]["implications_equality"] = {"all": "TBC"}
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    found = [(f.cell, f.message) for f in validate(wb) if f.code == "report-placeholder"]
    assert found == [
        ("C17", "Reporting framework and governance holds '[insert date]', which would go to committee as it is."),
        ("C21", "Implications: Equality holds 'TBC', which would go to committee as it is."),
    ]
    with pytest.raises(WorkbookHasErrors):
        render_appendices(wb, out_dir=tmp_path / "out")


def test_not_included_leaves_a_part_out_and_is_no_finding(tmp_path):
    plan = clean_plan()
    plan["report"]["texts"]["work_programme"] = {"all": "Not included"}
    plan["report"]["texts"]["implications_climate"] = {"Cabinet": "not included", "all": "None arise."}
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    assert validate(wb).ok
    got = reports(render_appendices(wb, out_dir=tmp_path / "out"))
    for meeting, path in got.items():
        assert "Scrutiny Work Programme" not in " ".join(headings(path, 1))
        table = next(t for t in docx.Document(path).tables if t.rows[0].cells[0].text == "Implication")
        rows = [r.cells[0].text for r in table.rows[1:]]
        assert ("Climate Change" in rows) == (meeting != "Cabinet")


def test_a_fresh_templates_blank_report_sheet_is_no_finding_until_the_pack_is_built(tmp_path):
    path = tmp_path / "plan.xlsx"
    CliRunner().invoke(main, ["new", str(path)])
    assert not [f for f in validate(path) if f.sheet == "Report"]
    found = [f for f in validate(path, report=True) if f.sheet == "Report"]
    assert (
        len(found) == 1
        and found[0].message == "The Report sheet is blank, so the committee report has none of its own words yet."
    )


def test_a_workbook_without_a_report_sheet_gets_its_appendices_and_a_note(tmp_path):
    plan = clean_plan()
    del plan["report"]
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    written = render_appendices(wb, out_dir=tmp_path / "out")
    assert [p.kind for p in written.papers][:2] == ["monitoring-tool", "theme-summary"]
    assert any("has no Report sheet" in n for n in written.notes) and not written.ok


def test_meeting_chooses_one_report_and_an_unknown_one_is_named(tmp_path):
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    result = CliRunner().invoke(
        main, ["report", str(wb), "--out", str(tmp_path / "out"), "--meeting", "audit committee"]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "out").iterdir()] == [
        "Improvement Plan Progress - Audit Committee 21 November 2023.docx"
    ]
    bad = CliRunner().invoke(main, ["report", str(wb), "--out", str(tmp_path / "o2"), "--meeting", "Council"])
    assert bad.exit_code == 2
    assert "The Report sheet has no meeting 'Council'; choose from Cabinet, Audit Committee." in bad.output


# ------------------------------------------------------------- no typo reaches committee


def typo_plan() -> dict:
    plan = clean_plan()
    plan["actions"][0]["due_date"] = dt.datetime(3024, 3, 31)  # a typo for 2024
    plan["actions"][2]["status"] = "On track"  # not a status in Lists
    return plan


def test_a_workbook_with_a_3024_date_and_an_on_track_status_makes_no_paper(tmp_path):
    wb = write_workbook(tmp_path / "plan.xlsx", typo_plan())
    result = CliRunner().invoke(main, ["appendices", str(wb), "--out", str(tmp_path / "out"), "--html"])
    assert result.exit_code == 1
    assert "has the year 3024, which looks like a typo" in result.output
    assert "'On track' is not a status in Lists" in result.output
    assert "plan.xlsx has 2 errors, so no committee paper was made" in result.output
    assert not (tmp_path / "out").exists()


def test_a_draft_says_draft_first_on_every_paper_every_page_and_every_web_page(tmp_path):
    wb = write_workbook(tmp_path / "plan.xlsx", typo_plan())
    result = CliRunner().invoke(main, ["appendices", str(wb), "--out", str(tmp_path / "out"), "--html", "--draft"])
    assert result.exit_code == 1, result.output
    assert "these papers are drafts, marked DRAFT on every page" in result.output
    out = tmp_path / "out"
    papers = sorted(out.glob("*.docx"))
    assert len(papers) == 8  # two reports, six appendices
    for path in papers:
        d = docx.Document(path)
        assert d.paragraphs[0].text == "DRAFT: the workbook has 2 errors", path.name
        assert d.sections[0].header.paragraphs[0].text == "DRAFT: the workbook has 2 errors", path.name
    for page in (out / "html").glob("*.html"):
        html = page.read_text()
        assert '<p class="draft">DRAFT: the workbook has 2 errors</p>' in html, page.name
        assert "<title>DRAFT – " in html


def test_rollup_and_changes_print_their_result_with_a_warning_naming_the_errors(tmp_path):
    plan = typo_plan()
    prev = clean_plan()
    prev_path = write_workbook(tmp_path / "prev.xlsx", prev)
    plan["settings"]["previous_workbook"] = prev_path.name
    plan["actions"].append(action("SD.D1.9", "Strategic Direction", date_added=dt.date(2023, 9, 1)))
    wb = write_workbook(tmp_path / "plan.xlsx", plan)
    runner = CliRunner()
    rolled = runner.invoke(main, ["rollup", str(wb)])
    assert rolled.exit_code == 1
    assert "RAG roll-up" in rolled.output
    assert "Warning: plan.xlsx has 2 errors, so these figures may be wrong" in rolled.output
    assert "Status 'On track' is not a status in Lists" in rolled.output
    changed = runner.invoke(main, ["changes", str(wb)])
    assert changed.exit_code == 1
    assert "timescale" not in changed.output.split("Warning:")[0]  # the 3024 date is no change of timescale
    assert "1 main action has been added" in changed.output
