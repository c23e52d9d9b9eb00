"""One click in Excel (ipxl.excel) and the macro-enabled workbooks (ipxl.excel.xlsm).

Excel does not run here, but xlwings' remote engine does: ``xw.Book(json=payload)``
builds a Book from the payload the xlwings clients send, records every change as an
action, and ``book.json()`` returns them. Its gaps shape these tests: it keeps only the
first area of a multi-area address (so the target sends one area per request there),
cannot read colours or conditional formats, returns stale values after a write, and
``Book.caller()`` does not work on Linux (books are passed in explicitly). Address
grouping, which matters on real Excel, is tested on its own.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from remote_books import grids_of

from ipxl import defaults as D
from ipxl.excel import buttons as B
from ipxl.excel import desktop as E
from ipxl.excel import setup as S
from ipxl.excel import xlsm as X
from ipxl.resources import sample_path, sample_xlsm_path, template_path, template_xlsm_path
from ipxl.xlsx.cells import split_cell
from ipxl.xlsx.reader import read_workbook

NOW = dt.datetime(2023, 11, 2, 9, 30)
RED = "#" + D.NEW_ROW_RED


# =============================================================== group_addresses


def _cells(addresses: list[str]) -> set[tuple[int, int]]:
    out = set()
    for a in addresses:
        for area in a.split(","):
            out |= set(E._cells_of(area))
    return out


def test_whole_rows_merge_into_rectangles():
    cells = [f"{c}{r}" for r in (5, 9, 10, 11, 12) for c in "ABCDEFGHIJKLMNOP"]
    assert E.group_addresses(cells) == ["A5:P5,A9:P12"]


def test_a_column_of_cells_becomes_one_range():
    assert E.group_addresses([f"K{r}" for r in range(2, 502)]) == ["K2:K501"]


def test_single_cells_stay_single_and_order_is_by_row_then_column():
    assert E.group_addresses(["C3", "A1", "B7", "A3"]) == ["A1,A3,C3,B7"]


def test_ranges_and_row_col_pairs_are_accepted_and_overlaps_merge():
    assert E.group_addresses(["A1:B2", (2, 3), "B1:C1", (2, 2)]) == ["A1:C2"]


def test_ragged_shapes_split_into_rectangles_covering_exactly_the_cells():
    cells = {"A1", "B1", "A2", "B2", "C2", "A3"}
    got = E.group_addresses(cells)
    assert _cells(got) == {split_cell(c) for c in cells}
    assert got == ["A1:B1,A2:C2,A3"]  # row runs first, then equal runs stacked


def test_nothing_to_group_gives_no_addresses():
    assert E.group_addresses([]) == []


def test_long_selections_split_under_excels_255_character_limit():
    cells = [f"{c}{r}" for r in range(1, 2000, 2) for c in ("B", "D", "AA")]
    got = E.group_addresses(cells)
    assert len(got) > 1
    assert all(len(a) <= 255 for a in got)
    assert _cells(got) == {split_cell(c) for c in cells}
    # no area is cut in half between two strings
    assert all(not a.startswith(",") and not a.endswith(",") for a in got)


@pytest.mark.parametrize("seed", range(25))
def test_random_cell_sets_round_trip_exactly_within_the_limit(seed):
    rng = random.Random(seed)
    cells = {(rng.randint(1, 60), rng.randint(1, 30)) for _ in range(rng.randint(1, 700))}
    got = E.group_addresses(cells, limit=rng.choice([40, 120, 255]))
    assert _cells(got) == cells
    assert all(len(a) <= 255 for a in got)
    # areas never overlap: counting cells area by area gives the set size
    total = sum(1 for a in got for area in a.split(",") for _ in E._cells_of(area))
    assert total == len(cells)


def test_a_bad_address_is_refused_with_the_address_in_the_message():
    with pytest.raises(ValueError, match="'5B'"):
        E.group_addresses(["5B"])


def test_row_areas_span_the_given_columns():
    assert E.row_areas([9, 5, 5], 16) == ["A5:P5", "A9:P9"]


# ===================================================================== the payload


def actions(book, func=None, sheet=None):
    names = [s.name for s in book.sheets]
    out = []
    for a in book.json()["actions"]:
        if func and a["func"] != func:
            continue
        if sheet is not None and (a["sheet_position"] is None or names[a["sheet_position"]] != sheet):
            continue
        out.append(a)
    return out


def rows_of(action) -> set[int]:
    """Excel rows an action touched."""
    return set(range(action["start_row"] + 1, action["start_row"] + 1 + action["row_count"]))


def _sheet_values(book, sheet):
    (write,) = actions(book, "setValues", sheet)
    return write["values"]


# ====================================================================== reading


def test_a_live_book_reads_into_the_same_workbook_as_the_file(remote):
    book = remote(grids_of(sample_path()))
    live = E.read_book(book)
    disk = read_workbook(sample_path())
    assert live.sheet_names == disk.sheet_names
    assert live.settings.period_start == disk.settings.period_start
    for key in D.RECORD_SHEETS:
        a, b = live.sheets[key], disk.sheets[key]
        assert list(a.frame.index) == list(b.frame.index)
        assert a.frame[["ref"] if "ref" in a.frame else a.frame.columns[:1]].equals(
            b.frame[["ref"] if "ref" in b.frame else b.frame.columns[:1]]
        )
    assert live.actions.equals(disk.actions)


# ===================================================================== validate


def test_validate_writes_the_validation_sheet_in_one_block(remote):
    book = remote(grids_of(sample_path()))
    report = E.validate(book, now=NOW)
    assert report is not None and report.ok
    values = _sheet_values(book, "Validation")
    assert values[0][0] == "Validation"
    assert values[1][:2] == ["Checked", "2 November 2023 09:30"]
    assert values[5] == ["Sheet", "Cell", "Severity", "Code", "Message", "Suggestion"]
    assert values[6][0] == "No findings: every check passed."


def test_screen_updating_and_calculation_are_paused_and_restored(remote):
    book = remote(grids_of(sample_path()))
    E.validate(book, now=NOW)
    funcs = [(a["func"], a["args"]) for a in book.json()["actions"]]
    assert funcs[:2] == [("setScreenUpdating", [False]), ("setCalculation", ["Manual"])]
    assert funcs[-2:] == [("setCalculation", ["Automatic"]), ("setScreenUpdating", [True])]


def _with_bad_statuses(n: int) -> dict[str, list[list]]:
    """The sample with ``n`` extra Actions rows whose Status is not in Lists."""
    grids = grids_of(sample_path())
    actions_grid = grids["Actions"]
    header = actions_grid[0]
    status = header.index("Status")
    template = actions_grid[1]
    for i in range(n):
        row = list(template)
        row[0] = f"{template[0]}.{i + 1}"
        row[header.index("Type")] = "Sub-action"
        row[status] = "Purple"
        actions_grid.append(row)
    return grids


def test_findings_are_listed_with_a_link_to_each_cell_and_the_cells_marked(remote):
    book = remote(_with_bad_statuses(3))
    report = E.validate(book, now=NOW)
    bad = [f for f in report.findings if f.code and f.sheet == "Actions" and f.cell and f.cell.startswith("K")]
    assert len(bad) >= 3
    values = _sheet_values(book, "Validation")
    links = [row[1] for row in values[6:] if isinstance(row[1], str) and row[1].startswith("=HYPERLINK")]
    assert f'=HYPERLINK("#\'Actions\'!{bad[0].cell}","{bad[0].cell}")' in links
    marks = actions(book, "addConditionalFormat", "Actions")
    assert marks, "the wrong cells are marked"
    rule = marks[0]["args"][0]
    assert rule["formula"] == '="ipxl:finding:error"<>""'
    assert rule["fill_color"].upper() == "#" + D.FINDING_FILL["error"]
    marked = set().union(*(rows_of(a) for a in marks if a["start_column"] == 10))
    assert {int(f.cell[1:]) for f in bad} <= marked


def test_500_findings_take_a_bounded_number_of_round_trips(remote):
    # App-level actions (screen updating) go to the engine's active book, the one
    # made last, so each book is made just before it is used.
    big = remote(_with_bad_statuses(500))
    assert len(E.validate(big, now=NOW)) >= 500
    small = remote(_with_bad_statuses(20))
    E.validate(small, now=NOW)
    n_small, n_big = len(small.json()["actions"]), len(big.json()["actions"])
    # one block of values, a few formats per sheet: not one request per finding
    assert n_big <= 40
    assert n_big == n_small
    (write,) = actions(big, "setValues", "Validation")
    assert write["row_count"] >= 506


# ====================================================================== refresh


def test_refresh_turns_exactly_the_new_rows_red(remote):
    from ipxl.writeback import new_rows

    book = remote(grids_of(sample_path()))
    result = E.refresh(book, now=NOW, previous=None)
    assert result is not None
    disk = read_workbook(sample_path())
    want = new_rows(disk, None)["actions"]
    assert want, "the sample has actions added this period"
    red = actions(book, "setFontProperty", "Actions")
    assert red and all(a["args"] == ["color", RED] for a in red)
    painted = set().union(*(rows_of(a) for a in red))
    assert painted == want
    last_col = len(disk.sheets["actions"].letters)
    assert all(a["start_column"] == 0 and a["column_count"] == last_col for a in red)
    # nothing else on Actions changed
    assert {a["func"] for a in actions(book, sheet="Actions")} == {"setFontProperty"}


def test_refresh_writes_the_summary_counts(remote):
    from ipxl.writeback import rag_table

    book = remote(grids_of(sample_path()))
    E.refresh(book, now=NOW)
    values = _sheet_values(book, "Summary")
    table = rag_table(read_workbook(sample_path()))
    assert values[1][:2] == ["Reporting period", "October 2023"]
    header = values[5]
    assert header[0] == "Theme" and header[1 : 1 + len(table.statuses)] == list(table.statuses)
    body = {row[0]: row[1 : 1 + len(table.statuses)] for row in values[6 : 6 + len(table.themes)]}
    for theme in table.themes:
        assert body[theme] == [table.counts[theme].get(s, 0) for s in table.statuses]


def test_refresh_round_trips_do_not_grow_with_the_number_of_rows(remote):
    book = remote(grids_of(sample_path()))
    E.refresh(book, now=NOW)
    assert len(book.json()["actions"]) <= 45


# ======================================================================= errors


def test_a_workbook_without_actions_shows_one_sentence_not_a_traceback(remote):
    grids = grids_of(sample_path())
    del grids["Actions"]
    book = remote(grids)
    assert E.validate(book) is None
    (alert,) = actions(book, "alert")
    message = alert["args"][0]
    assert "has no Actions sheet" in message
    assert "Traceback" not in message and "\n" not in message
    # the screen and calculation were restored before the message shows
    funcs = [a["func"] for a in book.json()["actions"]]
    assert funcs[-3:] == ["setCalculation", "setScreenUpdating", "alert"]


def test_an_unexpected_failure_is_one_sentence_too(remote, monkeypatch):
    book = remote(grids_of(sample_path()))

    def boom(*_a, **_k):
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr("ipxl.checks.validation.validate", boom)
    assert E.validate(book) is None
    (alert,) = actions(book, "alert")
    assert alert["args"][0].startswith("ipxl could not finish (RuntimeError: disk on fire)")
    assert "\n" not in alert["args"][0]


def test_without_excel_the_caller_gives_a_plain_sentence(capsys):
    assert E.validate() is None
    assert "No workbook called ipxl" in capsys.readouterr().err


# ===================================================================== dispatch


@pytest.mark.parametrize(
    "name, action",
    [
        ("Validate", "validate"),
        ("Refresh", "refresh"),
        ("Build appendices", "appendices"),
        ("build  APPENDICES", "appendices"),
        ("appendices", "appendices"),
        ("Make returns", "make_returns"),
        ("merge  returns", "merge_returns"),
        ("Button 1", None),
        (None, None),
    ],
)
def test_buttons_and_cells_name_their_task(name, action):
    assert B.action_for(name) == action


def test_run_dispatches_on_the_control_cell_when_the_button_is_unknown(remote):
    grids = {k: v for k, v in grids_of(sample_path()).items() if k != "Control"}
    grids = {"Control": [["", ""], ["", ""], ["Task", "Validate"]], **grids}
    book = remote(grids)
    report = B.run(book)
    assert report is not None and report.ok
    assert actions(book, "setValues", "Validation")


@pytest.mark.parametrize("position, sheet", [(1, "Validation"), (2, "Summary")])
def test_run_follows_the_position_excel_writes_in_b3_for_the_clicked_button(remote, position, sheet):
    grids = {k: v for k, v in grids_of(sample_path()).items() if k != "Control"}
    grids = {"Control": [["", ""], ["", ""], ["Task", position]], **grids}
    book = remote(grids)
    assert B.run(book) is not None
    assert actions(book, "setValues", sheet)
    other = {"Validation": "Summary", "Summary": "Validation"}[sheet]
    assert not actions(book, "setValues", other)


@pytest.mark.parametrize("value", [0, 7, 2.5, True])
def test_a_position_no_button_has_names_no_task(value):
    assert B.action_for(value) is None


def test_run_asks_for_the_task_when_it_cannot_tell(remote):
    book = remote(grids_of(sample_path()))
    assert B.run(book) is None
    (alert,) = actions(book, "alert")
    assert "cell B3 of the Control sheet" in alert["args"][0]


def test_the_pack_folder_sits_beside_the_workbook_named_for_the_period():
    folder = E.pack_folder(Path("/plans/Improvement Plan.xlsm"), "Q2 2023/24")
    assert folder == Path("/plans/Improvement Plan appendices Q2 2023-24")


def test_appendices_of_a_book_with_no_folder_ask_to_save_it_first(remote):
    book = remote(grids_of(sample_path()))
    assert E.appendices(book) is None
    (alert,) = actions(book, "alert")
    assert "has not been saved to a folder yet" in alert["args"][0]


def test_appendices_are_built_from_the_live_values_into_the_given_folder(remote, tmp_path):
    book = remote(grids_of(sample_path()))
    pack = E.appendices(book, out_dir=tmp_path / "pack")
    assert pack is not None, actions(book, "alert")
    written = sorted(p.name for p in (tmp_path / "pack").iterdir())
    assert "Appendix 1 - Improvement Plan Monitoring Tool October 2023.docx" in written
    assert len([n for n in written if n.endswith(".docx")]) >= 7 and "html" in written
    assert (tmp_path / "pack" / "html" / "index.html").is_file()
    (alert,) = actions(book, "alert")
    assert str(tmp_path / "pack") in alert["args"][0]


def test_a_workbook_with_errors_gets_no_paper_from_the_button_and_its_errors_on_the_validation_sheet(remote, tmp_path):
    book = remote(_with_bad_statuses(2))
    assert E.appendices(book, out_dir=tmp_path / "pack") is None
    assert not (tmp_path / "pack").exists()
    (alert,) = actions(book, "alert")
    assert alert["args"][0].startswith("The workbook has 2 errors, so no committee paper was made")
    assert "listed on the Validation sheet" in alert["args"][0] and "click Build appendices again" in alert["args"][0]
    values = _sheet_values(book, "Validation")
    assert sum(1 for row in values if "'Purple' is not a status" in str(row)) == 2


# ============================================================ the update round


def test_make_returns_writes_a_return_per_lead_from_the_live_values(remote, tmp_path):
    from ipxl.excel import update_round as U

    grids = grids_of(sample_path())
    book = remote(grids)
    made = U.make_returns(book, out_dir=tmp_path / "returns")
    assert made is not None, actions(book, "alert")
    assert len(made.returns) == 9 and (tmp_path / "returns" / "returns.json").is_file()
    (alert,) = actions(book, "alert")
    assert "9 returns are in" in alert["args"][0] and "Merge returns" in alert["args"][0]


def test_merge_returns_puts_each_checked_change_into_the_open_workbook(remote, tmp_path):
    from ipxl.excel import update_round as U

    grids = grids_of(sample_path())
    made = U.make_returns(remote(grids), out_dir=tmp_path / "returns")
    path = next(r.path for r in made.returns if r.lead == "Director of Finance")
    wb = openpyxl.load_workbook(path)
    ws = wb["Return"]
    headers = {c.value: c.column for c in ws[8]}
    ref = ws.cell(9, 1).value
    ws.cell(9, headers["Progress update"], "Merged through Excel.")
    ws.cell(10, headers["Status"], "Sort of")
    wb.save(path)
    book = remote(grids)
    results = U.merge_returns(book, returns_dir=tmp_path / "returns", today=dt.date(2023, 10, 20))
    assert results is not None, actions(book, "alert")
    writes = [a for a in actions(book, "setValues", "Actions")]
    row = next(i + 1 for i, r in enumerate(grids["Actions"]) if r and r[0] == ref)
    col = next(j for j, h in enumerate(grids["Actions"][0]) if h == "Progress update")
    assert [(w["start_row"] + 1, w["start_column"], w["values"]) for w in writes] == [
        (row, col, [["Merged through Excel."]])
    ]
    (alert,) = actions(book, "alert")
    assert "1 changes from 9 returns are in the workbook (not yet saved)" in alert["args"][0]
    assert "1 rejected values" in alert["args"][0] and "is not a status" in alert["args"][0]


def test_merge_returns_with_no_returns_folder_says_what_to_do(remote, tmp_path):
    from ipxl.excel import update_round as U

    book = remote(grids_of(sample_path()))
    assert U.merge_returns(book, returns_dir=tmp_path / "none") is None
    (alert,) = actions(book, "alert")
    assert "There are no returns in" in alert["args"][0] and "Make returns" in alert["args"][0]


# ==================================================================== the .xlsm


def _decompress(data: bytes) -> bytes:
    """MS-OVBA run-length decompression of a VBA source stream."""
    assert data[0] == 1
    out = bytearray()
    pos = 1
    while pos < len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        end = min(pos + (header & 0x0FFF) + 3, len(data))
        pos += 2
        start = len(out)
        if not header & 0x8000:
            out += data[pos : pos + 4096]
            pos += 4096
            continue
        while pos < end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags & (1 << bit):
                    out.append(data[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", data, pos)[0]
                pos += 2
                bits = max((len(out) - start - 1).bit_length(), 4)
                length = (token & (0xFFFF >> bits)) + 3
                offset = (token >> (16 - bits)) + 1
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)


def vba_sources(vba: bytes) -> dict[str, str]:
    """Module name -> VBA source text, read through the project's dir stream."""
    olefile = pytest.importorskip("olefile")
    ole = olefile.OleFileIO(vba)
    d = _decompress(ole.openstream(["VBA", "dir"]).read())
    pos, mods, cur = 0, [], {}
    while pos + 6 <= len(d):
        rid, size = struct.unpack_from("<HI", d, pos)
        pos += 6
        if rid == 0x0009:  # PROJECTVERSION's size field does not count its last 2 bytes
            pos += 6
            continue
        body = d[pos : pos + size]
        pos += size
        if rid == 0x0019:
            cur = {"name": body.decode("latin-1")}
        elif rid == 0x001A:
            cur["stream"] = body.decode("latin-1")
        elif rid == 0x0031:
            cur["offset"] = struct.unpack("<I", body)[0]
        elif rid == 0x002B:
            mods.append(cur)
            cur = {}
    out = {}
    for m in mods:
        raw = ole.openstream(["VBA", m["stream"]]).read()
        out[m["name"]] = _decompress(raw[m["offset"] :]).decode("latin-1")
    return out


