"""RAG roll-up: counts known in advance from hand-built workbooks, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import bad_files
import pytest
from builders import action, clean_plan, write_workbook
from click.testing import CliRunner

import ipxl
from ipxl import defaults as D
from ipxl.analysis.rollup import UNRECOGNISED, rollup
from ipxl.cli import main

STATUSES = [s.name for s in D.STATUSES]


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def clean(tmp_path):
    return write_workbook(tmp_path / "plan.xlsx", clean_plan())


def row(frame, group):
    return {k: int(v) for k, v in frame.loc[group].items() if v}


# ----------------------------------------------------------------------- counts


def test_counts_by_theme_follow_the_lists_order_of_themes_and_statuses(clean):
    r = rollup(clean)
    assert list(r.by_theme.columns) == [*STATUSES, "total"]
    assert list(r.by_theme.index) == list(D.THEMES.values())
    assert row(r.by_theme, "Strategic Direction") == {"Green": 2, "total": 2}
    assert row(r.by_theme, "Corporate Oversight") == {"Complete": 1, "Amber": 1, "total": 2}
    assert row(r.by_theme, "Procurement and Commercial") == {"Red": 1, "total": 1}
    assert row(r.by_theme, "Organisational Culture") == {"Not started": 1, "total": 1}
    assert row(r.by_theme, "Decision Making") == {}


def test_counts_by_type_and_overall_add_up(clean):
    r = rollup(clean)
    assert list(r.by_type.index) == list(D.ACTION_TYPES)
    assert row(r.by_type, "Action") == {"Green": 1, "Amber": 1, "Red": 1, "Not started": 1, "total": 4}
    assert row(r.by_type, "Sub-action") == {"Green": 1, "total": 1}
    assert row(r.by_type, "Assurance action") == {"Complete": 1, "total": 1}
    assert r.totals.to_dict() == {
        "Complete": 1,
        "Green": 2,
        "Amber": 1,
        "Red": 1,
        "Not started": 1,
        "On hold": 0,
        "total": 6,
    }
    assert (r.by_theme.sum() == r.totals).all()


def test_counts_by_director_lead_are_sorted_by_name(tmp_path):
    plan = clean_plan()
    plan["actions"][2]["lead"] = "Chief Executive"
    plan["actions"][4]["lead"] = "Assistant Chief Executive"
    r = rollup(write_workbook(tmp_path / "plan.xlsx", plan))
    assert list(r.by_lead.index) == ["Assistant Chief Executive", "Chief Executive", "Director of Finance"]
    assert row(r.by_lead, "Chief Executive") == {"Amber": 1, "total": 1}
    assert row(r.by_lead, "Director of Finance")["total"] == 4


def test_counts_by_review_follow_links_from_either_sheet_once_per_review(clean):
    r = rollup(clean)
    # S1 (GT 2021) is linked from SD.D1.3's Recommendations cell and from S1's Action refs
    # (SD.D1.3; CO.G1.5): SD.D1.3 counts once.
    assert row(r.by_review, "Grant Thornton VFM Governance Review 2021") == {"Green": 1, "Amber": 1, "total": 2}
    assert row(r.by_review, "Grant Thornton follow-up 2022") == {"Red": 1, "total": 1}
    assert row(r.by_review, "(not linked to a review)") == {"Complete": 1, "Green": 1, "Not started": 1, "total": 3}
    assert list(r.by_review.index)[-1] == "(not linked to a review)"


def test_closed_and_business_as_usual_rows_are_not_counted_but_proposed_to_close_rows_are(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["closure"] = "Closed"
    plan["actions"][2]["closure"] = "Moved to business as usual"
    plan["actions"][4]["closure"] = "Proposed to close"
    plan["actions"][5]["closure"] = " closed "
    r = rollup(write_workbook(tmp_path / "plan.xlsx", plan))
    assert r.totals["total"] == 3
    assert r.totals.to_dict() == {
        "Complete": 1,
        "Green": 1,
        "Amber": 0,
        "Red": 1,
        "Not started": 0,
        "On hold": 0,
        "total": 3,
    }


def test_statuses_spelled_with_near_misses_count_as_what_they_mean(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["status"] = " green"
    plan["actions"][1]["status"] = "G"
    plan["actions"][2]["status"] = "At risk"
    plan["actions"][4]["status"] = "RED"
    plan["actions"][5]["status"] = "On track"
    r = rollup(write_workbook(tmp_path / "plan.xlsx", plan))
    assert r.totals.to_dict() == {
        "Complete": 1,
        "Green": 3,
        "Amber": 1,
        "Red": 1,
        "Not started": 0,
        "On hold": 0,
        "total": 6,
    }
    assert UNRECOGNISED not in r.by_theme.columns


def test_a_status_that_means_nothing_is_counted_as_unrecognised_so_totals_add_up(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["status"] = "Purple"
    r = rollup(write_workbook(tmp_path / "plan.xlsx", plan))
    assert list(r.by_theme.columns) == [*STATUSES, UNRECOGNISED, "total"]
    assert r.totals[UNRECOGNISED] == 1
    assert r.totals["total"] == 6


def test_a_theme_given_as_its_code_counts_under_the_theme(tmp_path):
    plan = clean_plan()
    plan["actions"][5]["theme"] = "oc"
    r = rollup(write_workbook(tmp_path / "plan.xlsx", plan))
    assert row(r.by_theme, "Organisational Culture") == {"Not started": 1, "total": 1}
    assert len(r.by_theme) == len(D.THEMES)


def test_a_row_moved_between_themes_is_counted_under_its_theme_in_each_period(tmp_path):
    before = clean_plan()
    after = clean_plan()
    after["actions"][1]["theme"] = "Corporate Oversight"  # SD.D1.3.1 moved, ref kept
    r0 = rollup(write_workbook(tmp_path / "before.xlsx", before))
    r1 = rollup(write_workbook(tmp_path / "after.xlsx", after))
    assert r0.by_theme.at["Strategic Direction", "Green"] == 2
    assert r0.by_theme.at["Corporate Oversight", "Green"] == 0
    assert r1.by_theme.at["Strategic Direction", "Green"] == 1
    assert r1.by_theme.at["Corporate Oversight", "Green"] == 1
    assert r0.totals.equals(r1.totals)


def test_the_counted_actions_are_worked_out_once_per_workbook_and_not_shared_between_reads(clean):
    from ipxl.analysis.history import status_counts
    from ipxl.analysis.rollup import counted_actions
    from ipxl.xlsx.reader import read_workbook

    wb = read_workbook(clean)
    first = counted_actions(wb)
    assert counted_actions(wb) is first  # the Summary and the Trend of one refresh share it
    assert status_counts(wb)["All"]["total"] == len(first) == rollup(wb).totals["total"]
    again = read_workbook(clean)
    assert again.counted is None
    assert counted_actions(again) is not first
    assert counted_actions(again).equals(first)


def test_percentages_are_shares_of_each_row_total(tmp_path):
    plan = clean_plan()
    plan["actions"].append(action("CO.G1.6", "Corporate Oversight", workstream="Corporate Plan"))
    r = rollup(write_workbook(tmp_path / "plan.xlsx", plan))
    pct = r.percentages("theme")
    assert pct.loc["Corporate Oversight"].to_dict() == {
        "Complete": 33.3,
        "Green": 33.3,
        "Amber": 33.3,
        "Red": 0.0,
        "Not started": 0.0,
        "On hold": 0.0,
        "total": 100.0,
    }
    assert pct.loc["Decision Making", "total"] == 0.0
    assert r.totals_percentages()["Green"] == round(3 / 7 * 100, 1)


# ---------------------------------------------------------------------- overdue


def test_overdue_counts_open_actions_past_their_effective_due_date_at_period_end(tmp_path):
    plan = clean_plan()
    a = plan["actions"]
    a[0]["due_date"] = dt.date(2023, 9, 30)  # overdue, Green
    a[1]["due_date"] = dt.date(2023, 9, 30)  # revised to after period end: not overdue
    a[1]["revised_due_date"] = dt.date(2023, 12, 31)
    a[2]["revised_due_date"] = dt.date(2023, 10, 30)  # revised into the past: overdue
    a[3]["due_date"] = dt.date(2023, 1, 31)  # Complete: not overdue
    a[4]["due_date"] = dt.date(2023, 1, 31)  # closed: not counted at all
    a[4]["closure"] = "Closed"
    a[5]["due_date"] = "Ongoing"  # a keyword is never overdue
    r = rollup(write_workbook(tmp_path / "plan.xlsx", plan))
    assert r.overdue == 2
    assert r.overdue_refs == ["SD.D1.3", "CO.G1.5"]


def test_a_due_date_on_period_end_is_not_yet_overdue(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["due_date"] = dt.date(2023, 10, 31)
    assert rollup(write_workbook(tmp_path / "plan.xlsx", plan)).overdue == 0


# ------------------------------------------------------------------------ shape


def test_to_dict_has_exactly_the_documented_shape(clean):
    d = rollup(clean).to_dict()
    assert list(d) == ["period", "by_theme", "by_type", "totals", "overdue"]
    assert d["period"] == "October 2023"
    assert d["by_theme"]["Strategic Direction"] == {
        "Complete": 0,
        "Green": 2,
        "Amber": 0,
        "Red": 0,
        "Not started": 0,
        "On hold": 0,
        "total": 2,
    }
    assert d["totals"]["total"] == 6
    assert d["overdue"] == 0
    json.dumps(d)  # plain JSON types only


def test_ipxl_rollup_is_the_function_even_after_its_module_is_imported(clean):
    # Regression: the module used to be ipxl/rollup.py, and importing it replaced the
    # lazily exported function ipxl.rollup with the module.
    code = (
        "import sys, ipxl.analysis.rollup, ipxl; from ipxl.analysis.rollup import Rollup;"
        f"r = ipxl.rollup({str(clean)!r}); assert isinstance(r, Rollup); print(r.totals['total'])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "6"


def test_the_sample_plan_rolls_up_every_open_action():
    from ipxl import resources

    wb = ipxl.read_workbook(resources.sample_path())
    r = rollup(wb)
    open_rows = (~wb.actions["closure"].isin(D.CLOSED_STATES)).sum()
    assert r.totals["total"] == open_rows
    assert r.by_type["total"].sum() == r.by_theme["total"].sum() == open_rows


# -------------------------------------------------------------------------- CLI


def test_rollup_json_equals_the_library_result(clean):
    result = invoke("rollup", clean, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == rollup(clean).to_dict()


def test_rollup_json_by_lead_adds_the_lead_counts(clean):
    result = invoke("rollup", clean, "--by", "lead", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data == rollup(clean).to_dict(by=("theme", "type", "lead"))
    assert data["by_lead"]["Director of Finance"]["total"] == 6


def test_rollup_text_is_a_table_with_statuses_as_columns_and_a_total_row(clean):
    result = invoke("rollup", clean)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    header = next(line for line in lines if line.startswith("Theme"))
    assert header.split()[1:] == ["Complete", "Green", "Amber", "Red", "Not", "started", "On", "hold", "Total"]
    sd = next(line for line in lines if line.startswith("Strategic Direction"))
    assert sd.split()[-1] == "2" and "2 (100%)" in sd
    total = next(line for line in lines if line.startswith("Total"))
    assert total.split()[-1] == "6"
    assert "Overdue actions (past their due date at period end and not complete): 0" in result.output


def test_rollup_by_review_shows_the_review_table_only(clean):
    result = invoke("rollup", clean, "--by", "review")
    assert result.exit_code == 0
    assert "Grant Thornton follow-up 2022" in result.output
    assert "Strategic Direction" not in result.output


@pytest.mark.parametrize("make", [bad_files.word_document, bad_files.no_actions_sheet])
def test_rollup_exits_2_with_one_sentence_for_an_unusable_file(tmp_path, make):
    path = make(tmp_path / "bad.xlsx")
    result = CliRunner().invoke(main, ["rollup", str(path)])
    assert result.exit_code == 2
    assert result.output.startswith("Error: ")
    assert len(result.output.strip().splitlines()) == 1


def test_rollup_exits_2_for_a_missing_file(tmp_path):
    result = invoke("rollup", tmp_path / "nope.xlsx")
    assert result.exit_code == 2
    assert result.output == f"Error: No file at {tmp_path / 'nope.xlsx'}; check the path and try again.\n"
