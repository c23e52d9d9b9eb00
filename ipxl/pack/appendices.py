"""What each appendix holds, as :mod:`.model` objects built from :class:`.content.Facts`.

One builder per kind of appendix (:data:`BUILDERS`); each returns the blocks under the
title. Column widths are shares of the page's text width; the Word renderer turns
them into twips and the HTML renderer into percentages.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..analysis.rollup import TOTAL
from ..analysis.wording import movement_label
from ..colour import hex6
from .content import Facts, cell, listing, number_word, plural, ref_cell, ref_key
from .impact import best_value_themes
from .model import NOT_GIVEN, Block, Chart, Column, Paragraph, Row, Section, Span, Status, Table, Text
from .progress import progress_over_time
from .recommendations import review_responses, statutory_recommendations
from .spec import Entry, keep, number_of
from .text import clean, uk_date

#: Kinds printed on landscape pages (their tables are wide).
LANDSCAPE = {"monitoring-tool", "review-responses", "changes", "risk-register", "best-value"}


def _lead(text: str) -> Paragraph:
    return Paragraph.of(text, kind="lead")


def _body(text: str) -> Paragraph:
    return Paragraph.of(text)


def status_key(f: Facts) -> Section:
    """The statuses and what each means: the colours' legend, in words."""
    rows = [Row((f.status(s), Text.of(f.meanings.get(s, "")))) for s in f.status_names]
    table = Table(
        "What each status means",
        "Each status and what it means.",
        (Column("Status", 3.0), Column("Meaning", 12.0)),
        rows,
    )
    return Section("Status key", [table])


# ------------------------------------------------------------------ monitoring tool


def monitoring_tool(f: Facts, entry: Entry, pack: list[Entry]) -> list[Block]:
    df = keep(f.actions[f.actions["open"]], entry, {"theme": "theme_name"})
    blocks: list[Block] = [
        _lead(
            f"Actions, sub-actions and assurance actions not closed at the end of {f.period or 'the ' + f.period_noun}, "
            f"by theme and workstream. Actions added {f.this_period} are shown in red and marked New."
        ),
        _body(f.counts_sentence(df["status_c"])),
        status_key(f),
    ]
    columns = (
        Column("Ref", 2.3, row_header=True),
        Column("Workstream", 3.0),
        Column("Action", 5.0),
        Column("Director / Lead", 3.0),
        Column("Due date", 2.4),
        Column("Revised due date", 2.4),
        Column("Status", 2.3),
        Column("Progress update", 6.3),
    )
    for theme in f.theme_order(df["theme_name"]):
        part = df[df["theme_name"] == theme]
        # by workstream in order of first appearance, keeping the workbook's order within
        order = {w: i for i, w in enumerate(dict.fromkeys(part["workstream"].fillna("")))}
        part = part.assign(_w=part["workstream"].fillna("").map(order)).sort_values("_w", kind="stable")
        rows = [
            Row(
                (
                    ref_cell(ref, new, "Proposed to close" if closure == "Proposed to close" else ""),
                    cell(ws),
                    cell(desc),
                    cell(lead),
                    cell(due),
                    cell(rev),
                    f.status(status),
                    cell(upd),
                ),
                bool(new),
            )
            for ref, ws, desc, lead, due, rev, status, upd, new, closure in zip(
                part["ref"], part["workstream"], part["description"], part["lead"], part["due_date_text"],
                part["revised_due_date_text"], part["status_c"], part["progress_update"], part["new"],
                part["closure_c"],
            )
        ]  # fmt: skip
        n_new = int(part["new"].sum())
        sentence = f.counts_sentence(part["status_c"])
        if n_new:
            sentence += f" {number_word(n_new).capitalize()} {'is' if n_new == 1 else 'are'} new {f.this_period} (in red, marked New)."
        table = Table(
            f"Actions in {theme}",
            "One row per action: ref, workstream, action, lead, dates, status and progress update.",
            columns,
            rows,
        )
        blocks.append(Section(theme, [_lead(sentence), table]))
    if df.empty:
        blocks.append(_body("There are no open actions in the plan."))
    return blocks


# -------------------------------------------------------------------- theme summary


