"""The xlwings Lite door: the buttons for an officer whose IT allows only an add-in.

xlwings Lite is a free Excel add-in (desktop, Mac and Excel on the web) that runs
Python inside Excel through Pyodide, with the script stored in the workbook. It needs
no Python on the laptop and no VBA, so neither the Defender rule that stops Office
starting programs nor the block on macros from SharePoint touches it.

The workbook's ``main.py`` (:func:`main_py`, written by ``ipxl excel-setup --lite``)
is a few ``@script`` functions that call :func:`run` with the ``xw.Book`` Lite passes;
:func:`run` goes through the same entry points as the desktop buttons
(:mod:`.desktop`), so both doors share one engine. Its ``requirements.txt``
(:func:`requirements_txt`) installs ipxl; ipxl's dependencies that Pyodide cannot
install (python-calamine, pikepdf, fastparquet) carry an ``emscripten`` marker in
``pyproject.toml``, and nothing this door imports needs them.

Lite's sheet buttons are shapes with a hyperlink to a cell behind them: Lite runs a
script when that cell is selected (:data:`LITE_BUTTONS` says which shape, cell and
script belong together; :func:`add_control_sheet` draws them in a workbook).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..xlsx.cells import split_cell
from ..xlsx.xml import PKG_REL, XDR, A, R, escape, quoteattr
from .buttons import CONTROL_SHEET
from .desktop import _alert, refresh, validate
from .xlsm import inline_cell, worksheet_xml


@dataclass(frozen=True)
class LiteButton:
    """One sheet button of the Lite door: the script it runs, its label, the name of
    its shape and the cell of the Control sheet the shape links to."""

    task: str
    label: str
    shape: str
    cell: str
    note: str

    @property
    def reference(self) -> str:
        """What Lite's ``@script(button=...)`` takes: ``[shape]Sheet!Cell``."""
        return f"[{self.shape}]{CONTROL_SHEET}!{self.cell}"


#: The Lite door's buttons, top to bottom on the Control sheet (column B, every other row).
LITE_BUTTONS = (
    LiteButton(
        "validate",
        "Validate",
        "ipxl_validate",
        "B5",
        "Checks every sheet, lists the findings on the Validation sheet with a link to each cell, and marks the cells.",
    ),
    LiteButton(
        "refresh",
        "Refresh",
        "ipxl_refresh",
        "B7",
        "Rewrites the Summary sheet and turns the actions added this period red.",
    ),
    LiteButton(
        "appendices",
        "Build appendices",
        "ipxl_appendices",
        "B9",
        "Says how to build the committee pack: xlwings Lite cannot save files on this computer.",
    ),
)


def appendices_sentence(book) -> str:
    """Why Lite cannot build the pack, and the command that does."""
    name = str(getattr(book, "name", "") or "plan.xlsx")
    quoted = f'"{name}"' if any(ch.isspace() for ch in name) else name
    return (
        "xlwings Lite runs inside Excel and cannot save files on this computer, so it cannot write the "
        f"appendices: save the workbook and run `ipxl appendices {quoted}` on a computer with ipxl, or click "
        "Build appendices in the macro-enabled (.xlsm) workbook."
    )


def run(task: str, book):
    """Run one Lite button's ``task`` (``validate``, ``refresh``, ``appendices``) on the
    ``xw.Book`` xlwings Lite passes. Every failure reaches the officer as one
    sentence in an alert; returns what the desktop entry point returns (None after
    a failure or for the appendices, which Lite cannot write)."""
    if task == "validate":
        return validate(book)
    if task == "refresh":
        return refresh(book)
    if task == "appendices":
        _alert(book, appendices_sentence(book))
        return None
    # a main.py edited by hand: still a sentence, not a traceback
    _alert(book, f"ipxl has no task {task!r}; main.py can run {', '.join(repr(b.task) for b in LITE_BUTTONS)}.")
    return None


# ----------------------------------------------------------------- what to paste

_MAIN_HEAD = '''"""ipxl's buttons for xlwings Lite. Paste this into the main.py tab of xlwings Lite
(or run `ipxl excel-setup --lite`, which writes it) and ipxl's requirements.txt into
the requirements.txt tab. The sheet buttons are on the Control sheet."""

import xlwings as xw
from xlwings import script

try:
    from ipxl.excel.lite import run
except ImportError as exc:  # requirements.txt has not installed ipxl (yet)
    _why = str(exc)

    def run(task, book):
        book.app.alert(
            f"ipxl is not installed in xlwings Lite ({_why}); put the lines `ipxl excel-setup --lite` "
            "writes into the requirements.txt tab, wait for the installation, then click again.",
            title="ipxl",
        )
'''

