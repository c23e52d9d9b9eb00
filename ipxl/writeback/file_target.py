"""The file door: write-back plans applied to an .xlsx/.xlsm by patching its package.

Each operation is split in two:

* a **plan**, computed by pure functions from what was read (which rows turn red and
  which go back, what the Summary and Validation sheets hold, which cells are marked);
* a **target** that applies it: :class:`WorkbookTarget` is the small interface, and
  :class:`FileTarget` implements it by patching the .xlsx/.xlsm package (see
  :mod:`ipxl.xlsx.patch`). A live-Excel target (xlwings) implements the same interface,
  so the plans never depend on how the workbook is reached.

How ipxl remembers what it turned red
-------------------------------------
A red cell keeps a cell format (xf) that is a *clone* of its own format: the same
number format, fill, border, alignment, protection and parent style, with a font that
is a copy of its font in every respect but the colour, ``NEW_ROW_RED``. Clones are
appended to ``styles.xml``, never inserted, so a clone always comes after the format it
was made from. The original is therefore *derived*, not stored: it is the
lowest-numbered format equal to the clone except for the font, whose font equals the
clone's except for the colour (:meth:`ipxl.xlsx.styles.Styles.original_of`).

Why derive instead of keeping a mapping: every place a mapping could live (an extLst in
styles.xml, a custom XML part, a hidden name) is either dropped by Excel when it saves
or means editing parts this module must not touch. Excel keeps cell formats and fonts
as they are when it saves, so the derivation survives officers opening and saving the
workbook between periods. A row counts as "turned red by ipxl" only when every cell in
it is such a clone, so a single cell an officer coloured red for emphasis is never
reverted. The one ambiguity (a workbook with two formats identical except for the font
colour) resolves to the lower-numbered one, which is the format the cells most likely
had. Rows coloured dark red by hand under the old manual process are recognised too and
go back to their plain font once they stop being new, which is what that process wanted.

How findings are marked
-----------------------
Cell styles are never touched. Each sheet with findings gets one conditional-format
block per severity whose formula is an always-true expression that names ipxl
(``"ipxl:finding:error"<>""``) and whose dxf is a solid ``FINDING_FILL``. The rules
take priorities 1 and 2 (others move down by as many), so the mark shows over RAG
colouring; removing them moves the others back, which restores the sheet exactly. A
clean run removes every ipxl block and nothing else; dxfs are left (and reused).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from pathlib import Path

from lxml import etree

from .. import defaults as D
from ..xlsx.cells import col_letter, column_of, runs, split_cell
from ..xlsx.package import PackageInfo, check_file
from ..xlsx.patch import Package, SaveResult
from ..xlsx.safe_write import check_output_name, check_writable, real_path, workbook_lock
from ..xlsx.sheet import StreamSheet, TreeSheet
from ..xlsx.styles import Styles
from ..xlsx.xml import (
    CT_CHART,
    CT_DRAWING,
    MAIN,
    REL_CALC_CHAIN,
    REL_CHART,
    REL_DRAWING,
    XDR,
    A,
    C,
    R,
    escape,
    int_attr,
    local,
    q,
    quoteattr,
    xml_text,
)
from .charts import anchor_xml, chart_xml
from .plans import MARK_TAG, OWN_CHARTS, SEVERITY_ORDER, ChartSpec, SheetContent, date_text, stamp

# ======================================================================== file target


class FileTarget:
    """:class:`WorkbookTarget` over an .xlsx/.xlsm file, patched without a model.

    From opening to :meth:`close` it holds ipxl's lock on the file it writes (see
    :func:`ipxl.xlsx.safe_write.workbook_lock`), so the whole read-modify-write of an
    operation is one turn: a rival run waits, then starts from this one's result."""

    def __init__(
        self,
        path: str | Path,
        output: str | Path | None = None,
        *,
        backup: bool = True,
        now: dt.datetime | None = None,
        streamed: bool = True,
        checked: PackageInfo | None = None,
    ):
        written = Path(output) if output is not None else Path(path)
        if output is not None and real_path(written) != real_path(path):
            check_output_name(Path(path), written)
        # refuse before any work when Excel has the workbook open or it cannot be written
        check_writable(written, source=Path(path))
        # a file that cannot be used is refused before a lock file is made beside it
        info = check_file(Path(path), checked)
        #: the check's result, which the operation's read reuses (one check per file)
        self.checked = info
        self._lock = contextlib.ExitStack()
        self._lock.enter_context(workbook_lock(written))
        try:
            self.pkg = Package(path, checked=info)
        except BaseException:
            self._lock.close()
            raise
        self.output = output
        self.backup = backup
        self.now = now
        self._styles: Styles | None = None
        #: sheets are patched as streams (only edited rows parsed); ``streamed=False``
        #: parses them whole, the reference the streamed bytes are tested against
        self._kind = StreamSheet if streamed else TreeSheet
        self._sheets: dict[str, StreamSheet | TreeSheet] = {}
        self._clone: dict[tuple[int, str], int | None] = {}
        self._xf_roles: dict[str, int] = {}

    # -- helpers
    @property
    def styles(self) -> Styles:
        if self._styles is None:
            self._styles = Styles(self.pkg)
        return self._styles

    def _sheet(self, name: str) -> StreamSheet | TreeSheet:
        part = self.pkg.sheet_part(name)
        if part is None:
            raise KeyError(name)
        if part not in self._sheets:
            self._sheets[part] = self._kind(self.pkg, part)
        return self._sheets[part]

    def _original(self, xf: int, colour: str) -> int | None:
        k = (xf, colour)
        if k not in self._clone:
            self._clone[k] = self.styles.original_of(xf, colour)
        return self._clone[k]

    def close(self) -> None:
        try:
            self.pkg.close()
        finally:
            self._lock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- WorkbookTarget
    def sheet_names(self) -> list[str]:
        return self.pkg.sheet_names()

    def red_rows(self, sheet: str, colour: str, last_col: int | None = None) -> set[int]:
        if self.pkg.sheet_part(sheet) is None:
            return set()
        st = self.styles
        clones = {str(i) for i in range(st.n_xfs()) if self._original(i, colour) is not None}
        if not clones:
            return set()  # no ipxl red anywhere: no need to even parse the sheet
        sx = self._sheet(sheet)
        out = set()
        # only rows holding one of the red formats can be red: found without parsing
        for n, cells in sx.cell_styles(candidates=clones):
            seen = False
            for ref, s in cells:
                if s not in clones:
                    # a cell right of the table (a stray value) does not count
                    if last_col is not None and ref and column_of(ref) > last_col:
                        continue
                    break
                seen = True
            else:
                if seen:
                    out.add(n)
        return out

    def colour_rows(self, sheet: str, rows: Iterable[int], colour: str, last_col: int) -> None:
        rows = list(rows)
        if not rows:
            return
        sx = self._sheet(sheet)
        sx.preload(rows)
        # A sheet has a few formats and many cells: each format's red twin is decided
        # once (None: the cell keeps its format, being red already or unable to be).
        twin: dict[str, str | None] = {}
        for n in rows:
            # Absent cells within the table's columns are created (empty, red) so text
            # an officer types into them later is red too; restore removes them again.
            # Cells right of the table (a stray value at XFD) are not the table's.
            for col, c in sx.fill_row(n, last_col):
                if col > last_col:
                    continue
                # s="" (or none) is the default format, 0, as Excel reads it
                s = c.get("s") or "0"
                if s not in twin:
                    twin[s] = self._red_twin(int_attr(s), colour)
                new = twin[s]
                if new is not None:
                    c.set("s", new)

    def _red_twin(self, s: int, colour: str) -> str | None:
        """The format a cell of format ``s`` takes to turn ``colour``; None when it
        is ipxl's red already or turning red leaves it as it is."""
        if self._original(s, colour) is not None:
            return None  # already ipxl's red
        new = self.styles.xf_with_font_colour(s, colour)
        if new == s:
            return None
        self._clone.pop((new, colour), None)
        return str(new)

    def restore_rows(self, sheet: str, rows: Iterable[int], colour: str) -> None:
        rows = list(rows)
        if not rows:
            return
        sx = self._sheet(sheet)
        sx.preload(rows)
        for n in rows:
            for c in sx.cells(n):
                orig = self._original(int_attr(c.get("s")), colour)
                if orig is None:
                    continue
                ref = c.get("r")
                if ref and len(c) == 0 and orig == sx.inherited_style(n, column_of(ref)):
                    c.getparent().remove(c)  # an empty cell highlight created: as it was, absent
                elif orig == 0:
                    c.attrib.pop("s", None)
                else:
                    c.set("s", str(orig))

    def set_marks(self, marks: Mapping[str, Mapping[str, Iterable[str]]]) -> None:
        wanted = {self.pkg.sheet_name(s): m for s, m in marks.items() if self.pkg.sheet_name(s)}
        tag = MARK_TAG.encode()
        for name, part in self.pkg.sheets():
            sheet_marks = wanted.get(name)
            if not sheet_marks and part not in self._sheets and tag not in self.pkg.read(part):
                continue  # no marks now, none before: do not even parse it
            _replace_marks(self._sheet(name), self.styles, sheet_marks or {})

    def set_values(self, sheet: str, values: Mapping[tuple[int, int], object]) -> list[tuple[int, int]]:
        """Put each value in its cell, ``(row, column)``, keeping the cell's format (a
        date gets a copy of that format that shows dates). Text goes in literally.
        Returns the cells left alone because they hold a formula."""
        sx = self._sheet(sheet)
        refused = []
        for (r, c), v in values.items():
            style = None
            if isinstance(v, dt.date):
                cells = dict(sx.fill_row(r, c))
                own = int_attr(cells[c].get("s")) if c in cells else 0
                style = self.styles.date_xf(own)
                v = excel_serial(v)
            if not sx.set_value(r, c, v, style):
                refused.append((r, c))
        return refused

    def append_rows(self, sheet: str, rows: list[list[object]]) -> list[int]:
        """Add ``rows`` (values from column A) after the sheet's last row; each cell
        takes the format of the cell above it in the last row (a date, one that shows
        dates). The sheet's dimension, its filter and a table that ended at the old
        last row grow to take them in. Returns the new rows' numbers."""
        if not rows:
            return []
        sx = self._sheet(sheet)
        last = sx.last_row()
        above = {col: int_attr(c.get("s")) for col, c in sx.fill_row(last, 0)} if last else {}
        numbers = []
        for i, values in enumerate(rows, start=1):
            n = last + i
            sx.append_row(n)
            width = len(values)
            for col in range(1, width + 1):
                v = values[col - 1]
                style = above.get(col, 0)
                if isinstance(v, dt.date):
                    style, v = self.styles.date_xf(style), excel_serial(v)
                sx.set_value(n, col, v, style)
            numbers.append(n)
        _grow(sx, self.pkg, last, numbers[-1])
        return numbers

    def write_sheet(self, sheet: str, content: SheetContent) -> None:
        real = self.pkg.sheet_name(sheet)
        part = self.pkg.sheet_part(sheet) if real else None
        drawing_rid = None
        if real is not None and part is not None:
            old = self.pkg.xml(part)
            d = old.find(q("drawing"))
            if d is not None:
                drawing_rid = d.get(q("id", R))
            self._sheets.pop(part, None)
            self._drop_from_calc_chain(real)
        else:
            real = sheet
            part = self.pkg.add_sheet(sheet, b"")
        if content.state is not None:
            _set_state(self.pkg, real, content.state)
        if content.chart is not None:
            drawing_rid = self._ensure_chart(real, part, drawing_rid, content.chart, content.rows)
        self.pkg.replace(part, _sheet_xml(content, self._role_xf, drawing_rid))

    def commit(self) -> SaveResult:
        return self.pkg.save(self.output, backup=self.backup, now=self.now)

    # -- internals
    def _role_xf(self, role: str) -> int:
        if role not in self._xf_roles:
            st = self.styles
            self._xf_roles[role] = {
                "title": lambda: st.font_xf(bold=True, size=14),
                "header": lambda: st.font_xf(bold=True, colour=D.HEADER_FONT, fill=D.HEADER_FILL),
                "bold": lambda: st.font_xf(bold=True),
                "wrap": lambda: st.font_xf(wrap=True),
                "link": lambda: st.font_xf(colour="0563C1"),
            }[role]()
        return self._xf_roles[role]

    def _drop_from_calc_chain(self, sheet: str) -> None:
        """A replaced sheet's formulas are gone; drop them from calcChain.xml, which
        Excel otherwise reports as damaged."""
        cc = self.pkg.related(self.pkg.workbook, REL_CALC_CHAIN)
        if cc is None:
            return
        sid = self.pkg.sheet_id(sheet)
        if sid is None or f'i="{sid}"'.encode() not in self.pkg.read(cc):
            return
        root = self.pkg.xml(cc)
        current = None
        for el in list(root):
            i = el.get("i")
            if i is not None:
                current = i
            if current == str(sid):
                # the next entry inherits i from this one unless it says otherwise
                nxt = el.getnext()
                if i is not None and nxt is not None and nxt.get("i") is None:
                    nxt.set("i", i)
                root.remove(el)
        if len(root) == 0:
            self.pkg.delete(cc)
            rels = self.pkg.xml(self.pkg.rels_name(self.pkg.workbook))
            for rel in list(rels):
                if rel.get("Type") == REL_CALC_CHAIN:
                    rels.remove(rel)
            ct = self.pkg.xml("[Content_Types].xml")
            for el in list(ct):
                if el.get("PartName", "").lower() == "/" + cc.lower():
                    ct.remove(el)

    def _ensure_chart(
        self, sheet: str, part: str, drawing_rid: str | None, spec: ChartSpec, rows: list[list[object]]
    ) -> str:
        """Make sure the sheet's drawing holds ipxl's chart ``spec`` of the table in ``rows``;
        return the drawing's relationship id. A chart that is not ipxl's (a template
        chart bound to the Summary cells) is left exactly as it is."""
        rels = {rid: target for rid, _, target, _ in self.pkg.rels(part)}
        drawing = rels.get(drawing_rid) if drawing_rid else None
        new_chart = chart_xml(sheet, spec, rows)
        if drawing_rid is not None and drawing is not None and self.pkg.has(drawing):
            droot = self.pkg.xml(drawing)
            drels = {rid: target for rid, _, target, _ in self.pkg.rels(drawing)}
            for frame in droot.iter(q("graphicFrame", XDR)):
                cnv = frame.find(f"{q('nvGraphicFramePr', XDR)}/{q('cNvPr', XDR)}")
                chart_ref = frame.find(f".//{q('chart', C)}")
                if chart_ref is None:
                    continue
                target = drels.get(chart_ref.get(q("id", R)))
                if cnv is not None and cnv.get("name") in OWN_CHARTS and target:
                    alt = xml_text(spec.alt_text)
                    if cnv.get("descr") != alt:
                        cnv.set("descr", alt)
                    if self.pkg.read(target) != new_chart:
                        self.pkg.write(target, new_chart)
                    return drawing_rid
                if target:
                    return drawing_rid  # someone else's chart: leave it alone
            # a drawing without a chart: add ours to it
            chart_part = self.pkg.free_name(self.pkg.beside_workbook("charts/chart{}.xml"))
            self.pkg.write(chart_part, new_chart)
            self.pkg.add_override(chart_part, CT_CHART)
            crid = self.pkg.add_rel(drawing, REL_CHART, chart_part)
            droot.append(etree.fromstring(anchor_xml(spec, crid, _next_shape_id(droot))))
            return drawing_rid
        drawing = self.pkg.free_name(self.pkg.beside_workbook("drawings/drawing{}.xml"))
        chart_part = self.pkg.free_name(self.pkg.beside_workbook("charts/chart{}.xml"))
        self.pkg.write(chart_part, new_chart)
        self.pkg.add_override(chart_part, CT_CHART)
        self.pkg.write(drawing, b"")
        crid = self.pkg.add_rel(drawing, REL_CHART, chart_part)
        self.pkg.write(
            drawing,
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            + f'<xdr:wsDr xmlns:xdr="{XDR}" xmlns:a="{A}">'.encode()
            + anchor_xml(spec, crid, 2)
            + b"</xdr:wsDr>",
        )
        self.pkg.add_override(drawing, CT_DRAWING)
        return self.pkg.add_rel(part, REL_DRAWING, drawing)


