"""The xlwings Lite door: the buttons for an officer whose IT allows only an add-in.

xlwings Lite is a free Excel add-in (desktop, Mac and Excel on the web) that runs
Python inside Excel through Pyodide, with the script stored in the workbook. It needs
no Python on the laptop and no VBA, so neither the Defender rule that stops Office
starting programs nor the block on macros from SharePoint touches it.

The workbook's ``main.py`` (:func:`main_py`, written by ``ipxl excel-setup --lite``)
is a few ``@script`` functions that call :func:`run` with the ``xw.Book`` Lite passes;
:func:`run` goes through the same entry points as the desktop buttons
(:mod:`.desktop`), so both doors share one engine. Its ``requirements.txt``
(:func:`requirements_txt`) pins the xlwings the door is tested against and installs
ipxl from a wheel's address (it is not on PyPI yet); ipxl's dependencies that Pyodide
cannot install (python-calamine, pikepdf, fastparquet) carry an ``emscripten`` marker
in ``pyproject.toml``, and nothing this door imports needs them (a workbook file is
read cell by cell there). Files go through Lite's ``/data`` folder, which its file
Import and Export use: last period's workbook and the returns come in there, the
pack and the returns go out there.

Lite's sheet buttons are shapes with a hyperlink to a cell behind them: Lite runs a
script when that cell is selected (:data:`LITE_BUTTONS` says which shape, cell and
script belong together; :func:`add_control_sheet` draws them in a workbook).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .. import defaults as D
from ..errors import ExcelUnavailable, OutputExists
from ..xlsx.cells import split_cell
from ..xlsx.xml import PKG_REL, XDR, A, R, escape, quoteattr
from .buttons import CONTROL_SHEET
from .desktop import _alert, _entry, _refresh, pack_folder, pack_message, read_book, refuse_pack, validate
from .xlsm import inline_cell, worksheet_xml


@dataclass(frozen=True)
class LiteScript:
    """One script of the Lite door's main.py: the task it runs, its label in Lite's
    list of scripts, what it does, and (for a sheet button) the name of its shape and
    the cell of the Control sheet the shape links to."""

    task: str
    label: str
    note: str
    shape: str | None = None
    cell: str | None = None

    @property
    def placed(self) -> tuple[str, str]:
        """(shape, cell) of a sheet button."""
        if self.shape is None or self.cell is None:
            raise ValueError(f"the script {self.task!r} has no sheet button")
        return self.shape, self.cell

    @property
    def reference(self) -> str | None:
        """What Lite's ``@script(button=...)`` takes: ``[shape]Sheet!Cell``."""
        return f"[{self.shape}]{CONTROL_SHEET}!{self.cell}" if self.shape else None


#: The Lite door's sheet buttons, top to bottom on the Control sheet (column B, every
#: other row). The templates' Control sheets are drawn from these (python -m ipxl.templates).
LITE_BUTTONS = (
    LiteScript(
        "validate",
        "Validate",
        "Checks every sheet, lists the findings on the Validation sheet with a link to each cell, and marks the cells.",
        "ipxl_validate",
        "B5",
    ),
    LiteScript(
        "refresh",
        "Refresh",
        "Rewrites the Summary sheet and turns the actions added this period red.",
        "ipxl_refresh",
        "B7",
    ),
    LiteScript(
        "appendices",
        "Build appendices",
        f"Builds the committee pack in xlwings Lite's {D.LITE_DATA_DIR} folder, to export from there.",
        "ipxl_appendices",
        "B9",
    ),
)
#: Every script of main.py: the buttons, and the update round's two, run from the list
#: of scripts in the xlwings Lite pane (they have no shape on the Control sheet).
LITE_SCRIPTS = (
    *LITE_BUTTONS,
    LiteScript(
        "make_returns",
        "Make returns",
        f"Writes a return per Director / Lead into xlwings Lite's {D.LITE_DATA_DIR} folder, to export and send.",
    ),
    LiteScript(
        "merge_returns",
        "Merge returns",
        f"Merges the returns imported into xlwings Lite's {D.LITE_DATA_DIR} folder into this workbook.",
    ),
    LiteScript(
        "sign_off",
        "Sign off",
        "Records that Settings' Sign-off by (Leadership Team) approved the workbook today.",
    ),
)


