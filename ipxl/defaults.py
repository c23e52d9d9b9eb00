"""The one home for every default: sheet names, columns and their aliases, list values,
status colours and score bands.

Everything here is the *default template*. Councils rename things, so the reader takes
the real names and list values from the workbook (its header rows and its ``Lists``
sheet) and only falls back to these when the workbook does not say.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --------------------------------------------------------------------------- sheets

#: Canonical sheet key -> default sheet name in the template.
SHEET_NAMES: dict[str, str] = {
    "settings": "Settings",
    "actions": "Actions",
    "milestones": "Milestones",
    "recommendations": "Recommendations",
    "changes": "Changes",
    "risks": "Risks",
    "lists": "Lists",
    "summary": "Summary",
    "trend": "Trend",
    "validation": "Validation",
    "guidance": "Guidance",
    "appendices": "Appendices",
    "report": "Report",
    # ipxl's own record of approval and of the changes it made (see the sign-off
    # section below)
    "signoff": "Sign-off",
    "signed": "_ipxl_signoff",
    "audit": "Audit trail",
    "measures": "Measures",
}

#: Other names councils give these sheets, accepted when the default name is absent
#: (compared like headers: case and spacing ignored).
SHEET_ALIASES: dict[str, tuple[str, ...]] = {
    "actions": ("Action plan", "Monitoring tool", "Improvement plan", "Plan", "Action tracker"),
    "milestones": ("Milestone", "Key milestones"),
    "recommendations": ("Recs", "Review recommendations", "External review recommendations"),
    "changes": ("Change log", "Change control", "Change control log"),
    "risks": ("Risk register", "Risk log", "Risk"),
    "settings": ("Setup", "Config"),
    "lists": ("Lookups", "Lookup", "Dropdowns", "Drop-downs"),
    "appendices": ("Appendix list", "Committee pack", "Pack"),
    "report": ("Committee report", "Report text", "Narrative"),
    "measures": ("Impact measures", "Measures of impact", "Performance measures", "Proxies for success"),
}

#: Sheets read as tables of records (one record per row under a header row).
RECORD_SHEETS = ("actions", "milestones", "recommendations", "changes", "risks")
#: Record sheets a workbook may leave out without a finding (their defaults apply).
OPTIONAL_SHEETS = ("measures", "appendices")

#: How many rows from the top of a sheet are searched for the header row.
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class Column:
    """One column of a record sheet as the spec defines it."""

    key: str  #: canonical key used in DataFrames
    header: str  #: header text in the default template
    kind: str = "text"  #: text | date | int | number | date_or_keyword
    aliases: tuple[str, ...] = ()
    required: bool = False  #: the header must be present for the sheet to be read
    width: float = 18  #: column width in the template


#: Other headers of the Best Value theme column (Actions and Measures).
BEST_VALUE_HEADERS = ("Best Value themes", "Best Value", "BV theme")

COLUMNS: dict[str, tuple[Column, ...]] = {
    "actions": (
        Column("ref", "Ref", aliases=("Action ref", "Reference"), required=True, width=12),
        Column("theme", "Theme", required=True, width=26),
        Column("workstream", "Workstream", width=30),
        Column("type", "Type", aliases=("Action type",), width=16),
        Column("description", "Description", aliases=("Action",), required=True, width=50),
        Column("recommendations", "Recommendations", aliases=("Rec refs", "Source refs"), width=20),
        Column("lead", "Director / Lead", aliases=("Lead", "Director", "Director/Lead"), width=28),
        Column("delivery_lead", "Delivery lead", width=24),
        Column(
            "due_date",
            "Due date",
            kind="date_or_keyword",
            aliases=("Original due date", "Baseline date"),
            width=13,
        ),
        Column("revised_due_date", "Revised due date", kind="date", width=13),
        Column("status", "Status", aliases=("RAG", "Progress status"), required=True, width=13),
        Column("progress_update", "Progress update", aliases=("Commentary", "Update"), width=60),
        Column("exception_reason", "Exception reason", aliases=("Reason for exception",), width=40),
        Column("date_added", "Date added", kind="date", aliases=("Added",), width=13),
        Column("completion_date", "Completion date", kind="date", aliases=("Date completed",), width=14),
        Column("closure", "Closure", aliases=("Closure status",), width=20),
        # what a completed action achieved, as the committee report's "Achievements
        # this quarter" says it (blank: the report quotes its progress update)
        Column("achievement", "Achievement", aliases=("Achievements", "What was achieved"), width=50),
        # issue 28: which of the statutory guidance's Best Value themes the action serves
        # (one or more, ;-separated), and the officer's confidence that it will achieve
        # its outcome, apart from its RAG (Flintshire reports both)
        Column("best_value", "Best Value theme", aliases=BEST_VALUE_HEADERS, width=26),
        Column("confidence", "Confidence", aliases=("Confidence rating", "Delivery confidence"), width=14),
    ),
    "milestones": (
        Column("ref", "Ref", aliases=("Action ref", "Reference"), required=True, width=12),
        Column("milestone", "Milestone", required=True, width=60),
        Column("due_date", "Due date", kind="date_or_keyword", width=13),
        Column("status", "Status", required=True, width=14),
        Column("completed_date", "Completed date", kind="date", aliases=("Date completed",), width=15),
        Column("date_added", "Date added", kind="date", aliases=("Added",), width=13),
    ),
    "recommendations": (
        Column("rec_id", "Rec ID", aliases=("ID",), required=True, width=10),
        Column("review", "Review", aliases=("Source",), width=36),
        Column("category", "Category", width=13),
        Column("kloe_ref", "KLOE ref", width=10),
        Column("area", "Area", aliases=("Strand",), width=28),
        Column("recommendation", "Recommendation", required=True, width=60),
        Column("response", "Response", aliases=("Council response",), width=60),
        Column("action_refs", "Action refs", width=22),
        Column("lead", "Director / Lead", aliases=("Lead", "Director", "Director/Lead"), width=28),
        # what a follow-up review found about this recommendation (the scrutiny and
        # audit appendix carries it beside the council's progress)
        Column(
            "follow_up",
            "Follow-up findings",
            aliases=("Follow-up review findings", "Follow up findings", "Follow-up"),
            width=60,
        ),
    ),
    "changes": (
        Column("date", "Date", kind="date", required=True, width=12),
        Column("ref", "Ref", aliases=("Action ref", "Reference"), required=True, width=12),
        Column("change_type", "Change type", required=True, width=22),
        Column("old_value", "Old value", width=24),
        Column("new_value", "New value", width=24),
        Column("reason", "Reason", width=50),
        Column("approved_by", "Approved by", width=28),
    ),
    "risks": (
        Column("risk_ref", "Risk ref", aliases=("Ref", "Risk ID"), required=True, width=10),
        Column("risk", "Risk", aliases=("Risk description",), required=True, width=50),
        Column("cause", "Cause", width=36),
        Column("consequence", "Consequence", width=36),
        Column("owner", "Owner", aliases=("Risk owner",), width=24),
        Column("likelihood", "Likelihood", kind="int", width=14),
        Column("impact", "Impact", kind="int", width=10),
        Column("score", "Score", kind="number", aliases=("Risk score",), width=8),
        Column("rating", "Rating", aliases=("RAG",), width=10),
        Column("mitigations", "Mitigations", aliases=("Controls", "Mitigating actions"), width=50),
        Column("target_likelihood", "Target likelihood", kind="int", width=14),
        Column("target_impact", "Target impact", kind="int", width=10),
        Column("direction", "Direction", aliases=("Direction of travel",), width=13),
    ),
    # evidence of impact: one row per measure of what the plan is changing
    "measures": (
        Column(
            "measure_ref",
            "Measure ref",
            aliases=("Measure ID", "Measure reference", "Measure no"),
            required=True,
            width=12,
        ),
        Column("measure", "Measure", aliases=("Measure name", "Indicator"), required=True, width=44),
        Column("best_value", "Best Value theme", aliases=BEST_VALUE_HEADERS, width=26),
        Column("action_refs", "Action refs", aliases=("Actions", "Action ref"), width=20),
        Column("baseline", "Baseline", kind="number", aliases=("Baseline value",), width=12),
        Column("baseline_date", "Baseline date", kind="date", width=13),
        Column("target", "Target", kind="number", aliases=("Target value",), width=10),
        Column("target_date", "Target date", kind="date", width=13),
        Column("latest", "Latest", kind="number", aliases=("Latest value", "Current value", "Actual"), width=10),
        Column("latest_date", "Latest date", kind="date", aliases=("Date of latest", "As at"), width=13),
        Column("better_when", "Better when", aliases=("Polarity", "Good is"), width=13),
        Column("evidence", "Evidence", aliases=("Evidence of impact", "Source of evidence"), width=40),
        Column("proxy", "Proxy for success", aliases=("Proxy for success?", "Success proxy"), width=14),
    ),
    "appendices": (
        Column("number", "Number", aliases=("No", "No.", "Appendix number"), required=True, width=10),
        Column("appendix", "Appendix", aliases=("Kind", "Content"), required=True, width=26),
        Column("title", "Title", width=60),
        Column("filter", "Filter", width=30),
        Column("file", "File", aliases=("Supplied file",), width=30),
        Column("alt_text", "Alt text", aliases=("Alternative text", "Description"), width=50),
    ),
}

# --------------------------------------------------------------------- appendices


@dataclass(frozen=True)
class AppendixKind:
    """One kind of appendix the pack can hold: its key (file stem and ``--only`` name),
    the name the Appendices sheet uses, and the default title. ``{plan}`` and
    ``{period}`` in a title are replaced by Settings' Plan title and Reporting period
    (literally: nothing else in a title is interpreted)."""

    key: str
    name: str
    title: str
    #: the sheet whose rows a Filter selects from
    sheet: str | None = None
    aliases: tuple[str, ...] = ()


APPENDIX_KINDS: tuple[AppendixKind, ...] = (
    AppendixKind(
        "monitoring-tool",
        "Monitoring tool",
        "{plan} Monitoring Tool {period}",
        "actions",
        ("Monitoring tool appendix", "Action plan"),
    ),
    AppendixKind(
        "theme-summary",
        "Theme summary",
        "{plan} Theme Summary {period}",
        "actions",
        ("Theme summaries", "Progress by theme"),
    ),
    AppendixKind(
        "statutory-recommendations",
        "Statutory recommendations",
        "Statutory Recommendations Reporting {period}",
        "recommendations",
        ("Statutory recommendations reporting",),
    ),
    AppendixKind(
        "review-responses",
        "Review responses",
        "External Review Recommendation Responses {period}",
        "recommendations",
        ("Recommendation responses", "Recommendations reporting", "Review recommendations"),
    ),
    AppendixKind(
        "changes", "Changes", "Changes to the {plan} {period}", "changes", ("Changes to the plan", "Change log")
    ),
    AppendixKind("risk-register", "Risk register", "{plan} Risk Register {period}", "risks", ("Risks",)),
    AppendixKind(
        "progress-over-time",
        "Progress over time",
        "{plan} Progress Over Time {period}",
        None,
        ("History", "Trend", "Progress history"),
    ),
    AppendixKind(
        "best-value",
        "Best Value themes",
        "{plan} Best Value Themes {period}",
        "measures",
        ("Best Value", "Evidence of impact", "Impact measures", "Measures of impact"),
    ),
    AppendixKind(
        "supplied",
        "Supplied file",
        "{plan} Governance Diagram",
        None,
        ("Supplied", "File", "Document", "Picture", "Diagram"),
    ),
)

#: The pack a committee report lists (the report's section 13), used when the workbook
#: has no Appendices sheet: (number, kind key, title, filter).
DEFAULT_PACK: tuple[tuple[str, str, str, str], ...] = (
    ("1", "monitoring-tool", "{plan} Monitoring Tool {period}", ""),
    ("2", "theme-summary", "{plan} Theme Summary {period}", ""),
    ("3", "statutory-recommendations", "Statutory Recommendations Reporting {period}", ""),
    ("4", "review-responses", "Scrutiny and Audit Recommendations Reporting {period}", "Area: Scrutiny; Audit"),
    ("5", "changes", "Changes to the {plan} {period}", ""),
    ("6", "risk-register", "{plan} Risk Register {period}", ""),
    ("7", "supplied", "{plan} Governance Diagram", ""),
)

# ------------------------------------------------------------------- the report


@dataclass(frozen=True)
class ReportItem:
    """One row of the Report sheet: a part of the committee report officers write.

    ``label`` is what column A of the Report sheet says (compared like a header);
    ``heading`` the section it fills in the paper ("" for the front sheet's details).
    ``narrative`` items are the report's own words and must be written (or switched
    off with :data:`REPORT_OFF`); the others add an officer's words to a section ipxl
    writes from the workbook, and may be left blank."""

    key: str
    label: str
    heading: str = ""
    kind: str = "text"  #: text | date
    narrative: bool = True
    #: what to write, shown beside the item in the template's Report sheet
    guidance: str = ""


#: The parts of the committee report, in the order of the council's own report
#: (Report to Budget and Corporate Scrutiny Management Board, 22 November 2023).
REPORT_ITEMS: tuple[ReportItem, ...] = tuple(
    ReportItem(key, label, heading, kind, narrative, guidance)
    for key, label, heading, kind, narrative, guidance in (
        ("meeting_date", "Meeting date", "", "date", True, "The date of the meeting (dd/mm/yyyy)."),
        ("subject", "Subject", "", "text", True, "The report's subject, on its front sheet."),
        ("director", "Director", "", "text", True, "The Director presenting the report: role, then name on a new line."),
        ("contact_officers", "Contact officers", "", "text", True, "One contact officer a line: role, name and email address."),
        ("recommendations", "Recommendations", "Recommendations", "text", True,
         "What the meeting is asked to do, one recommendation a line (each is numbered)."),
        ("reasons", "Reasons for recommendations", "Reasons for Recommendations", "text", True,
         "Why the report comes to this meeting, one paragraph a line."),
        ("corporate_plan", "Corporate Plan", "How does this deliver objectives of the Corporate Plan?", "text", True,
         "How the plan serves the Corporate Plan's objectives."),
        ("background", "Background", "Background", "text", True, "Where the plan came from and how it is monitored."),
        ("progress", "Overall progress", "Improvement Plan Progress", "text", False,
         "Optional: the headline of the quarter, before the counts ipxl gives."),
        ("statutory", "Statutory recommendations", "Statutory Recommendations", "text", False,
         "Optional: what reviewers said of the statutory recommendations, before each one's progress."),
        ("scrutiny", "Scrutiny recommendations", "Specific Recommendations from External Reviews relating to Scrutiny",
         "text", True, "What the reviews said about scrutiny and audit, and what has changed since."),
        ("work_programme", "Scrutiny work programme", "Scrutiny Work Programme", "text", True,
         "The board's work programme items: a line 'Item requested | Update' for each makes the table."),
        ("external_reviews", "External reviews", "External Reviews - Follow up reports", "text", True,
         "The follow-up reviews and the Commissioners' reports."),
        ("risk", "Risk management", "Risk Management", "text", False,
         "Optional: words before the register's headline and main risks, which ipxl gives."),
        ("changes", "Changes to the plan", "Changes to the Improvement Plan", "text", False,
         "Optional: words before the summary of changes, which ipxl gives."),
        ("governance", "Reporting framework and governance", "Reporting Framework and Governance", "text", True,
         "How progress is reported and overseen."),
        ("implications_resources", "Implications: Resources", "Resources", "text", True, ""),
        ("implications_legal", "Implications: Legal and Governance", "Legal and Governance", "text", True, ""),
        ("implications_risk", "Implications: Risk", "Risk", "text", True, ""),
        ("implications_equality", "Implications: Equality", "Equality", "text", True, ""),
        ("implications_health", "Implications: Health and Wellbeing", "Health and Wellbeing", "text", True, ""),
        ("implications_social_value", "Implications: Social Value", "Social Value", "text", True, ""),
        ("implications_climate", "Implications: Climate Change", "Climate Change", "text", True, ""),
        ("implications_corporate_parenting", "Implications: Corporate Parenting", "Corporate Parenting", "text", True, ""),
        ("background_papers", "Background papers", "Background Papers", "text", True,
         "The papers the report draws on, one a line."),
    )
)  # fmt: skip
#: The Report sheet's header row: the items' column, a column of guidance ipxl does
#: not read, the text for every meeting; each column to its right is one meeting, its
#: header the committee's name, its cells what that meeting's report says instead.
REPORT_HEADERS = {"item": "Item", "guidance": "What to write", "all": "All meetings"}
REPORT_ALL_ALIASES = ("All", "Every meeting", "All committees", "All reports")
#: The meetings a fresh template's Report sheet has a column for (renamed freely).
REPORT_MEETINGS = ("Cabinet", "Scrutiny Board", "Audit Committee")
#: What a Report cell says to leave its section (or Implications row) out.
REPORT_OFF = "Not included"
#: Text a paper must never carry, checked in every Report cell (case ignored): a
#: word left to fill in, anywhere ("Go-live date TBC"); a line that is nothing but a
#: gap; a bracketed note to the writer ("[insert date]", "<name>").
PLACEHOLDER_WORDS = ("TBC", "TBA", "TBD", "XXX")
PLACEHOLDER_LINES = ("...", "…", "?", "-", "to follow", "to be confirmed", "to be added")
PLACEHOLDER_NOTES = ("insert", "add", "to follow", "to be confirmed", "lorem ipsum", "name", "date", "tbc", "xxx")
#: Days a reporting period spans to be called a month or a quarter in the papers'
#: words ("Achievements this quarter").
PERIOD_WORDS = ((25, 35, "month"), (85, 95, "quarter"), (175, 190, "half year"), (360, 370, "year"))
#: The report's section that holds the Implications table (its rows the
#: ``implications_*`` items).
IMPLICATIONS_HEADING = "Implications"

#: ipxl's own sheets that a write replaces whole, and the words their first column
#: holds in rows 2 and 3, by which ipxl knows a sheet it wrote from one an officer
#: made under the same name (never written over).
OWN_SHEET_MARKS = {
    "summary": ("Reporting period", "Refreshed"),
    "trend": ("Periods", "Refreshed"),
    "validation": ("Checked", "Errors"),
}

#: File types a supplied appendix may be: copied (Word, PDF) or shown as a picture
#: (a picture Word can hold: an SVG would need a PNG beside it).
SUPPLIED_DOCUMENTS = (".docx", ".pdf")
SUPPLIED_PICTURES = (".png", ".jpg", ".jpeg", ".gif")
#: What a supplied file of each type says it is, and how its first bytes begin.
SUPPLIED_KINDS = {
    ".docx": ("a Word document", (b"PK\x03\x04",)),
    ".pdf": ("a PDF", (b"%PDF-",)),
    ".png": ("a PNG picture", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("a JPEG picture", (b"\xff\xd8\xff",)),
    ".jpeg": ("a JPEG picture", (b"\xff\xd8\xff",)),
    ".gif": ("a GIF picture", (b"GIF87a", b"GIF89a")),
}
#: The supplied file types, as the fix for a wrong one says them.
SUPPLIED_TYPES_SAID = "a .docx, .pdf, .png, .jpg or .gif file"

# ------------------------------------------------------------------------- dates

#: How a date is shown: in messages, papers, the terminal and emails (:func:`ipxl.dates.uk`).
DATE_FORMAT = "%d/%m/%Y"

# ------------------------------------------------------------------------- settings

SETTINGS_KEYS: dict[str, str] = {
    "council": "Council",
    "plan_title": "Plan title",
    "period": "Reporting period",
    "period_start": "Period start",
    "period_end": "Period end",
    "previous_workbook": "Previous workbook",
    "overall_risk": "Overall risk rating",
    "signoff_by": "Sign-off by",
}

DEFAULT_SETTINGS: dict[str, object] = {
    "council": "",
    "plan_title": "Improvement Plan",
    "period": "",
    "period_start": None,
    "period_end": None,
    "previous_workbook": None,
    "overall_risk": None,
    "signoff_by": None,
}

# ---------------------------------------------------------------------------- lists


@dataclass(frozen=True)
class Status:
    """A RAG status: its word, fill colour (hex, no #) and plain-English meaning."""

    name: str
    colour: str
    meaning: str


#: In this order everywhere counts are shown.
STATUSES: tuple[Status, ...] = (
    Status("Complete", "0070C0", "Delivered; evidence of completion is held."),
    Status("Green", "00B050", "On track to deliver by the due date."),
    Status("Amber", "FFC000", "At risk: slippage or issues, remedial action in hand."),
    Status("Red", "C00000", "Off track: will miss the due date or needs intervention."),
    Status("Not started", "BFBFBF", "Not yet due to start."),
    Status("On hold", "A6A6A6", "Paused by decision."),
)

THEMES: dict[str, str] = {
    "OC": "Organisational Culture",
    "CO": "Corporate Oversight",
    "SD": "Strategic Direction",
    "DM": "Decision Making",
    "PC": "Procurement and Commercial",
    "PR": "Partnerships and Relationships",
}

ACTION_TYPES = ("Action", "Sub-action", "Assurance action")
CLOSURES = ("Open", "Proposed to close", "Closed", "Moved to business as usual")
#: Closure states whose actions no longer count in the roll-up.
CLOSED_STATES = ("Closed", "Moved to business as usual")
REVIEWS = (
    "Grant Thornton VFM Governance Review 2021",
    "Grant Thornton follow-up 2022",
    "Grant Thornton follow-up 2023",
    "LGA Corporate Peer Challenge 2022",
    "LGA follow-up 2022",
    "CIPFA Financial Management Review 2022",
    "Secretary of State Directions",
)
CATEGORIES = ("Statutory", "Key", "Improvement")
CHANGE_TYPES = (
    "Timescale change",
    "New action",
    "New sub-action",
    "New assurance action",
    "Action closed",
    "Assurance action closed",
    "Delivery lead change",
    "Description change",
    "Workstream closed",
)
MILESTONE_STATUSES = ("Complete", "Not complete", "Not started")
DIRECTIONS = ("Improving", "Stable", "Worsening")
#: Due-date keywords accepted instead of a date; TBC is accepted with a warning.
DATE_KEYWORDS = ("Ongoing", "Quarterly", "Monthly", "TBC")
WARN_KEYWORDS = ("TBC",)
#: The record sheets a step reads of last period's workbook (what changed, what is
#: new, movement, and its change log for the pack's history) and, of both workbooks,
#: to turn new rows red and for the Refresh button, whose Summary and Trend need
#: only last period's Actions; Settings and Lists are always read.
PREVIOUS_SHEETS = ("actions", "milestones", "changes")
PACK_PREVIOUS_SHEETS = (*PREVIOUS_SHEETS, "measures")  # the pack: which measures moved
HIGHLIGHT_SHEETS = ("actions", "milestones")
#: ... and of the current one for the change report (its Changes sheet is
#: cross-checked) and for the Refresh button (the Summary's counts and sentences, and
#: the red rows).
CHANGES_SHEETS = ("actions", "changes")
ROLLUP_SHEETS = ("actions", "recommendations")
#: ... and for Refresh, which also reads the Summary and Trend it rewrites, to tell a
#: sheet an officer made under one of those names (never written over); a read for
#: any other step leaves them unread.
SUMMARY_SHEETS = (*CHANGES_SHEETS, "summary", "trend")
REFRESH_SHEETS = (*SUMMARY_SHEETS, "milestones")
#: ... and of each monthly workbook for the plan's history.
HISTORY_SHEETS = ("actions", "changes", "recommendations", "measures")
#: ... and of each earlier workbook along the chain for the Trend sheet.
TREND_SHEETS = ("actions",)
#: The columns a step needs of a sheet it reads, where that is fewer than all (the
#: rest are not converted, which is most of a read's own work; ``SheetData.unread``
#: names them). Turning rows red matches them by Ref (and Milestone) and Date added,
#: in the current workbook and last period's.
HIGHLIGHT_COLUMNS: dict[str, tuple[str, ...]] = {
    "actions": ("ref", "date_added"),
    "milestones": ("ref", "milestone", "date_added"),
}
#: ... the Trend counts each earlier workbook's actions at each status as the roll-up
#: does (the columns it reads) ...
TREND_COLUMNS: dict[str, tuple[str, ...]] = {
    "actions": ("ref", "theme", "type", "recommendations", "lead", "due_date", "revised_due_date", "status", "closure")
}
#: ... and last period's workbook serves the change report (every column it compares),
#: the Summary's movement and the Trend's counts, and the red rows:
#: its workstreams, progress updates, exception reasons and completion dates are not read.
PREVIOUS_COLUMNS: dict[str, tuple[str, ...]] = {
    "actions": (
        "ref",
        "theme",
        "type",
        "description",
        "recommendations",
        "lead",
        "delivery_lead",
        "due_date",
        "revised_due_date",
        "status",
        "date_added",
        "closure",
    ),
    "milestones": HIGHLIGHT_COLUMNS["milestones"],
}
#: ... and the current workbook serves the Refresh button's roll-up, change report (its
#: workstreams too: a closure can empty one) and Trend counts, and the red rows; its
#: progress updates, exception reasons and completion dates are not read.
REFRESH_COLUMNS: dict[str, tuple[str, ...]] = {
    "actions": (*PREVIOUS_COLUMNS["actions"], "workstream"),
    "milestones": HIGHLIGHT_COLUMNS["milestones"],
}
#: History thresholds: actions re-baselined at least this often, updates unchanged for
#: at least this many periods in a row, Red in at least this many latest periods.
HISTORY_REBASELINES, HISTORY_STALE, HISTORY_RED = 2, 2, 2
#: The six-monthly letter's sections, in its order (seed 004), and the themes each
#: covers; a workbook's other themes follow, one section each.
DIGEST_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Organisational Culture", ("Organisational Culture",)),
    ("Corporate Oversight and Strategic Direction", ("Corporate Oversight", "Strategic Direction")),
    ("Decision Making", ("Decision Making",)),
    (
        "Partnerships and Relationships, Procurement and Commercial",
        ("Partnerships and Relationships", "Procurement and Commercial"),
    ),
)
#: Threads reading a history's workbooks at once: two overlap one file's unzipping with
#: another's parsing; more only contend for the interpreter.
READ_WORKERS = 2
#: Years a plan's dates fall in: a date outside them is a typo (3024 for 2024, 0224
#: for 2024, the placeholder 9999-12-31), reported rather than read.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2199
#: Excel's error values, as a cell holding one shows it.
EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
                "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!")  # fmt: skip
