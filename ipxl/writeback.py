"""Write results back into the officers' own workbook, changing nothing else.

Each operation is split in two:

* a **plan**, computed by pure functions from what was read (which rows turn red and
  which go back, what the Summary and Validation sheets hold, which cells are marked);
* a **target** that applies it: :class:`WorkbookTarget` is the small interface, and
  :class:`FileTarget` implements it by patching the .xlsx/.xlsm package (see
  :mod:`ipxl.xlsx_patch`). A live-Excel target (xlwings) implements the same interface,
  so the plans never depend on how the workbook is reached.

How ipxl remembers what it turned red
-------------------------------------
A red cell keeps a cell format (xf) that is a *clone* of its own format: the same
number format, fill, border, alignment, protection and parent style, with a font that
is a copy of its font in every respect but the colour, ``NEW_ROW_RED``. Clones are
appended to ``styles.xml``, never inserted, so a clone always comes after the format it
was made from. The original is therefore *derived*, not stored: it is the
lowest-numbered format equal to the clone except for the font, whose font equals the
clone's except for the colour (:meth:`ipxl.xlsx_patch.Styles.original_of`).

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

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from . import defaults as D
from .findings import Report
from .vocab import norm_ref
from .xlsx_patch import (
    A, C, CT_CHART, CT_DRAWING, MAIN, R, REL_CHART, REL_DRAWING, XDR,
    Package, SaveResult, SheetXml, Styles, local, q, quote_sheet,
)
from .cells import col_letter, split_cell

#: Text in the formula of ipxl's conditional-format marks; how they are recognised.
MARK_TAG = "ipxl:finding"
#: Name of the chart shape ipxl draws on the Summary sheet (cNvPr name).
CHART_NAME = "ipxl RAG by theme"
SEVERITY_ORDER = ("error", "warning")

# ============================================================== plans (pure data)


@dataclass(frozen=True)
class ChartSpec:
    """A bar chart of a table on the same sheet.

    Rows and columns are 1-based Excel numbers on the sheet holding the table:
    categories are ``category_col`` rows ``first_row``..``last_row``; each series is a
    column with its name in ``header_row``.
    """

    title: str
    alt_text: str
    header_row: int
    first_row: int
    last_row: int
    category_col: int
    series_cols: tuple[int, ...]
    colours: tuple[str | None, ...]
    #: (from col, from row, to col, to row), 0-based, as in a drawing anchor.
    anchor: tuple[int, int, int, int] = (9, 4, 18, 24)


@dataclass
class SheetContent:
    """What ipxl writes into a sheet it owns (Summary, Validation).

    ``rows`` are cell values from A1 (None, str, int, float, bool, date, datetime);
    ``roles`` style whole rows (``title``, ``header``, ``bold``); ``links`` maps a
    0-based (row, col) to an internal hyperlink location such as ``'Actions'!B5``.
    """

    rows: list[list[object]]
    roles: dict[int, str] = field(default_factory=dict)
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    widths: tuple[float, ...] = ()
    wrap_cols: frozenset[int] = frozenset()
    chart: ChartSpec | None = None
    freeze_row: int | None = None


@dataclass(frozen=True)
class HighlightPlan:
    """Rows (Excel numbers) to turn ``colour`` and rows to give back their own font,
    by real sheet name."""

    colour: str
    paint: dict[str, tuple[int, ...]]
    restore: dict[str, tuple[int, ...]]

    @property
    def empty(self) -> bool:
        return not any(self.paint.values()) and not any(self.restore.values())


@dataclass(frozen=True)
class ValidationPlan:
    content: SheetContent
    #: sheet name -> severity -> cell addresses; sheets absent from it lose their marks.
    marks: dict[str, dict[str, tuple[str, ...]]]


@dataclass(frozen=True)
class WritebackResult:
    """What an operation did: where the workbook went and what changed in it."""

    save: SaveResult
    details: dict[str, object]

    @property
    def path(self) -> Path:
        return self.save.path

    @property
    def backup(self) -> Path | None:
        return self.save.backup

    @property
    def changed(self) -> tuple[str, ...]:
        return self.save.changed


# ============================================================ the target interface


@runtime_checkable
class WorkbookTarget(Protocol):
    """Where write-back plans are applied: a workbook file, or a workbook open in Excel.

    Sheet names are the workbook's real names. Rows are Excel row numbers; cells are A1
    addresses.
    """

    def sheet_names(self) -> list[str]:
        """Names of the worksheets, in workbook order."""

    def red_rows(self, sheet: str, colour: str) -> set[int]:
        """Rows whose every cell carries a ``colour`` font put there by ipxl."""

    def colour_rows(self, sheet: str, rows: Iterable[int], colour: str) -> None:
        """Give every cell of ``rows`` a ``colour`` font, keeping all other formatting."""

    def restore_rows(self, sheet: str, rows: Iterable[int], colour: str) -> None:
        """Give cells of ``rows`` that ipxl coloured ``colour`` back their own font."""

    def write_sheet(self, sheet: str, content: SheetContent) -> None:
        """Create the sheet (last) or replace its contents with ``content``."""

    def set_marks(self, marks: Mapping[str, Mapping[str, Iterable[str]]]) -> None:
        """Mark these cells (sheet -> severity -> addresses) and remove every other
        ipxl mark in the workbook."""

    def commit(self) -> SaveResult:
        """Make the changes permanent."""


# ========================================================================= new rows


def new_rows(wb, previous=None) -> dict[str, set[int]]:
    """Excel rows of Actions and Milestones that are new this period, by sheet key.

    Actions follow :func:`ipxl.changes.new_this_period` (Date added within the period,
    or Ref absent from the previous workbook), the one rule that also drives the
    "(marked in red)" sentence. A Milestones row is new when its Date added is in the
    period or its (Ref, Milestone) pair is absent from the previous workbook.
    """
    from .changes import added_in_period, new_this_period

    new = new_this_period(wb, previous)
    out: dict[str, set[int]] = {"actions": {int(i) for i in new.index[new.to_numpy(dtype=bool)]}}
    sheet = wb.sheets.get("milestones")
    if sheet is None or sheet.frame.empty:
        out["milestones"] = set()
        return out
    f = sheet.frame
    mask = added_in_period(f["date_added"], wb.settings.period_start, wb.settings.period_end)
    rows = {int(i) for i in f.index[mask.to_numpy(dtype=bool)]}
    if previous is not None:
        prev = previous.sheets.get("milestones")
        old = set() if prev is None else {
            (norm_ref(r), _norm_text(m)) for r, m in zip(prev.frame["ref"], prev.frame["milestone"])
        }
        rows |= {
            int(i)
            for i, r, m in zip(f.index, f["ref"], f["milestone"])
            if r is not None and r == r and (norm_ref(r), _norm_text(m)) not in old
        }
    out["milestones"] = rows
    return out


def _norm_text(v) -> str:
    if v is None or v != v:
        return ""
    return " ".join(str(v).split()).casefold()


# ============================================================================ plans


def plan_highlight(
    new: Mapping[str, Iterable[int]],
    red: Mapping[str, Iterable[int]],
    data_rows: Mapping[str, Iterable[int]],
    colour: str = D.NEW_ROW_RED,
) -> HighlightPlan:
    """Paint every new row; restore rows that are red (by ipxl) but no longer new.

    Only data rows (below the header) are ever restored, so a title or header an
    officer styled dark red is left alone. All mappings are keyed by real sheet name.
    """
    paint, restore = {}, {}
    for sheet in sorted(set(new) | set(red)):
        n = set(new.get(sheet, ()))
        r = set(red.get(sheet, ())) & set(data_rows.get(sheet, ()))
        paint[sheet] = tuple(sorted(n - set(red.get(sheet, ()))))
        restore[sheet] = tuple(sorted(r - n))
    return HighlightPlan(colour, paint, restore)


def _stamp(now: dt.datetime) -> str:
    return now.strftime("%d %B %Y %H:%M").lstrip("0")


def _date_text(d) -> str:
    return d.strftime("%d %B %Y").lstrip("0") if d else ""


def plan_validation(report: Report, sheet_names: Iterable[str], now: dt.datetime) -> ValidationPlan:
    """The Validation sheet's content and the cells to mark, from a report."""
    by_fold = {n.casefold(): n for n in sheet_names}
    counts = report.counts
    rows: list[list[object]] = [
        ["Validation"],
        ["Checked", _stamp(now)],
        ["Errors", counts.get("error", 0)],
        ["Warnings", counts.get("warning", 0)],
        [],
        ["Sheet", "Cell", "Severity", "Code", "Message", "Suggestion"],
    ]
    links: dict[tuple[int, int], str] = {}
    marks: dict[str, dict[str, list[str]]] = {}
    for f in report.findings:
        real = by_fold.get((f.sheet or "").casefold())
        cell = f.cell
        if real and cell and _is_cell(cell):
            links[(len(rows), 1)] = f"{quote_sheet(real)}!{cell.upper()}"
            marks.setdefault(real, {}).setdefault(f.severity, [])
            if cell.upper() not in marks[real][f.severity]:
                marks[real][f.severity].append(cell.upper())
        rows.append([real or f.sheet, cell, f.severity.capitalize(), f.code, f.message, f.suggestion])
    if not report.findings:
        rows.append(["No findings: every check passed."])
    # An error outranks a warning on the same cell: the cell shows one mark.
    for real, sev in marks.items():
        errs = set(sev.get("error", ()))
        if "warning" in sev:
            sev["warning"] = [c for c in sev["warning"] if c not in errs]
    frozen = {s: {k: tuple(v) for k, v in sev.items() if v} for s, sev in marks.items()}
    content = SheetContent(
        rows=rows,
        roles={0: "title", 5: "header", 1: "bold", 2: "bold", 3: "bold"},
        links=links,
        widths=(18, 10, 10, 26, 80, 60),
        wrap_cols=frozenset({4, 5}),
        freeze_row=6,
    )
    return ValidationPlan(content, frozen)


