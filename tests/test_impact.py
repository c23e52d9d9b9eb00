"""Evidence of impact (issue 28): the Best Value themes and Confidence of the actions,
the Measures sheet, each measure's state, ``ipxl rollup --by best-value`` and the
measures across the monthly workbooks."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from builders import clean_plan, measure, write_workbook
from click.testing import CliRunner

from ipxl import defaults as D
from ipxl.analysis.history import history, tidy_tables
from ipxl.analysis.impact import MEASURES_SCHEMA, best_value, measure_frame
from ipxl.checks.validation import validate
from ipxl.cli import main
from ipxl.xlsx.reader import read_workbook

#: Each action's Best Value themes and Confidence in the plan below.
TAGS = {
    "SD.D1.3": ("Use of Resources", "High"),
    "SD.D1.3.1": ("Use of Resources", None),
    "CO.G1.5": ("Leadership; Culture", "Medium"),
    "CO.E1.5": ("Governance", "High"),
    "PC.A5.3": ("Service Delivery", "Low"),
    "OC.E2.8": (None, None),
}


def impact_plan() -> dict:
    """The clean plan with its actions mapped to Best Value themes (CO.G1.5 to two,
    OC.E2.8 to none) and a measure in every state: M1 target met, M2 improving, M3
    not improving (lower is better, and it rose), M4 no data since its baseline, M5
    improving but naming an action that does not exist, M6 under two themes, level
    with its baseline, its action complete and no evidence given. Continuous
    Improvement and Partnerships and Community Engagement have no measure."""
    p = clean_plan()
    for a in p["actions"]:
        a["best_value"], a["confidence"] = TAGS[a["ref"]]
    p["measures"] = [
        measure("M1", "Savings delivered", "Use of Resources", latest=65, proxy="Yes"),
        measure("M2", "Members rating the relationship good", "Leadership", action_refs="CO.G1.5"),
        measure(
            "M3",
            "Days to answer a complaint",
            "Service Delivery",
            action_refs="PC.A5.3",
            baseline=20,
            latest=25,
            target=10,
            better_when="Lower",
        ),
        measure(
            "M4",
            "Staff who know the values",
            "Culture",
            action_refs="CO.G1.5",
            latest=None,
            latest_date=None,
            baseline_date=dt.date(2023, 9, 30),
        ),
        measure(
            "M5",
            "Late decisions",
            "Governance",
            action_refs="XX.Y1.9",
            baseline=10,
            latest=5,
            target=2,
            better_when="Lower",
        ),
        measure(
            "M6",
            "Decisions on the Forward Plan",
            "Governance; Culture",
            action_refs="CO.E1.5",
            baseline=70,
            latest=70,
            target=90,
            evidence=None,
        ),
    ]
    return p


@pytest.fixture
def plan_path(tmp_path):
    return write_workbook(tmp_path / "plan.xlsx", impact_plan())


def rollup_json(path) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["rollup", str(path), "--by", "best-value", "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def _measure_plan(*rows: dict) -> dict:
    p = clean_plan()
    p["measures"] = list(rows)
    return p


def findings(tmp_path, plan: dict, *codes: str) -> list:
    report = validate(write_workbook(tmp_path / "p.xlsx", plan))
    return [f for f in report.findings if not codes or f.code in codes]


# ------------------------------------------------------------------- the roll-up


def test_rollup_by_best_value_counts_each_themes_actions_by_status_and_confidence_exactly(plan_path):
    code, data = rollup_json(plan_path)
    assert code == 1  # M5's action does not exist: figures printed, then the error
    themes = data["by_best_value"]
    assert list(themes) == [*D.BEST_VALUE_THEMES, "(no Best Value theme)"]
    status = {t: {k: v for k, v in c["actions"].items() if v} for t, c in themes.items()}
    assert status == {
        "Continuous Improvement": {},
        "Leadership": {"Amber": 1, "total": 1},
        "Governance": {"Complete": 1, "total": 1},
        "Culture": {"Amber": 1, "total": 1},
        "Use of Resources": {"Green": 2, "total": 2},
        "Service Delivery": {"Red": 1, "total": 1},
        "Partnerships and Community Engagement": {},
        "(no Best Value theme)": {"Not started": 1, "total": 1},
    }
    confidence = {t: {k: v for k, v in c["confidence"].items() if v} for t, c in themes.items()}
    assert confidence == {
        "Continuous Improvement": {},
        "Leadership": {"Medium": 1, "total": 1},
        "Governance": {"High": 1, "total": 1},
        "Culture": {"Medium": 1, "total": 1},
        "Use of Resources": {"High": 1, "Not given": 1, "total": 2},
        "Service Delivery": {"Low": 1, "total": 1},
        "Partnerships and Community Engagement": {},
        "(no Best Value theme)": {"Not given": 1, "total": 1},
    }
    assert list(themes["Leadership"]["confidence"]) == ["High", "Medium", "Low", "Not given", "total"]
    # the roll-up's own figures are still there
    assert data["totals"]["total"] == 6 and "by_theme" in data


def test_rollup_by_best_value_counts_each_themes_measures_by_state_exactly(plan_path):
    _, data = rollup_json(plan_path)
    measures = {t: {k: v for k, v in c["measures"].items() if v} for t, c in data["by_best_value"].items()}
    assert measures == {
        "Continuous Improvement": {},
        "Leadership": {"Improving": 1, "total": 1},
        "Governance": {"Improving": 1, "Not improving": 1, "total": 2},
        "Culture": {"Not improving": 1, "No data since baseline": 1, "total": 2},
        "Use of Resources": {"Target met": 1, "total": 1},
        "Service Delivery": {"Not improving": 1, "total": 1},
        "Partnerships and Community Engagement": {},
        "(no Best Value theme)": {},
    }
    assert list(data["by_best_value"]["Culture"]["measures"]) == [*D.MEASURE_STATES, "total"]
    states = {m["ref"]: m["state"] for m in data["measures"]}
    assert states == {"M1": "Target met", "M2": "Improving", "M3": "Not improving",
                      "M4": "No data since baseline", "M5": "Improving", "M6": "Not improving"}  # fmt: skip
    m1 = data["measures"][0]
    assert m1 == {
        "ref": "M1", "measure": "Savings delivered", "best_value": ["Use of Resources"], "action_refs": ["SD.D1.3"],
        "baseline": 40, "baseline_date": "2023-06-30", "target": 60, "target_date": "2024-03-31", "latest": 65,
        "latest_date": "2023-09-30", "better_when": "Higher", "evidence": "Savings delivered report, September 2023",
        "proxy": True, "state": "Target met",
    }  # fmt: skip
    assert data["measures"][5]["best_value"] == ["Governance", "Culture"]


def test_a_measure_whose_action_refs_do_not_exist_is_an_error_at_its_cell_and_still_counted(plan_path):
    report = validate(plan_path)
    (error,) = [f for f in report.findings if f.severity == "error"]
    assert (error.sheet, error.cell, error.code) == ("Measures", "D6", "unknown-action")
    assert error.message == "Action ref 'XX.Y1.9' is not in the Actions sheet."
    (warning,) = [f for f in report.findings if f.severity == "warning"]
    assert (warning.cell, warning.code) == ("L7", "evidence-missing")
    assert warning.message == "Measure M6 has no evidence, though its action CO.E1.5 is Complete."
    assert warning.suggestion == "Name the evidence of its impact in Evidence: a link or a document's name."


def test_the_text_rollup_shows_the_three_tables_and_the_measures_proxies_first(plan_path):
    result = CliRunner().invoke(main, ["rollup", str(plan_path), "--by", "best-value"])
    out = result.stdout
    assert result.exit_code == 1 and "Measures D6: Action ref 'XX.Y1.9'" in result.stderr
    for title in ("Actions by status", "Actions by confidence", "Measures by state at period end"):
        assert title in out
    line = next(x for x in out.splitlines() if x.startswith("Use of Resources") and "Target met" not in x)
    assert "2 (100%)" in line
    listed = out.split("Measures (6, proxies for success first):")[1].splitlines()
    assert listed[1] == "  M1: Target met (baseline 40, latest 65, target 60) [proxy for success]"
    assert listed[3] == "  M3: Not improving (baseline 20, latest 25, target 10)"


def test_a_workbook_without_measures_or_the_new_columns_rolls_up_by_best_value_with_zeros(tmp_path):
    path = write_workbook(
        tmp_path / "old.xlsx", clean_plan(), omit_columns={"actions": ("best_value", "confidence", "achievement")}
    )
    assert validate(path).findings == []  # made before these columns: still clean
    code, data = rollup_json(path)
    assert code == 0 and data["measures"] == []
    assert data["by_best_value"]["(no Best Value theme)"]["actions"]["total"] == 6
    assert all(c["measures"]["total"] == 0 for c in data["by_best_value"].values())


def test_a_workbook_made_before_the_follow_up_findings_column_is_still_clean(tmp_path):
    path = write_workbook(tmp_path / "old.xlsx", clean_plan(), omit_columns={"recommendations": ("follow_up",)})
    assert validate(path).findings == []


# ------------------------------------------------------------------ the states


@pytest.mark.parametrize(
    ("values", "state"),
    [
        ({"baseline": 40, "latest": 60, "target": 60}, "Target met"),
        ({"baseline": 40, "latest": 41, "target": 60}, "Improving"),
        ({"baseline": 40, "latest": 40, "target": 60}, "Not improving"),
        ({"baseline": 40, "latest": 30, "target": 60}, "Not improving"),
        ({"baseline": 20, "latest": 10, "target": 10, "better_when": "Lower"}, "Target met"),
        ({"baseline": 20, "latest": 15, "target": 10, "better_when": "Lower"}, "Improving"),
        ({"baseline": 40, "latest": None, "latest_date": None}, "No data since baseline"),
        ({"baseline": 40, "latest": 70, "latest_date": dt.date(2023, 6, 30)}, "No data since baseline"),
        ({"baseline": None, "latest": 50, "target": 60}, "No data since baseline"),
        ({"baseline": None, "latest": 65, "target": 60}, "Target met"),
        ({"baseline": 40, "latest": 50, "target": None}, "Improving"),
        ({"latest": 50, "better_when": None}, "Not judged"),
        ({"latest": 50, "better_when": "higher is better"}, "Improving"),
    ],
)
def test_a_measures_state_follows_the_documented_rules(tmp_path, values, state):
    path = write_workbook(tmp_path / "p.xlsx", _measure_plan(measure("M1", "Measure", "Governance", **values)))
    assert measure_frame(read_workbook(path))["state"].tolist() == [state]


def test_not_judged_is_a_column_only_when_a_measure_needs_it(tmp_path):
    plan = _measure_plan(measure("M1", "A", "Governance"), measure("M2", "B", "Governance", better_when=None))
    themes = best_value(write_workbook(tmp_path / "p.xlsx", plan))
    assert list(themes.measures.columns) == [*D.MEASURE_STATES, D.NOT_JUDGED, "total"]
    assert themes.measures.loc["Governance"].to_dict() == {
        "Target met": 0, "Improving": 1, "Not improving": 0, "No data since baseline": 0, "Not judged": 1, "total": 2
    }  # fmt: skip


# ------------------------------------------------------------------ validation


def test_a_best_value_theme_not_in_lists_is_an_error_naming_the_part_and_what_it_meant(tmp_path):
    plan = impact_plan()
    plan["actions"][0]["best_value"] = "Leadership; Goverance"
    plan["actions"][2]["best_value"] = "Resources"
    plan["actions"][3]["best_value"] = "Value for money"
    plan["measures"][0]["best_value"] = " governance "
    got = {f.cell: (f.severity, f.code, f.message, f.suggestion) for f in findings(tmp_path, plan, "invalid-best-value-theme", "spelling")}  # fmt: skip
    assert got == {
        "R2": ("error", "invalid-best-value-theme",
               "Best Value theme 'Leadership; Goverance': 'Goverance' is not a Best Value theme in Lists; did you "
               "mean 'Leadership; Governance'?", "Leadership; Governance"),
        "R4": ("error", "invalid-best-value-theme",
               "Best Value theme 'Resources': 'Resources' is not a Best Value theme in Lists; did you mean "
               "'Use of Resources'?", "Use of Resources"),
        "R5": ("error", "invalid-best-value-theme",
               "Best Value theme 'Value for money': 'Value for money' is not a Best Value theme in Lists; use one or "
               f"more of: {', '.join(D.BEST_VALUE_THEMES)}.", f"One or more of: {', '.join(D.BEST_VALUE_THEMES)}, "
               "separated by ;"),
        "C2": ("warning", "spelling",
               "Best Value theme ' governance ' is not spelled as in Lists ('Governance'); it was read as Governance.",
               "Governance"),
    }  # fmt: skip


def test_confidence_and_better_when_come_from_lists_with_the_likely_word_as_the_fix(tmp_path):
    plan = impact_plan()
    plan["actions"][0]["confidence"] = "Very"
    plan["actions"][2]["confidence"] = "med"
    plan["measures"][0]["better_when"] = "up"
    got = {f.cell: (f.code, f.message, f.suggestion) for f in findings(tmp_path, plan, "invalid-confidence", "invalid-better-when")}  # fmt: skip
    assert got == {
        "S2": ("invalid-confidence", "Confidence 'Very' is not a confidence level in Lists; use one of: High, Medium, "
               "Low.", "One of: High, Medium, Low"),
        "S4": ("invalid-confidence", "Confidence 'med' is not a confidence level in Lists; did you mean 'Medium'?",
               "Medium"),
        "K2": ("invalid-better-when", "Better when 'up' is not a direction of improvement in Lists; did you mean "
               "'Higher'?", "Higher"),
    }  # fmt: skip


def test_measure_values_must_be_numbers_and_refs_unique_and_dates_real(tmp_path):
    plan = impact_plan()
    plan["measures"][0]["latest"] = "about 65"
    plan["measures"][1]["baseline"] = "#DIV/0!"
    plan["measures"][2]["measure_ref"] = "M1"
    plan["measures"][3]["target_date"] = "31/03/3024"
    plan["measures"][4]["proxy"] = "Maybe"
    got = {f.cell: (f.code, f.message) for f in findings(tmp_path, plan) if f.severity == "error"}
    assert got == {
        "I2": ("not-a-number", "Latest 'about 65' of measure M1 is not a number."),
        "E3": ("not-a-number", "Baseline '#DIV/0!' of measure M2 is not a number."),
        "A4": ("duplicate-id", "Measure ref 'M1' is used again; it first appears in row 2."),
        "H5": ("invalid-date", "Target date '31/03/3024' has the year 3024, which looks like a typo."),
        "D6": ("unknown-action", "Action ref 'XX.Y1.9' is not in the Actions sheet."),
        "M6": ("invalid-proxy", "Proxy for success 'Maybe' of measure M5 is neither Yes nor blank."),
    }


def test_a_measure_with_values_needs_better_when_and_a_theme(tmp_path):
    plan = _measure_plan(measure("M1", "A", None, better_when=None))
    got = {f.cell: (f.severity, f.code, f.message) for f in findings(tmp_path, plan)}
    assert got == {
        "K2": ("error", "required", "Better when is required to judge measure M1 (Higher or Lower)."),
        "C2": ("warning", "best-value-theme-missing", "Measure M1 has no Best Value theme, so no theme shows it."),
    }


def test_a_target_or_latest_with_no_baseline_is_a_warning_with_the_fix(tmp_path):
    plan = _measure_plan(measure("M1", "A", "Governance", baseline=None), measure("M2", "B", "Governance",
                         baseline=None, target=None, baseline_date=None))  # fmt: skip
    got = [(f.cell, f.message, f.suggestion) for f in findings(tmp_path, plan, "baseline-missing")]
    assert got == [
        ("E2", "Measure M1 has a target but no baseline, so whether it is improving cannot be judged.",
         "Enter the baseline (the value when the measure was set) and its date."),
        ("E3", "Measure M2 has a latest value but no baseline, so whether it is improving cannot be judged.",
         "Enter the baseline (the value when the measure was set) and its date."),
    ]  # fmt: skip


def test_a_value_older_than_two_periods_is_stale_and_one_after_period_end_is_questioned(tmp_path):
    # the period is 01/08/2023 to 31/10/2023 (92 days): two periods back is 30/04/2023
    plan = _measure_plan(
        measure("M1", "A", "Governance", baseline_date=dt.date(2022, 6, 30), latest_date=dt.date(2023, 4, 29)),
        measure("M2", "B", "Governance", baseline_date=dt.date(2023, 5, 1), latest_date=dt.date(2023, 5, 1)),
        measure("M3", "C", "Governance", baseline_date=dt.date(2023, 1, 31), latest=None, latest_date=None),
        measure("M4", "D", "Governance", latest_date=dt.date(2023, 11, 30)),
    )
    got = [(f.cell, f.code, f.message) for f in findings(tmp_path, plan, "measure-stale", "latest-after-period")]
    assert got == [
        ("J2", "measure-stale", "Measure M1's latest value is dated 29/04/2023, more than 2 reporting periods before "
         "Period end (31/10/2023)."),
        ("J4", "measure-stale", "Measure M3's only value is its baseline, dated 31/01/2023, more than 2 reporting "
         "periods before Period end (31/10/2023)."),
        ("J5", "latest-after-period", "Measure M4's latest value is dated 30/11/2023, after Period end (31/10/2023)."),
    ]  # fmt: skip


def test_a_measures_sheet_without_the_columns_the_states_need_is_reported_once(tmp_path):
    plan = _measure_plan(measure("M1", "A", "Governance"))
    path = write_workbook(tmp_path / "p.xlsx", plan, omit_columns={"measures": ("better_when", "evidence")})
    got = [(f.code, f.column) for f in validate(path).findings]
    assert got == [("missing-column", "Better when")]


# --------------------------------------------------------------------- history


def test_the_history_follows_each_measures_latest_across_the_workbooks(tmp_path):
    before = impact_plan()
    before["settings"].update(period="July 2023", period_start=dt.date(2023, 5, 1), period_end=dt.date(2023, 7, 31))
    for m in before["measures"]:
        m.update(latest=45, latest_date=dt.date(2023, 7, 31))
    before["measures"][3].update(latest=None, latest_date=None, baseline_date=dt.date(2023, 6, 30))
    write_workbook(tmp_path / "july.xlsx", before)
    now = impact_plan()
    now["settings"]["previous_workbook"] = "july.xlsx"
    h = history([write_workbook(tmp_path / "october.xlsx", now)])
    m1 = h.measures[0]
    assert m1 == {"ref": "M1", "measure": "Savings delivered", "best_value": ["Use of Resources"], "latest": [45, 65],
                  "latest_date": ["2023-07-31", "2023-09-30"], "states": ["Improving", "Target met"]}  # fmt: skip
    assert h.to_dict()["measures"] == h.measures
    table = tidy_tables(h)["measures"]
    assert list(table.columns) == list(MEASURES_SCHEMA) and len(table) == 12
    text = CliRunner().invoke(main, ["history", str(tmp_path / "october.xlsx")]).stdout
    assert "Measures of impact, latest value by period (6):\n  M1: 45 -> 65 (Target met)\n" in text
    assert "  M4: - -> - (No data since baseline)" in text
    rows = table[table["ref_key"] == "M3"]
    assert rows["latest"].tolist() == [45.0, 25.0] and rows["state"].tolist() == ["Not improving", "Not improving"]


def test_the_measures_table_schema_in_the_docs_matches_the_code():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "history.md").read_text()
    for name, meaning in MEASURES_SCHEMA.items():
        assert f"| `{name}` | {meaning} |" in doc, name


def test_a_measures_table_is_written_even_for_a_plan_without_measures(tmp_path):
    h = history([write_workbook(tmp_path / "p.xlsx", clean_plan())])
    table = tidy_tables(h)["measures"]
    assert list(table.columns) == list(MEASURES_SCHEMA) and table.empty
    assert isinstance(table, pd.DataFrame)
