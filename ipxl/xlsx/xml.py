"""SpreadsheetML and OPC names, and the small lxml helpers every part editor shares."""

from __future__ import annotations

import re

from lxml import etree

# ---------------------------------------------------------------------- namespaces

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"

REL_WORKSHEET = R + "/worksheet"
REL_DRAWING = R + "/drawing"
REL_CHART = R + "/chart"
REL_STYLES = R + "/styles"
REL_CALC_CHAIN = R + "/calcChain"
#: The relationship kinds of the parts a workbook lists as sheets that hold cells.
CELL_SHEETS = ("worksheet", "xlMacrosheet", "xlIntlMacrosheet")

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_STYLES = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"

PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False, load_dtd=False
)


def q(tag: str, ns: str = MAIN) -> str:
    """Clark name ``{ns}tag``."""
    return f"{{{ns}}}{tag}"


def local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# Child order of <worksheet> (ECMA-376 CT_Worksheet); new children are inserted in it.
WORKSHEET_ORDER = (
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)
# Child order of <styleSheet>.
STYLES_ORDER = (
    "numFmts",
    "fonts",
    "fills",
    "borders",
    "cellStyleXfs",
    "cellXfs",
    "cellStyles",
    "dxfs",
    "tableStyles",
    "colors",
    "extLst",
)


def int_attr(value: str | None) -> int:
    """An index attribute (``s``, ``fontId``, ``min``...) as Excel reads it: 0 when
    absent, empty (``s=""``) or not a whole number."""
    return int(value) if value and value.isascii() and value.isdigit() else 0


def insert_in_order(parent, child, order: tuple[str, ...]) -> None:
    """Insert ``child`` into ``parent`` at its schema position (after every sibling that
    comes before it in ``order``, before every sibling that comes after)."""
    rank = {name: i for i, name in enumerate(order)}
    mine = rank[local(child)]
    for i, sib in enumerate(parent):
        r = rank.get(local(sib))
        if r is not None and r > mine:
            parent.insert(i, child)
            return
    parent.append(child)


# -------------------------------------------------------------------- A1 addresses


def quote_sheet(name: str) -> str:
    """Sheet name as written in a formula or hyperlink location: always quoted."""
    return "'" + name.replace("'", "''") + "'"


#: Characters XML 1.0 cannot hold (and lone surrogates' neighbours Excel rejects).
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(v: object) -> str:
    """``v`` as text with the characters XML cannot hold removed."""
    return _ILLEGAL_XML.sub("", str(v))


# The two escapes of xml.sax.saxutils, character for character: that module imports
# urllib.request (and with it http.client and email), a fiftieth of a second on every
# click for two string functions.
def escape(data: str) -> str:
    """``&``, ``<`` and ``>`` as entities: text for an XML element, literally."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data: str) -> str:
    """``data`` as a quoted XML attribute value (quotes included), literally."""
    data = escape(data).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in data:
        if "'" in data:
            return '"{}"'.format(data.replace('"', "&quot;"))
        return f"'{data}'"
    return f'"{data}"'
