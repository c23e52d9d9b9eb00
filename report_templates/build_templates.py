"""Build the Word appendix templates in this folder, reproducibly.

    python report_templates/build_templates.py [OUT_DIR]

Each template is an ordinary .docx holding docxtpl tags (``{{ council }}``,
``{%tr for r in t.rows %}`` ...). Officers can restyle a template in Word (fonts, logo,
header and footer, column widths, wording) as long as the tags stay; ``ipxl`` fills
them with :func:`ipxl.pack.render_appendices`. The committed .docx files are the
output of this script; run it again after changing it and commit the result.

What every template carries, because published papers must be accessible:
- Word styles: Title, Heading 1-3, "Table Text" and "Table Heading" paragraph
  styles, the "Table Grid" table style;
- core properties (title, language en-GB) and en-GB as the default proofing language;
- a header with the council's name and a footer with the page number;
- tables whose first row repeats on each page (``w:tblHeader``), with a caption
  and description for screen readers, fixed column widths and no merged cells;
- landscape A4 where tables are wide.

Tags used in table cells:
- ``{{r x }}`` for values given as docxtpl ``RichText`` (text already escaped and
  coloured: red #C00000 for rows new this period);
- ``{% cellbg x.fill %}`` to shade a status cell in its ``Lists`` colour; the cell
  always also carries the status word.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
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
#: Usable text width in cm.
LANDSCAPE_WIDTH = 29.7 - 3.0
PORTRAIT_WIDTH = 21.0 - 3.0
HEADING_COLOUR = RGBColor.from_string("1F3864")

# ---------------------------------------------------------------------- document


def new_document(*, landscape: bool, appendix: str) -> Document:
    """A blank A4 document with the shared styles, header and footer."""
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    section.header_distance = section.footer_distance = Cm(0.8)

    header = section.header.paragraphs[0]
    header.text = "{{ council }}"
    header.style = doc.styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.add_run(f"{{{{ plan_title }}}}: {appendix}, {{{{ period }}}}. Page ")
    _page_field(footer)

    props = doc.core_properties
    # render_appendices sets the real title (the rendered Title paragraph) after render.
    props.title = f"{appendix}"
    props.subject = "Improvement Plan committee appendix"
    props.language = "en-GB"
    props.author = "ipxl"
    props.last_modified_by = "ipxl"
    props.comments = "Built by report_templates/build_templates.py. Restyle freely in Word; keep the template tags."
    props.keywords = "Improvement Plan; appendix"
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
    title.font.name = "Arial"
    title.font.size = Pt(18)
    title.font.color.rgb = HEADING_COLOUR
    for level, size in ((1, 16), (2, 13), (3, 12)):
        h = styles[f"Heading {level}"]
        h.font.name = "Arial"
        h.font.size = Pt(size)
        h.font.bold = True
        h.font.italic = False
        h.font.color.rgb = HEADING_COLOUR  # 12.6:1 on white
        h.paragraph_format.keep_with_next = True

    from docx.enum.style import WD_STYLE_TYPE

    text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = normal
    text.font.size = Pt(9)
    text.paragraph_format.space_after = Pt(0)
    text.paragraph_format.space_before = Pt(0)
    head = styles.add_style("Table Heading", WD_STYLE_TYPE.PARAGRAPH)
    head.base_style = text
    head.font.bold = True
    head.font.color.rgb = RGBColor.from_string(D.HEADER_FONT)
    for name in ("Header", "Footer"):
        styles[name].font.size = Pt(9)


def _page_field(paragraph) -> None:
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), " PAGE ")
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


def control(doc, tag: str):
    """A paragraph holding only a ``{%p ... %}`` tag (removed when rendered)."""
    return para(doc, tag)


# ------------------------------------------------------------------------- tables


def loop_table(doc, loop: str, columns: list[tuple[str, float, str]], *, caption: str, description: str):
    """A table with a repeating header row and one data row repeated by
    ``{%tr for <loop> %}``.

    ``columns`` is a list of (header text, width in cm, cell content tag). A cell
    content starting with ``{% cellbg`` shades the cell.
    """
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        el = OxmlElement(tag)
        el.set(qn("w:val"), value)
        tbl_pr.append(el)
    header, open_row, data, close_row = table.rows

    tr_pr = header._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        el = OxmlElement(tag)
        tr_pr.append(el)

    widths = [Cm(w) for _, w, _ in columns]
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
    for grid_col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        grid_col.set(qn("w:w"), str(int(width.twips)))

    for cell, (head, _, _content) in zip(header.cells, columns):
        _shade(cell, D.HEADER_FILL)
        p = cell.paragraphs[0]
        p.style = doc.styles["Table Heading"]
        p.text = head
    open_row.cells[0].paragraphs[0].text = f"{{%tr for {loop} %}}"
    close_row.cells[0].paragraphs[0].text = "{%tr endfor %}"
    for cell, (_, _, content) in zip(data.cells, columns):
        p = cell.paragraphs[0]
        p.style = doc.styles["Table Text"]
        p.text = content
    return table


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


STATUS_CELL = "{% cellbg {v}.fill %}{{r {v}.word }}"


def status_cell(var: str) -> str:
    return STATUS_CELL.replace("{v}", var)


def status_key(doc, *, heading: str = "Status key") -> None:
    para(doc, heading, "Heading 1")
    para(doc, "Each status is written as a word; the shading only repeats it.")
    loop_table(
        doc,
        "s in statuses",
        [("Status", 3.0, status_cell("s")), ("Meaning", 12.0, "{{ s.meaning }}")],
        caption="Status key",
        description="Each status and what it means.",
    )


def title(doc, what: str) -> None:
    para(doc, f"{{{{ council }}}} {{{{ plan_title }}}}: {what}, {{{{ period }}}}", "Title")


# ---------------------------------------------------------------------- templates


def monitoring_tool() -> Document:
    doc = new_document(landscape=True, appendix="Monitoring Tool")
    title(doc, "Monitoring Tool")
    para(doc, "{{ intro }}")
    para(
        doc,
        "Every open action, sub-action and assurance action by theme and workstream. "
        "Rows added this period are in red and marked New.",
    )
    status_key(doc)
    control(doc, "{%p for t in themes %}")
    para(doc, "{{ t.name }}", "Heading 1")
    para(doc, "{{ t.sentence }}")
    loop_table(
        doc,
        "r in t.rows",
        [
            ("Ref", 2.3, "{{r r.ref }}"),
            ("Workstream", 3.2, "{{r r.workstream }}"),
            ("Action", 5.4, "{{r r.description }}"),
            ("Director / Lead", 3.1, "{{r r.lead }}"),
            ("Due date", 2.0, "{{r r.due }}"),
            ("Revised due date", 2.0, "{{r r.revised }}"),
            ("Status", 2.1, status_cell("r.status")),
            ("Progress update", 6.6, "{{r r.progress }}"),
        ],
        caption="Actions in {{ t.name }}",
        description="One row per open action: ref, workstream, action, lead, dates, status and progress update.",
    )
    control(doc, "{%p endfor %}")
    control(doc, "{%p if not themes %}")
    para(doc, "There are no open actions in the plan.")
    control(doc, "{%p endif %}")
    return doc


def theme_summary() -> Document:
    doc = new_document(landscape=False, appendix="Theme Summary")
    title(doc, "Theme Summary")
    para(doc, "{{ intro }}")
    para(doc, "{{ movement_sentence }}")
    para(doc, "All themes", "Heading 1")
    loop_table(
        doc,
        "t in themes",
        [
            ("Theme", 4.4, "{{ t.name }}"),
            ("Open actions", 2.0, "{{ t.total }}"),
            ("Status counts", 6.0, "{{ t.counts_text }}"),
            ("Movement since previous period", 5.6, "{{ t.movement_text }}"),
        ],
        caption="Status counts by theme",
        description="For each theme: open actions, how many at each status, and movement since the previous period.",
    )
    control(doc, "{%p for t in themes %}")
    para(doc, "{{ t.name }}", "Heading 1")
    para(doc, "{{ t.sentence }}")
    para(doc, "{{ t.movement_sentence }}")
    chart = para(doc, "{{ t.chart }}")
    chart.alignment = WD_ALIGN_PARAGRAPH.CENTER
    loop_table(
        doc,
        "c in t.counts",
        [
            ("Status", 4.0, status_cell("c")),
            ("This period", 3.5, "{{ c.now }}"),
            ("Previous period", 3.5, "{{ c.before }}"),
            ("Change", 3.5, "{{ c.change }}"),
        ],
        caption="{{ t.name }}: status counts",
        description="Actions at each status this period and last period.",
    )
    para(doc, "Achievements this period", "Heading 2")
    control(doc, "{%p if t.achievements %}")
    loop_table(
        doc,
        "r in t.achievements",
        [
            ("Ref", 2.3, "{{r r.ref }}"),
            ("Action", 5.7, "{{r r.description }}"),
            ("Completed", 2.2, "{{r r.completed }}"),
            ("Update", 7.8, "{{r r.progress }}"),
        ],
        caption="{{ t.name }}: achievements this period",
        description="Actions completed in the period with their updates.",
    )
    control(doc, "{%p else %}")
    para(doc, "No actions in this theme were completed in the period.")
    control(doc, "{%p endif %}")
    para(doc, "Progress issues", "Heading 2")
    control(doc, "{%p if t.issues %}")
    loop_table(
        doc,
        "r in t.issues",
        [
            ("Ref", 2.3, "{{r r.ref }}"),
            ("Action", 4.2, "{{r r.description }}"),
            ("Status", 2.0, status_cell("r.status")),
            ("Exception reason", 4.3, "{{r r.exception }}"),
            ("Progress update", 5.2, "{{r r.progress }}"),
        ],
        caption="{{ t.name }}: progress issues",
        description="Actions rated Red or Amber with their exception reasons.",
    )
    control(doc, "{%p else %}")
    para(doc, "No actions in this theme are rated Red or Amber.")
    control(doc, "{%p endif %}")
    control(doc, "{%p endfor %}")
    return doc


def statutory_recommendations() -> Document:
    doc = new_document(landscape=False, appendix="Statutory Recommendations")
    title(doc, "Statutory Recommendations")
    para(doc, "{{ intro }}")
    control(doc, "{%p for s in recs %}")
    para(doc, "{{ s.rec_id }}", "Heading 1")
    para(doc, "{{ s.recommendation }}")
    para(doc, "Director / Lead: {{ s.lead }}")
    para(doc, "{{ s.sentence }}")
    control(doc, "{%p for t in s.themes %}")
    para(doc, "{{ t.name }}", "Heading 2")
    control(doc, "{%p if t.actions %}")
    para(doc, "{{ t.sentence }}")
    loop_table(
        doc,
        "r in t.actions",
        [
            ("Ref", 2.3, "{{r r.ref }}"),
            ("Action", 5.2, "{{r r.description }}"),
            ("Status", 2.1, status_cell("r.status")),
            ("Progress update", 8.4, "{{r r.progress }}"),
        ],
        caption="{{ s.rec_id }}, {{ t.name }}: linked actions",
        description="Actions linked to the recommendation in this theme, with status and progress update.",
    )
    control(doc, "{%p if t.milestones %}")
    para(doc, "Milestones", "Heading 3")
    loop_table(
        doc,
        "m in t.milestones",
        [
            ("Milestone", 8.6, "{{r m.milestone }}"),
            ("Action ref", 2.4, "{{r m.ref }}"),
            ("Due date", 2.4, "{{r m.due }}"),
            ("Complete?", 4.6, "{{r m.status }}"),
        ],
        caption="{{ s.rec_id }}, {{ t.name }}: milestones",
        description="Milestones of the linked actions, each marked Complete or Not complete.",
    )
    control(doc, "{%p endif %}")
    control(doc, "{%p else %}")
    para(doc, "No actions in this theme.")
    control(doc, "{%p endif %}")
    control(doc, "{%p endfor %}")
    control(doc, "{%p endfor %}")
    control(doc, "{%p if not recs %}")
    para(doc, "The plan has no statutory recommendations.")
    control(doc, "{%p endif %}")
    return doc


def review_responses() -> Document:
    doc = new_document(landscape=True, appendix="External Review Recommendation Responses")
    title(doc, "External Review Recommendation Responses")
    para(doc, "{{ intro }}")
    control(doc, "{%p for g in reviews %}")
    para(doc, "{{ g.name }}", "Heading 1")
    control(doc, "{%p for a in g.areas %}")
    para(doc, "{{ a.name }}", "Heading 2")
    loop_table(
        doc,
        "r in a.rows",
        [
            ("Number", 2.2, "{{r r.rec_id }}"),
            ("Recommendation", 7.6, "{{r r.recommendation }}"),
            ("Action ref", 2.8, "{{r r.refs }}"),
            ("Latest update", 9.9, "{{r r.progress }}"),
            ("Director / Lead", 4.2, "{{r r.lead }}"),
        ],
        caption="{{ g.name }}, {{ a.name }}: responses",
        description="Each recommendation with the actions that answer it, their latest updates and the lead.",
    )
    control(doc, "{%p endfor %}")
    control(doc, "{%p endfor %}")
    control(doc, "{%p if not reviews %}")
    para(doc, "The plan lists no external review recommendations.")
    control(doc, "{%p endif %}")
    return doc


def changes() -> Document:
    doc = new_document(landscape=True, appendix="Changes to the Plan")
    title(doc, "Changes to the Plan")
    para(doc, "{{ intro }}")
    para(doc, "Summary of changes", "Heading 1")
    control(doc, "{%p for s in summary %}")
    para(doc, "{{ s }}", "List Bullet")
    control(doc, "{%p endfor %}")
    control(doc, "{%p if not summary %}")
    para(doc, "No changes were made to the plan in the period.")
    control(doc, "{%p endif %}")
    para(doc, "Change log", "Heading 1")
    control(doc, "{%p if log %}")
    loop_table(
        doc,
        "r in log",
        [
            ("Date", 2.2, "{{r r.date }}"),
            ("Ref", 2.4, "{{r r.ref }}"),
            ("Change type", 3.4, "{{r r.change_type }}"),
            ("Old value", 4.1, "{{r r.old_value }}"),
            ("New value", 4.1, "{{r r.new_value }}"),
            ("Reason", 6.5, "{{r r.reason }}"),
            ("Approved by", 4.0, "{{r r.approved_by }}"),
        ],
        caption="Change log for the period",
        description="Each change made to the plan in the period: date, ref, type, old and new value, reason and approval.",
    )
    control(doc, "{%p else %}")
    para(doc, "The change log has no entries for the period.")
    control(doc, "{%p endif %}")
    para(doc, "Status changes since the previous period", "Heading 1")
    control(doc, "{%p if movements %}")
    loop_table(
        doc,
        "r in movements",
        [
            ("Ref", 2.4, "{{r r.ref }}"),
            ("Action", 11.3, "{{r r.description }}"),
            ("Previous status", 3.0, status_cell("r.before")),
            ("Current status", 3.0, status_cell("r.after")),
            ("Movement", 7.0, "{{r r.movement }}"),
        ],
        caption="Status changes since the previous period",
        description="Actions whose status changed since the previous period.",
    )
    control(doc, "{%p else %}")
    para(doc, "{{ movements_note }}")
    control(doc, "{%p endif %}")
    return doc


def risk_register() -> Document:
    doc = new_document(landscape=True, appendix="Risk Register")
    title(doc, "Risk Register")
    para(doc, "{{ intro }}")
    para(doc, "Rating key", "Heading 1")
    loop_table(
        doc,
        "b in bands",
        [("Rating", 3.0, status_cell("b")), ("Scores", 6.0, "{{ b.meaning }}")],
        caption="Risk rating key",
        description="Each rating and the range of scores (likelihood times impact) it covers.",
    )
    para(doc, "Risks", "Heading 1")
    control(doc, "{%p if risks %}")
    loop_table(
        doc,
        "r in risks",
        [
            ("Risk ref", 1.7, "{{r r.ref }}"),
            ("Risk", 5.2, "{{r r.risk }}"),
            ("Owner", 2.9, "{{r r.owner }}"),
            ("Likelihood", 2.0, "{{r r.likelihood }}"),
            ("Impact", 1.6, "{{r r.impact }}"),
            ("Score", 1.4, "{{r r.score }}"),
            ("Rating", 2.0, status_cell("r.rating")),
            ("Mitigations", 5.5, "{{r r.mitigations }}"),
            ("Target", 2.4, "{{r r.target }}"),
            ("Direction", 2.0, "{{r r.direction }}"),
        ],
        caption="Improvement Plan risk register",
        description="Each risk with likelihood, impact, score, rating, mitigations, target and direction of travel.",
    )
    control(doc, "{%p else %}")
    para(doc, "The risk register has no risks.")
    control(doc, "{%p endif %}")
    return doc


#: Appendix name (its file stem) -> builder, in committee order (report section 13).
TEMPLATES = {
    "monitoring-tool": monitoring_tool,
    "theme-summary": theme_summary,
    "statutory-recommendations": statutory_recommendations,
    "review-responses": review_responses,
    "changes": changes,
    "risk-register": risk_register,
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
