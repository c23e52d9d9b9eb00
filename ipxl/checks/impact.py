"""The rules of the evidence of impact (issue 28): the Actions sheet's Best Value theme
and Confidence, and the Measures sheet, one row per measure of what the plan changes.

The Measures sheet is optional and so are the two Actions columns: a workbook without
them is as valid as before. Where they are filled in, a theme or a level not in Lists,
a value that is not a number, a measure ref used twice or an action ref that does not
exist is an error; what would leave a paper short of evidence (a target with nothing
to measure it from, a value not updated for two periods, a completed action whose
measures show no evidence) is a warning with the fix.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import defaults as D
from ..dates import uk
from ..xlsx.model import SheetData
from . import vocab
from .engine import Validator

#: The measure's values, which must be numbers.
VALUES = ("baseline", "target", "latest")


def check_action_impact(v: Validator, sheet: SheetData) -> None:
    """The Actions sheet's Best Value theme (Confidence is a list rule of the schema)."""
    best_value_themes(v, sheet)


def best_value_themes(v: Validator, sheet: SheetData) -> None:
    """Every theme a Best Value theme cell names must be one of Lists' Best Value
    themes: a near-miss in case or spacing is read as meant (a warning), anything else
    is an error naming the part that is wrong and what it probably meant."""
    if "best_value" not in sheet.letters:
        return
    allowed = v.lists.best_value_themes
    listed = ", ".join(allowed)
    header = sheet.header("best_value")
    raw = sheet.raw["best_value"]
    verdicts: dict[object, tuple[list[str], list[str], str | None]] = {}
    for row, value in raw[raw.notna()].items():
        key = value if isinstance(value, str) else repr(value)
        if key not in verdicts:
            verdicts[key] = _judge(value, allowed)
        wrong, spelled, fix = verdicts[key]
        if not (wrong or spelled):
            continue  # nearly every cell: the text as typed is only needed for a finding
        shown = v.raw(sheet, "best_value", row)
        if wrong:
            what = ", ".join(repr(w) for w in wrong)
            verb = "is not a Best Value theme" if len(wrong) == 1 else "are not Best Value themes"
            v.add(
                sheet,
                "best_value",
                [row],
                "error",
                "invalid-best-value-theme",
                lambda r, shown=shown, what=what, verb=verb, fix=fix: (
                    f"{header} {shown!r}: {what} {verb} in Lists"
                    + (f"; did you mean {fix!r}?" if fix else f"; use one or more of: {listed}.")
                ),
                fix or f"One or more of: {listed}, separated by ;",
            )
        elif spelled:
            v.add(
                sheet,
                "best_value",
                [row],
                "warning",
                "spelling",
                lambda r, shown=shown, fix=fix: (
                    f"{header} {shown!r} is not spelled as in Lists ({fix!r}); it was read as {fix}."
                ),
                fix,
            )


def _judge(value: object, allowed: tuple[str, ...]) -> tuple[list[str], list[str], str | None]:
    """A Best Value theme cell's parts that mean no theme, those spelled unlike Lists,
    and the cell as it should read (None when a part has no likely meaning)."""
    parts = vocab.best_value_parts(value, allowed) if isinstance(value, str) else [(vocab.squeeze(value), None)]
    if not parts:  # separators alone (";")
        return [str(value)], [], None
    wrong = [p for p, got in parts if got is None or vocab.squeeze(p) != vocab.squeeze(got)]
    spelled = [p for p, got in parts if got is not None and p != got and vocab.squeeze(p) == vocab.squeeze(got)]
    meant = [got for _, got in parts]
    fix = "; ".join(dict.fromkeys(g for g in meant if g)) if all(meant) else None
    return wrong, spelled, fix


