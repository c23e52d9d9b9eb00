"""Package shapes met in workbooks nobody here wrote, each built for real from a clean plan.

The public test files of XlsxWriter, calamine, SheetJS, exceljs and xlsx-populate hold
packages that are valid (Excel opens them) but are not what Excel itself writes: a
styles part with nothing in it, no styles part at all, ``s=""`` on a cell, a workbook
part that ``_rels/.rels`` places somewhere other than ``xl/workbook.xml``, a UTF-16
custom XML part (Power Query's DataMashup), Excel 4 macro sheets and dialog sheets
beside the worksheets, a chart sheet, strings written inline with no shared-strings
part, namespaces under a prefix. Each shape here takes the clean plan (text in shared
strings, as Excel stores it) and rewrites its parts the way those files are written.

Import from tests (``from real_world import SHAPES, build``); not a conftest.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from builders import clean_plan, with_shared_strings, write_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_PREFIX = "application/vnd.openxmlformats-officedocument.spreadsheetml."

#: A package as an ordered list of (part name, bytes).
Parts = list[tuple[str, bytes]]


def parts_of(data: bytes) -> Parts:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def zipped(parts: Parts) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            zf.writestr(name, data)
    return buf.getvalue()


def clean_package(tmp: Path) -> bytes:
    """The clean plan as Excel stores it, with one action new this period (so
    highlight and refresh have a row to turn red)."""
    plan = clean_plan()
    plan["actions"][0]["date_added"] = dt.date(2023, 9, 1)
    return with_shared_strings(write_workbook(tmp / "clean.xlsx", plan)).read_bytes()


# ------------------------------------------------------------------ part editing


def _get(parts: Parts, name: str) -> bytes:
    return next(data for n, data in parts if n == name)


def _set(parts: Parts, name: str, data: bytes) -> Parts:
    if any(n == name for n, _ in parts):
        return [(n, data if n == name else d) for n, d in parts]
    return [*parts, (name, data)]


def _drop(parts: Parts, name: str) -> Parts:
    return [(n, d) for n, d in parts if n != name]


def _rename(parts: Parts, old: str, new: str) -> Parts:
    return [(new if n == old else n, d) for n, d in parts]


def _sub(parts: Parts, name: str, pattern: bytes, repl: bytes, count: int = 0) -> Parts:
    data, n = re.subn(pattern, repl, _get(parts, name), count=count)
    assert n, (name, pattern)
    return _set(parts, name, data)


def _add_override(parts: Parts, part: str, content_type: str) -> Parts:
    tag = f'<Override PartName="/{part}" ContentType="{content_type}"/>'.encode()
    return _sub(parts, "[Content_Types].xml", rb"</Types>", tag + b"</Types>")


def _add_workbook_rel(parts: Parts, rid: str, rel_type: str, target: str) -> Parts:
    tag = f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/>'.encode()
    return _sub(parts, "xl/_rels/workbook.xml.rels", rb"</Relationships>", tag + b"</Relationships>")


def _add_sheet(parts: Parts, name: str, sheet_id: int, rid: str) -> Parts:
    tag = f'<sheet name="{name}" sheetId="{sheet_id}" r:id="{rid}"/>'.encode()
    return _sub(parts, "xl/workbook.xml", rb"</sheets>", tag + b"</sheets>")


def _sheet_part(parts: Parts, sheet: str) -> str:
    """The worksheet part of ``sheet`` in the clean package (xlsxwriter's order)."""
    names = re.findall(rb'<sheet name="([^"]+)"', _get(parts, "xl/workbook.xml"))
    return f"xl/worksheets/sheet{names.index(sheet.encode()) + 1}.xml"


# ------------------------------------------------------------------ the shapes


def empty_stylesheet(parts: Parts) -> Parts:
    """A styles part holding nothing (calamine's ``nonstandard-xml-ns-prefix.xlsx``;
    the ipxl template with its styles emptied): cells still name formats 0 and 1."""
    return _set(parts, "xl/styles.xml", f'<?xml version="1.0"?>\n<styleSheet xmlns="{MAIN}"></styleSheet>'.encode())


def styles_without_fonts(parts: Parts) -> Parts:
    """Cell formats that point at fonts, fills and borders the part does not hold."""
    parts = _sub(parts, "xl/styles.xml", rb"<fonts\b.*?</fonts>", b"")
    parts = _sub(parts, "xl/styles.xml", rb"<fills\b.*?</fills>", b"")
    return _sub(parts, "xl/styles.xml", rb"<borders\b.*?</borders>", b"")


def styles_without_cell_formats(parts: Parts) -> Parts:
    """Fonts but no ``cellXfs`` (nor ``cellStyleXfs``): every ``s`` is out of range."""
    parts = _sub(parts, "xl/styles.xml", rb"<cellXfs\b.*?</cellXfs>", b"")
    return _sub(parts, "xl/styles.xml", rb"<cellStyleXfs\b.*?</cellStyleXfs>", b"")


def no_styles_part(parts: Parts) -> Parts:
    """No styles part at all (minimal writers; OPC and Excel do not need one)."""
    parts = _drop(parts, "xl/styles.xml")
    parts = _sub(parts, "xl/_rels/workbook.xml.rels", rb"<Relationship [^>]*/styles\"[^>]*/>", b"")
    return _sub(parts, "[Content_Types].xml", rb'<Override PartName="/xl/styles.xml"[^>]*/>', b"")


def _restyle_actions(parts: Parts, style: bytes) -> Parts:
    """Every cell of Actions rows 2-4 given ``s="style"`` (in place of its own)."""
    part = _sheet_part(parts, "Actions")
    return _sub(parts, part, rb'(<c r="[A-Z]+[2-4]")(?: s="\d*")?', rb'\1 s="' + style + b'"')


def empty_s_attribute(parts: Parts) -> Parts:
    """Cells with ``s=""`` (calamine's ``empty_s_attribute.xlsx``), on the Actions
    rows a highlight turns red."""
    return _restyle_actions(parts, b"")


def style_out_of_range(parts: Parts) -> Parts:
    """A cell format index the styles part does not hold (``s="57"``)."""
    return _restyle_actions(parts, b"57")


def _source_of(rels: str) -> str:
    """The part a relationships part belongs to (``""``: the package)."""
    folder, base = posixpath.split(rels)
    return posixpath.join(posixpath.dirname(folder), base[: -len(".rels")]) if base != ".rels" else ""


def _rels_of(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def rename_part(parts: Parts, old: str, new: str) -> Parts:
    """The part ``old`` renamed ``new`` as OPC has it: every relationship naming it
    rewritten (relative to its source, or absolute where it was), its own
    relationships moved with it (their relative targets rewritten from its new
    folder), its content-type override renamed."""
    old_rels, new_rels = _rels_of(old), _rels_of(new)

    def retarget(rels: str, data: bytes) -> bytes:
        source = _source_of(rels)
        moved = new if rels == old_rels else source

        def one(m: re.Match) -> bytes:
            element = m.group(0)
            if b'TargetMode="External"' in element:
                return element
            target = re.search(rb'Target="([^"]*)"', element).group(1).decode()
            part = (
                target[1:]
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
            )
            part = new if part == old else part
            written = "/" + part if target.startswith("/") else posixpath.relpath(part, posixpath.dirname(moved) or ".")
            return re.sub(rb'Target="[^"]*"', b'Target="' + written.encode() + b'"', element)

        return re.sub(rb"<Relationship\b[^>]*>", one, data)

    out: Parts = []
    for name, data in parts:
        if name.endswith(".rels"):
            data = retarget(name, data)
        if name == "[Content_Types].xml":
            data = data.replace(f'PartName="/{old}"'.encode(), f'PartName="/{new}"'.encode())
        out.append((new if name == old else new_rels if name == old_rels else name, data))
    return out


def workbook_part_renamed(parts: Parts) -> Parts:
    """The workbook part at ``xl/workbook2.xml`` (as some generators name it), found
    through ``_rels/.rels``: OPC names no fixed place for it."""
    return rename_part(parts, "xl/workbook.xml", "xl/workbook2.xml")


def workbook_part_in_another_folder(parts: Parts) -> Parts:
    """The workbook part at ``Excel/book.xml``, its sheets still under ``xl/``."""
    return rename_part(parts, "xl/workbook.xml", "Excel/book.xml")


def parts_renamed(parts: Parts) -> Parts:
    """Styles, shared strings and a worksheet under names of their own
    (``xl/Styles1.xml``, ``xl/strings/sst.xml``, ``xl/sheets/actions.xml``)."""
    parts = rename_part(parts, "xl/styles.xml", "xl/Styles1.xml")
    parts = rename_part(parts, "xl/sharedStrings.xml", "xl/strings/sst.xml")
    return rename_part(parts, _sheet_part(parts, "Actions"), "xl/sheets/actions.xml")


def a_sheet_where_the_workbook_usually_is(parts: Parts) -> Parts:
    """The workbook part at ``Excel/book.xml`` and the Actions sheet at
    ``xl/workbook.xml``: names mean nothing in OPC, only relationships do."""
    actions = _sheet_part(parts, "Actions")
    parts = rename_part(parts, "xl/workbook.xml", "Excel/book.xml")
    return rename_part(parts, actions, "xl/workbook.xml")


def absolute_targets(parts: Parts) -> Parts:
    """Relationship targets written as absolute part names (``/xl/worksheets/...``),
    as SheetJS and exceljs write them."""
    return _sub(parts, "xl/_rels/workbook.xml.rels", rb'Target="(?!/)', b'Target="/xl/')


DATA_MASHUP = (
    '<?xml version="1.0" encoding="utf-16"?>'
    '<DataMashup xmlns="http://schemas.microsoft.com/DataMashup">AAAAAEoDAABQSwMEFAACAAgA</DataMashup>'
)


def utf16_custom_xml(parts: Parts) -> Parts:
    """A custom XML item in UTF-16 with a byte-order mark, as Power Query stores its
    DataMashup, with its properties part and relationship."""
    parts = [
        *parts,
        ("customXml/item1.xml", b"\xff\xfe" + DATA_MASHUP.encode("utf-16-le")),
        (
            "customXml/itemProps1.xml",
            b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\r\n'
            b'<ds:datastoreItem ds:itemID="{8B1F5A4C-0D7E-4C1B-9B43-5C0E2A1D9F10}" '
            b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
            b'<ds:schemaRefs><ds:schemaRef ds:uri="http://schemas.microsoft.com/DataMashup"/></ds:schemaRefs>'
            b"</ds:datastoreItem>",
        ),
        (
            "customXml/_rels/item1.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/customXmlProps" Target="itemProps1.xml"/></Relationships>'.encode(),
        ),
    ]
    parts = _add_override(
        parts, "customXml/itemProps1.xml", "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
    )
    return _add_workbook_rel(parts, "rId90", f"{REL}/customXml", "../customXml/item1.xml")


MACRO_SHEET = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<xm:macrosheet xmlns="{MAIN}" xmlns:r="{REL}" '
    'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><dimension ref="A1:A2"/>'
    '<sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
    '<sheetData><row r="1"><c r="A1" t="str"><f>ALERT("Hello")</f><v>TRUE</v></c></row>'
    '<row r="2"><c r="A2" t="b"><f>RETURN()</f><v>1</v></c></row></sheetData>'
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></xm:macrosheet>'
)


def macro_sheet(parts: Parts) -> Parts:
    """An Excel 4 macro sheet beside the worksheets (``xl/macrosheets/sheet1.xml``),
    in a macro-enabled workbook, as Excel saves one."""
    parts = [*parts, ("xl/macrosheets/sheet1.xml", MACRO_SHEET.encode())]
    parts = _add_override(parts, "xl/macrosheets/sheet1.xml", "application/vnd.ms-excel.macrosheet+xml")
    parts = _sub(
        parts,
        "[Content_Types].xml",
        rb"application/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet\.main\+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    parts = _add_workbook_rel(
        parts, "rId91", "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet", "macrosheets/sheet1.xml"
    )
    return _add_sheet(parts, "Macro1", 91, "rId91")


DIALOG_SHEET = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<dialogsheet xmlns="{MAIN}" xmlns:r="{REL}">'
    '<sheetViews><sheetView showGridLines="0" workbookViewId="0"/></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><sheetProtection objects="1" scenarios="1"/>'
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></dialogsheet>'
)


