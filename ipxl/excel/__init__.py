"""Stage 6, the Excel doors: the same write-back engine over a workbook open in Excel.

:mod:`.desktop` is the xlwings door the buttons of the macro-enabled workbooks use
(:mod:`.buttons` dispatches them; :mod:`.update_round` holds the returns' two);
:mod:`.xlsm` builds those workbooks (xlwings' own VBA project, form buttons). Importing
this package costs nothing on a machine without Excel: xlwings loads on first use.
"""

from .buttons import ACTION_CELL, ACTIONS, BUTTONS, CONTROL_SHEET, action_for, main, run
from .desktop import (
    XlwingsTarget,
    appendices,
    group_addresses,
    import_xlwings,
    pack_folder,
    read_book,
    refresh,
    row_areas,
    validate,
)
from .governance import sign_off
from .setup import setup_steps, shim_path, write_shim
from .update_round import make_returns, merge_returns, returns_folder

__all__ = [
    "ACTIONS",
    "ACTION_CELL",
    "BUTTONS",
    "CONTROL_SHEET",
    "XlwingsTarget",
    "action_for",
    "appendices",
    "group_addresses",
    "import_xlwings",
    "main",
    "make_returns",
    "merge_returns",
    "pack_folder",
    "read_book",
    "refresh",
    "returns_folder",
    "row_areas",
    "run",
    "setup_steps",
    "shim_path",
    "sign_off",
    "validate",
    "write_shim",
]
