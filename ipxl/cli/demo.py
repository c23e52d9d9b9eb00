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
    # The month's routine in its order: the leads' returns come back into the master,
    # which is then checked, counted, refreshed and reported, so the workbook's
    # Summary and the committee pack give the same figures.
    yield from _update_round(current, out)
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
    from ..analysis.impact import best_value
    from ..analysis.rollup import rollup
    from ..xlsx.reader import read_workbook
    from .render import best_value_text, changes_text, rollup_text

    cur, prev = read_workbook(current), read_workbook(previous)
    counts = rollup(cur)
    yield ""
    yield "== RAG roll-up =="
    yield rollup_text(counts)
    yield ""
    yield "== Best Value themes and the evidence of impact =="
    yield best_value_text(best_value(cur), counts)
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
    """The copy of the sample gets its new rows in red, a refreshed Summary sheet and
    a Validation sheet, each written losslessly with a backup kept; then Leadership
    Team's sign-off."""
    from ..writeback import mark_validation, refresh
    from .render import written_text

    yield ""
    yield "== Workbook updated =="
    yield written_text(refresh(current, previous=previous), "Summary sheet and red font on new rows")
    yield written_text(mark_validation(current, backup=False), "Validation sheet")
    # Leadership Team approves the month's workbook; the pack then says so on its first page
    import datetime as dt

    from ..writeback.signoff import sign_off

    yield written_text(sign_off(current, "Leadership Team", dt.date(2023, 11, 7), backup=False), "sign-off")


def _appendices(current: Path, previous: Path, out: Path) -> Iterator[str]:
    """The committee pack: a report for each meeting and the numbered appendices as
    Word files, as web pages, and as PDF/UA when LibreOffice is installed."""
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


def _update_round(current: Path, out: Path) -> Iterator[str]:
    """A monthly update round on the copy: a return per lead; two come back (one lead
    updates a row the programme office has corrected in the master meanwhile: a
    conflict); the merge, then the chase list."""
    import datetime as dt

    import openpyxl

    from .. import defaults as D
    from ..returns.chase import chase
    from ..returns.make import make_returns
    from ..returns.merge import merge_returns
    from ..writeback.file_target import FileTarget
    from ..xlsx.reader import read_workbook
    from .render import chase_text, merge_text

    yield ""
    yield "== Update round =="
    made = make_returns(current, out / "returns", deadline=dt.date(2023, 11, 14), force=True)
    yield f"Made {len(made.returns)} returns in {out / 'returns'} (one per Director / Lead)."
    by_lead = {r.lead: r.path for r in made.returns}
    finance, ace = by_lead["Director of Finance"], by_lead["Assistant Chief Executive"]
    first_finance = (
        openpyxl.load_workbook(finance, read_only=True)[D.RETURN_SHEET].cell(D.RETURN_HEADER_ROW + 1, 1).value
    )
    _lead_edits(finance, {0: FINANCE_EDITS.get(first_finance, FINANCE_EDITS[None])})
    _lead_edits(ace, {0: {"Progress update": "Policy drafted; consultation with MPs' offices under way."}})
    # Meanwhile the programme office corrects the same row in the master.
    first_ace = openpyxl.load_workbook(ace, read_only=True)["Return"].cell(9, 1).value
    wb = read_workbook(current, ("actions",))
    sheet = wb.sheets["actions"]
    assert sheet is not None  # the bundled sample has its Actions sheet
    row = next(i for i, r in zip(wb.actions.index, wb.actions["ref"], strict=True) if r == first_ace)
    from ..xlsx.cells import col_index

    with FileTarget(current, backup=False) as target:
        target.set_values(
            sheet.name, {(int(row), col_index(sheet.letters["progress_update"])): "Policy agreed by Cabinet."}
        )
        target.commit()
    yield f"Two returns came back (Director of Finance, Assistant Chief Executive); the master's {first_ace} was edited meanwhile."
    yield merge_text(merge_returns(current, [finance, ace], backup=False))
    yield ""
    yield chase_text(chase(current, returns=out / "returns"))


#: What the Director of Finance's return says of its first action: the sample's first
#: is the Oracle Fusion go-live; another plan's first gets the general words.
FINANCE_EDITS: dict[str | None, dict[str, object]] = {
    "CO.A1.10": {
        "Status": "Amber",
        "Exception reason": "Data migration cycle 3 running late; the go-live date is under review with the supplier.",
    },
    None: {
        "Status": "Amber",
        "Exception reason": "Resources diverted to year-end work; a recovery plan is being agreed.",
    },
}


def _lead_edits(path: Path, edits: dict[int, dict[str, object]]) -> None:
    """Fill a return as a lead would: ``{row offset: {header: value}}``."""
    import openpyxl

    from .. import defaults as D

    book = openpyxl.load_workbook(path)
    ws = book[D.RETURN_SHEET]
    headers = {c.value: c.column for c in ws[D.RETURN_HEADER_ROW]}
    for offset, values in edits.items():
        for header, value in values.items():
            ws.cell(D.RETURN_HEADER_ROW + 1 + offset, headers[header], value)
    book.save(path)