def dialog_sheet(parts: Parts) -> Parts:
    """An Excel 5 dialog sheet beside the worksheets (``xl/dialogsheets/sheet1.xml``)."""
    parts = [*parts, ("xl/dialogsheets/sheet1.xml", DIALOG_SHEET.encode())]
    parts = _add_override(parts, "xl/dialogsheets/sheet1.xml", CT_PREFIX + "dialogsheet+xml")
    parts = _add_workbook_rel(parts, "rId92", f"{REL}/dialogsheet", "dialogsheets/sheet1.xml")
    return _add_sheet(parts, "Dialog1", 92, "rId92")


CHART = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="' + REL + '">'
    '<c:chart><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>'
    '<c:ser><c:idx val="0"/><c:order val="0"/><c:val><c:numRef><c:f>Risks!$F$2:$F$3</c:f></c:numRef></c:val>'
    '</c:ser><c:axId val="1"/><c:axId val="2"/></c:barChart>'
    '<c:catAx><c:axId val="1"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:axPos val="b"/>'
    '<c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/>'
    '</c:scaling><c:axPos val="l"/><c:crossAx val="1"/></c:valAx></c:plotArea></c:chart></c:chartSpace>'
)


def chart_sheet(parts: Parts) -> Parts:
    """A chart sheet (``xl/chartsheets/sheet1.xml``) with its drawing and chart."""
    xdr = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    drawing = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<xdr:wsDr xmlns:xdr="{xdr}" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:absoluteAnchor>'
        '<xdr:pos x="0" y="0"/><xdr:ext cx="8666049" cy="6293304"/><xdr:graphicFrame macro="">'
        '<xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Chart 1"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
        '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic>'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        f'xmlns:r="{REL}" r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/>'
        "</xdr:absoluteAnchor></xdr:wsDr>"
    )
    rels = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<Relationships xmlns="{PKG_REL}">'
    parts = [
        *parts,
        (
            "xl/chartsheets/sheet1.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<chartsheet xmlns="{MAIN}" '
            f'xmlns:r="{REL}"><sheetPr/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
            '<drawing r:id="rId1"/></chartsheet>'.encode(),
        ),
        (
            "xl/chartsheets/_rels/sheet1.xml.rels",
            (
                rels + f'<Relationship Id="rId1" Type="{REL}/drawing" Target="../drawings/drawing1.xml"/>'
                "</Relationships>"
            ).encode(),
        ),
        ("xl/drawings/drawing1.xml", drawing.encode()),
        (
            "xl/drawings/_rels/drawing1.xml.rels",
            (
                rels + f'<Relationship Id="rId1" Type="{REL}/chart" Target="../charts/chart1.xml"/></Relationships>'
            ).encode(),
        ),
        ("xl/charts/chart1.xml", CHART.encode()),
    ]
    parts = _add_override(parts, "xl/chartsheets/sheet1.xml", CT_PREFIX + "chartsheet+xml")
    parts = _add_override(
        parts, "xl/drawings/drawing1.xml", "application/vnd.openxmlformats-officedocument.drawing+xml"
    )
    parts = _add_override(
        parts, "xl/charts/chart1.xml", "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
    )
    parts = _add_workbook_rel(parts, "rId93", f"{REL}/chartsheet", "chartsheets/sheet1.xml")
    return _add_sheet(parts, "Chart1", 93, "rId93")


