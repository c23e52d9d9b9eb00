r"""Terminal formatting of library results. Logic lives elsewhere; this only prints.

Every line ipxl prints passes :func:`terminal` (the commands' ``echo``), so text from
a workbook's cells cannot act on the officer's terminal: a carriage return, an escape
sequence or a DEL in a cell is shown escaped (``\r``, ``\x1b``, ``\x7f``), never
obeyed. ``--format json`` prints :func:`json_text`, the library's report exactly.
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

from ..dates import uk
from ..findings import Report

#: What a terminal acts on rather than shows: C0 controls but tab and newline, DEL,
#: and C1 controls (``\x9b`` starts an escape sequence on some terminals).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: The same, with tab and newline: inside a table cell or a one-line field they would
#: break the line the value belongs to.
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f]")
#: DEL and C1 controls, which json.dumps leaves as they are (it escapes C0 itself).
_JSON_CONTROL = re.compile("[\x7f-\x9f]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escaped(m: re.Match) -> str:
    c = m.group()
    return _NAMED.get(c) or f"\\x{ord(c):02x}"


def terminal(text: str) -> str:
    r"""``text`` safe to print: control characters shown escaped (``\r``,
    ``\x1b``, ``\x7f``), tab and newline kept."""
    return _CONTROL.sub(_escaped, text)


def one_line(value: object) -> str:
    """A value for a table cell or a one-line field: every control character shown
    escaped, tab and newline included."""
    return _BREAKS.sub(_escaped, str(value))


def json_text(data: object) -> str:
    r"""``data`` as indented JSON that reads back as exactly ``data``, with DEL and C1
    characters written as ``\u007f`` escapes like the rest (they occur only
    inside strings, where an escape means the same character)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _JSON_CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def report_text(report: Report, path: Path | str | None = None) -> str:
    """A validation report grouped by sheet, one finding per line with its fix."""
    name = Path(path).name if path else "workbook"
    c = report.counts
    lines: list[str] = []
    if not report.findings:
        return f"{name}: no problems found."
    for sheet, findings in report.by_sheet().items():
        lines.append(f"{sheet}")
        for f in findings:
            where = f.cell or (f"row {f.row}" if f.row else "sheet")
            tag = "ERROR" if f.severity == "error" else "warn "
            head = f"  {where:<7} {tag} {f.message}"
            lines.append(textwrap.fill(head, width=100, subsequent_indent=" " * 16))
            if f.suggestion:
                lines.append(
                    textwrap.fill(
                        f"fix: {f.suggestion}", width=100, initial_indent=" " * 16, subsequent_indent=" " * 21
                    )
                )
        lines.append("")
    verdict = "no errors" if report.ok else "errors must be fixed"
    lines.append(f"{name}: {_n(c['error'], 'error')}, {_n(c['warning'], 'warning')} ({verdict}).")
    return "\n".join(lines)


def errors_text(report: Report, path: Path | str | None = None) -> str:
    """The errors of a report, as :func:`report_text` lists them (warnings left out)."""
    from ..findings import Report as _Report

    return report_text(_Report([f for f in report.findings if f.severity == "error"]), path)


def errors_warning(report: Report, path: Path | str) -> str:
    """A warning that figures come from a workbook with errors, naming each error."""
    name = Path(path).name
    errors = [f for f in report.findings if f.severity == "error"]
    lines = [f"Warning: {name} has {_n(len(errors), 'error')}, so these figures may be wrong:"]
    for f in errors:
        where = f"{f.sheet} {f.cell or (f'row {f.row}' if f.row else '')}".strip()
        lines.append(textwrap.fill(f"{where}: {f.message}", width=100, initial_indent="  ", subsequent_indent="    "))
    lines.append(f"Correct them (ipxl validate {name} --mark, or the Validate button, lists each with its fix).")
    return "\n".join(lines)


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# ------------------------------------------------------------------ roll-up (issue 3)


def rollup_text(rollup, by: str | None = None) -> str:
    """RAG counts as aligned tables, statuses as columns, each count with its share of
    the row; a Total row; then the overdue count. ``by`` picks one grouping (theme,
    type, lead, review); by default theme and type are shown."""
    groups = [by] if by else ["theme", "type"]
    head = f"RAG roll-up{': ' + rollup.period if rollup.period else ''} (actions not closed, Complete ones included)"
    parts = [head, ""]
    for g in groups:
        parts.append(rag_table_text(rollup.table(g), rollup.totals, with_total=g != "review"))
        if g == "review":
            parts.append("An action answering several reviews is counted under each.")
        parts.append("")
    parts.append(f"Overdue actions (past their due date at period end and not complete): {rollup.overdue}")
    return "\n".join(parts)


