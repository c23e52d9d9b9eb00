"""The template, the bundled samples and the synthetic benchmark plans."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import openpyxl
import pytest

from ipxl import defaults as D
from ipxl.templates import sample_plan
from ipxl.templates.bundled import write_bundled
from ipxl.templates.workbook import COLOURED, LIST_NAMES, VALIDATIONS, WARN_ONLY, build_template, list_layout

ROOT = Path(__file__).resolve().parent.parent
SPEC_SHEETS = ["guidance", "settings", *D.RECORD_SHEETS, "measures", "appendices", "report", "lists"]
#: The sheets of records a fresh template holds (the Measures sheet is optional in a
#: workbook, but the template has one ready).
TABLES = (*D.RECORD_SHEETS, "measures")


def _synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synthetic", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("bundled")
    template, sample, previous, diagram, *macro = write_bundled(out)
    return {"template": template, "sample": sample, "previous": previous, "diagram": diagram, "macro": macro}


@pytest.fixture(scope="module")
def template_wb(built):
    return openpyxl.load_workbook(built["template"])


@pytest.fixture(scope="module")
def sample_wb(built):
    return openpyxl.load_workbook(built["sample"])


def _records(ws, key: str) -> list[dict]:
    keys = [c.key for c in D.COLUMNS[key]]
    rows = ws.iter_rows(min_row=2, values_only=True)
    return [dict(zip(keys, row)) for row in rows if any(v is not None for v in row)]


def _letter(key: str, column_key: str) -> str:
    return openpyxl.utils.get_column_letter([c.key for c in D.COLUMNS[key]].index(column_key) + 1)


# ---------------------------------------------------------------------------- layout


def test_template_has_every_spec_sheet_with_guidance_first_after_the_buttons(template_wb):
    # Control holds the xlwings Lite buttons (tests/test_lite.py)
    assert template_wb.sheetnames == ["Control", *(D.SHEET_NAMES[k] for k in SPEC_SHEETS)]


def test_template_leaves_summary_and_validation_to_ipxl(template_wb):
    assert D.SHEET_NAMES["summary"] not in template_wb.sheetnames
    assert D.SHEET_NAMES["validation"] not in template_wb.sheetnames


@pytest.mark.parametrize("key", TABLES)
def test_record_sheets_have_the_default_headers_and_widths_in_row_one(template_wb, key):
    ws = template_wb[D.SHEET_NAMES[key]]
    columns = D.COLUMNS[key]
    assert [ws.cell(1, i).value for i in range(1, len(columns) + 1)] == [c.header for c in columns]
    assert ws.cell(1, len(columns) + 1).value is None
    for i, column in enumerate(columns, start=1):
        assert ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width == column.width


@pytest.mark.parametrize("key", TABLES)
def test_record_sheets_freeze_the_header_and_filter_it(template_wb, key):
    ws = template_wb[D.SHEET_NAMES[key]]
    assert ws.freeze_panes == "A2"
    last = openpyxl.utils.get_column_letter(len(D.COLUMNS[key]))
    assert ws.auto_filter.ref.startswith("A1:" + last)


def test_header_cells_are_bold_in_the_header_colours(template_wb):
    cell = template_wb[D.SHEET_NAMES["actions"]]["A1"]
    assert cell.font.bold
    assert cell.fill.start_color.rgb.endswith(D.HEADER_FILL)
    assert cell.font.color.rgb.endswith(D.HEADER_FONT)


def test_empty_template_has_headers_only(template_wb, built):
    from ipxl.xlsx.reader import read_workbook

    score = _letter("risks", "score")
    for key in TABLES:
        ws = template_wb[D.SHEET_NAMES[key]]
        if key == "risks":  # the Score formula waits in the rows below the header
            filled = {c.coordinate for row in ws.iter_rows(min_row=2) for c in row if c.value is not None}
            assert filled == {f"{score}{r}" for r in range(2, ws.max_row + 1)}
        else:
            assert ws.max_row == 1
    wb = read_workbook(built["template"])
    assert all(len(wb.sheets[k].frame) == 0 for k in TABLES)


def test_score_is_a_formula_of_likelihood_and_impact_with_its_value_cached(built, sample_wb):
    from python_calamine import CalamineWorkbook

    li, im, score = (_letter("risks", k) for k in ("likelihood", "impact", "score"))
    ws = sample_wb[D.SHEET_NAMES["risks"]]
    assert ws[f"{score}2"].value == f'=IF(AND(ISNUMBER({li}2),ISNUMBER({im}2)),{li}2*{im}2,"")'
    from ipxl.templates.workbook import SCORE_SPARE_ROWS

    filled_rows = len(sample_plan.current_plan()["risks"])
    assert ws.max_row == 1 + filled_rows + SCORE_SPARE_ROWS, "a few rows ready for the officer's next risks"
    # what a reader of cached values (calamine, and ipxl) sees: the product, or blank
    rows = CalamineWorkbook.from_path(str(built["sample"])).get_sheet_by_name("Risks").to_python()
    header = rows[0]
    i, j, k = (header.index(h) for h in ("Likelihood", "Impact", "Score"))
    filled = [r for r in rows[1:] if r[0] != ""]
    assert len(filled) >= 10
    assert all(r[k] == r[i] * r[j] for r in filled)
    assert all(r[k] == "" for r in rows[1:] if r[0] == "")


def test_settings_sheet_lists_every_key_with_a_value_column_and_a_note(template_wb):
    ws = template_wb[D.SHEET_NAMES["settings"]]
    assert [ws.cell(1, i).value for i in (1, 2, 3)] == ["Setting", "Value", "Notes"]
    labels = [ws.cell(r, 1).value for r in range(2, 2 + len(D.SETTINGS_KEYS))]
    assert labels == list(D.SETTINGS_KEYS.values())
    assert all(ws.cell(r, 3).value for r in range(2, 2 + len(D.SETTINGS_KEYS)))


def test_lists_sheet_holds_every_default_list(template_wb):
    ws = template_wb[D.SHEET_NAMES["lists"]]
    found = {}
    for col in ws.iter_cols(values_only=True):
        if col[0]:
            found[col[0]] = [v for v in col[1:] if v is not None]
    H = D.LIST_HEADERS
    assert found[H["theme_code"]] == list(D.THEMES)
    assert found[H["theme"]] == list(D.THEMES.values())
    assert found[H["status"]] == [s.name for s in D.STATUSES]
    assert found[H["status_colour"]] == [f"#{s.colour}" for s in D.STATUSES]
    assert found[H["status_meaning"]] == [s.meaning for s in D.STATUSES]
    for spec in D.SIMPLE_LISTS:
        assert found[spec.header] == list(spec.defaults)
    assert found[H["band_rating"]] == [b.rating for b in D.SCORE_BANDS]
    assert found[H["band_low"]] == [b.low for b in D.SCORE_BANDS]
    assert found[H["band_high"]] == [b.high for b in D.SCORE_BANDS]


def test_lists_sheet_puts_status_in_column_d_after_the_theme_columns(template_wb):
    ws = template_wb[D.SHEET_NAMES["lists"]]
    assert [ws[f"{c}1"].value for c in "ABCD"] == ["Theme code", "Theme", None, "Status"]


def test_status_cells_on_lists_are_filled_in_their_colour(template_wb):
    ws = template_wb[D.SHEET_NAMES["lists"]]
    for row, status in enumerate(D.STATUSES, start=2):
        assert ws[f"D{row}"].fill.start_color.rgb.endswith(status.colour)


def test_defined_names_are_dynamic_ranges_on_lists(template_wb):
    letters = {header: letter for letter, header, _ in list_layout() if header}
    for name, header in LIST_NAMES.items():
        col = letters[header]
        text = template_wb.defined_names[name].attr_text
        assert text == f"OFFSET(Lists!${col}$2,0,0,COUNTA(Lists!${col}:${col})-1,1)"


@pytest.mark.parametrize("where", list(VALIDATIONS))
def test_drop_downs_exist_on_every_listed_column_and_point_at_lists(template_wb, where):
    key, column_key = where
    ws = template_wb[D.SHEET_NAMES[key]]
    letter = _letter(key, column_key)
    matching = [dv for dv in ws.data_validations.dataValidation if f"{letter}2:{letter}" in str(dv.sqref)]
    assert len(matching) == 1
    dv = matching[0]
    name = dv.formula1.lstrip("=")
    assert name in LIST_NAMES
    assert dv.type == "list" and dv.allow_blank
    # stops a value off the list (a due date may also be a date, so that one warns)
    assert dv.errorStyle == ("warning" if where in WARN_ONLY else "stop") and dv.error
    assert dv.showInputMessage and dv.prompt and dv.promptTitle


def test_likelihood_and_impact_take_only_whole_numbers_from_1_to_5(template_wb):
    ws = template_wb[D.SHEET_NAMES["risks"]]
    for key in ("likelihood", "impact", "target_likelihood", "target_impact"):
        letter = _letter("risks", key)
        (dv,) = [dv for dv in ws.data_validations.dataValidation if f"{letter}2:{letter}" in str(dv.sqref)]
        assert (dv.type, dv.operator, dv.formula1, dv.formula2, dv.errorStyle) == ("whole", "between", "1", "5", "stop")
        assert dv.prompt


def test_the_sample_offers_its_directors_and_leads_as_a_drop_down():
    from ipxl.resources import sample_path

    wb = openpyxl.load_workbook(sample_path())
    letter = _letter("actions", "lead")
    (dv,) = [dv for dv in wb["Actions"].data_validations.dataValidation if f"{letter}2:{letter}" in str(dv.sqref)]
    assert dv.formula1 == "=LeadList" and dv.errorStyle == "stop"
    assert dv.showInputMessage and "Lists sheet" in dv.prompt
    leads = {a["lead"] for a in sample_plan.current_plan()["actions"]}
    ws = wb["Lists"]
    col = next(c.column for c in ws[1] if c.value == "Lead")
    assert {ws.cell(r, col).value for r in range(2, ws.max_row + 1)} - {None} == leads


@pytest.mark.parametrize(
    "sheet",
    ["Guidance", "Settings", "Actions", "Milestones", "Recommendations", "Changes", "Risks", "Measures", "Lists"],
)
def test_every_sheet_prints_on_a4_one_page_wide_with_its_name_and_page_numbers(template_wb, sheet):
    ws = template_wb[sheet]
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.oddHeader.center.text == "&A" and ws.oddFooter.right.text == "Page &P of &N"
    if sheet not in ("Guidance", "Lists"):
        assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$1:$1"
        # the header row is tall enough for every wrapped header's lines
        from openpyxl.utils import get_column_letter

        for c in ws[1]:
            width = ws.column_dimensions[get_column_letter(c.column)].width
            lines = -(-int(len(str(c.value)) * 1.2 + 2) // int(width))
            assert ws.row_dimensions[1].height >= 15 * lines, (sheet, c.value)


def test_status_and_rating_cells_have_one_colour_rule_per_value(template_wb):
    for (key, column_key), items in COLOURED.items():
        ws = template_wb[D.SHEET_NAMES[key]]
        letter = _letter(key, column_key)
        rules = [
            rule for rng in ws.conditional_formatting if str(rng.sqref).startswith(f"{letter}2:") for rule in rng.rules
        ]
        assert sorted(r.formula[0].strip('"') for r in rules) == sorted(word for word, _ in items)
        assert all(r.type == "cellIs" and r.operator == "equal" for r in rules)


def test_guidance_explains_statuses_and_the_ref_scheme(template_wb):
    text = "\n".join(str(c.value) for c in template_wb[D.SHEET_NAMES["guidance"]]["A"] if c.value)
    for status in D.STATUSES:
        assert status.meaning in text
    assert "CO.G1.5" in text and "CO.G1.5.2" in text


def test_building_twice_gives_identical_files(tmp_path):
    plan = sample_plan.current_plan()
    a = build_template(tmp_path / "a.xlsx", plan).read_bytes()
    b = build_template(tmp_path / "b.xlsx", plan).read_bytes()
    assert a == b


def test_write_bundled_writes_every_bundled_file(built):
    assert [built[k].name for k in ("template", "sample", "previous", "diagram")] == [
        "improvement-plan-monitoring-tool.xlsx",
        "sample-improvement-plan.xlsx",
        "sample-improvement-plan-previous.xlsx",
        "governance-diagram.png",
    ]
    assert [p.name for p in built["macro"]] == [
        "improvement_plan_monitoring_tool.xlsm",
        "improvement_plan_monitoring_tool.py",
        "sample_improvement_plan.xlsm",
        "sample_improvement_plan.py",
    ]


def test_the_committed_bundled_workbooks_are_what_the_build_makes(built):
    from PIL import Image

    from ipxl import resources

    for key, committed in (("template", resources.template_path()), ("sample", resources.sample_path()),
                           ("previous", resources.previous_sample_path())):  # fmt: skip
        assert built[key].read_bytes() == committed.read_bytes(), f"{committed.name} is stale: python -m ipxl.templates"
    # a PNG's bytes depend on the zlib that wrote it; its pixels do not
    with Image.open(built["diagram"]) as a, Image.open(resources.governance_path()) as b:
        assert a.size == b.size and a.tobytes() == b.tobytes()


def test_the_sample_pack_names_its_governance_diagram_with_alt_text(sample_wb):
    rows = _records(sample_wb[D.SHEET_NAMES["appendices"]], "appendices")
    assert [r["number"] for r in rows] == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert rows[7]["appendix"] == "Best Value themes"
    assert rows[3]["filter"] == "Area: Scrutiny; Audit"
    assert rows[6]["appendix"] == "Supplied file" and rows[6]["file"] == "governance-diagram.png"
    assert "Leadership Team" in rows[6]["alt_text"]


# ---------------------------------------------------------------------------- sample


def test_sample_has_at_least_sixty_actions_including_sub_and_assurance_actions(sample_wb):
    actions = _records(sample_wb[D.SHEET_NAMES["actions"]], "actions")
    types = {a["type"] for a in actions}
    assert len(actions) >= 60
    assert types == set(D.ACTION_TYPES)


def test_sample_covers_all_six_themes_and_every_status(sample_wb):
    actions = _records(sample_wb[D.SHEET_NAMES["actions"]], "actions")
    assert {a["theme"] for a in actions} == set(D.THEMES.values())
    assert {a["status"] for a in actions} == {s.name for s in D.STATUSES}


def test_sample_has_statutory_recommendations_s1_to_s3(sample_wb):
    recs = _records(sample_wb[D.SHEET_NAMES["recommendations"]], "recommendations")
    statutory = {r["rec_id"] for r in recs if r["category"] == "Statutory"}
    assert statutory == {"S1", "S2", "S3"}


def test_sample_dates_are_real_excel_dates(sample_wb):
    ws = sample_wb[D.SHEET_NAMES["actions"]]
    cell = ws[f"{_letter('actions', 'date_added')}2"]
    assert isinstance(cell.value, dt.datetime)
    assert cell.number_format == "dd/mm/yyyy"
    settings = sample_wb[D.SHEET_NAMES["settings"]]
    assert settings["B6"].value == dt.datetime(2023, 10, 31)


def test_sample_risk_scores_match_likelihood_times_impact_and_band(built):
    from ipxl.xlsx.reader import read_workbook

    risks = read_workbook(built["sample"]).sheets["risks"].frame
    assert len(risks) >= 10
    for risk in risks.to_dict("records"):
        assert risk["score"] == risk["likelihood"] * risk["impact"]
        band = next(b for b in D.SCORE_BANDS if b.low <= risk["score"] <= b.high)
        assert risk["rating"] == band.rating
        assert risk["target_likelihood"] * risk["target_impact"] <= risk["score"]


def _validate(path):
    from ipxl.checks.validation import validate

    return validate(path, today=dt.date(2023, 11, 1))


@pytest.mark.parametrize("which", ["sample", "previous"])
def test_sample_workbooks_validate_without_errors_or_warnings(built, which):
    report = _validate(built[which])
    assert [f"{f.cell} {f.code}: {f.message}" for f in report.findings] == []


def _effective_due(action):
    return action["revised_due_date"] or action["due_date"]


def test_sample_period_changes_match_the_committee_change_summary():
    current, previous = sample_plan.current_plan(), sample_plan.previous_plan()
    start, end = current["settings"]["period_start"], current["settings"]["period_end"]
    before = {a["ref"]: a for a in previous["actions"]}
    new = [a for a in current["actions"] if start <= a["date_added"] <= end]
    assert sorted(a["type"] for a in new) == ["Assurance action"] + ["Sub-action"] * 7
    assert all(a["ref"] not in before for a in new)
    moved = [
        a for a in current["actions"] if a["ref"] in before and _effective_due(a) != _effective_due(before[a["ref"]])
    ]
    assert len(moved) == 3
    over = [a for a in moved if (_effective_due(a) - _effective_due(before[a["ref"]])).days > 92]
    assert len(over) == 1
    proposed = [
        a for a in current["actions"] if a["closure"] == "Proposed to close" and before[a["ref"]]["closure"] == "Open"
    ]
    assert sorted(a["type"] for a in proposed) == ["Action"] * 4 + ["Assurance action"] * 3
    leads = [
        a for a in current["actions"] if a["ref"] in before and a["delivery_lead"] != before[a["ref"]]["delivery_lead"]
    ]
    assert len(leads) == 3
    logged = {(c["ref"], c["change_type"]) for c in current["changes"] if start <= c["date"] <= end}
    assert {(a["ref"], "Timescale change") for a in moved} <= logged
    assert {(a["ref"], "Delivery lead change") for a in leads} <= logged


def test_previous_sample_changes_log_stops_at_its_period_end():
    previous = sample_plan.previous_plan()
    assert max(c["date"] for c in previous["changes"]) <= previous["settings"]["period_end"]


# ------------------------------------------------------------------------- synthetic


def test_synthetic_plan_has_exactly_n_actions(tmp_path):
    path = _synthetic().write_plan(tmp_path / "plan.xlsx", 500, seed=3)
    wb = openpyxl.load_workbook(path, read_only=True)
    # the Appendices sheet is optional: the synthetic plans use the default pack
    assert wb.sheetnames == [D.SHEET_NAMES[k] for k in SPEC_SHEETS if k not in ("appendices", "report")] + [
        D.SHEET_NAMES["report"]
    ]
    header = next(wb[D.SHEET_NAMES["actions"]].iter_rows(max_row=1, values_only=True))
    assert list(header) == [c.header for c in D.COLUMNS["actions"]]
    assert len(_records(wb[D.SHEET_NAMES["actions"]], "actions")) == 500


def test_synthetic_previous_plan_has_about_five_percent_fewer_actions(tmp_path):
    path = _synthetic().write_plan(tmp_path / "prev.xlsx", 2000, seed=3, previous=True)
    wb = openpyxl.load_workbook(path, read_only=True)
    n = len(_records(wb[D.SHEET_NAMES["actions"]], "actions"))
    assert 1800 <= n < 1980


@pytest.mark.parametrize("previous", [False, True])
def test_synthetic_plans_validate_without_errors(tmp_path, previous):
    path = _synthetic().write_plan(tmp_path / "plan.xlsx", 1500, seed=7, previous=previous)
    report = _validate(path)
    assert [f for f in report.findings if f.severity == "error"] == []


def test_every_header_fits_its_column_without_breaking_a_word():
    for key, cols in D.COLUMNS.items():
        for c in cols:
            assert max(len(w) for w in c.header.split()) * 1.2 + 2 <= c.width, (key, c.header)


def test_the_lists_sheet_is_protected_against_slips_without_a_password(built):
    from ipxl.xlsx.reader import read_workbook

    for key in ("template", "sample"):
        ws = openpyxl.load_workbook(built[key])[D.SHEET_NAMES["lists"]]
        assert ws.protection.sheet and not ws.protection.password
        assert ws.protection.formatColumns is False and ws.protection.autoFilter is False
    # ipxl reads it as before
    assert len(read_workbook(built["sample"]).lists.themes) >= 5


def test_libreoffice_prints_the_template_on_a4_with_no_line_or_header_cut(built, tmp_path):
    """What a clerk sees on paper: every page A4; every Guidance line whole, in order
    (a line running off the page loses its end); every header's words whole (a header
    too tall for its row is cut: "Recommendation s")."""
    import re

    from tools import pdf_of, pdf_pages

    pages = pdf_pages(pdf_of(built["template"], tmp_path))
    assert pages and all(size in ((595, 842), (842, 595)) for size, _ in pages), [s for s, _ in pages]
    text = " ".join(t for _, t in pages)
    guidance = " ".join(t for _, t in pages if t.startswith("Guidance"))
    for cell in openpyxl.load_workbook(built["template"])[D.SHEET_NAMES["guidance"]]["A"]:
        if cell.value:
            assert " ".join(str(cell.value).split()) in guidance, cell.value
    words = set(re.findall(r"[\w'/]+", text))
    for key in D.RECORD_SHEETS:
        for column in D.COLUMNS[key]:
            for word in re.findall(r"[\w'/]+", column.header):
                assert word in words, (key, column.header)


def test_libreoffice_prints_no_page_of_the_sample_that_holds_only_a_header(built, tmp_path):
    # a row with a formula is a printed row: spare formula rows must not make blank pages
    import re

    from tools import pdf_of, pdf_pages

    headers = {D.SHEET_NAMES[k]: " ".join(c.header for c in D.COLUMNS[k]) for k in D.RECORD_SHEETS}
    for _, text in pdf_pages(pdf_of(built["sample"], tmp_path)):
        sheet = text.split(" ")[0]
        if sheet in headers:
            rest = text
            for word in re.findall(r"\S+", f"{sheet} {headers[sheet]} {built['sample'].name} Page of"):
                rest = rest.replace(word, "", 1)
            assert len(re.sub(r"[\W\d]", "", rest)) > 20, (sheet, text[:200])