def _set_state(pkg: Package, sheet: str, state: str) -> None:
    """Give the sheet this visibility (``veryHidden``), as the workbook part says it;
    the part is left alone when it says so already."""
    for el in pkg.xml(pkg.workbook).iter(q("sheet")):
        if el.get("name", "").casefold() == sheet.casefold() and el.get("state") != state:
            el.set("state", state)


def _next_shape_id(droot) -> int:
    ids = [
        int(e.get("id"))
        for e in droot.iter()
        if isinstance(e.tag, str) and local(e) == "cNvPr" and (e.get("id") or "").isdigit()
    ]
    return max(ids, default=1) + 1


# ------------------------------------------------------------------- marks (CF blocks)


def _is_ipxl_block(cf) -> bool:
    rules = [r for r in cf if isinstance(r.tag, str) and local(r) == "cfRule"]
    if not rules:
        return False
    for r in rules:
        formulas = [f.text or "" for f in r if isinstance(f.tag, str) and local(f) == "formula"]
        if not any(MARK_TAG in f for f in formulas):
            return False
    return True


def sqref(cells: Iterable[str]) -> str:
    """Cells as a compact sqref: runs of rows in one column become ranges (``K5:K9``)."""
    by_col: dict[int, set[int]] = {}
    for ref in cells:
        r, c = split_cell(ref)
        by_col.setdefault(c, set()).add(r)
    out = []
    for c in sorted(by_col):
        L = col_letter(c)
        out += [f"{L}{a}" if a == b else f"{L}{a}:{L}{b}" for a, b in runs(by_col[c])]
    return " ".join(out)