def inline_strings(parts: Parts) -> Parts:
    """Every text cell written inline (``t="inlineStr"``) and no shared-strings part,
    as xlsx-populate, SheetJS and streaming writers do."""
    # the shared strings are escaped already, and stay so inline
    strings = [
        "".join(re.findall(r"<t[^>]*>([^<]*)</t>", si))
        for si in re.findall(r"<si>(.*?)</si>", _get(parts, "xl/sharedStrings.xml").decode(), flags=re.S)
    ]

    def inline(m: re.Match) -> bytes:
        text = strings[int(m.group(3))]
        space = b' xml:space="preserve"' if text != text.strip() else b""
        return (
            m.group(1) + b' t="inlineStr"' + m.group(2) + b"><is><t" + space + b">" + text.encode() + b"</t></is></c>"
        )

    for name, _ in list(parts):
        if name.startswith("xl/worksheets/"):
            parts = _set(
                parts,
                name,
                re.sub(rb'(<c r="[A-Z]+\d+"(?: s="\d+")?) t="s"([^>]*)><v>(\d+)</v></c>', inline, _get(parts, name)),
            )
    parts = _drop(parts, "xl/sharedStrings.xml")
    parts = _sub(parts, "xl/_rels/workbook.xml.rels", rb"<Relationship [^>]*/sharedStrings\"[^>]*/>", b"")
    return _sub(parts, "[Content_Types].xml", rb'<Override PartName="/xl/sharedStrings.xml"[^>]*/>', b"")


