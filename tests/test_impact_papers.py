"""Evidence of impact in the papers (issue 28): the Best Value themes appendix as Word,
PDF/UA and a web page, the measures that moved in the committee report's 4.2 and in
the six-monthly digest. (The sample pack's Appendix 8 is also checked with every other
paper: axe-core in test_html.py, PDF/UA in test_pdf.py.)"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import docx
import pytest
from builders import appendix, write_workbook
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lhtml
from test_impact import impact_plan

from ipxl import defaults as D
from ipxl.cli import main
from ipxl.pack import render_appendices
from ipxl.pack.accessibility import check_docx

PACK = [appendix("1", "Monitoring tool"), appendix("2", "Theme summary"), appendix("3", "Best Value themes")]


def valid_plan() -> dict:
    """The impact plan with M5 measuring an action that exists (so the pack is made)."""
    p = impact_plan()
    p["measures"][4]["action_refs"] = "SD.D1.3"
    p["measures"][5]["evidence"] = "Forward Plan audit"
    p["appendices"] = PACK
    return p


def july() -> dict:
    """The same plan at the end of July: M1 at 45 and M3 at 22, the rest as now; M4
    not yet set."""
    p = valid_plan()
    p["settings"].update(period="July 2023", period_start=dt.date(2023, 5, 1), period_end=dt.date(2023, 7, 31))
    p.pop("report")
    for m in p["measures"]:
        m["latest_date"] = dt.date(2023, 7, 31) if m["latest"] is not None else None
    p["measures"][0]["latest"] = 45
    p["measures"][2]["latest"] = 22
    p["measures"] = [m for m in p["measures"] if m["measure_ref"] != "M4"]
    return p


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("impact")
    write_workbook(tmp / "july.xlsx", july())
    now = valid_plan()
    now["settings"]["previous_workbook"] = "july.xlsx"
    wb = write_workbook(tmp / "october.xlsx", now)
    written = render_appendices(wb, out_dir=tmp / "out", html=True)
    assert written.ok, (written.notes, written.problems)
    return {p.kind if p.kind != "report" else p.title: p.path for p in written.papers}, tmp / "out"


def rows_of(table) -> list[list[tuple[str, str | None]]]:
    """Each row's cells as (text, fill)."""
    from docx.oxml.ns import qn

    out = []
    for tr in table._tbl.tr_lst:
        cells = []
        for tc in tr.tc_lst:
            # a line break reads as a space
            text = " ".join("".join(t.text or " " for t in tc.iter(qn("w:t"), qn("w:br"))).split())
            shd = tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
            cells.append((text, shd.get(qn("w:fill")) if shd is not None else None))
        out.append(cells)
    return out


def test_the_appendix_opens_with_a_heatmap_of_the_seven_themes_in_words_on_their_colours(pack):
    files, _ = pack
    path = files["best-value"]
    assert check_docx(path) == []
    heat = rows_of(docx.Document(path).tables[0])
    assert [t for t, _ in heat[0]] == ["Actions and measures", *D.BEST_VALUE_THEMES, "No Best Value theme"]
    by_row = {r[0][0]: r[1:] for r in heat[1:]}
    assert list(by_row) == [
        "Actions: Complete", "Actions: Green", "Actions: Amber", "Actions: Red", "Actions: Not started",
        "Actions: On hold", "Confidence: High", "Confidence: Medium", "Confidence: Low", "Measures: Target met",
        "Measures: Improving", "Measures: Not improving", "Measures: No data since baseline",
    ]  # fmt: skip
    resources, governance = D.BEST_VALUE_THEMES.index("Use of Resources"), D.BEST_VALUE_THEMES.index("Governance")
    assert by_row["Actions: Green"][resources] == ("2 Green", "00B050")
    assert by_row["Confidence: Low"][D.BEST_VALUE_THEMES.index("Service Delivery")] == ("1 Low", "C00000")
    assert by_row["Measures: Improving"][governance] == ("1 Improving", "00B050")
    assert by_row["Measures: Target met"][resources] == ("1 Target met", "0070C0")
    assert by_row["Actions: Not started"][-1] == ("1 Not started", "BFBFBF")  # OC.E2.8, no theme
    # a theme with nothing: a plain 0 in every row, no colour
    assert {by_row[r][0] for r in by_row} == {("0", None)}


