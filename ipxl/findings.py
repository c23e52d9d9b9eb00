"""Findings and the validation report: data, not exceptions."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Code:
    """One finding code: stable, so tests and officers' filters can rely on it."""

    code: str
    severity: str  #: error, warning, or "error or warning" where the sheet decides
    meaning: str
    stage: str  #: reading, validation or change log (who reports it)


#: Every finding code ipxl reports, in the order the documentation lists them
#: (``docs/validation-codes.md`` is generated from this table and tested against it).
CODES: tuple[Code, ...] = (
    # found while reading
    Code(
        "missing-sheet",
        "error or warning",
        "a record sheet is absent (error); no Settings or Lists sheet, so the period is unknown or the default lists are used (warning)",
        "reading",
    ),
    Code(
        "missing-header-row",
        "error",
        "no header row with the sheet's required headers in the first ten rows; the sheet is not checked",
        "reading",
    ),
    Code("duplicate-column", "warning", "a second column with the same header; only the first is read", "reading"),
    Code(
        "missing-setting",
        "warning",
        "Settings lacks Period start or Period end, so nothing can be counted as new",
        "reading",
    ),
    Code(
        "previous-is-this-workbook",
        "error",
        "Settings' Previous workbook names the workbook itself, so every change would be measured against itself",
        "reading",
    ),
    Code(
        "previous-missing",
        "warning",
        "Settings' Previous workbook is not where it says, so nothing is compared with last period",
        "reading",
    ),
    Code(
        "invalid-overall-risk",
        "error",
        "Settings' Overall risk rating, quoted in the report, is not one of the risk register's ratings",
        "reading",
    ),
    Code("missing-list", "warning", "Lists lacks a list (or its header row); the default values are used", "reading"),
    # validation
    Code("missing-column", "error", "a column the rules need is absent", "validation"),
    Code("required", "error", "a required value is blank", "validation"),
    Code("duplicate-ref", "error", "an action ref is used twice", "validation"),
    Code(
        "duplicate-id",
        "error",
        "a recommendation ID, risk ref, measure ref or appendix number is used twice",
        "validation",
    ),
    Code("invalid-ref", "error", "the ref does not follow THEME.WORKSTREAM.N (e.g. CO.G1.5)", "validation"),
    Code("ref-theme-mismatch", "error", "the ref's theme code is not the row's theme", "validation"),
    Code("invalid-theme", "error", "Theme is not a theme in Lists", "validation"),
    Code("invalid-type", "error", "Type is not a type in Lists", "validation"),
    Code(
        "invalid-status",
        "error",
        "Status is not a status in Lists (Actions) or a milestone status (Milestones)",
        "validation",
    ),
    Code("invalid-closure", "error", "Closure is not a closure state in Lists", "validation"),
    Code("invalid-review", "error", "Review is not a review in Lists", "validation"),
    Code(
        "invalid-category", "error", "Category is not Statutory, Key or Improvement (or the Lists values)", "validation"
    ),
    Code("invalid-change-type", "error", "Change type is not a change type in Lists", "validation"),
    Code("invalid-rating", "error", "Rating is not a rating of the score bands in Lists", "validation"),
    Code(
        "invalid-direction",
        "error",
        "Direction is not Improving, Stable or Worsening (or the Lists values)",
        "validation",
    ),
    Code(
        "spelling",
        "warning",
        "a list value or date keyword that differs only in case or spacing; it was read as meant",
        "validation",
    ),
    Code(
        "invalid-date", "error", "not a date (nor an allowed keyword), in a record sheet or in Settings", "validation"
    ),
    Code("date-as-text", "warning", "a date typed as text; it was understood", "validation"),
    Code("tbc-date", "warning", "the due date is TBC", "validation"),
    Code("missing-parent", "error", "a sub-action whose parent ref is absent", "validation"),
    Code("subaction-ref", "error", "a sub-action whose ref has no sub-segment", "validation"),
    Code(
        "unknown-recommendation",
        "error",
        "Recommendations names a rec ID that is not on the Recommendations sheet",
        "validation",
    ),
    Code(
        "unknown-action",
        "error",
        "an action ref (Milestones, Recommendations' and Measures' Action refs, Changes) that is not on the Actions sheet",
        "validation",
    ),
    Code(
        "revised-without-change",
        "error",
        "a Revised due date with no Timescale change logged for the ref",
        "validation",
    ),
    Code("progress-required", "error", "Red or Amber with no Progress update", "validation"),
    Code("progress-missing", "warning", "another status with no Progress update", "validation"),
    Code("exception-required", "error", "Red with no Exception reason", "validation"),
    Code("exception-missing", "warning", "Amber with no Exception reason", "validation"),
    Code("date-added-after-period", "error", "Date added after Period end", "validation"),
    Code("date-added-missing", "warning", "no Date added, so whether the row is new is unknown", "validation"),
    Code("completion-missing", "warning", "Complete with no Completion date", "validation"),
    Code("completion-not-complete", "error", "a Completion date on an action that is not Complete", "validation"),
    Code("completion-in-future", "error", "Complete with a Completion date after Period end", "validation"),
    Code(
        "overdue-green", "warning", "Green or Not started but past its (revised) due date at Period end", "validation"
    ),
    Code("closed-parent-open-children", "warning", "a closed action with open sub-actions", "validation"),
    Code("completed-date-required", "error", "a Complete milestone with no Completed date", "validation"),
    Code("response-missing", "warning", "a recommendation with no council response", "validation"),
    Code("statutory-unlinked", "error", "a statutory recommendation with no open or complete action", "validation"),
    Code("change-after-period", "error", "a change log date after Period end", "validation"),
    Code("approval-missing", "warning", "a change with no Approved by", "validation"),
    Code("out-of-range", "error", "likelihood or impact is not a whole number from 1 to 5", "validation"),
    Code("score-mismatch", "error", "Score is not Likelihood x Impact", "validation"),
    Code("rating-mismatch", "error", "Rating is not the band of the score", "validation"),
    Code("mitigations-required", "error", "a Red risk with no mitigations", "validation"),
    Code("target-above-current", "error", "the target score is above the current score", "validation"),
    Code(
        "invalid-best-value-theme",
        "error",
        "a Best Value theme (Actions or Measures) that is not one of Lists' Best Value themes",
        "validation",
    ),
    Code("invalid-confidence", "error", "Confidence is not High, Medium or Low (or the Lists values)", "validation"),
    Code(
        "invalid-better-when",
        "error",
        "a measure's Better when is not Higher or Lower (or the Lists values)",
        "validation",
    ),
    Code("invalid-proxy", "error", "a measure's Proxy for success is neither Yes nor blank", "validation"),
    Code("not-a-number", "error", "a measure's Baseline, Target or Latest is not a number", "validation"),
    Code(
        "best-value-theme-missing", "warning", "a measure with no Best Value theme, so no theme shows it", "validation"
    ),
    Code(
        "baseline-missing",
        "warning",
        "a measure with a Target or Latest but no Baseline to judge it from",
        "validation",
    ),
    Code(
        "measure-stale",
        "warning",
        "a measure's newest value (Latest, else Baseline) is dated more than two reporting periods before Period end",
        "validation",
    ),
    Code("latest-after-period", "warning", "a measure's Latest date is after Period end", "validation"),
    Code("evidence-missing", "warning", "a measure of a Complete action with no Evidence", "validation"),
    Code("invalid-appendix", "error", "an Appendices row names a kind of appendix ipxl does not make", "validation"),
    Code(
        "invalid-filter",
        "error",
        "an Appendices filter is not Column: value; value with a column of the appendix's sheet",
        "validation",
    ),
    Code(
        "appendix-file-missing",
        "warning",
        "the file a supplied appendix (e.g. the governance diagram) names is not there",
        "validation",
    ),
    Code(
        "appendix-file-type", "error", "a supplied appendix's file is not a Word document, PDF or picture", "validation"
    ),
    Code(
        "appendix-file-unreadable",
        "error",
        "a supplied appendix's file is not what its name says (another kind of file renamed, or damaged)",
        "validation",
    ),
    Code("alt-text-missing", "error", "a supplied picture has no alt text", "validation"),
    Code(
        "report-text-missing",
        "error",
        "a part of the committee report (Report sheet) is blank for a meeting, or its row is missing",
        "validation",
    ),
    Code(
        "report-placeholder",
        "error",
        "a Report cell holds text left to fill in (TBC, [insert date], ...) that would reach committee",
        "validation",
    ),
    Code("report-no-meeting", "error", "the Report sheet names no meeting to write the report for", "validation"),
    Code("report-unknown-item", "warning", "a Report row names no part of the report ipxl writes", "validation"),
    # the change log against the previous period (ipxl changes, Summary, appendices)
    Code(
        "change-not-logged",
        "warning",
        "a change between the two periods (added, closure, timescale, lead) with no entry in the Changes sheet",
        "change log",
    ),
    Code(
        "log-without-change",
        "warning",
        "a Changes entry in the period that matches no difference between the workbooks",
        "change log",
    ),
    Code(
        "log-date-mismatch",
        "warning",
        "a logged timescale change whose new date is not the date the Actions sheet shows",
        "change log",
    ),
    Code(
        "log-period-unknown",
        "warning",
        "the change log was not cross-checked because the reporting period is unknown",
        "change log",
    ),
    # the workbook against its latest sign-off (ipxl validate; the papers say DRAFT)
    Code(
        "changed-since-signoff",
        "warning",
        "a value of a record sheet differs from the value Leadership Team signed off (the signed value and the value now)",
        "sign-off",
    ),
    Code("row-added-since-signoff", "warning", "a record added since the latest sign-off", "sign-off"),
    Code("row-removed-since-signoff", "warning", "a record signed off that is no longer in the sheet", "sign-off"),
    Code(
        "signoff-record-damaged",
        "warning",
        "the hidden record of the values signed is missing or was edited, so only the fingerprint is compared",
        "sign-off",
    ),
    # returns merged into the master (a change breaking one is not applied)
    Code(
        "reason-required",
        "error",
        "a return gives a new Revised due date with no Reason for change",
        "returns",
    ),
)


