"""The xlwings Lite door (ipxl.excel.lite): its scripts, its buttons, and Pyodide.

xlwings Lite runs the workbook's main.py under Pyodide and calls each ``@script`` with
a Book of xlwings' remote engine built from what its Office.js client sends. Here each
script runs the same way, in a fresh interpreter: main.py loaded from the file
``ipxl excel-setup --lite`` writes, ``@script`` as xlwings defines it under Pyodide
(``xlwings.server.script``), the call made by ``custom_scripts_call``, the function
Lite calls, and python-calamine, pikepdf and fastparquet unimportable. What the Lite
path imports, and everything pip would install for ipxl there, is checked against
the package list of the ``pyodide`` npm package (``pyodide-lock.json``) of three releases (0.27, 0.29,
314), the wheels' tags and Pyodide's standard library.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from functools import cache
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from remote_books import OFFICE_JS, grids_of, payload
from tools import PYODIDES, ROOT, pyodide_dir

from ipxl import defaults as D
from ipxl.excel import lite as L
from ipxl.resources import sample_path, template_path
from ipxl.writeback import RED_RECORD as W_RED_RECORD
from ipxl.xlsx.reader import read_workbook

#: What Pyodide has no wheel for, or xlwings Lite's Pyodide may lack.
NOT_IN_PYODIDE = ("python_calamine", "pikepdf", "fastparquet")
RED = "#" + D.NEW_ROW_RED

# The harness: a fresh Python that runs one script of main.py as xlwings Lite does.
HARNESS = r"""
import asyncio, importlib.abc, importlib.util, json, sys

BLOCKED = set(sys.argv[2].split(","))

class NotInPyodide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCKED:
            # the words Python itself uses, so the scripts say what they say in Pyodide
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInPyodide())
job = json.loads(open(sys.argv[1], encoding="utf-8").read())

import xlwings as xw
import xlwings.server
from xlwings.main import Engine
from xlwings.pro import _xlremote

xw.script = xlwings.server.script  # what `from xlwings import script` gives under Pyodide
if "remote" not in [e.name for e in xw.engines]:
    xw.engines.add(Engine(impl=_xlremote.engine))

if "ipxl" not in BLOCKED:
    import ipxl.defaults
    ipxl.defaults.LITE_DATA_DIR = job["data"]  # Lite's /data, the folder its file Import and Export use

host = set(sys.modules)  # what xlwings Lite itself has loaded before the workbook's code
spec = importlib.util.spec_from_file_location("main", job["main"])
main = importlib.util.module_from_spec(spec)
spec.loader.exec_module(main)
book = xw.Book(json=job["payload"])
asyncio.run(xlwings.server.custom_scripts_call(main, job["script"], typehint_to_value={xw.Book: book}))
print(json.dumps({
    "meta": xlwings.server.custom_scripts_meta(main),
    "actions": book.json()["actions"],
    "sheets": [s.name for s in book.sheets],
    "modules": sorted({m.split(".")[0] for m in set(sys.modules) - host}),
}, default=str))
"""


#: Where a council might host ipxl's wheel for xlwings Lite.
WHEEL_URL = "https://plans.example.gov.uk/wheels/ipxl-0.1.0-py3-none-any.whl"


@pytest.fixture(scope="module")
def lite_files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lite")
    L.write_lite(folder, WHEEL_URL)
    return folder


def run_script(
    folder: Path,
    script: str,
    grids: dict,
    tmp_path: Path,
    name: str = "plan.xlsx",
    blocked=NOT_IN_PYODIDE,
    data: Path | None = None,
) -> dict:
    """Run one script of main.py on ``grids`` as xlwings Lite runs it; ``data`` stands
    for Lite's /data folder (one that does not exist when not given)."""
    job = tmp_path / f"{script}.json"
    job.write_text(
        json.dumps(
            {
                "main": str(folder / "main.py"),
                "script": script,
                "payload": payload(name, grids, OFFICE_JS),
                "data": str(data if data is not None else tmp_path / "no-data-folder"),
            }
        ),
        encoding="utf-8",
    )
    env = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial"}
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, str(job), ",".join(blocked)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def of(result: dict, func: str, sheet: str | None = None) -> list[dict]:
    names = result["sheets"]
    return [
        a
        for a in result["actions"]
        if a["func"] == func
        and (sheet is None or (a["sheet_position"] is not None and names[a["sheet_position"]] == sheet))
    ]


