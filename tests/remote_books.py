"""Workbooks as xlwings' remote engine sees them: the payload an xlwings client sends.

Excel does not run here, but xlwings' remote engine does: ``xw.Book(json=payload)``
builds a Book from the request body an xlwings client sends (the Office Scripts client
of the desktop door's tests, or Office.js, which xlwings Lite is), records every change
as an action, and ``book.json()`` returns them. It is the Book object xlwings Lite
hands a script.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

OFFICE_SCRIPTS = "Microsoft Office Scripts"
#: The client xlwings Lite is built on.
OFFICE_JS = "Office.js"


def _iso(v):
    if isinstance(v, dt.datetime):
        return v.isoformat() + ".000Z"
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day).isoformat() + ".000Z"
    return v


def grids_of(path: Path) -> dict[str, list[list]]:
    """Each sheet's values anchored at A1, as the xlwings clients send them."""
    book = CalamineWorkbook.from_path(str(path))
    out = {}
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python()
        r0, c0 = sheet.start or (0, 0)
        width = max((len(r) for r in rows), default=0) + c0
        grid = [[""] * width for _ in range(r0)] + [[""] * c0 + list(r) + [""] * (width - c0 - len(r)) for r in rows]
        out[name] = grid
    return out


def payload(name: str, grids: dict[str, list[list]], client: str = OFFICE_SCRIPTS) -> dict:
    """The request body of an xlwings client (dates as ISO strings)."""
    import xlwings as xw

    return {
        "client": client,
        "version": xw.__version__,
        "book": {"name": name, "active_sheet_index": 0, "selection": "A1", "calculation": "Automatic"},
        "names": [],
        "sheets": [
            {"name": n, "values": [[_iso(v) for v in row] for row in g] or [[]], "pictures": [], "tables": []}
            for n, g in grids.items()
        ],
    }


def register_remote_engine() -> None:
    """Make ``xw.Book(json=...)`` available (needs XLWINGS_LICENSE_KEY set)."""
    import xlwings as xw

    if "remote" not in [e.name for e in xw.engines]:
        # xlwings registers the remote engine at import only when the key is set then;
        # another test (the kitchen sink) may have imported it first.
        from xlwings.main import Engine
        from xlwings.pro import _xlremote

        xw.engines.add(Engine(impl=_xlremote.engine))


@pytest.fixture
def remote(monkeypatch):
    """``make(grids, name, client)``: a remote-engine Book from grids (the licence key
    is set for the test only)."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    import xlwings as xw

    register_remote_engine()

    def make(grids, name="plan.xlsm", client=OFFICE_SCRIPTS):
        return xw.Book(json=payload(name, grids, client))

    return make
