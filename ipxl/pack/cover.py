"""The covering report's data-driven sections, as the quarterly report words them.

What officers type by hand each quarter and ipxl can say from the workbook: progress
by theme (counts, movement, achievements and the exception reports), the statutory
recommendations, the risk register headline, the change summary and the list of
appendices. Every number comes from :class:`.content.Facts`, the same facts the
appendices print; a kind of change or issue that did not happen is not mentioned.
Officers add the narrative around it.
"""

from __future__ import annotations

import re

from ..checks.vocab import canonical_series
from .content import COMPLETE, Facts, listing, plural
from .model import Block, Document, Paragraph, Section, Span
from .spec import Entry, number_of
from .text import clean

_p = Paragraph.of


def cover_report(f: Facts, pack: list[Entry]) -> Document:
    """The covering report for ``pack`` (its appendices as numbered there)."""
    title = " ".join(f"{f.plan} Progress Report {f.period}".split())
    blocks: list[Block] = [
        _p(
            f"This report gives the progress of the {f.plan} up to the end of {f.period or 'the period'} "
            f"({f.period_words()}), from the monitoring workbook. The figures below are the same as in the "
            "appendices listed at the end."
        )
    ]
    blocks.append(_progress(f, pack))
    statutory = _statutory(f, pack)
    if statutory is not None:
        blocks.append(statutory)
    blocks.append(_risks(f, pack))
    blocks.append(_changes(f, pack))
    blocks.append(_appendix_list(pack))
    return Document(
        key="cover",
        number="",
        title=title,
        council=clean(f.settings.council),
        period=f.period,
        landscape=False,
        blocks=blocks,
        subject="Improvement Plan progress report",
    )


# ------------------------------------------------------------------- progress


def _progress(f: Facts, pack: list[Entry]) -> Section:
    counted = f.actions[f.actions["open"]]
    tool, themes_no = number_of(pack, "monitoring-tool"), number_of(pack, "theme-summary")
    blocks: list[Block] = [_p(f.counts_sentence(counted["status_c"]))]
    moves = f.movement_words()
    if moves:
        blocks.append(_p(f"Since the previous period: {moves}."))
    if f.rollup.overdue:
        blocks.append(_p(f.overdue_sentence()))
    if tool:
        blocks.append(_p(f"The Improvement Plan Monitoring Tool, with the status of every action, is Appendix {tool}."))
    if themes_no:
        blocks.append(_p(f"Progress against each theme is in Appendix {themes_no}; a summary by theme follows."))
    in_period = f.in_period(f.actions["completion_date"])
    for theme in f.theme_order(f.rollup.by_theme.index):
        part = counted[counted["theme_name"] == theme]
        done = f.actions[(f.actions["theme_name"] == theme) & (f.actions["status_c"] == COMPLETE) & in_period]
        issues = part[part["status_c"].isin(["Red", "Amber"])].sort_values(
            "status_c", key=lambda s: s != "Red", kind="stable"
        )
        section = Section(f"{theme} Theme", [_p(f.counts_sentence(part["status_c"]))])
        theme_moves = f.movement_words(theme)
        if theme_moves:
            section.blocks.append(_p(f"Since the previous period: {theme_moves}."))
        achieved: list[Block] = [
            _p(Span(clean(r), True), f" {clean(d)}", kind="bullet") for r, d in zip(done["ref"], done["description"])
        ]
        section.blocks.append(
            Section(
                "Achievements this period", achieved or [_p("No actions in this theme were completed in the period.")]
            )
        )
        reports: list[Block] = []
        for r, d, st, x, u in zip(
            issues["ref"],
            issues["description"],
            issues["status_c"],
            issues["exception_reason"],
            issues["progress_update"],
        ):
            reason = clean(x) or ("No exception reason given." if st == "Red" else "")
            words: list[str | Span] = [Span(f"{clean(r)} {clean(d)} ({st})", True)]
            if reason:
                words.append(f": {reason}" + ("" if reason[-1] in ".!?" else "."))
            if clean(u):
                words.append(f" Update: {clean(u)}")
            reports.append(_p(*words, kind="bullet"))
        section.blocks.append(
            Section("Progress issues (exception reports)", reports or [_p("No issues in this theme.")])
        )
        blocks.append(section)
    return Section(f"{f.plan} progress", blocks)


# ------------------------------------------------------------------ statutory


