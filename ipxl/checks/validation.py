"""Validate a monitoring workbook: per-sheet pandera schemas plus cross-sheet rules.

:func:`validate` never raises for bad data: everything wrong in a readable workbook is
a :class:`~ipxl.findings.Finding` with the sheet, the Excel row, the column header as
the workbook spells it, the A1 cell, a severity, a stable code, a message an officer
understands and, where there is one, the value they most likely meant.

The rule codes are listed, with their meanings, in :data:`ipxl.findings.CODES` (and in
``docs/validation-codes.md``, generated from it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .. import defaults as D
from ..dates import uk
from ..findings import Report
from ..xlsx.model import SheetData, Source
from ..xlsx.sources import as_workbook
from . import rules, vocab
from .engine import Validator
from .impact import check_action_impact, check_measures


def validate(workbook: Source, *, today: dt.date | None = None, report: bool = False) -> Report:
    """Check every sheet and the links between them; return a :class:`Report`.

    ``workbook`` is a :class:`Workbook` from :func:`ipxl.read_workbook` or a path.
    ``today`` is used only when Settings has no Period end (for "future" checks).
    The Report sheet (the committee report's words) is checked once officers have
    written in it, or always with ``report`` (as the pack does before writing it).

    >>> from ipxl import resources
    >>> validate(resources.sample_path()).ok
    True
    """
    workbook = as_workbook(workbook)
    if workbook.skipped:
        # a programming slip, not the officer's: a part-read workbook looks like one
        # missing those sheets
        raise ValueError(f"validate needs every sheet; {sorted(workbook.skipped)} were not read")
    v = _Validator(workbook, today or dt.date.today(), report)
    v.run()
    return Report(v.sorted_findings())


class _Validator(Validator):
    """The rules of each record sheet."""

    def check_actions(self, sheet: SheetData) -> None:
        f = sheet.frame
        L = self.lists
        ref = f["ref"]
        self.duplicates(sheet, "ref", "duplicate-ref", "Ref")
        # Director / Lead is required, but a sub-action with none is its parent's (the
        # rule the returns and the chase list follow): only an action nobody owns is a gap.
        if "lead" in sheet.letters:
            unowned = rules.effective_leads(ref, f["lead"]).isna()
            self.add(
                sheet,
                "lead",
                unowned[unowned].index,
                "error",
                "required",
                lambda r: f"{sheet.header('lead')} is required but blank.",
                f"Fill in {sheet.header('lead')}.",
            )

        # Ref pattern and theme code.
        refs = ref.dropna()
        well_formed = refs.map(vocab.is_ref)
        self.add(
            sheet,
            "ref",
            refs[~well_formed].index,
            "error",
            "invalid-ref",
            lambda r: (
                f"Ref {self.raw(sheet, 'ref', r)!r} does not follow THEME.WORKSTREAM.N (e.g. CO.G1.5, or CO.G1.5.2 for a sub-action)."
            ),
            lambda r: _tidy_if_valid(self.raw(sheet, "ref", r)),
        )
        name_to_code = {n: c for c, n in L.themes.items()}
        theme = vocab.canonical_series(
            f["theme"], tuple(L.themes.values()), {c.lower(): n for c, n in L.themes.items()}
        )
        code_of_row = theme.map(name_to_code)
        good = refs[well_formed]
        prefix = pd.Series([r.split(".", 1)[0] for r in good], index=good.index, dtype=object)
        mismatch = prefix[(code_of_row.reindex(prefix.index).notna()) & (prefix != code_of_row.reindex(prefix.index))]
        self.add(
            sheet,
            "ref",
            mismatch.index,
            "error",
            "ref-theme-mismatch",
            lambda r: (
                f"Ref {refs[r]!r} starts with {mismatch[r]!r} but the row's theme is {theme[r]} ({code_of_row[r]})."
            ),
            lambda r: (
                f"Theme {L.themes[mismatch[r]]}" if mismatch[r] in L.themes else f"A ref starting {code_of_row[r]}."
            ),
        )

        # Type and parents.
        typ = vocab.canonical_series(f["type"], L.types, self.allowed("actions", "type")[1])
        sub_name = _nth(L.types, 1, "Sub-action")
        # One pass over the refs: which are well formed, how deep, and their parents.
        ref_list = ref.tolist()
        parent = pd.Series(
            [vocab.parent_ref(x) if x.__class__ is str else None for x in ref_list], index=ref.index, dtype=object
        )
        depth = np.array([x.count(".") + 1 if x.__class__ is str else 0 for x in ref_list], dtype=np.int64)
        formed = well_formed.reindex(ref.index, fill_value=False).astype(bool)
        is_sub = (typ == sub_name) & formed
        shallow = is_sub & (depth < 4)
        self.add(
            sheet,
            "ref",
            shallow[shallow].index,
            "error",
            "subaction-ref",
            lambda r: f"Sub-action {ref[r]!r} needs one more segment than its parent action (e.g. CO.G1.5.2).",
            "Add the sub-action number to the parent's ref.",
        )
        known = set(refs)
        deep = is_sub & ~shallow
        orphan = deep & ~parent.isin(known)
        self.add(
            sheet,
            "ref",
            orphan[orphan].index,
            "error",
            "missing-parent",
            lambda r: f"Sub-action {ref[r]!r} has no parent action {parent[r]!r} in Actions.",
            lambda r: f"Add action {parent[r]} or correct the ref.",
        )

        # Recommendation links.
        rec_ids = set(self.wb.frame("recommendations")["rec_id"].dropna())
        listed = vocab.explode_refs(f["recommendations"])
        for row, rid in listed[~listed.isin(rec_ids)].items():
            close = next((x for x in rec_ids if x.lower() == rid.lower().replace(" ", "")), None)
            self.add(
                sheet,
                "recommendations",
                [row],
                "error",
                "unknown-recommendation",
                lambda r, rid=rid: f"Recommendation {rid!r} is not in the Recommendations sheet.",
                close or "Use a Rec ID from the Recommendations sheet.",
            )

        # Dates.
        self.dates(sheet, "due_date", tuple(L.date_keywords))
        for key in ("revised_due_date", "date_added", "completion_date"):
            self.dates(sheet, key)

        status = vocab.canonical_series(f["status"], L.status_names, D.STATUS_ALIASES)
        closure = vocab.canonical_series(f["closure"], L.closures, self.allowed("actions", "closure")[1]).fillna("Open")
        progress_blank = f["progress_update"].isna()
        reason_blank = f["exception_reason"].isna()
        red, amber = status == "Red", status == "Amber"
        self.add(
            sheet,
            "progress_update",
            (progress_blank & (red | amber))[lambda s: s].index,
            "error",
            "progress-required",
            lambda r: f"{status[r]} actions need a progress update ({ref[r]}).",
            "Say what is happening and what is being done about it.",
        )
        self.add(
            sheet,
            "progress_update",
            (progress_blank & ~(red | amber) & status.notna())[lambda s: s].index,
            "warning",
            "progress-missing",
            lambda r: f"No progress update for {ref[r]} ({status[r]}).",
            "Add a short progress update.",
        )
        # the exception-reason rule, as the merge of returns and the returns' own
        # instructions give it (rules.exception_reason)
        need = status.map({s: rules.exception_reason(s) for s in status.dropna().unique() if isinstance(s, str)})
        self.add(
            sheet,
            "exception_reason",
            (reason_blank & (need == "error"))[lambda s: s].index,
            "error",
            "exception-required",
            lambda r: f"{status[r]} actions need an exception reason ({ref[r]}).",
            "Say why the action is off track.",
        )
        self.add(
            sheet,
            "exception_reason",
            (reason_blank & (need == "warning"))[lambda s: s].index,
            "warning",
            "exception-missing",
            lambda r: f"{status[r]} action {ref[r]} has no exception reason.",
            "Say why the action is at risk.",
        )

        # Date added.
        added = f["date_added"]
        if "date_added" in sheet.letters:
            self.add(
                sheet,
                "date_added",
                (added.isna() & sheet.raw["date_added"].isna())[lambda s: s].index,
                "warning",
                "date-added-missing",
                lambda r: (
                    f"{ref[r]} has no {sheet.header('date_added')}, so ipxl cannot tell whether it is new this period."
                ),
                "Enter the date the action was added to the plan.",
            )
        if self.period_end is not None:
            late = added > self.period_end
            self.add(
                sheet,
                "date_added",
                late[late].index,
                "error",
                "date-added-after-period",
                lambda r: f"{sheet.header('date_added')} {uk(added[r])} is after the period end {uk(self.period_end)}.",
                f"A date on or before {uk(self.period_end)}.",
            )

        # Completion.
        done = f["completion_date"]
        complete = status == "Complete"
        if "completion_date" in sheet.letters:
            self.add(
                sheet,
                "completion_date",
                (complete & done.isna() & sheet.raw["completion_date"].isna())[lambda s: s].index,
                "warning",
                "completion-missing",
                lambda r: f"{ref[r]} is Complete but has no {sheet.header('completion_date')}.",
                "Enter the date it was completed.",
            )
        wrong = done.notna() & status.notna() & ~complete
        self.add(
            sheet,
            "completion_date",
            wrong[wrong].index,
            "error",
            "completion-not-complete",
            lambda r: f"{ref[r]} has a completion date but its status is {status[r]}.",
            "Set Status to Complete, or clear the completion date.",
        )
        future = complete & (done > self.now)
        self.add(
            sheet,
            "completion_date",
            future[future].index,
            "error",
            "completion-in-future",
            lambda r: (
                f"{ref[r]} is Complete with a completion date in the future ({uk(done[r])}, after {uk(self.now)})."
            ),
            "Enter the date it was actually completed, or change the status.",
        )

        # Overdue but rated Green / Not started.
        effective = rules.effective_due(f["due_date"], f["revised_due_date"])
        live = rules.in_plan(closure)
        rosy = status.isin(["Green", "Not started"]) & live & (effective < self.now)
        due_key = "revised_due_date" if "revised_due_date" in sheet.letters else "due_date"
        self.add(
            sheet,
            "status",
            rosy[rosy].index,
            "warning",
            "overdue-green",
            lambda r: f"{ref[r]} is overdue but rated {status[r]} (due {uk(effective[r])}, period end {uk(self.now)}).",
            f"Rate it Amber or Red with an exception reason, or set a {sheet.header(due_key)} through change control.",
        )

        # Revised dates need change control.
        changes = self.wb.frame("changes")
        timescale = _nth(L.change_types, 0, "Timescale change")
        ct = vocab.canonical_series(changes["change_type"], L.change_types)
        logged = set(changes.loc[ct == timescale, "ref"].dropna())
        revised = f["revised_due_date"]
        differs = revised.notna() & (revised != f["due_date"]) & ~ref.isin(logged)
        self.add(
            sheet,
            "revised_due_date",
            differs[differs].index,
            "error",
            "revised-without-change",
            lambda r: (
                f"{ref[r]} has a revised due date ({uk(revised[r])}) but no '{timescale}' entry in the Changes sheet."
            ),
            lambda r: f"Add a '{timescale}' row for {ref[r]} to the Changes sheet with the old and new dates.",
        )

        # Closed parents with open sub-actions.
        closed_refs = set(ref[~live & ref.notna()])
        if closed_refs:
            open_sub = is_sub & live & parent.isin(closed_refs)
            parents = parent[open_sub]
            rows_of = {v: r for r, v in ref.dropna().items()}
            for parent, subs in parents.groupby(parents):
                prow = rows_of[parent]
                self.add(
                    sheet,
                    "closure",
                    [prow],
                    "warning",
                    "closed-parent-open-children",
                    lambda r, subs=subs, parent=parent: (
                        f"{parent} is {closure[r]} but its sub-actions {', '.join(ref[subs.index])} are still open."
                    ),
                    "Close the sub-actions too, or reopen the action.",
                )
        check_action_impact(self, sheet)

    # ----------------------------------------------------------------- Measures

    def check_measures(self, sheet: SheetData) -> None:
        check_measures(self, sheet)

    # --------------------------------------------------------------- Milestones

    def check_milestones(self, sheet: SheetData) -> None:
        f = sheet.frame
        self.action_refs_exist(sheet, "ref", f["ref"])
        self.dates(sheet, "due_date", ("TBC",))
        self.dates(sheet, "completed_date")
        self.dates(sheet, "date_added")
        status = vocab.canonical_series(f["status"], self.lists.milestone_statuses)
        need = (status == "Complete") & f["completed_date"].isna() & sheet.raw["completed_date"].isna()
        self.add(
            sheet,
            "completed_date",
            need[need].index,
            "error",
            "completed-date-required",
            lambda r: f"Milestone {f.at[r, 'milestone']!r} is Complete but has no completed date.",
            "Enter the date it was completed.",
        )

    # ---------------------------------------------------------- Recommendations

    def check_recommendations(self, sheet: SheetData) -> None:
        f = sheet.frame
        self.duplicates(sheet, "rec_id", "duplicate-id", "Rec ID")
        for key in ("review", "category", "lead"):
            if key in sheet.letters:
                blank = f[key].isna()
                self.add(
                    sheet,
                    key,
                    blank[blank].index,
                    "error",
                    "required",
                    lambda r, k=key: f"{sheet.header(k)} is required but blank ({f.at[r, 'rec_id']}).",
                    f"Fill in {sheet.header(key)}.",
                )
        if "response" in sheet.letters:
            blank = f["response"].isna()
            self.add(
                sheet,
                "response",
                blank[blank].index,
                "warning",
                "response-missing",
                lambda r: f"Recommendation {f.at[r, 'rec_id']} has no council response.",
                "Add the council's response.",
            )
        self.action_refs_exist(sheet, "action_refs", f["action_refs"], allow_words=True)

        # Statutory recommendations need a live (open or complete) action.
        category = vocab.canonical_series(f["category"], self.lists.categories)
        statutory = f[category == _nth(self.lists.categories, 0, "Statutory")]
        if statutory.empty:
            return
        actions = self.wb.actions
        status = rules.statuses(actions["status"], self.lists)
        closure = rules.closures(actions["closure"], self.lists)
        live = actions["ref"][rules.in_plan(closure) | (status == rules.COMPLETE)]
        live_refs = set(live.dropna())
        linked_from_actions: dict[str, set[str]] = {}
        listed = vocab.explode_refs(actions["recommendations"])
        listed = listed[listed.isin(set(statutory["rec_id"].dropna()))]
        for rid, ref in zip(listed.tolist(), actions["ref"].reindex(listed.index).tolist()):
            linked_from_actions.setdefault(rid, set()).add(ref)
        for row, rec in statutory.iterrows():
            refs = set(vocab.split_refs(rec["action_refs"])) | linked_from_actions.get(rec["rec_id"], set())
            if not refs & live_refs:
                self.add(
                    sheet,
                    "action_refs",
                    [row],
                    "error",
                    "statutory-unlinked",
                    lambda r, rid=rec["rec_id"]: (
                        f"Statutory recommendation {rid} is not linked to any open or complete action."
                    ),
                    "List at least one open or complete action ref in Action refs.",
                )

    # ------------------------------------------------------------------ Changes

    def check_changes(self, sheet: SheetData) -> None:
        f = sheet.frame
        self.dates(sheet, "date")
        self.action_refs_exist(sheet, "ref", f["ref"])
        if self.period_end is not None:
            late = f["date"] > self.period_end
            self.add(
                sheet,
                "date",
                late[late].index,
                "error",
                "change-after-period",
                lambda r: f"Change dated {uk(f.at[r, 'date'])} is after the period end {uk(self.period_end)}.",
                f"A date on or before {uk(self.period_end)}, or update the period in Settings.",
            )
        ct = vocab.canonical_series(f["change_type"], self.lists.change_types)
        timescale = ct == _nth(self.lists.change_types, 0, "Timescale change")
        for key in ("old_value", "new_value"):
            if key not in sheet.letters:
                continue
            raw = sheet.raw[key]
            # Only timescale changes need dates; other changes hold free text. A due
            # date's keyword (Ongoing) is a timescale too: an action due Ongoing given
            # a date was rescheduled from Ongoing.
            parsed = _dates_of(raw[timescale])
            said = raw[timescale].map(_keyword_of(self.lists.date_keywords))
            bad = parsed.isna() & ~said.astype(bool)
            self.add(
                sheet,
                key,
                bad[bad].index,
                "error",
                "invalid-date",
                lambda r, k=key, raw=raw: (
                    f"A timescale change needs a date in {sheet.header(k)}; found {self.raw(sheet, k, r) if raw[r] is not None else 'nothing'!r}."
                ),
                "Enter the date, e.g. 31/03/2024"
                + (f", or one of {', '.join(self.lists.date_keywords)}." if self.lists.date_keywords else "."),
            )
        if "reason" in sheet.letters:
            blank = f["reason"].isna()
            self.add(
                sheet,
                "reason",
                blank[blank].index,
                "error",
                "required",
                lambda r: f"{sheet.header('reason')} is required for every change ({f.at[r, 'ref']}).",
                "Say why the change was made.",
            )
        if "approved_by" in sheet.letters:
            blank = f["approved_by"].isna()
            self.add(
                sheet,
                "approved_by",
                blank[blank].index,
                "warning",
                "approval-missing",
                lambda r: f"No approval recorded for the change to {f.at[r, 'ref']}.",
                "e.g. Leadership Team 17/10/2023",
            )

    # --------------------------------------------------------------- Appendices

    def check_appendices(self, sheet: SheetData) -> None:
        """The committee pack the workbook asks for: known kinds, unique numbers,
        filters on real columns, supplied files that exist, pictures with alt text."""
        f = sheet.frame
        self.duplicates(sheet, "number", "duplicate-id", "Number")
        names = ", ".join(k.name for k in D.APPENDIX_KINDS)
        folder = self.wb.path.parent
        for row, value, filt, file, alt in zip(f.index, f["appendix"], f["filter"], f["file"], f["alt_text"]):
            if value is None:
                continue  # reported as required
            kind = vocab.appendix_kind(value)
            if kind is None:
                self.add(
                    sheet,
                    "appendix",
                    [row],
                    "error",
                    "invalid-appendix",
                    lambda r, v=value: f"{sheet.header('appendix')} {v!r} is not a kind of appendix ipxl makes.",
                    f"One of: {names}.",
                )
                continue
            if filt is not None:
                parsed = vocab.parse_filter(filt)
                column = vocab.column_key(kind.sheet, parsed[0]) if parsed and kind.sheet else None
                if column is None:
                    # a kind drawn from no sheet (a supplied file) has nothing to filter
                    header = sheet.header("filter")
                    if kind.sheet:
                        where = f"a column of the {D.SHEET_NAMES[kind.sheet]} sheet"
                        message = f"{header} {filt!r} does not name {where} and the values to keep."
                        fix = "Write it as Column: value; value, e.g. Area: Scrutiny; Audit."
                    else:
                        message = f"A {kind.name} appendix takes no {header} (found {filt!r})."
                        fix = f"Clear the {header} cell."
                    self.add(sheet, "filter", [row], "error", "invalid-filter", lambda r, m=message: m, fix)
            if kind.key != "supplied":
                continue
            if file is None or not self.wb.located:
                # a blank File: the pack itself says the appendix is still to come; no
                # folder (a workbook open from the web): nowhere to look for the file
                continue
            path = Path(str(file))
            path = path if path.is_absolute() else folder / path
            suffix = path.suffix.lower()
            if suffix not in (*D.SUPPLIED_DOCUMENTS, *D.SUPPLIED_PICTURES):
                self.add(
                    sheet,
                    "file",
                    [row],
                    "error",
                    "appendix-file-type",
                    lambda r, p=path: f"{p.name} is not a Word document, PDF or picture ipxl can put in the pack.",
                    f"Supply {D.SUPPLIED_TYPES_SAID}.",
                )
            elif path.is_file() and (problem := rules.supplied_file_problem(path)):
                self.add(
                    sheet,
                    "file",
                    [row],
                    "error",
                    "appendix-file-unreadable",
                    lambda r, p=path, why=problem: f"Appendix {f.at[r, 'number']}'s file {p.name} {why}.",
                    "Save it again from the program that made it, as the type its name says.",
                )
            elif not path.is_file():
                self.add(
                    sheet,
                    "file",
                    [row],
                    "warning",
                    "appendix-file-missing",
                    lambda r, p=path: f"Appendix {f.at[r, 'number']}'s file {p.name} is not in {p.parent}.",
                    "Put the file there or correct its name.",
                )
            if suffix in D.SUPPLIED_PICTURES and alt is None:
                self.add(
                    sheet,
                    "alt_text",
                    [row],
                    "error",
                    "alt-text-missing",
                    lambda r: f"The picture for Appendix {f.at[r, 'number']} has no alt text.",
                    "Describe what the picture shows, for readers who cannot see it.",
                )

    # -------------------------------------------------------------------- Risks

    def check_risks(self, sheet: SheetData) -> None:
        f = sheet.frame
        raw = sheet.raw
        self.duplicates(sheet, "risk_ref", "duplicate-id", "Risk ref")
        if "owner" in sheet.letters:
            blank = f["owner"].isna()
            self.add(
                sheet,
                "owner",
                blank[blank].index,
                "error",
                "required",
                lambda r: f"{sheet.header('owner')} is required ({f.at[r, 'risk_ref']}).",
                "Name the risk owner.",
            )
        for key in ("likelihood", "impact", "target_likelihood", "target_impact"):
            if key not in sheet.letters:
                continue
            n = f[key]
            bad = raw[key].notna() & (n.isna() | (n % 1 != 0) | (n < 1) | (n > 5))
            self.add(
                sheet,
                key,
                bad[bad].index,
                "error",
                "out-of-range",
                lambda r, k=key: f"{sheet.header(k)} {self.raw(sheet, k, r)!r} is not a whole number from 1 to 5.",
                "A whole number from 1 (lowest) to 5 (highest).",
            )
        for key in ("likelihood", "impact"):
            if key in sheet.letters:
                blank = raw[key].isna()
                self.add(
                    sheet,
                    key,
                    blank[blank].index,
                    "error",
                    "required",
                    lambda r, k=key: f"{sheet.header(k)} is required ({f.at[r, 'risk_ref']}).",
                    "A whole number from 1 to 5.",
                )
        ok = lambda s: s.notna() & (s % 1 == 0) & (s >= 1) & (s <= 5)  # noqa: E731
        product = f["likelihood"] * f["impact"]
        valid = ok(f["likelihood"]) & ok(f["impact"])
        score = f["score"]
        wrong_score = valid & score.notna() & (score != product)
        self.add(
            sheet,
            "score",
            wrong_score[wrong_score].index,
            "error",
            "score-mismatch",
            lambda r: (
                f"Score {self.raw(sheet, 'score', r)} is not Likelihood x Impact ({int(f.at[r, 'likelihood'])} x {int(f.at[r, 'impact'])} = {int(product[r])})."
            ),
            lambda r: str(int(product[r])),
        )
        bands = product.map(lambda p: self.lists.rating_for(p) if pd.notna(p) else None)
        rating = vocab.canonical_series(
            f["rating"], tuple(b.rating for b in self.lists.score_bands), self.allowed("risks", "rating")[1]
        )
        wrong_rating = valid & rating.notna() & bands.notna() & (rating != bands)
        self.add(
            sheet,
            "rating",
            wrong_rating[wrong_rating].index,
            "error",
            "rating-mismatch",
            lambda r: f"Rating {rating[r]} does not match score {int(product[r])} (band: {bands[r]}).",
            lambda r: bands[r],
        )
        red = (rating == "Red") | (rating.isna() & (bands == "Red"))
        if "mitigations" in sheet.letters:
            need = red & f["mitigations"].isna()
            self.add(
                sheet,
                "mitigations",
                need[need].index,
                "error",
                "mitigations-required",
                lambda r: f"Red risk {f.at[r, 'risk_ref']} has no mitigations.",
                "Describe the mitigating actions.",
            )
        target = f["target_likelihood"] * f["target_impact"]
        above = valid & ok(f["target_likelihood"]) & ok(f["target_impact"]) & (target > product)
        key = "target_impact" if "target_impact" in sheet.letters else "target_likelihood"
        self.add(
            sheet,
            key,
            above[above].index,
            "error",
            "target-above-current",
            lambda r: (
                f"Target score {int(target[r])} is above the current score {int(product[r])} for {f.at[r, 'risk_ref']}."
            ),
            "The target should be no higher than the current position.",
        )


def _tidy_if_valid(ref: str) -> str | None:
    tidy = vocab.tidy_ref(ref)
    return tidy if vocab.is_ref(tidy) else None


def _nth(values: tuple[str, ...], i: int, default: str) -> str:
    """The workbook's own spelling of a list value the rules need by position, falling
    back to the default name: councils may rename list values."""
    return default if default in values else (values[i] if len(values) > i else default)


def _keyword_of(keywords: Iterable[str]) -> Callable[[object], bool]:
    """Whether a cell holds one of ``keywords`` (case and spacing aside)."""
    said = {k.strip().lower() for k in keywords}
    return lambda v: isinstance(v, str) and v.strip().lower() in said


def _dates_of(raw: pd.Series) -> pd.Series:
    from ..xlsx.convert import to_dates

    return to_dates(raw)