#: Action-refs values that say a recommendation is answered outside the plan.
OUTSIDE_PLAN = ("Commentary", "Business as usual")

# ----------------------------------------------------------------- evidence of impact

#: The seven themes the statutory Best Value guidance (May 2024) judges a council on.
BEST_VALUE_THEMES = ("Continuous Improvement", "Leadership", "Governance", "Culture", "Use of Resources",
                     "Service Delivery", "Partnerships and Community Engagement")  # fmt: skip
#: Short names officers type for them (compared lower case), read as the theme.
BEST_VALUE_ALIASES = {
    "ci": "Continuous Improvement",
    "resources": "Use of Resources",
    "services": "Service Delivery",
    "partnerships": "Partnerships and Community Engagement",
    "community engagement": "Partnerships and Community Engagement",
    "partnership and community engagement": "Partnerships and Community Engagement",
}
#: An action's confidence that it will achieve its outcome, best first, with the
#: colour the papers show it on.
CONFIDENCE = ("High", "Medium", "Low")
CONFIDENCE_COLOURS = {"High": "00B050", "Medium": "FFC000", "Low": "C00000"}
CONFIDENCE_ALIASES = {"h": "High", "m": "Medium", "med": "Medium", "l": "Low"}
#: A measure's direction of improvement: a higher value is better, or a lower one.
BETTER_WHEN = ("Higher", "Lower")
#: What officers write for it instead, read as meant (validation names the Lists word).
BETTER_WHEN_ALIASES = {"higher is better": "Higher", "high": "Higher", "up": "Higher", "increase": "Higher",
                       "lower is better": "Lower", "low": "Lower", "down": "Lower", "decrease": "Lower"}  # fmt: skip