def _is_cell(ref: str) -> bool:
    try:
        split_cell(ref)
        return True
    except ValueError:
        return False


@dataclass(frozen=True)
class RagTable:
    """RAG counts by theme: ``counts[theme][status]``, in ``themes`` and ``statuses`` order."""

    themes: tuple[str, ...]
    statuses: tuple[str, ...]
    counts: dict[str, dict[str, int]]
    colours: dict[str, str] = field(default_factory=dict)

    def total(self, theme: str) -> int:
        return sum(self.counts.get(theme, {}).get(s, 0) for s in self.statuses)


def plan_summary(
    table: RagTable,
    sentences: Iterable[str],
    *,
    period: str,
    now: dt.datetime,
    title: str = "Summary",
    changes_note: str | None = None,
) -> SheetContent:
    """The Summary sheet: period, refresh time, RAG by theme with totals, chart, changes."""
    statuses = list(table.statuses)
    rows: list[list[object]] = [
        [title],
        ["Reporting period", period],
        ["Refreshed", _stamp(now)],
        [],
        ["RAG status by theme"],
        ["Theme", *statuses, "Total"],
    ]
    header_row = len(rows)  # 1-based Excel row of the table header
    for theme in table.themes:
        c = table.counts.get(theme, {})
        rows.append([theme, *[int(c.get(s, 0)) for s in statuses], table.total(theme)])
    last_row = len(rows)
    totals = [sum(table.counts.get(t, {}).get(s, 0) for t in table.themes) for s in statuses]
    rows.append(["Total", *totals, sum(totals)])
    roles = {0: "title", 4: "bold", header_row - 1: "header", len(rows) - 1: "bold"}
    rows.append([])
    roles[len(rows)] = "bold"
    rows.append(["Changes this period"])
    sentences = list(sentences)
    for s in sentences:
        rows.append([s])
    if not sentences:
        rows.append([changes_note or "No changes to report."])
    chart = None
    if table.themes:
        chart = ChartSpec(
            title="RAG status by theme",
            alt_text=(
                "Bar chart of the number of actions at each RAG status in each theme, "
                f"for {period or 'this period'}; the same numbers are in the table beside it."
            ),
            header_row=header_row,
            first_row=header_row + 1,
            last_row=last_row,
            category_col=1,
            series_cols=tuple(range(2, 2 + len(statuses))),
            colours=tuple(table.colours.get(s) for s in statuses),
            anchor=(len(statuses) + 3, 4, len(statuses) + 12, 24),
        )
    return SheetContent(rows=rows, roles=roles, widths=(32, *[11] * len(statuses), 9), chart=chart)


