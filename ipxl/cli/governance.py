"""The commands of approval and the audit trail: ``ipxl sign-off`` records that
Leadership Team approved the workbook, ``ipxl audit REF`` tells one action's story.
Registered on the ``ipxl`` group by :mod:`ipxl.cli`."""

from __future__ import annotations

from pathlib import Path

import click

from .. import defaults as D
from .commands import FORMATS, OUTPUT, echo, echo_json, handle_errors, uk_date


@click.command("sign-off")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--by",
    default=None,
    metavar="WHO",
    help='Who approved it, e.g. "Leadership Team" (default: Settings\' Sign-off by).',
)
@click.option(
    "--on", "on", callback=uk_date, default=None, metavar="DATE", help="The day they approved it (default: today)."
)
@OUTPUT
@handle_errors
def sign_off_command(workbook: Path, by: str | None, on, output: Path | None):
    """Record in WORKBOOK that its content was approved: the period, who, when and a
    fingerprint of the values of its record sheets, on a protected Sign-off sheet
    (the values signed are kept in a hidden sheet beside it).

    From then on `ipxl validate` lists each value changed since, and the committee
    papers say "Approved by WHO on DATE" while nothing has, "DRAFT: changed since
    approval ..." when something has. A workbook with errors is not signed off
    (exit code 1); signing off again with nothing changed writes nothing."""
    from ..checks.signoff import day_text
    from ..writeback.signoff import sign_off

    result = sign_off(workbook, by, on, output=output)
    d = result.details.signoff
    assert d is not None  # sign_off records one or raises
    what = f"{d.period or 'the plan'} by {d.by} on {day_text(d.on)}"
    if d.already:
        echo(
            f"{result.path.name}: the sign-off of {what} is recorded already, and nothing has changed; nothing written."
        )
        return
    line = f"Recorded the sign-off of {what} in {result.path} (Sign-off sheet: {d.values_signed:,} values, "
    line += f"fingerprint {d.fingerprint[:16]})"
    echo(line + (f"; backup: {result.backup.name}." if result.backup else "."))


@click.command("audit")
@click.argument("ref")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH...")
@click.option("--no-follow", is_flag=True, help="Do not follow each workbook's Previous workbook back.")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@handle_errors
def audit_command(ref: str, paths: tuple[Path, ...], no_follow: bool, fmt: str):
    """One action's story across the monthly workbooks: what it was when first seen,
    each value that changed from one period to the next (with who, where the Audit
    trail says), and every change ipxl made to it. PATH is a workbook (its Previous
    workbook chain is followed) or a folder of them."""
    from ..analysis import history as H
    from ..analysis.cells import story
    from ..errors import NoHistory
    from . import render

    series = H.load_series(paths, follow=not no_follow, sheets=(*D.HISTORY_SHEETS, "audit"))
    if not series.workbooks:
        why = "; ".join(x.reason for x in series.left_out) or "no .xlsx or .xlsm files were given"
        raise NoHistory(f"No workbook could be placed in a series ({why}).")
    result = story(series.workbooks, ref)
    if fmt == "json":
        echo_json(result.to_dict())
    else:
        echo(render.story_text(result))