#: What marks a measure as one of the commissioners' proxies for success (blank or
#: No: it is not one).
PROXY_YES, PROXY_NO = ("yes", "y", "true", "x"), ("no", "n", "false")
#: A measure's state at Period end, in the papers' order, with its colour (the rules
#: are in :mod:`ipxl.analysis.impact`); NOT_JUDGED only when Better when is not known.
MEASURE_STATES = ("Target met", "Improving", "Not improving", "No data since baseline")
MEASURE_COLOURS = {"Target met": "0070C0", "Improving": "00B050", "Not improving": "C00000",
                   "No data since baseline": "BFBFBF"}  # fmt: skip
NOT_JUDGED = "Not judged"
#: A measure's newest value older than this many reporting periods before Period end
#: is stale (a warning).
MEASURE_STALE_PERIODS = 2


@dataclass(frozen=True)
class ScoreBand:
    """Risk rating for scores from ``low`` to ``high`` inclusive."""

    rating: str
    low: int
    high: int
    colour: str


SCORE_BANDS: tuple[ScoreBand, ...] = (
    ScoreBand("Green", 1, 4, "00B050"),
    ScoreBand("Amber", 5, 12, "FFC000"),
    ScoreBand("Red", 15, 25, "C00000"),
)

#: What a blank Exception reason is at each status: an error (the reason is
#: required), a warning (it should be given). Validation, the merge of returns and the
#: returns' instructions all follow it (:func:`ipxl.checks.rules.exception_reason`).
EXCEPTION_REASONS: dict[str, str] = {"Red": "error", "Amber": "warning"}

