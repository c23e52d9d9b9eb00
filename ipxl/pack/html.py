"""The HTML renderer: the pack as a small static website, from the same
:class:`~ipxl.pack.model.Document` objects the Word renderer draws.

``DIR/html/index.html`` holds the covering report (when the pack has one) and the
numbered list of appendices; each appendix is a page of its own with the same title
and number as its Word file. The pages are plain semantic HTML from Jinja2 templates
in ``report_templates/html/`` with autoescaping on, one stylesheet beside them (no
script, no web font, nothing fetched from elsewhere): skip link, landmarks, one ``h1``
a page and headings in order, real tables with captions and scoped header cells,
statuses as words on their colour (contrast computed), new rows red and marked New,
charts as inline SVG with a text alternative and the same numbers in a table. It
reads at 320 px wide (wide tables scroll inside their own region) and prints with
repeating table headers and no split rows.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from .. import defaults as D
from ..xlsx.safe_write import write_bytes
from ..xlsx.xml import xml_text
from .model import Block, Chart, Document, Paragraph, Picture, Section, Status, Table, Text, column_shares

STYLESHEET = "ipxl.css"


@dataclass(frozen=True)
class Link:
    """An entry of the pages' navigation and of the index's list of appendices."""

    href: str
    label: str  #: "Appendix 1"
    title: str


def render_site(
    documents: Iterable[Document],
    out_dir: Path,
    templates: Path,
    *,
    reports: Iterable[Document] = (),
    supplied: Iterable[tuple[str, str, Path]] = (),
) -> list[Path]:
    """Write the pages into ``out_dir`` (created): ``index.html`` (the committee
    reports and the appendices, listed), one page per report and per appendix, and
    the stylesheet; ``supplied`` files (number, title, path: a Word or PDF appendix
    the officer provides) are copied beside the pages and listed. Returns the paths
    written, index first."""
    docs = list(documents)
    papers = list(reports)
    out_dir.mkdir(parents=True, exist_ok=True)
    env = _env(templates)
    links: list[tuple[str, Link]] = [(d.number, Link(d.html_name, d.label, d.title)) for d in docs]
    for number, title, path in supplied:
        name = f"appendix-{number.lower().replace(' ', '-')}{path.suffix.lower()}"
        shutil.copyfile(path, out_dir / name)
        kind = "PDF" if path.suffix.lower() == ".pdf" else "Word document"
        links.append((number, Link(name, f"Appendix {number}", f"{title} ({kind})")))
    links.sort(key=lambda pair: _order(pair[0]))
    appendices = [link for _, link in links]
    report_links = [Link(d.html_name, d.title, d.dated) for d in papers]
    nav = report_links + appendices
    everything = [*papers, *docs]
    council = next((d.council for d in everything if d.council), "")
    draft = next((d.draft for d in everything if d.draft), "")
    approval = next((d.approval for d in everything if d.approval), "")
    title = _pack_title(everything)
    written = []
    index = env.get_template("index.html").render(title=title, reports=report_links, appendices=appendices,
                                                  council=council, css=STYLESHEET, nav=nav, draft=draft,
                                                  approval=approval)  # fmt: skip
    written.append(_write(out_dir / "index.html", index))
    for d in everything:
        page = env.get_template("page.html").render(doc=d, nav=nav, council=d.council, css=STYLESHEET, render=_Blocks(),
                                                    draft=d.draft, approval=d.approval)  # fmt: skip
        written.append(_write(out_dir / d.html_name, page))
    css = env.get_template(STYLESHEET).render(red=D.NEW_ROW_RED, header_fill=D.HEADER_FILL, header_font=D.HEADER_FONT)
    written.append(_write(out_dir / STYLESHEET, css))
    for d in docs:  # pictures an appendix shows travel with its page
        for _, b in d.walk():
            if isinstance(b, Picture) and not (out_dir / b.path.name).exists():
                shutil.copyfile(b.path, out_dir / b.path.name)
    return written


def _pack_title(docs: list[Document]) -> str:
    """The index page's title: "Improvement Plan Progress: committee papers for
    October 2023" (the reports' subject, when there are reports)."""
    period = next((d.period for d in docs if d.period), "")
    subject = next((d.name.split(" - ")[0] for d in docs if d.key == "report" and d.name), "")
    title = f"{subject}: committee papers" if subject else "Committee papers"
    return f"{title} for {period}" if period else title