_SCRIPT = '''

@script(
    name={name},
    button={button},
    show_taskpane=True,
)
def {task}(book: xw.Book):
    """{note}"""
    run({task_literal}, book)
'''


def main_py() -> str:
    """The ``main.py`` of the Lite door: one ``@script`` per button of :data:`LITE_BUTTONS`."""
    body = _MAIN_HEAD
    for b in LITE_BUTTONS:
        body += _SCRIPT.format(
            name=json.dumps(b.label),
            button=json.dumps(b.reference),
            task=b.task,
            note=b.note,
            task_literal=json.dumps(b.task),
        )
    return body


def requirements_txt(wheel: str | None = None) -> str:
    """The ``requirements.txt`` of the Lite door: xlwings (Lite's own, pure Python) and
    ipxl, by version from the council's package index or from ``wheel``, the address
    of an ipxl wheel on a web server that allows cross-origin requests."""
    from importlib.metadata import version

    import xlwings

    ipxl_line = wheel.strip() if wheel else f"ipxl=={version('ipxl')}"
    return f"xlwings=={xlwings.__version__}\n{ipxl_line}\n"


def write_lite(folder: str | Path, wheel: str | None = None) -> list[Path]:
    """Write ``main.py`` and ``requirements.txt`` for xlwings Lite into ``folder``."""
    from ..errors import WorkbookLocked
    from ..xlsx.safe_write import write_bytes

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookLocked(
            f"Cannot create the folder {folder} ({exc.strerror}); choose a folder you can write to with --out."
        ) from None
    return [
        write_bytes(folder / "main.py", main_py().encode("utf-8")),
        write_bytes(folder / "requirements.txt", requirements_txt(wheel).encode("utf-8")),
    ]


def lite_steps() -> list[str]:
    """The steps for an officer (and for IT) to get the Lite buttons working."""
    return [
        "IT, once: deploy the xlwings Lite add-in to the officers who need it from the Microsoft 365 admin "
        "centre (Settings > Integrated apps > Get apps, search xlwings Lite), and make ipxl installable for it: "
        "publish the ipxl wheel to the council's package index (self-hosted xlwings Lite reads "
        "XLWINGS_PYPI_INDEX_URL), or put it on a web server that allows cross-origin requests and use "
        "`ipxl excel-setup --lite --wheel URL`.",
        "Open the monitoring workbook (.xlsx) in Excel, on the desktop or on the web, and click xlwings Lite "
        "at the right end of the Home tab.",
        "Paste the main.py this command writes into the main.py tab, and its requirements.txt into the "
        "requirements.txt tab; wait until the Output says the installation finished.",
        "Click Validate, Refresh or Build appendices on the Control sheet (or run them from the xlwings Lite "
        "pane), then save the workbook: the code and the buttons travel with it.",
        "The sheet buttons work once xlwings Lite is open in that workbook; in xlwings Lite's Settings > "
        "Workbook, set Startup Behavior to start it automatically.",
    ]


# ------------------------------------------------------------- the Control sheet

_DRAWING_NS = f'xmlns:xdr="{XDR}" xmlns:a="{A}" xmlns:r="{R}"'
REL_HYPERLINK = R + "/hyperlink"
#: The shapes' fill and text colours: white on dark blue, 10.4:1.
BUTTON_FILL = "1F4E79"
BUTTON_TEXT = "FFFFFF"
BUTTON_ROW = ' ht="24" customHeight="1"'


