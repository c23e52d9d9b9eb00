"""``ipxl returns merge``: the leads' returns, checked, into the master.

For each row of a return and each column a lead may change
(:data:`ipxl.defaults.RETURN_EDITS`), the return's value is compared with the master as
it is now and as it was when the return was made (the return's snapshot):

1. the same as the master now: **unchanged** (this is also a return merged before);
2. the same as the snapshot: the lead left it; **unchanged**, the master's value stays;
3. the master changed since the return was made: a **conflict**; the master's value
   stays and both are reported;
4. otherwise the lead's change, checked by the master's own rules for that value (a
   status in Lists, a real date, a Reason for change with a new Revised due date, an
   exception reason for Red, a progress update for Red or Amber, a Completion date only
   on a complete action and not after Period end): **applied**, or **rejected** with the
   return's cell, the rule's code and what to do. A status Complete with no Completion
   date gets the day of the merge.

A row whose ref is not in the master, or is not the return's lead's action, is
**foreign** and nothing of it is applied. Accepted changes go into the master's
Actions cells through the same patching as every write (only those cells and the
Changes sheet change; a new Revised due date appends a ``Timescale change`` to
Changes, dated the day of the merge or the period's end if that is earlier, Approved by
left for the officer), under the workbook's lock, with a backup.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import defaults as D
from ..checks import rules
from ..checks.vocab import norm_ref
from ..dates import uk
from ..errors import NotAWorkbook
from ..xlsx.cells import col_index
from ..xlsx.convert import in_range, parse_text_date
from ..xlsx.model import AuditEntry, Workbook
from .make import SNAPSHOT_VERSION, snapshot_text


@dataclass
class ReturnResult:
    """What merging one return did; ``to_dict()`` is its JSON."""

    file: str
    lead: str
    applied: list[dict] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    foreign: list[dict] = field(default_factory=list)
    #: changes applied that break a rule validation only warns of (an Amber with no
    #: exception reason): the same code validation gives
    warnings: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "lead": self.lead,
            "applied": self.applied,
            "unchanged": self.unchanged,
            "conflicts": self.conflicts,
            "rejected": self.rejected,
            "foreign": self.foreign,
            "warnings": self.warnings,
        }


@dataclass
class MergeResult:
    returns: list[ReturnResult]
    #: leads a return was made for (by the manifest beside the returns) with none here
    missing: list[str]
    #: the master as written (None when nothing changed)
    written: Path | None = None
    backup: Path | None = None
    timescale_rows: int = 0

    def to_dict(self) -> dict:
        return {"returns": [r.to_dict() for r in self.returns], "missing": self.missing}


# ------------------------------------------------------------------ reading a return


@dataclass
class _Return:
    path: Path
    meta: dict[str, str]
    snapshot: dict[str, dict[str, str]]  # norm ref -> column -> text
    #: (ref as typed, Excel row, {key: (value, cell)}) per data row
    rows: list[tuple[str, int, dict[str, tuple[object, str]]]]


def _cells(book, name: str) -> list[list]:
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def read_return(path: str | Path) -> _Return:
    """A return as ``returns make`` wrote it and a lead saved it. Raises
    :class:`~ipxl.errors.NotAWorkbook` with one sentence when it is not one."""
    from ..xlsx.calamine import calamine_book
    from ..xlsx.cells import col_letter
    from ..xlsx.package import check_file
    from ..xlsx.sparse import SparseWorkbook

    path = Path(path)
    book = calamine_book(path, check_file(path)) or SparseWorkbook(path)
    if D.RETURN_SNAPSHOT not in book.sheet_names or D.RETURN_SHEET not in book.sheet_names:
        raise NotAWorkbook(
            f"{path.name} is not an ipxl return (it has no {D.RETURN_SHEET!r} sheet with its hidden record); "
            "merge the files `ipxl returns make` wrote."
        )
    snap = _cells(book, D.RETURN_SNAPSHOT)
    if not snap or str(snap[0][0]).strip() != "ipxl return" or str(snap[0][1]).strip() != str(SNAPSHOT_VERSION):
        raise NotAWorkbook(f"{path.name} was made by another version of ipxl; make the returns again.")
    meta: dict[str, str] = {}
    i = 1
    while i < len(snap) and str(snap[i][0]) != "ref":
        meta[str(snap[i][0])] = str(snap[i][1] if len(snap[i]) > 1 else "")
        i += 1
    header = [str(v) for v in snap[i]] if i < len(snap) else []
    snapshot = {}
    for row in snap[i + 1 :]:
        if row and str(row[0]).strip():
            snapshot[norm_ref(row[0])] = {k: str(v) if v is not None else "" for k, v in zip(header[1:], row[1:])}
    grid = _cells(book, D.RETURN_SHEET)
    headers = {h: k for k, h, _ in D.RETURN_COLUMNS}
    hrow = next(
        (r for r in range(min(len(grid), 20)) if grid[r] and str(grid[r][0]).strip() == D.RETURN_COLUMNS[0][1]),
        None,
    )
    if hrow is None:
        raise NotAWorkbook(f"{path.name} has lost its table's header row (Ref ...); make the return again.")
    pos = {headers[str(h).strip()]: j for j, h in enumerate(grid[hrow]) if str(h).strip() in headers}
    rows = []
    for r in range(hrow + 1, len(grid)):
        line = grid[r]
        ref = line[pos["ref"]] if pos.get("ref", 99) < len(line) else ""
        if ref is None or not str(ref).strip():
            continue
        cells = {}
        for key in (*D.RETURN_EDITS, "reason"):
            j = pos.get(key)
            value = line[j] if j is not None and j < len(line) else None
            cells[key] = (value, f"{col_letter(j + 1) if j is not None else '?'}{r + 1}")
        rows.append((str(ref).strip(), r + 1, cells))
    return _Return(path, meta, snapshot, rows)


# ------------------------------------------------------------------ values


def _value(key: str, v, lists) -> tuple[object, str | None, str | None]:
    """A return's cell as the master would hold it: (value, rule code, message) with a
    code when the value breaks the master's rule for it."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None, None, None
    if key in ("revised_due_date", "completion_date"):
        if isinstance(v, dt.datetime):
            d: dt.date | None = v.date()
        elif isinstance(v, dt.date):
            d = v
        elif isinstance(v, str):
            d = parse_text_date(v.strip())
        else:
            d = None  # a bare number is not a date a lead typed
        if d is None or not in_range(d):
            return v, "invalid-date", f"{v!r} is not a date; type it as 31/03/2024."
        return d, None, None
    text = str(v).strip()
    if isinstance(v, float) and v.is_integer():
        text = str(int(v))
    if key == "status":
        # judged as validation judges the master's cell: a status spelled as in Lists
        # (case and spacing aside) is read as meant; anything else ("On track") is
        # refused with validation's own words and its suggestion
        judged = rules.list_value(text, lists.status_names, D.STATUS_ALIASES)
        if not judged.ok:
            message, suggestion = judged.message("Status", text, "status", lists.status_names)
            return text, "invalid-status", f"{message} Type {suggestion}." if judged.meant else message
        return judged.meant, None, None
    return text, None, None