def _theme_counts(f: Facts) -> tuple[list[str], pd.DataFrame, pd.DataFrame | None]:
    now, before = f.rollup, f.previous_rollup
    by_theme = now.by_theme
    prev_theme = before.by_theme if before is not None else None
    order = list(by_theme.index) + [
        t for t in (prev_theme.index if prev_theme is not None else []) if t not in by_theme.index
    ]
    return order, by_theme, prev_theme


def _count(frame: pd.DataFrame | None, theme: str, status: str) -> int | None:
    if frame is None:
        return None
    if theme not in frame.index or status not in frame.columns:
        return 0
    return int(frame.at[theme, status])


def _change(now: int, before: int | None) -> str:
    if before is None:
        return "not known"
    return f"+{now - before}" if now > before else str(now - before) if now < before else "no change"


def theme_summary(f: Facts, entry: Entry, pack: list[Entry]) -> list[Block]:
    order, by_theme, prev_theme = _theme_counts(f)
    if entry.filter is not None and entry.filter[0] == "theme":
        kept = set(keep(f.actions, entry, {"theme": "theme_name"})["theme_name"])
        order = [t for t in order if t in kept]
    statuses = list(f.rollup.statuses)
    counted = f.actions[f.actions["open"]]
    whole = f.movement_words()
    now, before = f"This {f.period_noun}", f"Last {f.period_noun}"
    blocks: list[Block] = [_lead(f.counts_sentence(counted["status_c"]))]
    if f.rollup.overdue:
        blocks.append(_body(f.overdue_sentence()))
    if whole:
        blocks.append(_body(f"Since the last report: {whole}."))
    overview = [
        Row(
            (
                Text.of(theme),
                Text.of(str(int(by_theme.at[theme, TOTAL]) if theme in by_theme.index else 0)),
                Text.of(
                    listing(f"{_count(by_theme, theme, s)} {s}" for s in statuses if _count(by_theme, theme, s))
                    or "none"
                ),
                *((Text.of(f.movement_words(theme)),) if whole else ()),
            )
        )
        for theme in order
    ]
    columns = [
        Column("Theme", 4.4, row_header=True),
        Column("Actions", 2.0, numeric=True),
        Column("Status counts", 6.0),
    ]
    if whole:
        columns.append(Column("Movement since the last report", 5.6))
    blocks.append(
        Section(
            "All themes",
            [
                Table(
                    "Status counts by theme",
                    "For each theme: actions, how many at each status"
                    + (", and movement since the last report." if whole else "."),
                    tuple(columns),
                    overview,
                )
            ],
        )
    )
    for theme in order:
        part = counted[counted["theme_name"] == theme]
        counts = [(s, _count(by_theme, theme, s) or 0, _count(prev_theme, theme, s)) for s in statuses]
        moves = f.movement_words(theme)
        known = prev_theme is not None
        chart_table = Table(
            f"{theme}: status counts",
            f"Actions at each status {f.this_period}" + (f" and last {f.period_noun}." if known else "."),
            (Column("Status", 4.0, row_header=True), Column(now, 3.5, numeric=True),
             *((Column(before, 3.5, numeric=True), Column("Change", 3.5)) if known else ())),
            [Row((f.status(s), Text.of(str(n)), *((Text.of(str(b)), Text.of(_change(n, b))) if known else ())))
             for s, n, b in counts],
        )  # fmt: skip
        chart = Chart(
            title=f"{theme}: actions by status",
            alt=f"Bar chart of {theme} actions by status: " + ", ".join(f"{n} {s}" for s, n, _ in counts) + ".",
            bars=[(s, n, f.status(s).fill) for s, n, _ in counts],
            table=chart_table,
        )
        done = f.completed(theme)
        achievements: list[Block]
        if len(done):
            achievements = [
                Table(
                    f"{theme}: achievements {f.this_period}",
                    f"Actions completed {f.this_period}, with what each achieved.",
                    (Column("Ref", 2.3, row_header=True), Column("Action", 5.4), Column("Completed", 2.7),
                     Column("Achievement", 7.6)),
                    [Row((ref_cell(r, n), cell(d), cell(c), cell(a) if a else Text.of(NOT_GIVEN)), bool(n))
                     for r, d, c, a, n in zip(done["ref"], done["description"], done["completion_date"],
                                              done["achieved"], done["new"])],
                )
            ]  # fmt: skip
        else:
            achievements = [_body(f"No actions in this theme were completed {f.this_period}.")]
        issues_df = pd.concat([part[part["status_c"] == "Red"], part[part["status_c"] == "Amber"]])
        issues: list[Block]
        if len(issues_df):
            issues = [
                Table(
                    f"{theme}: progress issues",
                    "Actions rated Red or Amber with their exception reasons.",
                    (Column("Ref", 2.3, row_header=True), Column("Action", 4.0), Column("Status", 2.3),
                     Column("Exception reason", 4.2), Column("Progress update", 5.2)),
                    [Row((ref_cell(r, n), cell(d), f.status(st),
                          cell(x) if clean(x) else Text.of(NOT_GIVEN), cell(u)), bool(n))
                     for r, d, st, x, u, n in zip(issues_df["ref"], issues_df["description"], issues_df["status_c"],
                                                  issues_df["exception_reason"], issues_df["progress_update"],
                                                  issues_df["new"])],
                )
            ]  # fmt: skip
        else:
            issues = [_body("No actions in this theme are rated Red or Amber.")]
        head: list[Block] = [_body(f.counts_sentence(part["status_c"]))]
        if moves:
            head.append(_body(f"Since the last report: {moves}."))
        blocks.append(
            Section(
                theme,
                [*head, chart, Section(f"Achievements {f.this_period}", achievements),
                 Section("Progress issues", issues)],
            )
        )  # fmt: skip
    return blocks


