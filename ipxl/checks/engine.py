"""The validation engine: findings collected sheet by sheet, with the shared checks
(missing columns, pandera schemas, list values and near-misses, dates, duplicates,
links to actions) that the per-sheet rules in :mod:`ipxl.checks.validation` build on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import pandas as pd

from .. import defaults as D
from ..dates import uk
from ..findings import Finding
from ..xlsx.convert import shown, why_not_a_date
from ..xlsx.model import SheetData, Workbook
from . import vocab


class Validator:
    """Collects the findings of one workbook; :meth:`run` calls ``check_<sheet>`` for
    each record sheet the workbook has, after the shared column and schema checks."""

    def __init__(self, wb: Workbook, today: dt.date, report: bool = False):
        self.wb = wb
        #: check the Report sheet even before officers start writing in it
        self.report = report
        self.lists = wb.lists
        end = wb.settings.period_end
        self.period_end = pd.Timestamp(end) if end else None
        self.now = self.period_end if self.period_end is not None else pd.Timestamp(today)
        self.findings: list[Finding] = list(wb.findings)
        self._order = {name: i for i, name in enumerate(wb.sheet_names)}
        self._raw: dict[tuple[str, str], dict] = {}
        self._refs: pd.Index | None = None

    def run(self) -> None:
        for key in (*D.RECORD_SHEETS, *D.OPTIONAL_SHEETS):
            sheet = self.wb.sheets.get(key)
            if sheet is None or not sheet.header_row:
                continue
            self.missing_columns(sheet)
            self.schema(sheet)
            getattr(self, f"check_{key}")(sheet)
        if self.wb.report is not None and (self.report or self.wb.report.written):
            from .report import check_report

            self.findings += check_report(self.wb.report)
        if self.wb.signoff is not None:
            from .signoff import signoff_findings

            self.findings += signoff_findings(self.wb)

    def sorted_findings(self) -> list[Finding]:
        def order(f: Finding):
            col = f.cell.rstrip("0123456789") if f.cell else ""
            return (self._order.get(f.sheet, -1), f.row or 0, len(col), col, f.code)

        # Sheet-level findings first within a sheet (row None sorts as 0).
        unique = list(dict.fromkeys(self.findings))
        return sorted(unique, key=order)

    def add(
        self,
        sheet: SheetData,
        key: str,
        rows: Iterable[int],
        severity: str,
        code: str,
        message: Callable[..., str],
        suggestion: Callable[..., str | None] | str | None = None,
    ) -> None:
        header = sheet.header(key)
        for row in rows:
            sug = suggestion(row) if callable(suggestion) else suggestion
            self.findings.append(
                Finding(sheet.name, int(row), header, sheet.cell(key, row), severity, code, message(row), sug)
            )

    def raw(self, sheet: SheetData, key: str, row: int) -> str:
        """The cell's value as the officer typed it, for quoting in a message."""
        cached = self._raw.get((sheet.key, key))
        if cached is None:
            # One dict per column: per-cell DataFrame lookups dominate on big plans.
            cached = self._raw[(sheet.key, key)] = sheet.raw[key].to_dict()
        return shown(cached[row])

    def raw_value(self, sheet: SheetData, key: str, row: int):
        """The cell's value as read (not as text)."""
        self.raw(sheet, key, row)
        return self._raw[(sheet.key, key)][row]

    # ------------------------------------------------------------- shared checks

    def missing_columns(self, sheet: SheetData) -> None:
        for col in D.COLUMNS[sheet.key]:
            if col.key in sheet.missing and not col.required and self._column_matters(sheet.key, col.key):
                found = ", ".join(repr(h) for h in sheet.headers.values())
                self.findings.append(
                    Finding(
                        sheet.name,
                        sheet.header_row,
                        col.header,
                        None,
                        "error",
                        "missing-column",
                        f"{sheet.name} has no {col.header!r} column (columns found: {found}).",
                        f"Add a column headed {col.header!r}"
                        + (f" (or {', '.join(repr(a) for a in col.aliases)})" if col.aliases else "")
                        + ".",
                    )
                )

    @staticmethod
    def _column_matters(sheet: str, key: str) -> bool:
        # Optional columns whose absence changes nothing are not reported.
        optional = {
            "actions": {
                "recommendations",
                "delivery_lead",
                "revised_due_date",
                "exception_reason",
                "completion_date",
                "closure",
                # added since the first template: workbooks made before them stay valid
                "achievement",
                "best_value",
                "confidence",
            },
            "milestones": {"completed_date", "date_added", "due_date"},
            "recommendations": {
                "kloe_ref",
                "area",
                "category",
                "review",
                "response",
                "action_refs",
                "lead",
                "follow_up",
            },
            "measures": {"action_refs", "baseline_date", "target_date", "latest_date", "evidence", "proxy"},
            "changes": {"old_value", "new_value", "approved_by"},
            "appendices": {"title", "filter", "file", "alt_text"},
            "risks": {
                "cause",
                "consequence",
                "score",
                "rating",
                "mitigations",
                "target_likelihood",
                "target_impact",
                "direction",
            },
        }
        return key not in optional.get(sheet, set())

    def schema(self, sheet: SheetData) -> None:
        """Per-column rules through pandera: required values and list membership."""
        from .schemas import run_schema

        for key, row, code in run_schema(sheet, self.lists):
            if code == "required":
                self.add(
                    sheet,
                    key,
                    [row],
                    "error",
                    "required",
                    lambda r, k=key: f"{sheet.header(k)} is required but blank.",
                    f"Fill in {sheet.header(key)}.",
                )
            else:
                self.list_value(sheet, key, row, code)

    def list_value(self, sheet: SheetData, key: str, row: int, code: str) -> None:
        from .rules import list_value

        allowed, aliases, label = self.allowed(sheet.key, key)
        value = sheet.raw[key].at[row]
        judged = list_value(value, allowed, aliases)
        shown = self.raw(sheet, key, row)
        if judged.ok:
            guess = judged.meant
            self.add(
                sheet,
                key,
                [row],
                "warning",
                "spelling",
                lambda r: (
                    f"{sheet.header(key)} {shown!r} is not spelled as in Lists ({guess!r}); it was read as {guess}."
                ),
                guess,
            )
            return
        message, suggestion = judged.message(sheet.header(key), shown, label, allowed)
        self.add(sheet, key, [row], "error", code, lambda r: message, suggestion)

    def allowed(self, sheet: str, key: str) -> tuple[tuple[str, ...], dict | None, str]:
        L = self.lists
        if key == "status" and sheet == "actions":
            return L.status_names, D.STATUS_ALIASES, "status"
        if key == "status" and sheet == "milestones":
            return L.milestone_statuses, None, "milestone status"
        if key == "theme":
            names = tuple(L.themes.values())
            # A theme typed as its code (CO) means that theme.
            return names, {c.lower(): n for c, n in L.themes.items()}, "theme"
        table = {
            "type": (
                L.types,
                {"sub action": "Sub-action", "subaction": "Sub-action", "assurance": "Assurance action"},
                "type",
            ),
            "closure": (
                L.closures,
                {"bau": "Moved to business as usual", "proposed": "Proposed to close"},
                "closure state",
            ),
            "review": (L.reviews, None, "review"),
            "category": (L.categories, None, "category"),
            "change_type": (L.change_types, None, "change type"),
            "rating": (tuple(b.rating for b in L.score_bands), {"g": "Green", "a": "Amber", "r": "Red"}, "rating"),
            "direction": (L.directions, None, "direction"),
            "confidence": (L.confidences, D.CONFIDENCE_ALIASES, "confidence level"),
            "better_when": (L.better_when, D.BETTER_WHEN_ALIASES, "direction of improvement"),
        }
        return table[key]

    def dates(self, sheet: SheetData, key: str, keywords: tuple[str, ...] = ()) -> None:
        """Report values that are not dates (nor allowed keywords) and dates typed as
        text; return nothing: the typed frame already holds the understood dates."""
        if key not in sheet.letters:
            return
        raw = sheet.raw[key]
        typed = sheet.frame[key]
        present = raw.notna()
        # The reader noted which cells held text: usually a handful, looked at alone.
        is_text = pd.Series(raw.index.isin(sheet.text_dates.get(key, [])), index=raw.index)
        kw = {k.lower(): k for k in keywords}
        text_kw = pd.Series(False, index=raw.index)
        if is_text.any():
            text_kw[is_text] = [vocab.squeeze(x) in kw for x in raw[is_text]]
        for row, value in raw[text_kw].items():
            word = kw[vocab.squeeze(value)]
            if value != word:
                self.add(
                    sheet,
                    key,
                    [row],
                    "warning",
                    "spelling",
                    lambda r, word=word: f"{sheet.header(key)} {self.raw(sheet, key, r)!r} was read as {word!r}.",
                    word,
                )
            if word in D.WARN_KEYWORDS:
                self.add(
                    sheet,
                    key,
                    [row],
                    "warning",
                    "tbc-date",
                    lambda r: f"{sheet.header(key)} is TBC; agree a date so progress can be tracked.",
                    "Enter the agreed date.",
                )
        bad = present & typed.isna() & ~text_kw
        allowed_words = ", ".join(k for k in keywords)
        self.add(
            sheet,
            key,
            bad[bad].index,
            "error",
            "invalid-date",
            lambda r: (
                f"{sheet.header(key)} {self.raw(sheet, key, r)!r} {why_not_a_date(self.raw_value(sheet, key, r))}"
                + (f" (nor one of {allowed_words})." if keywords and why_plain(self.raw_value(sheet, key, r)) else ".")
            ),
            "Enter a date such as 31/03/2024" + (f", or one of {allowed_words}." if keywords else "."),
        )
        as_text = is_text & typed.notna()
        self.add(
            sheet,
            key,
            as_text[as_text].index,
            "warning",
            "date-as-text",
            lambda r: (
                f"{sheet.header(key)} {self.raw(sheet, key, r)!r} is text, not an Excel date; it was read as {uk(typed[r])}."
            ),
            lambda r: f"{uk(typed[r])}",
        )

    def duplicates(self, sheet: SheetData, key: str, code: str, what: str) -> None:
        s = sheet.frame[key].dropna()
        dup = s.duplicated(keep="first")
        if not dup.any():
            return
        first = {v: r for r, v in s[~dup].items()}
        self.add(
            sheet,
            key,
            s[dup].index,
            "error",
            code,
            lambda r: f"{what} {s[r]!r} is used again; it first appears in row {first[s[r]]}.",
            f"Give each row its own {what}.",
        )

    def ref_set(self) -> pd.Index:
        """Every ref in Actions, built once (isin and ``in`` both use its hash table)."""
        if self._refs is None:
            self._refs = pd.Index(self.wb.actions["ref"].dropna().unique())
        return self._refs

    def action_refs_exist(self, sheet: SheetData, key: str, values: pd.Series, allow_words: bool = False) -> None:
        refs = self.ref_set()
        words = {w.lower() for w in D.OUTSIDE_PLAN}
        listed = vocab.explode_refs(values)
        unknown = listed[~listed.isin(refs)]  # vectorised; only the misses are looked at
        for row, ref in unknown.items():
            if allow_words and ref.lower() in words:
                continue
            tidy = vocab.tidy_ref(ref)
            self.add(
                sheet,
                key,
                [row],
                "error",
                "unknown-action",
                lambda r, ref=ref: f"Action ref {ref!r} is not in the Actions sheet.",
                tidy
                if tidy in refs
                else "Use a ref from the Actions sheet"
                + (", or Commentary / Business as usual." if allow_words else "."),
            )

    # ------------------------------------------------------------------ Actions


def why_plain(value) -> bool:
    """Whether a value is merely not a date (so the allowed keywords are worth
    naming), rather than an error value or a date with a wrong year."""
    return why_not_a_date(value) == "is not a date"