def shared_strings_missing(parts: Parts) -> Parts:
    """The relationship to a shared-strings part that is not in the package (cells
    still index it): damaged, but met in the wild."""
    return _drop(parts, "xl/sharedStrings.xml")


_UNPREFIXED = re.compile(rb"<(/?)(?![?!])([A-Za-z][\w.-]*)(?=[\s/>])")


def prefixed_namespaces(parts: Parts) -> Parts:
    """SpreadsheetML under an ``x:`` prefix in every part (calamine's
    ``nonstandard-xml-ns-prefix.xlsx``; .NET's Open XML SDK writes them so)."""
    for name, data in list(parts):
        if name.startswith("xl/") and name.endswith(".xml") and f'xmlns="{MAIN}"'.encode() in data:
            data = _UNPREFIXED.sub(rb"<\1x:\2", data).replace(f'xmlns="{MAIN}"'.encode(), f'xmlns:x="{MAIN}"'.encode())
            parts = _set(parts, name, data)
    return parts


def reencoded(data: bytes, codec: str) -> bytes:
    """An XML part (in UTF-8) in ``codec``, its declaration saying so: ``utf-8-sig``
    (a byte-order mark), ``utf-16-le`` or ``utf-16-be`` (with a byte-order mark, as
    OPC asks of UTF-16), ``iso-8859-1`` (which OPC does not allow; Excel reads it)."""
    text = data.decode("utf-8-sig")
    if codec == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    declared = "UTF-16" if codec.startswith("utf-16") else codec.upper()
    if not text.startswith("<?xml"):
        text = '<?xml version="1.0"?>' + text
    end = text.index("?>")
    decl = text[:end]
    if re.search(r"\sencoding\s*=", decl):
        decl = re.sub(r"""(\sencoding\s*=\s*)["'][^"']*["']""", f'\\1"{declared}"', decl)
    else:  # after the version, as XML orders them
        decl = re.sub(r"""(version\s*=\s*["'][^"']*["'])""", f'\\1 encoding="{declared}"', decl)
    text = decl + text[end:]
    if codec == "utf-16-le":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if codec == "utf-16-be":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(codec, "xmlcharrefreplace")