def _order(number: str):
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


def _write(path: Path, text: str) -> Path:
    # characters HTML (like XML) does not allow, typed in a cell, are dropped
    data = xml_text(text).encode("utf-8")
    return write_bytes(path, data)


def _env(templates: Path):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


# ====================================================================== the blocks


class _Blocks:
    """Renders blocks to HTML for the templates. Every value is escaped here with
    :func:`markupsafe.escape` before it is joined into markup."""

    def __init__(self) -> None:
        self._n = 0

    def _id(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}-{self._n}"

    def __call__(self, blocks: list[Block], level: int = 2) -> Markup:
        parts: list[str] = []
        sections = itertools.count(1)
        for b in _grouped(blocks):
            # the page's own sections (h2) carry the anchors its contents list links
            # to, and the list stands before the first of them, after the page's
            # opening (a report's front sheet, an appendix's introduction)
            anchor = f"part-{next(sections)}" if level == 2 and isinstance(b, Section) else None
            if anchor == "part-1":
                parts.append(self.contents(blocks))
            parts.append(self.block(b, level, anchor))
        return Markup("\n".join(parts))

    def contents(self, blocks: list[Block]) -> Markup:
        """A list of links to the page's sections, for a page of at least
        :data:`CONTENTS_FROM` of them (a phone stacks a long appendix into many
        screens of cards); empty otherwise."""
        parts = [b for b in blocks if isinstance(b, Section)]
        if len(parts) < CONTENTS_FROM:
            return Markup("")
        items = "".join(f'<li><a href="#part-{n}">{escape(b.title)}</a></li>' for n, b in enumerate(parts, 1))
        return Markup(
            '<nav class="contents" aria-labelledby="contents-title"><h2 id="contents-title">Contents</h2>'
            f"<ul>{items}</ul></nav>"
        )

    def block(self, b, level: int, anchor: str | None = None) -> str:
        if isinstance(b, Section):
            h = min(level, 6)
            at = f' id="{anchor}"' if anchor else ""
            return f"<section><h{h}{at}>{escape(b.title)}</h{h}>\n{self(b.blocks, level + 1)}</section>"
        if isinstance(b, list):  # consecutive bullets, their points nested
            return _list(b)
        if isinstance(b, Paragraph):
            classes = [b.kind] if b.kind in ("lead", "item", "label") else []
            number = ""
            if b.number:
                classes.append("numbered")
                number = f'<span class="para-no">{escape(b.number)}</span> '
            cls = f' class="{" ".join(classes)}"' if classes else ""
            if number:  # the number and the text are the paragraph's two columns
                return f"<p{cls}>{number}<span>{text(b.text)}</span></p>"
            return f"<p{cls}>{text(b.text)}</p>"
        if isinstance(b, Table):
            return self.table(b)
        if isinstance(b, Chart):
            return self.chart(b) + self.table(b.table)
        if isinstance(b, Picture):
            return f'<figure class="picture"><img src="{escape(b.path.name)}" alt="{escape(b.alt)}"></figure>'
        return ""

    def table(self, t: Table) -> str:
        """A table that scrolls in its own region on a narrow screen wider than it,
        and at phone width stacks each row into a card with each value labelled by its
        header (the ARIA roles keep it a table for screen readers once CSS has
        changed how it is laid out)."""
        cap = self._id("table")
        shares = column_shares(t)
        cols = "".join(f'<col style="width:{100 * share:.1f}%">' for share in shares)
        head = "".join(f'<th scope="col" role="columnheader">{escape(c.header)}</th>' for c in t.columns)
        rows = []
        for r in t.rows:
            cells = []
            for value, col in zip(r.cells, t.columns):
                label = f' data-label="{escape(col.header)}"'
                if isinstance(value, Status):
                    cells.append(
                        f'<td role="cell" class="status"{label} style="background-color:#{value.fill};'
                        f'color:#{value.ink}">{escape(value.word)}</td>'
                    )
                    continue
                tag, role = ("th", "rowheader") if col.row_header else ("td", "cell")
                scope = ' scope="row"' if col.row_header else ""
                cls = ' class="num"' if col.numeric else ""
                cells.append(f'<{tag}{scope} role="{role}"{cls}{label}>{text(value)}</{tag}>')
            new = ' class="new"' if r.new else ""
            rows.append(f'<tr role="row"{new}>{"".join(cells)}</tr>')
        return (
            f'<div class="table-scroll" role="region" aria-labelledby="{cap}" tabindex="0">'
            f'<table role="table"><caption id="{cap}">{escape(t.caption)}</caption><colgroup>{cols}</colgroup>'
            f'<thead role="rowgroup"><tr role="row">{head}</tr></thead>'
            f'<tbody role="rowgroup">{"".join(rows)}</tbody></table></div>'
        )

    def chart(self, c: Chart) -> str:
        """A horizontal bar chart as inline SVG: the label, the bar in the status
        colour outlined in dark grey, the count at its end."""
        title_id, desc_id = self._id("chart-title"), self._id("chart-desc")
        row, top, label_w, bar_w = 30, 8, 130, 380
        height = top * 2 + row * len(c.bars)
        biggest = max((v for _, v, _ in c.bars), default=0) or 1
        parts = [
            f'<svg class="bars" viewBox="0 0 {label_w + bar_w + 50} {height}" role="img" '
            f'aria-labelledby="{title_id} {desc_id}" focusable="false">',
            f'<title id="{title_id}">{escape(c.title)}</title><desc id="{desc_id}">{escape(c.alt)}</desc>',
        ]
        for i, (label, value, colour) in enumerate(c.bars):
            y = top + i * row
            length = round(bar_w * value / biggest)
            parts.append(
                f'<text x="{label_w - 8}" y="{y + row / 2}" text-anchor="end" dominant-baseline="middle">{escape(label)}</text>'
            )
            if length:
                parts.append(
                    f'<rect x="{label_w}" y="{y + 5}" width="{length}" height="{row - 10}" fill="#{escape(colour)}" '
                    'stroke="#404040" stroke-width="1.5"/>'
                )
            parts.append(
                f'<text x="{label_w + length + 6}" y="{y + row / 2}" dominant-baseline="middle">{int(value)}</text>'
            )
        parts.append(f'<line x1="{label_w}" y1="{top}" x2="{label_w}" y2="{height - top}" stroke="#404040"/></svg>')
        return f'<figure class="chart"><figcaption>{escape(c.title)}</figcaption>{"".join(parts)}</figure>'