# ======================================================================== file target

_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(v: object) -> str:
    return _ILLEGAL_XML.sub("", str(v))


class FileTarget:
    """:class:`WorkbookTarget` over an .xlsx/.xlsm file, patched without a model."""

    def __init__(self, path: str | Path, output: str | Path | None = None, *, backup: bool = True,
                 now: dt.datetime | None = None):
        from .xlsx_patch import check_writable

        # refuse before any work when Excel has the workbook open or it cannot be written
        check_writable(Path(output) if output is not None else Path(path), source=Path(path))
        self.pkg = Package(path)
        self.output = output
        self.backup = backup
        self.now = now
        self._styles: Styles | None = None
        self._sheets: dict[str, SheetXml] = {}
        self._clone: dict[tuple[int, str], int | None] = {}
        self._xf_roles: dict[str, int] = {}

    # -- helpers
    @property
    def styles(self) -> Styles:
        if self._styles is None:
            self._styles = Styles(self.pkg)
        return self._styles

    def _sheet(self, name: str) -> SheetXml:
        part = self.pkg.sheet_part(name)
        if part is None:
            raise KeyError(name)
        if part not in self._sheets:
            self._sheets[part] = SheetXml(self.pkg, part)
        return self._sheets[part]

    def _original(self, xf: int, colour: str) -> int | None:
        k = (xf, colour)
        if k not in self._clone:
            self._clone[k] = self.styles.original_of(xf, colour)
        return self._clone[k]

    def close(self) -> None:
        self.pkg.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- WorkbookTarget
    def sheet_names(self) -> list[str]:
        return self.pkg.sheet_names()

    def red_rows(self, sheet: str, colour: str) -> set[int]:
        if self.pkg.sheet_part(sheet) is None:
            return set()
        st = self.styles
        clones = {str(i) for i in range(st.n_xfs()) if self._original(i, colour) is not None}
        if not clones:
            return set()  # no ipxl red anywhere: no need to even parse the sheet
        sx = self._sheet(sheet)
        c_tag = q("c")
        out = set()
        for n, row in sx.rows().items():
            seen = False
            for c in row.iterchildren(c_tag):
                if c.get("s") not in clones:
                    break
                seen = True
            else:
                if seen:
                    out.add(n)
        return out

    def colour_rows(self, sheet: str, rows: Iterable[int], colour: str) -> None:
        rows = list(rows)
        if not rows:
            return
        sx = self._sheet(sheet)
        last = sx.used_columns()
        for n in rows:
            # Absent cells within the used columns are created (empty, red) so text an
            # officer types into them later is red too; restore removes them again.
            for c in sx.fill_row(n, last):
                s = int(c.get("s", "0"))
                if self._original(s, colour) is not None:
                    continue  # already ipxl's red
                new = self.styles.xf_with_font_colour(s, colour)
                if new != s:
                    c.set("s", str(new))
                    self._clone.pop((new, colour), None)

    def restore_rows(self, sheet: str, rows: Iterable[int], colour: str) -> None:
        rows = list(rows)
        if not rows:
            return
        sx = self._sheet(sheet)
        for n in rows:
            for c in sx.cells(n):
                orig = self._original(int(c.get("s", "0")), colour)
                if orig is None:
                    continue
                ref = c.get("r")
                if ref and len(c) == 0 and orig == sx.inherited_style(n, split_cell(ref)[1]):
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

    def write_sheet(self, sheet: str, content: SheetContent) -> None:
        real = self.pkg.sheet_name(sheet)
        part = self.pkg.sheet_part(sheet) if real else None
        drawing_rid = None
        if part is not None:
            old = self.pkg.xml(part)
            d = old.find(q("drawing"))
            if d is not None:
                drawing_rid = d.get(q("id", R))
            self._sheets.pop(part, None)
            self._drop_from_calc_chain(real)
        else:
            real = sheet
            part = self.pkg.add_sheet(sheet, b"")
        if content.chart is not None:
            drawing_rid = self._ensure_chart(real, part, drawing_rid, content)
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
        cc = "xl/calcChain.xml"
        if not self.pkg.has(cc):
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
            rels = self.pkg.rels_name("xl/workbook.xml")
            for rel in list(self.pkg.xml(rels)):
                if rel.get("Target", "").endswith("calcChain.xml"):
                    self.pkg.xml(rels).remove(rel)
            ct = self.pkg.xml("[Content_Types].xml")
            for el in list(ct):
                if el.get("PartName", "") == "/xl/calcChain.xml":
                    ct.remove(el)

    def _ensure_chart(self, sheet: str, part: str, drawing_rid: str | None, content: SheetContent) -> str:
        """Make sure the sheet's drawing holds ipxl's chart of ``content.chart``;
        return the drawing's relationship id. A chart that is not ipxl's (a template
        chart bound to the Summary cells) is left exactly as it is."""
        spec = content.chart
        rels = {rid: target for rid, _, target, _ in self.pkg.rels(part)}
        drawing = rels.get(drawing_rid) if drawing_rid else None
        chart_xml = _chart_xml(sheet, content)
        if drawing is not None and self.pkg.has(drawing):
            droot = self.pkg.xml(drawing)
            drels = {rid: target for rid, _, target, _ in self.pkg.rels(drawing)}
            for frame in droot.iter(q("graphicFrame", XDR)):
                cnv = frame.find(f"{q('nvGraphicFramePr', XDR)}/{q('cNvPr', XDR)}")
                chart_ref = frame.find(f".//{q('chart', C)}")
                if chart_ref is None:
                    continue
                target = drels.get(chart_ref.get(q("id", R)))
                if cnv is not None and cnv.get("name") == CHART_NAME and target:
                    if cnv.get("descr") != spec.alt_text:
                        cnv.set("descr", spec.alt_text)
                    if self.pkg.read(target) != chart_xml:
                        self.pkg.write(target, chart_xml)
                    return drawing_rid
                if target:
                    return drawing_rid  # someone else's chart: leave it alone
            # a drawing without a chart: add ours to it
            chart_part = self.pkg.free_name("xl/charts/chart{}.xml")
            self.pkg.write(chart_part, chart_xml)
            self.pkg.add_override(chart_part, CT_CHART)
            crid = self.pkg.add_rel(drawing, REL_CHART, chart_part)
            droot.append(etree.fromstring(_anchor_xml(spec, crid, _next_shape_id(droot))))
            return drawing_rid
        drawing = self.pkg.free_name("xl/drawings/drawing{}.xml")
        chart_part = self.pkg.free_name("xl/charts/chart{}.xml")
        self.pkg.write(chart_part, chart_xml)
        self.pkg.add_override(chart_part, CT_CHART)
        self.pkg.write(drawing, b"")
        crid = self.pkg.add_rel(drawing, REL_CHART, chart_part)
        self.pkg.write(
            drawing,
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            + f'<xdr:wsDr xmlns:xdr="{XDR}" xmlns:a="{A}">'.encode()
            + _anchor_xml(spec, crid, 2)
            + b"</xdr:wsDr>",
        )
        self.pkg.add_override(drawing, CT_DRAWING)
        return self.pkg.add_rel(part, REL_DRAWING, drawing)