def test_themes_with_no_action_or_measure_say_so_and_the_unmapped_ones_have_their_own_section(pack):
    files, _ = pack
    paragraphs = [p.text for p in docx.Document(files["best-value"]).paragraphs]
    ci = paragraphs.index("Continuous Improvement")
    assert paragraphs[ci + 1 : ci + 3] == [
        "No open action of the plan is mapped to this theme yet.",
        "No measure of impact is set for this theme yet.",
    ]
    last = paragraphs.index("Not yet mapped to a theme")
    assert paragraphs[last + 1] == "One open action of the plan names no Best Value theme."
    assert not any(p.startswith("0 ") for p in paragraphs)


def test_each_theme_lists_its_measures_with_baseline_latest_target_state_and_evidence_proxies_first(pack):
    files, _ = pack
    d = docx.Document(files["best-value"])
    tables = {rows_of(t)[0][0][0] + "|" + str(i): rows_of(t) for i, t in enumerate(d.tables)}
    proxies = next(rows for key, rows in tables.items() if rows[0][2][0] == "Best Value theme")
    assert [r[0][0] for r in proxies[1:]] == ["M1 Proxy for success"]
    governance = [rows for rows in tables.values() if any(r[0][0] == "M6" for r in rows)]
    gov, culture = governance  # M6 serves two themes: shown under both (Governance first)
    assert [c for c, _ in gov[0]] == ["Ref", "Measure", "Baseline", "Latest", "Target", "State", "Evidence"]
    m5 = next(r for r in gov if r[0][0] == "M5")
    assert m5 == [
        ("M5", None), ("Late decisions Lower is better", None), ("10 (June 2023)", None),
        ("5 (September 2023)", None), ("2 by March 2024", None), ("Improving", "00B050"),
        ("Late decisions report, September 2023", None),
    ]  # fmt: skip
    m4 = next(r for r in culture if r[0][0] == "M4")
    assert m4[3] == ("Not given", None) and m4[5] == ("No data since baseline", "BFBFBF")


def test_the_actions_the_officers_have_low_confidence_in_are_listed_under_their_own_heading(pack):
    files, _ = pack
    d = docx.Document(files["best-value"])
    paragraphs = [(p.style.name, p.text) for p in d.paragraphs]
    at = paragraphs.index(("Heading 1", "Service Delivery"))
    assert paragraphs[at + 1 : at + 4] == [
        ("Normal", "One action, which is Red."),
        ("Normal", "The officers' confidence that these actions will achieve their outcomes: one Low."),
        ("Heading 2", "Actions with low confidence"),
    ]
    low = next(rows_of(t) for t in d.tables if rows_of(t)[0][0][0] == "Ref" and rows_of(t)[0][1][0] == "Action")
    assert [c for c, _ in low[1]][:3] == ["PC.A5.3", "Deliver PC.A5.3", "Red"]


def test_the_committee_report_says_which_measures_moved_since_the_last_report(pack):
    files, _ = pack
    report = next(p for k, p in files.items() if k.startswith("Report to Cabinet"))
    paragraphs = [p.text for p in docx.Document(report).paragraphs]
    i = next(k for k, p in enumerate(paragraphs) if "measures of impact moved" in p)
    # M1 45 -> 65 and M3 22 -> 25 moved since July; M4 is new, dated before the quarter
    # ended, but has no Latest; the rest are where they were
    assert paragraphs[i].endswith(
        "Two of the plan's 6 measures of impact moved this quarter (every measure is in Appendix 3): one has met "
        "its target and one is not improving."
    )
    assert paragraphs[i + 1 : i + 3] == [
        "The proxies for success that moved:",
        "Savings delivered: up from 45 (July 2023) to 65 (September 2023), against a target of 60 by March 2024; "
        "target met.",
    ]
    assert paragraphs[i + 3].startswith("4.2.") and "Monitoring Tool" in paragraphs[i + 3]


