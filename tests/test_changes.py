"""Period-on-period changes: hand-built pairs of workbooks where every record and every
sentence is known in advance, the Changes-sheet cross-check, and the CLI."""

from __future__ import annotations

import datetime as dt
import json

import bad_files
import pandas as pd
import pytest
from builders import action, clean_plan, write_workbook
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import ipxl
from ipxl.analysis.changes import compare, months_between, new_this_period
from ipxl.cli import main
from ipxl.errors import NoPreviousWorkbook

D = dt.date
LT = "Leadership Team 17/10/2023"
RED = " (marked in red within the plan)"
LOGGED = D(2023, 9, 12)


def log(ref, change_type, old=None, new=None, date=LOGGED):
    return {
        "date": date,
        "ref": ref,
        "change_type": change_type,
        "old_value": old,
        "new_value": new,
        "reason": "Agreed.",
        "approved_by": LT,
    }


def plans():
    """The previous (July 2023) and current (October 2023) plans, identical, empty logs."""
    prev, cur = clean_plan(), clean_plan()
    prev["settings"].update(period="July 2023", period_start=D(2023, 5, 1), period_end=D(2023, 7, 31))
    prev["changes"], cur["changes"] = [], []
    return prev, cur


def find(plan, ref):
    return next(a for a in plan["actions"] if a["ref"] == ref)


def run(tmp_path, prev, cur):
    p = write_workbook(tmp_path / "previous.xlsx", prev)
    c = write_workbook(tmp_path / "current.xlsx", cur)
    return compare(p, c)


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# -------------------------------------------------------------------- nothing


def test_identical_workbooks_give_no_changes_no_sentences_and_no_mismatches(tmp_path):
    ch = run(tmp_path, *plans())
    d = ch.to_dict()
    assert all(d[k] == [] for k in d)
    assert ch.summary == []
    assert ch.status_unchanged == 6


# ------------------------------------------------------------------ timescales