def _next_shape_id(droot) -> int:
    ids = [int(e.get("id")) for e in droot.iter() if isinstance(e.tag, str) and local(e) == "cNvPr" and (e.get("id") or "").isdigit()]
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
        rows = sorted(by_col[c])
        start = prev = rows[0]
        for r in rows[1:] + [None]:
            if r is not None and r == prev + 1:
                prev = r
                continue
            L = col_letter(c)
            out.append(f"{L}{start}" if start == prev else f"{L}{start}:{L}{prev}")
            if r is not None:
                start = prev = r
    return " ".join(out)


def _replace_marks(sx: SheetXml, styles: Styles, marks: Mapping[str, Iterable[str]]) -> None:
    root = sx.root
    removed = 0
    for i, cf in enumerate(list(root)):
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
        for prev, cf in zip(new, new[1:]):
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
        value = _stamp(value)
    elif isinstance(value, dt.date):
        value = _date_text(value)
    text = escape(_text(value))
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
        parts.append(f'<pane ySplit="{fr}" topLeftCell="A{fr + 1}" activePane="bottomLeft" state="frozen"/>'
                     f'<selection pane="bottomLeft" activeCell="A{fr + 1}" sqref="A{fr + 1}"/>')
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
    if content.links:
        parts.append("<hyperlinks>")
        for (r, c), loc in sorted(content.links.items()):
            ref = f"{col_letter(c + 1)}{r + 1}"
            parts.append(f"<hyperlink ref=\"{ref}\" location={quoteattr(_text(loc))} display={quoteattr(_text(content.rows[r][c] or ref))}/>")
        parts.append("</hyperlinks>")
    parts.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>')
    parts.append('<pageSetup orientation="landscape" paperSize="9" fitToHeight="0"/>')
    if drawing_rid:
        parts.append(f'<drawing r:id="{drawing_rid}"/>')
    parts.append("</worksheet>")
    return "".join(parts).encode("utf-8")


