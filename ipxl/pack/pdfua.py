"""Structural checks of a PDF against the parts of PDF/UA-1 (ISO 14289-1) and the
Matterhorn Protocol a program can decide, read with pikepdf.

:func:`check_pdf` returns one plain sentence per problem (empty: it passed):

- metadata: XMP with ``dc:title``, ``pdfuaid:part`` 1 and ``dc:language``; the
  catalog's ``/Lang``; ``/MarkInfo /Marked``; ``/ViewerPreferences /DisplayDocTitle``;
- structure: a structure tree; headings H1..H6 in order, none skipped; every Figure
  with exactly one non-empty ``/Alt`` that does not say the same thing twice; every
  table header cell ``TH`` with a ``/Scope``; no element with no content at all;
- content: nothing painted on a page outside a tagged (MCID) or artifact marked-content
  sequence;
- pages: no table row whose content lies on two pages, no heading last on a page.

What it cannot judge (reading order makes sense, alt text describes the figure, colour
contrast inside pictures) needs a person; the README says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Operators that put marks on the page (text, paths, images, shadings, XObjects).
_PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI", "INLINE IMAGE"}
#: The operators the untagged-content check reads: painting, marked content, and an
#: inline image whole (qpdf needs all three of its operators named to give it).
_WANTED = " ".join(sorted({*_PAINT, "ID", "EI", "BDC", "BMC", "EMC"} - {"INLINE IMAGE"}))


@dataclass
class _Node:
    """A structure element, flattened: its type, its pages in reading order and children."""

    kind: str
    obj: Any
    pages: list[int] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    def all_pages(self) -> list[int]:
        out = list(self.pages)
        for c in self.children:
            out += c.all_pages()
        return out

    def walk(self) -> Iterator[_Node]:
        yield self
        for c in self.children:
            yield from c.walk()


def check_pdf(path: str | Path) -> list[str]:
    """Problems that keep the PDF at ``path`` from being PDF/UA; empty when it passes."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        return check_open(pdf)


def check_open(pdf) -> list[str]:
    """:func:`check_pdf` of a PDF open in pikepdf (the converter checks each PDF in the
    opening that puts it right)."""
    import pikepdf

    problems: list[str] = []
    problems += _metadata(pdf)
    page_of = {p.objgen: i + 1 for i, p in enumerate(pdf.pages)}
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return [*problems, "The PDF has no structure tree (it is not tagged)."]
    role_map = {str(k): str(v) for k, v in dict(root.get("/RoleMap", {})).items()}
    tree = _Node("StructTreeRoot", root)
    _build(root.get("/K"), tree, page_of, role_map, pikepdf)
    nodes = list(tree.walk())  # reading order, once for every check
    problems += _headings(nodes)
    problems += _figures(nodes, pikepdf)
    problems += _table_headers(nodes, pikepdf)
    problems += _tables_without_headers(nodes)
    problems += _empty(nodes)
    problems += _untagged(pdf, pikepdf)
    problems += _rows_across_pages(nodes)
    problems += _headings_last_on_page(nodes)
    return problems


# ------------------------------------------------------------------- metadata


def _metadata(pdf) -> list[str]:
    problems = []
    meta = pdf.open_metadata()
    xmp = str(meta)
    if not (meta.get("dc:title") or "").strip():
        problems.append("The XMP metadata has no dc:title.")
    m = re.search(r"pdfuaid:part(?:>|=\")\s*(\d+)", xmp)
    if not m or m.group(1) != "1":
        problems.append("The XMP metadata does not declare PDF/UA-1 (pdfuaid:part 1).")
    if "dc:language" not in xmp:
        problems.append("The XMP metadata has no dc:language.")
    if not str(pdf.Root.get("/Lang", "")).strip():
        problems.append("The document catalog has no /Lang.")
    if not bool(pdf.Root.get("/MarkInfo", {}).get("/Marked", False)):
        problems.append("The document is not marked as tagged (/MarkInfo /Marked).")
    if not bool(pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)):
        problems.append("The viewer is not told to show the title (/DisplayDocTitle).")
    return problems


# ------------------------------------------------------------------- structure


def _build(kids, parent: _Node, page_of: dict, role_map: dict[str, str], pikepdf, page: int | None = None) -> None:
    """Flatten the structure tree: element types (role-mapped), and which page each
    marked-content reference is on."""
    if kids is None:
        return
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    for k in items:
        if isinstance(k, int):  # an MCID on the parent's page
            if page is not None:
                parent.pages.append(page)
            continue
        if not isinstance(k, pikepdf.Dictionary):
            continue
        kind = str(k.get("/Type", ""))
        if kind == "/MCR":
            pg = k.get("/Pg")
            parent.pages.append(page_of.get(pg.objgen, page or 0) if pg is not None else (page or 0))
            continue
        if kind == "/OBJR":
            pg = k.get("/Pg")
            parent.pages.append(page_of.get(pg.objgen, page or 0) if pg is not None else (page or 0))
            continue
        s = str(k.get("/S", ""))[1:]
        node = _Node(role_map.get("/" + s, "/" + s)[1:], k)
        pg = k.get("/Pg")
        here = page_of.get(pg.objgen) if pg is not None else page
        parent.children.append(node)
        _build(k.get("/K"), node, page_of, role_map, pikepdf, here)


