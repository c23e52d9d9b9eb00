"""Build the macro-enabled (.xlsm) template and sample: the .xlsx the template builder
writes, plus a ``Control`` sheet with three buttons wired to xlwings' ``RunPython``.

Only parts xlwings ships or plain XML go in: the VBA project is xlwings' own
standalone quickstart ``vbaProject.bin``, copied byte for byte (it holds the xlwings
VBA module, with ``RunPython``, and a ``Module1.SampleCall`` macro); the buttons are
legacy form controls in the sheet's VML drawing, each naming the macro it runs.
Compiled VBA is never edited, so the only macro a button can call is the generic
``SampleCall``: it runs ``import <workbook name>; <workbook name>.main()``, and
:func:`ipxl.excel.run` tells the buttons apart by their names (see the README).

``python -m ipxl.templates`` rebuilds ``workbook_templates/*.xlsm`` with the other bundled workbooks.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

from ..xlsx.cells import col_letter, split_cell
from ..xlsx.safe_write import write_fixed_zip
from ..xlsx.xml import CT_WORKSHEET, MAIN, REL_WORKSHEET, R, escape, quoteattr
from .buttons import ACTION_CELL, BUTTONS, CONTROL_SHEET

#: The one macro in xlwings' standalone VBA project every button calls.
MACRO = "SampleCall"
VBA_PART = "xl/vbaProject.bin"
CT_MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
CT_XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CT_VBA = "application/vnd.ms-office.vbaProject"
CT_VML = "application/vnd.openxmlformats-officedocument.vmlDrawing"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
REL_VML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing"
#: The xlwings settings sheet; the leading underscore keeps it inactive until renamed.
CONF_SHEET = "_xlwings.conf"
CONF_ROWS = (
    ("Interpreter_Win", ""),
    ("Interpreter_Mac", ""),
    ("PYTHONPATH", ""),
    ("ONEDRIVE_COMMERCIAL_WIN", ""),
    ("ONEDRIVE_COMMERCIAL_MAC", ""),
    ("SHAREPOINT_WIN", ""),
    ("SHAREPOINT_MAC", ""),
    # Windows: the buttons run in xlwings' COM server, one Python kept between clicks,
    # so only the first click pays for the imports. Excel for Mac ignores it (each
    # click starts Python).
    ("Use UDF Server", "True"),
)


def xlwings_vba_project() -> bytes:
    """The VBA project of xlwings' standalone quickstart workbook, as shipped."""
    import importlib.util

    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.origin:
        raise FileNotFoundError("xlwings is not installed; run `pip install xlwings`.")
    source = Path(spec.origin).parent / "quickstart_standalone.xlsm"
    with zipfile.ZipFile(source) as zf:
        return zf.read(VBA_PART)


def worksheet_xml(
    rows: str,
    widths: list[float],
    *,
    dimension: str | None = None,
    view: str = '<sheetView workbookViewId="0"/>',
    a4: bool = False,
    tail: str = "",
) -> bytes:
    """A small worksheet part written by hand (the Control and xlwings.conf sheets):
    its ``rows`` (``<row>`` elements), column ``widths`` from A, the ``sheetView``, and
    with ``a4`` the print setup the other sheets have (A4 landscape, one page wide);
    ``tail`` holds what follows the page setup (the drawing of its buttons)."""
    cols = "".join(f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(widths, start=1))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN}" xmlns:r="{R}">'
        + ('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>' if a4 else "")
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f'<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
        f"<sheetData>{rows}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        + ('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>' if a4 else "")
        + tail
        + "</worksheet>"
    ).encode()


def inline_cell(ref: str, text: str, style: int = 0) -> str:
    """A cell holding ``text`` as an inline string (literally: XML-escaped)."""
    s = f' s="{style}"' if style else ""
    return f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def control_sheet_xml() -> bytes:
    lines: list[tuple[str, str]] = [
        ("A1", "Improvement Plan: one-click tasks"),
        (
            "A2",
            "Click a button. Results appear in this workbook (Validation and Summary sheets) or, for the "
            "appendices, in a folder beside it. Nothing is saved: close without saving to undo.",
        ),
        (
            "A3",
            "Task of the last button clicked (Excel writes its number: "
            + ", ".join(f"{i} {label}" for i, label in enumerate(BUTTONS, start=1))
            + "):",
        ),
    ]
    # the buttons sit in column A from row 5, one every two rows; the notes follow them
    first = 4 + 2 * len(BUTTONS) + 2
    notes = [
        "Validate: checks every sheet, lists the findings on the Validation sheet and marks the cells.",
        "Refresh: rewrites the Summary and Trend sheets and turns actions added this period red.",
        "Build appendices: writes the Cabinet, Scrutiny and Audit appendices to a folder beside this workbook.",
        "Make returns: writes a return for each Director / Lead to a folder beside this workbook.",
        "Merge returns: puts the returns saved back in that folder into this workbook, checked.",
        "Sign off: records that Settings' Sign-off by (Leadership Team) approved the workbook today.",
    ]
    lines += [(f"A{first + i}", text) for i, text in enumerate(notes)]
    lines.append(
        (
            f"A{first + len(notes) + 1}",
            "First time on this computer? Run `ipxl excel-setup` in a terminal and follow its steps.",
        )
    )
    last_row = first + len(notes) + 1
    rows: dict[int, list[str]] = {}
    for ref, text in lines:
        rows.setdefault(int(ref[1:]), []).append(inline_cell(ref, text))
    act_row = int(ACTION_CELL[1:])
    rows.setdefault(act_row, []).append(f'<c r="{ACTION_CELL}"/>')
    body = "".join(f'<row r="{r}">{"".join(cells)}</row>' for r, cells in sorted(rows.items()))
    return worksheet_xml(
        body,
        [60, 22],
        dimension=f"A1:B{last_row}",
        view='<sheetView workbookViewId="0" showGridLines="0"/>',
        a4=True,
        tail='<legacyDrawing r:id="rId1"/>',
    )