# -------------------------------------------------------------------------- changes


def changes(f: Facts, entry: Entry, pack: list[Entry]) -> list[Block]:
    ch = f.wb.frame("changes")
    ch = ch[f.in_period(ch["date"]) | ch["date"].isna()].sort_values("date", kind="stable")
    ch = keep(ch, entry)
    new_refs = set(f.actions.loc[f.actions["new"], "ref"])
    tool = number_of(pack, "monitoring-tool")
    where = f" (Appendix {tool})" if tool else ""
    blocks: list[Block] = [
        _lead(
            f"Changes made to the plan from {f.period_words()}, as recorded in the change log. "
            f"Actions added {f.this_period} are in red and marked New in the monitoring tool{where}."
        )
    ]
    summary: list[Block] = [Paragraph(Text.of(clean(s)), "bullet") for s in f.change_summary()]
    blocks.append(
        Section("Summary of changes", summary or [_body(f"No changes were made to the plan {f.this_period}.")])
    )
    log: list[Block]
    if len(ch):
        log = [
            Table(
                f"Change log for the {f.period_noun}",
                "Each change made to the plan: date, ref, type, old and new value, reason and approval.",
                (Column("Date", 2.2), Column("Ref", 2.4, row_header=True), Column("Change type", 3.4),
                 Column("Old value", 4.1), Column("New value", 4.1), Column("Reason", 6.5), Column("Approved by", 4.0)),
                [Row((cell(d), ref_cell(r, r in new_refs), cell(k), cell(uk_date(o)), cell(uk_date(nv)), cell(rs),
                      cell(a)), r in new_refs)
                 for d, r, k, o, nv, rs, a in zip(ch["date"], ch["ref"], ch["change_type"], ch["old_value"],
                                                  ch["new_value"], ch["reason"], ch["approved_by"])],
            )
        ]  # fmt: skip
    else:
        log = [_body(f"The change log has no entries for the {f.period_noun}.")]
    blocks.append(Section("Change log", log))
    result = f.changes
    if result is None:
        return blocks  # without last period's workbook there is nothing to compare statuses with
    moves: list[Block]
    if not result.status_changes:
        moves = [_body("No action changed status since the last report.")]
    else:
        first = f.actions.drop_duplicates("ref")
        info = {ref_key(r): (d, bool(n)) for r, d, n in zip(first["ref"], first["description"], first["new"])}
        rows = []
        for c in result.status_changes:
            desc, n = info.get(ref_key(c["ref"]), ("", False))
            before, after = c.get("from"), c.get("to")
            rows.append(
                Row(
                    (ref_cell(c["ref"], n), cell(desc), f.status(before), f.status(after),
                     Text.of(movement_label(c["direction"], before, after, NOT_GIVEN))),
                    n,
                )
            )  # fmt: skip
        moves = [
            Table(
                "Status changes since the last report",
                "Actions whose status changed since the last report.",
                (Column("Ref", 2.4, row_header=True), Column("Action", 11.3), Column("Previous status", 3.0),
                 Column("Current status", 3.0), Column("Movement", 7.0)),
                rows,
            )
        ]  # fmt: skip
    blocks.append(Section("Status changes since the last report", moves))
    return blocks