#: The sections a page has before it opens with a list of links to them.
CONTENTS_FROM = 4


def _grouped(blocks: list[Block]) -> list:
    """Blocks with each run of bullet paragraphs (and the points under them)
    gathered into one list."""
    out: list = []
    for b in blocks:
        if isinstance(b, Paragraph) and b.kind in ("bullet", "bullet2"):
            if out and isinstance(out[-1], list):
                out[-1].append(b)
            else:
                out.append([b])
        else:
            out.append(b)
    return out


def _list(items: list[Paragraph]) -> str:
    """A bulleted list, each bullet's points (``bullet2``) a list inside its item."""
    html: list[str] = []
    points: list[str] = []

    def close_points() -> None:
        if points:
            html[-1] = html[-1].removesuffix("</li>") + "<ul>" + "".join(points) + "</ul></li>"
            points.clear()

    for p in items:
        if p.kind == "bullet2" and html:
            points.append(f"<li>{text(p.text)}</li>")
            continue
        close_points()
        html.append(f"<li>{text(p.text)}</li>")
    close_points()
    return "<ul>" + "".join(html) + "</ul>"


def text(t: Text) -> str:
    """Runs as escaped HTML: line breaks as ``<br>``, bold as ``<strong>``."""
    out = []
    for s in t.spans:
        # the space keeps words apart for text extraction; a browser does not show it
        body = str(escape(s.text)).replace("\n", " <br>")
        out.append(f"<strong>{body}</strong>" if s.bold else body)
    return "".join(out)