def rows_of(action) -> set[int]:
    return set(range(action["start_row"] + 1, action["start_row"] + 1 + action["row_count"]))


# =========================================================================== scripts


@pytest.fixture(scope="module")
def validated(lite_files, tmp_path_factory):
    grids = grids_of(sample_path())
    actions_grid = grids["Actions"]
    header = actions_grid[0]
    bad = list(actions_grid[1])
    bad[0] = "CO.G9.9"
    bad[header.index("Status")] = "Purple"
    actions_grid.append(bad)
    return run_script(lite_files, "validate", grids, tmp_path_factory.mktemp("v")), len(actions_grid)


def test_validate_in_lite_lists_the_findings_with_links_and_marks_the_cells(validated):
    result, bad_row = validated
    (write,) = of(result, "setValues", "Validation")
    text = json.dumps(write["values"])
    assert "Purple" in text
    status_col = read_workbook(sample_path()).sheets["actions"].letters["status"]
    assert f"=HYPERLINK(\\\"#'Actions'!{status_col}{bad_row}\\\"" in text
    marks = of(result, "addConditionalFormat", "Actions")
    assert any(bad_row in rows_of(a) for a in marks)
    assert not of(result, "alert"), "a clean run shows no message"


def test_refresh_in_lite_turns_exactly_the_new_rows_red_and_writes_the_summary(lite_files, tmp_path):
    from ipxl.writeback import new_rows

    result = run_script(lite_files, "refresh", grids_of(sample_path()), tmp_path)
    want = new_rows(read_workbook(sample_path()), None)["actions"]
    red = of(result, "setFontProperty", "Actions")
    assert red and all(a["args"] == ["color", RED] for a in red)
    assert set().union(*(rows_of(a) for a in red)) == want
    (summary,) = of(result, "setValues", "Summary")
    assert summary["values"][1][:2] == ["Reporting period", "October 2023"]


def _refreshed_last_period(tmp_path: Path) -> tuple[dict, set[int]]:
    """The sample as last period's Refresh (the file door) left it, moved on a month
    as an officer does (Settings say November), as xlwings Lite sends it; and the rows
    that Refresh turned red."""
    from ipxl.writeback import new_rows, refresh

    path = tmp_path / "plan_2023_10.xlsx"
    path.write_bytes(sample_path().read_bytes())
    refresh(path, backup=False)
    red = new_rows(read_workbook(path), None)  # no previous file beside it, as refresh found
    grids = grids_of(path)
    settings = grids["Settings"]
    for row in settings:
        label = str(row[0]).strip().casefold()
        if label == "reporting period":
            row[1] = "November 2023"
        elif label == "period start":
            row[1] = dt.datetime(2023, 11, 1)
        elif label == "period end":
            row[1] = dt.datetime(2023, 11, 30)
    return grids, red["actions"]


def test_refresh_in_lite_gives_last_periods_red_rows_their_colour_back_from_the_summarys_record(lite_files, tmp_path):
    grids, last_red = _refreshed_last_period(tmp_path)
    assert last_red, "the sample has actions new in October"
    result = run_script(lite_files, "refresh", grids, tmp_path)
    fonts = of(result, "setFontProperty", "Actions")
    restored = set().union(*(rows_of(a) for a in fonts if a["args"] == ["color", "#000000"]))
    painted = set().union(set(), *(rows_of(a) for a in fonts if a["args"] == ["color", RED]))
    assert restored == last_red, "every row October's Refresh turned red, and no other"
    assert painted == set(), "nothing is new in November"
    (summary,) = of(result, "setValues", "Summary")
    record = summary["values"][[r[0] for r in summary["values"]].index(W_RED_RECORD) + 1]
    assert record[:2] == ["Actions", "none"], "the new record: no row is red now"


