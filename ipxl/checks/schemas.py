"""Per-sheet pandera schemas, built from the workbook's own ``Lists``.

The schemas hold the column-by-column rules (required values, list membership) and are
run lazily so every failure is collected in one pass; :mod:`ipxl.checks.validation` turns the
failure cases into findings with messages and suggested fixes. Cross-field and
cross-sheet rules live in :mod:`ipxl.checks.validation`, in plain vectorised pandas.
"""

from __future__ import annotations

import functools
import sys

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


def build_schema(sheet: str, lists, present: frozenset[str]):
    """The pandera schema for one sheet. ``present`` lists the columns the workbook
    has; required-value rules apply only to those (absent columns are reported once,
    as missing columns, not once per row)."""
    pa = pandera()

    columns = {}
    codes: dict[tuple[str, int | None], str] = {}
    for col in D.COLUMNS[sheet]:
        if col.key not in present:
            continue
        checks = []
        rule = LIST_RULES.get((sheet, col.key))
        if rule:
            checks.append(pa.Check.isin(allowed_values(sheet, col.key, lists)))
            codes[(col.key, 0)] = rule
        required = col.key in REQUIRED_VALUES.get(sheet, ())
        if required:
            codes[(col.key, None)] = "required"
        if required or checks:
            columns[col.key] = pa.Column(None, checks=checks, nullable=not required, required=False)
    return pa.DataFrameSchema(columns), codes


def run_schema(sheet_data, lists) -> list[tuple[str, int, str]]:
    """Run the sheet's schema lazily; return ``(column key, Excel row, rule code)`` for
    every failure, in row order."""
    pa = pandera()

    present = frozenset(sheet_data.letters)
    schema, codes = build_schema(sheet_data.key, lists, present)
    frame = sheet_data.frame
    # Date columns are required as *present*: a value that is not a date is reported by
    # the date rules, so nulls are judged on the raw cell.
    check = frame.copy(deep=False)
    for key in REQUIRED_VALUES.get(sheet_data.key, ()):
        if key in present and str(frame[key].dtype).startswith("datetime"):
            check[key] = sheet_data.raw[key]
    # List values are judged as typed, so ' Amber ' is reported (as a spelling) even
    # though the typed frame reads it as 'Amber'.
    for sheet, key in LIST_RULES:
        if sheet == sheet_data.key and key in present:
            check[key] = sheet_data.raw[key]
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
