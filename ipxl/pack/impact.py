"""The evidence of impact in the papers (issue 28): the Best Value themes appendix,
and the measures that moved, for the committee report's section 4.2 and the
six-monthly digest.

The appendix opens with a heatmap: the seven themes of the statutory Best Value
guidance against the actions' status, the officers' confidence and the measures'
state, each count a word on its colour ("2 Amber", "1 Target met"). Then the proxies
for success, then each theme: its actions in a sentence, those the officers have
low confidence in, and its measures (baseline, latest, target, state, evidence),
proxies first.
"""

from __future__ import annotations

import pandas as pd

from .. import defaults as D
from ..analysis.impact import NO_BEST_VALUE, NOT_GIVEN, themes_of
from .content import Facts, cell, listing, number_word, ref_cell
from .model import Block, Cell, Column, Paragraph, Row, Section, Span, Status, Table, Text
from .spec import Entry, keep
from .text import clean

_STATE_COLOURS = {**D.MEASURE_COLOURS, D.NOT_JUDGED: "FFFFFF"}


def figure(value) -> str:
    """A measure's value as the papers print it: ``15,500``, ``0.9``, ``70``."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _month(date) -> str:
    return "" if date is None or pd.isna(date) else f"{pd.Timestamp(date):%B %Y}"


def value_at(value, date) -> str:
    """``71 (October 2023)``; the value alone when undated; "" when blank."""
    shown = figure(value)
    when = _month(date)
    return f"{shown} ({when})" if shown and when else shown


def state_cell(state: str) -> Status:
    """A measure's state as its word on its colour."""
    return Status.of(state, _STATE_COLOURS.get(state))


def _count_cell(n: int, word: str, colour: str | None) -> Cell:
    """A heatmap cell: the count and its word on the colour ("2 Amber"); a plain 0."""
    return Status.of(f"{n} {word}", colour) if n else Text.of("0")


# ------------------------------------------------------------------- the appendix


def best_value_themes(f: Facts, entry: Entry, pack: list[Entry]) -> list[Block]:
    """The Best Value themes appendix (kind ``best-value``); a Filter on the Measures
    sheet's columns (``Proxy for success: Yes``) keeps some measures."""
    bv = f.best_value
    rows = bv.measure_rows
    if entry.filter is not None:
        rows = rows.loc[keep(f.wb.frame("measures"), entry).index]
    themes = [t for t in bv.themes if t != NO_BEST_VALUE]
    when = f.period or f"the {f.period_noun}"
    blocks: list[Block] = [
        Paragraph.of(
            f"This appendix sets out the {f.plan} against the {number_word(len(D.BEST_VALUE_THEMES))} themes of the "
            "statutory Best Value guidance. For each theme it gives the plan's actions by status and by the officers' "
            f"confidence that they will achieve their outcomes, and its measures of impact as they stood at the end of "
            f"{when}.",
            kind="lead",
        ),
        Section("All themes", [_heatmap(f, bv)]),
    ]
    proxies = rows[rows["proxy"]]
    if len(proxies):
        blocks.append(
            Section(
                "Proxies for success",
                [
                    Paragraph.of(f"How the proxies for success stood at the end of {when}.", kind="lead"),
                    _measures_table(f, "Proxies for success", proxies, with_theme=True),
                ],
            )
        )
    actions = f.actions[f.actions["open"]]
    action_themes = themes_of(actions["best_value"], f.lists.best_value_themes)
    for theme in themes:
        mine = actions[[theme in ts for ts in action_themes]]
        measures = rows[[theme in ts for ts in rows["themes"]]]
        blocks.append(Section(theme, _theme(f, theme, mine, measures)))
    loose_actions = actions[[not ts for ts in action_themes]]
    loose = rows[[not ts for ts in rows["themes"]]]
    if len(loose_actions) or len(loose):
        said = []
        if len(loose_actions):
            said.append(f"{number_word(len(loose_actions))} open action{'s' if len(loose_actions) != 1 else ''}")
        if len(loose):
            said.append(f"{number_word(len(loose))} measure{'s' if len(loose) != 1 else ''}")
        text = listing(said)
        many = len(loose_actions) + len(loose) > 1
        parts: list[Block] = [
            Paragraph.of(f"{text[0].upper()}{text[1:]} of the plan {'name' if many else 'names'} no Best Value theme.")
        ]
        if len(loose):
            parts.append(_measures_table(f, "Measures with no Best Value theme", loose))
        blocks.append(Section("Not yet mapped to a theme", parts))
    return blocks