def test_refresh_in_lite_says_the_change_summary_needs_last_periods_workbook_imported(lite_files, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    result = run_script(lite_files, "refresh", grids_of(sample_path()), tmp_path, data=data)
    (summary,) = of(result, "setValues", "Summary")
    text = " ".join(str(c) for row in summary["values"] for c in row if c)
    assert (
        "xlwings Lite cannot open files on this computer, so the change summary needs last period's workbook "
        f"sample-improvement-plan-previous.xlsx imported into xlwings Lite (it is looked for as {data}/"
        "sample-improvement-plan-previous.xlsx)"
    ) in text
    assert "was not found" not in text


def test_refresh_in_lite_summarises_the_changes_from_last_periods_workbook_imported_into_data(lite_files, tmp_path):
    from ipxl.resources import previous_sample_path

    data = tmp_path / "data"
    data.mkdir()
    (data / previous_sample_path().name).write_bytes(previous_sample_path().read_bytes())
    result = run_script(lite_files, "refresh", grids_of(sample_path()), tmp_path, data=data)
    (summary,) = of(result, "setValues", "Summary")
    column_a = [row[0] for row in summary["values"]]
    after = column_a[column_a.index("Changes this period") + 1]
    assert after and "previous workbook" not in after and "cannot open" not in after
    assert of(result, "setValues", "Trend"), "the Trend follows the imported workbook"


def test_build_appendices_in_lite_writes_the_pack_to_data_and_says_how_to_export_it(lite_files, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    result = run_script(lite_files, "appendices", grids_of(sample_path()), tmp_path, name="plan.xlsx", data=data)
    (alert,) = of(result, "alert")
    message = alert["args"][0]
    folder = data / "plan appendices October 2023"
    assert message.startswith(f"The pack is in {folder} in xlwings Lite, and all of it in ")
    assert "export that file from xlwings Lite" in message and "Traceback" not in message
    assert len(list(folder.glob("Appendix *.docx"))) >= 5
    assert (folder / "html" / "index.html").is_file()
    with zipfile.ZipFile(data / "plan appendices October 2023.zip") as zf:
        assert "plan appendices October 2023/html/index.html" in zf.namelist()


def test_build_appendices_where_lite_has_no_data_folder_says_in_one_sentence_which_command_does_it(
    lite_files, tmp_path
):
    result = run_script(lite_files, "appendices", grids_of(sample_path()), tmp_path, name="October plan.xlsx")
    (alert,) = of(result, "alert")
    message = alert["args"][0]
    assert '`ipxl appendices "October plan.xlsx"`' in message
    assert "\n" not in message and message.count(". ") == 0
    assert not of(result, "setValues"), "nothing is written"


def test_make_returns_in_lite_writes_them_to_data_and_merge_returns_reads_them_back(lite_files, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    made = run_script(lite_files, "make_returns", grids_of(sample_path()), tmp_path, data=data)
    (alert,) = of(made, "alert")
    assert "returns are in" in alert["args"][0] and "plan returns.zip" in alert["args"][0]
    returns = sorted((data / "plan returns").glob("Return - *.xlsx"))
    assert returns and (data / "plan returns.zip").is_file()
    merged = run_script(lite_files, "merge_returns", grids_of(sample_path()), tmp_path, data=data)
    (alert,) = of(merged, "alert")
    assert alert["args"][0].startswith(f"0 changes from {len(returns)} returns are in the workbook"), alert


def test_merge_returns_in_lite_with_none_imported_says_what_to_import(lite_files, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    result = run_script(lite_files, "merge_returns", grids_of(sample_path()), tmp_path, data=data)
    (alert,) = of(result, "alert")
    assert alert["args"][0].startswith(f"There are no returns in xlwings Lite's {data} folder: import the returns")


def test_a_workbook_lite_cannot_use_gets_one_sentence_not_a_traceback(lite_files, tmp_path):
    grids = grids_of(sample_path())
    del grids["Actions"]
    result = run_script(lite_files, "validate", grids, tmp_path)
    (alert,) = of(result, "alert")
    assert "has no Actions sheet" in alert["args"][0]
    assert "Traceback" not in alert["args"][0]


def test_before_ipxl_is_installed_a_button_names_the_requirements_ipxl_line_as_the_cause(lite_files, tmp_path):
    result = run_script(lite_files, "validate", grids_of(sample_path()), tmp_path, blocked=("ipxl",))
    (alert,) = of(result, "alert")
    message = alert["args"][0]
    assert message.startswith(
        "ipxl is not installed in xlwings Lite because the ipxl line of the requirements.txt tab did not install"
    )
    assert "ipxl is not on PyPI" in message and "--wheel" in message


def test_when_a_package_ipxl_needs_did_not_install_a_button_names_that_package(lite_files, tmp_path):
    result = run_script(lite_files, "validate", grids_of(sample_path()), tmp_path, blocked=(*NOT_IN_PYODIDE, "lxml"))
    (alert,) = of(result, "alert")
    assert alert["args"][0].startswith("ipxl is installed in xlwings Lite but cannot start because lxml")


def test_a_task_main_py_does_not_know_is_one_sentence_too(remote):
    book = remote(grids_of(sample_path()), "plan.xlsx", OFFICE_JS)
    assert L.run("export", book) is None
    (alert,) = [a for a in book.json()["actions"] if a["func"] == "alert"]
    assert alert["args"][0] == (
        "ipxl has no task 'export'; main.py can run 'validate', 'refresh', 'appendices', 'make_returns', "
        "'merge_returns', 'sign_off'."
    )


def test_the_scripts_lite_lists_name_the_buttons_of_the_control_sheet(validated):
    result, _ = validated
    meta = {m["function_name"]: m for m in result["meta"]}
    assert set(meta) == {b.task for b in L.LITE_SCRIPTS}
    for b in L.LITE_SCRIPTS:
        assert meta[b.task]["name"] == b.label
        assert meta[b.task].get("button") == (f"[{b.shape}]Control!{b.cell}" if b.shape else None)
        assert meta[b.task]["show_taskpane"] is True
    assert {b.task for b in L.LITE_BUTTONS} == {"validate", "refresh", "appendices"}


# =================================================================== the Control sheet


def _drawing_of_control(path: Path) -> tuple[str, dict[str, str]]:
    """The Control sheet's drawing XML and its relationship targets by Id."""
    with zipfile.ZipFile(path) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        first = re.search(r"<sheet [^>]*>", wb).group(0)
        assert 'name="Control"' in first, "Control is the first sheet"
        rid = re.search(r'r:id="([^"]+)"', first).group(1)
        wb_rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', wb_rels)
        sheet = "xl/" + (target.group(1) or target.group(2)).lstrip("/").removeprefix("xl/")
        sheet_xml = zf.read(sheet).decode()
        assert '<selection activeCell="A1"' in sheet_xml, "no button's cell is selected to begin with"
        assert 'paperSize="9"' in sheet_xml
        sheet_rels = zf.read(sheet.replace("worksheets/", "worksheets/_rels/") + ".rels").decode()
        drawing = "xl/drawings/" + re.search(r'Target="\.\./drawings/([^"]+)"', sheet_rels).group(1)
        drawing_rels = zf.read(drawing.replace("drawings/", "drawings/_rels/") + ".rels").decode()
        targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', drawing_rels))
        return zf.read(drawing).decode(), targets


@pytest.mark.parametrize("path", [template_path(), sample_path()], ids=["template", "sample"])
def test_each_button_is_a_named_shape_linked_to_the_cell_its_script_names(path):
    drawing, targets = _drawing_of_control(path)
    shapes = re.findall(r'<xdr:cNvPr id="\d+" name="([^"]+)"[^>]*><a:hlinkClick r:id="([^"]+)"', drawing)
    assert [(name, targets[rid]) for name, rid in shapes] == [(b.shape, f"#Control!{b.cell}") for b in L.LITE_BUTTONS]
    for b in L.LITE_BUTTONS:
        assert f"<a:t>{b.label}</a:t>" in drawing


def test_the_control_sheet_keeps_sheet_local_names_pointing_at_their_sheets():
    import openpyxl

    with zipfile.ZipFile(sample_path()) as zf:
        wb_xml = zf.read("xl/workbook.xml").decode()
    sheets = re.findall(r'<sheet [^>]*name="([^"]+)"', wb_xml)
    assert sheets[0] == "Control"
    local = re.findall(r'<definedName [^>]*localSheetId="(\d+)"[^>]*>([^<]+)</definedName>', wb_xml)
    assert len(local) >= 5, "print titles of the record sheets"
    for index, formula in local:
        # each sheet-local name (print titles) still belongs to the sheet it names
        assert formula.split("!")[0].strip("'") == sheets[int(index)], (index, formula)
    titles = {ws.title: ws.print_title_rows for ws in openpyxl.load_workbook(sample_path()).worksheets}
    assert titles["Actions"] == "$1:$1" and titles["Control"] is None
    # the data read as before
    assert len(read_workbook(sample_path()).sheets["actions"].frame) > 50


def test_libreoffice_renders_the_three_buttons_on_a4(tmp_path):
    from tools import pdf_of, pdf_pages

    size, text = pdf_pages(pdf_of(sample_path(), tmp_path))[0]
    for b in L.LITE_BUTTONS:
        assert b.label in text
    assert size == (842, 595), "A4 landscape"


# ======================================================================== Pyodide


@cache
def pyodide_lock(release: str) -> dict:
    return json.loads((pyodide_dir(release) / "pyodide-lock.json").read_text(encoding="utf-8"))


def pyodide_environment(release: str) -> dict[str, str]:
    """Marker values under Pyodide, from its lock file (Python version, platform)."""
    python = pyodide_lock(release)["info"]["python"]
    return {
        "sys_platform": "emscripten",
        "platform_system": "Emscripten",
        "platform_machine": "wasm32",
        "os_name": "posix",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "python_version": ".".join(python.split(".")[:2]),
        "python_full_version": python,
        "extra": "",
    }


def _pure(dist: metadata.Distribution) -> bool:
    """Whether the installed distribution came from a pure-Python wheel."""
    wheel = dist.read_text("WHEEL") or ""
    tags = re.findall(r"^Tag:\s*(\S+)", wheel, flags=re.M)
    return "Root-Is-Purelib: true" in wheel and bool(tags) and all(t.endswith("-none-any") for t in tags)


#: xlwings Lite brings xlwings itself (its requirements.txt pins xlwings, a pure-Python
#: wheel there); the wheel installed here is the desktop build.
HOST_PROVIDED = {"xlwings"}


def lite_install_set(release: str) -> dict[str, str]:
    """Every distribution installing ipxl under that Pyodide pulls in, each with where
    it comes from: ``pyodide`` (its own build), ``pure`` (a pure wheel) or ``host``."""
    env = pyodide_environment(release)
    python = env["python_full_version"]
    packages = {canonicalize_name(k): v for k, v in pyodide_lock(release)["packages"].items()}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(r) for r in project["dependencies"]]
    found: dict[str, str] = {}
    problems = []
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        name = canonicalize_name(req.name)
        if name in HOST_PROVIDED:
            found[name] = "host"
            continue
        # Every requirement on a name counts, not only the first met: typeguard needs a
        # newer typing-extensions than Pyodide 0.27 ships, which micropip then fetches
        # from the index (a pure wheel), so it is no longer Pyodide's own.
        if name in packages and req.specifier.contains(packages[name]["version"], prereleases=True):
            if name not in found:
                found[name] = "pyodide"
                todo += [Requirement(d) for d in packages[name].get("depends", [])]
            continue
        if found.get(name) == "pure":
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            problems.append(f"{req}: not in Pyodide and not installed here to check its wheel")
            continue
        if not _pure(dist):
            ships = f"Pyodide ships {packages[name]['version']}" if name in packages else "not in Pyodide"
            problems.append(f"{req}: {ships} and its wheel is not pure Python")
        needs = dist.metadata.get("Requires-Python")
        if needs and not Requirement(f"x{needs}").specifier.contains(python):
            problems.append(f"{req}: needs Python {needs}, Pyodide has {python}")
        found[name] = "pure"
        todo += [Requirement(r) for r in dist.requires or []]
    assert not problems, problems
    return found


RELEASES = list(PYODIDES)


@pytest.mark.parametrize("release", RELEASES)
def test_installing_ipxl_under_pyodide_needs_only_pyodide_builds_and_pure_wheels(release):
    found = lite_install_set(release)
    assert {"pandas", "pandera", "numpy", "openpyxl", "xlwings"} <= set(found)
    for name in ("python-calamine", "pikepdf", "fastparquet"):
        assert name not in found, f"{name} would be installed under Pyodide"
    # pandas, numpy, lxml, pydantic-core and pillow are Pyodide's own builds
    assert {found[n] for n in ("pandas", "numpy", "lxml", "pydantic-core", "pillow")} == {"pyodide"}


def _stdlib_in_pyodide(release: str) -> set[str]:
    with zipfile.ZipFile(pyodide_dir(release) / "python_stdlib.zip") as zf:
        names = zf.namelist()
    return {n.split("/")[0].removesuffix(".py") for n in names if not n.startswith("site-packages")}


def test_everything_the_lite_scripts_import_exists_under_pyodide(validated):
    # The harness imports what the versions installed here import; the newest Pyodide
    # ships the nearest versions (an older one's pydantic 2.10 imports no
    # typing_inspection), so imports are held against it and installs against all.
    release = RELEASES[-1]
    result, _ = validated
    modules = set(result["modules"])
    for blocked in NOT_IN_PYODIDE:
        assert blocked not in modules
    assert "ipxl" in modules and "pandera" in modules
    providers = metadata.packages_distributions()
    installable = set(lite_install_set(release))
    in_lock = {m for p in pyodide_lock(release)["packages"].values() for m in p.get("imports", [])}
    stdlib = _stdlib_in_pyodide(release)
    missing = []
    for module in sorted(modules):
        if module in ("main", "ipxl") or module in sys.builtin_module_names or module in in_lock:
            continue
        if re.fullmatch(r"_cython_[\d_]+|_cyutility|cython_runtime", module):
            continue  # made at run time by Cython-compiled packages (pandas), not imported from a file
        if module in sys.stdlib_module_names:
            spec_file = getattr(sys.modules.get(module), "__file__", None)
            # pure-Python stdlib modules must be in Pyodide's stdlib; extension
            # modules (math, _json...) are built into Pyodide's interpreter
            if module in stdlib or module.startswith("_") or module not in _python_stdlib_here():
                continue
            missing.append(f"{module} (stdlib, {spec_file})")
            continue
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        if not dists & installable:
            missing.append(f"{module} (from {sorted(dists) or 'no distribution'})")
    assert not missing, missing


@cache
def _python_stdlib_here() -> set[str]:
    """Standard-library modules written in Python on this interpreter."""
    import sysconfig

    lib = Path(sysconfig.get_paths()["stdlib"])
    return {p.name.removesuffix(".py") for p in lib.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}


def test_the_requirements_pin_the_tested_xlwings_and_install_ipxl_from_the_wheel_given():
    lines = L.requirements_txt(WHEEL_URL).splitlines()
    assert lines == [f"xlwings=={D.LITE_XLWINGS}", WHEEL_URL]
    Requirement(lines[0])  # a requirement pip and micropip read; the other is a wheel address micropip takes
    emfs = "emfs:/data/ipxl-0.1.0-py3-none-any.whl"
    assert L.requirements_txt(emfs).splitlines()[1] == emfs
    assert Marker("sys_platform != 'emscripten'").evaluate(pyodide_environment("314")) is False


def test_while_ipxl_is_not_on_pypi_the_requirements_will_not_name_it_by_version():
    assert not D.ON_PYPI
    with pytest.raises(L.NotInstallable) as refused:
        L.requirements_txt()
    assert str(refused.value).startswith("ipxl is not on PyPI yet, so xlwings Lite cannot install it by name")


@pytest.mark.parametrize(
    "wheel, says",
    [
        ("http://plans.example.gov.uk/ipxl-0.1.0-py3-none-any.whl", "give an https address"),
        ("https://plans.example.gov.uk/ipxl.zip", "is not the address of a wheel"),
        ("https://plans.example.gov.uk/pandas-2.2.3-py3-none-any.whl", "is not a pure-Python ipxl wheel"),
        ("https://plans.example.gov.uk/ipxl-0.1.0-cp312-cp312-win_amd64.whl", "is not a pure-Python ipxl wheel"),
        ("emfs:/tmp/ipxl-0.1.0-py3-none-any.whl", "for a wheel imported into xlwings Lite"),
    ],
)
def test_a_wheel_address_micropip_could_not_install_from_lite_is_refused_in_one_sentence(wheel, says):
    with pytest.raises(L.NotInstallable) as refused:
        L.requirements_txt(wheel)
    assert says in str(refused.value) and "\n" not in str(refused.value)


def test_the_xlwings_pinned_for_lite_is_the_one_tested_here_and_defines_every_action_the_scripts_send(
    validated, lite_files, tmp_path
):
    import ast

    import xlwings
    from xlwings.pro import _xlremote

    assert xlwings.__version__ == D.LITE_XLWINGS, "the test extra installs the xlwings Lite is pinned to"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert f"xlwings=={D.LITE_XLWINGS}" in project["optional-dependencies"]["test"]
    tree = ast.parse(Path(_xlremote.__file__).read_text(encoding="utf-8"))
    defined = {
        k.value.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        for k in node.keywords
        if k.arg == "func" and isinstance(k.value, ast.Constant)
    }
    assert {"setValues", "alert", "setFontProperty"} <= defined
    data = tmp_path / "data"
    data.mkdir()
    grids, _ = _refreshed_last_period(tmp_path)
    sent = {a["func"] for a in validated[0]["actions"]}
    for script, g in (("refresh", grids), ("appendices", grids_of(sample_path())), ("make_returns", grids)):
        sent |= {a["func"] for a in run_script(lite_files, script, g, tmp_path, data=data)["actions"]}
    assert sent - defined == set(), f"xlwings {D.LITE_XLWINGS}'s remote engine does not define them"


def test_excel_setup_lite_writes_the_two_files_to_paste_and_the_steps_for_it(tmp_path):
    from click.testing import CliRunner

    from ipxl.cli import main

    out = tmp_path / "lite"
    result = CliRunner().invoke(main, ["excel-setup", "--lite", "--out", str(out), "--wheel", WHEEL_URL])
    assert result.exit_code == 0, result.output
    assert "Microsoft 365 admin centre" in result.output and "requirements.txt" in result.output
    assert "Access-Control-Allow-Origin" in result.output
    assert (out / "main.py").read_text(encoding="utf-8") == L.main_py()
    assert (out / "requirements.txt").read_text(encoding="utf-8") == L.requirements_txt(WHEEL_URL)
    compile(L.main_py(), "main.py", "exec")
    refused = CliRunner().invoke(main, ["excel-setup", "--wheel", "https://x.example/ipxl.whl"])
    assert refused.exit_code == 2 and "--wheel is for --lite" in refused.output


def test_excel_setup_lite_without_a_wheel_says_why_and_writes_nothing_while_ipxl_is_not_on_pypi(tmp_path):
    from click.testing import CliRunner

    from ipxl.cli import main

    out = tmp_path / "lite"
    result = CliRunner().invoke(main, ["excel-setup", "--lite", "--out", str(out)])
    assert result.exit_code == 2
    assert "Error: ipxl is not on PyPI yet" in result.output and "Traceback" not in result.output
    assert not (out / "requirements.txt").exists() and not (out / "main.py").exists()


def test_excel_setup_lite_into_a_folder_it_cannot_make_is_one_sentence_and_exit_2(tmp_path):
    from click.testing import CliRunner

    from ipxl.cli import main

    (tmp_path / "plan.xlsx").write_bytes(b"not a folder")
    result = CliRunner().invoke(
        main, ["excel-setup", "--lite", "--out", str(tmp_path / "plan.xlsx" / "lite"), "--wheel", WHEEL_URL]
    )
    assert result.exit_code == 2
    assert "Cannot create the folder" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "lite").exists()


def test_without_python_calamine_as_under_pyodide_ipxl_reads_a_workbook_file_the_same_cell_by_cell(monkeypatch):
    from ipxl.resources import previous_sample_path

    with_calamine = [read_workbook(p) for p in (sample_path(), previous_sample_path())]
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # None: "not installed"
    for path, want in zip((sample_path(), previous_sample_path()), with_calamine):
        got = read_workbook(path)
        assert set(got.sheets) == set(want.sheets)
        for key, sheet in want.sheets.items():
            frame = got.sheets[key].frame
            assert frame.equals(sheet.frame), f"{path.name} {key} differs without python-calamine"
        assert got.settings == want.settings