XLSM = [template_xlsm_path(), sample_xlsm_path()]
XLSX_OF = {template_xlsm_path(): template_path(), sample_xlsm_path(): sample_path()}


@pytest.mark.parametrize("path", XLSM, ids=lambda p: p.name)
def test_the_vba_project_is_the_one_xlwings_ships(path):
    with zipfile.ZipFile(path) as zf:
        assert zf.read("xl/vbaProject.bin") == X.xlwings_vba_project()
        ct = zf.read("[Content_Types].xml").decode()
    assert X.CT_MACRO_MAIN in ct and X.CT_VBA in ct


@pytest.mark.parametrize("path", XLSM, ids=lambda p: p.name)
def test_each_button_runs_a_macro_that_exists_in_the_vba_project(path):
    import re

    with zipfile.ZipFile(path) as zf:
        vml = next(zf.read(n).decode() for n in zf.namelist() if n.endswith(".vml"))
        sources = vba_sources(zf.read("xl/vbaProject.bin"))
    macros = re.findall(r"<x:FmlaMacro>\[0\]!([^<]+)</x:FmlaMacro>", vml)
    names = re.findall(r'<v:shape id="([^"]+)"', vml)
    assert [n.replace("_x0020_", " ") for n in names] == list(B.BUTTONS)
    assert len(macros) == len(B.BUTTONS) == 6
    # one group of option buttons, all linked to B3: Excel writes the clicked one's
    # position there before running the macro, so run() need not ask Application.Caller
    assert re.findall(r'<x:ClientData ObjectType="([^"]+)"', vml) == ["Radio"] * 6
    assert re.findall(r"<x:FmlaLink>([^<]+)</x:FmlaLink>", vml) == ["$B$3"] * 6
    assert vml.count("<x:FirstButton/>") == 1
    subs = {m for src in sources.values() for m in re.findall(r"(?m)^(?:Public )?Sub (\w+)\(\)", src)}
    assert set(macros) <= subs
    assert "RunPython" in sources["xlwings"] and "Function RunPython" in sources["xlwings"]


