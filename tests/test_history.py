"""The plan's history: a series of monthly workbooks where every figure is known."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import docx
import pandas as pd
import pytest
from builders import action, clean_plan, write_workbook
from click.testing import CliRunner

from ipxl import defaults as D
from ipxl.analysis.history import ACTIONS_SCHEMA, COUNTS_SCHEMA, export, history, load_series, tidy_tables
from ipxl.cli import main
from ipxl.errors import NoHistory

MONTHS = [(2024, 1), (2024, 2), (2024, 3), (2024, 4)]
LABELS = ["January 2024", "February 2024", "March 2024", "April 2024"]


def _month(k: int) -> tuple[dt.date, dt.date]:
    y, m = MONTHS[k]
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def _actions(k: int) -> list[dict]:
    """The Actions sheet in period k (0 = January 2024). Each action carries one story."""
    rev_a = [None, dt.date(2024, 5, 31), dt.date(2024, 7, 31), dt.date(2024, 7, 31)][k]
    rows = [
        # re-baselined twice, both logged: 31/03 -> 31/05 -> 31/07, 4 months' slippage
        action("SD.D1.1", "Strategic Direction", revised_due_date=rev_a, progress_update=f"Update {k}"),
        # moved in March with no Timescale change logged
        action(
            "CO.G1.5",
            "Corporate Oversight",
            due_date=dt.date(2024, 2, 29),
            revised_due_date=dt.date(2024, 4, 30) if k >= 2 else None,
            progress_update=f"Progress {k}",
        ),
        # the same update text every month (spaces differ: not an update)
        action(
            "PC.A5.3",
            "Procurement and Commercial",
            status="Amber",
            exception_reason="Supplier availability.",
            progress_update="Supplier demos  delayed." if k % 2 else "Supplier demos delayed.",
            lead="Director of Regeneration and Growth",
        ),
        # Red from February on
        action(
            "OC.E2.8",
            "Organisational Culture",
            status="Red" if k >= 1 else "Amber",
            exception_reason="Capacity.",
            progress_update=f"Recovery plan step {k}",
        ),
        # complete in February
        action(
            "DM.A1.1",
            "Decision Making",
            status="Complete" if k >= 1 else "Green",
            completion_date=dt.date(2024, 2, 10) if k >= 1 else None,
            progress_update="Done." if k >= 1 else "Nearly there.",
        ),
        # complete in April
        action(
            "DM.A1.2",
            "Decision Making",
            status="Complete" if k == 3 else "Green",
            completion_date=dt.date(2024, 4, 20) if k == 3 else None,
            progress_update=f"Step {k}",
        ),
        # complete before the series starts: not a completion the series saw
        action(
            "SD.D1.2",
            "Strategic Direction",
            status="Complete",
            completion_date=dt.date(2023, 12, 1),
            progress_update="Completed in December.",
        ),
        # completed in the first period itself
        action(
            "SD.D1.3",
            "Strategic Direction",
            status="Complete",
            completion_date=dt.date(2024, 1, 15),
            progress_update="Completed in January.",
        ),
    ]
    if k >= 2:  # new in March
        rows.append(action("CO.E1.9", "Corporate Oversight", date_added=dt.date(2024, 3, 4), progress_update=f"N{k}"))
    return rows


def _changes(k: int) -> list[dict]:
    """The cumulative change log as it stands at period k."""
    log = []
    if k >= 1:
        log.append(
            {
                "date": dt.date(2024, 2, 12),
                "ref": "SD.D1.1",
                "change_type": "Timescale change",
                "description": "Due 31/03/2024 to 31/05/2024",
                "approved_by": "Leadership Team",
                "reason": "Consultation",
            }
        )
    if k >= 2:
        log.append(
            {
                "date": dt.date(2024, 3, 14),
                "ref": "SD.D1.1",
                "change_type": "Timescale change",
                "description": "Due 31/05/2024 to 31/07/2024",
                "approved_by": "Leadership Team",
                "reason": "Consultation",
            }
        )
        log.append(
            {
                "date": dt.date(2024, 3, 4),
                "ref": "CO.E1.9",
                "change_type": "New action",
                "description": "Added",
                "approved_by": "Leadership Team",
                "reason": "Review",
            }
        )
    return log


def _plan(k: int, previous: str | None = None) -> dict:
    p = clean_plan()
    start, end = _month(k)
    p["settings"].update(period=LABELS[k], period_start=start, period_end=end, previous_workbook=previous)
    p["actions"] = _actions(k)
    p["changes"] = _changes(k)
    p["milestones"] = []
    return p


def _names(k: int) -> str:
    return f"plan_{MONTHS[k][0]}_{MONTHS[k][1]:02d}.xlsx"


@pytest.fixture
def series(tmp_path) -> list[Path]:
    folder = tmp_path / "monthly"
    folder.mkdir()
    paths = []
    for k in range(4):
        prev = _names(k - 1) if k else None
        paths.append(write_workbook(folder / _names(k), _plan(k, prev)))
    return paths


def _action(h, ref):
    return next(a for a in h.actions if a["ref"] == ref)


# ------------------------------------------------------------------ figures


def test_the_periods_are_listed_oldest_first_with_counts_per_status_for_all_and_each_theme(series):
    h = history(series)
    assert [p["period"] for p in h.periods] == LABELS
    assert [p["period_end"] for p in h.periods] == ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"]
    assert [Path(p["file"]).name for p in h.periods] == [_names(k) for k in range(4)]
    jan, feb, mar, apr = (p["counts"] for p in h.periods)
    assert jan["All"] == {
        "Complete": 2, "Green": 4, "Amber": 2, "Red": 0, "Not started": 0, "On hold": 0, "total": 8
    }  # fmt: skip
    assert feb["All"]["Red"] == 1 and feb["All"]["Complete"] == 3 and feb["All"]["total"] == 8
    assert mar["All"]["total"] == 9 and mar["All"]["Green"] == 4
    assert apr["All"]["Complete"] == 4 and apr["All"]["Green"] == 3
    assert apr["Decision Making"] == {
        "Complete": 2, "Green": 0, "Amber": 0, "Red": 0, "Not started": 0, "On hold": 0, "total": 2
    }  # fmt: skip
    assert list(jan) == ["All", *D.THEMES.values()]


def test_an_action_re_baselined_twice_shows_both_changes_and_its_slippage(series):
    h = history(series)
    a = _action(h, "SD.D1.1")
    assert a["first_period"] == "January 2024"
    assert (a["original_due"], a["current_due"]) == ("2024-03-31", "2024-07-31")
    assert a["rebaselines"] == 2 and a["slippage_months"] == 4.0
    assert [r["ref"] for r in h.rebaselined] == ["SD.D1.1"]


def test_a_due_date_moved_without_a_timescale_change_logged_is_listed_once(series):
    h = history(series)
    assert h.unlogged_date_changes == [
        {"ref": "CO.G1.5", "period": "March 2024", "from": "2024-02-29", "to": "2024-04-30"}
    ]
    assert _action(h, "CO.G1.5")["rebaselines"] == 1
    assert _action(h, "CO.G1.5")["slippage_months"] == 2.0


def test_an_update_that_never_changes_is_stale_for_every_step(series):
    h = history(series)
    assert _action(h, "PC.A5.3")["stale_periods"] == 3
    assert h.stale == [{"ref": "PC.A5.3", "lead": "Director of Regeneration and Growth", "periods": 3}]
    # complete actions are never stale, however still their text
    assert _action(h, "SD.D1.2")["stale_periods"] == 0


def test_an_action_red_for_the_last_three_periods_is_persistently_red(series):
    h = history(series)
    assert h.persistent_red == [{"ref": "OC.E2.8", "lead": "Director of Finance", "periods": 3}]
    assert _action(h, "OC.E2.8")["statuses"] == ["Amber", "Red", "Red", "Red"]


def test_completions_are_placed_in_the_period_they_happened(series):
    h = history(series)
    got = [(c["ref"], c["period"], c["completion_date"]) for c in h.completed]
    assert got == [
        ("SD.D1.3", "January 2024", "2024-01-15"),
        ("DM.A1.1", "February 2024", "2024-02-10"),
        ("DM.A1.2", "April 2024", "2024-04-20"),
    ]
    since = history(series, since=dt.date(2024, 2, 1))
    assert [c["ref"] for c in since.completed] == ["DM.A1.1", "DM.A1.2"]


def test_an_action_new_in_a_later_period_starts_its_story_there(series):
    a = _action(history(series), "CO.E1.9")
    assert a["first_period"] == "March 2024"
    assert a["statuses"] == [None, None, "Green", "Green"]


def test_thresholds_are_settable(series):
    h = history(series, rebaselines=1, stale=4, red=4)
    assert {a["ref"] for a in h.rebaselined} == {"SD.D1.1", "CO.G1.5"}
    assert h.stale == [] and h.persistent_red == []


# ------------------------------------------------------------------ the series


def test_files_passed_out_of_order_are_ordered_by_period_end_not_by_name(series, tmp_path):
    # names that sort the wrong way round
    shuffled = []
    for i, p in enumerate(reversed(series)):
        q = tmp_path / f"{'abcd'[i]}.xlsx"
        shutil.copy(p, q)
        shuffled.append(q)
    a = history(load_series([shuffled[2], shuffled[0], shuffled[3], shuffled[1]], follow=False))
    b = history(series)
    assert [p["period"] for p in a.periods] == LABELS
    assert a.actions == b.actions and a.completed == b.completed


def test_a_folder_or_the_latest_workbook_alone_gives_the_same_history(series):
    by_folder = history([series[0].parent]).to_dict()
    by_chain = history([series[-1]]).to_dict()
    assert by_folder == by_chain
    assert len(by_chain["periods"]) == 4


def test_a_folder_skips_ipxls_backups_and_excels_owner_files(series):
    from ipxl import writeback as W

    W.highlight(series[2])  # in place: keeps a backup of March beside it
    folder = series[0].parent
    assert any(".backup-" in p.name for p in folder.iterdir())
    (folder / "~$plan_2024_04.xlsx").write_bytes(b"owner")
    h = history(load_series([folder], follow=False))
    assert [p["period"] for p in h.periods] == LABELS and h.left_out == []


def test_a_period_given_twice_is_reported_by_name_and_left_out(series):
    twin = series[2].with_name("plan_march_copy.xlsx")
    shutil.copy(series[2], twin)
    h = history(load_series(series[0].parent.iterdir(), follow=False))
    assert [p["period"] for p in h.periods] == ["January 2024", "February 2024", "April 2024"]
    reasons = {Path(x.file).name: x.reason for x in h.left_out}
    assert set(reasons) == {"plan_2024_03.xlsx", "plan_march_copy.xlsx"}
    assert "plan_march_copy.xlsx" in reasons["plan_2024_03.xlsx"] and "31/03/2024" in reasons["plan_2024_03.xlsx"]


def test_a_workbook_given_for_a_period_stands_for_it_over_a_file_found_along_the_chain(series, tmp_path):
    # Refresh with --previous: April and a copy of March, both read; April's Settings
    # still name the March file beside it, which gives way to the copy.
    from ipxl.xlsx.reader import read_workbook

    copy = shutil.copy(series[2], tmp_path / "march-as-given.xlsx")
    s = load_series([read_workbook(series[3]), read_workbook(copy)])
    assert [wb.settings.period for wb in s.workbooks] == LABELS
    assert [wb.path.name for wb in s.workbooks][2] == "march-as-given.xlsx"
    reasons = {Path(x.file).name: x.reason for x in s.left_out}
    assert set(reasons) == {"plan_2024_03.xlsx"}
    assert "march-as-given.xlsx" in reasons["plan_2024_03.xlsx"] and "31/03/2024" in reasons["plan_2024_03.xlsx"]


def test_a_workbook_with_no_period_end_or_unreadable_is_left_out_with_the_reason(series, tmp_path):
    p = _plan(1)
    p["settings"]["period_end"] = None
    undated = write_workbook(tmp_path / "undated.xlsx", p)
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    h = history(load_series([*series, undated, broken], follow=False))
    reasons = {Path(x.file).name: x.reason for x in h.left_out}
    assert "no Period end" in reasons["undated.xlsx"]
    assert "not an Excel workbook" in reasons["broken.xlsx"]
    assert len(h.periods) == 4


def test_no_usable_workbook_is_one_sentence_and_exit_code_2(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(NoHistory, match="No workbook could be placed"):
        history([tmp_path / "empty"])
    result = CliRunner().invoke(main, ["history", str(tmp_path / "empty")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: No workbook could be placed") and len(result.output.splitlines()) == 1


def test_a_previous_chain_that_loops_ends_instead_of_running_forever(tmp_path):
    a = write_workbook(tmp_path / "a.xlsx", _plan(0, "b.xlsx"))
    write_workbook(tmp_path / "b.xlsx", _plan(1, "a.xlsx"))
    assert len(history([a]).periods) == 2


# ------------------------------------------------------------------ the command


def test_the_json_is_the_library_result_exactly(series):
    result = CliRunner().invoke(main, ["history", str(series[-1]), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == json.loads(json.dumps(history([series[-1]]).to_dict()))


def test_the_text_report_names_each_exception_an_officer_acts_on(series):
    result = CliRunner().invoke(main, ["history", str(series[0].parent), "--since", "01/02/2024"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "4 periods, January 2024 to April 2024" in out
    for needle in ("SD.D1.1", "CO.G1.5", "PC.A5.3", "OC.E2.8", "DM.A1.2", "31/07/2024"):
        assert needle in out
    assert "SD.D1.3" not in out.split("Completed")[1]  # before --since


def test_the_export_writes_tidy_csv_and_parquet_tables_with_the_documented_columns(series, tmp_path):
    h = history(series)
    written = export(h, tmp_path / "out")
    assert sorted(p.name for p in written) == [
        "history_actions.csv",
        "history_actions.parquet",
        "history_counts.csv",
        "history_counts.parquet",
        "history_measures.csv",
        "history_measures.parquet",
    ]
    actions = pd.read_csv(tmp_path / "out" / "history_actions.csv", encoding="utf-8-sig")
    assert list(actions.columns) == list(ACTIONS_SCHEMA)
    assert len(actions) == 8 + 8 + 9 + 9
    row = actions[(actions["ref"] == "SD.D1.1") & (actions["period"] == "April 2024")].iloc[0]
    assert row["effective_due"] == "2024-07-31" and row["due_date"] == "2024-03-31"
    import fastparquet

    parquet = fastparquet.ParquetFile(str(tmp_path / "out" / "history_actions.parquet")).to_pandas()
    assert list(parquet.columns) == list(ACTIONS_SCHEMA) and len(parquet) == len(actions)
    assert str(parquet["period_end"].dtype).startswith("datetime64")
    counts = fastparquet.ParquetFile(str(tmp_path / "out" / "history_counts.parquet")).to_pandas()
    assert list(counts.columns) == list(COUNTS_SCHEMA)
    apr = counts[(counts["period"] == "April 2024") & (counts["theme"] == "All")]
    assert dict(zip(apr["status"], apr["count"], strict=True))["Complete"] == 4
    assert tidy_tables(h)["counts"]["count"].sum() == sum(p["counts"]["All"]["total"] for p in h.periods) * 2


def test_the_export_schema_in_the_docs_matches_the_code():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "history.md").read_text()
    for name, meaning in (*ACTIONS_SCHEMA.items(), *COUNTS_SCHEMA.items()):
        assert f"| `{name}` | {meaning} |" in doc, name


def test_cell_text_with_markup_reaches_the_json_and_the_terminal_as_literal_text(tmp_path):
    markup = "<script>alert(1)</script> & {{ x }}"
    write_workbook(tmp_path / "p.xlsx", _plan(0))
    q = _plan(1, "p.xlsx")
    q["actions"][4]["progress_update"] = markup  # DM.A1.1, complete this period
    q["actions"][4]["ref"] = "DM.A1.1 {{ref}}"
    latest = write_workbook(tmp_path / "q.xlsx", q)
    result = CliRunner().invoke(main, ["history", str(latest), "--format", "json"])
    done = [c for c in json.loads(result.output)["completed"] if c["progress_update"] == markup]
    assert len(done) == 1 and done[0]["ref"] == "DM.A1.1 {{ref}}"
    text = CliRunner().invoke(main, ["history", str(latest)]).output
    assert "DM.A1.1 {{ref}}" in text


# ------------------------------------------------------------------ the Trend sheet


def test_refresh_writes_a_trend_sheet_with_every_period_and_a_column_chart_with_alt_text(series, tmp_path):
    import zipfile

    import openpyxl

    from ipxl import writeback as W

    out = series[-1].parent / "refreshed.xlsx"  # beside it: Previous workbook names are relative
    now = dt.datetime(2024, 5, 2, 9, 30)
    result = W.refresh(series[-1], output=out, now=now)
    assert result.details.trend_periods == 4
    ws = openpyxl.load_workbook(out)["Trend"]
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    header = values.index(["Period", "Complete", "Green", "Amber", "Red", "Not started", "On hold", "Total"])
    table = values[header + 1 : header + 5]
    assert [r[0] for r in table] == LABELS
    assert table[0][1:] == [2, 4, 2, 0, 0, 0, 8] and table[3][1:] == [4, 3, 1, 1, 0, 0, 9]
    with zipfile.ZipFile(out) as zf:
        charts = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/charts/chart")]
        drawings = "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/drawings/drawing"))
    trend = [c for c in charts if "RAG status by period" in c]
    assert len(trend) == 1 and '<c:barDir val="col"/>' in trend[0]
    assert 'name="ipxl RAG by period"' in drawings and "Stacked column chart of the number of actions" in drawings
    # the Summary's own chart is still there, and a second refresh changes nothing
    assert any("RAG status by theme" in c for c in charts)
    again = W.refresh(out, backup=False, now=now)
    assert again.details.trend_periods == 4 and not again.written


def test_the_trend_reads_earlier_periods_for_the_rollups_columns_alone_and_counts_as_a_full_read(
    series, tmp_path, monkeypatch
):
    from ipxl import defaults as D
    from ipxl import writeback as W
    from ipxl.analysis import history as H

    full = H.period_counts(H.load_series(series))
    part = H.period_counts(H.load_series(series, sheets=D.TREND_SHEETS, columns=D.TREND_COLUMNS))
    assert part == full and len(full) == 4

    read: list[tuple[str, tuple, object]] = []
    real = H.read_workbook

    def spied(path, sheets=None, **kw):
        read.append((Path(path).name, tuple(sheets or ()), kw.get("columns")))
        return real(path, sheets, **kw)

    monkeypatch.setattr(H, "read_workbook", spied)
    W.refresh(series[-1], output=series[-1].parent / "refreshed.xlsx", now=dt.datetime(2024, 5, 2, 9, 30))
    # the current workbook and the previous one are read by refresh itself; the two
    # before them only for the Trend's counts
    assert sorted(read) == sorted([(_names(k), D.TREND_SHEETS, D.TREND_COLUMNS) for k in (0, 1)]), read


def test_refresh_says_when_no_earlier_period_can_be_found_and_writes_no_trend(tmp_path):
    import openpyxl

    path = write_workbook(tmp_path / "alone.xlsx", _plan(0))
    result = CliRunner().invoke(main, ["refresh", str(path)])
    assert result.exit_code == 0, result.output
    assert "no Trend sheet" in result.output
    assert "Trend" not in openpyxl.load_workbook(path).sheetnames


# ------------------------------------------------------------------ the appendix


def zipfile_xml(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return zf.read("word/document.xml").decode("utf-8")


def _docx_text(path: Path) -> str:
    import html
    import zipfile

    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<w:br/>|</w:p>", " ", xml))).split())


def test_the_progress_over_time_appendix_shows_the_trend_and_every_exception(series):
    from builders import appendix

    from ipxl.pack import render_appendices

    plan = _plan(3, _names(2))
    plan["appendices"] = [appendix("1", "Monitoring tool"), appendix("2", "Progress over time")]
    path = write_workbook(series[0].parent / "plan_2024_04_pack.xlsx", plan)
    # a draft: the monthly plans log timescale changes without dates, on purpose
    pack = render_appendices(path, None, out_dir=series[0].parent / "pack", html=True, draft=True)
    paper = next(p for p in pack.papers if p.kind == "progress-over-time")
    assert paper.path.name == "Appendix 2 - Improvement Plan Progress Over Time April 2024.docx"
    assert pack.problems[paper.path.name] == []
    text = _docx_text(paper.path)
    assert "4 periods, January 2024 to April 2024: 2 of 8 actions complete then, 4 of 9 now." in text
    assert 'w:tblCaption w:val="Status counts by period"' in zipfile_xml(paper.path)
    assert "January 2024 2 4 2 0 0 0 8" in text and "April 2024 4 3 1 1 0 0 9" in text
    for needle in (
        "SD.D1.1 Deliver SD.D1.1 Director of Finance 31/03/2024 31/07/2024 2 4",
        "Director of Regeneration and Growth PC.A5.3 Deliver PC.A5.3 3",
        "OC.E2.8 Deliver OC.E2.8 Director of Finance 3 Capacity.",
        "CO.G1.5 March 2024 29/02/2024 30/04/2024",
    ):
        assert needle in text, needle
    page = next(p for p in pack.html if p.name == "appendix-2.html")
    body = page.read_text()
    assert "<caption" in body and "Status counts by period</caption>" in body
    assert "OC.E2.8" in body and "Actions complete by period" in body


def test_the_progress_appendix_without_earlier_periods_says_so(tmp_path):
    from builders import appendix

    from ipxl.pack import render_appendices

    plan = _plan(0)
    plan["appendices"] = [appendix("1", "Progress over time")]
    pack = render_appendices(write_workbook(tmp_path / "p.xlsx", plan), None, out_dir=tmp_path / "pack")
    paper = next(p for p in pack.papers if p.kind == "progress-over-time")
    assert "No earlier period was found" in _docx_text(paper.path)


# ------------------------------------------------------------------ the digest


def test_the_digest_gives_the_letters_facts_in_its_order(series):
    from ipxl.pack.accessibility import check_docx

    plan = _plan(3, _names(2))
    markup = "Launched <b>portal</b> & {{ x }}"
    next(a for a in plan["actions"] if a["ref"] == "DM.A1.2")["progress_update"] = markup
    latest = write_workbook(series[0].parent / "plan_2024_04b.xlsx", plan)
    out = series[0].parent / "digest"
    # The monthly plans log a revised date without its Timescale change, on purpose:
    # the latest has errors, so the digest is refused, or made as a draft.
    refused = CliRunner().invoke(main, ["digest", str(latest), "--since", "15/02/2024", "--out", str(out)])
    assert refused.exit_code == 1 and "so no digest was made" in refused.output
    assert "J3      ERROR CO.G1.5 has a revised due date" in refused.output and not out.exists()
    result = CliRunner().invoke(main, ["digest", str(latest), "--since", "15/02/2024", "--out", str(out), "--draft"])
    assert result.exit_code == 1, result.output
    assert "Note: the digest is a draft (DRAFT: the workbook has 5 errors); correct the errors" in result.output
    path = out / "Improvement Plan Six-Monthly Digest April 2024.docx"
    assert path.exists() and check_docx(path) == []
    assert docx.Document(path).paragraphs[0].text == "DRAFT: the workbook has 5 errors"
    text = _docx_text(path)
    order = [
        "Organisational Culture",
        "Corporate Oversight and Strategic Direction",
        "Decision Making",
        "Partnerships and Relationships, Procurement and Commercial",
        "Statutory recommendations",
    ]
    where = [text.index(f"{h} ") for h in order]
    assert where == sorted(where)
    # then = January (the last period ended by 15/02/2024), now = April
    assert "counts then (January 2024) and now (April 2024)" in text
    assert "Across the plan: 4 of 9 actions complete in April 2024, against 2 of 8 in January 2024; 1 action" in text
    dm = text[text.index("Decision Making 2 of 2") :]
    assert dm.startswith("Decision Making 2 of 2 actions complete now, 0 of 2 then.")
    assert f"DM.A1.2 Deliver DM.A1.2 20/04/2024 {markup}" in text
    assert "DM.A1.1 Deliver" not in text  # completed 10/02/2024, before the date
    # S1 answers SD.D1.3 (complete all along) and CO.G1.5 (Green)
    assert "S1 Take effective corporate grip. 2 1 1 1 Green" in text
    again = CliRunner().invoke(main, ["digest", str(latest), "--since", "15/02/2024", "--out", str(out), "--draft"])
    assert again.exit_code == 2 and again.output.startswith("Error: ") and "--force" in again.output


def test_a_digest_date_that_is_not_a_date_is_a_usage_error(series):
    result = CliRunner().invoke(main, ["digest", str(series[-1]), "--since", "soon"])
    assert result.exit_code == 2 and "'soon' is not a date" in result.output


# ------------------------------------------------------------------ the sample year


@pytest.fixture(scope="module")
def sample_year(tmp_path_factory) -> list[Path]:
    from ipxl.templates.sample_history import write_sample_history

    return write_sample_history(tmp_path_factory.mktemp("year"))


def test_the_sample_year_is_twelve_clean_monthly_workbooks_chained_back(sample_year):
    from ipxl import validate

    assert sample_year[0].name == "sample-plan-2022-11.xlsx" and len(sample_year) == 12
    for p in sample_year:
        assert validate(p).findings == [], p.name
    h = history([sample_year[-1]])
    assert [p["period"] for p in h.periods][::11] == ["November 2022", "October 2023"]


def test_july_and_october_of_the_sample_year_are_the_two_sample_periods(sample_year):
    from ipxl import read_workbook
    from ipxl.resources import previous_sample_path, sample_path

    for month, sample in ((sample_year[8], previous_sample_path()), (sample_year[11], sample_path())):
        a, b = read_workbook(month), read_workbook(sample)
        pd.testing.assert_frame_equal(a.frame("actions"), b.frame("actions"))
        assert a.settings.period_end.day > 27 and a.settings.period_start.day == 1


def test_the_sample_years_history_follows_the_change_log(sample_year):
    h = history([sample_year[-1]])
    done = {c["ref"]: c["period"] for c in h.completed}
    assert done["CO.A1.8"] == "September 2023"  # completed 14/09/2023
    assert done["OC.D1.3"] == "October 2023"  # completed 19/10/2023
    by_ref = {a["ref"]: a for a in h.actions}
    # added by Cabinet on 15/03/2023 (Phase 2): first seen in March
    assert by_ref["SD.G1.1"]["first_period"] == "March 2023"
    # the September timescale change: one move, logged, two months
    assert by_ref["PC.C1.1"]["rebaselines"] == 1 and by_ref["PC.C1.1"]["slippage_months"] == 2.0
    assert h.unlogged_date_changes == []
    assert {x["ref"] for x in h.persistent_red} == {"OC.B1.3", "PC.C1.1", "SD.B2.2"}


def test_the_terminal_shows_the_first_of_a_long_list_and_says_how_many_more(sample_year):
    out = CliRunner().invoke(main, ["history", str(sample_year[-1])]).output
    assert "Progress update unchanged for 2 or more periods (39):" in out
    assert "  ... and 27 more (--format json lists every one)" in out
    data = json.loads(CliRunner().invoke(main, ["history", str(sample_year[-1]), "--format", "json"]).output)
    assert len(data["stale"]) == 39
