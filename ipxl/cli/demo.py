"""``ipxl demo``: the whole job on the bundled sample plan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .. import resources
from ..xlsx.safe_write import copy_new


def run_demo(out: Path) -> Iterator[str]:
    """Copy the sample and its previous period into ``out`` and run each step on the
    copies, yielding one line of progress per step."""
    from ..checks.validation import validate
    from .render import report_text

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    current = copy_new(resources.sample_path(), out / resources.SAMPLE_NAME, force=True)
    previous = copy_new(resources.previous_sample_path(), out / resources.PREVIOUS_SAMPLE_NAME, force=True)
    copy_new(resources.governance_path(), out / resources.GOVERNANCE_NAME, force=True)
    yield f"Copied the sample plan to {current}"
    yield f"Copied its previous period to {previous}, and its governance diagram (Appendix 7)"
    yield ""
    yield "== Validation =="
    report = validate(current)
    yield report_text(report, current)
    yield from _rollup_and_changes(current, previous)
    yield from _history(out)
    yield from _write_back(current, previous)
    yield from _appendices(current, previous, out)


def _rollup_and_changes(current: Path, previous: Path) -> Iterator[str]:
    """Issue 3: the RAG roll-up of the current period and what changed since the last."""
    from ..analysis.changes import compare
    from ..analysis.rollup import rollup
    from ..xlsx.reader import read_workbook
    from .render import changes_text, rollup_text

    cur, prev = read_workbook(current), read_workbook(previous)
    yield ""
    yield "== RAG roll-up =="
    yield rollup_text(rollup(cur))
    yield ""
    yield "== Changes since the previous period =="
    yield changes_text(compare(prev, cur))


def _history(out: Path) -> Iterator[str]:
    """The plan's history over the sample's year of monthly workbooks (rebuilt from the
    papers' two periods and the change log: :mod:`ipxl.templates.sample_history`)."""
    from ..analysis.history import history
    from ..templates.sample_history import write_sample_history
    from .render import history_text

    months = write_sample_history(out / "monthly")
    yield ""
    yield f"== History: {len(months)} monthly workbooks in {out / 'monthly'} =="
    yield history_text(history([months[-1]]))


def _write_back(current: Path, previous: Path) -> Iterator[str]:
    """Issue 4: the copy of the sample gets its new rows in red, a refreshed Summary
    sheet and a Validation sheet, each written losslessly with a backup kept."""
    from ..writeback import mark_validation, refresh
    from .render import written_text

    yield ""
    yield "== Workbook updated =="
    yield written_text(refresh(current, previous=previous), "Summary sheet and red font on new rows")
    yield written_text(mark_validation(current, backup=False), "Validation sheet")


def _appendices(current: Path, previous: Path, out: Path) -> Iterator[str]:
    """The committee pack: the covering report and the numbered appendices as Word
    files, as web pages, and as PDF/UA when LibreOffice is installed."""
    import shutil

    from ..pack import build_pack
    from .render import pack_text

    yield ""
    yield "== Committee pack =="
    pdf = bool(shutil.which("soffice") or shutil.which("libreoffice"))
    pack = build_pack(current, previous, out / "pack", force=True, html=True, pdf=pdf)
    yield pack_text(pack, current)
    if not pdf:
        yield "LibreOffice is not installed, so the pack has no PDFs (install it to make them)."