def rag_table_text(counts, totals=None, *, with_total: bool = True, width: int = 44) -> str:
    """One roll-up table: group names down the side, ``n (p%)`` per status column,
    the percentage rounded once from the counts."""
    from ..analysis.rollup import percent

    def cell(n, total) -> str:
        return f"{int(n)} ({percent(n, total):.0f}%)" if n else "0"

    def clip(text: str) -> str:
        text = one_line(text)
        return text if len(text) <= width else text[: width - 1] + "…"

    columns = list(counts.columns)
    rows = [[clip(counts.index.name or "")] + [c.capitalize() if c == "total" else c for c in columns]]
    for group, row in counts.iterrows():
        rows.append([clip(group)] + [cell(row[c], row["total"]) if c != "total" else str(int(row[c])) for c in columns])
    if with_total and totals is not None:
        rows.append(
            ["Total"] + [cell(totals[c], totals["total"]) if c != "total" else str(int(totals[c])) for c in columns]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for k, r in enumerate(rows):
        lines.append("  ".join([r[0].ljust(widths[0])] + [v.rjust(w) for v, w in zip(r[1:], widths[1:])]).rstrip())
        if k == 0 or (with_total and k == len(rows) - 2):
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def best_value_text(themes, rollup) -> str:
    """The plan by Best Value theme: the actions by status, then by the officers'
    confidence, then the measures by state (each ``n (p%)`` of its row; an action or
    measure under two themes counts in both rows), then the measures themselves,
    proxies for success first, then the overdue count."""
    head = f"Best Value themes{': ' + themes.period if themes.period else ''} (open actions: Closure not closed)"
    parts = [head, "", "Actions by status", rag_table_text(themes.actions, with_total=False), ""]
    parts += ["Actions by confidence", rag_table_text(themes.confidence, with_total=False), ""]
    parts += ["Measures by state at period end", rag_table_text(themes.measures, with_total=False), ""]
    parts.append("An action or measure with two Best Value themes is counted under each.")
    rows = themes.measure_rows.sort_values("proxy", ascending=False, kind="stable")
    if len(rows):
        from ..analysis.impact import measure_record

        parts += ["", f"Measures ({len(rows)}, proxies for success first):"]
        for m in [measure_record(r) for r in rows.to_dict("records")[:HISTORY_LINES]]:
            values = ", ".join(f"{k} {_figure(m[k])}" for k in ("baseline", "latest", "target") if m[k] is not None)
            parts.append(
                "  "
                + one_line(f"{_ref(m['ref'])}: {m['state']}" + (f" ({values})" if values else ""))
                + (" [proxy for success]" if m["proxy"] else "")
            )
        if len(rows) > HISTORY_LINES:
            parts.append(f"  ... and {len(rows) - HISTORY_LINES} more (--format json lists every one)")
    parts += ["", f"Overdue open actions (past their due date at period end, not Complete): {rollup.overdue}"]
    return "\n".join(parts)


def _figure(value) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}" if isinstance(value, float) else str(value)


# ------------------------------------------------------------ changes (issue 3)