@pytest.mark.parametrize("path", XLSM, ids=lambda p: p.name)
def test_the_buttons_ask_for_one_python_kept_between_clicks_on_windows(path):
    # The setting is xlwings' own: its RunPython, in the VBA the workbook carries,
    # reads it from the xlwings.conf sheet and then runs the button in the COM server.
    import re

    with zipfile.ZipFile(path) as zf:
        sources = vba_sources(zf.read("xl/vbaProject.bin"))
    assert re.search(r'OPTIMIZED_CONNECTION = GetConfig\("USE UDF SERVER"', sources["xlwings"])
    assert re.search(r"If OPTIMIZED_CONNECTION = True Then\s+XLPy\.SetAttr", sources["xlwings"])
    book = openpyxl.load_workbook(path)
    conf = book[X.CONF_SHEET]
    values = {row[0]: row[1] for row in conf.iter_rows(values_only=True) if row[0]}
    assert values["Use UDF Server"] == "True"


@pytest.mark.parametrize("platform", ["win32", "darwin"])
def test_setup_steps_say_how_long_a_click_takes_and_how_to_pick_up_an_upgrade(platform):
    text = "\n".join(S.setup_steps(platform))
    if platform == "win32":
        assert "stays running" in text and "After upgrading ipxl, quit Excel" in text
    else:
        assert "keeps no Python between clicks" in text


