"""Word rendering: docxtpl templates filled with text that stays text.

Values go in as text only: every value is passed as a plain string (autoescaped by
Jinja) or as a :class:`Rich` built here (which escapes its text), so ``&``, ``<``,
quotes, ``{{ x }}`` or ``{% if %}`` typed in a cell appear literally and never become
template source.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import traceback
from pathlib import Path

from .. import defaults as D
from ..colour import text_colour_on
from ..errors import TemplateError
from ..xlsx.safe_write import atomic_write
from .text import clean

NEW_WORD = "New"
NOT_GIVEN = "Not given"


def _jinja_env():
    from jinja2 import Environment, StrictUndefined

    # StrictUndefined: a misspelt tag in an officer's edited template is an error
    # naming the tag, not a silently empty cell.
    return Environment(autoescape=True, undefined=StrictUndefined)


@functools.cache
def _template_class():
    from docx.oxml import OxmlElement, parse_xml
    from docxtpl import DocxTemplate
    from lxml import etree

    class Template(DocxTemplate):
        """docxtpl with three costs removed for big plans (same output)."""

        def build_xml(self, context, jinja_env=None):
            src = self.get_xml()
            self._column_tags = bool(re.search(r"\{%-?\s*(tc|colspan|hm)\b", src))
            return super().build_xml(context, jinja_env)

        def fix_tables(self, xml):
            # Only column loops and colspan change a table's grid; without them the
            # walk over every row is wasted.
            if getattr(self, "_column_tags", True):
                return super().fix_tables(xml)
            return etree.fromstring(xml, parser=etree.XMLParser(recover=True, huge_tree=True))

        def resolve_listing(self, xml):
            # Values arrive with breaks and tabs already as w:br/w:tab (see Rich);
            # only text with control characters needs docxtpl's pass.
            if not any(c in xml for c in "\n\t\a\f"):
                return xml
            return super().resolve_listing(xml)

        def map_tree(self, tree):
            # lxml's replace() of a large tree parsed elsewhere takes minutes for
            # 5,000 rows; serialising and parsing the whole document once takes 0.3 s.
            root = self.docx._element
            body = root.body
            root.replace(body, OxmlElement("w:body"))
            head, found, tail = etree.tostring(root, encoding="unicode").partition("<w:body/>")
            if not found:
                root.replace(root.body, body)
                return super().map_tree(tree)
            new_root = parse_xml(head + etree.tostring(tree, encoding="unicode") + tail)
            part = self.docx._part
            part._element = new_root
            self.docx._element = new_root
            self.docx._Document__body = None

    return Template


def render_one(name: str, source: Path, target: Path, plan) -> Path:
    from jinja2 import TemplateError as JinjaError

    cls = _template_class()
    try:
        tpl = cls(source)
        tpl.init_docx()
    except Exception as exc:
        raise TemplateError(
            f"Template {source.name} cannot be opened as a Word document ({type(exc).__name__}); "
            "restore it (python report_templates/build_templates.py rebuilds the defaults)."
        ) from None
    context = plan.context(name, tpl)
    try:
        tpl.render(context, _jinja_env(), autoescape=True)
    except JinjaError as exc:
        raise TemplateError(_template_message(tpl, source, exc)) from None
    except Exception as exc:  # an edited template whose XML the tags no longer fit
        raise TemplateError(
            f"Template {source.name} could not be filled ({type(exc).__name__}: {str(exc)[:120]}); "
            "check that each {%tr %}, {%p %} tag pair is intact, or restore the template."
        ) from None
    _finish(tpl, plan)
    return atomic_write(target, tpl.save)


def _finish(tpl, plan) -> None:
    """Core properties from what was rendered: the title is the Title paragraph."""
    doc = tpl.docx
    title = next((p.text.strip() for p in doc.paragraphs if p.style is not None and p.style.name == "Title"), "")
    props = doc.core_properties
    props.title = title or f"{plan.settings.plan_title} appendix, {plan.settings.period}".strip()
    if not props.language:
        props.language = "en-GB"
    now = dt.datetime.now().replace(microsecond=0)
    props.modified = now
    props.created = now
    props.last_modified_by = "ipxl"


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


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class Rich:
    """Runs of text for a ``{{r x }}`` tag, like docxtpl's ``RichText`` but lighter
    (tens of thousands are made for a big plan). Text is XML-escaped here, line breaks
    and tabs become ``w:br``/``w:tab`` so docxtpl need not post-process them."""

    __slots__ = ("xml",)

    def __init__(self, text: str = "", colour: str | None = None, bold: bool = False):
        self.xml = ""
        if text:
            self.add(text, colour, bold)

    def add(self, text: str, colour: str | None = None, bold: bool = False) -> Rich:
        if not text:
            return self
        props = (f'<w:color w:val="{colour}"/>' if colour else "") + ("<w:b/><w:bCs/>" if bold else "")
        body = (
            text.translate(_ESCAPES)
            .replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
            .replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">')
        )
        self.xml += (
            f'<w:r>{"<w:rPr>" + props + "</w:rPr>" if props else ""}<w:t xml:space="preserve">{body}</w:t></w:r>'
        )
        return self

    def __html__(self) -> str:
        return self.xml or '<w:r><w:t xml:space="preserve"></w:t></w:r>'

    __str__ = __html__


def rich(*parts: tuple[str, bool] | str, colour: str | None = None) -> Rich:
    """Runs from text parts; ``(text, True)`` parts are bold."""
    rt = Rich()
    for part in parts:
        text, bold = (part, False) if isinstance(part, str) else part
        rt.add(text, colour, bold)
    return rt


def cell(text, new: bool = False):
    """One table cell's text, red when the row is new this period."""
    return rich(clean(text), colour=D.NEW_ROW_RED if new else None)