# ---------------------------------------------------------------------- risk register


def risk_register(f: Facts, entry: Entry, pack: list[Entry]) -> list[Block]:
    risks = keep(f.risks, entry)
    bands = f.lists.score_bands
    band_status = {b.rating: Status.of(b.rating, hex6(b.colour)) for b in bands}
    rows = []
    for ref, risk, cause, cons, owner, li, im, score, rating, mit, tl, ti, direction in zip(
        risks["risk_ref"], risks["risk"], risks["cause"], risks["consequence"], risks["owner"], risks["likelihood"],
        risks["impact"], risks["score_c"], risks["rating_c"], risks["mitigations"], risks["target_likelihood"],
        risks["target_impact"], risks["direction"],
    ):  # fmt: skip
        rating = rating if isinstance(rating, str) and rating else None
        shown = band_status.get(rating) if rating else None
        parts: list[str | Span] = [clean(risk)]
        if clean(cause):
            parts += [Span("\nCause: ", True), clean(cause)]
        if clean(cons):
            parts += [Span("\nConsequence: ", True), clean(cons)]
        if pd.notna(tl) and pd.notna(ti):
            ts = tl * ti
            tr = f.lists.rating_for(ts)
            target = f"{clean(tl)} × {clean(ti)} = {clean(ts)}" + (f" ({tr})" if tr else "")
        else:
            target = NOT_GIVEN
        rows.append(
            Row((cell(ref), Text.of(*parts), cell(owner), cell(li), cell(im), cell(score),
                 shown or Status.of(rating or NOT_GIVEN, None), cell(mit), Text.of(target),
                 Text.of(clean(direction) or NOT_GIVEN)))
        )  # fmt: skip
    blocks: list[Block] = [
        _lead(
            f"{plural(len(rows), 'risk')} to the delivery of the plan. Score is likelihood times impact (each 1 to 5); "
            "the rating follows the score bands below. Target is the score expected once mitigations take effect."
        ),
        Section(
            "Rating key",
            [
                Table(
                    "Risk rating key",
                    "Each rating and the range of scores (likelihood times impact) it covers.",
                    (Column("Rating", 3.0), Column("Scores", 6.0)),
                    [Row((band_status[b.rating], Text.of(f"{b.low} to {b.high}"))) for b in bands],
                )
            ],
        ),
    ]
    if rows:
        table = Table(
            "Improvement Plan risk register",
            "Each risk with likelihood, impact, score, rating, mitigations, target and direction of travel.",
            (Column("Risk ref", 1.7, row_header=True), Column("Risk", 5.2), Column("Owner", 2.9),
             Column("Likelihood", 2.5, numeric=True), Column("Impact", 1.6, numeric=True),
             Column("Score", 1.4, numeric=True), Column("Rating", 2.0), Column("Mitigations", 5.0),
             Column("Target", 2.4), Column("Direction", 2.0)),
            rows,
        )  # fmt: skip
        blocks.append(Section("Risks", [table]))
    else:
        blocks.append(Section("Risks", [_body("The risk register has no risks.")]))
    return blocks


BUILDERS: dict[str, Callable[[Facts, Entry, list[Entry]], list[Block]]] = {
    "monitoring-tool": monitoring_tool,
    "theme-summary": theme_summary,
    "statutory-recommendations": statutory_recommendations,
    "review-responses": review_responses,
    "changes": changes,
    "risk-register": risk_register,
    "progress-over-time": progress_over_time,
    "best-value": best_value_themes,
}