def test_a_report_of_a_plan_without_measures_says_nothing_of_them(tmp_path):
    plan = valid_plan()
    plan.pop("measures")
    out = render_appendices(
        write_workbook(tmp_path / "p.xlsx", plan), out_dir=tmp_path / "out", only=("1",), cover=True
    )
    report = next(p.path for p in out.papers if p.kind == "report")
    assert "measure" not in " ".join(p.text for p in docx.Document(report).paragraphs).lower()


def test_only_best_value_makes_the_appendix_alone_with_its_usual_title(tmp_path):
    plan = valid_plan()
    plan.pop("appendices")  # the default pack does not list it
    path = write_workbook(tmp_path / "p.xlsx", plan)
    result = CliRunner().invoke(main, ["appendices", str(path), "--only", "best-value", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "o").glob("*.docx")] == ["Improvement Plan Best Value Themes October 2023.docx"]


def test_a_filter_on_the_measures_sheet_keeps_the_proxies_for_success_alone(tmp_path):
    plan = valid_plan()
    plan["appendices"] = [appendix("1", "Best Value themes", filter="Proxy for success: Yes")]
    out = render_appendices(write_workbook(tmp_path / "p.xlsx", plan), out_dir=tmp_path / "out", only="1")
    d = docx.Document(out[0])
    measures = [rows for rows in map(rows_of, d.tables) if [c for c, _ in rows[0][:2]] == ["Ref", "Measure"]]
    refs = {r[0][0] for rows in measures for r in rows[1:]}
    assert refs == {"M1 Proxy for success"}


def test_the_appendix_as_a_web_page_has_captions_scoped_headers_and_states_as_words(pack):
    _, out = pack
    page = lhtml.fromstring((out / "html" / "appendix-3.html").read_bytes())
    tables = page.cssselect("table")
    assert tables[0].find("caption").text_content().strip() == "Best Value themes: actions and measures"
    for table in tables:
        assert table.find("caption") is not None
        assert all(th.get("scope") in ("col", "row") for th in table.iter("th"))
    text = " ".join(page.text_content().split())
    assert "1 Target met" in text and "No data since baseline" in text


def test_the_appendix_as_pdf_passes_the_pdf_ua_checks(pack, tmp_path):
    from tools import soffice

    from ipxl.pack.pdf import to_pdf
    from ipxl.pack.pdfua import check_pdf

    soffice()
    files, _ = pack
    source = tmp_path / files["best-value"].name
    source.write_bytes(files["best-value"].read_bytes())
    (pdf,) = to_pdf([source])
    assert check_pdf(pdf) == []


