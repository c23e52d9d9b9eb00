"""The buttons: their names, and the one entry point every button calls.

The macro-enabled workbooks carry xlwings' own VBA, whose only callable macro is
``SampleCall`` (``import <workbook>; <workbook>.main()``); every button calls it. So
that telling them apart does not hang on ``Application.Caller`` (which Python may not
see while ``RunPython`` runs, and which no Excel here can confirm), the buttons are
one group of option buttons whose linked cell is the Control sheet's ``B3``: Excel
itself writes the clicked button's position there (1 = Validate ... 6 = Sign off)
before it runs the macro, and :func:`run` reads it. A task typed in ``B3`` works the
same way, and the button's name is the last resort.
"""

from __future__ import annotations

import sys

from ..errors import IpxlError
from .desktop import _alert, _caller_book, appendices, refresh, validate
from .governance import sign_off
from .update_round import make_returns, merge_returns

#: The sheet holding the buttons.
CONTROL_SHEET = "Control"
#: Button (shape) name -> entry point; the buttons on the Control sheet carry these names.
BUTTONS = {
    "Validate": "validate",
    "Refresh": "refresh",
    "Build appendices": "appendices",
    "Make returns": "make_returns",
    "Merge returns": "merge_returns",
    "Sign off": "sign_off",
}
ACTIONS = tuple(BUTTONS.values())
#: The Control sheet cell :func:`run` reads when it cannot tell which button was clicked.
ACTION_CELL = "B3"


def action_for(name: str | float | None) -> str | None:
    """The entry point a button, a cell or a button's position names
    (``'Build appendices'`` or ``3`` -> ``'appendices'``)."""
    if isinstance(name, bool) or name is None or name == "":
        return None
    if isinstance(name, int | float):
        return ACTIONS[int(name) - 1] if float(name).is_integer() and 1 <= name <= len(ACTIONS) else None
    key = " ".join(str(name).split()).casefold()
    for label, action in BUTTONS.items():
        if key in (label.casefold(), action):
            return action
    return None


def _clicked(book) -> str | None:
    """The name of the button that ran the macro (``Application.Caller``), where the
    platform lets Python see it."""
    try:
        caller = book.app.api.Caller
    except Exception:
        return None
    return caller if isinstance(caller, str) else None


def run(book=None, action: str | None = None):
    """The one entry point every button can call: runs ``action``, else the one in the
    Control sheet's ``B3`` cell (the clicked button's position, which Excel writes
    there, or a task name), else the one the clicked button's name says."""
    try:
        book = _caller_book(book)
    except IpxlError as exc:
        print(str(exc), file=sys.stderr)
        return None
    chosen = action_for(action)
    if chosen is None:
        try:
            chosen = action_for(book.sheets[CONTROL_SHEET].range(ACTION_CELL).value)
        except Exception:
            chosen = None
    chosen = chosen or action_for(_clicked(book))
    if chosen is None:
        _alert(
            book,
            f"ipxl could not tell which button was clicked; type the task ({', '.join(BUTTONS)}) "
            f"in cell {ACTION_CELL} of the {CONTROL_SHEET} sheet and click again.",
        )
        return None
    entries = {
        "validate": validate,
        "refresh": refresh,
        "appendices": appendices,
        "make_returns": make_returns,
        "merge_returns": merge_returns,
        "sign_off": sign_off,
    }
    return entries[chosen](book)


def main():
    """What xlwings' generic ``SampleCall`` macro calls (``<module>.main()``)."""
    return run()
