"""The reader: one typed frame per sheet, keyed by Excel row, whatever the layout."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from builders import clean_plan, write_workbook

import ipxl
from ipxl import defaults as D
from ipxl.errors import NotAWorkbook
from ipxl.xlsx.sources import read_with_previous


def test_every_record_keeps_its_excel_row_number(tmp_path):
    wb = ipxl.read_workbook(write_workbook(tmp_path / "p.xlsx", clean_plan()))
    assert list(wb.actions.index) == [2, 3, 4, 5, 6, 7]
    assert wb.actions.at[4, "ref"] == "CO.G1.5"
    assert wb.sheets["actions"].letters["status"] == "K"


def test_the_header_row_is_found_below_title_rows(tmp_path):
    wb = ipxl.read_workbook(write_workbook(tmp_path / "p.xlsx", clean_plan(), title_rows=3))
    sheet = wb.sheets["actions"]
    assert sheet.header_row == 4
    assert sheet.frame.index[0] == 5
    assert sheet.cell("status", 5) == "K5"


def test_aliases_and_shuffled_columns_read_the_same(tmp_path):
    plain = ipxl.read_workbook(write_workbook(tmp_path / "a.xlsx", clean_plan()))
    aliased = ipxl.read_workbook(
        write_workbook(
            tmp_path / "b.xlsx",
            clean_plan(),
            headers={
                "actions": {"ref": "  ACTION REF ", "status": "RAG", "lead": "Lead", "progress_update": "Commentary"}
            },
            order={"actions": ["status", "progress_update", "description", "ref"]},
        )
    )
    cols = list(plain.actions.columns)
    pd.testing.assert_frame_equal(plain.actions, aliased.actions[cols])
    assert aliased.sheets["actions"].headers["ref"] == "ACTION REF"
    assert aliased.sheets["actions"].letters["status"] == "A"


def test_extra_columns_are_kept_under_their_own_header(tmp_path):
    wb = ipxl.read_workbook(
        write_workbook(tmp_path / "p.xlsx", clean_plan(), extra_columns={"actions": {"RAG last month": ["G"] * 6}})
    )
    assert wb.actions["RAG last month"].tolist() == ["G"] * 6


def test_blank_rows_are_skipped(tmp_path):
    import openpyxl

    path = write_workbook(tmp_path / "p.xlsx", clean_plan())
    book = openpyxl.load_workbook(path)
    book["Actions"].insert_rows(4, 2)
    book.save(path)
    wb = ipxl.read_workbook(path)
    assert list(wb.actions.index) == [2, 3, 6, 7, 8, 9]


def test_dates_are_dates_whether_excel_dates_or_uk_text(tmp_path):
    plan = clean_plan()
    plan["actions"][0]["due_date"] = "31/03/2024"
    plan["actions"][1]["due_date"] = "1/4/24"
    plan["actions"][2]["due_date"] = "30 June 2024"
    plan["actions"][3]["due_date"] = "Ongoing"
    wb = ipxl.read_workbook(write_workbook(tmp_path / "p.xlsx", plan))
    due = wb.actions["due_date"]
    assert due[2] == pd.Timestamp(2024, 3, 31)
    assert due[3] == pd.Timestamp(2024, 4, 1)
    assert due[4] == pd.Timestamp(2024, 6, 30)
    assert pd.isna(due[5]) and wb.sheets["actions"].raw.at[5, "due_date"] == "Ongoing"
    assert due[6] == pd.Timestamp(2024, 3, 31)  # a real Excel date


def test_settings_and_lists_are_read_from_the_workbook(tmp_path):
    wb = ipxl.read_workbook(write_workbook(tmp_path / "p.xlsx", clean_plan()))
    assert wb.settings.period == "October 2023"
    assert wb.settings.period_start == dt.date(2023, 8, 1)
    assert wb.settings.period_end == dt.date(2023, 10, 31)
    assert wb.lists.themes["CO"] == "Corporate Oversight"
    assert wb.lists.status_names[0] == "Complete"
    assert wb.lists.status_colour("Complete") == "0070C0"


def test_a_relative_previous_workbook_is_resolved_beside_the_workbook(tmp_path):
    plan = clean_plan()
    plan["settings"]["previous_workbook"] = "last-month.xlsx"
    wb = ipxl.read_workbook(write_workbook(tmp_path / "p.xlsx", plan))
    assert wb.settings.previous_workbook == tmp_path / "last-month.xlsx"


def test_missing_lists_fall_back_to_the_defaults(tmp_path):
    wb = ipxl.read_workbook(write_workbook(tmp_path / "p.xlsx", clean_plan(), lists=False))
    assert wb.lists.status_names == tuple(s.name for s in ipxl.defaults.STATUSES)
    assert [f.code for f in wb.findings] == ["missing-sheet"]


@pytest.mark.parametrize(
    "content, phrase",
    [
        (b"", "is empty"),
        (b"Ref,Theme\nCO.G1.5,Corporate Oversight\n", "not an Excel workbook"),
        (b"PK\x03\x04 truncated", "is damaged"),
        (b"%PDF-1.7 ...", "a PDF"),
    ],
)
def test_an_unusable_file_raises_one_plain_sentence(tmp_path, content, phrase):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(content)
    with pytest.raises(ipxl.WorkbookUnusable, match=phrase):
        ipxl.read_workbook(path)


def test_a_live_workbook_with_none_for_blank_cells_skips_its_blank_rows():
    # Regression: the fast path for blank rows only knew calamine's '' for an empty
    # cell; xlwings gives None.
    from ipxl import defaults as D
    from ipxl.xlsx.reader import workbook_from_grids

    header = [c.header for c in D.COLUMNS["actions"]]
    row = [None] * len(header)
    filled = list(row)
    filled[0], filled[1], filled[4], filled[10] = "CO.G1.5", "Corporate Oversight", "Do it", "Green"
    wb = workbook_from_grids("plan.xlsm", {"Actions": ([header, row, filled, row], 1, 1)})
    assert list(wb.actions.index) == [3]


def test_short_rows_and_a_cell_holding_a_list_keep_every_value_in_its_own_column():
    # The reader lays a sheet's rows out as one grid; a row shorter than the header
    # (a live workbook's ragged range) is padded, and a value numpy could take for a
    # row of its own stays one cell.
    from ipxl.xlsx.reader import workbook_from_grids

    header = [c.header for c in D.COLUMNS["actions"]]
    short = ["CO.G1.5", "  Corporate Oversight ", None, None, "Do it"]
    odd = ["CO.G1.6", "Corporate Oversight", None, None, ["a", "b"], *[None] * (len(header) - 5)]
    odd[10] = "Green"
    wb = workbook_from_grids("plan.xlsm", {"Actions": ([header, short, odd], 1, 1)})
    f, raw = wb.actions, wb.sheets["actions"].raw
    assert list(f.index) == [2, 3]
    assert f.loc[2, "theme"] == "Corporate Oversight" and raw.loc[2, "theme"] == "  Corporate Oversight "
    assert pd.isna(f.loc[2, "status"]) and raw.loc[2, "status"] is None
    assert f.loc[3, "description"] == "['a', 'b']" and raw.loc[3, "description"] == ["a", "b"]
    assert f.loc[3, "status"] == "Green"
    # Every cell a pair: numpy alone would make the grid three-dimensional.
    pairs = [[v, v] for v in header]
    wb = workbook_from_grids("plan.xlsm", {"Actions": ([header, pairs], 1, 1)})
    assert wb.actions.loc[2, "ref"] == "['Ref', 'Ref']"
    assert wb.sheets["actions"].raw.loc[2, "status"] == ["Status", "Status"]


def test_sheets_under_the_names_councils_give_them_are_found(tmp_path):
    import openpyxl

    path = write_workbook(tmp_path / "p.xlsx", clean_plan())
    book = openpyxl.load_workbook(path)
    for old, new in (("Actions", "Action Plan"), ("Risks", "Risk register"), ("Changes", "Change log")):
        book[old].title = new
    book.save(path)
    wb = ipxl.read_workbook(path)
    assert wb.sheets["actions"].name == "Action Plan"
    assert wb.sheets["risks"].name == "Risk register"
    assert len(wb.actions) == 6
    report = ipxl.validate(wb)
    assert report.findings == []


def test_the_default_sheet_name_wins_over_an_alias(tmp_path):
    import openpyxl

    path = write_workbook(tmp_path / "p.xlsx", clean_plan())
    book = openpyxl.load_workbook(path)
    book.create_sheet("Plan").append(["Ref", "Theme", "Description", "Status"])
    book.save(path)
    assert ipxl.read_workbook(path).sheets["actions"].name == "Actions"


def test_a_step_that_needs_some_sheets_reads_only_those_and_says_which_it_skipped(tmp_path):
    p = clean_plan()
    p["risks"][0]["likelihood"] = "seven"  # a finding for whoever reads Risks
    path = write_workbook(tmp_path / "p.xlsx", p)
    whole = ipxl.read_workbook(path)
    part = ipxl.read_workbook(path, ("milestones",))
    assert part.skipped == {"recommendations", "changes", "risks", "measures", "appendices"}
    assert whole.skipped == frozenset()
    pd.testing.assert_frame_equal(part.frame("actions"), whole.frame("actions"))
    pd.testing.assert_frame_equal(part.frame("milestones"), whole.frame("milestones"))
    assert part.frame("risks").empty and not whole.frame("risks").empty
    assert any(f.sheet == "Risks" for f in ipxl.validate(whole).findings)
    assert part.settings == whole.settings


def test_validation_refuses_a_workbook_read_in_part_rather_than_report_sheets_missing(tmp_path):
    path = write_workbook(tmp_path / "p.xlsx", clean_plan())
    with pytest.raises(ValueError, match="every sheet"):
        ipxl.validate(ipxl.read_workbook(path, ("actions",)))


def test_a_step_that_needs_some_columns_gets_exactly_those_as_a_full_read_gives_them(tmp_path):
    plan = clean_plan()
    plan["actions"][2]["Due date"] = "Ongoing"  # a keyword in a date column: raw text kept
    plan["actions"].append({"Ref": None, "Progress update": "a row with only a progress note"})
    path = write_workbook(tmp_path / "p.xlsx", plan)
    full = ipxl.read_workbook(path)
    part = ipxl.read_workbook(path, columns={"actions": ("ref", "due_date"), "milestones": ("milestone",)})
    for key, cols in (("actions", ["ref", "due_date"]), ("milestones", ["milestone"])):
        a, b = full.sheets[key], part.sheets[key]
        assert list(b.frame.columns) == cols and list(b.raw.columns) == cols
        pd.testing.assert_frame_equal(b.frame, a.frame[cols])
        pd.testing.assert_frame_equal(b.raw, a.raw[cols])
        assert b.unread == frozenset(c.key for c in D.COLUMNS[key]) - set(cols)
        assert (b.header_row, b.letters, b.headers, b.missing, b.last_col) == (
            a.header_row,
            a.letters,
            a.headers,
            a.missing,
            a.last_col,
        )
    # the row with only a progress note is a row in both reads
    assert list(part.actions.index) == list(full.actions.index)
    assert list(part.sheets["actions"].text_dates["due_date"]) == list(full.sheets["actions"].text_dates["due_date"])
    assert full.sheets["recommendations"].unread == frozenset()
    pd.testing.assert_frame_equal(part.frame("recommendations"), full.frame("recommendations"))


def _with_previous(tmp_path, prev_content: bytes | None = None):
    """A plan naming last-month.xlsx in Settings, and that file (a plan with one
    action fewer, or ``prev_content`` as its bytes)."""
    plan = clean_plan()
    before = clean_plan()
    before["actions"] = before["actions"][:-1]
    if prev_content is None:
        write_workbook(tmp_path / "last-month.xlsx", before)
    else:
        (tmp_path / "last-month.xlsx").write_bytes(prev_content)
    plan["settings"]["previous_workbook"] = "last-month.xlsx"
    return write_workbook(tmp_path / "p.xlsx", plan)


def test_the_workbook_and_last_periods_read_together_equal_two_reads_in_turn(tmp_path):
    path = _with_previous(tmp_path)
    cols = {"actions": ("ref", "status")}
    wb, prev = read_with_previous(path, previous_sheets=("actions",), previous_columns=cols)
    alone = ipxl.read_workbook(path)
    before = ipxl.read_workbook(tmp_path / "last-month.xlsx", ("actions",), columns=cols)
    assert prev is not None and prev.path == tmp_path / "last-month.xlsx"
    pd.testing.assert_frame_equal(wb.frame("actions"), alone.frame("actions"))
    assert [f.to_dict() for f in wb.findings] == [f.to_dict() for f in alone.findings]
    pd.testing.assert_frame_equal(prev.frame("actions"), before.frame("actions"))
    assert list(prev.frame("actions").columns) == ["ref", "status"]
    assert prev.skipped == before.skipped and "milestones" in prev.skipped


def test_settings_are_read_before_any_record_sheet_so_last_periods_read_can_start(tmp_path, monkeypatch):
    import ipxl.xlsx.reader as reader

    seen: list[str] = []
    records = reader._read_records
    monkeypatch.setattr(reader, "_read_records", lambda key, *a, **k: seen.append(key) or records(key, *a, **k))
    reader.read_workbook(_with_previous(tmp_path), on_settings=lambda s: seen.append(s.previous_workbook.name))
    assert seen[0] == "last-month.xlsx" and seen[1:] == [k for k in D.RECORD_SHEETS if k in seen[1:]]
    assert "actions" in seen


def test_a_previous_workbook_given_as_a_path_wins_over_the_one_settings_name(tmp_path):
    path = _with_previous(tmp_path)
    other = write_workbook(tmp_path / "other.xlsx", clean_plan())
    _, prev = read_with_previous(path, previous=str(other))
    assert prev is not None and prev.path == other and len(prev.actions) == len(clean_plan()["actions"])


def test_with_no_previous_workbook_named_or_there_the_pair_has_none(tmp_path):
    plan = clean_plan()
    wb, prev = read_with_previous(write_workbook(tmp_path / "a.xlsx", plan))
    assert prev is None and len(wb.actions) == len(plan["actions"])
    plan["settings"]["previous_workbook"] = "not-there.xlsx"
    assert read_with_previous(write_workbook(tmp_path / "b.xlsx", plan))[1] is None


def test_an_unusable_previous_workbook_raises_its_own_plain_sentence(tmp_path):
    path = _with_previous(tmp_path, b"PK\x03\x04 truncated")
    with pytest.raises(ipxl.WorkbookUnusable, match=r"^last-month\.xlsx is damaged"):
        read_with_previous(path)


def test_an_unusable_current_workbook_is_reported_before_its_previous_one(tmp_path):
    path = _with_previous(tmp_path, b"PK\x03\x04 truncated")
    import openpyxl

    book = openpyxl.load_workbook(path)
    del book["Actions"]
    book.save(path)
    with pytest.raises(ipxl.WorkbookUnusable, match="has no Actions sheet"):
        read_with_previous(path)


def test_work_in_the_background_gives_its_result_or_its_error_and_runs_inline_without_threads(monkeypatch):
    import threading

    from ipxl.xlsx import background

    where: list[str] = []

    def work() -> int:
        where.append(threading.current_thread().name)
        return 42

    assert background.in_background(work)() == 42
    assert where[-1] != threading.current_thread().name  # it ran on a thread of its own

    def fail() -> int:
        raise NotAWorkbook("last-month.xlsx is damaged")

    wait = background.in_background(fail)
    with pytest.raises(NotAWorkbook, match="damaged"):
        wait()
    monkeypatch.setattr(background.sys, "platform", "emscripten")  # Pyodide: no threads
    assert background.cores() == 1
    wait = background.in_background(work)
    assert wait is work and where[-1] != threading.current_thread().name  # not started yet
    assert wait() == 42 and where[-1] == threading.current_thread().name