def check_measures(v: Validator, sheet: SheetData) -> None:
    """The Measures sheet: unique refs, real actions, dates, numbers, Yes or blank for
    a proxy, the words the states need, and the warnings that keep the evidence of
    impact honest."""
    f, raw = sheet.frame, sheet.raw
    ref = f["measure_ref"]
    v.duplicates(sheet, "measure_ref", "duplicate-id", "Measure ref")
    v.action_refs_exist(sheet, "action_refs", f["action_refs"])
    for key in ("baseline_date", "target_date", "latest_date"):
        v.dates(sheet, key)
    best_value_themes(v, sheet)

    given: dict[str, pd.Series] = {}
    for key in VALUES:
        if key not in sheet.letters:
            given[key] = pd.Series(False, index=f.index)
            continue
        number = f[key].astype("float64")
        given[key] = raw[key].notna()
        bad = given[key] & ~np.isfinite(number.to_numpy())
        v.add(
            sheet,
            key,
            bad[bad].index,
            "error",
            "not-a-number",
            lambda r, k=key: f"{sheet.header(k)} {v.raw(sheet, k, r)!r} of measure {ref[r]} is not a number.",
            "Type the number alone (70, or 70% in a cell formatted as a percentage).",
        )
    anything = given["baseline"] | given["target"] | given["latest"]

    if "proxy" in sheet.letters:
        proxy = raw["proxy"]
        odd = [r for r, value in proxy[proxy.notna()].items() if vocab.is_proxy(value) is None]
        v.add(
            sheet,
            "proxy",
            odd,
            "error",
            "invalid-proxy",
            lambda r: (
                f"{sheet.header('proxy')} {v.raw(sheet, 'proxy', r)!r} of measure {ref[r]} is neither Yes nor blank."
            ),
            "Yes for one of the proxies for success, otherwise leave it blank.",
        )
    if "better_when" in sheet.letters:
        blank = anything & f["better_when"].isna()
        v.add(
            sheet,
            "better_when",
            blank[blank].index,
            "error",
            "required",
            lambda r: f"{sheet.header('better_when')} is required to judge measure {ref[r]} ({_words(v.lists)}).",
            f"{' or '.join(v.lists.better_when[:2])}: whether a higher or a lower value is better.",
        )
    if "best_value" in sheet.letters:
        blank = f["best_value"].isna()
        v.add(
            sheet,
            "best_value",
            blank[blank].index,
            "warning",
            "best-value-theme-missing",
            lambda r: f"Measure {ref[r]} has no {sheet.header('best_value')}, so no theme shows it.",
            "Pick the Best Value theme (or themes, separated by ;) it gives evidence for.",
        )
    lone = (given["target"] | given["latest"]) & ~given["baseline"]
    where = "baseline" if "baseline" in sheet.letters else None
    if where is not None:
        v.add(
            sheet,
            "baseline",
            lone[lone].index,
            "warning",
            "baseline-missing",
            lambda r: (
                f"Measure {ref[r]} has a {'target' if given['target'][r] else 'latest value'} but no baseline, "
                "so whether it is improving cannot be judged."
            ),
            "Enter the baseline (the value when the measure was set) and its date.",
        )
    _stale(v, sheet, given["latest"])
    _evidence(v, sheet)


def _words(lists) -> str:
    return " or ".join(lists.better_when[:2])


def _stale(v: Validator, sheet: SheetData, has_latest: pd.Series) -> None:
    """A measure whose newest value (its Latest, else its Baseline) is dated more
    than two reporting periods before Period end; a Latest dated after it."""
    f = sheet.frame
    end, start = v.period_end, v.wb.settings.period_start
    if end is None:
        return
    ref = f["measure_ref"]
    latest, baseline = f["latest_date"], f["baseline_date"]
    after = has_latest & (latest > end)
    v.add(
        sheet,
        "latest_date",
        after[after].index,
        "warning",
        "latest-after-period",
        lambda r: f"Measure {ref[r]}'s latest value is dated {uk(latest[r])}, after Period end ({uk(end)}).",
        f"The date the value was measured, on or before {uk(end)}.",
    )
    if start is None:
        return  # the period's length is unknown
    days = (end - pd.Timestamp(start)).days + 1
    if days <= 0:
        return
    cutoff = end - pd.Timedelta(days=D.MEASURE_STALE_PERIODS * days)
    newest = latest.where(has_latest, baseline)
    old = newest.notna() & (newest < cutoff)
    key = "latest_date" if "latest_date" in sheet.letters else "latest"
    v.add(
        sheet,
        key,
        old[old].index,
        "warning",
        "measure-stale",
        lambda r: (
            f"Measure {ref[r]}'s "
            + ("latest value is" if has_latest[r] else "only value is its baseline,")
            + f" dated {uk(newest[r])}, more than {D.MEASURE_STALE_PERIODS} reporting periods before "
            f"Period end ({uk(end)})."
        ),
        "Give its newest value in Latest and the date it was measured in Latest date.",
    )


def _evidence(v: Validator, sheet: SheetData) -> None:
    """A measure of a Complete action with no evidence: the action is done, and the
    papers should show what it changed."""
    if "evidence" not in sheet.letters:
        return
    f = sheet.frame
    actions = v.wb.actions
    status = vocab.canonical_series(actions["status"], v.lists.status_names, D.STATUS_ALIASES)
    done = set(actions.loc[status == "Complete", "ref"].dropna().map(vocab.norm_ref))
    if not done:
        return
    blank = f[f["evidence"].isna() & f["action_refs"].notna()]
    listed = vocab.explode_refs(blank["action_refs"])
    hits = listed[listed.map(vocab.norm_ref).isin(done)]
    for row, refs in hits.groupby(level=0):
        names = ", ".join(dict.fromkeys(refs))
        v.add(
            sheet,
            "evidence",
            [row],
            "warning",
            "evidence-missing",
            lambda r, names=names: (
                f"Measure {f.at[r, 'measure_ref']} has no evidence, though "
                f"{'its action' if ',' not in names else 'its actions'} {names} {'is' if ',' not in names else 'are'} "
                "Complete."
            ),
            "Name the evidence of its impact in Evidence: a link or a document's name.",
        )