def _heatmap(f: Facts, bv) -> Table:
    """The themes across, and down the side the actions' statuses, the officers'
    confidence and the measures' states: each count a word on its colour."""
    themes = [t for t in bv.themes if t != NO_BEST_VALUE or bv.actions.at[t, "total"] or bv.measures.at[t, "total"]]
    lines: list[tuple[str, pd.DataFrame, str, str | None]] = []
    lines += [(f"Actions: {s}", bv.actions, s, f.status(s).fill) for s in bv.actions.columns if s != "total"]
    lines += [
        (f"Confidence: {c}", bv.confidence, c, D.CONFIDENCE_COLOURS.get(c))
        for c in bv.confidence.columns
        if c not in ("total", NOT_GIVEN)
    ]
    lines += [(f"Measures: {s}", bv.measures, s, _STATE_COLOURS.get(s)) for s in bv.measures.columns if s != "total"]
    columns = (
        Column("Actions and measures", 3.0, row_header=True),
        *(Column("No Best Value theme" if t == NO_BEST_VALUE else t, 2.0) for t in themes),
    )
    rows = [
        Row((Text.of(label), *(_count_cell(int(frame.at[t, word]), word, colour) for t in themes)))
        for label, frame, word, colour in lines
    ]
    return Table(
        "Best Value themes: actions and measures",
        "For each Best Value theme: its open actions at each status and each level of confidence, and its measures "
        "in each state; an action or measure serving two themes is counted under both.",
        columns,
        rows,
    )


def _theme(f: Facts, theme: str, actions: pd.DataFrame, measures: pd.DataFrame) -> list[Block]:
    out: list[Block] = []
    if actions.empty:
        out.append(Paragraph.of("No open action of the plan is mapped to this theme yet.", kind="lead"))
    else:
        out.append(Paragraph.of(f.counts_sentence(actions["status_c"]), kind="lead"))
        levels = _confidence(f, actions)
        if levels:
            out.append(Paragraph.of(levels))
        low = actions[actions["confidence_c"] == _low(f)]
        if len(low):
            low_table = (
                Table(
                    f"{theme}: actions with low confidence",
                    "Actions the officers have low confidence will achieve their outcome, with their status and "
                    "progress update.",
                    (Column("Ref", 2.3, row_header=True), Column("Action", 6.0), Column("Status", 2.3),
                     Column("Progress update", 8.0)),
                    [Row((ref_cell(r, bool(n)), cell(d), f.status(s), cell(u)), bool(n))
                     for r, d, s, u, n in zip(low["ref"], low["description"], low["status_c"],
                                              low["progress_update"], low["new"], strict=True)],
                )
            )  # fmt: skip
            # a heading between two tables: Word joins tables that touch into one
            out.append(Section("Actions with low confidence", [low_table]))
    if measures.empty:
        out.append(Paragraph.of("No measure of impact is set for this theme yet."))
    else:
        out.append(Section("Measures of impact", [_measures_table(f, f"{theme}: measures of impact", measures)]))
    return out


def _low(f: Facts) -> str:
    levels = f.lists.confidences
    return levels[-1] if levels else D.CONFIDENCE[-1]


def _confidence(f: Facts, actions: pd.DataFrame) -> str:
    """``The officers' confidence that these actions will achieve their outcomes: five
    High, two Medium and one Low; none is recorded for the other two.`` ("" when none
    is recorded)."""
    counts = actions["confidence_c"].value_counts()
    said = [f"{number_word(int(counts[c]))} {c}" for c in f.lists.confidences if counts.get(c, 0)]
    if not said:
        return ""
    blank = int(actions["confidence_c"].isna().sum())
    rest = f"; none is recorded for the other {number_word(blank)}" if blank else ""
    return f"The officers' confidence that these actions will achieve their outcomes: {listing(said)}{rest}."