def test_one_timescale_change_alone_is_one_sentence_with_its_months(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3")["revised_due_date"] = D(2024, 5, 31)
    cur["changes"] = [log("SD.D1.3", "Timescale change", D(2024, 3, 31), D(2024, 5, 31))]
    ch = run(tmp_path, prev, cur)
    assert ch.timescale_changes == [
        {"ref": "SD.D1.3", "from": "2024-03-31", "to": "2024-05-31", "months": 2.0, "over_three_months": False}
    ]
    assert ch.summary == ["1 change made to action delivery timescales"]
    assert ch.log_mismatches == []


def test_a_move_of_exactly_three_months_is_not_more_than_three_months(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3")["revised_due_date"] = D(2024, 6, 30)  # 31/03 -> 30/06
    ch = run(tmp_path, prev, cur)
    assert ch.timescale_changes[0]["months"] == 3.0
    assert ch.timescale_changes[0]["over_three_months"] is False
    assert ch.summary == ["1 change made to action delivery timescales"]


def test_a_move_of_three_months_and_a_day_is_more_than_three_months(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3")["revised_due_date"] = D(2024, 7, 1)  # 31/03 -> 01/07
    ch = run(tmp_path, prev, cur)
    assert ch.timescale_changes[0]["months"] == 3.03
    assert ch.timescale_changes[0]["over_three_months"] is True
    assert ch.summary == ["1 change made to action delivery timescales (more than three months)"]


def test_three_timescale_changes_with_one_over_three_months_read_as_committee_papers(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3")["revised_due_date"] = D(2024, 9, 30)
    find(cur, "CO.G1.5")["revised_due_date"] = D(2024, 4, 30)
    find(cur, "PC.A5.3")["due_date"] = D(2024, 5, 31)  # the due date itself moved
    ch = run(tmp_path, prev, cur)
    assert [c["ref"] for c in ch.timescale_changes] == ["SD.D1.3", "CO.G1.5", "PC.A5.3"]
    assert [c["months"] for c in ch.timescale_changes] == [6.0, 1.0, 2.0]
    assert ch.summary == ["3 changes made to action delivery timescales (with 1 being more than three months)"]


def test_a_date_brought_forward_counts_its_size_as_negative_months(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3")["revised_due_date"] = D(2023, 11, 30)
    ch = run(tmp_path, prev, cur)
    assert ch.timescale_changes[0]["months"] == -4.0
    assert ch.timescale_changes[0]["over_three_months"] is True


def test_a_due_date_changed_to_a_keyword_is_a_timescale_change_without_months(tmp_path):
    prev, cur = plans()
    find(cur, "CO.E1.5")["due_date"] = "Ongoing"
    ch = run(tmp_path, prev, cur)
    assert ch.timescale_changes == [
        {"ref": "CO.E1.5", "from": "2024-03-31", "to": "Ongoing", "months": None, "over_three_months": False}
    ]


def test_a_revised_date_equal_to_the_previous_revised_date_is_no_change(tmp_path):
    prev, cur = plans()
    find(prev, "SD.D1.3")["revised_due_date"] = D(2024, 9, 30)
    find(cur, "SD.D1.3")["revised_due_date"] = D(2024, 9, 30)
    assert run(tmp_path, prev, cur).timescale_changes == []


@pytest.mark.parametrize(
    "start, end, months",
    [
        (D(2024, 3, 31), D(2024, 6, 30), 3.0),  # month-end to month-end
        (D(2024, 3, 31), D(2024, 7, 1), 3.03),
        (D(2024, 3, 15), D(2024, 6, 14), 2.97),  # a day short of three months
        (D(2024, 3, 15), D(2024, 6, 15), 3.0),
        (D(2024, 1, 31), D(2024, 2, 29), 1.0),  # leap February
        (D(2023, 12, 31), D(2024, 6, 30), 6.0),
        (D(2023, 9, 30), D(2023, 11, 30), 2.0),
        (D(2024, 6, 30), D(2024, 3, 31), -3.0),
        (D(2024, 3, 31), D(2024, 3, 31), 0.0),
        (D(2023, 11, 30), D(2024, 3, 31), 4.0),  # month end stays month end
        (D(2024, 3, 31), D(2023, 11, 30), -4.0),
        (D(2023, 2, 28), D(2023, 3, 28), 0.9),  # 28/02/2023 is a month end: +1 month is 31/03
    ],
)
def test_months_between_counts_calendar_months_clamped_to_month_end(start, end, months):
    got = months_between(pd.Series([pd.Timestamp(start)]), pd.Series([pd.Timestamp(end)]))
    assert got.iloc[0] == months


# ----------------------------------------------------------------------- added


def test_one_added_assurance_action_alone(tmp_path):
    prev, cur = plans()
    cur["actions"].append(
        action("PC.A1.7", "Procurement and Commercial", type="Assurance action", date_added=D(2023, 9, 12))
    )
    cur["changes"] = [log("PC.A1.7", "New assurance action", new="Added")]
    ch = run(tmp_path, prev, cur)
    assert ch.added == [{"ref": "PC.A1.7", "type": "Assurance action"}]
    assert ch.summary == ["1 assurance action has been added" + RED]
    assert ch.log_mismatches == []


def test_added_sub_actions_are_counted_in_the_plural(tmp_path):
    prev, cur = plans()
    for n in (2, 3):
        cur["actions"].append(action(f"SD.D1.3.{n}", "Strategic Direction", type="Sub-action"))
    ch = run(tmp_path, prev, cur)
    assert ch.summary == ["2 sub-actions have been added" + RED]


def test_a_row_dated_in_the_period_is_new_even_when_the_previous_workbook_has_it(tmp_path):
    prev, cur = plans()
    find(prev, "OC.E2.8")["date_added"] = D(2023, 8, 15)
    find(cur, "OC.E2.8")["date_added"] = D(2023, 8, 15)
    ch = run(tmp_path, prev, cur)
    assert ch.added == [{"ref": "OC.E2.8", "type": "Action"}]
    assert ch.summary == ["1 main action has been added" + RED]


def test_a_ref_present_in_one_period_only_is_added_or_removed(tmp_path):
    prev, cur = plans()
    prev["actions"].append(action("DM.A1.9", "Decision Making", type="Sub-action"))
    cur["actions"].append(action("DM.A1.8", "Decision Making"))
    ch = run(tmp_path, prev, cur)
    assert ch.added == [{"ref": "DM.A1.8", "type": "Action"}]
    assert ch.removed == [{"ref": "DM.A1.9", "type": "Sub-action"}]
    assert ch.summary == ["1 main action has been added" + RED, "1 sub-action has been removed from the plan"]


def test_refs_are_matched_ignoring_case_and_spaces(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3")["ref"] = " sd.d1.3 "
    assert run(tmp_path, prev, cur).summary == []


def test_new_this_period_is_date_added_in_the_period_or_absent_before(tmp_path):
    prev, cur = plans()
    find(cur, "OC.E2.8")["date_added"] = D(2023, 10, 31)  # the last day of the period counts
    find(cur, "CO.G1.5")["date_added"] = D(2023, 7, 31)  # the day before it starts does not
    cur["actions"].append(action("DM.A1.8", "Decision Making"))  # dated 2022, absent before
    p = write_workbook(tmp_path / "previous.xlsx", prev)
    c = write_workbook(tmp_path / "current.xlsx", cur)
    with_prev = new_this_period(c, p)
    assert with_prev.name == "new"
    assert list(with_prev.index) == [2, 3, 4, 5, 6, 7, 8]  # Excel rows of Actions
    assert list(with_prev[with_prev].index) == [7, 8]
    alone = new_this_period(ipxl.read_workbook(c))
    assert list(alone[alone].index) == [7]


def test_new_this_period_without_period_dates_uses_the_previous_workbook_only(tmp_path):
    prev, cur = plans()
    cur["settings"]["period_start"] = None
    find(cur, "OC.E2.8")["date_added"] = D(2023, 9, 1)
    cur["actions"].append(action("DM.A1.8", "Decision Making"))
    p = write_workbook(tmp_path / "previous.xlsx", prev)
    c = write_workbook(tmp_path / "current.xlsx", cur)
    got = new_this_period(c, p)
    assert list(got[got].index) == [8]


# --------------------------------------------------------------------- closure


def test_closures_by_type_use_the_committee_wording_singular_and_plural(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3")["closure"] = "Proposed to close"
    find(cur, "CO.G1.5")["closure"] = "Proposed to close"
    find(cur, "CO.E1.5")["closure"] = "Proposed to close"
    ch = run(tmp_path, prev, cur)
    # SD.D1.3's workstream keeps its open sub-action; CO.G1.5 and CO.E1.5 are alone in theirs.
    assert ch.proposed_to_close == [
        {"ref": "SD.D1.3", "type": "Action", "closes_workstream": None},
        {"ref": "CO.G1.5", "type": "Action", "closes_workstream": "Corporate Plan"},
        {"ref": "CO.E1.5", "type": "Assurance action", "closes_workstream": "Corporate Transformation"},
    ]
    assert ch.summary == [
        "2 main actions are proposed to be closed (1 of these closures will result in closure of 1 workstream)",
        "1 assurance action is proposed to close",
    ]


def test_closing_the_only_open_action_of_a_workstream_is_said_to_close_it(tmp_path):
    prev, cur = plans()
    find(cur, "OC.E2.8")["closure"] = "Proposed to close"
    ch = run(tmp_path, prev, cur)
    assert ch.summary == [
        "1 main action is proposed to be closed (its closure will result in closure of the workstream)"
    ]


def test_two_closures_that_empty_one_workstream_count_one_workstream(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3")["closure"] = "Proposed to close"
    find(cur, "SD.D1.3.1")["closure"] = "Closed"
    prev["actions"].append(action("SD.D1.4", "Strategic Direction"))
    cur["actions"].append(action("SD.D1.4", "Strategic Direction", closure="Proposed to close"))
    ch = run(tmp_path, prev, cur)
    assert ch.summary[0] == (
        "2 main actions are proposed to be closed (2 of these closures will result in closure of 1 workstream)"
    )


def test_a_workstream_with_an_open_action_left_is_not_said_to_close(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3")["closure"] = "Proposed to close"  # SD.D1.3.1 stays open
    ch = run(tmp_path, prev, cur)
    assert ch.summary == ["1 main action is proposed to be closed"]


def test_closed_and_moved_to_business_as_usual_are_reported_apart(tmp_path):
    prev, cur = plans()
    find(prev, "SD.D1.3.1")["closure"] = "Proposed to close"
    find(cur, "SD.D1.3.1")["closure"] = "Closed"
    find(cur, "PC.A5.3")["closure"] = "Moved to business as usual"
    find(prev, "CO.E1.5")["closure"] = "Closed"  # closed already: not a change
    find(cur, "CO.E1.5")["closure"] = "Closed"
    ch = run(tmp_path, prev, cur)
    assert ch.closed == [
        {"ref": "SD.D1.3.1", "type": "Sub-action", "closure": "Closed"},
        {"ref": "PC.A5.3", "type": "Action", "closure": "Moved to business as usual"},
    ]
    assert ch.summary == ["1 sub-action has been closed", "1 main action has moved to business as usual"]


def test_closures_spelled_with_near_misses_count_as_meant(tmp_path):
    prev, cur = plans()
    find(prev, "SD.D1.3")["closure"] = None  # blank means Open
    find(cur, "SD.D1.3")["closure"] = " proposed to close"
    ch = run(tmp_path, prev, cur)
    assert ch.summary == ["1 main action is proposed to be closed"]


# ---------------------------------------------------------------- leads, text


def test_delivery_lead_changes_are_counted_in_the_plural(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3")["delivery_lead"] = "Strategic Improvement Manager"
    find(cur, "CO.G1.5")["delivery_lead"] = "Corporate Performance Lead"
    ch = run(tmp_path, prev, cur)
    assert ch.lead_changes == [
        {"ref": "SD.D1.3", "field": "Delivery lead", "from": "Head of Finance", "to": "Strategic Improvement Manager"},
        {"ref": "CO.G1.5", "field": "Delivery lead", "from": "Head of Finance", "to": "Corporate Performance Lead"},
    ]
    assert ch.summary == ["2 changes to delivery lead"]


def test_a_director_lead_change_is_worded_as_committee_papers_word_it(tmp_path):
    # The papers say "changes to delivery lead" whichever lead column changed.
    prev, cur = plans()
    find(cur, "PC.A5.3")["lead"] = "Chief Executive"
    ch = run(tmp_path, prev, cur)
    assert ch.lead_changes == [
        {"ref": "PC.A5.3", "field": "Director / Lead", "from": "Director of Finance", "to": "Chief Executive"}
    ]
    assert ch.summary == ["1 change to delivery lead"]


def test_an_action_whose_two_leads_changed_counts_once(tmp_path):
    prev, cur = plans()
    find(cur, "PC.A5.3")["lead"] = "Chief Executive"
    find(cur, "PC.A5.3")["delivery_lead"] = "Corporate Performance Lead"
    find(cur, "SD.D1.3")["delivery_lead"] = "Strategic Improvement Manager"
    ch = run(tmp_path, prev, cur)
    assert len(ch.lead_changes) == 3
    assert ch.summary == ["2 changes to delivery lead"]


def test_description_changes_ignore_case_and_spacing(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3")["description"] = "deliver   SD.D1.3"
    find(cur, "CO.G1.5")["description"] = "Deliver the corporate plan refresh"
    ch = run(tmp_path, prev, cur)
    assert ch.description_changes == [
        {"ref": "CO.G1.5", "from": "Deliver CO.G1.5", "to": "Deliver the corporate plan refresh"}
    ]
    assert ch.summary == ["1 change to action descriptions"]


# --------------------------------------------------------------------- statuses


def test_status_movements_are_ranked_red_amber_green_complete_and_not_summarised(tmp_path):
    prev, cur = plans()
    find(cur, "PC.A5.3")["status"] = "Amber"  # Red -> Amber
    find(cur, "SD.D1.3")["status"] = "Red"  # Green -> Red
    find(cur, "OC.E2.8")["status"] = "Green"  # Not started -> Green: a move, not ranked
    find(cur, "CO.G1.5")["status"] = "Complete"  # Amber -> Complete
    find(cur, "SD.D1.3.1")["status"] = " green"  # a near-miss of the same status
    ch = run(tmp_path, prev, cur)
    assert ch.status_changes == [
        {"ref": "SD.D1.3", "from": "Green", "to": "Red", "direction": "worsened"},
        {"ref": "CO.G1.5", "from": "Amber", "to": "Complete", "direction": "improved"},
        {"ref": "PC.A5.3", "from": "Red", "to": "Amber", "direction": "improved"},
        {"ref": "OC.E2.8", "from": "Not started", "to": "Green", "direction": "moved"},
    ]
    # a move from Not started is said as what happened: the action started
    assert ch.movement == {
        "improved": 2, "worsened": 1, "started": 1, "resumed": 0, "put on hold": 0, "moved": 0, "unchanged": 2
    }  # fmt: skip
    assert ch.summary == []


def test_a_row_moved_between_themes_is_matched_by_ref_not_reported_added(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3.1")["theme"] = "Corporate Oversight"
    find(cur, "SD.D1.3.1")["status"] = "Amber"
    ch = run(tmp_path, prev, cur)
    assert ch.added == [] and ch.removed == []
    assert ch.status_changes == [{"ref": "SD.D1.3.1", "from": "Green", "to": "Amber", "direction": "worsened"}]


# ----------------------------------------------------------------- all together


def test_every_kind_of_change_together_in_committee_order(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3")["revised_due_date"] = D(2024, 9, 30)
    find(cur, "CO.G1.5")["revised_due_date"] = D(2024, 4, 30)
    find(cur, "PC.A5.3")["revised_due_date"] = D(2024, 4, 30)
    cur["actions"].append(action("PC.A1.7", "Procurement and Commercial", type="Assurance action"))
    for n in range(2, 9):
        cur["actions"].append(action(f"SD.D1.3.{n}", "Strategic Direction", type="Sub-action"))
    for ref in ("SD.D1.3", "CO.G1.5", "PC.A5.3", "OC.E2.8"):
        find(cur, ref)["closure"] = "Proposed to close"
    for n in (1, 2, 3):
        ref = f"CO.E1.{n + 5}"
        prev["actions"].append(action(ref, "Corporate Oversight", type="Assurance action"))
        cur["actions"].append(action(ref, "Corporate Oversight", type="Assurance action", closure="Proposed to close"))
    find(cur, "CO.E1.5")["closure"] = "Proposed to close"
    for ref in ("SD.D1.3", "CO.G1.5", "PC.A5.3"):
        find(cur, ref)["delivery_lead"] = "Strategic Improvement Manager"
    ch = run(tmp_path, prev, cur)
    assert ch.summary == [
        "3 changes made to action delivery timescales (with 1 being more than three months)",
        "1 assurance action has been added",
        "7 sub-actions have been added (marked in red within the plan)",
        "4 main actions are proposed to be closed (3 of these closures will result in closure of 3 workstreams)",
        "4 assurance actions are proposed to close",
        "3 changes to delivery lead",
    ]
    # nothing logged: every timescale, added, closure and lead change is a finding
    assert len(ch.log_mismatches) == 3 + 8 + 8 + 3
    assert {f.code for f in ch.log_mismatches} == {"change-not-logged"}


# ------------------------------------------------------------------ log check


def test_an_unlogged_timescale_change_is_a_finding_pointing_at_the_action(tmp_path):
    prev, cur = plans()
    find(cur, "CO.G1.5")["revised_due_date"] = D(2024, 4, 30)
    ch = run(tmp_path, prev, cur)
    [f] = ch.log_mismatches
    assert (f.sheet, f.row, f.column, f.cell, f.severity, f.code) == (
        "Actions",
        4,
        "Revised due date",
        "J4",
        "warning",
        "change-not-logged",
    )
    assert f.message == (
        "CO.G1.5's due date moved from 31/03/2024 to 30/04/2024 but the Changes sheet has no "
        "entry for it between 01/08/2023 and 31/10/2023."
    )
    assert f.suggestion == (
        "Add a 'Timescale change' row for CO.G1.5 to the Changes sheet, with the reason and who approved it."
    )


def test_a_log_entry_without_a_real_difference_is_a_finding_pointing_at_the_log(tmp_path):
    prev, cur = plans()
    cur["changes"] = [
        log("SD.D1.3", "Delivery lead change", "Head of Finance", "Someone else"),
        log("OC.E2.8", "New action", date=D(2023, 3, 1)),  # before the period: not checked
    ]
    ch = run(tmp_path, prev, cur)
    [f] = ch.log_mismatches
    assert (f.sheet, f.row, f.cell, f.code) == ("Changes", 2, "B2", "log-without-change")
    assert "records a 'Delivery lead change' for SD.D1.3" in f.message


def test_a_logged_timescale_change_to_another_date_is_a_finding(tmp_path):
    prev, cur = plans()
    find(cur, "CO.G1.5")["revised_due_date"] = D(2024, 4, 30)
    cur["changes"] = [log("CO.G1.5", "Timescale change", D(2024, 3, 31), D(2024, 5, 31))]
    [f] = run(tmp_path, prev, cur).log_mismatches
    assert (f.sheet, f.cell, f.code) == ("Changes", "E2", "log-date-mismatch")
    assert f.message == "The Changes sheet moves CO.G1.5 to 31/05/2024 but the Actions sheet shows 30/04/2024."


def test_a_fully_logged_period_has_no_mismatches(tmp_path):
    prev, cur = plans()
    find(cur, "CO.G1.5")["revised_due_date"] = D(2024, 4, 30)
    find(cur, "PC.A5.3")["closure"] = "Proposed to close"
    find(cur, "SD.D1.3")["delivery_lead"] = "Strategic Improvement Manager"
    find(cur, "SD.D1.3")["description"] = "A clearer description"
    cur["actions"].append(action("SD.D1.3.2", "Strategic Direction", type="Sub-action"))
    cur["changes"] = [
        log("CO.G1.5", "Timescale change", D(2024, 3, 31), D(2024, 4, 30)),
        log("PC.A5.3", "Action closed", "Open", "Proposed to close"),
        log("SD.D1.3", "Delivery lead change", "Head of Finance", "Strategic Improvement Manager"),
        log("SD.D1.3", "Description change", "Deliver SD.D1.3", "A clearer description"),
        log("SD.D1.3.2", "New sub-action", None, "Added"),
        log("SD.D1.3.2", "Some type nobody knows"),  # not a type in Lists: not checked here
    ]
    assert run(tmp_path, prev, cur).log_mismatches == []


# ------------------------------------------------------------------------ sample


def test_the_sample_plan_summary_is_the_committee_summary_of_october_2023():
    from ipxl import resources
    from ipxl.templates.sample_plan import PERIOD_CHANGES

    ch = compare(resources.previous_sample_path(), resources.sample_path())
    assert ch.summary == [
        "3 changes made to action delivery timescales (with 1 being more than three months)",
        "1 assurance action has been added",
        "7 sub-actions have been added (marked in red within the plan)",
        # seed 002, 10.4: "(2 actions closure will result in closure of workstream)"
        "4 main actions are proposed to be closed (2 of these closures will result in closure of 2 workstreams)",
        "3 assurance actions are proposed to close",
        "3 changes to delivery lead",
    ]
    assert ch.log_mismatches == []
    assert sorted(c["ref"] for c in ch.timescale_changes) == sorted(PERIOD_CHANGES["timescale_changes"])
    assert [c["ref"] for c in ch.timescale_changes if c["over_three_months"]] == PERIOD_CHANGES[
        "timescale_changes_over_three_months"
    ]
    assert sorted(c["ref"] for c in ch.lead_changes) == sorted(PERIOD_CHANGES["delivery_lead_changes"])


# -------------------------------------------------------------------------- CLI


@pytest.fixture
def pair(tmp_path):
    prev, cur = plans()
    find(cur, "SD.D1.3")["revised_due_date"] = D(2024, 9, 30)
    find(cur, "PC.A5.3")["status"] = "Amber"
    cur["actions"].append(action("SD.D1.3.2", "Strategic Direction", type="Sub-action"))
    cur["settings"]["previous_workbook"] = "previous.xlsx"
    # a valid workbook (a revised due date needs its Timescale change logged), so the
    # commands give exit code 0; what errors do to them is tested in test_report.py
    cur["changes"] = [
        {"date": D(2023, 10, 3), "ref": "SD.D1.3", "change_type": "Timescale change", "old_value": D(2024, 3, 31),
         "new_value": D(2024, 9, 30), "reason": "Consultation", "approved_by": "Leadership Team 03/10/2023"},
    ]  # fmt: skip
    return (write_workbook(tmp_path / "previous.xlsx", prev), write_workbook(tmp_path / "current.xlsx", cur))


def test_changes_json_equals_the_library_result(pair):
    result = invoke("changes", *pair, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data == json.loads(json.dumps(compare(*pair).to_dict()))
    assert list(data) == [
        "added",
        "removed",
        "proposed_to_close",
        "closed",
        "timescale_changes",
        "lead_changes",
        "description_changes",
        "status_changes",
        "log_mismatches",
        "summary",
    ]
    assert set(data["log_mismatches"][0]) == {
        "sheet",
        "row",
        "column",
        "cell",
        "severity",
        "code",
        "message",
        "suggestion",
    }


def test_changes_with_the_current_workbook_alone_uses_the_previous_one_in_settings(pair):
    alone = invoke("changes", pair[1], "--format", "json")
    both = invoke("changes", *pair, "--format", "json")
    assert alone.exit_code == 0
    assert alone.output == both.output


def test_changes_text_lists_the_summary_then_the_detail(pair):
    result = invoke("changes", *pair)
    assert result.exit_code == 0
    out = result.output
    assert "  - 1 change made to action delivery timescales (more than three months)" in out
    assert "  - 1 sub-action has been added (marked in red within the plan)" in out
    assert "SD.D1.3      31/03/2024 -> 30/09/2024  +6 months  (more than three months)" in out
    assert "Status movement: 1 improved, 0 worsened" not in out
    assert "Status movement: 1 improved and 5 unchanged" in out  # worded as every paper words it
    assert "Change log cross-check: 1 mismatch" in out  # the new sub-action is not logged


def test_changes_alone_exits_2_when_settings_name_no_previous_workbook(tmp_path):
    path = write_workbook(tmp_path / "current.xlsx", clean_plan())
    result = invoke("changes", path)
    assert result.exit_code == 2
    assert result.output == (
        "Error: current.xlsx does not name a previous workbook; give both files (ipxl changes PREVIOUS CURRENT) "
        "or put last period's file in Settings' 'Previous workbook'.\n"
    )
    with pytest.raises(NoPreviousWorkbook):
        ipxl.analysis.changes.previous_workbook(path)


def test_changes_alone_exits_2_when_the_previous_workbook_is_missing(tmp_path):
    plan = clean_plan()
    plan["settings"]["previous_workbook"] = "gone.xlsx"
    path = write_workbook(tmp_path / "current.xlsx", plan)
    result = invoke("changes", path)
    assert result.exit_code == 2
    assert result.output == (
        f"Error: The previous workbook named in current.xlsx's Settings is not at {tmp_path / 'gone.xlsx'}; "
        "correct 'Previous workbook' in Settings or give both files (ipxl changes PREVIOUS CURRENT).\n"
    )


@pytest.mark.parametrize("which", [0, 1])
def test_changes_exits_2_with_one_sentence_when_either_file_is_unusable(pair, tmp_path, which):
    bad = bad_files.word_document(tmp_path / "bad.xlsx")
    args = list(pair)
    args[which] = bad
    result = invoke("changes", *args)
    assert result.exit_code == 2
    assert result.output == "Error: bad.xlsx is a Word document; give the .xlsx or .xlsm monitoring workbook.\n"


def test_changes_refuses_more_than_two_workbooks(pair):
    result = invoke("changes", *pair, pair[0])
    assert result.exit_code == 2
    assert "at most two workbooks" in result.output


def test_ref_positions_match_exactly_then_ignoring_spaces_and_case():
    from ipxl.checks.vocab import ref_positions

    targets = pd.Series(["CO.G1.5", "SD.D1.3", "CO.G1.5", None, "PC.A5.3"], dtype=object)
    refs = pd.Series(["SD.D1.3", " co.g1.5", "OC.E2.8", None, "pc. a5.3"], dtype=object)
    assert list(ref_positions(refs, targets)) == [1, 0, -1, -2, 4]
    assert list(ref_positions(refs, pd.Series([], dtype=object))) == [-1, -1, -1, -2, -1]


# ------------------------------------------------------------- workstream closure

_THEMES = ["Culture", "culture", "CULTURE", "Oversight", None]
_STREAMS = ["Plan", "plan", "PLAN", "Board", "Ärger", "ärger", None]


@given(
    rows=st.lists(
        st.tuples(st.sampled_from(_THEMES), st.sampled_from(_STREAMS), st.booleans(), st.booleans()),
        min_size=1,
        max_size=30,
    )
)
@settings(max_examples=200, deadline=None)
def test_a_proposal_closes_its_workstream_exactly_when_no_row_of_it_is_left_open(rows):
    # rows: (theme, workstream, open?, proposed?). The rule, said plainly: a proposed
    # row closes its workstream (theme and name, ignoring case) when no open row has the
    # same theme and name; a row with no workstream closes none and keeps none open.
    from ipxl.analysis.changes import OPEN, _workstream_closed_by
    from ipxl.xlsx.reader import workbook_from_grids

    header = [c.header for c in ipxl.defaults.COLUMNS["actions"]]
    col = {c.key: i for i, c in enumerate(ipxl.defaults.COLUMNS["actions"])}
    grid = [header]
    for n, (theme, stream, _, _) in enumerate(rows):
        line = [None] * len(header)
        line[col["ref"]], line[col["theme"]], line[col["workstream"]] = f"CO.G1.{n + 1}", theme, stream
        line[col["description"]], line[col["status"]] = "Do it", "Green"
        grid.append(line)
    wb = workbook_from_grids("plan.xlsx", {"Actions": (grid, 1, 1)})
    closure = pd.Series([OPEN if is_open else "Closed" for _, _, is_open, _ in rows], index=wb.actions.index)
    proposed = [i for i, (*_, p) in enumerate(rows) if p]

    def key(i):
        t, w = rows[i][0], rows[i][1]
        return ((t or "").casefold(), w.casefold())

    still_open = {key(i) for i, r in enumerate(rows) if r[2] and r[1] is not None}
    expected = [rows[i][1] if rows[i][1] is not None and key(i) not in still_open else None for i in proposed]
    got = _workstream_closed_by(wb, closure, pd.Series(wb.actions.index[proposed]))
    assert got == expected
