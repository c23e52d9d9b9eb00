"""Setting up the Excel buttons on a computer: the one-line module a macro-enabled
workbook's buttons import (xlwings' ``SampleCall`` runs ``import <workbook name>``), and
the steps ``ipxl excel-setup`` prints for Windows and macOS."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .. import __version__
from .. import defaults as D
from ..errors import ExcelUnavailable

SHIM = '"""Lets the buttons of {name} run ipxl (xlwings\' SampleCall imports this module)."""\nfrom ipxl.excel import main  # noqa: F401\n'


def shim_path(workbook: str | Path) -> Path:
    """The module xlwings' ``SampleCall`` imports for ``workbook``: ``<stem>.py`` beside it.

    Raises :class:`ExcelUnavailable` when the name cannot be a Python module (spaces,
    hyphens), since ``SampleCall`` runs ``import <stem>``."""
    import keyword

    workbook = Path(workbook)
    stem = workbook.stem
    if not stem.isidentifier() or keyword.iskeyword(stem):
        suggestion = re.sub(r"\W+", "_", stem).strip("_").lower() or "improvement_plan"
        if suggestion[0].isdigit():
            suggestion = "plan_" + suggestion
        raise ExcelUnavailable(
            f"The buttons cannot run in {workbook.name} because xlwings imports a Python module named "
            f"after the workbook; save it as {suggestion}{workbook.suffix or '.xlsm'} (letters, digits and "
            "underscores only) and run `ipxl excel-setup --workbook` on that file."
        )
    return workbook.with_name(f"{stem}.py")


def write_shim(workbook: str | Path) -> Path:
    """Write the one-line module the buttons of ``workbook`` import; returns its path."""
    path = shim_path(workbook)
    path.write_text(SHIM.format(name=Path(workbook).name), encoding="utf-8")
    return path


def setup_steps(platform: str | None = None) -> list[str]:
    """The one-time steps to make the buttons work on this kind of computer."""
    platform = platform or sys.platform
    if platform.startswith("linux"):
        return [
            "Excel is not available here (Linux): the buttons need Excel on Windows or macOS. "
            "Use the `ipxl` commands (`ipxl validate`, `ipxl refresh`) on the file instead."
        ]
    win = platform.startswith("win")
    python = "where python" if win else "which python3"
    conf_key = "Interpreter_Win" if win else "Interpreter_Mac"
    onedrive = "ONEDRIVE_COMMERCIAL_WIN" if win else "ONEDRIVE_COMMERCIAL_MAC"
    sharepoint = "SHAREPOINT_WIN" if win else "SHAREPOINT_MAC"
    trust = (
        "File > Options > Trust Center > Trust Center Settings > Macro Settings: tick "
        "'Trust access to the VBA project object model' (needed once, for `xlwings addin install`)."
        if win
        else "Excel > Preferences > Security: tick 'Trust access to the VBA project object model'; "
        "then run `xlwings runpython install` once so RunPython may start Python."
    )
    return [
        f"Install ipxl (it brings xlwings): {D.install_hint(__version__)}.",
        "Optional, for the xlwings ribbon: `xlwings addin install`. The ipxl .xlsm workbooks do not need "
        "it: they carry xlwings' own standalone VBA module.",
        trust,
        f"Tell Excel which Python to run: find it with `{python}`, rename the workbook's _xlwings.conf "
        f"sheet to xlwings.conf and put that path beside {conf_key} (or set it once for all workbooks "
        "in ~/.xlwings/xlwings.conf).",
        "Save your copy of the workbook under a name of letters, digits and underscores "
        "(e.g. improvement_plan_2023_10.xlsm) and run `ipxl excel-setup --workbook <that file>`: it "
        "writes the one-line module the buttons import beside it.",
        "Open the workbook, enable macros, and click Validate on the Control sheet.",
        (
            "The first click starts Python and loads ipxl (a second or two); with Use UDF Server TRUE in "
            "xlwings.conf, as the ipxl workbooks ship, that Python stays running for the next clicks. After "
            "upgrading ipxl, quit Excel (every window) so the next click starts the new version, or end "
            "pythonw.exe in Task Manager."
            if win
            else "Each click starts Python and loads ipxl afresh (Excel for Mac keeps no Python between "
            "clicks), so a click takes a second or two and an upgrade of ipxl applies at once."
        ),
        f"OneDrive or SharePoint: Excel reports a synced workbook as a web address. Put your local "
        f"OneDrive folder beside {onedrive} (and a synced SharePoint library's folder beside "
        f"{sharepoint}) in xlwings.conf so xlwings and ipxl find the file on disk; the appendix pack "
        "is written in that local folder and syncs from there.",
    ]