#: Status words officers often type, mapped to the status they mean. Keys are
#: compared after lower-casing and squeezing spaces.
STATUS_ALIASES: dict[str, str] = {
    "g": "Green",
    "on track": "Green",
    "ontrack": "Green",
    "a": "Amber",
    "at risk": "Amber",
    "r": "Red",
    "off track": "Red",
    "b": "Complete",
    "blue": "Complete",
    "completed": "Complete",
    "done": "Complete",
    "closed": "Complete",
    "not yet started": "Not started",
    "ns": "Not started",
    "paused": "On hold",
    "on-hold": "On hold",
}

#: Order used for status movement: higher is better. Not started and On hold are
#: reported as moves but not ranked.
STATUS_RANK: dict[str, int] = {"Red": 0, "Amber": 1, "Green": 2, "Complete": 3}

# -------------------------------------------------------------------------- colours

#: Accessible red for new rows: 5.9:1 on white (#FF0000 is only 4.0:1).
NEW_ROW_RED = "C00000"
#: Fill used to mark cells with findings in the workbook.
FINDING_FILL = {"error": "FFC7CE", "warning": "FFEB9C"}
HEADER_FILL = "1F3864"
HEADER_FONT = "FFFFFF"


@dataclass(frozen=True)
class ListSpec:
    """One column of the ``Lists`` sheet: its header and the default values;
    ``optional`` lists fall back to their defaults without a finding (workbooks made
    before them stay clean)."""

    key: str
    header: str
    defaults: tuple[str, ...] = field(default_factory=tuple)
    optional: bool = False


