"""The committee report itself, one per meeting, in the shape of the council's own
report (Report to Budget and Corporate Scrutiny Management Board, 22 November 2023).

A front sheet (the committee, the meeting's date, Subject, Director, Contact
Officers), then numbered sections and paragraphs in the report's order:
Recommendations; Reasons for Recommendations; the Corporate Plan; Context and Key
Issues (background, overall progress, and a section per theme with its achievements
and progress issues); Statutory Recommendations; Scrutiny; the Scrutiny Work
Programme; External Reviews; Risk Management; Changes to the plan; Reporting
Framework and Governance; Implications; Appendices; Background Papers.

The words are the officers', typed in the workbook's Report sheet
(:class:`ipxl.xlsx.model.ReportSheet`); the figures come from :class:`.content.Facts`,
the same facts the appendices print. A line of a Report cell is a paragraph; a line
starting ``-`` or ``•`` a bullet point; lines written ``Item | Update`` a table (the
first its header row).
"""

from __future__ import annotations

import datetime as dt
import re

from .. import defaults as D
from ..dates import spoken
from ..xlsx.model import ReportSheet
from .content import COMPLETE, Facts, listing, number_word, plural, statutory_name
from .impact import progress_blocks
from .model import Block, Column, Document, Paragraph, Row, Section, Span, Table, Text
from .spec import Entry, number_of
from .text import clean

_p = Paragraph.of
_ITEMS = {i.key: i for i in D.REPORT_ITEMS}
_BULLET = re.compile(r"^\s*(?:[-•*–▪]|o(?=\s))\s*")
#: A paragraph number an officer typed (``4.2.1``, ``1.``): ipxl numbers paragraphs
_TYPED_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+(?=\S)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'‘“(])")


def committee_reports(f: Facts, pack: list[Entry], sheet: ReportSheet, draft: str = "") -> list[Document]:
    """The committee report for each meeting the Report sheet names, in its order."""
    return [committee_report(f, pack, sheet, m, draft) for m in sheet.meetings]


def committee_report(f: Facts, pack: list[Entry], sheet: ReportSheet, meeting: str, draft: str = "") -> Document:
    """The report to ``meeting``: its front sheet and numbered sections."""
    words = _Words(sheet, meeting)
    when = sheet.get("meeting_date", meeting)
    date = when.value if when is not None and isinstance(when.value, dt.date) else None
    date_text = spoken(date) if date else ""
    subject = words.text("subject") or f"{f.plan} Progress"
    front: list[Block] = [_p(date_text, kind="lead")] if date_text else []
    front += [
        _p(Span("Subject: ", True), subject),
        _p(Span("Director: ", True), ", ".join(words.lines("director"))),
        _p(Span("Contact Officers:", True)),
    ]
    front += [_p(line, kind="bullet") for line in words.lines("contact_officers")]
    sections: list[Block] = [s for s in _sections(f, pack, words) if s is not None]
    _number([s for s in sections if isinstance(s, Section)])
    return Document(
        key="report",
        number="",
        title=f"Report to {meeting}",
        council=clean(f.settings.council),
        period=f.period,
        landscape=False,
        blocks=front + sections,
        subject=f"{subject}: report to {meeting}" + (f", {date_text}" if date_text else ""),
        name=f"{subject} - {meeting}" + (f" {date_text}" if date_text else ""),
        draft=draft,
        dated=date_text,
    )


# ------------------------------------------------------------------ the officers' words


class _Words:
    """One meeting's words from the Report sheet."""

    def __init__(self, sheet: ReportSheet, meeting: str):
        self.sheet, self.meeting = sheet, meeting

    def on(self, key: str) -> bool:
        return self.sheet.included(key, self.meeting)

    def text(self, key: str) -> str:
        return clean(self.sheet.text(key, self.meeting))

    def lines(self, key: str) -> list[str]:
        return [line for line in self.text(key).split("\n") if line.strip()]

    def blocks(self, key: str, caption: str = "") -> list[Block]:
        """The item's lines as paragraphs, bullet points and tables."""
        return narrative(self.text(key), caption or _ITEMS[key].heading)


