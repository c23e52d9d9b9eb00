"""The Word renderer: a :class:`~ipxl.pack.model.Document` into a .docx built on a
template officers restyle (``report_templates/appendix.docx``).

The template holds the styles, the page, the header and footer and a title; its
docxtpl tags (``{{ council }}``, ``{{ title }}``, ``{{ label }}``, ``{{ period }}``,
``{{ plan_title }}``) are filled with autoescaped text, and the paragraph holding
``{{ body }}`` is replaced by the document's blocks, written here as WordprocessingML
with every value escaped: ``&``, ``<`` and ``{{ x }}`` in a cell stay text.

What makes the pages publishable as they come out: no table row splits across pages
(``w:cantSplit``), header rows repeat (``w:tblHeader``) and keep with the first row,
headings and the sentences that introduce a table or chart keep with what follows,
a chart keeps with its table's first rows, table text is 10 pt and body text 11 pt (set in the
template's styles), and the footer says "Appendix 1 · Page 3 of 10".
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import traceback
from pathlib import Path

from .. import defaults as D
from ..errors import TemplateError
from ..xlsx.safe_write import atomic_write
from ..xlsx.xml import escape, quoteattr, xml_text
from .model import Block, Chart, Document, Paragraph, Picture, Row, Section, Status, Table, Text, column_shares
from .word_chart import CT_CHART, CT_XLSX, RT_CHART, RT_PACKAGE, chart_xml, embedded_workbook

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_NS = f'xmlns:w="{W}" xmlns:wp="{WP}" xmlns:a="{A}" xmlns:c="{C}" xmlns:r="{R}" xmlns:pic="{PIC}"'

#: The paragraph of the template the body replaces.
BODY_TAG = "body"
_MARKER = "IPXL-BODY-MARKER-7c1e"
#: Paragraph styles of the template, by style id.
HEADINGS = ("Heading1", "Heading2", "Heading3", "Heading4")
TABLE_TEXT, TABLE_HEADING, BULLET, BULLET_2 = "TableText", "TableHeading", "ListBullet", "ListBullet2"
#: A numbered paragraph's number hangs in this much margin (twips: 1.27 cm), as the
#: council's reports set 4.2.1 beside the text.
NUMBER_INDENT = 720
#: Tables of at most this many rows, holding at most this much text (a status count,
#: a key: well under half a page), are kept on one page.
KEEP_TOGETHER_ROWS, KEEP_TOGETHER_CHARS = 10, 400
#: How far a bullet point's text sits from its bullet (twips: 0.64 cm), a point under
#: a bullet that much again.
BULLET_INDENT = 360
#: Space between a table cell's border and its text (twips): 0.1 cm above and below,
#: 0.15 cm either side.
CELL_MARGIN_V, CELL_MARGIN_H = 57, 85
#: The width of an average character of 10 pt table text (twips), to turn a column's
#: share of characters into twips.
CHAR_TWIPS = 105
#: Chart size on the page, in EMU: 15 cm wide, 2.2 cm for title and axis plus 0.7 cm
#: a bar: room for every bar's label (LibreOffice drops labels that would crowd), yet
#: small enough that a chart kept with its section's heading and opening and with its
#: table's first rows never leaves a third of a page empty.
CHART_WIDTH, CHART_TOP, CHART_BAR = 5400000, 792000, 252000
_TWIPS_PER_CM = 566.929


# ======================================================================= the file


def render(document: Document, template: Path, target: Path) -> Path:
    """Write ``document`` to ``target`` on ``template``; returns the path."""
    from jinja2 import TemplateError as JinjaError

    tpl = _open(template)
    # Cell text is data: characters XML cannot hold (a control character typed in a
    # cell) are dropped here and from the body below, the one way into the file.
    context = {
        "council": xml_text(document.council or ""),
        "title": xml_text(_unbroken(document.heading, document.period or "")),
        "label": xml_text(document.label),
        "period": xml_text(document.period or ""),
        "plan_title": "",
        BODY_TAG: _MARKER,
    }
    try:
        tpl.render(context, _jinja_env(), autoescape=True)
    except JinjaError as exc:
        raise TemplateError(_template_message(tpl, template, exc)) from None
    except Exception as exc:  # an edited template whose XML the tags no longer fit
        raise TemplateError(
            f"Template {template.name} could not be filled ({type(exc).__name__}: {str(exc)[:120]}); "
            "restore it (python report_templates/build_templates.py rebuilds the defaults)."
        ) from None
    doc = tpl.docx
    body = doc.element.body
    sect = body.find(f"{{{W}}}sectPr")
    if document.landscape:
        _landscape(sect)
    writer = _Body(doc, _text_width(sect))
    # In a numbered paper, points sit under the text of the paragraph they follow,
    # not under its number.
    writer.indent = NUMBER_INDENT if any(isinstance(b, Paragraph) and b.number for _, b in document.walk()) else 0
    xml = xml_text("".join(writer.blocks(document.blocks, 1)))
    _splice(doc, xml, template)
    if document.draft:
        _draft(doc, xml_text(document.draft))
    elif document.approval:
        _approved(doc, xml_text(document.approval))
    _properties(doc, document)
    return atomic_write(target, doc.save)


def _unbroken(heading: str, period: str) -> str:
    """``heading`` with its period's words joined by no-break spaces, so that a title
    too long for one line never leaves the year alone on the next.

    >>> _unbroken("Appendix 2 – Theme Summary October 2023", "October 2023")
    'Appendix 2 – Theme Summary October\xa02023'
    """
    return heading.replace(period, period.replace(" ", "\u00a0")) if " " in period else heading


def _splice(doc, xml: str, template: Path) -> None:
    """Put the body's XML where the template's ``{{ body }}`` paragraph is.

    The document is serialised, the paragraph replaced by the text and the whole
    parsed once: moving thousands of rows into the tree element by element makes lxml
    reconcile namespaces for each, which takes seconds for a large plan.
    """
    from docx.oxml import parse_xml
    from lxml import etree

    marker = next((p for p in doc.element.body.iter(f"{{{W}}}p") if _MARKER in "".join(p.itertext())), None)
    if marker is None:
        raise TemplateError(
            f"Template {template.name} has no {{{{ {BODY_TAG} }}}} paragraph for the appendix's content; "
            "put it back on a line of its own, or restore the template."
        )
    placeholder = etree.SubElement(marker.getparent(), f"{{{W}}}ipxlBody")
    marker.addprevious(placeholder)
    marker.getparent().remove(marker)
    root = doc.element
    text = etree.tostring(root, encoding="unicode")
    head, found, tail = text.partition("<w:ipxlBody/>")
    if not found:  # pragma: no cover - the placeholder was made a line above
        raise TemplateError(f"Template {template.name} could not be filled; restore it.")
    new_root = parse_xml(head + xml + tail)
    doc.part._element = new_root
    doc._element = new_root
    doc._Document__body = None


def _draft(doc, text: str) -> None:
    """A draft says so first, before its title, and at the top of every page (in
    each header of the template), in bold red."""
    from docx.oxml import parse_xml

    line = (
        f'<w:p {_NS}><w:pPr><w:keepNext/></w:pPr><w:r><w:rPr><w:b/><w:bCs/><w:color w:val="{D.NEW_ROW_RED}"/>'
        f'</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
    )
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    doc.element.body.insert(0, parse_xml(line))
    # Through the relationships, not doc.sections: docxtpl swaps each header part
    # for the one it rendered, which python-docx's cached lookups do not see.
    for rel in doc.part.rels.values():
        if rel.reltype == RT.HEADER and not rel.is_external:
            rel.target_part._element.insert(0, parse_xml(line))


def _approved(doc, text: str) -> None:
    """A paper made from the content Leadership Team approved says so first, on its
    first page, in bold (the pages' headers stay the template's)."""
    from docx.oxml import parse_xml

    line = (
        f"<w:p {_NS}><w:pPr><w:keepNext/></w:pPr><w:r><w:rPr><w:b/><w:bCs/></w:rPr>"
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
    )
    doc.element.body.insert(0, parse_xml(line))


def _open(template: Path):
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(template)
        tpl.init_docx()
    except Exception as exc:
        raise TemplateError(
            f"Template {template.name} cannot be opened as a Word document ({type(exc).__name__}); "
            "restore it (python report_templates/build_templates.py rebuilds the defaults)."
        ) from None
    return tpl


@functools.cache
def _jinja_env():
    """The Jinja environment every paper is filled in, one a process.

    docxtpl compiles the template's body, headers, footers and each document property
    for every paper, and a pack's papers share their templates' texts: each text is
    compiled once (the last 128 kept), about 7% of a Word-only pack. A template an
    officer edits is a new text, compiled afresh."""
    from jinja2 import Environment, StrictUndefined

    class Templates(Environment):
        def from_string(self, source, globals=None, template_class=None):
            if globals is None and template_class is None and isinstance(source, str):
                return compiled(source)
            return super().from_string(source, globals, template_class)

    # StrictUndefined: a misspelt tag in an officer's edited template is an error
    # naming the tag, not a silently empty line.
    env = Templates(autoescape=True, undefined=StrictUndefined)
    compiled = functools.lru_cache(maxsize=128)(lambda source: Environment.from_string(env, source))
    return env


def _landscape(sect) -> None:
    size = sect.find(f"{{{W}}}pgSz")
    w, h = size.get(f"{{{W}}}w"), size.get(f"{{{W}}}h")
    if int(w) < int(h):
        size.set(f"{{{W}}}w", h)
        size.set(f"{{{W}}}h", w)
    size.set(f"{{{W}}}orient", "landscape")


def _text_width(sect) -> int:
    """The width between the margins, in twips."""
    size = sect.find(f"{{{W}}}pgSz")
    margins = sect.find(f"{{{W}}}pgMar")
    width = int(size.get(f"{{{W}}}w"))
    return width - int(margins.get(f"{{{W}}}left", 850)) - int(margins.get(f"{{{W}}}right", 850))


def _properties(doc, document: Document) -> None:
    def prop(text: str) -> str:
        # Word keeps at most 255 characters in a document property
        text = xml_text(text)
        return text if len(text) <= 255 else text[:254] + "…"

    props = doc.core_properties
    props.title = prop(f"{document.label}: {document.title}" if document.number else document.title)
    props.subject = prop(document.subject)
    props.language = "en-GB"
    props.author = prop(document.council or "ipxl")
    props.last_modified_by = "ipxl"
    props.keywords = "Improvement Plan"
    props.comments = "Made by ipxl from the monitoring workbook."
    now = dt.datetime.now().replace(microsecond=0)
    props.created = props.modified = now


# ======================================================================= the body


def _runs(text: Text, colour: str | None = None, bold: bool = False) -> str:
    out = []
    for span in text.spans:
        props = ""
        if colour:
            props += f'<w:color w:val="{colour}"/>'
        if bold or span.bold:
            props += "<w:b/><w:bCs/>"
        body = (
            escape(span.text)
            .replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
            .replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">')
        )
        out.append(
            f'<w:r>{"<w:rPr>" + props + "</w:rPr>" if props else ""}<w:t xml:space="preserve">{body}</w:t></w:r>'
        )
    return "".join(out)


def _p(
    runs: str,
    style: str | None = None,
    keep_next: bool = False,
    align: str | None = None,
    hanging: int = 0,
    indent: tuple[int, int] | None = None,
) -> str:
    """A paragraph; ``align`` is Word's justification (``center``, ``right``);
    ``hanging`` indents all but the first line that far, with a tab stop there (a
    number then a tab, then the text)."""
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if keep_next:
        ppr += "<w:keepNext/>"
    if hanging:
        ppr += (
            f'<w:tabs><w:tab w:val="left" w:pos="{hanging}"/></w:tabs><w:ind w:left="{hanging}" w:hanging="{hanging}"/>'
        )
    elif indent:
        ppr += f'<w:ind w:left="{indent[0]}" w:hanging="{indent[1]}"/>'
    if align:
        ppr += f'<w:jc w:val="{align}"/>'
    return f"<w:p>{'<w:pPr>' + ppr + '</w:pPr>' if ppr else ''}{runs}</w:p>"


class _Body:
    """Blocks into WordprocessingML, with the parts charts and pictures need."""

    def __init__(self, doc, width: int):
        self.doc = doc
        self.part = doc.part
        self.width = width
        self._shape_id = 1000
        #: where list points start (twips): under a numbered paragraph's text
        self.indent = 0

    def blocks(self, blocks: list[Block], depth: int) -> list[str]:
        out: list[str] = []
        for i, b in enumerate(blocks):
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(b, Section):
                style = HEADINGS[min(depth, len(HEADINGS)) - 1]
                out.append(_p(_runs(Text.of(b.title)), style, keep_next=True))
                out += self.blocks(b.blocks, depth + 1)
            elif isinstance(b, Paragraph):
                # A sentence that leads into a table, chart or list stays on its page,
                # and a list's first item stays with its second (so a heading never
                # ends a page with one item under it). A whole list is not kept
                # together: one longer than a page would let the heading go astray.
                listed = b.listed
                preceding = blocks[i - 1] if i else None
                first = listed and not (isinstance(preceding, Paragraph) and preceding.listed)
                nxt_listed = isinstance(following, Paragraph) and following.listed
                introduces = b.kind in ("lead", "label") or (
                    isinstance(following, Paragraph) and following.kind == "bullet2"
                )
                # A section's opening: its first sentences, before any table, chart or
                # subsection.
                at_start = i < 3 and all(isinstance(x, Paragraph) for x in blocks[:i])
                # A sentence before a chart may end a page (the chart's own title
                # introduces it, and kept together they would leave a gap), unless it
                # opens the section: its heading then goes with the chart.
                before_chart = isinstance(following, Chart) and b.kind != "lead" and not at_start
                keep = introduces or (
                    following is not None and not isinstance(following, Section) and not listed and not before_chart
                )
                # A section's short opening (a sentence or two before its first
                # subsection) stays with that subsection's heading, so a heading never
                # ends a page with only its opening under it.
                opening = isinstance(following, Section) and at_start
                # and a list's last item never starts a page alone: the one before keeps with it
                after = blocks[i + 2] if i + 2 < len(blocks) else None
                before_last = listed and nxt_listed and not (isinstance(after, Paragraph) and after.listed)
                keep = keep or (first and nxt_listed) or (opening and not listed) or before_last
                list_style = {"bullet": BULLET, "bullet2": BULLET_2}.get(b.kind)
                if b.number:
                    runs = f'<w:r><w:t xml:space="preserve">{escape(b.number)}</w:t></w:r><w:r><w:tab/></w:r>'
                    out.append(_p(runs + _runs(b.text), list_style, keep_next=keep, hanging=NUMBER_INDENT))
                elif list_style is not None and self.indent:
                    level = 2 if b.kind == "bullet2" else 1
                    at = (self.indent + BULLET_INDENT * level, BULLET_INDENT)
                    out.append(_p(_runs(b.text), list_style, keep_next=keep, indent=at))
                elif b.kind == "label" and self.indent:
                    out.append(_p(_runs(b.text), keep_next=keep, indent=(self.indent, 0)))
                else:
                    out.append(_p(_runs(b.text), list_style, keep_next=keep))
            elif isinstance(b, Table):
                out.append(self.table(b))
            elif isinstance(b, Chart):
                # the chart keeps with its table's first rows; the table may then go
                # on over the page, so the two need no more than a third of one
                out.append(self.chart(b))
                out.append(self.table(b.table, together=False))
            elif isinstance(b, Picture):
                out.append(self.picture(b))
        return out

    # -- tables
    def table(self, t: Table, together: bool = True) -> str:
        chars = max(self.width / CHAR_TWIPS, 10)
        widths = [max(int(self.width * share), 400) for share in column_shares(t, chars)]
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        head_cells = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:shd w:val="clear" w:color="auto" w:fill="{D.HEADER_FILL}"/>'
            f"</w:tcPr>{_p(_runs(Text.of(c.header)), TABLE_HEADING, keep_next=True)}</w:tc>"
            for c, w in zip(t.columns, widths)
        )
        rows = [f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head_cells}</w:tr>"]
        # numbers line up on their units, as the web pages show them
        # A short table (a status count, a key) stays on one page: split, a row or two
        # alone on the next page reads as a different table.
        together = (
            together
            and len(t.rows) <= KEEP_TOGETHER_ROWS
            and sum(len(c.word if isinstance(c, Status) else c.plain) for r in t.rows for c in r.cells)
            <= KEEP_TOGETHER_CHARS
        )
        last = len(t.rows) - 1
        rows += [
            self.row(r, widths, [c.numeric for c in t.columns], keep=together and i < last)
            for i, r in enumerate(t.rows)
        ]
        return (
            "<w:tbl><w:tblPr>"
            f'<w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            '<w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:top w:w="{CELL_MARGIN_V}" w:type="dxa"/><w:left w:w="{CELL_MARGIN_H}" w:type="dxa"/>'
            f'<w:bottom w:w="{CELL_MARGIN_V}" w:type="dxa"/><w:right w:w="{CELL_MARGIN_H}" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
            f"<w:tblCaption w:val={quoteattr(t.caption)}/><w:tblDescription w:val={quoteattr(t.description)}/>"
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
        )

    def row(self, row: Row, widths: list[int], numeric: list[bool] | None = None, keep: bool = False) -> str:
        red = D.NEW_ROW_RED if row.new else None
        cells = []
        for value, w, num in zip(row.cells, widths, numeric or [False] * len(widths)):
            if isinstance(value, Status):
                cells.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:shd w:val="clear" w:color="auto" '
                    f'w:fill="{value.fill}"/></w:tcPr>'
                    f"{_p(_runs(Text.of(value.word), value.ink, bold=True), TABLE_TEXT, keep_next=keep)}</w:tc>"
                )
            else:
                cells.append(
                    f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>'
                    f"{_p(_runs(value, red), TABLE_TEXT, keep_next=keep, align='right' if num else None)}</w:tc>"
                )
        return f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{''.join(cells)}</w:tr>"

    # -- charts
    def chart(self, chart: Chart) -> str:
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        package = self.part.package
        n = 1 + sum(1 for p in package.iter_parts() if str(p.partname).startswith("/word/charts/chart"))
        xlsx = Part(
            PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{n}.xlsx"), CT_XLSX, embedded_workbook(chart), package
        )
        part = Part(PackURI(f"/word/charts/chart{n}.xml"), CT_CHART, b"", package)
        embedded = part.relate_to(xlsx, RT_PACKAGE)
        part._blob = chart_xml(chart, embedded)
        rid = self.part.relate_to(part, RT_CHART)
        self._shape_id += 1
        cx, cy = CHART_WIDTH, CHART_TOP + CHART_BAR * len(chart.bars)
        # Only descr: LibreOffice joins a title to the description in the PDF's alt text.
        drawing = (
            f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{self._shape_id}" name="Chart {self._shape_id}" descr={quoteattr(chart.alt)}/>'
            "<wp:cNvGraphicFramePr/>"
            f'<a:graphic xmlns:a="{A}"><a:graphicData uri="{C}"><c:chart xmlns:c="{C}" r:id="{rid}"/>'
            "</a:graphicData></a:graphic>"
            "</wp:inline></w:drawing></w:r>"
        )
        return _p(drawing, keep_next=True, align="center")

    # -- pictures
    def picture(self, pic: Picture) -> str:
        from docx.shared import Cm
        from lxml import etree

        inline = self.part.new_pic_inline(str(pic.path), Cm(min(self.width / _TWIPS_PER_CM, 24)), None)
        inline.docPr.set("descr", pic.alt)
        inline.docPr.attrib.pop("title", None)
        # the inline declares the namespaces it uses (a:, pic:), which the body may not
        xml = etree.tostring(inline, encoding="unicode")
        return _p(f"<w:r><w:drawing>{xml}</w:drawing></w:r>", align="center")


# ================================================================== template errors

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def _template_message(tpl, source: Path, exc) -> str:
    """One sentence naming the template file and the tag at fault."""
    lineno = getattr(exc, "lineno", None)
    if lineno is None:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename == "<template>":
                lineno = frame.lineno
    message = str(getattr(exc, "message", None) or exc).strip().splitlines()[0].rstrip(".")
    names = re.findall(r"'([^']+)'", message)
    tag = None
    try:
        src = tpl.patch_xml(tpl.get_xml())
        for part in (
            (*tpl.get_part_xml_list("header"), *tpl.get_part_xml_list("footer"))
            if hasattr(tpl, "get_part_xml_list")
            else ()
        ):
            src += part
        src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)
        lines = src.splitlines()
        candidates: list[str] = []
        if lineno is not None and 0 < lineno <= len(lines):
            candidates = _TAG.findall(re.sub(r"<[^>]+>", "", lines[lineno - 1]))
        if not candidates:
            candidates = _TAG.findall(re.sub(r"<[^>]+>", "", src))
        # The first name the message quotes is the one at fault ('endfro' before
        # the 'endfor' Jinja was looking for).
        for n in (n for n in names if n and n != "dict object"):
            named = [c for c in candidates if re.search(rf"\b{re.escape(n)}\b", c)]
            if named:
                tag = named[0]
                break
        else:
            tag = candidates[0] if candidates else None
    except Exception:
        pass
    where = f" at the tag {tag}" if tag else ""
    return (
        f"Template {source.name} is broken{where}: {message}; correct the tag in Word "
        "or restore the template (python report_templates/build_templates.py rebuilds the defaults)."
    )
