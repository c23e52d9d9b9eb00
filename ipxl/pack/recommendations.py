"""The appendices of external review recommendations: the statutory recommendations
(shaped as the council's Statutory Recommendation Status Summary, January 2024) and
the review responses (as its Grant Thornton Recommendation Responses, November 2024).
"""

from __future__ import annotations

import pandas as pd

from .. import defaults as D
from ..checks.vocab import split_refs
from .content import Facts, cell, listing, number_word, ref_cell, statutory_name
from .model import NOT_GIVEN, Block, Cell, Column, Paragraph, Row, Section, Span, Table, Text
from .spec import Entry, keep, number_of
from .text import clean


def _lead(text: str) -> Paragraph:
    return Paragraph.of(text, kind="lead")


def _body(*parts: str | Span) -> Paragraph:
    return Paragraph.of(*parts)


# ---------------------------------------------------------- statutory recommendations


def statutory_recommendations(f: Facts, entry: Entry, pack: list[Entry]) -> list[Block]:
    recs = keep(f.recommendations, entry)
    recs = recs[recs["category_c"] == "Statutory"]
    if recs.empty:
        return [_body("The plan has no statutory recommendations.")]
    n = len(recs)
    out: list[Block] = [
        _lead(
            f"Progress against {'each of ' if n > 1 else ''}the {number_word(n)} statutory "
            f"recommendation{'s' if n != 1 else ''}, theme by theme, with the milestones of the actions that answer "
            f"{'them' if n > 1 else 'it'}."
        )
    ]
    for rec_id, text, lead, action_refs in zip(
        recs["rec_id"], recs["recommendation"], recs["lead"], recs["action_refs"]
    ):
        linked = f.linked(clean(rec_id), action_refs)
        section = Section(
            statutory_name(clean(rec_id)),
            [_body(clean(text)), _body(Span("Director / Lead: ", True), clean(lead) or NOT_GIVEN)],
        )
        themes = f.theme_order(list(f.themes.values()) + list(linked["theme_name"]))
        empty = []
        for theme in themes:
            part = linked[linked["theme_name"] == theme]
            if part.empty:
                if theme in f.themes.values():
                    empty.append(theme)
                continue
            section.blocks.append(Section(theme, _theme_progress(f, rec_id, theme, part)))
        if empty:
            # said before the themes it has, not after the last one's table, where it
            # would read as part of that theme
            at = next((i for i, b in enumerate(section.blocks) if isinstance(b, Section)), len(section.blocks))
            words = f"It has no actions in the {listing(empty)} theme{'s' if len(empty) > 1 else ''}."
            section.blocks.insert(at, _body(words))
        out.append(section)
    return out


def _theme_progress(f: Facts, rec_id, theme: str, part: pd.DataFrame) -> list[Block]:
    """One theme's progress on a statutory recommendation, in words (each workstream's
    updates), then its actions and milestones."""
    blocks: list[Block] = []
    for workstream in dict.fromkeys(part["workstream"].map(clean)):
        ws = part[part["workstream"].map(clean) == workstream]
        said = [(clean(r), clean(u)) for r, u in zip(ws["ref"], ws["progress_update"]) if clean(u)]
        if not said:
            continue
        blocks.append(Paragraph.of(Span(workstream or "Other actions", True), kind="label"))
        blocks += [Paragraph.of(f"{u} ({r})", kind="bullet") for r, u in said]
    blocks.append(
        Table(
            f"{statutory_name(clean(rec_id))}, {theme}: actions",
            "The actions in this theme that answer the recommendation, with their due dates and status.",
            (Column("Ref", 2.3, row_header=True), Column("Action", 8.0), Column("Due date", 2.4),
             Column("Status", 2.3)),
            [Row((ref_cell(r, n, "" if o else "Closed"), cell(d), cell(rev or due), f.status(s)), bool(n))
             for r, d, due, rev, s, n, o in zip(part["ref"], part["description"], part["due_date_text"],
                                                part["revised_due_date_text"], part["status_c"], part["new"],
                                                part["open"])],
        )
    )  # fmt: skip
    ms = f.milestones
    mpart = ms[ms["ref"].isin(set(part["ref"]))]
    if len(mpart):
        new_refs = set(part.loc[part["new"], "ref"])
        rows = []
        for r, m, due, s, raw_s, done in zip(mpart["ref"], mpart["milestone"], mpart["due_date"], mpart["status_c"],
                                              mpart["status"], mpart["completed_date"]):  # fmt: skip
            word = s or clean(raw_s) or NOT_GIVEN
            shown = f"{word} ({clean(done)})" if word == D.MILESTONE_STATUSES[0] and clean(done) else word
            rows.append(Row((cell(m), ref_cell(r, r in new_refs), cell(due), Text.of(shown)), r in new_refs))
        blocks.append(
            Table(
                f"{statutory_name(clean(rec_id))}, {theme}: milestones",
                "The milestones of these actions, with their due dates and status.",
                (Column("Milestone", 8.6), Column("Action ref", 2.4), Column("Due date", 2.4), Column("Status", 3.6)),
                rows,
            )
        )
    return blocks