# -------------------------------------------------------------------------- charts


def _anchor_xml(spec: ChartSpec, chart_rid: str, shape_id: int) -> bytes:
    fc, fr, tc, tr = spec.anchor
    return (
        f'<xdr:twoCellAnchor xmlns:xdr="{XDR}" xmlns:a="{A}" editAs="oneCell">'
        f"<xdr:from><xdr:col>{fc}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{fr}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        f"<xdr:to><xdr:col>{tc}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{tr}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
        f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
        f"<xdr:cNvPr id=\"{shape_id}\" name=\"{CHART_NAME}\" descr={quoteattr(spec.alt_text)} title={quoteattr(spec.title)}/>"
        f"<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"
        f'<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
        f'<a:graphic><a:graphicData uri="{C}"><c:chart xmlns:c="{C}" xmlns:r="{R}" r:id="{chart_rid}"/></a:graphicData></a:graphic>'
        f"</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>"
    ).encode("utf-8")


def _chart_xml(sheet: str, content: SheetContent) -> bytes:
    spec = content.chart
    qs = quote_sheet(sheet)
    rows = content.rows

    def val(r: int, c: int):
        row = rows[r - 1] if r - 1 < len(rows) else []
        return row[c - 1] if c - 1 < len(row) else None

    n = spec.last_row - spec.first_row + 1
    cat_col = col_letter(spec.category_col)
    cat_ref = f"{qs}!${cat_col}${spec.first_row}:${cat_col}${spec.last_row}"
    cat_cache = "".join(
        f'<c:pt idx="{i}"><c:v>{escape(_text(val(spec.first_row + i, spec.category_col) or ""))}</c:v></c:pt>'
        for i in range(n)
    )
    series = []
    for k, col in enumerate(spec.series_cols):
        L = col_letter(col)
        name = escape(_text(val(spec.header_row, col) or ""))
        colour = spec.colours[k] if k < len(spec.colours) else None
        fill = f'<c:spPr><a:solidFill><a:srgbClr val="{colour[-6:].upper()}"/></a:solidFill></c:spPr>' if colour else ""
        nums = "".join(
            f'<c:pt idx="{i}"><c:v>{val(spec.first_row + i, col) or 0}</c:v></c:pt>' for i in range(n)
        )
        series.append(
            f'<c:ser><c:idx val="{k}"/><c:order val="{k}"/>'
            f'<c:tx><c:strRef><c:f>{escape(qs)}!${L}${spec.header_row}</c:f><c:strCache><c:ptCount val="1"/>'
            f'<c:pt idx="0"><c:v>{name}</c:v></c:pt></c:strCache></c:strRef></c:tx>{fill}'
            f'<c:invertIfNegative val="0"/>'
            f'<c:cat><c:strRef><c:f>{escape(cat_ref)}</c:f><c:strCache><c:ptCount val="{n}"/>{cat_cache}</c:strCache></c:strRef></c:cat>'
            f'<c:val><c:numRef><c:f>{escape(qs)}!${L}${spec.first_row}:${L}${spec.last_row}</c:f>'
            f'<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="{n}"/>{nums}</c:numCache></c:numRef></c:val>'
            f"</c:ser>"
        )
    title = escape(_text(spec.title))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{C}" xmlns:a="{A}" xmlns:r="{R}">'
        '<c:roundedCorners val="0"/>'
        "<c:chart>"
        f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1400" b="1"/></a:pPr>'
        f'<a:r><a:rPr lang="en-GB" sz="1400" b="1"/><a:t>{title}</a:t></a:r></a:p></c:rich></c:tx>'
        '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
        "<c:plotArea><c:layout/>"
        '<c:barChart><c:barDir val="bar"/><c:grouping val="stacked"/><c:varyColors val="0"/>'
        + "".join(series)
        + '<c:gapWidth val="60"/><c:overlap val="100"/><c:axId val="50010001"/><c:axId val="50010002"/></c:barChart>'
        '<c:catAx><c:axId val="50010001"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="50010002"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
        '<c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="50010002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="b"/><c:majorGridlines/><c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-GB"/>'
        '<a:t>Number of actions</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
        '<c:numFmt formatCode="0" sourceLinked="0"/><c:majorTickMark val="out"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="50010001"/>'
        '<c:crosses val="max"/><c:crossBetween val="between"/></c:valAx>'
        "</c:plotArea>"
        '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    ).encode("utf-8")


