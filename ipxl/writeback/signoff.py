"""``ipxl sign-off``: record in the workbook that Leadership Team approved it.

A sign-off adds a row to the **Sign-off** sheet (the period, who approved it, the
date they did, when ipxl recorded it, how many values were signed and the content's
fingerprint, :mod:`ipxl.checks.signoff`) and rewrites the very hidden sheet
``_ipxl_signoff`` with the values signed, as text in ordinary cells, which survive
Excel, LibreOffice and openpyxl saves as the returns' record does. Both sheets are
ipxl's own (protected without a password); nothing else in the workbook changes.

A workbook with validation errors is not signed off: what Leadership Team approves
is what the committee will read. Signing off again with nothing changed (the same
period, approver, date and content) writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from ..checks.signoff import content, day_text, fingerprint, values_signed
from ..dates import uk
from ..errors import SignOffRefused, WorkbookHasErrors
from ..xlsx.model import SignOffEntry, Workbook
from ..xlsx.records import signed_rows
from .operations import _opened, _read, own_sheet_name
from .plans import SheetContent, check_ours, stamp
from .target import Done, SignedOff, WorkbookTarget, WritebackResult

SIGNOFF_NOTE = (
    "Each row is a sign-off: the period approved, who approved it and when. ipxl compares the plan with the "
    "latest (ipxl validate lists each value changed since; the papers say DRAFT until it is approved again). "
    "Written by ipxl (protected against slips): do not edit."
)


def plan_signoff(wb: Workbook, entries: list[SignOffEntry]) -> SheetContent:
    """The Sign-off sheet holding ``entries``, the latest last."""
    from .. import defaults as D

    s = wb.settings
    title = f"{s.plan_title or 'Improvement Plan'} sign-off"
    rows: list[list[object]] = [[f"{s.council}: {title}" if s.council else title], [SIGNOFF_NOTE], [],
                                list(D.SIGNOFF_HEADERS)]  # fmt: skip
    rows += [[e.period or None, e.by, day_text(e.on) if e.on else None, e.recorded, e.values, e.fingerprint]
             for e in entries]  # fmt: skip
    return SheetContent(rows, roles={0: "title", 3: "header"}, widths=(18, 26, 18, 22, 14, 70), freeze_row=4, text=True)


def signoff_target(
    target: WorkbookTarget, wb: Workbook, by: str | None, on: dt.date | None, now: dt.datetime
) -> SignedOff:
    """Record the sign-off of ``wb`` (read whole) on ``target``, a file or a workbook
    open in Excel: ``by`` (default: Settings' Sign-off by) on ``on`` (default: the day
    of ``now``). Refuses a workbook with errors (:class:`~ipxl.errors.WorkbookHasErrors`),
    and no approver, a date to come or a sheet of the name ipxl did not write
    (:class:`~ipxl.errors.SignOffRefused`). Returns what was recorded."""
    from ..checks.validation import validate

    who = " ".join((by or wb.settings.signoff_by or "").split())
    if not who:
        raise SignOffRefused(
            f"Say who approved {wb.path.name}: put who signs off in Settings' Sign-off by (Leadership Team), or "
            "give it with --by on the command line."
        )
    on = on or now.date()
    if on > now.date():
        raise SignOffRefused(
            f"{uk(on)} is still to come; give the date {who} approved the plan (--on), today or before."
        )
    check_ours(wb, "signoff")
    report = validate(wb, today=now.date())
    errors = report.counts["error"]
    if errors:
        raise WorkbookHasErrors.because(
            report,
            wb.path,
            f"its sign-off was not recorded: what {who} approves is what committee will read, and a paper must "
            "not carry them",
            "sign off again",
        )
    tables = content(wb)
    fp = fingerprint(tables)
    signed = SignedOff(wb.settings.period, who, on, values_signed(tables), fp)
    entry = SignOffEntry(signed.period, who, on, stamp(now), signed.values_signed, fp, 0)
    earlier = list(wb.signoff.entries) if wb.signoff is not None else []
    last = earlier[-1] if earlier else None
    if (
        last is not None
        and (last.period, last.by, last.on, last.fingerprint) == (entry.period, who, on, fp)
        and wb.signoff is not None
        and wb.signoff.problem is None
    ):
        return replace(signed, already=True)  # signed off already, as it is: nothing to write
    target.write_sheet(own_sheet_name(target, "signoff"), plan_signoff(wb, [*earlier, entry]))
    target.write_sheet(
        own_sheet_name(target, "signed"), SheetContent(signed_rows(tables, fp, entry), state="veryHidden", text=True)
    )
    return signed


def sign_off(
    path: str | Path,
    by: str | None = None,
    on: dt.date | None = None,
    *,
    output: str | Path | None = None,
    target: WorkbookTarget | None = None,
    backup: bool = True,
    now: dt.datetime | None = None,
) -> WritebackResult:
    """Record that ``by`` (default: Settings' Sign-off by) approved the workbook at
    ``path`` on ``on`` (default: today), with the fingerprint of its content and the
    values signed (see :func:`signoff_target`). Writes in place with a timestamped
    backup, or to ``output``; holds the workbook's lock from the read to the write.

    >>> import shutil, tempfile, datetime
    >>> from ipxl import resources
    >>> with tempfile.TemporaryDirectory() as d:
    ...     plan = shutil.copy(resources.sample_path(), d)
    ...     done = sign_off(plan, "Leadership Team", datetime.date(2023, 11, 7), backup=False)
    ...     done.details.signoff.by, done.details.signoff.on
    ('Leadership Team', datetime.date(2023, 11, 7))
    """
    now = now or dt.datetime.now()
    with _opened(path, output, target, backup, now) as own:
        wb = _read(path, None, own)
        signed = signoff_target(own, wb, by, on, now)
        saved = own.commit()
    return WritebackResult(saved, Done(signoff=signed))