def changes_text(changes) -> str:
    """The change summary sentences as committee bullets, then the detail behind them
    and any disagreement with the Changes sheet."""
    title = "Changes to the Improvement Plan"
    if changes.previous_period or changes.period:
        title += f" ({changes.previous_period or 'previous'} to {changes.period or 'current'})"
    lines = [title, ""]
    if changes.summary:
        lines += [f"  - {s}" for s in changes.summary]
    else:
        lines.append("  No changes to the plan this period.")

    def section(name: str, items: list[str]) -> None:
        if items:
            lines.extend(["", name] + [f"  {i}" for i in items])

    section(
        "Timescale changes",
        [
            f"{_ref(c['ref']):<12} {_date(c['from'])} -> {_date(c['to'])}"
            + (f"  {c['months']:+g} month{'' if abs(c['months']) == 1 else 's'}" if c["months"] is not None else "")
            + ("  (more than three months)" if c["over_three_months"] else "")
            for c in changes.timescale_changes
        ],
    )
    section("Added (new this period)", [f"{_ref(c['ref']):<12} {c['type'] or '(no type)'}" for c in changes.added])
    section(
        "Proposed to close", [f"{_ref(c['ref']):<12} {c['type'] or '(no type)'}" for c in changes.proposed_to_close]
    )
    section("Closed", [f"{_ref(c['ref']):<12} {c['type'] or '(no type)'} ({c['closure']})" for c in changes.closed])
    section("Removed from the plan", [f"{_ref(c['ref']):<12} {c['type'] or '(no type)'}" for c in changes.removed])
    section(
        "Lead changes",
        [
            f"{_ref(c['ref']):<12} {c['field']}: {c['from'] or 'blank'} -> {c['to'] or 'blank'}"
            for c in changes.lead_changes
        ],
    )
    section("Description changes", [_ref(c["ref"]) for c in changes.description_changes])
    mv = changes.movement
    if changes.status_changes or mv["unchanged"]:
        from ..analysis.wording import movement_counts, movement_kind

        lines += ["", "Status movement: " + (movement_counts(mv) or "0 unchanged")]
        lines += [
            f"  {_ref(c['ref']):<12} {c['from'] or 'blank'} -> {c['to'] or 'blank'} "
            f"({movement_kind(c['direction'], c['from'], c['to'])})"
            for c in changes.status_changes
        ]
    skipped = [f for f in changes.log_mismatches if f.code == "log-period-unknown"]
    if skipped:
        lines += ["", f"Change log cross-check: not done. {skipped[0].message} Fix: {skipped[0].suggestion}"]
    elif changes.log_mismatches:
        n = len(changes.log_mismatches)
        lines += ["", f"Change log cross-check: {n} mismatch{'' if n == 1 else 'es'}"]
        for f in changes.log_mismatches:
            where = f"{f.sheet} {f.cell or (f'row {f.row}' if f.row else '')}".strip()
            lines.append(
                textwrap.fill(f"{where}: {f.message}", width=100, initial_indent="  ", subsequent_indent="    ")
            )
            if f.suggestion:
                lines.append(
                    textwrap.fill(
                        f"fix: {f.suggestion}", width=100, initial_indent="    ", subsequent_indent="         "
                    )
                )
    else:
        lines += ["", "Change log cross-check: every change is logged and every log entry matches a change."]
    return "\n".join(lines)


def _ref(value) -> str:
    """A ref as shown in a list: a blank one (a row still being typed) says so."""
    if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
        return "(no ref)"
    return str(value)


def _date(value) -> str:
    """ISO date text as dd/mm/yyyy; keywords (Ongoing...) as they are; "blank"."""
    return uk(value) or "blank"


def written_text(result, what: str) -> str:
    """One line saying what a write-back did and where the backup is."""
    if not result.written:
        return f"{result.path.name}: {what} already up to date; nothing written."
    if not result.changed:
        return f"Wrote {result.path} ({what} already up to date, so it is a copy of the workbook)."
    line = f"Wrote {what} to {result.path}"
    if result.backup:
        line += f" (backup: {result.backup.name})"
    details = ", ".join(f"{what} {n}" for what, n in result.details.counts())
    return line + (f"; {details}." if details else ".")


def pack_text(pack, workbook=None) -> str:
    """What a pack command wrote, then what is wrong with it, one line each: the
    workbook's validation errors, appendices not made, files' problems; last, a verdict."""
    lines = [f"Wrote {p}" for p in pack]
    lines += [f"Wrote {p}" for p in pack.pdfs]
    if pack.html:
        lines.append(f"Wrote the pack as web pages: open {pack.html[0]} in a browser")
    errors = pack.validation.get("error", 0)
    if errors:
        name = Path(workbook).name if workbook else "the workbook"
        if pack.findings is not None:
            lines[:0] = [errors_text(pack.findings, workbook), ""]
        lines.append(
            f"Note: these papers are drafts, marked DRAFT on every page: {name} has {_n(errors, 'error')} (listed "
            "above). Correct them and build the pack again for papers to publish."
        )
    approval = getattr(pack, "approval", None)
    if approval is not None and approval.draft:
        lines.append(
            f"Note: these papers are drafts, marked DRAFT on every page: {approval.draft}. "
            + ("Sign off again (ipxl sign-off) once it is approved, and build the pack again." if approval.state != "unsigned"
               else "Record the approval (ipxl sign-off) once it is given, and build the pack again.")
        )  # fmt: skip
    elif approval is not None and approval.line and not errors:
        lines.append(f"The papers say: {approval.line}.")
    lines += [f"Note: {note}" for note in pack.notes]
    for name, problems in pack.problems.items():
        lines += [f"{name}: {problem}" for problem in problems]
    papers = len(pack) + len(pack.pdfs)
    if not any(pack.problems.values()):
        checked = "accessibility and PDF/UA checks" if pack.pdfs else "accessibility check"
        lines.append(f"{_n(papers, 'file')} passed the {checked}.")
    return "\n".join(lines)