@dataclass(frozen=True)
class Finding:
    """One thing wrong in a workbook, pointing at the cell that holds it.

    ``row``, ``column`` and ``cell`` are ``None`` when the finding is about a whole
    sheet or column (for example a missing sheet).
    """

    sheet: str
    row: int | None
    column: str | None
    cell: str | None
    severity: str
    code: str
    message: str
    suggestion: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    """The result of :func:`ipxl.validate`: every finding, in workbook order."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings are allowed)."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.findings)
        return {s: c.get(s, 0) for s in SEVERITIES}

    def by_sheet(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.sheet, []).append(f)
        return out

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def to_dict(self) -> dict:
        """The report as the CLI's ``--format json`` prints it."""
        return {
            "ok": self.ok,
            "counts": self.counts,
            "issues": [f.to_dict() for f in self.findings],
        }

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self):
        return iter(self.findings)


def codes_markdown() -> str:
    """The table of finding codes as Markdown: ``docs/validation-codes.md``."""
    lines = [
        "# Finding codes",
        "",
        "Every problem ipxl finds in a usable workbook is a finding with a stable code, "
        "listed here (generated from `ipxl.findings.CODES`; `ipxl codes` prints the same "
        "table). Codes never change meaning: filter on them.",
        "",
    ]
    stages = {
        "reading": "Found while reading",
        "validation": "Validation (`ipxl validate`)",
        "change log": "The change log against the previous period (`ipxl changes`, Summary, appendices)",
        "sign-off": "Changes since the latest sign-off (`ipxl validate`; the papers are marked DRAFT until it is "
        "approved again)",
        "returns": "Returns merged into the master (`ipxl returns merge`; a change breaking a rule is not applied)",
    }
    for stage, title in stages.items():
        lines += [f"## {title}", "", "| code | severity | meaning |", "|---|---|---|"]
        lines += [f"| `{c.code}` | {c.severity} | {c.meaning} |" for c in CODES if c.stage == stage]
        lines.append("")
    return "\n".join(lines)