def narrative(text: str, caption: str) -> list[Block]:
    """Lines typed in a Report cell as the paper's blocks: a paragraph a line (any
    number the officer typed in front dropped: the paper numbers them), ``- `` or
    ``• `` lines as bullet points, and runs of ``A | B`` lines as a table whose first
    line is its header row.

    >>> [b.kind for b in narrative("First.\\n- a point\\nSecond.", "x")]
    ['body', 'bullet', 'body']
    """
    blocks: list[Block] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            blocks.append(_table(rows, caption))
            rows.clear()

    for line in text.split("\n"):
        if not line.strip():
            continue
        if " | " in line:
            rows.append([cell.strip() for cell in line.split(" | ")])
            continue
        flush()
        if _BULLET.match(line):
            blocks.append(_p(_BULLET.sub("", line, count=1), kind="bullet"))
        else:
            blocks.append(_p(_TYPED_NUMBER.sub("", line, count=1)))
    flush()
    return blocks


def _table(rows: list[list[str]], caption: str) -> Table:
    width = max(len(r) for r in rows)
    header = rows[0] + [""] * (width - len(rows[0]))
    columns = tuple(Column(h or f"Column {i + 1}", 1.0, row_header=i == 0) for i, h in enumerate(header))
    body = [Row(tuple(Text.of(c) for c in r + [""] * (width - len(r)))) for r in rows[1:]]
    return Table(caption, f"{caption}: {', '.join(c.header for c in columns)}.", columns, body)


# ------------------------------------------------------------------------ sections


def _sections(f: Facts, pack: list[Entry], w: _Words) -> list[Section | None]:
    def narrative_section(key: str, heading: str = "") -> Section | None:
        return Section(heading or _ITEMS[key].heading, w.blocks(key)) if w.on(key) else None

    return [
        narrative_section("recommendations"),
        narrative_section("reasons"),
        narrative_section("corporate_plan"),
        _context(f, pack, w),
        _statutory(f, pack, w) if w.on("statutory") else None,
        _scrutiny(f, pack, w) if w.on("scrutiny") else None,
        narrative_section("work_programme"),
        narrative_section("external_reviews"),
        _risks(f, pack, w) if w.on("risk") else None,
        _changes(f, pack, w) if w.on("changes") else None,
        narrative_section("governance"),
        _implications(w),
        _appendix_list(pack),
        Section(_ITEMS["background_papers"].heading, [_p(x, kind="bullet") for x in w.lines("background_papers")])
        if w.on("background_papers")
        else None,
    ]


def _context(f: Facts, pack: list[Entry], w: _Words) -> Section:
    blocks: list[Block] = []
    if w.on("background"):
        blocks.append(Section(_ITEMS["background"].heading, w.blocks("background")))
    if w.on("progress"):
        blocks.append(Section(f"{f.plan} Progress", w.blocks("progress") + _progress(f, pack)))
        blocks += [_theme(f, theme) for theme in f.theme_order(f.rollup.by_theme.index)]
    return Section("Context and Key Issues", blocks)


def _once(fn):
    """The blocks ``fn`` makes from the facts alone (no meeting's words), made once for
    every meeting's report and copied for each (the numbering pass writes into them)."""
    import copy
    import functools

    @functools.wraps(fn)
    def wrapper(f: Facts, *args):
        memo = f.__dict__.setdefault("_report_blocks", {})
        key = (fn.__name__, *(id(a) if isinstance(a, list) else a for a in args))
        if key not in memo:
            memo[key] = fn(f, *args)
        return copy.deepcopy(memo[key])

    return wrapper