def utf8_byte_order_marks(parts: Parts) -> Parts:
    """Every XML part starting with a UTF-8 byte-order mark (as .NET writers do)."""
    return [(n, reencoded(d, "utf-8-sig") if n.endswith((".xml", ".rels")) else d) for n, d in parts]


def utf16_core_parts(parts: Parts) -> Parts:
    """The workbook, its relationships, the styles, the shared strings and the
    Actions sheet in UTF-16 with byte-order marks (XML parsers, Excel's included,
    read any part so)."""
    core = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/sharedStrings.xml"}
    core.add(_sheet_part(parts, "Actions"))
    return [(n, reencoded(d, "utf-16-le" if n.endswith(".xml") else "utf-16-be") if n in core else d) for n, d in parts]


def latin1_parts(parts: Parts) -> Parts:
    """The shared strings and the Actions sheet declared ISO-8859-1, with a letter
    outside ASCII (which OPC does not allow, and Excel reads)."""
    parts = _sub(parts, "xl/sharedStrings.xml", rb">Corporate Oversight<", ">Corporate Oversight (Café)<".encode(), 1)
    for name in ("xl/sharedStrings.xml", _sheet_part(parts, "Actions")):
        parts = _set(parts, name, reencoded(_get(parts, name), "iso-8859-1"))
    return parts


def control_characters_in_cells(parts: Parts) -> Parts:
    """Text cells holding CR, ESC, DEL and C1 characters, as Excel escapes them
    (``_x001B_``) and as XML carries CR (``&#13;``): a theme, a description, a ref."""
    strings = _get(parts, "xl/sharedStrings.xml")
    strings = strings.replace(b">Strategic Direction<", b">Strategic&#13;\nDirection_x001B_[2J\x7f\xc2\x9b<", 1)
    strings = strings.replace(b">Deliver SD.D1.3<", b">Deliver_x001B_]0;owned_x0007_ SD.D1.3\x7f\xc2\x9b31m<", 1)
    strings = strings.replace(b">Director of Finance<", b">Director_x000D_of_x001B_[31mFinance<", 1)
    return _set(parts, "xl/sharedStrings.xml", strings)