@pytest.mark.parametrize("path", XLSM, ids=lambda p: p.name)
def test_the_control_sheet_comes_first_and_the_data_is_unchanged(path):
    disk = read_workbook(path)
    xlsx = read_workbook(XLSX_OF[path])
    assert disk.sheet_names[0] == B.CONTROL_SHEET
    # the .xlsx has a Control sheet too, with the xlwings Lite buttons
    assert disk.sheet_names[:-1] == xlsx.sheet_names
    assert disk.actions.equals(xlsx.actions)


def test_the_xlsm_build_is_reproducible(tmp_path):
    from ipxl.templates import sample_plan
    from ipxl.templates.workbook import build_template

    # built from the .xlsx before it gets its Lite buttons, as python -m ipxl.templates does
    plain = build_template(tmp_path / "plain.xlsx", sample_plan.current_plan())
    a = X.build_xlsm(plain, tmp_path / "a.xlsm")
    b = X.build_xlsm(plain, tmp_path / "b.xlsm")
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() == sample_xlsm_path().read_bytes(), (
        "workbook_templates/*.xlsm are stale: run python -m ipxl.templates"
    )


def test_every_part_survives_a_write_back_round_trip(tmp_path):
    from ipxl import writeback as W

    source = sample_xlsm_path()
    out = tmp_path / "refreshed.xlsm"
    W.refresh_summary(source, output=out, now=NOW)
    W.highlight(out, backup=False, now=NOW)
    W.mark_validation(out, backup=False, now=NOW)
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(out) as b:
        before = {n: a.read(n) for n in a.namelist()}
        after = {n: b.read(n) for n in b.namelist()}
    assert set(before) <= set(after)
    for name in ("xl/vbaProject.bin", "xl/drawings/vmlDrawing1.vml"):
        assert after[name] == before[name]
    ct = after["[Content_Types].xml"].decode()
    assert X.CT_MACRO_MAIN in ct and X.CT_VBA in ct
    assert read_workbook(out).sheet_names[0] == B.CONTROL_SHEET


