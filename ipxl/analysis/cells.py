"""Cell by cell across the monthly workbooks: every value of the Actions sheet that
changed from one period to the next, with who changed it where the workbook's Audit
trail says so, and one action's story across the year.

Actions are matched by Ref, as the history matches them (spaces and case ignored, a
Ref typed twice counts once, its first row); columns by what they hold (a spec column
by its key, whatever alias heads it, another by its header). Values are compared in
one canonical spelling (:func:`ipxl.xlsx.records.canonical`), so a workbook saved by
LibreOffice or openpyxl between two months shows no change it did not have; a cell
holding a formula is not compared. A change is put down to a person when the later
workbook's Audit trail has an entry, made since the earlier workbook, for that Ref and
column that ends at the value the later workbook holds (the latest such entry).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from .. import defaults as D
from ..checks.signoff import EXTRA, table
from ..checks.vocab import norm_ref
from ..errors import NoHistory
from ..xlsx.model import AuditEntry, Workbook
from ..xlsx.records import canonical

#: A header of the Actions sheet (normalised) -> the spec column it names.
_ALIASES = {D.normalise_header(n): c.key for c in D.COLUMNS["actions"] for n in (c.header, *c.aliases)}


@dataclass(frozen=True)
class CellChange:
    """One value of an action that changed between two consecutive periods."""

    period: str  #: the later period's label
    period_end: dt.date
    file: str  #: the later workbook's file name
    ref: str  #: as typed in the later workbook
    ref_key: str
    column: str  #: the header, as the later workbook spells it
    before: str
    after: str
    who: str | None = None  #: from the Audit trail, when it says
    when: str | None = None
    how: str | None = None

    def to_dict(self) -> dict:
        return {
            "period": self.period,
            "period_end": self.period_end.isoformat(),
            "file": self.file,
            "ref": self.ref,
            "ref_key": self.ref_key,
            "column": self.column,
            "from": self.before,
            "to": self.after,
            "who": self.who,
            "when": self.when,
            "how": self.how,
        }


def column_id(header: str) -> str:
    """What a header of the Actions sheet holds: the spec column's key, or the header."""
    norm = D.normalise_header(header)
    return _ALIASES.get(norm, EXTRA + norm)


def _label(wb: Workbook) -> str:
    end = wb.settings.period_end
    return wb.settings.period or (f"{end:%B %Y}" if end else wb.path.name)


def action_values(wb: Workbook) -> dict[str, tuple[str, dict[str, tuple[str, str]]]]:
    """Each action of ``wb`` by normalised Ref, first row only: (the Ref as typed,
    column id -> (header, canonical value)), in sheet order."""
    sheet = wb.sheets.get("actions")
    if sheet is None or not sheet.header_row or "ref" not in sheet.letters:
        return {}
    t = table(sheet)
    at = t.columns.index("ref")
    typed = {int(n): r for n, r in sheet.raw["ref"].items()}
    out: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {}
    for n, values in sorted(t.rows.values(), key=lambda nv: nv[0]):
        key = norm_ref(values[at]) if values[at] else ""
        if key and key not in out:
            ref = canonical(typed.get(n)) or values[at]
            out[key] = (ref, {c: (h, v) for c, h, v in zip(t.columns, t.headers, values, strict=True)})
    return out


def _who(entries: list[AuditEntry], key: str, col: str, after: str, kind: str) -> AuditEntry | None:
    """The latest entry of ``entries`` that changed ``col`` of ``key`` to ``after``."""
    for e in reversed(entries):
        if norm_ref(e.ref) == key and column_id(e.column) == col and canonical(e.after, kind) == after:
            return e
    return None


def _kind(col: str) -> str:
    return next((c.kind for c in D.COLUMNS["actions"] if c.key == col), "text")