def codes_text(codes) -> str:
    """The finding codes as an aligned list: code, severity, meaning."""
    width = max(len(c.code) for c in codes)
    sev = max(len(c.severity) for c in codes)
    return "\n".join(
        textwrap.fill(
            f"{c.code:<{width}}  {c.severity:<{sev}}  {c.meaning}", width=100, subsequent_indent=" " * (width + sev + 4)
        )
        for c in codes
    )


def cells_text(cells: list[dict]) -> str:
    """Every value changed between consecutive periods (``ipxl history --cells``), one
    a line, oldest period first: the period, the Ref, the column, from and to, and
    who where the Audit trail says."""
    if not cells:
        return "Values changed: none between these periods."
    lines = [f"Values changed ({len(cells)}):"]
    period = None
    for c in cells:
        if c["period"] != period:
            period = c["period"]
            lines.append(f"  {period}")
        who = f" ({c['who']}, {c['when']})" if c.get("who") else ""
        lines.append(f"    {c['ref']} {c['column']}: {_value(c['from'])} -> {_value(c['to'])}{who}")
    return "\n".join(lines)


def _value(v: str) -> str:
    """A value in a one-line list: blank said, long text cut."""
    if not v:
        return "(blank)"
    one = " ".join(v.split())
    return one if len(one) <= 60 else one[:57] + "..."


def story_text(story) -> str:
    """One action's story (``ipxl audit REF``): each period, what it was when first
    seen and what changed after, then the Audit trail's entries for it."""
    lines = [f"{story.ref}: its story across {_n(len(story.periods), 'period')}"]
    for p in story.periods:
        if not p["present"]:
            lines.append(f"  {p['period']}: not in {p['file']}")
            continue
        if "first_seen" in p:
            seen = "; ".join(f"{k} {_value(v)}" for k, v in p["first_seen"].items())
            lines.append(f"  {p['period']}: first seen ({p['file']}): {seen}")
        elif not p["changes"]:
            lines.append(f"  {p['period']}: no change")
        else:
            lines.append(f"  {p['period']}:")
        for c in p["changes"]:
            who = f" ({c['who']}, {c['when']})" if c.get("who") else ""
            lines.append(f"    {c['column']}: {_value(c['from'])} -> {_value(c['to'])}{who}")
    if story.audit:
        lines.append(f"Audit trail ({_n(len(story.audit), 'change')} ipxl made):")
        for e in story.audit:
            lines.append(
                f"  {e['when']}  {e['column']}: {_value(e['from'])} -> {_value(e['to'])}  {e['who']}, {e['how']}"
            )
    return "\n".join(lines)


#: Lines of each history list the terminal shows.
HISTORY_LINES = 12


def history_text(h) -> str:
    """The history for the terminal: counts per period, then each list an officer acts
    on, then what was left out of the series and why."""
    from ..analysis.history import ALL

    periods = h.periods
    lines = [f"History: {_n(len(periods), 'period')}, {periods[0]['period']} to {periods[-1]['period']}"]
    statuses = [s for s in periods[-1]["counts"][ALL] if s != "total"]
    width = max(len(p["period"]) for p in periods) + 2
    lines.append("")
    lines.append("".ljust(width) + "".join(s.rjust(12) for s in [*statuses, "Total"]))
    for p in periods:
        c = p["counts"][ALL]
        lines.append(
            p["period"].ljust(width) + "".join(str(c.get(s, 0)).rjust(12) for s in statuses) + str(c["total"]).rjust(12)
        )
    t = h.thresholds

    def section(title: str, items: list[str]) -> None:
        lines.append("")
        lines.append(f"{title} ({len(items)})" + (":" if items else ": none"))
        # a terminal shows the first of a long list; the JSON and the export hold all
        lines.extend(f"  {i}" for i in items[:HISTORY_LINES])
        if len(items) > HISTORY_LINES:
            lines.append(f"  ... and {len(items) - HISTORY_LINES} more (--format json lists every one)")

    section(
        f"Re-baselined {t['rebaselines']} or more times",
        [
            f"{a['ref']}: due {_date(a['original_due'])}, now {_date(a['current_due'])} "
            f"({_n(a['rebaselines'], 're-baseline')}"
            + (f", {a['slippage_months']:g} months" if a["slippage_months"] is not None else "")
            + ")"
            for a in h.rebaselined
        ],
    )
    section(
        "Due date moved with no Timescale change logged",
        [f"{x['ref']}: {x['period']}, {_date(x['from'])} to {_date(x['to'])}" for x in h.unlogged_date_changes],
    )
    section(
        f"Progress update unchanged for {t['stale']} or more periods",
        [f"{x['ref']}: {_n(x['periods'], 'period')}" + (f" ({x['lead']})" if x["lead"] else "") for x in h.stale],
    )
    section(
        f"Red for {t['red']} or more periods running",
        [
            f"{x['ref']}: {_n(x['periods'], 'period')}" + (f" ({x['lead']})" if x["lead"] else "")
            for x in h.persistent_red
        ],
    )
    since = f" since {_date(t['since'])}" if t["since"] else ""
    section(
        f"Completed{since}",
        [
            f"{c['ref']}: {c['period']}"
            + (f" (completed {_date(c['completion_date'])})" if c["completion_date"] else "")
            for c in h.completed
        ],
    )
    if h.measures:
        # each measure's Latest period by period ("-" where it is blank or absent), then its state now
        section(
            "Measures of impact, latest value by period",
            [
                f"{_ref(m['ref'])}: "
                + " -> ".join("-" if v is None else _figure(v) for v in m["latest"])
                + (f" ({m['states'][-1]})" if m["states"][-1] else "")
                for m in h.measures
            ],
        )
    if h.left_out:
        section("Left out of the series", [f"{Path(x.file).name}: {x.reason}" for x in h.left_out])
    return "\n".join(lines)


