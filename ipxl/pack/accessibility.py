"""Accessibility checks on a Word document, as published committee papers need them.

:func:`check_docx` reads the package XML directly (lxml, no python-docx), so checking a
5,000-row appendix takes a fraction of a second. It returns a list of problems, each
one plain sentence; an empty list means the document passed.

Checked:
- every table's first row is a header row that repeats on each page (``w:tblHeader``),
  and no row may split across pages (``w:cantSplit`` on every row);
- no merged cells in tables (``w:gridSpan`` > 1, ``w:vMerge``, ``w:hMerge``);
- every picture has alt text (``wp:docPr/@descr``);
- headings use Word's Heading styles in order, starting at Heading 1 and never
  skipping a level;
- the document has a title (core properties) and a language (core properties or the
  default run language in styles);
- no text is smaller than 10 pt (the styles and any size set on a run), and the
  heading styles keep with the next paragraph;
- colour never carries meaning alone: every shaded table cell holds text, and every
  table row with text in the new-row red also holds the word ``New``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from .. import defaults as D

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NS = {
    "w": W,
    "wp": WP,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_W = f"{{{W}}}"
_HEADING = re.compile(r"^heading\s*([1-9])$", re.I)
_NO_FILL = {"", "auto", "FFFFFF", "NONE"}
_OFF = {"0", "false", "off"}


def check_docx(path: str | Path) -> list[str]:
    """Problems that make the .docx at ``path`` inaccessible; empty when it passes."""
    path = Path(path)
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        body = etree.fromstring(zf.read("word/document.xml"))
        styles = etree.fromstring(zf.read("word/styles.xml")) if "word/styles.xml" in names else None
        core = etree.fromstring(zf.read("docProps/core.xml")) if "docProps/core.xml" in names else None

    # One walk over the paragraph styles serves the heading order and the sizes.
    paragraph_styles = [(el, el.get(_W + "val")) for el in body.iter(_W + "pStyle")]
    problems: list[str] = []
    problems += _tables(body)
    problems += _pictures(body)
    problems += _headings(paragraph_styles, styles)
    problems += _title_and_language(core, styles)
    problems += _sizes(body, styles, {v for _, v in paragraph_styles})
    return problems


# ------------------------------------------------------------------------- tables


def _on(el) -> bool:
    return el is not None and el.get(_W + "val", "true").lower() not in _OFF


def _text(el) -> str:
    return "".join(el.itertext()).strip() if el is not None else ""


def _cell_text(tc) -> str:
    return " ".join(t.text or "" for t in tc.iter(_W + "t")).strip()


def _tables(body) -> list[str]:
    # XPath does the walking (in C): a 5,000-row table is checked in milliseconds.
    problems: list[str] = []
    red = D.NEW_ROW_RED.upper()
    shaded_q = etree.XPath(
        "./w:tr/w:tc[w:tcPr/w:shd[@w:fill and @w:fill!='auto' and @w:fill!='FFFFFF' and @w:fill!='ffffff']]",
        namespaces=NS,
    )
    splittable_q = etree.XPath("./w:tr[not(w:trPr/w:cantSplit)]", namespaces=NS)
    red_q = etree.XPath(f"./w:tr[position() > 1][.//w:color[@w:val='{red}' or @w:val='{red.lower()}']]", namespaces=NS)
    for n, tbl in enumerate(body.iter(_W + "tbl"), start=1):
        caption_el = tbl.find(f"{_W}tblPr/{_W}tblCaption")
        name = f"Table {n}" + (f" ({caption_el.get(_W + 'val')})" if caption_el is not None else "")
        first = tbl.find(_W + "tr")
        if first is None:
            problems.append(f"{name} has no rows.")
            continue
        if not _on(first.find(f"{_W}trPr/{_W}tblHeader")):
            problems.append(f"{name}: the first row is not set to repeat as a header row on each page.")
        loose = splittable_q(tbl)
        if loose:
            problems.append(
                f"{name} has {len(loose)} rows that may split across pages; untick 'Allow row to break across pages'."
            )
        if _merged(tbl):
            problems.append(f"{name} has merged cells; data tables must have one value per cell.")
        unlabelled = sum(1 for tc in shaded_q(tbl) if not _cell_text(tc))
        if unlabelled:
            problems.append(
                f"{name} has {unlabelled} shaded cell(s) with no text; colour must not be the only carrier of meaning."
            )
        red_without_new = sum(
            1 for tr in red_q(tbl) if not re.search(r"\bNew\b", " ".join(t.text or "" for t in tr.iter(_W + "t")))
        )
        if red_without_new:
            problems.append(
                f"{name} has {red_without_new} row(s) in red without the word New; colour must not be the only "
                "carrier of meaning."
            )
    return problems


def _merged(tbl) -> bool:
    """Whether a cell of ``tbl`` itself (not of a table inside one of its cells) spans
    columns or rows. Merge marks are rare, so they are found by walking the table in C
    and only those found are placed."""
    for mark in tbl.iter(_W + "gridSpan", _W + "vMerge", _W + "hMerge"):
        if mark.tag == _W + "gridSpan" and mark.get(_W + "val", "1") == "1":
            continue
        tc_pr = mark.getparent()
        tc = tc_pr.getparent() if tc_pr is not None and tc_pr.tag == _W + "tcPr" else None
        tr = tc.getparent() if tc is not None and tc.tag == _W + "tc" else None
        if tr is not None and tr.tag == _W + "tr" and tr.getparent() is tbl:
            return True
    return False


# ----------------------------------------------------------------------- pictures


def _pictures(body) -> list[str]:
    missing = [
        doc_pr.get("name") or doc_pr.get("id") or "?"
        for doc_pr in body.iter(f"{{{WP}}}docPr")
        if not (doc_pr.get("descr") or "").strip()
    ]
    if missing:
        return [f"{len(missing)} picture(s) have no alt text ({', '.join(missing[:5])})."]
    return []


# ----------------------------------------------------------------------- headings


def _heading_levels(styles) -> dict[str, int]:
    """styleId -> heading level, from the style names (Heading 1 ... Heading 9)."""
    levels: dict[str, int] = {}
    if styles is None:
        return {f"Heading{i}": i for i in range(1, 10)}
    for st in styles.iter(_W + "style"):
        name_el = st.find(_W + "name")
        name = name_el.get(_W + "val") if name_el is not None else ""
        m = _HEADING.match(name or "")
        if m:
            levels[st.get(_W + "styleId")] = int(m.group(1))
    return levels


def _headings(paragraph_styles: list[tuple[Any, str | None]], styles) -> list[str]:
    """Heading order, from each ``w:pStyle`` element of the body with its style id."""
    levels = _heading_levels(styles)
    problems: list[str] = []
    previous = 0
    if not levels:
        return problems
    for style, style_id in paragraph_styles:
        level = levels.get(style_id or "")
        ppr = style.getparent()
        if level is None or ppr.tag != _W + "pPr" or ppr.getparent().tag != _W + "p":
            continue
        p = ppr.getparent()
        text = "".join(t.text or "" for t in p.iter(_W + "t")).strip()
        if not text:
            problems.append(f"An empty Heading {level} paragraph; give it text or change its style.")
        if level > previous + 1:
            was = f"Heading {previous}" if previous else "the start of the document"
            problems.append(f"Heading {level} {text[:60]!r} follows {was}; heading levels must not be skipped.")
        previous = level
    return problems


# ---------------------------------------------------------------- title, language


def _title_and_language(core, styles) -> list[str]:
    problems: list[str] = []
    title = _text(core.find("dc:title", NS)) if core is not None else ""
    if not title:
        problems.append("The document has no title (File > Info > Properties > Title).")
    language = _text(core.find("dc:language", NS)) if core is not None else ""
    if not language and styles is not None:
        lang = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}lang")
        language = lang.get(_W + "val", "") if lang is not None else ""
    if not language:
        problems.append("The document has no language set (Review > Language, and File > Properties).")
    return problems


# -------------------------------------------------------------------- text sizes

#: The smallest text a published paper may use, in half-points (10 pt).
MIN_SIZE = 20


def _sizes(body, styles, used_ids: set[str | None]) -> list[str]:
    problems = []
    small_runs = sum(
        1
        for sz in body.iter(_W + "sz")
        if (sz.get(_W + "val") or "99").isdigit() and int(sz.get(_W + "val")) < MIN_SIZE
    )
    if small_runs:
        problems.append(f"{small_runs} run(s) of text smaller than 10 pt.")
    if styles is None:
        return problems
    for st in styles.iter(_W + "style"):
        if st.get(_W + "type") != "paragraph":
            continue
        name_el = st.find(_W + "name")
        name = name_el.get(_W + "val") if name_el is not None else st.get(_W + "styleId")
        used = st.get(_W + "default") == "1" or st.get(_W + "styleId") in used_ids
        sz = st.find(f"{_W}rPr/{_W}sz")
        if used and sz is not None and (sz.get(_W + "val") or "99").isdigit() and int(sz.get(_W + "val")) < MIN_SIZE:
            problems.append(f"The {name} style is text smaller than 10 pt.")
        if used and _HEADING.match(name or "") and not _on(st.find(f"{_W}pPr/{_W}keepNext")):
            problems.append(f"The {name} style does not keep with the next paragraph, so a heading can end a page.")
    return problems