@_once
def _progress(f: Facts, pack: list[Entry]) -> list[Block]:
    counted = f.actions[f.actions["open"]]
    out: list[Block] = []
    when = f"At the end of {f.period}" if f.period else "At the end of the " + f.period_noun
    if counted.empty:
        out.append(_p(f"{when}, the plan had no actions still open."))
    else:
        counts = f.counts_sentence(counted["status_c"])
        out.append(_p(f"{when}, the plan had {counts[0].lower()}{counts[1:]}"))
    moves = f.movement_words()
    if moves and moves != "no change":
        out.append(_p(f"Since the last report, the status of actions has moved as follows: {moves}."))
    if f.rollup.overdue:
        out.append(_p(f.overdue_sentence()))
    out += progress_blocks(f, number_of(pack, "best-value"))
    tool, themes_no = number_of(pack, "monitoring-tool"), number_of(pack, "theme-summary")
    if tool:
        out.append(_p(f"The {f.plan} Monitoring Tool is included at Appendix {tool}."))
    if themes_no:
        out.append(
            _p(
                f"Progress against each theme of the {f.plan} is contained within Appendix {themes_no}. This includes "
                "progress against milestones and achievements, and any progress issues. A summary by theme is "
                "provided below."
            )
        )
    return out


@_once
def _theme(f: Facts, theme: str) -> Section:
    counted = f.actions[f.actions["open"]]
    part = counted[counted["theme_name"] == theme]
    done = f.completed(theme)
    achieved = [a for a in done["achieved"] if a]
    blocks: list[Block] = []
    if achieved:
        blocks.append(_p(f"Achievements {f.this_period}:", kind="lead"))
        blocks += [_p(a, kind="bullet") for a in dict.fromkeys(achieved)]
    else:
        blocks.append(_p(f"No actions in this theme were completed {f.this_period}."))
    issues = part[part["status_c"].isin(["Red", "Amber"])].sort_values(
        "status_c", key=lambda s: s != "Red", kind="stable"
    )
    if issues.empty:
        blocks.append(_p(f"{theme} Progress Issues: no issues in this theme."))
        return Section(f"{theme} Theme", blocks)
    blocks.append(_p(f"{theme} Progress Issues:", kind="lead"))
    for ref, desc, status, reason, update in zip(
        issues["ref"], issues["description"], issues["status_c"], issues["exception_reason"], issues["progress_update"]
    ):
        blocks.append(_p(Span(clean(desc).rstrip("."), True), f" ({clean(ref)})", kind="bullet"))
        blocks += [_p(point, kind="bullet2") for point in points(clean(update))]
        why = clean(reason)
        if why:
            said = (
                why if why.lower().startswith(f"{status.lower()} rating") else f"Reason for the {status} rating: {why}"
            )
            blocks.append(_p(_sentence(said), kind="bullet2"))
    return Section(f"{theme} Theme", blocks)


def points(text: str) -> list[str]:
    """An update as the report's points: a point a line, or a sentence when it is
    one paragraph.

    >>> points("Survey done. Review starts in November.")
    ['Survey done.', 'Review starts in November.']
    """
    if not text:
        return []
    lines = [_BULLET.sub("", line, count=1).strip() for line in text.split("\n") if line.strip()]
    if len(lines) > 1:
        return lines
    return [s.strip() for s in _SENTENCE.split(lines[0]) if s.strip()]


def _sentence(text: str) -> str:
    return text if text[-1:] in ".!?" else text + "."