def _quoted(name: str) -> str:
    return f'"{name}"' if any(ch.isspace() for ch in name) else name


def _book_name(book) -> str:
    return str(getattr(book, "name", "") or "plan.xlsx")


def no_data_sentence(book, data: Path, command: str, button: str) -> str:
    """What to do where xlwings Lite has no ``data`` folder to write to."""
    return (
        f"xlwings Lite has no {data} folder here to write files to, so it cannot {button.lower()}: save the workbook "
        f"and run `ipxl {command} {_quoted(_book_name(book))}` on a computer with ipxl, or click {button} in the "
        "macro-enabled (.xlsm) workbook."
    )


def imported_previous(wb, data: Path) -> Path | None:
    """Last period's workbook as imported into xlwings Lite: the file Settings'
    Previous workbook names, looked for by its name alone in ``data`` (Lite cannot
    reach the folder it names on the computer)."""
    import re

    named = wb.settings.previous_workbook
    if named is None:
        return None
    found = data / re.split(r"[\\/]", str(named))[-1]
    return found if found.is_file() else None


def no_previous_sentence(wb, data: Path) -> str:
    """What the Summary says in Lite when last period's workbook is not in ``data``."""
    named = wb.settings.previous_workbook
    if named is None:
        return (
            "Settings name no previous workbook, so no changes are summarised: name last period's file in "
            f"Settings' Previous workbook, import it into xlwings Lite ({data}) and click Refresh again."
        )
    name = Path(str(named).replace("\\", "/")).name
    return (
        f"xlwings Lite cannot open files on this computer, so the change summary needs last period's workbook "
        f"{name} imported into xlwings Lite (it is looked for as {data}/{name}): import it and click Refresh again, "
        f"or run `ipxl refresh` on a saved copy of this workbook."
    )


def _zipped(folder: Path) -> Path:
    """``folder`` as one zip beside it: one file to export instead of many."""
    import shutil

    return Path(shutil.make_archive(str(folder), "zip", root_dir=folder.parent, base_dir=folder.name))


@_entry
def _refresh_in_lite(book, *, data: Path, now=None):
    wb = read_book(book)
    previous = imported_previous(wb, data)
    note = None if previous is not None else no_previous_sentence(wb, data)
    return _refresh(book, wb=wb, previous=previous, now=now, missing_note=note)


@_entry
def _appendices_in_lite(book, *, data: Path):
    from ..errors import WorkbookHasErrors
    from ..pack import build_pack

    wb = read_book(book)
    folder = pack_folder(data / _book_name(book), wb.settings.period)
    target = next(
        (
            f
            for n in range(1, 100)
            if not (f := folder if n == 1 else folder.with_name(f"{folder.name} ({n})")).exists()
        ),
        None,
    )
    if target is None:  # pragma: no cover - a hundred packs of the same period
        raise OutputExists(f"{folder} and 98 numbered copies exist; delete old packs in xlwings Lite and try again.")
    try:
        pack = build_pack(wb, imported_previous(wb, data), target, html=True)
    except WorkbookHasErrors as exc:
        refuse_pack(book, wb, exc)
        return None
    where = (
        f"The pack is in {target} in xlwings Lite, and all of it in {_zipped(target).name} beside it: export that "
        "file from xlwings Lite to this computer and unzip it (html/index.html holds the web pages)."
    )
    _alert(book, pack_message(where, pack))
    return pack


def _returns_in(data: Path, folder: Path) -> list[Path]:
    """The returns to merge: those imported into ``data`` (named ``Return - <lead>``,
    as made) and any in the folder Make returns wrote."""
    from ..returns.merge import return_files

    imported = sorted(p for p in data.glob("Return - *.xls[xm]") if p.is_file())
    return return_files([*imported, *([folder] if folder.is_dir() else [])])