# ------------------------------------------------------------------ review responses


def responses_shown(f: Facts, entry: Entry, pack: list[Entry]) -> pd.DataFrame:
    """The recommendations a review-responses appendix shows: its filter's, less the
    statutory ones when the pack has an appendix of their own."""
    recs = keep(f.recommendations, entry)
    if number_of(pack, "statutory-recommendations"):
        recs = recs[recs["category_c"] != "Statutory"]
    return recs


def filter_topics(entry: Entry) -> str:
    """What an appendix's filter keeps, in words: ``scrutiny and audit`` for
    ``Area: Scrutiny; Audit``; "" without a filter."""
    about = entry.filter_text.split(":", 1)[1] if entry.filter_text else ""
    return listing([t.strip().lower() for t in about.split(";") if t.strip()])


def followed_up(recs: pd.DataFrame) -> bool:
    """Whether any of these recommendations carries a follow-up review's findings."""
    return bool(recs["follow_up"].map(clean).astype(bool).any())


def review_responses(f: Facts, entry: Entry, pack: list[Entry]) -> list[Block]:
    recs = responses_shown(f, entry, pack)
    statutory_no = number_of(pack, "statutory-recommendations")
    first = f.actions.drop_duplicates("ref")
    by_ref = {r: (bool(n), u) for r, n, u in zip(first["ref"], first["new"], first["progress_update"])}
    known_reviews = list(f.lists.reviews)
    review_c = recs["review"].map(lambda v: clean(v) or "Other recommendations")
    area_c = recs["area"].map(lambda v: clean(v) or "General")
    order = [r for r in known_reviews if r in set(review_c)] + [
        r for r in dict.fromkeys(review_c) if r not in known_reviews
    ]
    topics = filter_topics(entry)
    n = len(recs)
    if not n:
        return [
            _body(
                f"No external review recommendations relate to {topics}."
                if topics
                else "The plan lists no external review recommendations."
            )
        ]
    followed = followed_up(recs)
    new_refs = {r for r, (n_, _) in by_ref.items() if n_}
    shown_refs = {r for refs in recs["action_refs"] for r in split_refs(refs)}
    blocks: list[Block] = [
        _lead(
            f"Progress against the {number_word(n)} external review recommendation{'s' if n != 1 else ''}"
            + (f" relating to {topics}" if topics else "")
            + ", by review and area, with the council's response and the latest update on each action"
            + (", and the follow-up reviews' findings." if followed else ".")
            + (f" Actions added {f.this_period} are marked New." if new_refs & shown_refs else "")
        )
    ]
    if statutory_no:
        blocks.append(_body(f"The statutory recommendations are reported in Appendix {statutory_no}."))
    columns = [
        Column("Number", 2.0, row_header=True),
        Column("Recommendation", 7.0),
        Column("Status", 2.4),
        Column("Response and progress", 9.0),
        Column("Director / Lead", 3.6),
    ]
    if followed:
        columns.append(Column("Follow-up findings", 5.0))
    for review in order:
        part = recs[review_c == review]
        section = Section(review)
        for area in dict.fromkeys(area_c[part.index]):
            rows: list[Row] = []
            mine = part[area_c[part.index] == area]
            for rec_id, text, response, action_refs, lead, follow in zip(
                mine["rec_id"], mine["recommendation"], mine["response"], mine["action_refs"], mine["lead"],
                mine["follow_up"],
            ):  # fmt: skip
                linked = f.linked(clean(rec_id), action_refs)
                parts: list[str | Span] = [clean(response) or NOT_GIVEN]
                named = [r for r in split_refs(action_refs) if r not in D.OUTSIDE_PLAN]
                # the refs its Action refs name, then the actions that name it themselves
                for ref in dict.fromkeys([*named, *linked["ref"].dropna()]):
                    if ref not in by_ref:
                        parts += ["\n", Span(clean(ref), True), ": not in the Actions sheet."]
                        continue
                    is_new, update = by_ref[ref]
                    parts += [
                        "\n",
                        Span(clean(ref) + (" (New)" if is_new else ""), True),
                        f": {clean(update) or 'No update given.'}",
                    ]
                cells: list[Cell] = [
                    cell(rec_id),
                    cell(text),
                    f.status(f.recommendation_status(linked, action_refs)),
                    Text.of(*parts),
                    Text.of(clean(lead) or NOT_GIVEN),
                ]
                if followed:
                    cells.append(cell(follow))
                rows.append(Row(tuple(cells)))
            section.blocks.append(
                Section(
                    area,
                    [
                        Table(
                            f"{review}, {area}: responses",
                            "Each recommendation with its status, the council's response and progress, and the lead.",
                            tuple(columns),
                            rows,
                        )
                    ],
                )
            )
        blocks.append(section)
    return blocks