def _statutory(f: Facts, pack: list[Entry], w: _Words) -> Section | None:
    recs = f.recommendations[f.recommendations["category_c"] == "Statutory"]
    if recs.empty and not w.text("statutory"):
        return None
    blocks: list[Block] = []
    if len(recs):
        appendix = number_of(pack, "statutory-recommendations")
        reviews = listing(dict.fromkeys(clean(r) for r in recs["review"] if clean(r)))
        linked_themes: list[str] = []
        for rec_id, refs in zip(recs["rec_id"], recs["action_refs"]):
            linked_themes += list(f.linked(clean(rec_id), refs)["theme_name"])
        themes = [t for t in f.theme_order(linked_themes)]
        across = (
            f"each of the {number_word(len(f.themes))} themes"
            if set(f.themes.values()) <= set(themes)
            else f"the {listing(themes)} {'theme' if len(themes) == 1 else 'themes'}"
        )
        n = len(recs)
        blocks.append(
            _p(
                f"The {reviews or 'external review'} included {number_word(n)} statutory "
                f"recommendation{'s' if n != 1 else ''}"
                + (f" (Appendix {appendix})" if appendix else "")
                + " that the council has a legal obligation to respond to. "
                + (
                    f"These recommendations are incorporated into the single {f.plan} and are embedded across {across}."
                    if themes
                    else ""
                )
            )
        )
    blocks += w.blocks("statutory")
    ms = f.milestones
    done = f.completed()
    for rec_id, text, refs in zip(recs["rec_id"], recs["recommendation"], recs["action_refs"]):
        linked = f.linked(clean(rec_id), refs)
        blocks.append(_p(Span(statutory_name(clean(rec_id)), True), f" {clean(text)}"))
        blocks.append(_p("Progress update:", kind="label"))
        # as the council's paper gives it: a point a topic (workstream), from the
        # actions still open and those completed this quarter
        recent = linked[linked["open"] & ((linked["status_c"] != COMPLETE) | linked["ref"].isin(set(done["ref"])))]
        achieved = dict(zip(done["ref"], done["achieved"]))
        said: dict[str, str] = {}
        for ref, ws, update in zip(recent["ref"], recent["workstream"], recent["progress_update"]):
            words = achieved.get(ref) or clean(update)
            first = points(words)[0] if words else ""
            if first and clean(ws) not in said:
                said[clean(ws)] = first
        blocks += [_p(f"{ws}: {point}" if ws else point, kind="bullet") for ws, point in said.items()]
        blocks.append(
            _p(
                f.counts_sentence(linked["status_c"], "action", of="that answer it", of_one="that answers it"),
                kind="bullet",
            )
        )
        in_ms = ms["ref"].isin(set(linked["ref"]))
        n_ms, n_done = int(in_ms.sum()), int((in_ms & (ms["status_c"] == COMPLETE)).sum())
        if n_ms:
            blocks.append(_p(milestones_sentence(n_done, n_ms), kind="bullet"))
    return Section(_ITEMS["statutory"].heading, blocks)


def milestones_sentence(done: int, total: int) -> str:
    """``4 of its 6 milestones are complete.``, in the words a council would use.

    >>> [milestones_sentence(d, t) for d, t in ((6, 6), (2, 2), (1, 1), (4, 6), (0, 3))]
    ['All six of its milestones are complete.', 'Both of its milestones are complete.', 'Its milestone is complete.', 'Four of its six milestones are complete.', 'None of its three milestones is complete yet.']
    """
    if total == 1:
        return "Its milestone is complete." if done else "Its milestone is not complete yet."
    if done == total:
        return (
            "Both of its milestones are complete."
            if total == 2
            else f"All {number_word(total)} of its milestones are complete."
        )
    if not done:
        return f"None of its {number_word(total)} milestones is complete yet."
    return f"{number_word(done).capitalize()} of its {number_word(total)} milestones {'is' if done == 1 else 'are'} complete."


def _scrutiny(f: Facts, pack: list[Entry], w: _Words) -> Section:
    blocks = w.blocks("scrutiny")
    entry = next((e for e in pack if e.kind.key == "review-responses" and e.number), None)
    if entry is not None:
        from .recommendations import filter_topics, followed_up, responses_shown

        recs = responses_shown(f, entry, pack)
        if len(recs):
            topics, followed = filter_topics(entry), followed_up(recs)
            blocks.append(
                _p(
                    f"Appendix {entry.number} provides an overview of progress against the "
                    f"{number_word(len(recs))} recommendation{'s' if len(recs) != 1 else ''}"
                    + (f" relating to {topics}" if topics else " from the external reviews")
                    + (", along with related findings from the follow-up reviews." if followed else ".")
                )
            )
    return Section(_ITEMS["scrutiny"].heading, blocks)