def run(task: str, book, data: str | Path | None = None):
    """Run one Lite script's ``task`` (see :data:`LITE_SCRIPTS`) on the ``xw.Book``
    xlwings Lite passes. Files are read from and written to ``data``, the folder
    xlwings Lite's file Import and Export use (:data:`ipxl.defaults.LITE_DATA_DIR`).
    Every failure reaches the officer as one sentence in an alert; returns what the
    desktop entry point returns (None after a failure)."""
    from .update_round import make_returns, merge_returns, returns_folder

    data = Path(data if data is not None else D.LITE_DATA_DIR)
    if task == "validate":
        return validate(book)
    if task == "refresh":
        return _refresh_in_lite(book, data=data)
    if task == "sign_off":
        from .governance import sign_off

        return sign_off(book)
    tasks = {b.task: b for b in LITE_SCRIPTS}
    if task in ("appendices", "make_returns", "merge_returns") and not data.is_dir():
        command = {"appendices": "appendices", "make_returns": "returns make", "merge_returns": "returns merge"}[task]
        _alert(book, no_data_sentence(book, data, command, tasks[task].label))
        return None
    if task == "appendices":
        return _appendices_in_lite(book, data=data)
    if task in ("make_returns", "merge_returns"):
        # one folder of returns in Lite (not one per period): Import puts the files
        # that come back in the data folder itself, where Merge returns looks too
        folder = returns_folder(data / _book_name(book), "")
        if task == "make_returns":
            made = make_returns(
                book,
                out_dir=folder,
                then=f"export {folder.name}.zip (all of them) from xlwings Lite and send each lead theirs; when "
                f"they come back, import them into xlwings Lite ({data}) and run Merge returns.",
            )
            if made is not None:
                _zipped(folder)
            return made
        return merge_returns(
            book,
            returns_dir=folder,
            files=_returns_in(data, folder),
            none_found=f"There are no returns in xlwings Lite's {data} folder: import the returns the leads sent "
            "back (the files named Return - <lead>) and run Merge returns again.",
        )
    # a main.py edited by hand: still a sentence, not a traceback
    _alert(book, f"ipxl has no task {task!r}; main.py can run {', '.join(repr(b.task) for b in LITE_SCRIPTS)}.")
    return None


# ----------------------------------------------------------------- what to paste

_MAIN_HEAD = '''"""ipxl's buttons for xlwings Lite. Paste this into the main.py tab of xlwings Lite
(or run `ipxl excel-setup --lite`, which writes it) and ipxl's requirements.txt into
the requirements.txt tab. The sheet buttons are on the Control sheet."""

import xlwings as xw
from xlwings import script

try:
    from ipxl.excel.lite import run
except ImportError as exc:  # ipxl, or a package it needs, did not install
    _missing = (getattr(exc, "name", None) or "").split(".")[0]
    _why = str(exc)

    def run(task, book):
        if _missing == "ipxl":
            message = {not_installed}
        else:
            message = {dependency}.format(missing=_missing or "a package", why=_why)
        book.app.alert(message, title="ipxl")
'''

_SCRIPT = '''

@script(
    name={name},{button}
    show_taskpane=True,
)
def {task}(book: xw.Book):
    """{note}"""
    run({task_literal}, book)
'''


def _not_installed_sentence() -> str:
    """What main.py says when ipxl itself did not install: the real cause, which is the
    requirements' ipxl line (micropip prints its reason in Lite's Output pane)."""
    if D.ON_PYPI:
        fix = "check that the line reads ipxl== and a released version, or run `ipxl excel-setup --lite` again"
    else:
        fix = (
            "ipxl is not on PyPI, so that line must be the https address of an ipxl wheel your council hosts or "
            f"emfs:{D.LITE_DATA_DIR}/<the wheel> for one imported into xlwings Lite (`ipxl excel-setup --lite "
            "--wheel ADDRESS` writes it)"
        )
    return (
        "ipxl is not installed in xlwings Lite because the ipxl line of the requirements.txt tab did not install "
        f"(the Output pane says why): {fix}; paste the requirements.txt it writes, wait for the installation, "
        "then click again."
    )