def merge_text(result) -> str:
    """What a merge did, return by return, then who has not sent one."""
    lines = []
    for r in result.returns:
        lines.append(
            f"{Path(r.file).name} ({r.lead}): {_n(len(r.applied), 'change')} applied, {r.unchanged} unchanged, "
            f"{_n(len(r.conflicts), 'conflict')}, {len(r.rejected)} rejected, {len(r.foreign)} foreign."
        )
        lines += [
            f"  applied   {a['ref']} {a['column']}: {_date(a['from']) if a['from'] else 'blank'} -> {_date(a['to'])}"
            for a in r.applied
        ]
        lines += [f"  conflict  {c['ref']} {c['column']}: the master now says {c['master']!r}, the return {c['return']!r}; the master's is kept"
                  for c in r.conflicts]  # fmt: skip
        lines += [f"  rejected  {x['ref']} {x['column']} (cell {x['cell']}, {x['value']!r}): {x['message']} [{x['code']}]"
                  for x in r.rejected]  # fmt: skip
        lines += [f"  foreign   {x['ref']}: {x['reason']}; not applied" for x in r.foreign]
        lines += [f"  warning   {x['ref']} {x['column']} (cell {x['cell']}): {x['message']} [{x['code']}]"
                  for x in r.warnings]  # fmt: skip
    if result.missing:
        lines.append(f"No return yet from {_n(len(result.missing), 'lead')}: {', '.join(result.missing)}.")
    if result.written:
        where = f" (backup: {result.backup.name})" if result.backup else ""
        logged = f"; {_n(result.timescale_rows, 'Timescale change')} added to Changes" if result.timescale_rows else ""
        lines.append(f"Wrote {result.written}{where}{logged}.")
    else:
        lines.append("Nothing to change in the master; nothing written.")
    return "\n".join(lines)


def chase_text(result) -> str:
    """The chase list, the leads with most to chase first."""
    prev = (
        f"; updates compared with {Path(result.previous).name}"
        if result.previous
        else "; no previous period, so updates are not compared"
    )
    lines = [f"Chase list at {uk(result.as_of)} (due within {result.days} days{prev})"]
    for x in result.leads:
        ret = {"in": "return in", "out": "return NOT in", "none": "no return made", None: ""}[x.return_status]
        head = f"{x.lead}: {_n(x.open, 'action')} to deliver, {len(x.overdue)} overdue, {len(x.due_soon)} due soon, {len(x.unchanged)} unchanged"
        lines.append("")
        lines.append(head + (f"; {ret}" if ret else "") + (f" <{x.email}>" if x.email else ""))
        lines += [f"  overdue    {o['ref']} (due {_date(o['due'])})" for o in x.overdue[:HISTORY_LINES]]
        lines += [f"  due soon   {o['ref']} (due {_date(o['due'])})" for o in x.due_soon[:HISTORY_LINES]]
        if x.unchanged:
            lines.append(
                f"  unchanged  {', '.join(x.unchanged[:HISTORY_LINES])}"
                + (" ..." if len(x.unchanged) > HISTORY_LINES else "")
            )
    if result.emails:
        lines += ["", f"Wrote {_n(len(result.emails), 'draft email')} to {result.emails[0].parent} (nothing sent)."]
    return "\n".join(lines)