def _risks(f: Facts, pack: list[Entry], w: _Words) -> Section:
    blocks = w.blocks("risk")
    risks = f.risks
    if risks.empty:
        return Section(_ITEMS["risk"].heading, blocks)
    bands = f.lists.score_bands
    counts = risks["rating_c"].value_counts()
    by_rating = listing(f"{int(counts[b.rating])} {b.rating}" for b in reversed(bands) if counts.get(b.rating, 0))
    overall = clean(f.settings.overall_risk)
    head = f"The {f.plan} risk register holds {plural(len(risks), 'risk')}" + (f" ({by_rating})." if by_rating else ".")
    if overall:
        head += (
            f" The council's strategic risk relating to the {f.plan} is currently rated as an overall {overall} risk."
        )
    blocks.append(_p(head))
    red = next((b.rating for b in bands if b.rating == "Red"), bands[-1].rating if bands else "Red")
    main = risks[risks["rating_c"] == red]
    if main.empty:
        main = risks.sort_values("score_c", ascending=False, kind="stable").head(3)
    appendix = number_of(pack, "risk-register")
    where = f"The current risk register is attached as Appendix {appendix}. " if appendix else ""
    blocks.append(_p(f"{where}The main risks are associated with:", kind="lead"))
    for risk, mit in zip(main["risk"], main["mitigations"]):
        # the risk in bold as the register names it, then what is being done, as a sentence
        words: list[str | Span] = [Span(_sentence(clean(risk).rstrip(" :;")), True)]
        if clean(mit):
            words.append(f" {_sentence(clean(mit))}")
        blocks.append(_p(*words, kind="bullet"))
    return Section(_ITEMS["risk"].heading, blocks)


def _changes(f: Facts, pack: list[Entry], w: _Words) -> Section:
    blocks = w.blocks("changes")
    appendix, tool = number_of(pack, "changes"), number_of(pack, "monitoring-tool")
    if appendix:
        red = (
            f" Where new actions have been added to the {f.plan}, these are displayed within the monitoring tool "
            f"(Appendix {tool}) with red font colour."
            if tool
            else ""
        )
        blocks.append(_p(f"The list of all changes is provided in Appendix {appendix}.{red}"))
    summary = f.change_summary()
    if summary:
        blocks.append(_p("The changes made are summarised below.", kind="lead"))
        blocks += [_p(clean(s), kind="bullet") for s in summary]
    else:
        blocks.append(_p(f"No changes were made to the plan {f.this_period}."))
    return Section(f"Changes to the {f.plan}", blocks)


def _implications(w: _Words) -> Section | None:
    keys = [i.key for i in D.REPORT_ITEMS if i.key.startswith("implications_") and w.on(i.key)]
    if not keys:
        return None
    rows = [Row((Text.of(_ITEMS[k].heading), Text.of(w.text(k)))) for k in keys]
    table = Table(
        D.IMPLICATIONS_HEADING,
        "Each implication of the report and what it means.",
        (Column("Implication", 1.0, row_header=True), Column("Details", 4.0)),
        rows,
    )
    return Section(D.IMPLICATIONS_HEADING, [table])


def _appendix_list(pack: list[Entry]) -> Section | None:
    items: list[Block] = [_p(f"{e.number}. {e.title}", kind="item") for e in pack if e.number]
    return Section("Appendices", items) if items else None


# ------------------------------------------------------------------------ numbering


def _number(sections: list[Section]) -> None:
    """Number the sections (1, 2, ...) and, within each, its paragraphs and
    subsections in one sequence (4.1 Background, 4.1.1 ...), as the council's report
    does; bullet points, labels, list items and tables are not numbered."""

    def inside(blocks: list[Block], prefix: str) -> None:
        n = 0
        for b in blocks:
            if isinstance(b, Section):
                n += 1
                b.number = f"{prefix}.{n}"
                inside(b.blocks, b.number)
            elif isinstance(b, Paragraph) and b.kind in ("body", "lead"):
                n += 1
                b.number = f"{prefix}.{n}"

    for i, section in enumerate(sections, start=1):
        section.number = str(i)
        inside(section.blocks, section.number)