def control_drawing_xml() -> tuple[bytes, bytes]:
    """The drawing of the Lite buttons (rounded rectangles, each over its cell and
    linked to it) and its relationships part."""
    anchors, rels = [], []
    for i, b in enumerate(LITE_BUTTONS, start=1):
        row, col = split_cell(b.cell)
        anchors.append(
            '<xdr:twoCellAnchor editAs="absolute">'
            f"<xdr:from><xdr:col>{col - 1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row - 1}</xdr:row>"
            "<xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f"<xdr:to><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>"
            "<xdr:rowOff>0</xdr:rowOff></xdr:to>"
            '<xdr:sp macro="" textlink="">'
            f'<xdr:nvSpPr><xdr:cNvPr id="{i + 1}" name={quoteattr(b.shape)} descr={quoteattr(b.label + ": " + b.note)}>'
            f'<a:hlinkClick r:id="rId{i}" tooltip={quoteattr(b.label)}/></xdr:cNvPr><xdr:cNvSpPr/></xdr:nvSpPr>'
            '<xdr:spPr><a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom>'
            f'<a:solidFill><a:srgbClr val="{BUTTON_FILL}"/></a:solidFill><a:ln><a:noFill/></a:ln></xdr:spPr>'
            '<xdr:txBody><a:bodyPr vertOverflow="clip" rtlCol="0" anchor="ctr"/><a:lstStyle/>'
            '<a:p><a:pPr algn="ctr"/><a:r><a:rPr lang="en-GB" sz="1100" b="1">'
            f'<a:solidFill><a:srgbClr val="{BUTTON_TEXT}"/></a:solidFill></a:rPr><a:t>{escape(b.label)}</a:t>'
            "</a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>"
        )
        rels.append(f'<Relationship Id="rId{i}" Type="{REL_HYPERLINK}" Target="#{CONTROL_SHEET}!{b.cell}"/>')
    drawing = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr {_DRAWING_NS}>'
        + "".join(anchors)
        + "</xdr:wsDr>"
    )
    rels_xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{PKG_REL}">' + "".join(rels) + "</Relationships>"
    )
    return drawing.encode("utf-8"), rels_xml.encode("utf-8")


def control_sheet_xml(drawing_rid: str) -> bytes:
    """The Control sheet of the .xlsx workbooks: what the buttons do, in column C
    beside each button, and how to get xlwings Lite."""
    rows: dict[int, list[str]] = {
        1: [inline_cell("A1", "Improvement Plan: one-click tasks (xlwings Lite)")],
        2: [inline_cell("A2", "Open xlwings Lite (Home tab) in this workbook, then click a button.")],
        3: [
            inline_cell(
                "A3",
                "Results appear in this workbook; nothing is saved until you save, so close without saving to undo.",
            )
        ],
    }
    for b in LITE_BUTTONS:
        row, _ = split_cell(b.cell)
        rows[row] = [inline_cell(f"C{row}", f"{b.label}: {b.note}")]
    last = max(rows) + 2
    footer = (
        "First time? Run `ipxl excel-setup --lite` on a computer with ipxl: it writes the main.py and",
        "requirements.txt to paste into xlwings Lite, and the steps for IT.",
        "With Python and macros allowed, the macro-enabled (.xlsm) workbook has the same buttons and more.",
    )
    for i, text in enumerate(footer):
        rows[last + i] = [inline_cell(f"A{last + i}", text)]
    last += len(footer) - 1
    tall = {split_cell(b.cell)[0] for b in LITE_BUTTONS}  # a button is a row of 24 points
    body = "".join(
        f'<row r="{r}"{BUTTON_ROW if r in tall else ""}>{"".join(cells)}</row>' for r, cells in sorted(rows.items())
    )
    return worksheet_xml(
        body,
        [4, 24, 100],
        dimension=f"A1:C{last}",
        # A1 selected, so that the first click on a button selects its cell (which runs it)
        view='<sheetView workbookViewId="0" showGridLines="0"><selection activeCell="A1" sqref="A1"/></sheetView>',
        a4=True,
        tail=f'<drawing r:id="{drawing_rid}"/>',
    )


def add_control_sheet(path: str | Path) -> Path:
    """Give the .xlsx at ``path`` a first sheet, Control, with the Lite buttons, in
    place and losslessly (every other part is copied as it is)."""
    from ..xlsx.patch import Package
    from ..xlsx.xml import CT_DRAWING, REL_DRAWING, q

    path = Path(path)
    with Package(path) as pkg:
        sheet = pkg.add_sheet(CONTROL_SHEET, b"")
        drawing = pkg.free_name("xl/drawings/drawing{}.xml")
        drawing_xml, drawing_rels = control_drawing_xml()
        pkg.write(drawing, drawing_xml)
        pkg.write(pkg.rels_name(drawing), drawing_rels)
        pkg.add_override(drawing, CT_DRAWING)
        rid = pkg.add_rel(sheet, REL_DRAWING, drawing)
        pkg.write(sheet, control_sheet_xml(rid))
        # Control first: it is what the officer looks for. Sheet-local names count
        # sheets by position, so they move one place along, as does the active tab.
        wb = pkg.xml("xl/workbook.xml")
        sheets = wb.find(q("sheets"))
        control = sheets[-1]
        sheets.remove(control)
        sheets.insert(0, control)
        for name in wb.iter(q("definedName")):
            if name.get("localSheetId") is not None:
                name.set("localSheetId", str(int(name.get("localSheetId")) + 1))
        for view in wb.iter(q("workbookView")):
            view.set("activeTab", str(int(view.get("activeTab", "0")) + 1))
        pkg.save(backup=False)
    return path
