"""Sign-off: what Leadership Team approved, and what changed since.

A sign-off (``ipxl sign-off``, :mod:`ipxl.writeback.signoff`) records the period, who
approved it, when, and a **fingerprint** of the plan's content: the values of the
record sheets (Actions, Milestones, Recommendations, Changes, Risks), nothing else.
Formatting, column widths and order, blank rows, ipxl's own sheets and the sign-off
itself do not count, and each value is taken in one canonical spelling
(:func:`ipxl.xlsx.records.canonical`), so a workbook saved again by Excel,
LibreOffice or openpyxl keeps its fingerprint. The values signed are kept too, in a
very hidden sheet, so that :func:`differences` can name each cell changed since.

Rows are matched by their key where the sheet has one (Actions by Ref,
Recommendations by Rec ID, Risks by Risk ref: sorting the sheet changes nothing),
elsewhere by their place among the sheet's records; columns by what they hold (a spec
column by its key, whatever alias heads it; another by its header). A cell holding a
formula is not compared: its value is computed from cells that are (and openpyxl's
saves drop that value).

>>> from ipxl import resources
>>> from ipxl.xlsx.reader import read_workbook
>>> wb = read_workbook(resources.sample_path())
>>> approval(wb).state, len(fingerprint(content(wb)))
('none', 64)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .. import defaults as D
from ..findings import Finding
from ..xlsx.model import SheetData, SignedTable, Workbook
from ..xlsx.records import KEYED, PLACED, canonical
from .vocab import norm_ref

EXTRA = "extra:"


# ------------------------------------------------------------------ the content


def _column_ids(sheet: SheetData) -> list[tuple[str, str, str, str]]:
    """(column id, header as written, frame column, kind) of each column of the table."""
    out = []
    for col in D.COLUMNS[sheet.key]:
        if col.key in sheet.letters:
            out.append((col.key, sheet.header(col.key), col.key, col.kind))
    for label in sheet.extra_letters:
        out.append((EXTRA + D.normalise_header(label), label, label, "text"))
    return out


def _letter(sheet: SheetData, column_id: str) -> str | None:
    if column_id.startswith(EXTRA):
        want = column_id.removeprefix(EXTRA)
        return next((x for h, x in sheet.extra_letters.items() if D.normalise_header(h) == want), None)
    return sheet.letters.get(column_id)


def table(sheet: SheetData) -> SignedTable:
    """One record sheet's content: its rows by id, each value canonical, formula cells
    as :data:`ipxl.defaults.FORMULA_TOKEN`."""
    if sheet.unread:
        # a programming slip, not the officer's: part of the sheet was not read
        raise ValueError(f"a sign-off needs every column of {sheet.name}; {sorted(sheet.unread)} were not read")
    cols = _column_ids(sheet)
    formulas = sheet.formulas or frozenset()
    grid = []
    for col_id, _header, frame_col, kind in cols:
        # most cells are one line of plain text, canonical once trimmed; the rest
        # (numbers, dates, line breaks, characters XML cannot hold) take the long way
        values = [
            v.strip() if v.__class__ is str and v.isprintable() else canonical(v, kind)
            for v in sheet.raw[frame_col].tolist()
        ]
        if formulas:
            letter = _letter(sheet, col_id)
            for i, n in enumerate(sheet.raw.index.tolist()):
                if f"{letter}{n}" in formulas:
                    values[i] = D.FORMULA_TOKEN
        grid.append(values)
    rows_n = sheet.raw.index.tolist()
    ids = [f"{PLACED}{i}" for i in range(1, len(rows_n) + 1)]
    key_col = D.SIGNOFF_KEYS.get(sheet.key)
    if key_col is not None and key_col in sheet.letters:
        keys = [norm_ref(v) if v else "" for v in grid[[c[0] for c in cols].index(key_col)]]
        seen: dict[str, int] = {}
        for k in keys:
            seen[k] = seen.get(k, 0) + 1
        ids = [f"{KEYED}{k}" if k and seen[k] == 1 else ids[i] for i, k in enumerate(keys)]
    out = SignedTable(sheet.key, sheet.name, [c[0] for c in cols], [c[1] for c in cols])
    for i, (row_id, n) in enumerate(zip(ids, rows_n, strict=True)):
        out.rows[row_id] = (int(n), [g[i] for g in grid])
    return out


def content(wb: Workbook) -> dict[str, SignedTable]:
    """The plan's content as a sign-off fingerprints it: each record sheet the
    workbook has, by key (:func:`table`)."""
    return {
        key: table(sheet) for key in D.RECORD_SHEETS if (sheet := wb.sheets.get(key)) is not None and sheet.header_row
    }


def fingerprint(tables: dict[str, SignedTable]) -> str:
    """The SHA-256 of the content in one canonical form, as 64 hex digits: sheets,
    rows (by id) and columns (by id) in sorted order, blank values left out, each
    part between separators no cell can hold (control characters XML does not allow)."""
    h = hashlib.sha256()
    for key in sorted(tables):
        t = tables[key]
        order = sorted(range(len(t.columns)), key=t.columns.__getitem__)
        names = [f"\x1d{t.columns[j]}\x1f" for j in order]
        h.update(f"\x1c{key}".encode())
        for row_id in sorted(t.rows):
            values = t.rows[row_id][1]
            mine = [values[j] if j < len(values) else "" for j in order]
            cells = "".join([n + v for n, v in zip(names, mine, strict=True) if v])
            h.update(f"\x1e{row_id}{cells}".encode())
    return h.hexdigest()


def values_signed(tables: dict[str, SignedTable]) -> int:
    """How many values (cells not blank) the content holds."""
    return sum(1 for t in tables.values() for _, values in t.rows.values() for v in values if v)


# ------------------------------------------------------------------ what changed


@dataclass(frozen=True)
class Difference:
    """One way the workbook differs from what was signed: a value ``changed``, a row
    ``added`` or a row ``removed``."""

    kind: str
    sheet: str  #: the sheet's name (now, or at sign-off when it is gone)
    row: int | None  #: Excel row now (at sign-off, for a removed row)
    label: str  #: the row's key (a Ref) or "Row 12"
    column: str | None  #: the column's header
    cell: str | None  #: A1 address now
    before: str = ""
    after: str = ""

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "sheet": self.sheet,
            "row": self.row,
            "label": self.label,
            "column": self.column,
            "cell": self.cell,
            "signed": self.before,
            "now": self.after,
        }


def differences(
    signed: dict[str, SignedTable], wb: Workbook, now: dict[str, SignedTable] | None = None
) -> list[Difference]:
    """Every value of ``wb`` that differs from ``signed`` (a sign-off's record), in
    sheet and row order: values changed, rows added and rows removed."""
    now = content(wb) if now is None else now
    out: list[Difference] = []
    for key in D.RECORD_SHEETS:
        before, after = signed.get(key), now.get(key)
        if before is None and after is None:
            continue
        sheet = wb.sheets.get(key)
        name = sheet.name if sheet is not None else (before.name if before is not None else key)
        b_rows = before.rows if before is not None else {}
        a_rows = after.rows if after is not None else {}
        b_cols = before.columns if before is not None else []
        a_cols = after.columns if after is not None else []
        headers = dict(zip(b_cols, before.headers, strict=False)) if before is not None else {}
        if after is not None:
            headers.update(zip(a_cols, after.headers, strict=False))
        columns = list(dict.fromkeys([*a_cols, *b_cols]))
        for row_id, (n, values) in sorted(a_rows.items(), key=lambda kv: kv[1][0]):
            label = _label(row_id, n)
            if row_id not in b_rows:
                first = a_cols[0] if a_cols else None
                cell = f"{_letter(sheet, first)}{n}" if sheet is not None and first and _letter(sheet, first) else None
                out.append(Difference("added", name, n, label, None, cell, "", _summary(values)))
                continue
            if a_cols == b_cols and values == b_rows[row_id][1]:
                continue  # the row as signed: nearly every row, compared at C speed
            was = dict(zip(b_cols, b_rows[row_id][1], strict=False))
            is_ = dict(zip(a_cols, values, strict=False))
            for col in columns:
                x, y = was.get(col, ""), is_.get(col, "")
                if x == y or D.FORMULA_TOKEN in (x, y):
                    continue
                letter = _letter(sheet, col) if sheet is not None else None
                out.append(
                    Difference(
                        "changed", name, n, label, headers.get(col, col), f"{letter}{n}" if letter else None, x, y
                    )
                )
        for row_id, (n, values) in sorted(b_rows.items(), key=lambda kv: kv[1][0]):
            if row_id not in a_rows:
                out.append(Difference("removed", name, n, _label(row_id, n), None, None, _summary(values), ""))
    return out


def _label(row_id: str, n: int) -> str:
    return row_id.removeprefix(KEYED) if row_id.startswith(KEYED) else f"Row {n}"


def _summary(values: list[str]) -> str:
    """A row's values in one line, for a row added or removed."""
    text = " | ".join(v for v in values if v and v != D.FORMULA_TOKEN)
    return text if len(text) <= 120 else text[:117] + "..."


# ------------------------------------------------------------------ approval


def day_text(d) -> str:
    """A date as the papers say it: ``7 November 2023``."""
    from ..dates import spoken

    return spoken(d)


@dataclass(frozen=True)
class Approval:
    """Whether the workbook is as Leadership Team approved it.

    ``state`` is ``approved`` (the latest sign-off is of this period and nothing
    changed since), ``changed`` (something did), ``other-period`` (the latest sign-off
    is of another period), ``unsigned`` (no sign-off, and Settings' Sign-off by asks
    for one) or ``none`` (no sign-off, none asked for)."""

    state: str
    by: str = ""
    on: object = None  #: the date approved (a ``datetime.date``)
    period: str = ""  #: the period approved
    current_period: str = ""
    fingerprint: str = ""  #: of the content now
    differences: tuple[Difference, ...] = ()
    #: why the values signed could not be compared cell by cell (the hidden record
    #: is missing or was edited): then only the fingerprints are
    problem: str | None = None

    @property
    def when(self) -> str:
        return f" on {day_text(self.on)}" if self.on else ""

    @property
    def line(self) -> str:
        """What an approved paper says on its first page ("" otherwise)."""
        return f"Approved by {self.by}{self.when}" if self.state == "approved" else ""

    @property
    def draft(self) -> str:
        """Why the papers are drafts, after "DRAFT: " ("" when they are not)."""
        if self.state == "changed":
            return f"changed since approval by {self.by}{self.when}"
        if self.state == "other-period":
            return f"not approved for {self.current_period} ({self.by} approved {self.period}{self.when})"
        if self.state == "unsigned":
            return f"not yet approved by {self.by}"
        return ""

    def to_dict(self) -> dict:
        return {
            "state": self.state,
            "by": self.by,
            "on": self.on.isoformat() if hasattr(self.on, "isoformat") else None,
            "period": self.period,
            "fingerprint": self.fingerprint,
            "line": self.line,
            "draft": self.draft,
            "differences": [d.to_dict() for d in self.differences],
            "problem": self.problem,
        }


def approval(wb: Workbook) -> Approval:
    """Compare ``wb`` with its latest sign-off (see :class:`Approval`). The values
    signed are compared cell by cell when the hidden record of them is intact (its
    own fingerprint is the one the Sign-off sheet records); otherwise the content's
    fingerprint is compared with the recorded one, and ``problem`` says why."""
    # validate and the pack both ask, in one command: the answer is kept with the
    # workbook (whose frames do not change once read)
    got = wb.approval
    if isinstance(got, Approval):
        return got
    wb.approval = got = _approval(wb)
    return got


def _approval(wb: Workbook) -> Approval:
    record = wb.signoff
    asked = wb.settings.signoff_by
    latest = record.latest if record is not None else None
    if record is None or latest is None:
        return Approval("unsigned" if asked else "none", by=asked, current_period=wb.settings.period)
    now = content(wb)
    fp = fingerprint(now)
    problem = record.problem
    if record.signed is not None and problem is None:
        if record.signed_fingerprint != latest.fingerprint:
            problem = f"the hidden sheet {D.SHEET_NAMES['signed']} holds the values of another sign-off"
        elif fingerprint(record.signed) != latest.fingerprint:
            problem = f"the hidden sheet {D.SHEET_NAMES['signed']} was edited since the sign-off"
    if problem is None and record.signed is not None:
        diffs = tuple(differences(record.signed, wb, now))
        same = not diffs
    else:
        diffs, same = (), fp == latest.fingerprint
    period = wb.settings.period
    if latest.period and period and D.normalise_header(latest.period) != D.normalise_header(period):
        state = "other-period"
    else:
        state = "approved" if same else "changed"
    return Approval(state, latest.by, latest.on, latest.period, period, fp, diffs, problem)


# ------------------------------------------------------------------ findings


def signoff_findings(wb: Workbook) -> list[Finding]:
    """The validation findings of a sign-off: each value changed, row added and row
    removed since the latest one (warnings: an edit after sign-off is not an error in
    the data, and the papers say DRAFT until it is approved again), and a record of
    the values signed that cannot be used."""
    a = approval(wb)
    if a.state in ("none", "unsigned"):
        return []
    who = f"the sign-off by {a.by}{a.when}"
    again = "sign off again once it is approved (ipxl sign-off, or the Sign off button)"
    out = []
    sheet_name = wb.signoff.sheet if wb.signoff is not None else D.SHEET_NAMES["signoff"]
    if a.problem is not None:
        verdict = "is as signed" if a.state != "changed" else "has changed since"
        out.append(
            Finding(
                sheet_name,
                None,
                None,
                None,
                "warning",
                "signoff-record-damaged",
                f"The changed cells cannot be listed: {a.problem}. By its fingerprint the plan {verdict} {who}.",
                f"If the plan is as approved, {again}; that writes the record anew.",
            )
        )
    for d in a.differences:
        if d.kind == "changed":
            out.append(
                Finding(d.sheet, d.row, d.column, d.cell, "warning", "changed-since-signoff",
                        f"{d.label} {d.column}: changed since {who}; it was {_shown(d.before)}, now {_shown(d.after)}.",
                        f"If the change is meant, {again}; otherwise put back {_shown(d.before)}.")
            )  # fmt: skip
        elif d.kind == "added":
            out.append(
                Finding(d.sheet, d.row, None, d.cell, "warning", "row-added-since-signoff",
                        f"{d.label} was added since {who}: {d.after}.", f"If the row is meant, {again}.")
            )  # fmt: skip
        else:
            out.append(
                Finding(d.sheet, None, None, None, "warning", "row-removed-since-signoff",
                        f"{d.label} (row {d.row} at sign-off) was removed since {who}: {d.before}.",
                        f"If that is meant, {again}; otherwise put the row back.")
            )  # fmt: skip
    return out


def _shown(v: str) -> str:
    return repr(v) if v else "blank"