#: What main.py says when ipxl installed but a package it imports did not.
DEPENDENCY_SENTENCE = (
    "ipxl is installed in xlwings Lite but cannot start because {missing}, which it needs, did not install "
    "({why}); restart xlwings Lite so that it installs the requirements.txt tab again, and if the Output pane "
    "shows an error for {missing}, report that message."
)


def main_py() -> str:
    """The ``main.py`` of the Lite door: one ``@script`` per script of :data:`LITE_SCRIPTS`."""
    body = _MAIN_HEAD.replace("{not_installed}", json.dumps(_not_installed_sentence())).replace(
        "{dependency}", json.dumps(DEPENDENCY_SENTENCE)
    )
    for b in LITE_SCRIPTS:
        body += _SCRIPT.format(
            name=json.dumps(b.label),
            button=f"\n    button={json.dumps(b.reference)}," if b.reference else "",
            task=b.task,
            note=b.note,
            task_literal=json.dumps(b.task),
        )
    return body


class NotInstallable(ExcelUnavailable):
    """The requirements asked for would not install ipxl in xlwings Lite."""


def _wheel_line(wheel: str, version: str) -> str:
    """``wheel`` as a requirements line micropip installs: the address of a pure ipxl
    wheel over https (an add-in's page may fetch nothing else; plain http only from this
    computer, for testing) or a file in Lite's ``/data`` (``emfs:``)."""
    import re
    from urllib.parse import urlparse

    line = wheel.strip()
    url = urlparse(line)
    name = url.path.rsplit("/", 1)[-1]
    example = f"https://intranet.example.gov.uk/wheels/ipxl-{version}-py3-none-any.whl"
    # name-version(-build)-python-abi-platform.whl (PEP 427)
    parts = re.fullmatch(r"([A-Za-z0-9_.]+)-([^-]+)(?:-\d[^-]*)?-([^-]+-[^-]+-[^-]+)\.whl", name)
    if parts is None:
        raise NotInstallable(
            f"{line} is not the address of a wheel (micropip installs only files named like "
            f"ipxl-{version}-py3-none-any.whl); give one, for example --wheel {example}."
        ) from None
    if parts.group(1).lower() != "ipxl" or parts.group(3) != "py3-none-any":
        raise NotInstallable(
            f"{name} is not a pure-Python ipxl wheel, which is all xlwings Lite can install; build one with "
            f"`pip wheel --no-deps .` in ipxl's repository (ipxl-{version}-py3-none-any.whl)."
        )
    loopback = url.hostname in ("localhost", "127.0.0.1", "::1")
    if url.scheme == "emfs" and url.path.startswith(D.LITE_DATA_DIR + "/"):
        return line
    if url.scheme == "https" or (url.scheme == "http" and loopback):
        return line
    raise NotInstallable(
        f"xlwings Lite cannot install from {line}: give an https address on a web server that allows "
        f"cross-origin requests (for example --wheel {example}), or emfs:{D.LITE_DATA_DIR}/{name} for a wheel "
        "imported into xlwings Lite."
    )


def requirements_txt(wheel: str | None = None) -> str:
    """The ``requirements.txt`` of the Lite door: the xlwings the door is tested
    against (:data:`ipxl.defaults.LITE_XLWINGS`, a pure wheel from PyPI) and ipxl: from
    ``wheel`` (an https address of an ipxl wheel on a server that allows cross-origin
    requests, or ``emfs:/data/<wheel>`` for one imported into Lite), or by version from
    PyPI once ipxl is published there (:data:`ipxl.defaults.ON_PYPI`)."""
    from .. import __version__

    if wheel:
        ipxl_line = _wheel_line(wheel, __version__)
    elif D.ON_PYPI:
        ipxl_line = f"ipxl=={__version__}"
    else:
        raise NotInstallable(
            "ipxl is not on PyPI yet, so xlwings Lite cannot install it by name: give the address of the ipxl "
            f"wheel your council hosts (--wheel https://.../ipxl-{__version__}-py3-none-any.whl), or import the "
            f"wheel into xlwings Lite and use --wheel emfs:{D.LITE_DATA_DIR}/ipxl-{__version__}-py3-none-any.whl."
        )
    return f"xlwings=={D.LITE_XLWINGS}\n{ipxl_line}\n"


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
    requirements = requirements_txt(wheel)  # refuses before anything is written
    return [
        write_bytes(folder / "main.py", main_py().encode("utf-8")),
        write_bytes(folder / "requirements.txt", requirements.encode("utf-8")),
    ]