def _measures_table(f: Facts, caption: str, rows: pd.DataFrame, *, with_theme: bool = False) -> Table:
    rows = rows.sort_values("proxy", ascending=False, kind="stable")
    columns = [Column("Ref", 2.0, row_header=True), Column("Measure", 6.0)]
    if with_theme:
        columns.append(Column("Best Value theme", 3.0))
    columns += [Column("Baseline", 2.6), Column("Latest", 2.6), Column("Target", 2.8), Column("State", 2.4),
                Column("Evidence", 5.0)]  # fmt: skip
    body = []
    for m in rows.to_dict("records"):
        ref: list[str | Span] = [clean(m["ref"])]
        if m["proxy"]:
            ref.append(Span("\nProxy for success", bold=True))
        better = m["better"]
        name = clean(m["measure"]) + (f"\n{better} is better" if isinstance(better, str) else "")
        target = figure(m["target"])
        when = _month(m["target_date"])
        cells: list[Cell] = [Text.of(*ref), Text.of(name)]
        if with_theme:
            cells.append(Text.of("; ".join(m["themes"]) or "None"))
        cells += [
            Text.of(value_at(m["baseline"], m["baseline_date"]) or "Not given"),
            Text.of(value_at(m["latest"], m["latest_date"]) or "Not given"),
            Text.of(f"{target} by {when}" if target and when else target or "Not given"),
            state_cell(m["state"]),
            cell(m["evidence"]) if clean(m["evidence"]) else Text.of("Not given"),
        ]
        body.append(Row(tuple(cells)))
    return Table(
        caption,
        "Each measure: its baseline, latest value and target with their dates, its state at period end, and the "
        "evidence.",
        tuple(columns),
        body,
    )


# ------------------------------------------------------------- the measures that moved


def moved_line(m: dict, *, proxy: bool = True) -> str:
    """One measure that moved, as a bullet says it: ``Contact Centre calls answered
    (%), a proxy for success: down from 70 (June 2023) to 66 (September 2023),
    against a target of 85 by March 2024; not improving.`` (``proxy=False`` leaves
    out that it is a proxy, for a list of proxies)."""
    name = clean(m["measure"]) + (", a proxy for success" if m["proxy"] and proxy else "")
    to = value_at(m["to"], m["to_date"])
    if m["from"] is None:
        move = to
    else:
        way = "up" if m["to"] > m["from"] else "down" if m["to"] < m["from"] else "level"
        move = f"{way} from {value_at(m['from'], m['from_date'])} to {to}" if way != "level" else f"level at {to}"
    target = ""
    if m["target"] is not None:
        target = f", against a target of {figure(m['target'])}" + (
            f" by {_month(m['target_date'])}" if m["target_date"] else ""
        )
    return f"{name}: {move}{target}; {m['state'].lower()}."


#: How a sentence says that measures are in a state: (one, several).
_STATE_WORDS = {
    "Target met": ("has met its target", "have met their target"),
    "Improving": ("is improving", "are improving"),
    "Not improving": ("is not improving", "are not improving"),
    "No data since baseline": ("has no baseline to judge it from", "have no baseline to judge them from"),
    D.NOT_JUDGED: ("cannot be judged", "cannot be judged"),
}


def moved_sentence(moved: list[dict], total: int, when: str, where: str = "") -> str:
    """``14 of the plan's 15 measures of impact moved this quarter: four have met
    their target, eight are improving and two are not improving.``"""
    n = len(moved)
    states = [m["state"] for m in moved]
    said = [
        f"{number_word(k)} {_STATE_WORDS.get(s, (s.lower(), s.lower()))[k != 1]}"
        for s in (*D.MEASURE_STATES, D.NOT_JUDGED)
        if (k := states.count(s))
    ]
    if total == 1:
        return f"The plan's measure of impact moved {when}{where}: it {_STATE_WORDS.get(states[0], ('', ''))[0]}."
    some = "All" if n == total else number_word(n).capitalize()
    return f"{some} of the plan's {total} measures of impact moved {when}{where}: {listing(said)}."


def progress_blocks(f: Facts, appendix: str | None) -> list[Block]:
    """Section 4.2's words on the evidence of impact: how many measures moved this
    period and how they stand, then the proxies for success that moved (or, with no
    proxy among them, every measure that moved); nothing when there are no measures."""
    total = len(f.measures)
    if not total:
        return []
    where = f" (every measure is in Appendix {appendix})" if appendix else ""
    moved = f.moved_measures
    if not moved:
        none = "The measure of impact did not" if total == 1 else f"None of the {total} measures of impact"
        return [Paragraph.of(f"{none} moved {f.this_period}{where}.")]
    out: list[Block] = [Paragraph.of(moved_sentence(moved, total, f.this_period, where))]
    proxies = [m for m in moved if m["proxy"]]
    if proxies:
        out.append(Paragraph.of("The proxies for success that moved:", kind="label"))
    out += [Paragraph.of(moved_line(m, proxy=False), kind="bullet") for m in proxies or moved]
    return out