def minimal_package(parts: Parts) -> Parts:
    """Only what OPC requires: no document properties, no theme (calamine's
    ``minimal_package.xlsx``)."""
    for name in ("docProps/core.xml", "docProps/app.xml", "xl/theme/theme1.xml"):
        parts = _drop(parts, name)
    parts = _sub(parts, "_rels/.rels", rb"<Relationship [^>]*docProps[^>]*/>", b"")
    parts = _sub(parts, "xl/_rels/workbook.xml.rels", rb"<Relationship [^>]*/theme\"[^>]*/>", b"")
    return _sub(parts, "[Content_Types].xml", rb'<Override PartName="/(docProps|xl/theme)/[^>]*/>', b"")


def only_actions(parts: Parts) -> Parts:
    """One sheet, Actions, and nothing else: the shape of the public test files with
    ipxl's headers written into their first sheet (no Settings, no Lists)."""
    names = re.findall(rb'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"/>', _get(parts, "xl/workbook.xml"))
    where = {name: _sheet_part(parts, name.decode()) for name, _ in names}
    for name, rid in names:
        if name == b"Actions":
            continue
        part = where[name]
        parts = _drop(parts, part)
        parts = _sub(parts, "xl/workbook.xml", rb'<sheet name="' + name + rb'"[^>]*/>', b"")
        parts = _sub(parts, "xl/_rels/workbook.xml.rels", rb'<Relationship Id="' + rid + rb'"[^>]*/>', b"")
        parts = _sub(parts, "[Content_Types].xml", rb'<Override PartName="/' + part.encode() + rb'"[^>]*/>', b"")
    return parts


@dataclass(frozen=True)
class Shape:
    """How to make a package shape from the clean one, and what it is."""

    make: Callable[[Parts], Parts]
    #: Excel opens it as it is: every command must use it (exit 0 or 1)
    valid: bool = True
    suffix: str = ".xlsx"
    #: commands that rightly cannot run on it (exit 2, one sentence), and why
    cannot: dict[str, str] = field(default_factory=dict)


SHAPES: dict[str, Shape] = {
    "as Excel writes it": Shape(lambda p: p),
    "an empty styleSheet": Shape(empty_stylesheet),
    "styles without fonts, fills or borders": Shape(styles_without_fonts),
    "styles without cell formats": Shape(styles_without_cell_formats),
    "no styles part": Shape(no_styles_part),
    "cells with s=''": Shape(empty_s_attribute),
    "cells with an out-of-range s": Shape(style_out_of_range),
    "the workbook part at xl/workbook2.xml": Shape(workbook_part_renamed),
    "the workbook part at Excel/book.xml": Shape(workbook_part_in_another_folder),
    "styles, shared strings and a sheet under other names": Shape(parts_renamed),
    "a sheet where the workbook part usually is": Shape(a_sheet_where_the_workbook_usually_is),
    "absolute relationship targets": Shape(absolute_targets),
    "a UTF-16 custom XML part with a BOM": Shape(utf16_custom_xml),
    "an Excel 4 macro sheet": Shape(macro_sheet, suffix=".xlsm"),
    "a dialog sheet": Shape(dialog_sheet),
    "a chart sheet": Shape(chart_sheet),
    "inline strings and no shared strings": Shape(inline_strings),
    "prefixed namespaces": Shape(prefixed_namespaces),
    "UTF-8 byte-order marks": Shape(utf8_byte_order_marks),
    "the core parts in UTF-16": Shape(utf16_core_parts),
    "parts declared ISO-8859-1": Shape(latin1_parts),
    "control characters in cells": Shape(control_characters_in_cells),
    "only the parts OPC requires": Shape(minimal_package),
    "only an Actions sheet": Shape(
        only_actions,
        cannot={"history": "no Period end to place it in a series", "history --cells": "the same"},
    ),
    "shared strings missing": Shape(shared_strings_missing, valid=False),
}


def build(name: str, folder: Path, clean: bytes) -> Path:
    """The shape ``name`` of the ``clean`` package, written in ``folder``."""
    shape = SHAPES[name]
    path = folder / ("plan" + shape.suffix)
    path.write_bytes(zipped(shape.make(parts_of(clean))))
    return path
