"""Synthetic but valid monitoring workbooks of any size, for benchmarks.

``write_plan(path, n_actions)`` writes a plan with exactly ``n_actions`` rows on the
Actions sheet (actions, sub-actions and assurance actions) and proportionate
Milestones, Recommendations, Changes, Risks and Measures, laid out like the bundled template
(header in row 1, the same headers). It uses xlsxwriter in ``constant_memory`` mode, so
100,000 actions write in seconds.

``previous=True`` writes the matching previous-period copy from the same seed: the
rows added this period are missing (about 5% fewer actions), timescale changes made
this period are not yet made, some statuses and delivery leads differ, nothing is yet
proposed to close, and the Changes log stops at the previous period's end. Both copies
pass validation with no errors, so compare benchmarks measure real work.

    python benchmarks/synthetic.py OUT.xlsx 100000 [--previous] [--seed N]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import xlsxwriter

from ipxl import defaults as D

PERIOD_START = dt.date(2023, 8, 1)
PERIOD_END = dt.date(2023, 10, 31)
PREV_START = dt.date(2023, 5, 1)
PREV_END = dt.date(2023, 7, 31)
PLAN_START = dt.date(2022, 6, 7)

_LEADS = (
    "Chief Executive",
    "Assistant Chief Executive",
    "Director of Finance",
    "Director of Law and Governance",
    "Director of Children and Education",
    "Director of Regeneration and Growth",
    "Director of Borough Economy",
    "Assistant Director – Contracts, Projects, Strategy & Policy",
)
_DELIVERY = (
    "Learning & OD Manager",
    "Member Development Officer",
    "Corporate Transformation Manager",
    "Strategic Improvement Manager",
    "Head of Finance Business Partnering - Place",
    "Fleet Manager",
    "Corporate Performance Lead",
    "Asset Management Lead",
)
_WORKSTREAMS = (
    "Medium-Term Financial Planning",
    "Corporate Transformation",
    "Commercial Strategy",
    "Oracle Fusion ERP",
    "Member Development",
    "One Team Framework",
    "Waste contract",
    "SEND Transport",
    "Sandwell Children's Trust",
    "Customer Journey",
)
_VERBS = ("Develop", "Review", "Implement", "Embed", "Approve", "Monitor", "Refresh", "Deliver")
_OBJECTS = (
    "the workforce strategy",
    "the contract management framework",
    "member development",
    "the medium-term financial plan",
    "performance reporting",
    "the customer journey programme",
    "governance training",
    "the asset management system",
)
_KEYWORDS = ("Ongoing", "Quarterly", "Monthly")
_APPROVER = "Leadership Team 17/10/2023"


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _progress(rng: random.Random, ref: str) -> str:
    return f"{rng.choice(_VERBS)} stage under way for {ref}; next update at Leadership Team."


def _model(n_actions: int, seed: int, n_measures: int = 0) -> dict:
    """Both periods' records, built together so that they agree."""
    rng = random.Random(seed)
    themes = list(D.THEMES.items())
    actions: list[dict] = []
    changes: list[dict] = []
    prev_override: dict[int, dict] = {}
    new_rows: set[int] = set()

    ws_counter = 0
    while len(actions) < n_actions:
        code, theme = themes[ws_counter % len(themes)]
        ws_code = f"{'ABCDEFGHJK'[(ws_counter // len(themes)) % 10]}{ws_counter // (len(themes) * 10) + 1}"
        workstream = _WORKSTREAMS[ws_counter % len(_WORKSTREAMS)]
        ws_counter += 1
        for n in range(1, rng.randint(4, 12) + 1):
            if len(actions) >= n_actions:
                break
            ref = f"{code}.{ws_code}.{n}"
            kind = "Assurance action" if rng.random() < 0.12 else "Action"
            is_new = rng.random() < 0.05
            parent = _row(rng, ref, theme, workstream, kind, is_new, actions, changes, prev_override, new_rows)
            if kind == "Action" and parent["status"] not in ("Complete",) and rng.random() < 0.25:
                for k in range(1, rng.randint(1, 3) + 1):
                    if len(actions) >= n_actions:
                        break
                    _row(
                        rng,
                        f"{ref}.{k}",
                        theme,
                        workstream,
                        "Sub-action",
                        is_new or rng.random() < 0.05,
                        actions,
                        changes,
                        prev_override,
                        new_rows,
                    )

    # Recommendations link to actions present in both periods.
    old_main = [
        a["ref"]
        for i, a in enumerate(actions)
        if i not in new_rows and a["type"] == "Action" and a["closure"] not in D.CLOSED_STATES
    ]
    n_recs = max(6, n_actions // 10)
    recs: list[dict] = []
    reviews = [r for r in D.REVIEWS if r != D.REVIEWS[0]]
    for i in range(n_recs):
        if i < 3:
            rec_id, review, category = f"S{i + 1}", D.REVIEWS[0], "Statutory"
        else:
            rec_id, review = f"GT-I{i - 2}", reviews[i % len(reviews)]
            category = "Key" if i % 7 == 0 else "Improvement"
        if i >= 3 and i % 11 == 0:
            refs = D.OUTSIDE_PLAN[i % 2]
        else:
            refs = ";".join(sorted(set(rng.sample(old_main, min(len(old_main), rng.randint(1, 3))))))
        recs.append(
            {
                "rec_id": rec_id,
                "review": review,
                "category": category,
                "kloe_ref": None,
                "area": _WORKSTREAMS[i % len(_WORKSTREAMS)],
                "recommendation": f"The Council should {rng.choice(_VERBS).lower()} {rng.choice(_OBJECTS)}.",
                "response": f"Response {i + 1}: covered by the Improvement Plan and monitored monthly.",
                "action_refs": refs,
                "lead": rng.choice(_LEADS),
            }
        )
    linked: dict[str, list[str]] = {}
    for rec in recs:
        for ref in rec["action_refs"].split(";"):
            linked.setdefault(ref, []).append(rec["rec_id"])
    for a in actions:
        ids = linked.get(a["ref"])
        a["recommendations"] = "; ".join(ids) if ids else None

    milestones: list[dict] = []
    old_refs = [a["ref"] for i, a in enumerate(actions) if i not in new_rows]
    for _ in range(max(10, n_actions // 3)):
        ref = rng.choice(old_refs)
        if rng.random() < 0.6:
            done = _day(rng, dt.date(2022, 7, 1), PREV_END)
            milestones.append(
                {
                    "ref": ref,
                    "milestone": f"Milestone for {ref}",
                    "due_date": done,
                    "status": "Complete",
                    "completed_date": done,
                    "date_added": PLAN_START,
                }
            )
        else:
            milestones.append(
                {
                    "ref": ref,
                    "milestone": f"Milestone for {ref}",
                    "due_date": _day(rng, PERIOD_END, dt.date(2024, 12, 31)),
                    "status": rng.choice(("Not complete", "Not started")),
                    "completed_date": None,
                    "date_added": PLAN_START,
                }
            )

    risks: list[dict] = []
    products = [(li, im) for li in range(1, 6) for im in range(1, 6)]
    for i in range(max(10, n_actions // 200)):
        li, im = rng.choice(products)
        tli, tim = rng.randint(1, li), rng.randint(1, im)
        score = li * im
        risks.append(
            {
                "risk_ref": f"IPR{i + 1:03d}",
                "risk": f"Risk {i + 1}: {rng.choice(_OBJECTS)} not delivered.",
                "cause": "Capacity and competing priorities.",
                "consequence": "Slippage in the plan.",
                "owner": rng.choice(_LEADS),
                "likelihood": li,
                "impact": im,
                "score": score,
                "rating": next(b.rating for b in D.SCORE_BANDS if b.low <= score <= b.high),
                "mitigations": "Monthly monitoring by Leadership Team.",
                "target_likelihood": tli,
                "target_impact": tim,
                "direction": rng.choice(D.DIRECTIONS),
            }
        )

    measures, previous_measures = _impact(actions, new_rows, n_measures, seed)

    previous_actions = []
    for i, a in enumerate(actions):
        if i in new_rows:
            continue
        previous_actions.append({**a, **prev_override.get(i, {})})
    changes.sort(key=lambda c: c["date"])
    return {
        "current": {
            "actions": actions,
            "milestones": milestones,
            "recommendations": recs,
            "changes": changes,
            "risks": risks,
            "measures": measures,
        },
        "previous": {
            "actions": previous_actions,
            "milestones": milestones,
            "recommendations": recs,
            "changes": [c for c in changes if c["date"] <= PREV_END],
            "risks": risks,
            "measures": previous_measures,
        },
    }


def _impact(actions: list[dict], new_rows: set[int], n_measures: int, seed: int) -> tuple[list[dict], list[dict]]:
    """Best Value themes and Confidence for the actions (in place), and the Measures
    sheet of both periods: ``n_measures`` measures of actions present in both, every
    one valid, in every state. A random stream of its own, so the rest of the plan is
    what it was before measures existed."""
    rng = random.Random(seed + 7919)
    themes = D.BEST_VALUE_THEMES
    for a in actions:
        roll = rng.random()
        a["best_value"] = (
            None if roll < 0.1 else rng.choice(themes) if roll < 0.85 else "; ".join(rng.sample(themes, 2))
        )
        a["confidence"] = None if rng.random() < 0.15 else rng.choice(D.CONFIDENCE)
    old = [a["ref"] for i, a in enumerate(actions) if i not in new_rows]
    now, before = [], []
    for i in range(n_measures):
        baseline = rng.randint(20, 80)
        higher = rng.random() < 0.7
        step = 1 if higher else -1
        target = baseline + step * rng.randint(5, 20)
        previous = baseline + step * rng.randint(-3, 6)
        latest = None if rng.random() < 0.1 else baseline + step * rng.randint(-5, 25)
        row = {
            "measure_ref": f"M{i + 1:03d}",
            "measure": f"Measure {i + 1}: {rng.choice(_OBJECTS)} (%)",
            "best_value": rng.choice(themes) if rng.random() < 0.8 else "; ".join(rng.sample(themes, 2)),
            "action_refs": "; ".join(sorted(set(rng.sample(old, min(len(old), rng.randint(1, 2)))))),
            "baseline": baseline,
            "baseline_date": _day(rng, dt.date(2023, 1, 15), dt.date(2023, 4, 30)),
            "target": target,
            "target_date": _day(rng, dt.date(2024, 3, 31), dt.date(2025, 3, 31)),
            "latest": latest,
            "latest_date": None if latest is None else _day(rng, PERIOD_START, PERIOD_END),
            "better_when": "Higher" if higher else "Lower",
            "evidence": None if rng.random() < 0.2 else f"Performance report for measure {i + 1}",
            "proxy": "Yes" if rng.random() < 0.06 else None,
        }
        now.append(row)
        before.append({**row, "latest": previous, "latest_date": _day(rng, PREV_START, PREV_END)})
    return now, before


def _row(rng, ref, theme, workstream, kind, is_new, actions, changes, prev_override, new_rows) -> dict:
    """Append one action row (current period) and record how it differed before."""
    i = len(actions)
    status = rng.choices(
        [s.name for s in D.STATUSES], weights=(30, 35, 14, 5, 12, 4) if not is_new else (10, 60, 10, 5, 15, 0)
    )[0]
    assurance = kind == "Assurance action"
    added = _day(rng, PERIOD_START, PERIOD_END) if is_new else _day(rng, PLAN_START, dt.date(2023, 4, 30))
    due: dt.date | str
    revised = None
    done = None
    closure = "Open"
    prev: dict = {}
    progress = _progress(rng, ref)
    exception = None
    if status == "Complete":
        done = _day(rng, max(added, dt.date(2022, 7, 1)), PERIOD_END)
        due = rng.choice(_KEYWORDS) if assurance else done + dt.timedelta(days=rng.randint(0, 60))
        if not is_new and done > PREV_END:
            prev = {"status": "Amber", "completion_date": None, "exception_reason": "Awaiting final sign-off."}
        elif not is_new and kind != "Action" and rng.random() < 0.15:
            closure = "Closed"
            changes.append(
                _change(
                    _day(rng, done, PREV_END) if done <= PREV_END else done,
                    ref,
                    "Assurance action closed" if assurance else "Action closed",
                    "Open",
                    "Closed",
                )
            )
        elif not is_new and rng.random() < 0.08:
            closure = "Proposed to close"
            prev = {**prev, "closure": "Open"}
            changes.append(
                _change(
                    _day(rng, PERIOD_START, PERIOD_END),
                    ref,
                    "Assurance action closed" if assurance else "Action closed",
                    "Open",
                    "Proposed to close",
                )
            )
    elif status in ("Green", "Not started"):
        due = rng.choice(_KEYWORDS) if assurance else _day(rng, PERIOD_END, dt.date(2025, 3, 31))
        if not is_new and status == "Green" and rng.random() < 0.1:
            prev = {"status": "Amber", "exception_reason": "Dependencies being resolved."}
    else:  # Amber, Red, On hold
        due = rng.choice(_KEYWORDS) if assurance else _day(rng, dt.date(2023, 6, 1), dt.date(2024, 12, 31))
        if status in ("Amber", "Red"):
            exception = "Resourcing pressures have delayed delivery."
        if not is_new and status == "Amber" and not assurance and due >= PREV_END and rng.random() < 0.2:
            prev = {"status": "Green", "exception_reason": None}
        if not is_new and status == "Red" and rng.random() < 0.3:
            prev = {"status": "Amber"}
    if isinstance(due, dt.date) and status != "Complete" and rng.random() < 0.08:
        revised = due + dt.timedelta(days=rng.randint(30, 200))
        if not is_new and rng.random() < 0.5:
            prev = {**prev, "revised_due_date": None}
            when = _day(rng, PERIOD_START, PERIOD_END)
        else:
            when = _day(rng, added, PERIOD_END) if is_new else _day(rng, added, PREV_END)
        changes.append(_change(when, ref, "Timescale change", due, revised))
    lead = rng.choice(_LEADS)
    delivery = rng.choice(_DELIVERY)
    if not is_new and rng.random() < 0.02:
        old = rng.choice([d for d in _DELIVERY if d != delivery])
        prev = {**prev, "delivery_lead": old}
        changes.append(_change(_day(rng, PERIOD_START, PERIOD_END), ref, "Delivery lead change", old, delivery))
    if is_new:
        new_rows.add(i)
        changes.append(_change(added, ref, "New " + kind.lower() if kind != "Action" else "New action", None, "Added"))
    if prev:
        prev_override[i] = prev
    row = {
        "ref": ref,
        "theme": theme,
        "workstream": workstream,
        "type": kind,
        "description": f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)} ({ref}).",
        "recommendations": None,
        "lead": lead,
        "delivery_lead": delivery,
        "due_date": due,
        "revised_due_date": revised,
        "status": status,
        "progress_update": progress,
        "exception_reason": exception,
        "date_added": added,
        "completion_date": done,
        "closure": closure,
    }
    actions.append(row)
    return row


def _change(date, ref, kind, old, new) -> dict:
    return {
        "date": date,
        "ref": ref,
        "change_type": kind,
        "old_value": old,
        "new_value": new,
        "reason": "Agreed through change control.",
        "approved_by": _APPROVER,
    }


def write_plan(
    path: str | Path,
    n_actions: int,
    seed: int = 0,
    previous: bool = False,
    previous_workbook: str | None = None,
    shared_strings: bool = False,
    period: tuple[str, dt.date, dt.date] | None = None,
    measures: int | None = None,
) -> Path:
    """Write a synthetic plan with ``n_actions`` actions (current period) to ``path``.

    With ``previous=True`` the previous period's copy of the same plan is written
    instead (about 5% fewer actions). ``previous_workbook`` is written into Settings.
    Text is written inline (xlsxwriter's constant-memory mode, fast) unless
    ``shared_strings``, which writes it as Excel does, in the shared-strings part.
    ``period`` (label, start, end) replaces the period in Settings. ``measures`` is
    the number of rows of the Measures sheet (default: a fifth of the actions, at most
    200, as many as a council keeps).
    """
    from ipxl.templates.workbook import SETTINGS_NOTES, list_layout

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n_measures = min(200, max(10, n_actions // 5)) if measures is None else measures
    model = _model(n_actions, seed, n_measures)["previous" if previous else "current"]
    settings = {
        "council": "Synthetic Borough Council",
        "plan_title": "Improvement Plan",
        "period": "July 2023" if previous else "October 2023",
        "period_start": PREV_START if previous else PERIOD_START,
        "period_end": PREV_END if previous else PERIOD_END,
        "previous_workbook": None if previous else previous_workbook,
    }
    if period is not None:
        settings["period"], settings["period_start"], settings["period_end"] = period
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": not shared_strings, "default_date_format": "dd/mm/yyyy"})
    head = wb.add_format(
        {"bold": True, "font_color": "#" + D.HEADER_FONT, "bg_color": "#" + D.HEADER_FILL, "text_wrap": True}
    )

    ws = wb.add_worksheet(D.SHEET_NAMES["guidance"])
    ws.write_string(0, 0, "Synthetic Improvement Plan for benchmarks. See the bundled template for guidance.")

    ws = wb.add_worksheet(D.SHEET_NAMES["settings"])
    ws.write_row(0, 0, ["Setting", "Value", "Notes"], head)
    for r, (key, label) in enumerate(D.SETTINGS_KEYS.items(), start=1):
        ws.write_string(r, 0, label)
        if settings.get(key) is not None:
            ws.write(r, 1, settings[key])
        ws.write_string(r, 2, SETTINGS_NOTES[key])

    for key in (*D.RECORD_SHEETS, "measures"):
        if key == "measures" and not model["measures"]:
            continue
        columns = D.COLUMNS[key]
        ws = wb.add_worksheet(D.SHEET_NAMES[key])
        for c, column in enumerate(columns):
            ws.set_column(c, c, column.width)
        ws.write_row(0, 0, [c.header for c in columns], head)
        ws.freeze_panes(1, 0)
        records = model[key]
        ws.autofilter(0, 0, max(1, len(records)), len(columns) - 1)
        keys = [c.key for c in columns]
        write = ws.write
        for r, rec in enumerate(records, start=1):
            for c, k in enumerate(keys):
                v = rec.get(k)
                if v is not None:
                    write(r, c, v)

    ws = wb.add_worksheet(D.SHEET_NAMES["lists"])
    layout = list_layout()
    longest = max(len(values) for _, _, values in layout)
    ws.write_row(0, 0, [h or "" for _, h, _ in layout], head)
    for r in range(longest):
        ws.write_row(r + 1, 0, [values[r] if r < len(values) else "" for _, _, values in layout])
    _report_sheet(wb, head)
    wb.close()
    return path


def _report_sheet(wb, head) -> None:
    """The Report sheet of the bundled sample (its words for its three meetings), so a
    synthetic plan's pack holds the committee reports as a council's does."""
    from ipxl.templates import sample_report

    report = sample_report.report()
    meetings = report["meetings"]
    H = D.REPORT_HEADERS
    ws = wb.add_worksheet(D.SHEET_NAMES["report"])
    ws.write_row(0, 0, [H["item"], H["guidance"], H["all"], *meetings], head)
    for r, item in enumerate(D.REPORT_ITEMS, start=1):
        got = report["texts"].get(item.key, {})
        ws.write_string(r, 0, item.label)
        for c, key in enumerate(["all", *meetings], start=2):
            if got.get(key) is not None:
                ws.write(r, c, got[key])


def write_series(folder: str | Path, n_actions: int, months: int, *, seed: int = 0) -> list[Path]:
    """``months`` monthly workbooks of ``n_actions`` actions in ``folder``, the last
    ending 31 October 2023, each naming the one before as its Previous workbook (the
    same plan each month, a month apart)."""
    import calendar

    folder = Path(folder)
    paths: list[Path] = []
    y, m = 2023, 10
    ends = []
    for _ in range(months):
        ends.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    for y, m in reversed(ends):
        start, end = dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
        name = f"plan_{y}_{m:02d}.xlsx"
        prev = paths[-1].name if paths else None
        paths.append(
            write_plan(folder / name, n_actions, seed=seed, previous_workbook=prev, period=(f"{end:%B %Y}", start, end))
        )
    return paths


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2:
        print(__doc__)
        return 2
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 0
    print(write_plan(argv[0], int(argv[1]), seed=seed, previous="--previous" in argv))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