# ================================================================ the operations


def _read(path):
    from .reader import read_workbook

    return read_workbook(path)


def _previous(wb, previous):
    """The previous period's workbook (see :func:`ipxl.changes.previous_for`)."""
    from .changes import previous_for

    return previous_for(wb, previous)


def highlight(path, output=None, previous=None, *, target: WorkbookTarget | None = None,
              backup: bool = True, now: dt.datetime | None = None) -> WritebackResult:
    """Turn the rows of Actions and Milestones that are new this period red
    (``NEW_ROW_RED`` font on every cell, other formatting kept) and give rows ipxl
    turned red earlier, and no longer new, back their own font.

    Writes in place with a timestamped backup, or to ``output``. Running it twice
    changes nothing the second time (and writes nothing).
    """
    own = target or FileTarget(path, output, backup=backup, now=now)
    try:
        wb = _read(path)
        details = highlight_target(own, wb, _previous(wb, previous))
        saved = own.commit()
    finally:
        if target is None:
            own.close()
    return WritebackResult(saved, details)


def highlight_target(target: WorkbookTarget, wb, previous=None) -> dict[str, dict[str, int]]:
    """Plan and apply the red-font changes for ``wb`` on ``target`` (a file or a live
    workbook); returns the counts painted, restored and new per sheet. Both doors
    (file and Excel) go through here."""
    fresh = new_rows(wb, previous)
    new_by_name, red_by_name, data_by_name = {}, {}, {}
    for key in ("actions", "milestones"):
        sheet = wb.sheets.get(key)
        if sheet is None:
            continue
        new_by_name[sheet.name] = fresh.get(key, set())
        red_by_name[sheet.name] = target.red_rows(sheet.name, D.NEW_ROW_RED)
        data_by_name[sheet.name] = {r for r in red_by_name[sheet.name] if r > sheet.header_row}
    plan = plan_highlight(new_by_name, red_by_name, data_by_name, D.NEW_ROW_RED)
    apply_highlight(target, plan)
    return {
        "painted": {s: len(r) for s, r in plan.paint.items()},
        "restored": {s: len(r) for s, r in plan.restore.items()},
        "new": {s: len(r) for s, r in new_by_name.items()},
    }


