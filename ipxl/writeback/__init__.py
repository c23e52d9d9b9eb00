"""Stage 4, write-back: results go back into the officers' own workbook, changing
nothing else. Plans (:mod:`.plans`) are pure data; a target applies them to a file
(:mod:`.file_target`, by patching the package) or to Excel (:mod:`ipxl.excel`);
:mod:`.operations` chains read, plan, apply and commit.
"""

from .file_target import FileTarget, sqref
from .operations import (
    apply_highlight,
    change_sentences,
    highlight,
    highlight_target,
    mark_validation,
    own_sheet_name,
    rag_table,
    refresh,
    refresh_summary,
    refresh_target,
    summary_target,
    trend_target,
)
from .plans import (
    CHART_NAME,
    MARK_TAG,
    RED_RECORD,
    SEVERITY_ORDER,
    ChartSpec,
    HighlightPlan,
    RagTable,
    SheetContent,
    ValidationPlan,
    new_rows,
    plan_highlight,
    plan_summary,
    plan_trend,
    plan_validation,
    read_red_record,
)
from .target import Done, SignedOff, WorkbookTarget, WritebackResult

__all__ = [
    "CHART_NAME",
    "MARK_TAG",
    "RED_RECORD",
    "SEVERITY_ORDER",
    "ChartSpec",
    "Done",
    "FileTarget",
    "HighlightPlan",
    "RagTable",
    "SheetContent",
    "SignedOff",
    "ValidationPlan",
    "WorkbookTarget",
    "WritebackResult",
    "apply_highlight",
    "change_sentences",
    "highlight",
    "highlight_target",
    "mark_validation",
    "new_rows",
    "own_sheet_name",
    "plan_highlight",
    "plan_summary",
    "plan_trend",
    "plan_validation",
    "rag_table",
    "read_red_record",
    "refresh",
    "refresh_summary",
    "refresh_target",
    "sqref",
    "summary_target",
    "trend_target",
]