#: The single-column lists in the ``Lists`` sheet (themes, statuses and score bands
#: have companion columns and are handled by the reader and template explicitly).
SIMPLE_LISTS: tuple[ListSpec, ...] = (
    ListSpec("types", "Type", ACTION_TYPES),
    ListSpec("closures", "Closure", CLOSURES),
    ListSpec("reviews", "Review", REVIEWS),
    ListSpec("categories", "Category", CATEGORIES),
    ListSpec("change_types", "Change type", CHANGE_TYPES),
    ListSpec("milestone_statuses", "Milestone status", MILESTONE_STATUSES),
    ListSpec("directions", "Direction", DIRECTIONS),
    ListSpec("date_keywords", "Date keyword", DATE_KEYWORDS),
    ListSpec("best_value_themes", "Best Value themes", BEST_VALUE_THEMES, optional=True),
    ListSpec("confidences", "Confidence", CONFIDENCE, optional=True),
    ListSpec("better_when", "Better when", BETTER_WHEN, optional=True),
)

#: Headers of the companion-column lists in the ``Lists`` sheet.
LIST_HEADERS = {
    "theme_code": "Theme code",
    "theme": "Theme",
    "status": "Status",
    "status_colour": "Status colour",
    "status_meaning": "Status meaning",
    "band_rating": "Rating",
    "band_low": "Score from",
    "band_high": "Score to",
    "band_colour": "Rating colour",
    # optional: who the update round writes to (ipxl chase --eml)
    "lead": "Lead",
    "lead_email": "Email",
}