def _statutory(f: Facts, pack: list[Entry]) -> Section | None:
    recs = f.recommendations[f.recommendations["category_c"] == "Statutory"]
    if recs.empty:
        return None
    appendix = number_of(pack, "statutory-recommendations")
    reviews = listing(dict.fromkeys(clean(r) for r in recs["review"] if clean(r)))
    lead = (
        f"{reviews or 'The reviews'} included {plural(len(recs), 'statutory recommendation')}"
        + (f" (Appendix {appendix})" if appendix else "")
        + " that the council has a legal obligation to respond to. They are incorporated into the plan "
        "and embedded across its themes."
    )
    blocks: list[Block] = [_p(lead)]
    ms = f.milestones
    for rec_id, text, action_refs in zip(recs["rec_id"], recs["recommendation"], recs["action_refs"]):
        linked = f.linked(clean(rec_id), action_refs)
        in_ms = ms["ref"].isin(set(linked["ref"]))
        n_ms, n_done = int(in_ms.sum()), int((in_ms & (ms["status_c"] == "Complete")).sum())
        progress = f.counts_sentence(linked["status_c"], "linked action")
        if n_ms:
            progress += f" {n_done} of {plural(n_ms, 'milestone')} complete."
        blocks.append(_p(Span(_statutory_name(clean(rec_id)), True), f" {clean(text)}"))
        blocks.append(_p(f"Progress: {progress}"))
    return Section("Statutory recommendations", blocks)


def _statutory_name(rec_id: str) -> str:
    """``S1`` -> ``Statutory Recommendation 1``, as the reports name them; other
    identifiers stay as they are."""
    m = re.fullmatch(r"S(\d+)", rec_id.strip(), re.I)
    return f"Statutory Recommendation {m.group(1)}" if m else f"Statutory Recommendation {rec_id}"


# ---------------------------------------------------------------------- risks


def _risks(f: Facts, pack: list[Entry]) -> Section:
    risks = f.wb.frame("risks")
    appendix = number_of(pack, "risk-register")
    bands = f.lists.score_bands
    blocks: list[Block] = []
    if risks.empty:
        return Section("Risk management", [_p("The risk register has no risks.")])
    ratings = canonical_series(risks["rating"], tuple(b.rating for b in bands))
    score = risks["score"].where(risks["score"].notna(), risks["likelihood"] * risks["impact"])
    ratings = ratings.where(ratings.notna(), score.map(lambda s: f.lists.rating_for(s) if s == s else None))
    counts = ratings.value_counts()
    by_rating = listing(f"{int(counts[b.rating])} {b.rating}" for b in reversed(bands) if counts.get(b.rating, 0))
    overall = clean(f.settings.overall_risk)
    if overall:
        blocks.append(_p(f"The {f.plan} risk register is currently rated as an overall {overall} risk."))
    blocks.append(_p(f"The register holds {plural(len(risks), 'risk')}" + (f": {by_rating}." if by_rating else ".")))
    red = next((b.rating for b in bands if b.rating == "Red"), bands[-1].rating if bands else "Red")
    main = risks[ratings == red]
    if main.empty:
        main = risks.assign(_s=score).sort_values("_s", ascending=False, kind="stable").head(3)
    where = f"The current risk register is attached as Appendix {appendix}. " if appendix else ""
    blocks.append(_p(f"{where}The main risks are associated with:"))
    for risk, mit in zip(main["risk"], main["mitigations"]):
        words: list[str | Span] = [Span(clean(risk).rstrip(" .:;"), True)]
        if clean(mit):
            words.append(f": {clean(mit)}")
        blocks.append(_p(*words, kind="bullet"))
    return Section("Risk management", blocks)


# -------------------------------------------------------------------- changes


def _changes(f: Facts, pack: list[Entry]) -> Section:
    appendix, tool = number_of(pack, "changes"), number_of(pack, "monitoring-tool")
    blocks: list[Block] = []
    if appendix:
        red = (
            f" Where new actions have been added, they are shown in the monitoring tool (Appendix {tool}) in red."
            if tool
            else ""
        )
        blocks.append(_p(f"The list of all changes is provided in Appendix {appendix}.{red}"))
    result = f.changes
    if result is None:
        blocks.append(_p("The changes are not summarised because last period's workbook was not given."))
    elif result.summary:
        blocks.append(_p("The changes made are summarised below."))
        blocks += [_p(clean(s), kind="bullet") for s in result.summary]
    else:
        blocks.append(_p("No changes were made to the plan in the period."))
    return Section(f"Changes to the {f.plan}", blocks)


# ------------------------------------------------------------------ appendices


def _appendix_list(pack: list[Entry]) -> Section:
    items: list[Block] = [_p(f"{e.number}. {e.title}", kind="item") for e in pack if e.number]
    return Section("Appendices", items or [_p("None.")])
