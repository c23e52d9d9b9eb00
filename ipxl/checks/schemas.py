"""Per-sheet pandera schemas, built from the workbook's own ``Lists``.

The schemas hold the column-by-column rules (required values, list membership) and are
run lazily so every failure is collected in one pass; :mod:`ipxl.checks.validation` turns the
failure cases into findings with messages and suggested fixes. Cross-field and
cross-sheet rules live in :mod:`ipxl.checks.validation`, in plain vectorised pandas.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass

from .. import defaults as D


@functools.cache
def pandera():
    """``pandera.pandas`` with its pandas backends loaded.

    Those backends import Hypothesis, when it is installed, to offer test-data
    synthesis ipxl never uses; that import is a third of a click's time. It is hidden
    from pandera for this one import (pandera then leaves synthesis off), unless
    something in this process has already loaded it, as a test run has.
    """
    hide = "hypothesis" not in sys.modules
    if hide:
        sys.modules["hypothesis"] = None  # type: ignore[assignment]  # None: "not installed"
    try:
        import pandera.backends.pandas.builtin_checks  # noqa: F401
        import pandera.pandas as pa
    finally:
        if hide:
            del sys.modules["hypothesis"]
    return pa


#: (sheet, column) -> rule code for list membership. The allowed values come from Lists.
LIST_RULES: dict[tuple[str, str], str] = {
    ("actions", "theme"): "invalid-theme",
    ("actions", "type"): "invalid-type",
    ("actions", "status"): "invalid-status",
    ("actions", "closure"): "invalid-closure",
    ("milestones", "status"): "invalid-status",
    ("recommendations", "review"): "invalid-review",
    ("recommendations", "category"): "invalid-category",
    ("changes", "change_type"): "invalid-change-type",
    ("risks", "rating"): "invalid-rating",
    ("risks", "direction"): "invalid-direction",
    ("actions", "confidence"): "invalid-confidence",
    ("measures", "better_when"): "invalid-better-when",
}

#: Columns whose value is required in every record (beyond the header-level required).
#: (Director / Lead is required too, unless an ancestor's lead stands for it: the
#: validation rules check it, with the plan's rule for who owns a sub-action.)
REQUIRED_VALUES: dict[str, tuple[str, ...]] = {
    "actions": ("ref", "theme", "workstream", "type", "description", "due_date", "status"),
    "milestones": ("ref", "milestone", "status"),
    "recommendations": ("rec_id", "recommendation"),
    "changes": ("date", "ref", "change_type"),
    "risks": ("risk_ref", "risk"),
    "appendices": ("number", "appendix"),
    "measures": ("measure_ref", "measure"),
}


def allowed_values(sheet: str, key: str, lists) -> tuple[str, ...]:
    return {
        ("actions", "theme"): tuple(lists.themes.values()),
        ("actions", "type"): lists.types,
        ("actions", "status"): lists.status_names,
        ("actions", "closure"): lists.closures,
        ("milestones", "status"): lists.milestone_statuses,
        ("recommendations", "review"): lists.reviews,
        ("recommendations", "category"): lists.categories,
        ("changes", "change_type"): lists.change_types,
        ("risks", "rating"): tuple(b.rating for b in lists.score_bands),
        ("risks", "direction"): lists.directions,
        ("actions", "confidence"): lists.confidences,
        ("measures", "better_when"): lists.better_when,
    }[(sheet, key)]


@dataclass(frozen=True)
class ColumnRule:
    """The per-column rules of one column of a sheet, as the schema runs them."""

    key: str
    #: the values Lists allows (None: any value)
    allowed: tuple | None
    #: a value is required in every record
    required: bool


def column_rules(sheet: str, lists, present: frozenset[str]) -> list[ColumnRule]:
    """The rules of the sheet's columns the workbook has (``present``); required-value
    rules apply only to those (absent columns are reported once, as missing columns,
    not once per row)."""
    out = []
    for col in D.COLUMNS[sheet]:
        if col.key not in present:
            continue
        listed = (sheet, col.key) in LIST_RULES
        required = col.key in REQUIRED_VALUES.get(sheet, ())
        if listed or required:
            out.append(ColumnRule(col.key, allowed_values(sheet, col.key, lists) if listed else None, required))
    return out


def build_schema(sheet: str, lists, present: frozenset[str]):
    """The pandera schema for one sheet, from :func:`column_rules`, and the rule code
    of each of its checks (``(column, check number)``; ``(column, None)``: required)."""
    pa = pandera()

    columns = {}
    codes: dict[tuple[str, int | None], str] = {}
    for rule in column_rules(sheet, lists, present):
        checks = []
        if rule.allowed is not None:
            checks.append(pa.Check.isin(rule.allowed))
            codes[(rule.key, 0)] = LIST_RULES[(sheet, rule.key)]
        if rule.required:
            codes[(rule.key, None)] = "required"
        columns[rule.key] = pa.Column(None, checks=checks, nullable=not rule.required, required=False)
    return pa.DataFrameSchema(columns), codes


def schema_frame(sheet_data):
    """The frame the schema judges: the typed frame, with list columns as typed (so
    ' Amber ' is reported, as a spelling, though the typed frame reads it as 'Amber')
    and required date columns as the raw cell (a value that is not a date is the date
    rules' to report, so a required date is judged present on what was typed)."""
    present = frozenset(sheet_data.letters)
    frame = sheet_data.frame
    check = frame.copy(deep=False)
    for key in REQUIRED_VALUES.get(sheet_data.key, ()):
        if key in present and str(frame[key].dtype).startswith("datetime"):
            check[key] = sheet_data.raw[key]
    for sheet, key in LIST_RULES:
        if sheet == sheet_data.key and key in present:
            check[key] = sheet_data.raw[key]
    return check


def clean(frame, rules: list[ColumnRule]) -> bool:
    """True when no value of ``frame`` can fail ``rules``: every required value is
    there and every listed value is one Lists allows.

    pandera's schema does the same with the same pandas operations (``isna``, and
    ``isin`` on the values that are there); this pass only answers whether it has
    anything to say, so a sheet with nothing to report never loads pandera (a third of a
    second, most of a click on a clean workbook). A test holds the two to the same
    answer on any values."""
    for rule in rules:
        column = frame[rule.key]
        blank = column.isna()
        if rule.required and blank.any():
            return False
        if rule.allowed is not None and not (blank | column.isin(rule.allowed)).all():
            return False
    return True


def run_schema(sheet_data, lists, *, always: bool = False) -> list[tuple[str, int, str]]:
    """Run the sheet's schema lazily; return ``(column key, Excel row, rule code)`` for
    every failure, in row order. pandera runs only when some value may fail
    (:func:`clean`), or ``always``."""
    check = schema_frame(sheet_data)
    present = frozenset(sheet_data.letters)
    if not always and clean(check, column_rules(sheet_data.key, lists, present)):
        return []
    pa = pandera()
    schema, codes = build_schema(sheet_data.key, lists, present)
    try:
        schema.validate(check, lazy=True)
    except pa.errors.SchemaErrors as exc:
        out = []
        fc = exc.failure_cases
        for rec in fc.itertuples(index=False):
            if rec.index is None:  # schema-level failures carry no row
                continue
            if rec.check == "not_nullable":
                code = codes.get((rec.column, None))
            else:
                number = None if rec.check_number is None else int(rec.check_number)
                code = codes.get((rec.column, number))
            if code:
                out.append((rec.column, int(rec.index), code))
        return sorted(set(out), key=lambda t: t[1])
    return []
