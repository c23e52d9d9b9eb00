"""``xl/styles.xml``: clone cell formats with another font colour and find the
original of a clone (how ipxl remembers what it turned red), add ipxl's own formats."""

from __future__ import annotations

import copy
import re

from lxml import etree

from .patch import Package
from .xml import REL_STYLES, STYLES_ORDER, insert_in_order, local, q


def _key(el) -> tuple:
    """Structural identity of an element (namespace URIs, not prefixes)."""
    return (
        el.tag,
        tuple(sorted(el.attrib.items())),
        (el.text or "").strip(),
        tuple(_key(c) for c in el if isinstance(c.tag, str)),
    )


def _norm_rgb(value: str | None) -> str | None:
    if value is None:
        return None
    v = value.upper()
    return v[-6:] if len(v) in (6, 8) else v


class Styles:
    """``xl/styles.xml`` of a package: clone cell formats with another font colour,
    find ipxl's red clones and the format each was cloned from, add dxfs.

    Existing entries are never reordered or removed; new ones are appended and the
    ``count`` attributes follow.
    """

    PART = "xl/styles.xml"

    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.part = self._locate()
        self.root = pkg.xml(self.part)
        self.fonts = self._section("fonts")
        self.cell_xfs = self._section("cellXfs")
        self._font_keys: dict[tuple, int] = {}
        for i, f in enumerate(self._children(self.fonts)):
            self._font_keys.setdefault(_key(f), i)
        self._xf_keys: dict[tuple, int] = {}
        for i, x in enumerate(self._children(self.cell_xfs)):
            self._xf_keys.setdefault(_key(x), i)
        self._originals: dict[tuple, list[int]] | None = None
        self._red_cache: dict[tuple[int, str | None], int] = {}

    def _locate(self) -> str:
        for _, typ, target, _ in self.pkg.rels("xl/workbook.xml"):
            if typ == REL_STYLES:
                return target
        return self.PART

    def _section(self, name: str):
        el = self.root.find(q(name))
        if el is None:
            el = etree.Element(q(name))
            el.set("count", "0")
            insert_in_order(self.root, el, STYLES_ORDER)
        return el

    @staticmethod
    def _children(section) -> list:
        return [c for c in section if isinstance(c.tag, str)]

    def _append(self, section, el) -> int:
        kids = self._children(section)
        if kids:
            kids[-1].addnext(el)
            el.tail = kids[-1].tail
        else:
            section.append(el)
        n = len(kids) + 1
        section.set("count", str(n))
        return n - 1

    def font(self, i: int):
        return self._children(self.fonts)[i]

    def xf(self, i: int):
        return self._children(self.cell_xfs)[i]

    def n_xfs(self) -> int:
        return len(self._children(self.cell_xfs))

    @staticmethod
    def font_rgb(font) -> str | None:
        c = font.find(q("color"))
        return _norm_rgb(c.get("rgb")) if c is not None else None

    def xf_font_rgb(self, xf_index: int) -> str | None:
        xf = self.xf(xf_index)
        return self.font_rgb(self.font(int(xf.get("fontId", "0"))))

    # -- cloning
    def font_with_colour(self, font_id: int, rgb: str) -> int:
        """Index of a font equal to font ``font_id`` but coloured ``rgb`` (appended when new)."""
        base = self.font(font_id)
        if self.font_rgb(base) == _norm_rgb(rgb):
            return font_id
        new = copy.deepcopy(base)
        new.tail = None
        for c in new.findall(q("color")):
            new.remove(c)
        colour = etree.Element(q("color"))
        colour.set("rgb", "FF" + rgb.upper()[-6:])
        sz = new.find(q("sz"))
        name = new.find(q("name"))
        if sz is not None:
            sz.addnext(colour)
        elif name is not None:
            name.addprevious(colour)
        else:
            new.append(colour)
        k = _key(new)
        if k in self._font_keys:
            return self._font_keys[k]
        i = self._append(self.fonts, new)
        self._font_keys[k] = i
        return i

    def xf_with_font_colour(self, xf_index: int, rgb: str) -> int:
        """Index of a cell format equal to ``xf_index`` except its font is coloured ``rgb``.

        The clone is ``xf_index`` with only ``fontId`` (and ``applyFont="1"``, so
        LibreOffice honours it) changed; an identical existing format is reused.
        """
        ck = (xf_index, _norm_rgb(rgb))
        if ck in self._red_cache:
            return self._red_cache[ck]
        xf = self.xf(xf_index)
        font_id = int(xf.get("fontId", "0"))
        new_font = self.font_with_colour(font_id, rgb)
        if new_font == font_id:
            self._red_cache[ck] = xf_index
            return xf_index
        new = copy.deepcopy(xf)
        new.tail = None
        new.set("fontId", str(new_font))
        new.set("applyFont", "1")
        k = _key(new)
        if k in self._xf_keys:
            i = self._xf_keys[k]
        else:
            i = self._append(self.cell_xfs, new)
            self._xf_keys[k] = i
            self._originals = None
        self._red_cache[ck] = i
        return i

    # -- finding the original of a clone
    def _sans_font_key(self, xf) -> tuple:
        attrs = tuple(sorted((k, v) for k, v in xf.attrib.items() if k not in ("fontId", "applyFont")))
        return (attrs, tuple(_key(c) for c in xf if isinstance(c.tag, str)))

    def _font_sans_colour_key(self, font) -> tuple:
        return tuple(_key(c) for c in font if isinstance(c.tag, str) and local(c) != "color")

    def original_of(self, xf_index: int, rgb: str) -> int | None:
        """The cell format an ipxl ``rgb`` clone was made from, or None when
        ``xf_index`` is not such a clone.

        A clone of format N is N with only its font changed to a copy of N's font
        recoloured. So the original is the format equal to the clone in everything but
        the font, whose font equals the clone's in everything but the colour, and which
        is not itself ``rgb``. Clones are always appended after their original, so
        among several candidates the lowest-numbered one is taken.
        """
        if self.xf_font_rgb(xf_index) != _norm_rgb(rgb):
            return None
        if self._originals is None:
            self._originals = {}
            for i, x in enumerate(self._children(self.cell_xfs)):
                font = self.font(int(x.get("fontId", "0")))
                if self.font_rgb(font) == _norm_rgb(rgb):
                    continue
                k = (self._sans_font_key(x), self._font_sans_colour_key(font))
                self._originals.setdefault(k, []).append(i)
        x = self.xf(xf_index)
        k = (self._sans_font_key(x), self._font_sans_colour_key(self.font(int(x.get("fontId", "0")))))
        cands = [i for i in self._originals.get(k, ()) if i < xf_index]
        return cands[0] if cands else None

    # -- differential formats
    def dxf_fill(self, rgb: str) -> int:
        """Index of a dxf that only sets a solid fill of ``rgb`` (reused when present)."""
        dxfs = self._section("dxfs")
        new = etree.Element(q("dxf"))
        fill = etree.SubElement(new, q("fill"))
        pf = etree.SubElement(fill, q("patternFill"))
        pf.set("patternType", "solid")
        etree.SubElement(pf, q("fgColor")).set("rgb", "FF" + rgb.upper()[-6:])
        etree.SubElement(pf, q("bgColor")).set("rgb", "FF" + rgb.upper()[-6:])
        k = _key(new)
        for i, d in enumerate(self._children(dxfs)):
            if _key(d) == k:
                return i
        return self._append(dxfs, new)

    def font_xf(
        self,
        *,
        bold: bool = False,
        size: float | None = None,
        colour: str | None = None,
        fill: str | None = None,
        wrap: bool = False,
    ) -> int:
        """A cell format for ipxl's own sheets: the default format with a font of the
        given weight/size/colour (and optionally a solid fill, wrapped text)."""
        base_font = copy.deepcopy(self.font(0))
        base_font.tail = None
        for tag in ("b", "sz", "color"):
            for c in base_font.findall(q(tag)):
                base_font.remove(c)
        if bold:
            base_font.insert(0, etree.Element(q("b")))
        if size is not None or colour is not None:
            old_sz = self.font(0).find(q("sz"))
            sz = etree.Element(q("sz"))
            sz.set("val", str(size) if size is not None else (old_sz.get("val") if old_sz is not None else "11"))
            base_font.insert(1 if bold else 0, sz)
        elif self.font(0).find(q("sz")) is not None:
            base_font.insert(1 if bold else 0, copy.deepcopy(self.font(0).find(q("sz"))))
        if colour is not None:
            col = etree.Element(q("color"))
            col.set("rgb", "FF" + colour.upper()[-6:])
            base_font.find(q("sz")).addnext(col)
        fk = _key(base_font)
        font_id = self._font_keys.get(fk)
        if font_id is None:
            font_id = self._append(self.fonts, base_font)
            self._font_keys[fk] = font_id
        fill_id = 0
        if fill is not None:
            fills = self._section("fills")
            new_fill = etree.Element(q("fill"))
            pf = etree.SubElement(new_fill, q("patternFill"))
            pf.set("patternType", "solid")
            etree.SubElement(pf, q("fgColor")).set("rgb", "FF" + fill.upper()[-6:])
            etree.SubElement(pf, q("bgColor")).set("indexed", "64")
            kf = _key(new_fill)
            for i, f in enumerate(self._children(fills)):
                if _key(f) == kf:
                    fill_id = i
                    break
            else:
                fill_id = self._append(fills, new_fill)
        xf = etree.Element(q("xf"))
        xf.set("numFmtId", "0")
        xf.set("fontId", str(font_id))
        xf.set("fillId", str(fill_id))
        xf.set("borderId", "0")
        xf.set("xfId", "0")
        xf.set("applyFont", "1")
        if fill_id:
            xf.set("applyFill", "1")
        if wrap:
            xf.set("applyAlignment", "1")
            al = etree.SubElement(xf, q("alignment"))
            al.set("vertical", "top")
            al.set("wrapText", "1")
        return self._add_xf(xf)

    def _add_xf(self, xf) -> int:
        """The index of a cell format equal to ``xf``, appending it when new."""
        k = _key(xf)
        if k in self._xf_keys:
            return self._xf_keys[k]
        i = self._append(self.cell_xfs, xf)
        self._xf_keys[k] = i
        self._originals = None
        return i

    # -- number formats

    #: Built-in number formats that show a date (ECMA-376 18.8.30).
    DATE_BUILTINS = frozenset({14, 15, 16, 17, 22, 27, 30, 36, 50, 57})
    DATE_FORMAT = "dd/mm/yyyy"

    def shows_date(self, xf_index: int) -> bool:
        """Whether cells of format ``xf_index`` show a number as a date."""
        n = int(self.xf(xf_index).get("numFmtId", "0")) if xf_index < self.n_xfs() else 0
        if n in self.DATE_BUILTINS:
            return True
        for f in self._children(self.root.find(q("numFmts")) if self.root.find(q("numFmts")) is not None else []):
            if int(f.get("numFmtId", "-1")) == n:
                code = re.sub(r'"[^"]*"|\\.|\[[^]]*\]', "", f.get("formatCode", "")).lower()
                return "d" in code or "y" in code
        return False

    def date_xf(self, xf_index: int) -> int:
        """``xf_index`` if it shows dates, else a copy of it that shows them as
        31/03/2024 (everything else about it, font, fill, borders, the same)."""
        if self.shows_date(xf_index):
            return xf_index
        fmts = self._section("numFmts")
        fmt_id = None
        for f in self._children(fmts):
            if f.get("formatCode") == self.DATE_FORMAT:
                fmt_id = int(f.get("numFmtId"))
        if fmt_id is None:
            used = [int(f.get("numFmtId", "0")) for f in self._children(fmts)]
            fmt_id = max([163, *used]) + 1
            el = etree.Element(q("numFmt"))
            el.set("numFmtId", str(fmt_id))
            el.set("formatCode", self.DATE_FORMAT)
            self._append(fmts, el)
        xf = copy.deepcopy(self.xf(xf_index) if xf_index < self.n_xfs() else self.xf(0))
        xf.tail = None
        xf.set("numFmtId", str(fmt_id))
        xf.set("applyNumberFormat", "1")
        return self._add_xf(xf)
