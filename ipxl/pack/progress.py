"""The "Progress over time" appendix: the plan's history as a committee reads it.

Built from :func:`ipxl.analysis.history.history` over this period's workbook and the
periods back along its Previous workbook chain (:attr:`.content.Facts.history`): the
counts per period as a chart and a table, then the exceptions members ask about, each
as a table: actions re-baselined again and again, updates that have not moved, by
Director / Lead, actions Red period after period, and due dates moved with no change
logged.
"""

from __future__ import annotations

from ..analysis.history import ALL
from ..analysis.rollup import TOTAL
from ..checks.vocab import norm_ref
from .content import COMPLETE, Facts, cell, listing, plural
from .model import Block, Chart, Column, Paragraph, Row, Section, Table, Text
from .spec import Entry
from .text import clean, uk_date


def _date(value) -> str:
    """ISO text as 31/03/2024; a keyword (Ongoing) as it is; blank as not given."""
    return clean(uk_date(value)) if value else "not given"


def progress_over_time(f: Facts, entry: Entry, pack: list[Entry]) -> list[Block]:
    h = f.history
    if h is None:
        return [
            Paragraph.of(
                "No earlier period was found (Settings' Previous workbook names none, or it is missing), "
                "so there is no history to show yet.",
                kind="lead",
            )
        ]
    periods = h.periods
    statuses = [s for s in periods[-1]["counts"][ALL] if s != TOTAL]
    first, last = periods[0], periods[-1]
    done = [p["counts"][ALL].get(COMPLETE, 0) for p in periods]
    blocks: list[Block] = [
        Paragraph.of(
            f"{plural(len(periods), 'period')}, {first['period']} to {last['period']}: "
            f"{done[0]} of {first['counts'][ALL][TOTAL]} actions complete then, "
            f"{done[-1]} of {last['counts'][ALL][TOTAL]} now.",
            kind="lead",
        )
    ]
    table = Table(
        "Status counts by period",
        "Actions not closed at each status in each period, oldest first.",
        (
            Column("Period", 3.4, row_header=True),
            *(Column(s, 1.7, numeric=True) for s in statuses),
            Column("Total", 1.5, numeric=True),
        ),
        [
            Row((Text.of(p["period"]), *(Text.of(str(p["counts"][ALL].get(s, 0))) for s in statuses),
                 Text.of(str(p["counts"][ALL][TOTAL]))))
            for p in periods
        ],
    )  # fmt: skip
    blocks.append(
        Section(
            "Status over time",
            [
                Chart(
                    title="Actions complete by period",
                    alt="Bar chart of the number of actions complete in each period: "
                    + ", ".join(f"{n} in {p['period']}" for p, n in zip(periods, done, strict=True))
                    + ".",
                    bars=[(p["period"], n, f.status(COMPLETE).fill) for p, n in zip(periods, done, strict=True)],
                    table=table,
                )
            ],
        )
    )
    described = dict(zip(f.actions["ref"].map(norm_ref), f.actions["description"], strict=True))
    reasons = dict(zip(f.actions["ref"].map(norm_ref), f.actions["exception_reason"], strict=True))

    def action(ref: str) -> Text:
        return cell(described.get(norm_ref(ref)))

    t = h.thresholds
    if h.rebaselined:
        rebased: Block = Table(
            "Re-baselined actions",
            f"Actions whose due date has been moved {t['rebaselines']} or more times, with the date first "
            "agreed and the date now.",
            (Column("Ref", 2.2, row_header=True), Column("Action", 4.4), Column("Director / Lead", 3.0),
             Column("First due", 2.4), Column("Now due", 2.4), Column("Times moved", 1.6, numeric=True),
             Column("Months later", 1.7, numeric=True)),
            [Row((Text.of(a["ref"]), action(a["ref"]), cell(a["lead"]), Text.of(_date(a["original_due"])),
                  Text.of(_date(a["current_due"])), Text.of(str(a["rebaselines"])),
                  Text.of("" if a["slippage_months"] is None else f"{a['slippage_months']:g}")))
             for a in h.rebaselined],
        )  # fmt: skip
    else:
        rebased = Paragraph.of(f"No action's due date has been moved {t['rebaselines']} or more times.")
    blocks.append(Section("Re-baselined actions", [rebased]))

    if h.stale:
        by_lead = sorted(h.stale, key=lambda x: ((x["lead"] or "").casefold(), -x["periods"], x["ref"]))
        leads = sorted({x["lead"] or "No lead given" for x in h.stale}, key=str.casefold)
        stale: list[Block] = [
            Paragraph.of(f"{plural(len(h.stale), 'action')} for {listing(leads)}.", kind="lead"),
            Table(
                "Updates not changed, by Director / Lead",
                f"Open actions whose progress update has not changed for {t['stale']} or more periods in a row.",
                (Column("Director / Lead", 4.0, row_header=True), Column("Ref", 2.2), Column("Action", 7.0),
                 Column("Periods unchanged", 2.4, numeric=True)),
                [Row((cell(x["lead"] or "No lead given"), Text.of(x["ref"]), action(x["ref"]),
                      Text.of(str(x["periods"])))) for x in by_lead],
            ),
        ]  # fmt: skip
    else:
        stale = [Paragraph.of(f"Every open action's progress update has changed within the last {t['stale']} periods.")]
    blocks.append(Section("Updates not changed", stale))

    if h.persistent_red:
        red: Block = Table(
            "Actions Red period after period",
            f"Actions rated Red in each of the last {t['red']} or more periods, with their exception reasons.",
            (Column("Ref", 2.2, row_header=True), Column("Action", 4.8), Column("Director / Lead", 3.2),
             Column("Periods Red", 1.8, numeric=True), Column("Exception reason", 5.0)),
            [Row((Text.of(x["ref"]), action(x["ref"]), cell(x["lead"]), Text.of(str(x["periods"])),
                  cell(reasons.get(norm_ref(x["ref"]))) if reasons.get(norm_ref(x["ref"])) else Text.of("Not given")))
             for x in h.persistent_red],
        )  # fmt: skip
    else:
        red = Paragraph.of(f"No action has been Red for {t['red']} or more periods running.")
    blocks.append(Section("Persistently Red", [red]))

    if h.unlogged_date_changes:
        unlogged: Block = Table(
            "Due dates moved with no change logged",
            "A due date that moved from one period to the next with no Timescale change in the change log.",
            (Column("Ref", 2.4, row_header=True), Column("Period", 3.4), Column("From", 2.4), Column("To", 2.4)),
            [Row((Text.of(x["ref"]), Text.of(x["period"]), Text.of(_date(x["from"])), Text.of(_date(x["to"]))))
             for x in h.unlogged_date_changes],
        )  # fmt: skip
    else:
        unlogged = Paragraph.of("Every due date that moved has its Timescale change in the change log.")
    blocks.append(Section("Due date changes not logged", [unlogged]))
    return blocks