def conf_sheet_xml() -> bytes:
    rows = "".join(
        f'<row r="{i}">{inline_cell(f"A{i}", k)}{inline_cell(f"B{i}", v) if v else ""}</row>'
        for i, (k, v) in enumerate(CONF_ROWS, start=1)
    )
    note = len(CONF_ROWS) + 2
    rows += f'<row r="{note}">{inline_cell(f"A{note}", "Rename this sheet to xlwings.conf to use these settings; `ipxl excel-setup` says what to put in column B.")}</row>'
    return worksheet_xml(rows, [28, 60])


def _vml_name(name: str) -> str:
    """A shape name as Excel writes it in a VML id (spaces as ``_x0020_``)."""
    return name.replace(" ", "_x0020_")


def button_vml(buttons: dict[str, str] | None = None, macro: str = MACRO) -> bytes:
    """The buttons, one under the other in column B: one group of form-control option
    buttons, each named after its task and running ``macro``, all linked to the Control
    sheet's ``B3``, where Excel writes the clicked one's position before running it."""
    buttons = buttons or BUTTONS
    row, col = split_cell(ACTION_CELL)
    link = f"${col_letter(col)}${row}"
    shapes = []
    for i, label in enumerate(buttons):
        top_row = 4 + 2 * i  # 0-based anchor rows 4, 6, 8 -> Excel rows 5, 7, 9
        first = "<x:FirstButton/>" if i == 0 else ""
        shapes.append(
            f'<v:shape id={quoteattr(_vml_name(label))} o:spid="_x0000_s{1025 + i}" type="#_x0000_t201" '
            f'style="position:absolute;margin-left:0;margin-top:0;width:150pt;height:24pt;z-index:{i + 1};'
            'mso-wrap-style:tight" o:button="t" fillcolor="window [65]" strokecolor="windowText [64]" '
            'o:insetmode="auto">'
            '<v:fill o:detectmouseclick="t"/><o:lock v:ext="edit" rotation="t"/>'
            '<v:textbox style="mso-direction-alt:auto" o:singleclick="f"><div style="text-align:left">'
            f'<font face="Calibri" size="220" color="#000000">{escape(label)}</font></div></v:textbox>'
            '<x:ClientData ObjectType="Radio">'
            f"<x:Anchor>0, 8, {top_row}, 2, 0, 208, {top_row + 1}, 14</x:Anchor>"
            "<x:PrintObject>False</x:PrintObject><x:AutoFill>False</x:AutoFill><x:AutoLine>False</x:AutoLine>"
            f"<x:FmlaMacro>[0]!{escape(macro)}</x:FmlaMacro>"
            "<x:TextVAlign>Center</x:TextVAlign>"
            f"<x:FmlaLink>{link}</x:FmlaLink>{first}"
            "</x:ClientData></v:shape>"
        )
    return (
        '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">'
        '<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout>'
        '<v:shapetype id="_x0000_t201" coordsize="21600,21600" o:spt="201" path="m,l,21600r21600,l21600,xe">'
        '<v:stroke joinstyle="miter"/><v:path shadowok="f" o:extrusionok="f" strokeok="f" fillok="f" '
        'o:connecttype="rect"/><o:lock v:ext="edit" shapetype="t"/></v:shapetype>' + "".join(shapes) + "</xml>"
    ).encode("utf-8")


def _free(names: set[str], pattern: str) -> str:
    i = 1
    while pattern.format(i) in names:
        i += 1
    return pattern.format(i)