def test_the_digest_gives_the_measures_that_moved_since_the_last_letter(tmp_path):
    write_workbook(tmp_path / "july.xlsx", july())
    now = valid_plan()
    now["settings"]["previous_workbook"] = "july.xlsx"
    latest = write_workbook(tmp_path / "october.xlsx", now)
    result = CliRunner().invoke(main, ["digest", str(latest), "--since", "31/07/2023", "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    path = tmp_path / "d" / "Improvement Plan Six-Monthly Digest October 2023.docx"
    d = docx.Document(path)
    paragraphs = [p.text for p in d.paragraphs]
    at = paragraphs.index("Evidence of impact")
    assert paragraphs[at + 1] == (
        "Two of the plan's 6 measures of impact moved since 31/07/2023 (proxies for success first)."
    )
    table = next(rows_of(t) for t in d.tables if rows_of(t)[0][0][0] == "Measure")
    assert [c for c, _ in table[0]] == ["Measure", "Best Value theme", "Then", "Now", "Target", "State"]
    assert table[1] == [
        ("Savings delivered Proxy for success", None), ("Use of Resources", None), ("45 (July 2023)", None),
        ("65 (September 2023)", None), ("60 by March 2024", None), ("Target met", "0070C0"),
    ]  # fmt: skip
    assert [r[0][0] for r in table[1:]] == ["Savings delivered Proxy for success", "Days to answer a complaint"]


# ------------------------------------------------------------------ any values


NEW_COLUMNS = {  # (sheet, 1-based column): the columns issue 28 added
    **{("Actions", c): None for c in (18, 19)},
    **{("Measures", c): None for c in range(1, 14)},
}
#: Values that have tripped a reader or a rule somewhere: separators alone, near-misses,
#: Excel errors, numbers as text that Python would read as infinity or NaN.
ODD = ["Governance;;", "; ;", "Leadership; leadership", "Higher", "lower", "Yes", "No", "#N/A", "1e999", "nan",
       "inf", "-0", "31/02/2023", "High", " med ", "=1/0"]  # fmt: skip
values = st.one_of(
    st.text(max_size=30),
    st.sampled_from(ODD),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.booleans(),
    st.none(),
)
edits = st.dictionaries(
    st.tuples(st.sampled_from(sorted(NEW_COLUMNS)), st.integers(2, 8)), values, min_size=1, max_size=8
)


@settings(max_examples=15, deadline=None, derandomize=True, database=None)
@given(edits=edits)
def test_any_values_in_the_new_columns_give_findings_never_a_traceback(edits):
    from builders import with_shared_strings

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = write_workbook(work / "plan.xlsx", valid_plan())
        with_shared_strings(path, {(sheet, row, col): v for ((sheet, col), row), v in edits.items()})
        for args in (
            ["validate", path, "--format", "json"],
            ["rollup", path, "--by", "best-value", "--format", "json"],
            ["rollup", path, "--by", "best-value"],
            ["appendices", path, "--out", work / "pack", "--html", "--draft", "--force"],
            ["history", path, "--format", "json", "--export", work / "bi"],
            ["digest", path, "--since", "01/01/2023", "--out", work / "digest", "--force", "--draft"],
        ):
            result = CliRunner().invoke(main, [str(a) for a in args])
            assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
            assert "Traceback" not in result.output and result.exit_code in (0, 1), (args, result.output)


def test_last_periods_workbook_read_for_fewer_columns_still_makes_the_pack(tmp_path):
    # a caller may hand in last period's workbook read as the change report reads it
    from ipxl import read_workbook

    prev = read_workbook(write_workbook(tmp_path / "july.xlsx", july()), D.PREVIOUS_SHEETS, columns=D.PREVIOUS_COLUMNS)
    wb = write_workbook(tmp_path / "october.xlsx", valid_plan())
    out = render_appendices(wb, prev, out_dir=tmp_path / "out")
    assert out.ok and len(out.papers) == 5
    report = next(p.path for p in out.papers if p.kind == "report")
    # without last period's measures, a measure moved when its Latest is dated this quarter
    text = " ".join(p.text for p in docx.Document(report).paragraphs)
    assert "Five of the plan's 6 measures of impact moved this quarter" in text  # all but M4, which has no Latest


def test_a_theme_whose_actions_lack_a_confidence_rating_says_so_in_words(pack):
    files, _ = pack
    paragraphs = [p.text for p in docx.Document(files["best-value"]).paragraphs]
    said = [p for p in paragraphs if p.startswith("The officers' confidence") and "recorded" in p]
    assert said == [
        "The officers' confidence that these actions will achieve their outcomes: one High; "
        "none is recorded for the other one."
    ]
    assert not any("not given" in p.lower() for p in paragraphs if p.startswith("The officers' confidence"))