# ======================================================================= set-up


def test_excel_setup_on_linux_says_plainly_that_excel_is_not_here():
    from click.testing import CliRunner

    from ipxl.cli import main

    result = CliRunner().invoke(main, ["excel-setup"])
    assert result.exit_code == 0
    if E.sys.platform.startswith("linux"):
        assert "Excel is not available here" in result.output


@pytest.mark.parametrize("platform, key", [("win32", "Interpreter_Win"), ("darwin", "Interpreter_Mac")])
def test_setup_steps_cover_install_interpreter_trust_and_onedrive(platform, key):
    text = "\n".join(S.setup_steps(platform))
    for needle in (
        "pip install ipxl-0.1.0-py3-none-any.whl",
        "xlwings addin install",
        key,
        "Trust access to the VBA project",
        "ONEDRIVE_COMMERCIAL",
        "SharePoint",
    ):
        assert needle in text


def test_no_message_tells_an_officer_to_pip_install_ipxl_by_name_while_it_is_not_on_pypi():
    from ipxl import defaults as D

    assert not D.ON_PYPI
    text = "\n".join(S.setup_steps("win32") + S.setup_steps("darwin")) + D.install_hint("0.1.0")
    assert "`pip install ipxl`" not in text and "pip install ipxl " not in text
    assert "pipx install ipxl-0.1.0-py3-none-any.whl" in text and "uv tool install" in text


def test_the_shim_lets_sample_call_import_the_workbook_module(tmp_path):
    path = S.write_shim(tmp_path / "plan_2023_10.xlsm")
    assert path == tmp_path / "plan_2023_10.py"
    assert "from ipxl.excel import main" in path.read_text()


def test_a_workbook_name_python_cannot_import_gets_a_rename_suggestion(tmp_path):
    with pytest.raises(E.ExcelUnavailable, match=r"save it as improvement_plan_oct_2023\.xlsm"):
        S.write_shim(tmp_path / "Improvement Plan - Oct 2023.xlsm")


CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.datetimes(),
    st.sampled_from([*B.BUTTONS, *B.ACTIONS, " validate ", "BUILD  APPENDICES"]),
)


@given(CELL_VALUES)
def test_whatever_an_officer_leaves_in_b3_names_a_task_or_none_and_never_fails(value):
    got = B.action_for(value)
    assert got is None or got in B.ACTIONS
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= len(B.ACTIONS):
        assert got == B.ACTIONS[value - 1]