def build_xlsm(source: str | Path, target: str | Path) -> Path:
    """Write ``target`` (.xlsm): ``source`` (.xlsx) with xlwings' VBA project, a
    ``Control`` sheet first, holding the buttons, and an inactive ``_xlwings.conf``
    sheet last. Reproducible: the same source gives the same bytes."""
    source, target = Path(source), Path(target)
    with zipfile.ZipFile(source) as zin:
        parts = {info.filename: zin.read(info.filename) for info in zin.infolist()}
    names = set(parts)
    control = _free(names, "xl/worksheets/sheet{}.xml")
    conf = _free(names | {control}, "xl/worksheets/sheet{}.xml")
    vml = _free(names, "xl/drawings/vmlDrawing{}.vml")
    parts[VBA_PART] = xlwings_vba_project()
    parts[control] = control_sheet_xml()
    parts[conf] = conf_sheet_xml()
    parts[vml] = button_vml()
    parts[f"xl/worksheets/_rels/{Path(control).name}.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL_VML}" Target="../drawings/{Path(vml).name}"/></Relationships>'
    ).encode()

    ct = parts["[Content_Types].xml"].decode("utf-8")
    ct = ct.replace(CT_XLSX_MAIN, CT_MACRO_MAIN)
    extra = (f'<Default Extension="vml" ContentType="{CT_VML}"/>' if 'Extension="vml"' not in ct else "") + (
        f'<Override PartName="/{VBA_PART}" ContentType="{CT_VBA}"/>'
        f'<Override PartName="/{control}" ContentType="{CT_WORKSHEET}"/>'
        f'<Override PartName="/{conf}" ContentType="{CT_WORKSHEET}"/>'
    )
    parts["[Content_Types].xml"] = ct.replace("</Types>", extra + "</Types>").encode("utf-8")

    rels_name = "xl/_rels/workbook.xml.rels"
    rels = parts[rels_name].decode("utf-8")
    used = set(re.findall(r'Id="(rId\d+)"', rels))
    rid = lambda: _free(used, "rId{}")  # noqa: E731
    rid_vba = rid()
    used.add(rid_vba)
    rid_control = rid()
    used.add(rid_control)
    rid_conf = rid()
    used.add(rid_conf)
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Type="{REL_VBA}" Target="vbaProject.bin" Id="{rid_vba}"/>'
        f'<Relationship Type="{REL_WORKSHEET}" Target="/{control}" Id="{rid_control}"/>'
        f'<Relationship Type="{REL_WORKSHEET}" Target="/{conf}" Id="{rid_conf}"/>'
        "</Relationships>",
    )
    parts[rels_name] = rels.encode("utf-8")

    wb = parts["xl/workbook.xml"].decode("utf-8")
    ids = [int(x) for x in re.findall(r'sheetId="(\d+)"', wb)]
    nxt = max(ids, default=0) + 1
    sheet_el = f'<sheet xmlns:r="{R}" name="{{name}}" sheetId="{{sid}}" state="visible" r:id="{{rid}}"/>'
    # Control goes first, so sheet-local names move one place along.
    wb = re.sub(r'localSheetId="(\d+)"', lambda m: f'localSheetId="{int(m.group(1)) + 1}"', wb)
    wb = wb.replace("<sheets>", "<sheets>" + sheet_el.format(name=CONTROL_SHEET, sid=nxt, rid=rid_control), 1)
    wb = wb.replace("</sheets>", sheet_el.format(name=CONF_SHEET, sid=nxt + 1, rid=rid_conf) + "</sheets>", 1)
    wb = re.sub(r'activeTab="\d+"', 'activeTab="0"', wb)
    wb = re.sub(r'firstSheet="\d+"', 'firstSheet="0"', wb)
    # The VBA project's document module for the workbook is ThisWorkbook.
    if "<workbookPr/>" in wb:
        wb = wb.replace("<workbookPr/>", '<workbookPr codeName="ThisWorkbook"/>', 1)
    elif "codeName=" not in wb:
        wb = wb.replace("<workbookPr", '<workbookPr codeName="ThisWorkbook"', 1)
    parts["xl/workbook.xml"] = wb.encode("utf-8")

    # The first sheet was the active (tabSelected) one; only Control is now.
    for name in list(parts):
        if name.startswith("xl/worksheets/sheet") and name not in (control, conf):
            parts[name] = parts[name].replace(b' tabSelected="1"', b"")
    parts[control] = parts[control].replace(
        b'<sheetView workbookViewId="0"', b'<sheetView tabSelected="1" workbookViewId="0"', 1
    )

    order = ["[Content_Types].xml", *sorted(n for n in parts if n != "[Content_Types].xml")]
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_fixed_zip(target, [(name, parts[name]) for name in order])


def write_bundled(directory: str | Path | None = None) -> list[Path]:
    """The template and sample as .xlsm (names from :mod:`ipxl.resources`) beside their
    .xlsx in ``directory``, each with the one-line module its buttons import."""
    from ..resources import (
        SAMPLE_NAME,
        SAMPLE_XLSM_NAME,
        TEMPLATE_NAME,
        TEMPLATE_XLSM_NAME,
        workbook_templates_dir,
    )
    from .setup import write_shim

    directory = Path(directory) if directory is not None else workbook_templates_dir()
    out = []
    for name, xlsm in ((TEMPLATE_NAME, TEMPLATE_XLSM_NAME), (SAMPLE_NAME, SAMPLE_XLSM_NAME)):
        built = build_xlsm(directory / name, directory / xlsm)
        out += [built, write_shim(built)]
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for written in write_bundled(argv[0] if argv else None):
        print(written)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