def cell_changes(workbooks: Iterable[Workbook]) -> list[CellChange]:
    """Every value of an action that changed between consecutive ``workbooks`` (oldest
    first, as :func:`ipxl.analysis.history.load_series` orders them), once each, in
    period order, then in the later workbook's row and column order.

    >>> from ipxl import resources
    >>> from ipxl.xlsx.reader import read_workbook
    >>> changed = cell_changes([read_workbook(resources.previous_sample_path()), read_workbook(resources.sample_path())])
    >>> changed[0].period, bool(changed[0].column)
    ('October 2023', True)
    """
    books = list(workbooks)
    values = [action_values(wb) for wb in books]
    out: list[CellChange] = []
    for k in range(1, len(books)):
        out += _changes(books[k - 1], books[k], values[k - 1], values[k])
    return out


def _changes(a: Workbook, b: Workbook, before, after) -> list[CellChange]:
    """The values that changed from workbook ``a`` to ``b`` (their :func:`action_values`)."""
    known = set(a.audit)
    fresh = [e for e in b.audit if e not in known]  # what ipxl changed since the earlier workbook
    end = b.settings.period_end or dt.date.min
    out = []
    for key, (ref, now) in after.items():
        if key not in before:
            continue
        then = before[key][1]
        for col in dict.fromkeys([*now, *then]):
            # a column in one workbook only (added, or taken out) reads blank in the other
            header, y = now[col] if col in now else (then[col][0], "")
            x = then.get(col, (header, ""))[1]
            if x == y or D.FORMULA_TOKEN in (x, y):
                continue
            e = _who(fresh, key, col, y, _kind(col))
            out.append(
                CellChange(
                    _label(b),
                    end,
                    b.path.name,
                    ref,
                    key,
                    header,
                    x,
                    y,
                    e.who if e else None,
                    e.when if e else None,
                    e.how if e else None,
                )
            )
    return out


@dataclass
class Story:
    """One action across the periods: where it first appears and with what, each
    value changed after, and the Audit trail's entries for it. ``to_dict()`` is
    what ``ipxl audit REF --format json`` prints."""

    ref: str
    ref_key: str
    periods: list[dict] = field(default_factory=list)
    audit: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"ref": self.ref, "ref_key": self.ref_key, "periods": self.periods, "audit": self.audit}


#: The columns an action's first appearance is described by, in this order.
FIRST_SEEN = ("theme", "description", "lead", "due_date", "revised_due_date", "status", "closure")


def story(workbooks: Iterable[Workbook], ref: str) -> Story:
    """The story of action ``ref`` across ``workbooks`` (oldest first): for each
    period, whether it is there, its values when first seen, and what changed since
    the period before (with who, where the Audit trail says); then every Audit trail
    entry for it in the latest workbook that holds one. Raises
    :class:`~ipxl.errors.NoHistory` when no workbook has the action."""
    books = list(workbooks)
    key = norm_ref(ref)
    values = [action_values(wb) for wb in books]
    if not any(key in v for v in values):
        names = (
            f"{books[0].path.name}"
            if len(books) == 1
            else f"the {len(books)} workbooks ({_label(books[0])} to {_label(books[-1])})"
        )
        raise NoHistory(f"No action {ref} in {names}; check the Ref (ipxl history lists them).")
    out = Story(ref, key)
    seen = False
    for k, (wb, v) in enumerate(zip(books, values, strict=True)):
        row: dict[str, object] = {
            "period": _label(wb),
            "period_end": wb.settings.period_end.isoformat() if wb.settings.period_end else None,
            "file": wb.path.name,
            "present": key in v,
        }
        if key in v:
            out.ref = v[key][0]
            if not seen:
                row["first_seen"] = {
                    v[key][1][c][0]: v[key][1][c][1] for c in FIRST_SEEN if v[key][1].get(c, ("", ""))[1]
                }
            mine = [{key: v[key]}, values[k - 1]] if k else None
            row["changes"] = [
                {"column": c.column, "from": c.before, "to": c.after, "who": c.who, "when": c.when}
                for c in (_changes(books[k - 1], wb, mine[1], mine[0]) if mine else [])
            ]
            seen = True
        out.periods.append(row)
    latest = next((wb for wb in reversed(books) if wb.audit), None)
    if latest is not None:
        out.audit = [e.to_dict() for e in latest.audit if norm_ref(e.ref) == key]
    return out