def normalise_header(text: object) -> str:
    """Header text as compared: lower case, single spaces, no spaces around ``/``."""
    s = " ".join(str(text).split()).lower()
    return s.replace(" / ", "/").replace("/ ", "/").replace(" /", "/")


# ------------------------------------------------------------- writing the workbook

#: Seconds a write waits for another ipxl run writing the same workbook to finish
#: (a refresh of a 100,000-action plan takes a few seconds) before refusing.
LOCK_WAIT = 30.0
#: The longest file name (in bytes, UTF-8) the file systems officers use allow.
NAME_MAX = 255


# --------------------------------------------------------------------- update round

#: The columns of a return, in order: (key, header, the lead may change it). Keys are
#: Actions column keys, but ``reason``, the reason for a new revised due date.
RETURN_COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("ref", "Ref", False),
    ("theme", "Theme", False),
    ("workstream", "Workstream", False),
    ("description", "Action", False),
    ("due_date", "Due date", False),
    ("status", "Status", True),
    ("progress_update", "Progress update", True),
    ("exception_reason", "Exception reason", True),
    ("revised_due_date", "Revised due date", True),
    ("reason", "Reason for change", True),
    ("completion_date", "Completion date", True),
)
#: The Actions columns a return can change (``reason`` goes to the Changes sheet).
RETURN_EDITS = ("status", "progress_update", "exception_reason", "revised_due_date", "completion_date")
#: The sheet a lead fills in, and the very hidden one that remembers the master as it was.
RETURN_SHEET, RETURN_SNAPSHOT = "Return", "_ipxl_return"
#: The file listing the returns made, beside them.
RETURN_MANIFEST = "returns.json"
#: Row of a return's column headers (rows above it: title, period, deadline, guidance).
RETURN_HEADER_ROW = 8
#: How far ahead ``ipxl chase`` looks for actions falling due.
CHASE_DAYS = 45
#: The furthest ahead a chase may look: ten years (millions of days run off the calendar).
CHASE_DAYS_MAX = 3660

