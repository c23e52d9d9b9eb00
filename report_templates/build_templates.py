"""Build the Word templates in this folder, reproducibly.

    python report_templates/build_templates.py [OUT_DIR]

``appendix.docx`` carries every appendix of the committee pack and
``cover-report.docx`` the covering report. Each is an ordinary .docx holding a few
docxtpl tags: ``{{ council }}`` in the header, ``{{ label }}`` ("Appendix 1") in the
footer beside "Page N of M", ``{{ title }}`` in the Title paragraph and ``{{ body }}``
alone in the paragraph that the content replaces. Officers restyle a template in Word
(fonts, colours, logo, header and footer, margins) as long as the tags stay; ``ipxl``
fills them with :func:`ipxl.pack.render_appendices`. The committed .docx files are
the output of this script; run it again after changing it and commit the result.

What the templates carry, because published papers must be accessible and printable:
- Word styles: Title, Heading 1-4 (kept with the next paragraph), "Table Text" (10 pt)
  and "Table Heading" (10 pt bold, white on dark blue, 12.6:1), List Bullet, Normal
  (Arial 11 pt) and the "Table Grid" table style;
- core properties (language en-GB) and en-GB as the default proofing language;
- A4 portrait (ipxl turns the page for wide appendices), 1.5 cm margins;
- none of python-docx's hundred-odd unused table styles, nor Word 2010's second copy of
  the styles (Word adds a table style an officer picks, and rebuilds that copy).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from ipxl import defaults as D

HERE = Path(__file__).resolve().parent

#: Fixed timestamp so a rebuild gives byte-identical files.
FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)
A4_SHORT, A4_LONG = Cm(21.0), Cm(29.7)
MARGIN = Cm(1.5)
HEADING_COLOUR = RGBColor.from_string("1F3864")

# ---------------------------------------------------------------------- document


def new_document(*, footer_label: str = "{{ label }}") -> Document:
    """A blank A4 document with the shared styles, header, footer, title and body tag."""
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = A4_SHORT, A4_LONG
    section.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = section.footer_distance = Cm(0.8)

    header = section.header.paragraphs[0]
    header.text = "{{ council }}"
    header.style = doc.styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.add_run(f"{footer_label} \u00b7 Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")

    para(doc, "{{ title }}", "Title")
    para(doc, "{{ body }}")
    # python-docx's blank document starts with an empty paragraph: the body tag follows
    # the title, and nothing else is left in the body.
    for p in list(doc.paragraphs):
        if not p.text:
            p._p.getparent().remove(p._p)

    props = doc.core_properties
    # render_appendices sets the real title of each paper after rendering.
    props.title = "Improvement Plan committee paper"
    props.subject = "Improvement Plan committee paper"
    props.language = "en-GB"
    props.author = "ipxl"
    props.last_modified_by = "ipxl"
    props.comments = "Built by report_templates/build_templates.py. Restyle freely in Word; keep the template tags."
    props.keywords = "Improvement Plan"
    props.revision = 1
    props.created = props.modified = FIXED_TIME
    return doc


def _styles(doc: Document) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    # Default proofing language for every run: en-GB (and the east-Asian/complex
    # script slots too, so screen readers and spell checkers agree).
    rpr_default = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr_default.findall(qn("w:lang")):
        rpr_default.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:eastAsia"), "en-GB")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr_default.append(lang)
    fonts = rpr_default.find(qn("w:rFonts"))
    if fonts is not None:
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), "Arial")

    title = styles["Title"]
    # The default Title has a rule under it, which a PDF would carry as an untagged path.
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    title.font.name = "Arial"
    title.font.size = Pt(18)
    title.font.color.rgb = HEADING_COLOUR
    title.paragraph_format.keep_with_next = True
    for level, size in ((1, 16), (2, 13), (3, 12), (4, 11)):
        h = styles[f"Heading {level}"]
        h.font.name = "Arial"
        h.font.size = Pt(size)
        h.font.bold = True
        h.font.italic = False
        h.font.color.rgb = HEADING_COLOUR  # 12.6:1 on white
        h.paragraph_format.keep_with_next = True
        h.paragraph_format.space_before = Pt(12 if level == 1 else 9)

    from docx.enum.style import WD_STYLE_TYPE

    text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = normal
    text.font.size = Pt(10)
    text.paragraph_format.space_after = Pt(0)
    text.paragraph_format.space_before = Pt(0)
    head = styles.add_style("Table Heading", WD_STYLE_TYPE.PARAGRAPH)
    head.base_style = text
    head.font.bold = True
    head.font.color.rgb = RGBColor.from_string(D.HEADER_FONT)
    styles["List Bullet"].font.size = Pt(11)
    styles["List Bullet 2"].font.size = Pt(11)
    # Headings and the title name theme fonts (asciiTheme), which win over a named
    # font: Word would show Calibri Light and LibreOffice its stand-in under an Arial
    # body. Every style speaks Arial in its own right.
    for style in styles:
        rpr = style.element.rPr
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        if fonts is None:
            continue
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), "Arial")
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(10)
    _prune(doc)


#: The table styles a template keeps: Word's default and the one ipxl's tables use.
TABLE_STYLES = {"TableNormal", "TableGrid"}
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _prune(doc: Document) -> None:
    """Drop what python-docx's default template carries and no appendix uses: its
    hundred-odd table styles (Light Shading Accent 1 ...; Word adds any an officer
    picks) and Word 2010's second copy of the styles (``stylesWithEffects.xml``, which
    Word rebuilds). Every appendix opens, saves and is checked with these parts, so
    their 780 KB of XML were most of a small paper's time."""
    root = doc.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in TABLE_STYLES:
            root.remove(style)
    part = doc.part
    for r_id, rel in list(part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            del part.rels[r_id]


def _field(paragraph, instruction: str) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    run.append(t)
    fld.append(run)
    paragraph._p.append(fld)


def para(doc, text: str = "", style: str | None = None):
    p = doc.add_paragraph(text)
    if style:
        p.style = doc.styles[style]
    return p


#: Template file -> builder.
TEMPLATES = {
    "appendix": lambda: new_document(),
    "cover-report": lambda: new_document(footer_label="{{ title }}"),
}


def save_reproducibly(doc: Document, path: Path) -> None:
    """Save with fixed zip timestamps so rebuilding gives identical bytes."""
    buf = io.BytesIO()
    doc.save(buf)
    buf.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, data)
    path.write_bytes(out.getvalue())


def build(out_dir: Path = HERE) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, builder in TEMPLATES.items():
        path = out_dir / f"{name}.docx"
        save_reproducibly(builder(), path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(f"Wrote {p}")
