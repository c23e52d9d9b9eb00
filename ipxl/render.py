"""Terminal formatting of library results. Logic lives elsewhere; this only prints."""

from __future__ import annotations

import textwrap
from pathlib import Path

from .findings import Report


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
                lines.append(textwrap.fill(f"fix: {f.suggestion}", width=100, initial_indent=" " * 16,
                                           subsequent_indent=" " * 21))
        lines.append("")
    verdict = "no errors" if report.ok else "errors must be fixed"
    lines.append(f"{name}: {_n(c['error'], 'error')}, {_n(c['warning'], 'warning')} ({verdict}).")
    return "\n".join(lines)


def _n(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