def lite_steps() -> list[str]:
    """The steps for an officer (and for IT) to get the Lite buttons working."""
    from .. import __version__

    wheel = f"ipxl-{__version__}-py3-none-any.whl"
    return [
        "IT, once: deploy the xlwings Lite add-in to the officers who need it from the Microsoft 365 admin "
        "centre (Settings > Integrated apps > Get apps, search xlwings Lite).",
        f"IT, once: make ipxl's wheel ({wheel}, from `pip wheel --no-deps .` in ipxl's repository) reachable "
        "by the add-in: put it on an https web server that answers the add-in's cross-origin requests "
        "(Access-Control-Allow-Origin: * on the wheel, GET and HEAD allowed, no sign-in) and run "
        f"`ipxl excel-setup --lite --wheel https://<that server>/{wheel}`; or, without a server, import the wheel "
        f"into xlwings Lite (it lands in {D.LITE_DATA_DIR}) and use --wheel emfs:{D.LITE_DATA_DIR}/{wheel}.",
        "Open the monitoring workbook (.xlsx) in Excel, on the desktop or on the web, and click xlwings Lite "
        "at the right end of the Home tab.",
        "Paste the main.py this command writes into the main.py tab, and its requirements.txt into the "
        "requirements.txt tab; wait until the Output says the installation finished.",
        "Click Validate, Refresh or Build appendices on the Control sheet (or run them, and Make returns and "
        "Merge returns, from the xlwings Lite pane), then save the workbook: the code and the buttons travel "
        "with it.",
        f"Files go through xlwings Lite's {D.LITE_DATA_DIR} folder (its file Import and Export): import last "
        "period's workbook there for Refresh's change summary, export the pack and the returns from there, and "
        "import the returns that come back before Merge returns.",
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
        row, col = split_cell(b.placed[1])
        anchors.append(
            '<xdr:twoCellAnchor editAs="absolute">'
            f"<xdr:from><xdr:col>{col - 1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row - 1}</xdr:row>"
            "<xdr:rowOff>0</xdr:rowOff></xdr:from>"
            f"<xdr:to><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row}</xdr:row>"
            "<xdr:rowOff>0</xdr:rowOff></xdr:to>"
            '<xdr:sp macro="" textlink="">'
            f'<xdr:nvSpPr><xdr:cNvPr id="{i + 1}" name={quoteattr(b.placed[0])} descr={quoteattr(b.label + ": " + b.note)}>'
            f'<a:hlinkClick r:id="rId{i}" tooltip={quoteattr(b.label)}/></xdr:cNvPr><xdr:cNvSpPr/></xdr:nvSpPr>'
            '<xdr:spPr><a:prstGeom prst="roundRect"><a:avLst/></a:prstGeom>'
            f'<a:solidFill><a:srgbClr val="{BUTTON_FILL}"/></a:solidFill><a:ln><a:noFill/></a:ln></xdr:spPr>'
            '<xdr:txBody><a:bodyPr vertOverflow="clip" rtlCol="0" anchor="ctr"/><a:lstStyle/>'
            '<a:p><a:pPr algn="ctr"/><a:r><a:rPr lang="en-GB" sz="1100" b="1">'
            f'<a:solidFill><a:srgbClr val="{BUTTON_TEXT}"/></a:solidFill></a:rPr><a:t>{escape(b.label)}</a:t>'
            "</a:r></a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor>"
        )
        rels.append(f'<Relationship Id="rId{i}" Type="{REL_HYPERLINK}" Target="#{CONTROL_SHEET}!{b.placed[1]}"/>')
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
        row, _ = split_cell(b.placed[1])
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
    tall = {split_cell(b.placed[1])[0] for b in LITE_BUTTONS}  # a button is a row of 24 points
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
