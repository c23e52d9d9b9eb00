"""The styles part: clone cell formats with another font colour and find the
original of a clone (how ipxl remembers what it turned red), add ipxl's own formats.

A valid package may hold any styles part, or none. Excel opens a workbook without
one, with one that holds nothing (``<styleSheet/>``), without fonts or cell formats,
or whose cells name a format it does not hold (``s=""``, ``s="57"`` of two), and shows
such cells in its default format. Reading takes every one of these as it is and
changes nothing. The first change adds what it needs and keeps all that is there:
the part itself (with its relationship and content type) where there is none, the
default font, fills, border and cell format where a section is empty, and default
entries up to the highest index anything refers to, so that what ipxl appends never
takes the place of a format a cell already names.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from .patch import Package
from .xml import CELL_SHEETS, CT_STYLES, MAIN, PARSER, REL_STYLES, STYLES_ORDER, insert_in_order, int_attr, local, q


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


#: What Excel takes an empty section of a styles part to hold, as it writes it first
#: in every styles part: its default font (no theme colour, which needs a theme part),
#: the two fills every part starts with, an empty border, the Normal format.
DEFAULTS = {
    "fonts": '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>',
    "fills": '<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>',
    "borders": "<border><left/><right/><top/><bottom/><diagonal/></border>",
    "cellStyleXfs": '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>',
    "cellXfs": '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    "cellStyles": '<cellStyle name="Normal" xfId="0" builtinId="0"/>',
}
#: A styles part for a package that has none.
EMPTY = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}"/>'.encode()
#: The most entries a section is padded to: Excel holds at most 64,000 cell formats,
#: so an index beyond this names nothing ipxl could ever append either.
MAX_ENTRIES = 65536
#: Which attribute of a cell format refers to an entry of which section.
_REFERS = (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders"))


def _highest(indexes) -> int:
    """The highest index below :data:`MAX_ENTRIES` (0 when none)."""
    return max((i for i in indexes if i < MAX_ENTRIES), default=0)


def _defaults(section: str) -> list:
    return list(etree.fromstring(f'<x xmlns="{MAIN}">{DEFAULTS[section]}</x>'))


class Styles:
    """The styles part of a package: clone cell formats with another font colour,
    find ipxl's red clones and the format each was cloned from, add dxfs.

    Existing entries are never reordered or removed; new ones are appended and the
    ``count`` attributes follow.
    """

    def __init__(self, pkg: Package):
        self.pkg = pkg
        #: the styles part, found through the workbook's relationships (None: none yet)
        self.part = pkg.related(pkg.workbook, REL_STYLES)
        # without a part, read the empty one Excel assumes; it is added to the package
        # only when something is written into it
        self.root = pkg.xml(self.part) if self.part is not None else etree.fromstring(EMPTY, PARSER)
        self._lists: dict[str, list] = {}
        self._ready = False
        self._font_keys: dict[tuple, int] = {}
        self._xf_keys: dict[tuple, int] = {}
        self._originals: dict[tuple, list[int]] | None = None
        self._red_cache: dict[tuple[int, str | None], int] = {}

    # -- reading (changes nothing)
    def _kids(self, section: str) -> list:
        """The entries of a section (none when the part has no such section)."""
        if section not in self._lists:
            el = self.root.find(q(section))
            self._lists[section] = [c for c in el if isinstance(c.tag, str)] if el is not None else []
        return self._lists[section]

    def font(self, i: int):
        """Font ``i``, or None when the part holds no such font."""
        fonts = self._kids("fonts")
        return fonts[i] if 0 <= i < len(fonts) else None

    def xf(self, i: int):
        """Cell format ``i``, or None when the part holds no such format."""
        xfs = self._kids("cellXfs")
        return xfs[i] if 0 <= i < len(xfs) else None

    def n_xfs(self) -> int:
        return len(self._kids("cellXfs"))

    def _font_of(self, xf):
        return self.font(int_attr(xf.get("fontId")))

    @staticmethod
    def font_rgb(font) -> str | None:
        c = font.find(q("color")) if font is not None else None
        return _norm_rgb(c.get("rgb")) if c is not None else None

    def xf_font_rgb(self, xf_index: int) -> str | None:
        xf = self.xf(xf_index)
        return self.font_rgb(self._font_of(xf)) if xf is not None else None

    # -- making room to write
    def _writable(self) -> None:
        """Before the first change: the part made when there is none, and every section
        a new format relies on completed (see the module's docstring)."""
        if self._ready:
            return
        self._ready = True
        if self.part is None:
            # where a relationship names a styles part the package lacks, it goes there
            named = [
                t for _, typ, t, mode in self.pkg.rels(self.pkg.workbook) if typ == REL_STYLES and mode == "Internal"
            ]
            name = named[0] if named else self.pkg.beside_workbook("styles.xml")
            if not named and self.pkg.has(name):
                name = self.pkg.free_name(self.pkg.beside_workbook("styles{}.xml"))
            self.pkg.write(name, EMPTY)
            if not named:
                self.pkg.add_rel(self.pkg.workbook, REL_STYLES, name)
            self.pkg.add_override(name, CT_STYLES)
            self.part, self.root = name, self.pkg.xml(name)
            self._lists.clear()
        no_formats = not self._kids("cellXfs")
        for section in ("fonts", "fills", "borders", "cellStyleXfs", "cellXfs"):
            if not self._kids(section):
                for el in _defaults(section):
                    self._append(section, el)
        if not self._kids("cellStyles"):
            self._append("cellStyles", _defaults("cellStyles")[0])
        # entries the formats refer to but the part lacks become defaults, so that a
        # font or format ipxl appends does not become the one they name
        formats = self._kids("cellXfs") + self._kids("cellStyleXfs")
        for attr, section in _REFERS:
            self._pad(section, _highest(int_attr(x.get(attr)) for x in formats))
        self._pad("cellStyleXfs", _highest(int_attr(x.get("xfId")) for x in self._kids("cellXfs")))
        if no_formats:
            # cells name formats a part without any does not hold (``s="1"``): the
            # same, found in the sheets themselves. Only for such a part: the search
            # is a pass over every sheet's bytes, which a 100,000-row plan with its
            # formats in place must not pay; there a cell naming a format beyond the
            # last (a damaged file) is taken as format 0 when its row is edited.
            self._pad("cellXfs", self._highest_cell_style())
        for i, f in enumerate(self._kids("fonts")):
            self._font_keys.setdefault(_key(f), i)
        for i, x in enumerate(self._kids("cellXfs")):
            self._xf_keys.setdefault(_key(x), i)

    def _pad(self, section: str, highest: int) -> None:
        while len(self._kids(section)) <= highest:
            self._append(section, _defaults(section)[0])

    def _highest_cell_style(self) -> int:
        """The highest cell format index any sheet's cells, rows or columns name."""
        style = re.compile(rb'\s(?:s|style)="(\d+)"')
        highest = 0
        for _, typ, target, mode in self.pkg.rels(self.pkg.workbook):
            if mode == "Internal" and typ.rsplit("/", 1)[-1] in CELL_SHEETS and self.pkg.has(target):
                highest = max(highest, _highest(int(m.group(1)) for m in style.finditer(self.pkg.read(target))))
        return highest

    def _section(self, name: str):
        el = self.root.find(q(name))
        if el is None:
            el = etree.Element(q(name))
            el.set("count", "0")
            insert_in_order(self.root, el, STYLES_ORDER)
        return el

    def _append(self, section_name: str, el) -> int:
        section = self._section(section_name)
        kids = self._kids(section_name)
        if kids:
            kids[-1].addnext(el)
            el.tail = kids[-1].tail
        else:
            section.append(el)
        kids.append(el)
        section.set("count", str(len(kids)))
        return len(kids) - 1

    # -- cloning
    def font_with_colour(self, font_id: int, rgb: str) -> int:
        """Index of a font equal to font ``font_id`` (the first font, when the part
        holds no such font) but coloured ``rgb`` (appended when new)."""
        self._writable()
        base = self.font(font_id)
        if base is None:
            font_id, base = 0, self.font(0)
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
        i = self._append("fonts", new)
        self._font_keys[k] = i
        return i

    def xf_with_font_colour(self, xf_index: int, rgb: str) -> int:
        """Index of a cell format equal to ``xf_index`` except its font is coloured ``rgb``.

        The clone is ``xf_index`` with only ``fontId`` (and ``applyFont="1"``, so
        LibreOffice honours it) changed; an identical existing format is reused. A
        cell naming a format the part does not hold shows the default one, format 0,
        so that is the format cloned for it.
        """
        ck = (xf_index, _norm_rgb(rgb))
        if ck in self._red_cache:
            return self._red_cache[ck]
        self._writable()
        xf = self.xf(xf_index)
        if xf is None:
            xf_index, xf = 0, self.xf(0)
        font_id = int_attr(xf.get("fontId"))
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
            i = self._append("cellXfs", new)
            self._xf_keys[k] = i
            self._originals = None
        self._red_cache[ck] = i
        return i

    # -- finding the original of a clone
    def _sans_font_key(self, xf) -> tuple:
        attrs = tuple(sorted((k, v) for k, v in xf.attrib.items() if k not in ("fontId", "applyFont")))
        return (attrs, tuple(_key(c) for c in xf if isinstance(c.tag, str)))

    def _font_sans_colour_key(self, font) -> tuple:
        if font is None:
            return ("no font",)
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
            for i, x in enumerate(self._kids("cellXfs")):
                font = self._font_of(x)
                if self.font_rgb(font) == _norm_rgb(rgb):
                    continue
                k = (self._sans_font_key(x), self._font_sans_colour_key(font))
                self._originals.setdefault(k, []).append(i)
        x = self._kids("cellXfs")[xf_index]
        k = (self._sans_font_key(x), self._font_sans_colour_key(self._font_of(x)))
        cands = [i for i in self._originals.get(k, ()) if i < xf_index]
        return cands[0] if cands else None

    # -- differential formats
    def dxf_fill(self, rgb: str) -> int:
        """Index of a dxf that only sets a solid fill of ``rgb`` (reused when present)."""
        self._writable()
        new = etree.Element(q("dxf"))
        fill = etree.SubElement(new, q("fill"))
        pf = etree.SubElement(fill, q("patternFill"))
        pf.set("patternType", "solid")
        etree.SubElement(pf, q("fgColor")).set("rgb", "FF" + rgb.upper()[-6:])
        etree.SubElement(pf, q("bgColor")).set("rgb", "FF" + rgb.upper()[-6:])
        k = _key(new)
        for i, d in enumerate(self._kids("dxfs")):
            if _key(d) == k:
                return i
        return self._append("dxfs", new)

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
        self._writable()
        first = self.font(0)
        base_font = copy.deepcopy(first)
        base_font.tail = None
        for tag in ("b", "sz", "color"):
            for c in base_font.findall(q(tag)):
                base_font.remove(c)
        if bold:
            base_font.insert(0, etree.Element(q("b")))
        old_sz = first.find(q("sz"))
        if size is not None or colour is not None:
            sz = etree.Element(q("sz"))
            sz.set("val", str(size) if size is not None else (old_sz.get("val") if old_sz is not None else "11"))
            base_font.insert(1 if bold else 0, sz)
        elif old_sz is not None:
            base_font.insert(1 if bold else 0, copy.deepcopy(old_sz))
        if colour is not None:
            col = etree.Element(q("color"))
            col.set("rgb", "FF" + colour.upper()[-6:])
            base_font.find(q("sz")).addnext(col)
        fk = _key(base_font)
        font_id = self._font_keys.get(fk)
        if font_id is None:
            font_id = self._append("fonts", base_font)
            self._font_keys[fk] = font_id
        fill_id = 0
        if fill is not None:
            new_fill = etree.Element(q("fill"))
            pf = etree.SubElement(new_fill, q("patternFill"))
            pf.set("patternType", "solid")
            etree.SubElement(pf, q("fgColor")).set("rgb", "FF" + fill.upper()[-6:])
            etree.SubElement(pf, q("bgColor")).set("indexed", "64")
            kf = _key(new_fill)
            for i, f in enumerate(self._kids("fills")):
                if _key(f) == kf:
                    fill_id = i
                    break
            else:
                fill_id = self._append("fills", new_fill)
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
        i = self._append("cellXfs", xf)
        self._xf_keys[k] = i
        self._originals = None
        return i

    # -- number formats

    #: Built-in number formats that show a date (ECMA-376 18.8.30).
    DATE_BUILTINS = frozenset({14, 15, 16, 17, 22, 27, 30, 36, 50, 57})
    DATE_FORMAT = "dd/mm/yyyy"

    def shows_date(self, xf_index: int) -> bool:
        """Whether cells of format ``xf_index`` show a number as a date."""
        xf = self.xf(xf_index)
        n = int_attr(xf.get("numFmtId")) if xf is not None else 0
        if n in self.DATE_BUILTINS:
            return True
        for f in self._kids("numFmts"):
            if int_attr(f.get("numFmtId")) == n:
                code = re.sub(r'"[^"]*"|\\.|\[[^]]*\]', "", f.get("formatCode", "")).lower()
                return "d" in code or "y" in code
        return False

    def date_xf(self, xf_index: int) -> int:
        """``xf_index`` if it shows dates, else a copy of it that shows them as
        31/03/2024 (everything else about it, font, fill, borders, the same)."""
        if self.shows_date(xf_index):
            return xf_index
        self._writable()
        fmt_id = None
        for f in self._kids("numFmts"):
            if f.get("formatCode") == self.DATE_FORMAT:
                fmt_id = int_attr(f.get("numFmtId"))
        if fmt_id is None:
            # above every custom format defined or named by a cell format
            used = [int_attr(f.get("numFmtId")) for f in self._kids("numFmts") + self._kids("cellXfs")]
            fmt_id = max([163, *used]) + 1
            el = etree.Element(q("numFmt"))
            el.set("numFmtId", str(fmt_id))
            el.set("formatCode", self.DATE_FORMAT)
            self._append("numFmts", el)
        xf = copy.deepcopy(self.xf(xf_index) if self.xf(xf_index) is not None else self.xf(0))
        xf.tail = None
        xf.set("numFmtId", str(fmt_id))
        xf.set("applyNumberFormat", "1")
        return self._add_xf(xf)
