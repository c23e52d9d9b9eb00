"""The six-monthly digest: the facts for the letter to the Secretary of State.

Every six months the council writes to the Secretary of State about the plan (seed
004). The letter is prose officers write; the digest gives them its facts, in the
letter's order (:data:`ipxl.defaults.DIGEST_SECTIONS`: Organisational Culture, then
Corporate Oversight and Strategic Direction, Decision Making, and Partnerships and
Relationships with Procurement and Commercial): for each section the counts then and
now and what was completed since the date given, with its progress update; then the
statutory recommendations' progress. "Then" is the latest period of the series that
ended on or before that date (the first period when none did).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import defaults as D
from ..analysis.history import ALL, History, history, load_series
from ..analysis.impact import moved
from ..analysis.rollup import TOTAL
from ..checks.vocab import norm_ref
from ..dates import uk
from ..errors import OutputExists
from ..xlsx.model import Workbook
from .content import COMPLETE, Facts, cell, listing, number_word, plural
from .impact import figure, state_cell, value_at
from .model import Block, Column, Document, Paragraph, Row, Section, Table, Text, has_errors
from .text import clean, uk_date


def sections(themes: Iterable[str]) -> list[tuple[str, list[str]]]:
    """The letter's sections over the workbook's ``themes``: the default grouping for
    the themes it knows, then each other theme on its own, in Lists order."""
    themes = list(themes)
    out: list[tuple[str, list[str]]] = []
    used: set[str] = set()
    for title, members in D.DIGEST_SECTIONS:
        present = [t for t in members if t in themes]
        if present:
            out.append((title if len(present) == len(members) else " and ".join(present), present))
            used.update(present)
    out += [(t, [t]) for t in themes if t not in used]
    return out


def _then(h: History, since: dt.date) -> int:
    ends = [dt.date.fromisoformat(p["period_end"]) for p in h.periods]
    before = [k for k, e in enumerate(ends) if e <= since]
    return before[-1] if before else 0


def _counts(period: dict, themes: list[str], status: str) -> int:
    return sum(period["counts"].get(t, {}).get(status, 0) for t in themes)


def digest_document(h: History, latest: Facts, then: Facts, since: dt.date) -> Document:
    """The digest as a :class:`~.model.Document` (rendered like the covering report)."""
    k = _then(h, since)
    p_then, p_now = h.periods[k], h.periods[-1]
    statuses = [s for s in p_now["counts"][ALL] if s != TOTAL]
    since_text = f"{uk(since)}"
    done = h.completed  # since the date already
    blocks: list[Block] = [
        Paragraph.of(
            f"Facts for the six-monthly letter: what was completed since {since_text}, the counts then "
            f"({p_then['period']}) and now ({p_now['period']}), and the statutory recommendations' progress. "
            "The letter's words are the council's.",
            kind="lead",
        ),
        Paragraph.of(
            f"Across the plan: {p_now['counts'][ALL].get(COMPLETE, 0)} of {p_now['counts'][ALL][TOTAL]} actions "
            f"complete in {p_now['period']}, against {p_then['counts'][ALL].get(COMPLETE, 0)} of "
            f"{p_then['counts'][ALL][TOTAL]} in {p_then['period']}; {plural(len(done), 'action')} completed "
            f"since {since_text}."
        ),
    ]
    blocks += _impact(latest, then, since, p_then["period"], p_now["period"])
    described = dict(zip(latest.actions["ref"].map(norm_ref), latest.actions["description"], strict=True))
    names = [t for t in p_now["counts"] if t != ALL]
    for title, themes in sections(names):
        table = Table(
            f"{title}: status counts then and now",
            f"Actions not closed at each status in {p_then['period']} and {p_now['period']}.",
            (Column("Status", 5.0, row_header=True), Column(p_then["period"], 4.0, numeric=True),
             Column(p_now["period"], 4.0, numeric=True)),
            [Row((latest.status(s), Text.of(str(_counts(p_then, themes, s))), Text.of(str(_counts(p_now, themes, s)))))
             for s in statuses]
            + [Row((Text.of("Total"), Text.of(str(_counts(p_then, themes, TOTAL))),
                    Text.of(str(_counts(p_now, themes, TOTAL)))))],
        )  # fmt: skip
        mine = [c for c in done if c["theme"] in themes]
        if mine:
            completed: Block = Table(
                f"{title}: completed since {since_text}",
                "Actions completed since the date, with the progress update that records it.",
                (Column("Ref", 2.3, row_header=True), Column("Action", 5.0), Column("Completed", 2.4),
                 Column("Progress update", 7.3)),
                [Row((Text.of(c["ref"]), cell(described.get(norm_ref(c["ref"]))),
                      cell(uk_date(c["completion_date"]) or c["period"]), cell(c["progress_update"])))
                 for c in mine],
            )  # fmt: skip
        else:
            completed = Paragraph.of(f"No actions in {listing(themes)} were completed since {since_text}.")
        blocks.append(
            Section(
                title,
                [
                    Paragraph.of(
                        f"{_counts(p_now, themes, COMPLETE)} of {_counts(p_now, themes, TOTAL)} actions complete "
                        f"now, {_counts(p_then, themes, COMPLETE)} of {_counts(p_then, themes, TOTAL)} then.",
                        kind="lead",
                    ),
                    table,
                    Section(f"Completed since {since_text}", [completed]),
                ],
            )
        )
    blocks.append(Section("Statutory recommendations", _statutory(latest, then, p_then["period"], p_now["period"])))
    st = latest.settings
    return Document(
        key="digest",
        number="",
        title=f"{latest.plan} Six-Monthly Digest {p_now['period']}",
        council=st.council,
        period=p_now["period"],
        landscape=False,
        blocks=blocks,
        subject="Improvement Plan six-monthly digest",
    )


def _impact(latest: Facts, then: Facts, since: dt.date, then_label: str, now_label: str) -> list[Block]:
    """The letter's "evidence that these improvements are having a positive impact":
    the measures that moved since the date, proxies for success first; nothing when
    the workbook has no measures."""
    now = latest.measures
    if now.empty:
        return []
    since_text = f"{uk(since)}"
    earlier = None if then.wb is latest.wb else then.measures
    moved_since = moved(now, earlier, since, latest.settings.period_end)
    if not moved_since:
        none = "The measure of impact did not" if len(now) == 1 else f"None of the {len(now)} measures of impact"
        return [Section("Evidence of impact", [Paragraph.of(f"{none} moved since {since_text}.")])]
    table = Table(
        f"Measures of impact that moved since {since_text}",
        f"Each measure that moved: its value in {then_label} (or its baseline) and in {now_label}, its target and its "
        "state now.",
        (Column("Measure", 6.0, row_header=True), Column("Best Value theme", 3.4), Column("Then", 2.6),
         Column("Now", 2.6), Column("Target", 2.6), Column("State", 2.4)),
        [Row((Text.of(clean(m["measure"]) + ("\nProxy for success" if m["proxy"] else "")),
              Text.of("; ".join(m["themes"]) or "None"),
              Text.of(_value(m["from"], m["from_date"])), Text.of(_value(m["to"], m["to_date"])),
              Text.of(_value(m["target"], m["target_date"], by=True)), state_cell(m["state"])))
         for m in moved_since],
    )  # fmt: skip
    n = len(moved_since)
    lead = Paragraph.of(
        f"{number_word(n).capitalize()} of the plan's {plural(len(now), 'measure')} of impact moved since "
        f"{since_text}{' (proxies for success first)' if moved_since[0]['proxy'] else ''}.",
        kind="lead",
    )
    return [Section("Evidence of impact", [lead, table])]


def _value(value, date, by: bool = False) -> str:
    """``71 (October 2023)``, or for a target ``75 by October 2024``."""
    if value is None:
        return "Not given"
    if by:
        return f"{figure(value)} by {pd.Timestamp(date):%B %Y}" if date else figure(value)
    return value_at(value, date)


def _statutory(latest: Facts, then: Facts, then_label: str, now_label: str) -> list[Block]:
    recs = latest.recommendations
    statutory = recs[recs["category_c"] == D.CATEGORIES[0]]
    if statutory.empty:
        return [Paragraph.of("The workbook lists no statutory recommendations.")]
    rows = []
    for rec_id, text, refs in zip(
        statutory["rec_id"], statutory["recommendation"], statutory["action_refs"], strict=True
    ):
        now = latest.linked(rec_id, refs)
        before = then.linked(rec_id, refs)
        open_now = now[now["open"]]
        left = pd.Series(open_now["status_c"]).value_counts()
        rest = listing(f"{n} {s}" for s, n in left.items() if s != COMPLETE) or "none"
        rows.append(
            Row((cell(rec_id), cell(text), Text.of(str(len(now))),
                 Text.of(str(int((before["status_c"] == COMPLETE).sum()))),
                 Text.of(str(int((now["status_c"] == COMPLETE).sum()))), Text.of(rest)))
        )  # fmt: skip
    table = Table(
        "Statutory recommendations: progress of their actions",
        f"For each statutory recommendation: its actions, how many were complete in {then_label} and in "
        f"{now_label}, and the rest by status now.",
        (Column("Rec", 1.6, row_header=True), Column("Recommendation", 6.0), Column("Actions", 1.6, numeric=True),
         Column(f"Complete {then_label}", 2.4, numeric=True), Column(f"Complete {now_label}", 2.4, numeric=True),
         Column("Not yet complete", 3.0)),
        rows,
    )  # fmt: skip
    return [table]


@dataclass(frozen=True)
class DigestPaper:
    """The digest written: its Word file, and what it says first and on every page
    when it is a draft (``DRAFT: the workbook has 2 errors``; "" when it can be sent)."""

    path: Path
    draft: str = ""


def write_digest(
    paths: Iterable[str | Path | Workbook],
    since: dt.date,
    out_dir: str | Path = ".",
    *,
    force: bool = False,
    templates_dir: str | Path | None = None,
    draft: bool = False,
) -> DigestPaper:
    """Write the six-monthly digest of the series at ``paths`` (see
    :func:`ipxl.analysis.history.load_series`) for completions since ``since`` into
    ``out_dir``; returns the Word file written and whether it is a draft. Raises :class:`~ipxl.errors.NoHistory` when no
    workbook can be placed in a series, :class:`~ipxl.errors.OutputExists` when the
    file exists without ``force``, and :class:`~ipxl.errors.WorkbookHasErrors` when
    the latest workbook has validation errors, unless ``draft`` (then the paper says
    "DRAFT: the workbook has N errors" first and on every page). Earlier workbooks
    are history: their errors do not stop it."""
    from ..checks.validation import validate
    from ..errors import WorkbookHasErrors
    from ..resources import report_templates_dir
    from ..xlsx.safe_write import exists, make_folder
    from . import COVER_TEMPLATE
    from .word import render

    # every sheet, so the latest workbook can be validated from this one read
    series = load_series(paths, sheets=(*D.RECORD_SHEETS, *D.OPTIONAL_SHEETS))
    h = history(series, since=since)  # raises NoHistory when no workbook could be placed
    latest_wb = series.workbooks[-1]
    report = validate(latest_wb)
    errors = report.counts["error"]
    if errors and not draft:
        raise WorkbookHasErrors.because(
            report,
            latest_wb.path,
            "no digest was made: a letter must not carry them",
            "make the digest again; or make a draft, marked DRAFT on every page (--draft)",
        )
    k = _then(h, since)
    then_wb = series.workbooks[k]
    previous = series.workbooks[-2] if len(series.workbooks) > 1 else None
    doc = digest_document(h, Facts(latest_wb, previous), Facts(then_wb, None), since)
    if errors:
        doc.draft = f"DRAFT: {has_errors(errors)}"
    out_dir = Path(out_dir)
    target = out_dir / f"{doc.stem}.docx"
    if exists(target) and not force:
        raise OutputExists(f"{target} already exists; choose another --out folder or add --force to replace it.")
    make_folder(out_dir)
    templates = Path(templates_dir) if templates_dir else report_templates_dir()
    return DigestPaper(render(doc, templates / COVER_TEMPLATE, target), doc.draft)
