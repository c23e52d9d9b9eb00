"""Hardening: each crash, lost write and rough edge a hostile tester found (issue 12)
has a test here that reproduces it. Inputs are real workbooks built in ``tmp_path``;
commands run as an officer runs them (the CLI, in-process or as a separate process
when the test is about processes: locks, kills, races).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import signal
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from builders import action, clean_plan, with_shared_strings, write_workbook
from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from ipxl import Plan, read_workbook, validate
from ipxl import defaults as D
from ipxl import writeback as W
from ipxl.cli import main
from ipxl.errors import WorkbookBusy, WorkbookChanged
from ipxl.writeback.file_target import FileTarget
from ipxl.xlsx import package
from ipxl.xlsx.safe_write import backup_path, lock_path, temp_prefix, workbook_lock

IPXL = [sys.executable, "-m", "ipxl"]
NOW = dt.datetime(2023, 11, 1, 9, 30)


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


def one_sentence(result, *words: str) -> str:
    """Exit 2 and exactly one line, ``Error: ...``, naming one of ``words``."""
    no_traceback(result)
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert any(w.lower() in lines[0].lower() for w in words), lines[0]
    return lines[0]


def files(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def reopens(path: Path) -> None:
    """A workbook ipxl wrote opens in both readers the officers' tools rest on."""
    openpyxl.load_workbook(path).close()
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()


def rezip(path: Path, edit) -> Path:
    """Rewrite the package at ``path`` with ``edit(name, data) -> data | None`` applied
    to each part (None drops it)."""
    with zipfile.ZipFile(path) as zf:
        parts = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            new = edit(name, data)
            if new is not None:
                out.writestr(name, new)
    return path