def _replace_marks(sx: StreamSheet | TreeSheet, styles: Styles, marks: Mapping[str, Iterable[str]]) -> None:
    root = sx.root
    removed = 0
    for _i, cf in enumerate(list(root)):
        if isinstance(cf.tag, str) and cf.tag == q("conditionalFormatting") and _is_ipxl_block(cf):
            removed += sum(1 for r in cf if isinstance(r.tag, str) and local(r) == "cfRule")
            root.remove(cf)
    blocks = [(sev, list(marks.get(sev, ()))) for sev in SEVERITY_ORDER if marks.get(sev)]
    added = len(blocks)
    shift = added - removed
    if shift:
        for rule in root.iter():
            if isinstance(rule.tag, str) and local(rule) == "cfRule" and (rule.get("priority") or "").isdigit():
                rule.set("priority", str(max(1, int(rule.get("priority")) + shift)))
    if not blocks:
        return
    new = []
    for prio, (sev, cells) in enumerate(blocks, start=1):
        dxf = styles.dxf_fill(D.FINDING_FILL.get(sev, D.FINDING_FILL["warning"]))
        cf = etree.Element(q("conditionalFormatting"))
        cf.set("sqref", sqref(cells))
        rule = etree.SubElement(cf, q("cfRule"))
        rule.set("type", "expression")
        rule.set("dxfId", str(dxf))
        rule.set("priority", str(prio))
        etree.SubElement(rule, q("formula")).text = f'"{MARK_TAG}:{sev}"<>""'
        new.append(cf)
    first = root.find(q("conditionalFormatting"))
    if first is not None:
        for cf in new:
            first.addprevious(cf)
    else:
        sx.insert(new[0])
        for prev, cf in itertools.pairwise(new):
            prev.addnext(cf)