# ======================================================== sign-off and the audit trail

#: The record sheets whose rows are matched across a sign-off by a key column (each
#: unique in a valid workbook); on the others a row is matched by its place among the
#: sheet's records. A sort or a blank row inserted moves no keyed row.
SIGNOFF_KEYS: dict[str, str] = {"actions": "ref", "recommendations": "rec_id", "risks": "risk_ref"}
#: What the signed record keeps for a cell holding a formula: its value is computed
#: from other cells (and openpyxl's saves drop it), so a formula cell counts as one.
FORMULA_TOKEN = "(formula)"
#: The Sign-off sheet's columns, one row per sign-off, the latest last.
SIGNOFF_HEADERS = ("Period", "Approved by", "Approved on", "Recorded", "Values signed", "Fingerprint")
#: The Audit trail sheet's columns, one row per value ipxl changed, oldest first.
AUDIT_HEADERS = ("When", "Sheet", "Ref", "Cell", "Column", "From", "To", "Who", "How")

# ================================================================ installing ipxl

#: Whether a release of ipxl is on PyPI. Until one is, every install instruction
#: (the README, ``ipxl excel-setup``, the buttons' messages) names the wheel or a copy
#: of the repository instead of ``pip install ipxl``, which would find nothing; the
#: release that first follows a published one sets this True.
ON_PYPI = False


def install_hint(version: str) -> str:
    """How to install ipxl, in words an officer can follow today (see :data:`ON_PYPI`)."""
    if ON_PYPI:
        return f"`pip install ipxl=={version}` (or `pipx install ipxl` for the command alone)"
    wheel = f"ipxl-{version}-py3-none-any.whl"
    return (
        f"`pip install {wheel}` from the wheel your IT shares, or `pip install .` in a copy of ipxl's "
        f"repository (for the command alone: `pipx install {wheel}` or `uv tool install {wheel}`)"
    )


# ================================================================== xlwings Lite

#: The xlwings the Lite door's requirements.txt pins: a pure-Python wheel micropip can
#: install, whose remote engine defines every action the Lite door sends (checked by
#: tests/test_lite.py against this version's engine, which the test extra installs).
LITE_XLWINGS = "0.37.8"
#: Where xlwings Lite's file Import and Export put and take files (the add-in's
#: Pyodide file system, on every platform): last period's workbook and the returns
#: are read from here, the pack and the returns written here.
LITE_DATA_DIR = "/data"