def apply_highlight(target: WorkbookTarget, plan: HighlightPlan) -> None:
    for sheet, rows in plan.restore.items():
        target.restore_rows(sheet, rows, plan.colour)
    for sheet, rows in plan.paint.items():
        target.colour_rows(sheet, rows, plan.colour)


def mark_validation(path, report: Report | None = None, output=None, *,
                    target: WorkbookTarget | None = None, backup: bool = True,
                    now: dt.datetime | None = None) -> WritebackResult:
    """Write (or replace) the Validation sheet listing ``report``'s findings with a
    link to each cell, and mark the offending cells; marks from an earlier run that
    are no longer findings disappear. ``report`` defaults to validating the file."""
    now = now or dt.datetime.now()
    own = target or FileTarget(path, output, backup=backup, now=now)
    try:
        if report is None:
            from .validation import validate

            report = validate(_read(path))
        sheet_name = own_sheet_name(own, "validation")
        plan = plan_validation(report, own.sheet_names(), now)
        own.set_marks(plan.marks)
        own.write_sheet(sheet_name, plan.content)
        saved = own.commit()
    finally:
        if target is None:
            own.close()
    return WritebackResult(saved, {
        "findings": len(report),
        "marked": sum(len(c) for m in plan.marks.values() for c in m.values()),
    })