def _same(col: str, a, b, lists) -> bool:
    """Whether two values of a column mean the same: a status spelled as in Lists but
    for case and spacing is that status; a near-miss ("On track") is only itself, so a
    lead who types one is told (validation's rule), never counted as unchanged."""
    ta, tb = snapshot_text(a), snapshot_text(b)
    if col == "status":
        ta, tb = (_listed(t, lists) for t in (ta, tb))
    return ta == tb


def _listed(text: str, lists) -> str:
    judged = rules.list_value(text, lists.status_names, D.STATUS_ALIASES)
    return judged.meant if judged.ok and judged.meant is not None else text


# ------------------------------------------------------------------ the merge


def merge_returns(
    plan: str | Path,
    returns: list[str | Path],
    *,
    output: str | Path | None = None,
    backup: bool = True,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> MergeResult:
    """Merge ``returns`` (files, or folders of them) into the master ``plan`` (or
    ``output``); see the module docstring for every rule. Returns what each return
    did; the master is written once, with one backup, only when something changed."""
    from ..writeback.audit import record_changes
    from ..writeback.file_target import FileTarget
    from ..xlsx.reader import read_workbook

    today = today or dt.date.today()
    files = return_files(returns)
    parsed = [read_return(p) for p in files]  # every return checked before any write
    with FileTarget(plan, output, backup=backup, now=now) as target:
        wb = read_workbook(plan)
        results, cells, log = plan_merge(wb, parsed, today)
        written = None
        saved = None
        actions, changes = wb.sheets.get("actions"), wb.sheets.get("changes")
        if actions is not None and (cells or log):
            target.set_values(actions.name, cells)
            if log and changes is not None:
                target.append_rows(changes.name, log)
            record_changes(target, wb, audit_entries(wb, results, now or dt.datetime.now()))
            saved = target.commit()
            written = saved.path if saved.written else None
    missing = missing_leads(files, parsed)
    return MergeResult(results, missing, written, saved.backup if saved else None, len(log))


def audit_entries(wb: Workbook, results: list[ReturnResult], now: dt.datetime) -> list[AuditEntry]:
    """The Audit trail's rows for the changes ``results`` applied to ``wb``'s Actions:
    each value's cell, column, from and to, and the lead whose return it came from."""
    from ..writeback.audit import when_text

    sheet = wb.sheets.get("actions")
    name = sheet.name if sheet is not None else D.SHEET_NAMES["actions"]
    return [
        AuditEntry(
            when_text(now),
            name,
            a["ref"],
            a.get("cell", ""),
            sheet.header(a["column"]) if sheet else a["column"],
            a["from"],
            a["to"],
            r.lead,
            f"merged from {Path(r.file).name}",
        )
        for r in results
        for a in r.applied
    ]


def return_files(paths: list[str | Path]) -> list[Path]:
    """The files given, and the workbooks in the folders given, each once."""
    from ..xlsx.safe_write import workbook_files

    out: list[Path] = []
    for p in map(Path, paths):
        out += workbook_files(p) if p.is_dir() else [p]
    return list(dict.fromkeys(out))


def missing_leads(files: list[Path], parsed: list[_Return]) -> list[str]:
    """Leads the manifests beside these returns list with no return in this merge."""
    have = {r.meta.get("lead", "") for r in parsed}
    sent: list[str] = []
    for folder in dict.fromkeys(f.parent for f in files):
        manifest = folder / D.RETURN_MANIFEST
        if manifest.is_file():
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
                sent += [str(r["lead"]) for r in data.get("returns", [])]
            except (ValueError, KeyError, TypeError):
                continue  # a manifest edited by hand: no verdict on who is missing
    return [lead for lead in dict.fromkeys(sent) if lead not in have]


def plan_merge(wb: Workbook, parsed: list[_Return], today: dt.date):
    """What merging ``parsed`` returns into ``wb`` would do: the results per return,
    the Actions cells to set, ``(row, column) -> value``, and the Changes rows to add.
    Both doors (the file and Excel) apply it."""
    actions = wb.sheets.get("actions")
    f = wb.frame("actions")
    lists = wb.lists
    letters = actions.letters if actions is not None else {}
    by_ref: dict[str, int] = {}
    for i, r in zip(f.index, f["ref"], strict=True):
        if isinstance(r, str) and r.strip():
            by_ref.setdefault(norm_ref(r), i)
    changes = wb.sheets.get("changes")
    period_end = wb.settings.period_end
    # what the merge dates (a Timescale change, a completion given no date): in the
    # period the returns report on, as the master's rules want
    when = min(today, period_end) if period_end else today
    cells: dict[tuple[int, int], object] = {}
    log: list[list[object]] = []
    results = []
    for ret in parsed:
        lead = ret.meta.get("lead", "")
        by = ret.meta.get("by", "lead")
        res = ReturnResult(str(ret.path), lead)
        for ref, _row, row_cells in ret.rows:
            key = norm_ref(ref)
            i = by_ref.get(key)
            if key not in ret.snapshot:
                res.foreign.append({"ref": ref, "reason": "not in this return as it was made"})
                continue
            if i is None:
                res.foreign.append({"ref": ref, "reason": "not in the master"})
                continue
            owner = f.at[i, by] if by in f.columns else None
            if isinstance(owner, str) and snapshot_text(owner) and snapshot_text(owner) != lead:
                res.foreign.append({"ref": ref, "reason": f"the master gives it to {owner.strip()}, not {lead}"})
                continue
            snap = ret.snapshot[key]
            proposed: dict[str, object] = {}
            for col in D.RETURN_EDITS:
                raw, cell = row_cells[col]
                value, code, message = _value(col, raw, lists)
                master_now = f.at[i, col]
                if _same(col, value, master_now, lists) or (
                    code is None and _same(col, value, snap.get(col, ""), lists)
                ):
                    res.unchanged += 1
                    continue
                if code is not None:
                    res.rejected.append({"ref": ref, "column": col, "cell": cell, "value": snapshot_text(raw), "code": code,
                                         "message": message})  # fmt: skip
                    continue
                if not _same(col, master_now, snap.get(col, ""), lists):
                    res.conflicts.append(
                        {"ref": ref, "column": col, "master": snapshot_text(master_now), "return": snapshot_text(value)}
                    )
                    continue
                proposed[col] = value
            _check_row(f, i, ref, row_cells, proposed, res, period_end, changes is not None, when)
            for col, value in proposed.items():
                if col not in letters:
                    res.rejected.append({"ref": ref, "column": col, "cell": row_cells[col][1], "value": snapshot_text(value),
                                         "code": "missing-column", "message": "the master has no such column"})  # fmt: skip
                    continue
                cells[(int(i), col_index(letters[col]))] = value
                res.applied.append({"ref": ref, "column": col, "cell": f"{letters[col]}{int(i)}",
                                    "from": snapshot_text(f.at[i, col]), "to": snapshot_text(value)})  # fmt: skip
            if "revised_due_date" in proposed and changes is not None:
                old = f.at[i, "revised_due_date"]
                if pd.isna(old):
                    old = f.at[i, "due_date"]
                # (pandas' missing date, NaT, is a datetime too: asked first)
                if pd.isna(old):  # a keyword (Ongoing), or no due date at all
                    raw = actions.raw.at[i, "due_date"] if actions is not None else None
                    old = None if raw is None or pd.isna(raw) else raw
                elif isinstance(old, dt.datetime):
                    old = old.date()
                log.append(_log_row(changes, ref, old, proposed["revised_due_date"], row_cells["reason"][0], when))
        results.append(res)
    return results, cells, log


def _check_row(f, i, ref, row_cells, proposed, res, period_end, has_changes, when: dt.date) -> None:
    """The master's rules that join values of a row, on the row as it would be; a
    change that breaks one is taken back and reported on the return's cell."""

    def now(col):
        return proposed[col] if col in proposed else f.at[i, col]

    def reject(col, code, message):
        value = proposed.pop(col)
        res.rejected.append({"ref": ref, "column": col, "cell": row_cells[col][1], "value": snapshot_text(value),
                             "code": code, "message": message})  # fmt: skip

    if "revised_due_date" in proposed:
        reason = row_cells["reason"][0]
        if not has_changes:
            reject("revised_due_date", "missing-sheet", "the master has no Changes sheet to log the new date in")
        elif reason is None or not str(reason).strip():
            reject("revised_due_date", "reason-required",
                   "a new Revised due date needs a Reason for change beside it")  # fmt: skip
    status = now("status")
    if "status" in proposed or "exception_reason" in proposed:
        # the exception-reason rule as validation and the return's instructions say it
        need = rules.exception_reason(status)
        if need and not snapshot_text(now("exception_reason")):
            if need == "error":
                reject("status" if "status" in proposed else "exception_reason", "exception-required",
                       f"{status} needs an Exception reason: say why it is off track")  # fmt: skip
            else:
                res.warnings.append({"ref": ref, "column": "exception_reason", "cell": row_cells["exception_reason"][1],
                                     "code": "exception-missing",
                                     "message": f"{status} should have an Exception reason; ask the lead for one"})  # fmt: skip
    if "status" in proposed:
        if status in ("Red", "Amber") and not snapshot_text(now("progress_update")):
            reject("status", "progress-required", f"{status} needs a Progress update")
        status = now("status")
    done = now("completion_date")
    if "completion_date" in proposed:
        if status != "Complete":
            reject("completion_date", "completion-not-complete", "a Completion date goes with the status Complete")
        elif period_end is not None and proposed["completion_date"] > period_end:
            reject("completion_date", "completion-in-future",
                   f"the Completion date is after the period's end ({uk(period_end)})")  # fmt: skip
    if "status" in proposed and proposed["status"] == "Complete" and not snapshot_text(done):
        proposed["completion_date"] = when


def _log_row(changes, ref: str, old, new, reason, when: dt.date) -> list[object]:
    """A Timescale change row for the Changes sheet, in its own column order."""
    values = {
        "date": when,
        "ref": ref,
        "change_type": D.CHANGE_TYPES[0],
        "old_value": old,
        "new_value": new,
        "reason": str(reason).strip() if reason is not None else None,
        "approved_by": None,
    }
    width = max(col_index(v) for v in changes.letters.values())
    row: list[object] = [None] * width
    for key, letter in changes.letters.items():
        if key in values:
            row[col_index(letter) - 1] = values[key]
    return row