def _headings(nodes: list[_Node]) -> list[str]:
    problems = []
    previous = 0
    for n in nodes:
        m = re.fullmatch(r"H([1-6])", n.kind)
        if not m:
            continue
        level = int(m.group(1))
        if level > previous + 1:
            was = f"H{previous}" if previous else "the start"
            problems.append(f"An H{level} follows {was}; heading levels must not be skipped.")
        previous = level
    return problems


def _figures(nodes: list[_Node], pikepdf) -> list[str]:
    problems = []
    for n in nodes:
        if n.kind != "Figure":
            continue
        alt = n.obj.get("/Alt")
        text = str(alt).strip() if alt is not None else ""
        page = n.all_pages()[:1]
        where = f" on page {page[0]}" if page else ""
        if not text:
            problems.append(f"A figure{where} has no alternative text (/Alt).")
            continue
        half = len(text) // 2
        words = text.split()
        if words and len(words) % 2 == 0 and words[: len(words) // 2] == words[len(words) // 2 :]:
            problems.append(f"The alternative text of the figure{where} says the same thing twice: {text[:80]!r}.")
        elif half > 10 and text[:half].strip() and text.count(text[: min(40, half)].strip()) > 1:
            problems.append(f"The alternative text of the figure{where} repeats itself: {text[:80]!r}.")
    return problems


def _attributes(obj, pikepdf) -> list:
    a = obj.get("/A")
    if a is None:
        return []
    return list(a) if isinstance(a, pikepdf.Array) else [a]


def _table_headers(nodes: list[_Node], pikepdf) -> list[str]:
    missing = 0
    for n in nodes:
        if n.kind != "TH":
            continue
        scoped = any(isinstance(a, pikepdf.Dictionary) and "/Scope" in a for a in _attributes(n.obj, pikepdf))
        if not scoped:
            missing += 1
    return [f"{missing} table header cell(s) (TH) have no /Scope."] if missing else []


def _tables_without_headers(nodes: list[_Node]) -> list[str]:
    bare = sum(1 for n in nodes if n.kind == "Table" and not any(c.kind == "TH" for c in n.walk()))
    return [f"{bare} table(s) have no header cells (TH)."] if bare else []


def _empty(nodes: list[_Node]) -> list[str]:
    empty: dict[str, int] = {}
    for n in nodes:
        # Grouping elements may be empty, and so may a table cell (a blank value).
        if n.kind in ("StructTreeRoot", "Document", "Part", "Sect", "Div", "NonStruct", "Art", "TD", "TH"):
            continue
        if not n.pages and not n.children:
            empty[n.kind] = empty.get(n.kind, 0) + 1
    return [f"{count} empty {kind} element(s) hold no content." for kind, count in sorted(empty.items())]


# --------------------------------------------------------------------- content


def _untagged(pdf, pikepdf) -> list[str]:
    """Pages with painting operators outside marked content that is tagged (has an
    MCID) or declared an artifact."""
    # Only the operators that matter are handed over (qpdf drops the rest, a third
    # of a pack's 85,000 instructions kept), and each is read as text once: comparing
    # pikepdf objects costs a call into pikepdf each time.
    inline = pikepdf.ContentStreamInlineImage
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        stack: list[bool] = []  # True where the sequence tags its content
        tagged = False  # the innermost sequence's
        untagged = 0
        for instruction in pikepdf.parse_content_stream(page, _WANTED):
            if isinstance(instruction, inline):
                untagged += not tagged
                continue
            op = str(instruction.operator)
            if op == "EMC":
                if stack:
                    stack.pop()
                tagged = bool(stack) and stack[-1]
            elif op == "BDC" or op == "BMC":
                if not tagged:
                    operands = instruction.operands
                    tag = str(operands[0]) if operands else ""
                    props = operands[1] if op == "BDC" and len(operands) > 1 else None
                    tagged = tag == "/Artifact" or (isinstance(props, pikepdf.Dictionary) and "/MCID" in props)
                stack.append(tagged)
            elif not tagged:
                untagged += 1
        if untagged:
            problems.append(f"Page {number} paints {untagged} thing(s) that are neither tagged nor artifacts.")
    return problems


# ----------------------------------------------------------------------- pages


def _rows_across_pages(nodes: list[_Node]) -> list[str]:
    split = [n for n in nodes if n.kind == "TR" and len(set(n.all_pages())) > 1]
    if not split:
        return []
    where = ", ".join(f"pages {min(n.all_pages())}-{max(n.all_pages())}" for n in split[:5])
    return [f"{len(split)} table row(s) run across two pages ({where})."]


def _headings_last_on_page(nodes: list[_Node]) -> list[str]:
    """A heading whose next element in reading order starts on a later page."""
    order = [n for n in nodes if n.kind not in ("StructTreeRoot",) and (n.pages or n.children)]
    leaves = [n for n in order if n.pages]
    problems = []
    for i, n in enumerate(leaves):
        if not re.fullmatch(r"H[1-6]", n.kind) or i + 1 >= len(leaves):
            continue
        here, there = max(n.pages), min(leaves[i + 1].all_pages() or [0])
        if there > here:
            text = ""
            problems.append(f"A heading{text} ends page {here}; its text follows on page {there}.")
    return problems