def ref_cell(ref, new: bool, *notes: str):
    """The ref cell: the ref, then ``New`` (bold) when new this period, then notes."""
    parts: list = [clean(ref)]
    if new:
        parts.append(("\n" + NEW_WORD, True))
    for n in notes:
        if n:
            parts.append("\n" + n)
    return rich(*parts, colour=D.NEW_ROW_RED if new else None)


class Shade:
    """A shaded cell: ``fill`` for ``{% cellbg %}`` and ``word`` (RichText in black or
    white) so the meaning is never carried by colour alone."""

    __slots__ = ("fill", "meaning", "name", "word")

    def __init__(self, name: str, fill: str | None, meaning: str = ""):
        self.name = name or NOT_GIVEN
        self.fill = fill or "FFFFFF"
        self.word = rich((self.name, True), colour=text_colour_on(self.fill))
        self.meaning = meaning


# ======================================================================== charts


def charts(tpl, themes: list[dict], plan) -> list:
    """One small bar chart per theme (open actions by status) as an inline image whose
    alt text states the counts; empty strings when Pillow is not installed (the counts
    table beside it carries the same numbers)."""
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        return ["" for _ in themes]
    from docx.shared import Mm

    font = ImageFont.load_default(size=24)
    out = []
    for t in themes:
        data = [(c["name"], int(c["now"])) for c in t["counts"]]
        png = _bar_chart(Image, ImageDraw, font, data, plan)
        alt = f"Bar chart of {t['name']} open actions by status: " + ", ".join(f"{n} {name}" for name, n in data) + "."
        out.append(_AltImage(tpl, png, width=Mm(110), alt=alt))
    return out


def _bar_chart(Image, ImageDraw, font, data: list[tuple[str, int]], plan) -> io.BytesIO:
    """A horizontal bar chart drawn with Pillow (fast: no plotting library to load):
    status names on the left, one bar per status in its Lists colour, the count at the
    end of each bar."""
    width, row_h, top, bottom = 1300, 46, 16, 20
    label_w = 40 + max((int(font.getlength(name)) for name, _ in data), default=100)
    bar_max = width - label_w - 120
    height = top + bottom + row_h * len(data)
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    biggest = max((n for _, n in data), default=0) or 1
    for i, (name, n) in enumerate(data):
        y = top + i * row_h
        draw.text((label_w - 20, y + row_h / 2), name, fill="black", font=font, anchor="rm")
        length = round(bar_max * n / biggest)
        if length:
            draw.rectangle(
                [label_w, y + 7, label_w + length, y + row_h - 7],
                fill="#" + plan.shade(name).fill,
                outline="#404040",
                width=2,
            )
        draw.text((label_w + length + 12, y + row_h / 2), str(n), fill="black", font=font, anchor="lm")
    draw.line([label_w, top, label_w, height - bottom], fill="#404040", width=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(300, 300))
    buf.seek(0)
    return buf


@functools.cache
def _alt_image_class():
    from docxtpl import InlineImage

    class AltImage(InlineImage):
        """An InlineImage whose ``wp:docPr`` carries alt text (``descr``)."""

        def __init__(self, tpl, image_descriptor, width=None, height=None, alt: str = ""):
            super().__init__(tpl, image_descriptor, width=width, height=height)
            self.alt = alt

        def _insert_image(self):
            inline = self.tpl.current_rendering_part.new_pic_inline(self.image_descriptor, self.width, self.height)
            doc_pr = inline.docPr
            doc_pr.set("descr", self.alt)
            doc_pr.set("title", self.alt.split(":")[0])
            return f'</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r><w:t xml:space="preserve">'

    return AltImage


def _AltImage(tpl, buf, *, width, alt):
    return _alt_image_class()(tpl, buf, width=width, alt=alt)