# ------------------------------------------------------------------ sheet XML writing


def _cell(ref: str, value: object, s: int) -> str:
    sa = f' s="{s}"' if s else ""
    if value is None or (isinstance(value, float) and value != value):
        return f'<c r="{ref}"{sa}/>' if s else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{sa} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{sa}><v>{value!r}</v></c>'
    if isinstance(value, dt.datetime):
        value = stamp(value)
    elif isinstance(value, dt.date):
        value = date_text(value)
    text = escape(xml_text(value))
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f'<c r="{ref}"{sa} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _sheet_xml(content: SheetContent, role_xf, drawing_rid: str | None) -> bytes:
    width = max((len(r) for r in content.rows), default=1) or 1
    height = max(len(content.rows), 1)
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{MAIN}" xmlns:r="{R}">',
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>',
        f'<dimension ref="A1:{col_letter(width)}{height}"/>',
        '<sheetViews><sheetView workbookViewId="0">',
    ]
    if content.freeze_row:
        fr = content.freeze_row
        parts.append(
            f'<pane ySplit="{fr}" topLeftCell="A{fr + 1}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="A{fr + 1}" sqref="A{fr + 1}"/>'
        )
    parts.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
    if content.widths:
        parts.append("<cols>")
        for i, w in enumerate(content.widths, start=1):
            parts.append(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>')
        parts.append("</cols>")
    parts.append("<sheetData>")
    for r, values in enumerate(content.rows):
        if not values:
            continue
        role = content.roles.get(r)
        cells = []
        for c, v in enumerate(values):
            ref = f"{col_letter(c + 1)}{r + 1}"
            if role:
                s = role_xf(role)
            elif (r, c) in content.links:
                s = role_xf("link")
            elif c in content.wrap_cols and isinstance(v, str):
                s = role_xf("wrap")
            else:
                s = 0
            cells.append(_cell(ref, v, s))
        parts.append(f'<row r="{r + 1}">{"".join(cells)}</row>')
    parts.append("</sheetData>")
    # ipxl's own sheet: protected without a password against slips (ipxl rewrites it
    # whole each time; filters, widths and the chart stay usable)
    parts.append('<sheetProtection sheet="1" objects="0" scenarios="1" formatColumns="0" autoFilter="0"/>')
    if content.links:
        parts.append("<hyperlinks>")
        for (r, c), loc in sorted(content.links.items()):
            ref = f"{col_letter(c + 1)}{r + 1}"
            parts.append(
                f'<hyperlink ref="{ref}" location={quoteattr(xml_text(loc))} display={quoteattr(xml_text(content.rows[r][c] or ref))}/>'
            )
        parts.append("</hyperlinks>")
    parts.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    parts.append('<pageSetup orientation="landscape" paperSize="9" fitToHeight="0"/>')
    if drawing_rid:
        parts.append(f'<drawing r:id="{drawing_rid}"/>')
    parts.append("</worksheet>")
    return "".join(parts).encode("utf-8")


def excel_serial(d: dt.date) -> float:
    """A date (or date and time) as Excel's serial number (1900 date system)."""
    if isinstance(d, dt.datetime):
        delta = d - dt.datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    return float((d - dt.date(1899, 12, 30)).days)


def _grow(sx, pkg, old_last: int, new_last: int) -> None:
    """Stretch what ended at ``old_last``, the dimension, the filter and tables, to
    ``new_last``, so appended rows are inside them."""
    import re

    def stretched(ref: str) -> str:
        m = re.fullmatch(r"(\$?[A-Z]+\$?\d+):(\$?[A-Z]+)\$?(\d+)", ref or "")
        if m and int(m.group(3)) == old_last:
            return f"{m.group(1)}:{m.group(2)}{new_last}"
        return ref

    dim = sx.child("dimension")
    if dim is not None and dim.get("ref"):
        m = re.fullmatch(r"([A-Z]+\d+):([A-Z]+)(\d+)", dim.get("ref"))
        if m and int(m.group(3)) < new_last:
            dim.set("ref", f"{m.group(1)}:{m.group(2)}{new_last}")
    af = sx.child("autoFilter")
    if af is not None:
        af.set("ref", stretched(af.get("ref")))
    for _, typ, target, _ in pkg.rels(sx.part):
        if typ.endswith("/table") and pkg.has(target):
            table = pkg.xml(target)
            new = stretched(table.get("ref"))
            if new != table.get("ref"):
                table.set("ref", new)
                tf = table.find(q("autoFilter"))
                if tf is not None:
                    tf.set("ref", stretched(tf.get("ref")))
