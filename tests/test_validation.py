"""Every rule plants its fault in a real workbook and finds it at the right cell.

Actions columns in the builder's default order: A Ref, B Theme, C Workstream, D Type,
E Description, F Recommendations, G Director / Lead, H Delivery lead, I Due date,
J Revised due date, K Status, L Progress update, M Exception reason, N Date added,
O Completion date, P Closure. ``plan["actions"][0]`` is Excel row 2.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from builders import action, clean_plan, write_workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ipxl


def run(tmp_path, plan, **kw):
    path = write_workbook(tmp_path / "plan.xlsx", plan, **kw)
    return ipxl.validate(path)


def only(report, code):
    found = [f for f in report if f.code == code]
    assert found, f"no {code} finding in {[(f.code, f.cell) for f in report]}"
    return found


def test_the_clean_plan_has_no_findings(tmp_path):
    report = run(tmp_path, clean_plan())
    assert report.findings == []
    assert report.ok


@pytest.mark.parametrize(
    "typed, meant, severity, code",
    [
        ("green ", "Green", "warning", "spelling"),
        (" Amber ", "Amber", "warning", "spelling"),
        ("G", "Green", "error", "invalid-status"),
        ("On track", "Green", "error", "invalid-status"),
        ("Purple", None, "error", "invalid-status"),
    ],
)
def test_a_near_miss_status_is_reported_with_the_status_it_meant(tmp_path, typed, meant, severity, code):
    plan = clean_plan()
    plan["actions"][0]["status"] = typed
    f = only(run(tmp_path, plan), code)[0]
    assert (f.sheet, f.cell, f.severity, f.column) == ("Actions", "K2", severity, "Status")
    if meant:
        assert f.suggestion == meant
    else:
        assert "Complete" in f.suggestion


def test_a_date_typed_as_text_is_understood_and_reported_as_the_date(tmp_path):
    plan = clean_plan()
    plan["actions"][1]["due_date"] = "31/03/24"
    report = run(tmp_path, plan)
    f = only(report, "date-as-text")[0]
    assert (f.cell, f.severity, f.suggestion) == ("I3", "warning", "31/03/2024")
    assert ipxl.read_workbook(tmp_path / "plan.xlsx").actions.at[3, "due_date"] == dt.datetime(2024, 3, 31)


def test_a_due_date_that_is_not_a_date_is_an_error(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["due_date"] = "next spring"
    f = only(run(tmp_path, plan), "invalid-date")[0]
    assert (f.cell, f.severity) == ("I2", "error")
    assert "Ongoing" in f.message


def test_due_date_keywords_are_accepted_and_tbc_is_a_warning(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["due_date"] = "Ongoing"
    plan["actions"][1]["due_date"] = "TBC"
    report = run(tmp_path, plan)
    assert [(f.code, f.cell, f.severity) for f in report] == [("tbc-date", "I3", "warning")]


def test_a_blank_required_value_is_an_error_at_its_cell(tmp_path):
    plan = clean_plan()
    plan["actions"][2]["lead"] = None
    f = only(run(tmp_path, plan), "required")[0]
    assert (f.sheet, f.cell, f.column, f.severity) == ("Actions", "G4", "Director / Lead", "error")


def test_a_repeated_ref_is_reported_on_its_second_row(tmp_path):
    plan = clean_plan()
    plan["actions"][3]["ref"] = "CO.G1.5"
    plan["actions"][3]["type"] = "Action"
    f = only(run(tmp_path, plan), "duplicate-ref")[0]
    assert f.cell == "A5" and "row 4" in f.message


def test_a_badly_formed_ref_suggests_the_tidy_ref(tmp_path):
    plan = clean_plan()
    plan["actions"][5]["ref"] = "oc.e2.8"
    f = only(run(tmp_path, plan), "invalid-ref")[0]
    assert (f.cell, f.suggestion) == ("A7", "OC.E2.8")


def test_a_ref_whose_theme_code_is_not_the_rows_theme_is_an_error(tmp_path):
    plan = clean_plan()
    plan["actions"][5]["theme"] = "Decision Making"
    f = only(run(tmp_path, plan), "ref-theme-mismatch")[0]
    assert (f.cell, f.severity) == ("A7", "error")
    assert f.suggestion == "Theme Organisational Culture"


def test_a_theme_typed_as_its_code_suggests_the_theme_name(tmp_path):
    plan = clean_plan()
    plan["actions"][5]["theme"] = "OC"
    f = only(run(tmp_path, plan), "invalid-theme")[0]
    assert (f.cell, f.suggestion) == ("B7", "Organisational Culture")


def test_a_sub_action_without_its_parent_is_an_error(tmp_path):
    plan = clean_plan()
    plan["actions"][1]["ref"] = "SD.D1.9.1"
    f = only(run(tmp_path, plan), "missing-parent")[0]
    assert f.cell == "A3" and "SD.D1.9" in f.message


def test_a_sub_action_with_a_main_action_ref_is_an_error(tmp_path):
    plan = clean_plan()
    plan["actions"][1]["ref"] = "SD.D1.4"
    assert only(run(tmp_path, plan), "subaction-ref")[0].cell == "A3"


def test_an_unknown_type_and_closure_are_errors_with_suggestions(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["type"] = "sub action"
    plan["actions"][0]["closure"] = "BAU"
    report = run(tmp_path, plan)
    assert only(report, "invalid-type")[0].suggestion == "Sub-action"
    assert only(report, "invalid-closure")[0].suggestion == "Moved to business as usual"


def test_a_recommendation_link_to_a_missing_rec_is_an_error(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["recommendations"] = "S1; S9"
    f = only(run(tmp_path, plan), "unknown-recommendation")[0]
    assert f.cell == "F2" and "S9" in f.message


def test_a_revised_date_without_a_timescale_change_is_an_error(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["revised_due_date"] = dt.date(2024, 6, 30)
    f = only(run(tmp_path, plan), "revised-without-change")[0]
    assert (f.cell, f.severity) == ("J2", "error")


def test_a_revised_date_with_a_logged_timescale_change_is_fine(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["revised_due_date"] = dt.date(2024, 6, 30)
    plan["changes"].append(
        {
            "date": dt.date(2023, 10, 1),
            "ref": "SD.D1.3",
            "change_type": "Timescale change",
            "old_value": dt.date(2024, 3, 31),
            "new_value": dt.date(2024, 6, 30),
            "reason": "Delay",
            "approved_by": "Leadership Team",
        }
    )
    assert run(tmp_path, plan).findings == []


@pytest.mark.parametrize(
    "status, severity, code",
    [
        ("Red", "error", "progress-required"),
        ("Amber", "error", "progress-required"),
        ("Green", "warning", "progress-missing"),
    ],
)
def test_a_missing_progress_update_depends_on_status(tmp_path, status, severity, code):
    plan = clean_plan()
    plan["actions"][0].update(status=status, progress_update=None, exception_reason="x")
    f = only(run(tmp_path, plan), code)[0]
    assert (f.cell, f.severity) == ("L2", severity)


def test_red_needs_an_exception_reason_and_amber_is_warned(tmp_path):
    plan = clean_plan()
    plan["actions"][4]["exception_reason"] = None  # Red
    plan["actions"][2]["exception_reason"] = None  # Amber
    report = run(tmp_path, plan)
    assert [(f.cell, f.severity) for f in only(report, "exception-required")] == [("M6", "error")]
    assert [(f.cell, f.severity) for f in only(report, "exception-missing")] == [("M4", "warning")]


def test_a_date_added_after_the_period_is_an_error(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["date_added"] = dt.date(2023, 11, 15)
    assert only(run(tmp_path, plan), "date-added-after-period")[0].cell == "N2"


def test_completion_rules(tmp_path):
    plan = clean_plan()
    plan["actions"][3]["completion_date"] = None  # Complete, no date
    plan["actions"][0]["completion_date"] = dt.date(2023, 9, 1)  # Green with a date
    report = run(tmp_path, plan)
    assert only(report, "completion-missing")[0].cell == "O5"
    assert only(report, "completion-not-complete")[0].cell == "O2"


def test_complete_with_a_future_completion_date_is_an_error(tmp_path):
    plan = clean_plan()
    plan["actions"][3]["completion_date"] = dt.date(2023, 12, 25)
    f = only(run(tmp_path, plan), "completion-in-future")[0]
    assert (f.cell, f.severity) == ("O5", "error")


def test_overdue_but_rated_green_is_a_warning_on_the_status(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["due_date"] = dt.date(2023, 9, 30)
    f = only(run(tmp_path, plan), "overdue-green")[0]
    assert (f.cell, f.severity) == ("K2", "warning")
    assert "overdue but rated Green" in f.message


def test_a_closed_parent_with_open_sub_actions_is_warned(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["closure"] = "Closed"
    f = only(run(tmp_path, plan), "closed-parent-open-children")[0]
    assert f.cell == "P2" and "SD.D1.3.1" in f.message


def test_milestone_rules(tmp_path):
    plan = clean_plan()
    plan["milestones"][0]["completed_date"] = None
    plan["milestones"][1]["ref"] = "XX.Y1.1"
    plan["milestones"].append({"ref": "SD.D1.3", "milestone": "Later", "due_date": "TBC", "status": "Done"})
    report = run(tmp_path, plan)
    assert only(report, "completed-date-required")[0].cell == "E2"
    assert only(report, "unknown-action")[0].cell == "A3"
    assert only(report, "tbc-date")[0].cell == "C4"
    f = only(report, "invalid-status")[0]
    assert (f.sheet, f.cell) == ("Milestones", "D4")


def test_recommendation_rules(tmp_path):
    plan = clean_plan()
    plan["recommendations"][1]["response"] = None
    plan["recommendations"][1]["action_refs"] = "PC.A5.3; PC.A9.9"
    plan["recommendations"][1]["review"] = "Grant Thornton 2022"
    report = run(tmp_path, plan)
    assert only(report, "response-missing")[0].cell == "G3"
    assert only(report, "unknown-action")[0].cell == "H3"
    assert only(report, "invalid-review")[0].cell == "B3"


def test_a_statutory_recommendation_with_no_live_action_is_an_error(tmp_path):
    plan = clean_plan()
    plan["recommendations"][0]["action_refs"] = "Commentary"
    plan["actions"][0]["recommendations"] = None
    f = only(run(tmp_path, plan), "statutory-unlinked")[0]
    assert (f.sheet, f.cell, f.severity) == ("Recommendations", "H2", "error")


def test_a_statutory_recommendation_linked_only_to_closed_actions_is_an_error(tmp_path):
    plan = clean_plan()
    plan["recommendations"][0]["action_refs"] = "CO.G1.5"
    plan["actions"][0]["recommendations"] = None
    plan["actions"][2]["closure"] = "Closed"
    assert only(run(tmp_path, plan), "statutory-unlinked")


def test_change_log_rules(tmp_path):
    plan = clean_plan()
    plan["changes"].append(
        {
            "date": dt.date(2023, 11, 30),
            "ref": "SD.D1.3",
            "change_type": "Timescale change",
            "old_value": "soon",
            "new_value": dt.date(2024, 6, 30),
            "reason": None,
            "approved_by": None,
        }
    )
    report = run(tmp_path, plan)
    assert only(report, "change-after-period")[0].cell == "A3"
    assert only(report, "invalid-date")[0].cell == "D3"
    assert only(report, "required")[0].cell == "F3"
    assert only(report, "approval-missing")[0].cell == "G3"


def test_risk_score_and_rating_must_match(tmp_path):
    plan = clean_plan()
    plan["risks"][0]["score"] = 10
    plan["risks"][1]["rating"] = "Amber"
    report = run(tmp_path, plan)
    f = only(report, "score-mismatch")[0]
    assert (f.sheet, f.cell, f.suggestion) == ("Risks", "H2", "12")
    f = only(report, "rating-mismatch")[0]
    assert (f.cell, f.suggestion) == ("I3", "Red")


def test_risk_inputs_must_be_whole_numbers_from_one_to_five(tmp_path):
    plan = clean_plan()
    plan["risks"][0]["likelihood"] = 6
    plan["risks"][0]["score"] = None
    assert only(run(tmp_path, plan), "out-of-range")[0].cell == "F2"


def test_a_red_risk_needs_mitigations_and_a_target_not_above_current(tmp_path):
    plan = clean_plan()
    plan["risks"][1]["mitigations"] = None
    plan["risks"][0]["target_likelihood"] = 5
    plan["risks"][0]["target_impact"] = 5
    report = run(tmp_path, plan)
    assert only(report, "mitigations-required")[0].cell == "J3"
    assert only(report, "target-above-current")[0].cell == "L2"


def test_a_missing_sheet_is_reported_with_the_sheets_found(tmp_path):
    report = run(tmp_path, clean_plan(), omit_sheets=("risks",))
    f = only(report, "missing-sheet")[0]
    assert f.sheet == "Risks" and "Actions" in f.message and f.severity == "error"


def test_a_missing_column_is_reported_with_the_columns_found(tmp_path):
    report = run(tmp_path, clean_plan(), omit_columns={"actions": ("workstream",)})
    f = only(report, "missing-column")[0]
    assert (f.sheet, f.column) == ("Actions", "Workstream")
    assert "'Ref'" in f.message


def test_a_missing_lists_sheet_falls_back_to_the_defaults_with_a_warning(tmp_path):
    report = run(tmp_path, clean_plan(), lists=False)
    assert [(f.code, f.severity) for f in report] == [("missing-sheet", "warning")]


def test_a_value_added_to_lists_becomes_valid(tmp_path):
    import openpyxl

    plan = clean_plan()
    plan["actions"][0]["status"] = "Paused"
    path = write_workbook(tmp_path / "plan.xlsx", plan)
    wb = openpyxl.load_workbook(path)
    ws = wb["Lists"]
    col = next(c.column for c in ws[1] if c.value == "Status")
    ws.cell(8, col, "Paused")
    wb.save(path)
    assert "invalid-status" not in ipxl.validate(path).codes()


def test_the_report_is_in_workbook_order(tmp_path):
    plan = clean_plan()
    plan["actions"][4]["lead"] = None
    plan["actions"][0]["lead"] = None
    plan["risks"][0]["score"] = 1
    report = run(tmp_path, plan)
    cells = [(f.sheet, f.cell) for f in report]
    assert cells == [("Actions", "G2"), ("Actions", "G6"), ("Risks", "H2")]


def test_many_actions_validate_in_one_pass(tmp_path):
    plan = clean_plan()
    plan["actions"] += [action(f"DM.S1.{i}", "Decision Making", workstream="Scrutiny") for i in range(1, 301)]
    plan["actions"][-1]["status"] = "Bogus"
    report = run(tmp_path, plan)
    assert [(f.code, f.cell) for f in report] == [("invalid-status", "K307")]


# ------------------------------------------------- the schema's quick pass and pandera

_CELL_VALUES = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.sampled_from(["Green", "Amber", "Red", "Complete", "Not started", "Action", "Sub-action", "CO", "Open"]),
    st.sampled_from([" Amber ", "green", "", " ", "On track", "TBC"]),
    st.text(max_size=8),
    st.integers(-3, 3),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1)),
    st.booleans(),
)


@pytest.fixture(scope="module")
def actions_sheet(tmp_path_factory):
    path = write_workbook(tmp_path_factory.mktemp("schema") / "plan.xlsx", clean_plan())
    wb = ipxl.read_workbook(path)
    return wb.sheets["actions"], wb.lists


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_sheet_the_quick_pass_calls_clean_is_one_pandera_finds_nothing_in(actions_sheet, data):
    # pandera is loaded only when the quick pass says a value may fail: the two must
    # agree on any values a cell can hold, or a wrong status would reach a paper.
    import pandas as pd

    from ipxl.checks.schemas import REQUIRED_VALUES, run_schema

    sheet, lists = actions_sheet
    n = len(sheet.frame)
    keys = [
        k
        for k in ("status", "theme", "type", "closure", "confidence", *REQUIRED_VALUES["actions"])
        if k in sheet.letters
    ]
    frame, raw = sheet.frame.copy(), sheet.raw.copy()
    for key in data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=4, unique=True)):
        values = data.draw(st.lists(_CELL_VALUES, min_size=n, max_size=n))
        column = pd.Series(values, index=frame.index, dtype=object)
        frame[key] = column
        raw[key] = column
    changed = dataclasses.replace(sheet, frame=frame, raw=raw)
    assert run_schema(changed, lists) == run_schema(changed, lists, always=True)


def test_a_clean_workbook_is_validated_without_loading_pandera(tmp_path):
    import subprocess
    import sys

    path = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    plan = clean_plan()
    plan["actions"][0]["status"] = "On track"
    typo = write_workbook(tmp_path / "typo.xlsx", plan)
    probe = "import sys, ipxl; r = ipxl.validate(sys.argv[1]); print(len(r.findings), 'pandera' in sys.modules)"
    clean = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True)
    wrong = subprocess.run([sys.executable, "-c", probe, str(typo)], capture_output=True, text=True, check=True)
    assert clean.stdout.split() == ["0", "False"]
    assert wrong.stdout.split()[1] == "True" and int(wrong.stdout.split()[0]) >= 1