def actions_part(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet [^>]*name="Actions"[^>]*r:id="(rId\d+)"', wb).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    t = target.group(1) or target.group(2)
    return t.lstrip("/") if t.startswith("/") else "xl/" + t


@pytest.fixture
def plan(tmp_path) -> Path:
    return write_workbook(tmp_path / "plan.xlsx", clean_plan())


# ============================================================ 1. dates out of range


@pytest.mark.parametrize("text", ["31/03/3024", "31/03/0224", "9999-12-31"])
def test_a_text_date_whose_year_is_a_typo_is_an_invalid_date_finding_in_every_command(tmp_path, text):
    p = clean_plan()
    p["actions"][0]["due_date"] = text
    p["milestones"][0]["due_date"] = text
    path = write_workbook(tmp_path / "plan.xlsx", p)
    report = validate(read_workbook(path))
    found = [f for f in report if f.code == "invalid-date" and text in f.message]
    assert {f.sheet for f in found} == {"Actions", "Milestones"}, report
    assert all("year" in f.message for f in found), [f.message for f in found]
    for args in (
        ("validate", path),
        ("rollup", path),
        ("changes", path, path),
        ("highlight", path, "--output", tmp_path / "h.xlsx"),
        ("refresh", path, "--output", tmp_path / "r.xlsx"),
        ("appendices", path, "--out", tmp_path / "pack", "--html", "--force"),
    ):
        result = invoke(*args)
        no_traceback(result)
        assert result.exit_code in (0, 1), (args, result.output)


def test_a_settings_date_whose_year_is_a_typo_is_a_finding_not_a_crash(tmp_path):
    p = clean_plan()
    p["settings"]["period_end"] = "31/10/3023"
    path = write_workbook(tmp_path / "plan.xlsx", p)
    result = invoke("validate", path)
    no_traceback(result)
    assert "31/10/3023" in result.output and "year" in result.output
    no_traceback(invoke("refresh", path, "--output", tmp_path / "r.xlsx"))


def _numeric_date(tmp_path: Path, value) -> Path:
    path = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    wb = openpyxl.load_workbook(path)
    ws = wb["Actions"]
    col = [c.value for c in ws[1]].index("Due date") + 1
    ws.cell(2, col).value = value
    if isinstance(value, (int, float)):
        ws.cell(2, col).number_format = "dd/mm/yyyy"
    wb.save(path)
    return path


@pytest.mark.parametrize("value", [-1.1e11, 1e12, 3_000_000])
def test_a_numeric_date_far_out_of_range_is_a_finding_naming_the_number(tmp_path, value):
    path = _numeric_date(tmp_path, value)
    result = invoke("validate", path, "--format", "json")
    no_traceback(result)
    found = [f for f in json.loads(result.output)["issues"] if f["code"] == "invalid-date"]
    assert len(found) == 1, result.output
    assert found[0]["cell"].startswith("I") or found[0]["cell"]  # the cell is named
    assert "00:00:00" not in found[0]["message"]


def test_a_negative_date_serial_is_named_as_one_not_as_midnight(tmp_path):
    path = _numeric_date(tmp_path, -5)
    found = [f for f in validate(read_workbook(path)) if f.code == "invalid-date"]
    assert len(found) == 1
    assert "00:00:00" not in found[0].message and "-5" in found[0].message


@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#DIV/0!"])
def test_an_excel_error_value_in_a_date_cell_is_named_as_that_error_not_as_blank(tmp_path, error):
    path = _numeric_date(tmp_path, error)
    found = [f for f in validate(read_workbook(path)) if f.row == 2 and f.column == "Due date"]
    assert found, "the error cell is not reported"
    assert error in found[0].message and "blank" not in found[0].message.lower()


# ========================================================== 2. blank and odd values


def test_changes_in_text_copes_with_an_actions_row_whose_ref_is_blank(tmp_path):
    prev = write_workbook(tmp_path / "prev.xlsx", clean_plan())
    p = clean_plan()
    p["actions"].append(action(None, "Corporate Oversight", date_added=dt.date(2023, 9, 1), status=None))
    p["actions"][1]["ref"] = None
    cur = write_workbook(tmp_path / "cur.xlsx", p)
    result = invoke("changes", prev, cur)
    no_traceback(result)
    assert result.exit_code == 1, result.output  # the blank refs are errors, named after the changes
    assert "(no ref)" in result.output
    assert "Actions A3: Ref is required but blank." in result.output


# ================================================================ 3. cells far out


def _stray(tmp_path: Path, ref: str, dimension: str | None = None) -> Path:
    p = clean_plan()
    p["actions"][0]["date_added"] = dt.date(2023, 9, 1)  # new this period: turns red
    path = write_workbook(tmp_path / "plan.xlsx", p)
    part = actions_part(path)

    def edit(name, data):
        if name != part:
            return data
        text = data.decode()
        row = re.sub(r"\D", "", ref)
        text = text.replace(
            "</sheetData>", f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
        )
        if dimension:
            text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', text)
        return text.encode()

    return rezip(path, edit)


def _peak_mb(path: Path) -> float:
    """Peak resident memory of a fresh process that reads and validates *path*."""
    script = textwrap.dedent(
        f"""
        import resource, sys
        from ipxl import read_workbook, validate
        wb = read_workbook({str(path)!r})
        validate(wb)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip()) / 1024


@pytest.mark.parametrize(
    "ref, dimension",
    [("XFD50000", None), ("XFD1048576", None), ("A1048576", None), ("B9", "A1:XFD1048576")],
)
def test_one_stray_cell_far_out_costs_memory_by_the_cells_that_exist(tmp_path, ref, dimension):
    # Measured against the same plan without the stray cell, in the same environment:
    # what the libraries cost at import varies by machine (thread pools scale with
    # cores), what a grid of 17 billion cells would cost does not fit in any of them.
    clean = write_workbook(tmp_path / "clean.xlsx", clean_plan())
    baseline = _peak_mb(clean)
    peak = _peak_mb(_stray(tmp_path, ref, dimension))
    assert peak - baseline < 64, f"peak {peak:.0f} MB against {baseline:.0f} MB without the stray cell"


def test_red_rows_cover_the_tables_own_columns_not_every_column_to_a_stray_cell(tmp_path):
    path = _stray(tmp_path, "XFD50000")
    before = zipfile.ZipFile(path).getinfo(actions_part(path)).file_size
    out = tmp_path / "out.xlsx"
    result = invoke("highlight", path, "--output", out)
    no_traceback(result)
    assert result.exit_code == 0, result.output
    after = zipfile.ZipFile(out).getinfo(actions_part(out)).file_size
    assert after < 2 * before, (before, after)
    ws = openpyxl.load_workbook(out)["Actions"]
    width = len(D.COLUMNS["actions"])
    red = [
        r
        for r in range(2, ws.max_row + 1)
        if (ws.cell(r, 1).font.color is not None and ws.cell(r, 1).font.color.rgb == "FF" + D.NEW_ROW_RED)
    ]
    assert red, "no row turned red"
    for r in red:
        assert ws.cell(r, width).font.color.rgb == "FF" + D.NEW_ROW_RED
        assert ws.cell(r, width + 1).font.color is None or ws.cell(r, width + 1).font.color.rgb != "FF" + D.NEW_ROW_RED


# ===================================================================== 4. zip bombs


def _bomb(tmp_path: Path, size: int) -> Path:
    """A real workbook whose Actions part also carries ``size`` bytes of spaces (which
    compress about a thousand times), the shape of a zip bomb."""
    path = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    part = actions_part(path)
    with zipfile.ZipFile(path) as zf:
        parts = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts:
            if name != part:
                out.writestr(name, data)
                continue
            with out.open(name, "w", force_zip64=True) as fh:
                fh.write(data.replace(b"</worksheet>", b""))
                chunk = b" " * (1 << 20)
                for _ in range(size >> 20):
                    fh.write(chunk)
                fh.write(b"</worksheet>")
    return path


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    return _bomb(tmp_path_factory.mktemp("bomb"), 1100 << 20)


def test_a_zip_bomb_is_refused_with_one_sentence_before_it_is_inflated(bomb):
    assert bomb.stat().st_size < 2 << 20  # about a megabyte on disk, over a gigabyte inside
    for args in (("validate", bomb), ("appendices", bomb, "--out", bomb.parent / "pack")):
        one_sentence(invoke(*args), "would inflate")
    assert not (bomb.parent / "pack").exists()


def test_a_part_that_lies_about_its_size_is_refused_as_damaged(tmp_path):
    path = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    part = actions_part(path).encode()
    data = bytearray(path.read_bytes())
    # shrink the declared size in the local header and the central directory
    for sig, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = data.find(sig)
        while i != -1:
            name_len = struct.unpack_from("<H", data, i + (26 if sig == b"PK\x03\x04" else 28))[0]
            name_at = i + (30 if sig == b"PK\x03\x04" else 46)
            if bytes(data[name_at : name_at + name_len]) == part:
                struct.pack_into("<L", data, i + at, 100)
            i = data.find(sig, i + 4)
    path.write_bytes(bytes(data))
    for args in (("validate", path), ("highlight", path)):
        one_sentence(invoke(*args), "damaged")


def test_a_workbook_many_times_a_real_plans_size_is_within_the_caps():
    # 100,000 actions (ten times the largest plan) make an 81 MB Actions part and
    # 103 MB in all, compressed about 11 times (benchmarks/synthetic.py).
    assert package.MAX_PART > 2 * 81 * 2**20
    assert package.MAX_TOTAL > 3 * 103 * 2**20
    assert package.MAX_RATIO > 10 * 11


# ================================================ 5. folders and names the OS refuses


def test_appendices_into_a_folder_that_cannot_be_made_is_one_sentence(plan, tmp_path):
    blocker = tmp_path / "notafolder"
    blocker.write_text("x")
    one_sentence(invoke("appendices", plan, "--out", blocker / "pack"), "cannot create the folder")


def test_a_workbook_name_so_long_its_backup_name_would_pass_255_bytes_still_gets_a_backup(tmp_path):
    long = tmp_path / ("Improvement Plan monitoring " + "é" * 110 + ".xlsx")  # 252 bytes
    assert len(long.name.encode()) > 245
    p = clean_plan()
    p["actions"][0]["date_added"] = dt.date(2023, 9, 1)
    write_workbook(long, p)
    original = long.read_bytes()
    for args in (("highlight", long), ("refresh", long), ("validate", long, "--mark")):
        result = invoke(*args)
        no_traceback(result)
        assert result.exit_code in (0, 1), (args, result.output)
    backups = sorted(p for p in tmp_path.iterdir() if ".backup-" in p.name)
    assert len(backups) == 3
    assert all(len(p.name.encode()) <= 255 and p.suffix == ".xlsx" for p in backups)
    assert original in {b.read_bytes() for b in backups}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_appendix_title_longer_than_a_file_name_may_be_is_shortened(tmp_path):
    p = clean_plan()
    p["appendices"] = [{"number": 1, "appendix": "Monitoring tool", "title": "Monitoring " * 40}]
    path = write_workbook(tmp_path / "plan.xlsx", p)
    result = invoke("appendices", path, "--out", tmp_path / "pack", "--only", "1")
    no_traceback(result)
    assert result.exit_code in (0, 1), result.output
    made = list((tmp_path / "pack").glob("*.docx"))
    assert len(made) == 1 and len(made[0].name.encode()) <= 255


# =========================================== 6. one package check, one verdict for all


def _no_content_types(path):
    return rezip(path, lambda n, d: None if n == "[Content_Types].xml" else d)


def _dtd_in_styles(path):
    def edit(n, d):
        if n != "xl/styles.xml":
            return d
        return b'<!DOCTYPE x [<!ENTITY e "boom">]>' + re.sub(rb"^<\?xml[^>]*\?>", b"", d)

    return rezip(path, edit)


def _control_character_in_a_sheet(path):
    part = actions_part(path)
    return rezip(path, lambda n, d: d.replace(b"Deliver", b"Del\x01iver", 1) if n == part else d)


def _control_character_in_shared_strings(path):
    path = with_shared_strings(path)
    part = "xl/sharedStrings.xml"
    assert b"Deliver" in zipfile.ZipFile(path).read(part)
    return rezip(path, lambda n, d: d.replace(b"Deliver", b"Del\x02iver", 1) if n == part else d)


def _duplicate_entry(path):
    with zipfile.ZipFile(path) as zf:
        styles = zf.read("xl/styles.xml")
    with warnings_ignored(), zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/styles.xml", styles)
    return path


def _risks_sheet_missing(path):
    # A sheet the workbook lists but the package lacks: every command refuses it, even
    # one that would read only other sheets and so copy the hole into its output.
    wb = zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    rels = zipfile.ZipFile(path).read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet [^>]*name="Risks"[^>]*r:id="(rId\d+)"', wb).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    part = (target.group(1) or target.group(2)).lstrip("/")
    part = part if part.startswith("xl/") else "xl/" + part
    return rezip(path, lambda n, d: None if n == part else d)


class warnings_ignored:
    def __enter__(self):
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        self._ctx.__exit__(*exc)


BROKEN = {
    "no content types": (_no_content_types, "[Content_Types].xml"),
    "DTD in styles": (_dtd_in_styles, "DTD"),
    "control character in a sheet": (_control_character_in_a_sheet, "characters XML does not allow"),
    "control character in shared strings": (_control_character_in_shared_strings, "characters XML does not allow"),
    "duplicate entry": (_duplicate_entry, "two parts called"),
    "a sheet with no contents": (_risks_sheet_missing, "'Risks' has no contents"),
}


@pytest.mark.parametrize("kind", list(BROKEN))
def test_a_broken_package_gets_the_same_sentence_from_every_command(tmp_path, kind):
    make, words = BROKEN[kind]
    path = make(write_workbook(tmp_path / "plan.xlsx", clean_plan()))
    before = files(tmp_path)
    sentences = set()
    for args in (
        ("validate", path),
        ("rollup", path),
        ("changes", path, path),
        ("highlight", path),
        ("refresh", path),
        ("validate", path, "--mark"),
        ("appendices", path, "--out", tmp_path / "pack"),
    ):
        result = invoke(*args)
        sentences.add(one_sentence(result, words))
        assert result.stderr.strip() == result.output.strip()  # no warning beside it
    assert len(sentences) == 1, sentences
    assert files(tmp_path) == before  # nothing written, nothing left behind


# ========================================================= 7. LibreOffice failing


def _fake_soffice(folder: Path, body: str) -> dict[str, str]:
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n")
    script.chmod(0o755)
    return {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


@pytest.mark.parametrize(
    "body, words",
    [
        ("kill -SEGV $$", "LibreOffice stopped before it finished"),
        ("echo 'Error: source file could not be loaded' >&2; exit 1", "LibreOffice could not convert"),
    ],
)
def test_libreoffice_failing_during_pdf_says_what_failed_and_what_to_do(plan, tmp_path, body, words):
    env = os.environ | _fake_soffice(tmp_path, body)
    done = subprocess.run(
        [*IPXL, "appendices", str(plan), "--out", str(tmp_path / "pack"), "--pdf"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and not re.search(r"0x[0-9a-f]{6,}", done.stdout + done.stderr)
    error = [line for line in done.stderr.splitlines() if line.startswith("Error: ")]
    assert len(error) == 1 and words in error[0], done.stderr
    assert "run the command again" in error[0] and "Word" in error[0]
    assert list((tmp_path / "pack").glob("*.docx")), "the Word files stay written"


# ================================================= 8. rival runs and rival programs


def _new_row_plan(tmp_path: Path) -> Path:
    p = clean_plan()
    p["actions"][0]["date_added"] = dt.date(2023, 9, 1)  # new this period: turns red
    p["actions"][2]["status"] = "On track"  # a finding, so --mark marks a cell
    return write_workbook(tmp_path / "plan.xlsx", p)


def _red_rows(path: Path) -> list[int]:
    ws = openpyxl.load_workbook(path)["Actions"]
    return [
        r
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, 1).font.color is not None and ws.cell(r, 1).font.color.rgb == "FF" + D.NEW_ROW_RED
    ]


def test_rival_write_commands_at_once_each_keep_the_others_work(tmp_path):
    path = _new_row_plan(tmp_path)
    commands = [["highlight", str(path)], ["validate", str(path), "--mark"], ["refresh", str(path), "--no-highlight"]]
    for _ in range(3):
        runs = [
            subprocess.Popen([*IPXL, *c], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands
        ]
        for run in runs:
            out, err = run.communicate(timeout=120)
            assert run.returncode in (0, 1), out + err
            assert "Traceback" not in err
        wb = openpyxl.load_workbook(path)
        assert {"Summary", "Validation"} <= set(wb.sheetnames)  # refresh's and --mark's sheets
        assert _red_rows(path) == [2]  # highlight's red survived both
        assert any(cf.sqref for cf in wb["Actions"].conditional_formatting)  # and the marks
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no lock or temp left


def test_a_write_refuses_when_another_program_changed_the_workbook_meanwhile(tmp_path):
    path = _new_row_plan(tmp_path)
    rival = write_workbook(tmp_path / "rival.xlsx", clean_plan()).read_bytes()
    target = FileTarget(path, now=NOW)
    try:
        W.highlight_target(target, Plan(read_workbook(path)))
        path.write_bytes(rival)  # an officer's copy lands on the shared drive
        with pytest.raises(WorkbookChanged, match=r"changed while ipxl was working on it.*run it again"):
            target.commit()
    finally:
        target.close()
    assert path.read_bytes() == rival  # their file, untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx", "rival.xlsx"]  # no backup, no temp


def _hold_lock(path: Path, then: str = "time.sleep(60)") -> subprocess.Popen:
    script = textwrap.dedent(
        f"""
        import sys, time
        from ipxl.xlsx.safe_write import workbook_lock
        with workbook_lock({str(path)!r}):
            print("held", flush=True)
            {then}
        """
    )
    run = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert run.stdout.readline().strip() == "held"
    return run


def test_a_run_that_cannot_get_the_lock_says_another_run_is_writing(tmp_path):
    path = _new_row_plan(tmp_path)
    holder = _hold_lock(path)
    try:
        with pytest.raises(WorkbookBusy, match=r"Another ipxl run is writing plan\.xlsx.*wait for it to finish"):
            with workbook_lock(path, wait=0.3):
                pass
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_left_by_a_killed_run_does_not_block_the_next(tmp_path):
    path = _new_row_plan(tmp_path)
    holder = _hold_lock(path)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert lock_path(path).exists()  # the killed run could not tidy up
    started = time.monotonic()
    result = invoke("highlight", path)
    assert result.exit_code == 0, result.output
    assert time.monotonic() - started < D.LOCK_WAIT / 2  # it did not wait the lock out
    assert _red_rows(path) == [2]
    assert not lock_path(path).exists()


def test_a_waiting_run_starts_from_the_first_runs_result(tmp_path):
    path = _new_row_plan(tmp_path)
    holder = _hold_lock(path, then="time.sleep(1.5)")
    waiting = subprocess.Popen(
        [*IPXL, "highlight", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    holder.wait()
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, out + err
    assert _red_rows(path) == [2]


# ================================================================= 9. kills mid-write


KILL_MID_WRITE = """
import sys, time
from pathlib import Path
from ipxl.xlsx import safe_write

def stall(fh):
    fh.write(b"PK half a workbook")
    fh.flush()
    print("writing", flush=True)
    time.sleep(60)

path = Path(sys.argv[1])
with safe_write.workbook_lock(path):
    if sys.argv[2] == "backup":
        import shutil
        def no_links(*a):
            raise OSError(1, "Operation not permitted")
        safe_write.os.link = no_links  # this file system has no hard links
        real = shutil.copyfileobj
        shutil.copyfileobj = lambda src, out, *a: stall(out)
        safe_write.write_backup(path)
    else:
        safe_write.atomic_write(path, stall)
"""


@pytest.mark.parametrize("during", ["write", "backup"])
def test_kill_9_mid_write_leaves_the_workbook_whole_and_the_next_run_tidies_up(tmp_path, during):
    path = _new_row_plan(tmp_path)
    original = path.read_bytes()
    run = subprocess.Popen(
        [sys.executable, "-c", KILL_MID_WRITE, str(path), during],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stdout.readline().strip() == "writing", run.stderr.read()
    run.send_signal(signal.SIGKILL)
    run.wait()
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != "plan.xlsx")
    assert path.read_bytes() == original
    assert not [n for n in left if ".backup-" in n]  # never a half file with a backup's name
    assert [n for n in left if n.startswith(temp_prefix(path))], left  # the killed run's temp file
    result = invoke("highlight", path)
    assert result.exit_code == 0, result.output
    rest = sorted(p.name for p in tmp_path.iterdir())
    assert [n for n in rest if n.startswith(".")] == []  # temp and lock files gone
    backups = [tmp_path / n for n in rest if ".backup-" in n]
    assert len(backups) == 1 and backups[0].read_bytes() == original
    reopens(path)


def test_a_backup_copied_where_there_are_no_hard_links_is_whole_and_keeps_no_temp(tmp_path, monkeypatch):
    from ipxl.xlsx import safe_write

    path = _new_row_plan(tmp_path)
    original = path.read_bytes()

    def no_links(*a):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(safe_write.os, "link", no_links)
    result = W.highlight(path, now=NOW)
    assert result.backup is not None and result.backup.read_bytes() == original
    assert not result.backup.samefile(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["plan.xlsx", result.backup.name])


def test_backup_names_fit_the_file_systems_limit():
    name = "é" * 125 + ".xlsx"  # 255 bytes
    backup = backup_path(Path("/nowhere") / name, NOW)
    assert len(backup.name.encode()) <= 255
    assert backup.name.endswith(".backup-20231101-093000.xlsx")
    assert len(temp_prefix(Path(name)).encode()) + 8 + 4 <= 255


# ================================================ 10. links, and refresh's backups


def test_a_symlinked_workbook_is_written_through_to_the_file_it_names(tmp_path):
    real_dir = tmp_path / "shared"
    real_dir.mkdir()
    real = _new_row_plan(real_dir)
    link = tmp_path / "plan.xlsx"
    link.symlink_to(real)
    result = invoke("highlight", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == real
    assert _red_rows(real) == [2]
    assert [p.name for p in real_dir.iterdir() if ".backup-" in p.name]  # the backup sits by the real file


def test_a_refresh_that_finds_the_summary_current_still_keeps_a_backup_when_it_writes(tmp_path):
    path = _new_row_plan(tmp_path)
    W.refresh(path, highlight=False, now=NOW)  # the Summary is now current
    before = path.read_bytes()
    result = W.refresh(path, now=NOW)  # only the red rows change
    assert result.written and result.backup is not None
    assert result.backup.read_bytes() == before
    assert _red_rows(path) == [2]
    unchanged = path.read_bytes()
    again = W.refresh(path, now=NOW)  # nothing to change: nothing written
    assert not again.written and again.backup is None and path.read_bytes() == unchanged


def test_refresh_is_one_write_summary_and_red_rows_together(tmp_path):
    path = _new_row_plan(tmp_path)
    result = invoke("refresh", path)
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "Summary sheet and red font on new rows" in result.output
    assert len([p for p in tmp_path.iterdir() if ".backup-" in p.name]) == 1


# ======================================================== command-line rough edges


def test_excel_setup_refuses_a_missing_workbook(tmp_path):
    one_sentence(invoke("excel-setup", "--workbook", tmp_path / "nope.xlsm"), "no file at")
    assert list(tmp_path.iterdir()) == []


def test_excel_setup_refuses_an_xlsx_which_has_no_buttons(plan):
    one_sentence(invoke("excel-setup", "--workbook", plan), "has no buttons")
    assert not list(plan.parent.glob("*.py"))


def test_validate_output_without_mark_is_a_usage_error_not_ignored(plan, tmp_path):
    result = invoke("validate", plan, "--output", tmp_path / "m.xlsx")
    assert result.exit_code == 2
    assert "--output" in result.output and "--mark" in result.output
    assert not (tmp_path / "m.xlsx").exists()


def test_validate_mark_output_on_an_already_marked_file_says_it_wrote_the_copy(plan, tmp_path):
    assert invoke("validate", plan, "--mark").exit_code == 0
    out = tmp_path / "m.xlsx"
    result = invoke("validate", plan, "--mark", "--output", out)
    assert result.exit_code == 0
    assert out.exists() and f"Wrote {out}" in result.output and "nothing written" not in result.output


def test_changes_with_the_workbooks_swapped_says_so_and_stops(tmp_path):
    prev = clean_plan()
    prev["settings"].update(period="July 2023", period_start=dt.date(2023, 5, 1), period_end=dt.date(2023, 7, 31))
    old = write_workbook(tmp_path / "july.xlsx", prev)
    new = write_workbook(tmp_path / "october.xlsx", clean_plan())
    line = one_sentence(invoke("changes", new, old), "later period")
    assert "october.xlsx" in line and "july.xlsx" in line and "31/10/2023" in line
    assert invoke("changes", old, new).exit_code == 0


@pytest.mark.parametrize("name", ["foo.txt", "plan", "plan.xls"])
def test_new_refuses_a_name_excel_would_not_open_as_a_workbook(tmp_path, name):
    one_sentence(invoke("new", tmp_path / name), ".xlsx")
    assert list(tmp_path.iterdir()) == []


def test_an_output_of_another_kind_than_the_workbook_is_refused(plan, tmp_path):
    one_sentence(invoke("highlight", plan, "--output", tmp_path / "out.xlsm"), "its copy must be too")
    one_sentence(invoke("highlight", plan, "--output", tmp_path / "out.txt"), ".xlsx")


def test_roll_up_percentages_are_rounded_once_from_the_counts(tmp_path):
    p = clean_plan()
    p["actions"] = [
        action(f"CO.G1.{i}", "Corporate Oversight", status="Green" if i <= 6 else "Amber", exception_reason="Late.")
        for i in range(1, 12)
    ]
    path = write_workbook(tmp_path / "plan.xlsx", p)
    result = invoke("rollup", path, "--by", "theme")
    assert "6 (55%)" in result.output and "5 (45%)" in result.output, result.output


def test_a_workbook_open_in_libreoffice_is_refused_like_one_open_in_excel(plan):
    (plan.parent / f".~lock.{plan.name}#").write_text("officer,host,...")
    one_sentence(invoke("highlight", plan), "open in LibreOffice")