def own_sheet_name(target: WorkbookTarget, key: str) -> str:
    """The workbook's spelling of ipxl's own sheet ``key`` (Summary, Validation), or
    the default name when the workbook has none yet."""
    want = D.SHEET_NAMES[key]
    for n in target.sheet_names():
        if n.casefold() == want.casefold():
            return n
    return want


def rag_table(wb, rollup=None) -> RagTable:
    """RAG counts by theme for the Summary sheet, from :func:`ipxl.rollup` (its themes
    and statuses, in Lists order)."""
    from .rag import rollup as count

    result = rollup if rollup is not None else count(wb)
    by = result.by_theme
    statuses = tuple(c for c in by.columns if c != "total")
    counts = {str(t): {s: int(row[s]) for s in statuses} for t, row in by.iterrows()}
    colours = {s.name: s.colour for s in wb.lists.statuses}
    return RagTable(tuple(counts), statuses, counts, colours)


def change_sentences(prev, wb) -> list[str]:
    """The change-summary sentences from :func:`ipxl.compare`; none without a
    previous workbook."""
    if prev is None:
        return []
    from .changes import compare

    return list(compare(prev, wb).summary)


def refresh_summary(path, output=None, previous=None, *, table: RagTable | None = None,
                    sentences: Iterable[str] | None = None, target: WorkbookTarget | None = None,
                    backup: bool = True, now: dt.datetime | None = None) -> WritebackResult:
    """Write (or rewrite) the Summary sheet: reporting period, refresh time, RAG counts
    by theme with totals and a native bar chart, and the change summary sentences.

    ``table`` and ``sentences`` default to the roll-up and comparison of the workbook
    (with ``previous``, or Settings' Previous workbook)."""
    now = now or dt.datetime.now()
    own = target or FileTarget(path, output, backup=backup, now=now)
    try:
        wb = _read(path)
        prev = _previous(wb, previous) if sentences is None else None
        details = summary_target(own, wb, prev, now, table=table, sentences=sentences)
        saved = own.commit()
    finally:
        if target is None:
            own.close()
    return WritebackResult(saved, details)


def summary_target(target: WorkbookTarget, wb, previous, now: dt.datetime, *, table: RagTable | None = None,
                   sentences: Iterable[str] | None = None) -> dict[str, int]:
    """Plan and write the Summary sheet of ``wb`` on ``target`` (a file or a live
    workbook). ``sentences`` default to comparing with ``previous``."""
    note = None
    if table is None:
        table = rag_table(wb)
    if sentences is None:
        sentences = change_sentences(previous, wb)
        named = wb.settings.previous_workbook
        if previous is None and named is not None:
            note = (f"The previous workbook named in Settings ({Path(named).name}) was not found, "
                    "so no changes are summarised.")
        elif previous is None:
            note = "No previous workbook given, so no changes are summarised."
    sentences = list(sentences)
    s = wb.settings
    period = s.period or " to ".join(x for x in (_date_text(s.period_start), _date_text(s.period_end)) if x)
    title = f"{s.plan_title} summary" if s.plan_title else "Summary"
    if s.council:
        title = f"{s.council}: {title}"
    content = plan_summary(table, sentences, period=period, now=now, title=title, changes_note=note)
    target.write_sheet(own_sheet_name(target, "summary"), content)
    return {"themes": len(table.themes), "sentences": len(sentences)}
