"""The ``ipxl`` command. Each command opens the workbook, calls one library function
and formats what it returns; :mod:`ipxl.cli.render` does the formatting.

Exit codes: 0 clean (warnings allowed), 1 errors found, 2 cannot run. Heavy modules
(pandas, openpyxl, docxtpl) are imported inside the commands so ``ipxl --help`` is
instant.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from .. import __version__
from .. import defaults as D
from ..errors import IpxlError

FORMATS = click.Choice(["text", "json"])

#: --output of the commands that write the workbook.
OUTPUT = click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the result here instead of in place (in place keeps a timestamped backup).",
)


def echo(text: object = "", *, err: bool = False) -> None:
    """Print a line for the officer. Every line ipxl prints goes through here (or
    :func:`echo_json`), so text that came from a workbook's cells reaches the
    terminal with its control characters escaped (:func:`ipxl.cli.render.terminal`)."""
    from .render import terminal

    click.echo(terminal(str(text)), err=err)


def echo_json(data: object) -> None:
    """Print ``data`` as JSON, exactly what the library returned
    (:func:`ipxl.cli.render.json_text`)."""
    from .render import json_text

    click.echo(json_text(data))


def handle_errors(fn):
    """Turn an :class:`IpxlError` into its one sentence on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from ..errors import WorkbookHasErrors

        try:
            return fn(*args, **kwargs)
        except WorkbookHasErrors as exc:
            # the errors themselves, as validate lists them, then why nothing was made
            from .render import errors_text

            if exc.report is not None:
                echo(errors_text(exc.report, exc.path), err=True)
            echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except IpxlError as exc:
            echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def existing_file(_ctx, _param, value):
    return Path(value) if value is not None else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
# The version ipxl itself carries (one home, ipxl/__init__.py), not the installed
# metadata's, which an editable install leaves behind when the version moves.
@click.version_option(version=__version__, prog_name="ipxl", message="%(prog)s %(version)s")
def main():
    """ipxl: run the Improvement Plan from its Excel monitoring workbook.

    Validate the workbook, roll up RAG counts, report what changed since last
    period, mark new actions in red and build the committee appendices.
    """


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sample", is_flag=True, help="Write the sample plan instead of an empty template.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@handle_errors
def new(path: Path, sample: bool, force: bool):
    """Write a fresh monitoring workbook to PATH (the template, or --sample).

    A PATH ending in .xlsm gets the macro-enabled copy with the Validate, Refresh and
    Build appendices buttons, and the small module its buttons import."""
    from .. import resources
    from ..xlsx.safe_write import check_workbook_name, copy_new

    check_workbook_name(path)
    macro = path.suffix.lower() == ".xlsm"
    if macro:
        from ..excel import shim_path, write_shim

        source = resources.sample_xlsm_path() if sample else resources.template_xlsm_path()
        shim_path(path)  # refuses, in one sentence, a name the buttons cannot import
    else:
        source = resources.sample_path() if sample else resources.template_path()
    copy_new(source, path, force=force)
    what = "sample Improvement Plan" if sample else "empty monitoring workbook"
    echo(f"Wrote the {what} to {path}")
    if macro:
        echo(f"Wrote {write_shim(path).name} beside it for its buttons (see `ipxl excel-setup`).")
    if sample:
        prev = path.with_name(resources.PREVIOUS_SAMPLE_NAME)
        if not prev.exists() or force:
            copy_new(resources.previous_sample_path(), prev, force=True)
            echo(f"Wrote its previous period to {prev}")
        diagram = path.with_name(resources.GOVERNANCE_NAME)
        if not diagram.exists() or force:
            copy_new(resources.governance_path(), diagram, force=True)
            echo(f"Wrote its governance diagram (Appendix 7 of its pack) to {diagram}")


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@click.option(
    "--mark",
    is_flag=True,
    help="Also write a Validation sheet with a link to each cell and mark the cells in the workbook "
    "(a timestamped backup is kept; the next clean run removes the marks).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="With --mark, write the marked workbook here instead of in place.",
)
@handle_errors
def validate(workbook: Path, fmt: str, mark: bool, output: Path | None):
    """Check every sheet of WORKBOOK and list each wrong cell with its fix.

    Exit code 0 when there are no errors (warnings allowed), 1 when there are
    errors, 2 when the file cannot be used.
    """
    from ..checks.validation import validate as run
    from . import render

    if output is not None and not mark:
        raise click.UsageError("--output names where the marked workbook goes, so it needs --mark.")
    if not mark:
        report = run(workbook)
        _print_report(report, workbook, fmt)
        sys.exit(0 if report.ok else 1)

    from ..writeback import mark_validation
    from ..xlsx.package import check_file
    from ..xlsx.reader import read_workbook
    from ..xlsx.safe_write import check_writable, workbook_lock

    # Refuse a workbook open in Excel before the report, not after it; then hold the
    # lock from the read to the write, so the marks are those of the file written.
    # The package is checked once, and that check serves the read and the write.
    info = check_file(workbook)
    check_writable(output or workbook, source=workbook)
    with workbook_lock(output or workbook):
        wb = read_workbook(workbook, checked=info)
        report = run(wb)
        _print_report(report, workbook, fmt)
        result = mark_validation(workbook, report, output=output, checked=info, workbook=wb)
    echo(render.written_text(result, "Validation sheet and cell marks"), err=fmt == "json")
    sys.exit(0 if report.ok else 1)


def _print_report(report, workbook: Path, fmt: str) -> None:
    from . import render

    if fmt == "json":
        echo_json(report.to_dict())
    else:
        echo(render.report_text(report, workbook))


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def codes(fmt: str):
    """List every finding code ipxl reports, with its severity and meaning (the codes
    are stable: filter on them)."""
    from ..findings import CODES, codes_markdown
    from .render import codes_text

    if fmt == "json":
        echo_json([c.__dict__ for c in CODES])
    elif fmt == "markdown":
        echo(codes_markdown())
    else:
        echo(codes_text(CODES))


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--previous",
    type=click.Path(path_type=Path),
    default=None,
    help="Last period's workbook (default: Settings' Previous workbook). Rows absent from it are new.",
)
@OUTPUT
@handle_errors
def highlight(workbook: Path, previous: Path | None, output: Path | None):
    """Turn rows of Actions and Milestones added this period red (#C00000) and give
    last period's new rows back their own font. Nothing else in the file changes."""
    from ..writeback import highlight as run
    from . import render

    result = run(workbook, output=output, previous=previous)
    echo(render.written_text(result, "red font on new rows"))


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--previous",
    type=click.Path(path_type=Path),
    default=None,
    help="Last period's workbook for the change summary (default: Settings' Previous workbook).",
)
@OUTPUT
@click.option("--no-highlight", is_flag=True, help="Only rewrite the Summary sheet; leave fonts alone.")
@handle_errors
def refresh(workbook: Path, previous: Path | None, output: Path | None, no_highlight: bool):
    """Rewrite WORKBOOK's Summary sheet (RAG counts by theme with a chart, the change
    summary, when it was refreshed) and turn this period's new rows red."""
    from ..writeback import refresh as run
    from . import render

    result = run(workbook, output=output, previous=previous, highlight=not no_highlight)
    what = "Summary sheet" if no_highlight else "Summary sheet and red font on new rows"
    line = render.written_text(result, what)
    if not result.details.trend_periods:
        line += " No earlier period was found (Settings' Previous workbook), so there is no Trend sheet yet."
    echo(line)


@main.command("rollup")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "--by",
    type=click.Choice(["theme", "type", "lead", "review", "best-value"]),
    default=None,
    help="Group by one of these (default: theme, then type); best-value: per Best Value theme, the actions by "
    "status and confidence and the measures by state.",
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@handle_errors
def rollup_command(workbook: Path, by: str | None, fmt: str):
    """RAG counts of WORKBOOK's open actions by theme, type, lead or review, with
    percentages and the number of overdue actions; or the plan by the statutory
    guidance's Best Value themes, with its measures of impact (--by best-value)."""
    from ..analysis.rollup import rollup
    from ..xlsx.reader import read_workbook
    from . import render

    wb = read_workbook(workbook)
    result = rollup(wb)
    themes = None
    if by == "best-value":
        from ..analysis.impact import best_value

        themes = best_value(wb)
    if fmt == "json":
        groups = ("theme", "type") + ((by,) if by in ("lead", "review") else ())
        data = result.to_dict(by=groups)
        if themes is not None:
            data.update(themes.to_dict())
        echo_json(data)
    elif themes is not None:
        echo(render.best_value_text(themes, result))
    else:
        echo(render.rollup_text(result, by))
    _warn_of_errors(wb)


def _warn_of_errors(wb) -> None:
    """Figures from a workbook with errors are printed, then a warning naming each
    error, and the command exits 1: they may count a typo as what it is not."""
    from ..checks.validation import validate
    from . import render

    report = validate(wb)
    if not report.ok:
        echo(render.errors_warning(report, wb.path), err=True)
        sys.exit(1)


@main.command("changes")
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="[PREVIOUS] CURRENT")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@handle_errors
def changes_command(workbooks: tuple[Path, ...], fmt: str):
    """What changed since the previous period, in committee wording, cross-checked
    against the Changes sheet. With CURRENT alone, the previous workbook is the one
    named in CURRENT's Settings."""
    from ..analysis.changes import compare, previous_workbook
    from ..xlsx.sources import read_with_previous
    from . import render

    if len(workbooks) > 2:
        raise click.UsageError("Give at most two workbooks: PREVIOUS and CURRENT.")
    # the current workbook whole: its errors are checked as well as compared
    current, previous = read_with_previous(
        workbooks[-1],
        previous=workbooks[0] if len(workbooks) == 2 else None,
        previous_columns=D.PREVIOUS_COLUMNS,
    )
    if previous is None:
        previous = previous_workbook(current)  # says why there is none
    result = compare(previous, current)
    if fmt == "json":
        echo_json(result.to_dict())
    else:
        echo(render.changes_text(result))
    _warn_of_errors(current)


def uk_date(_ctx, _param, value):
    """A --since date typed as 31/03/2024 or 2024-03-31."""
    if value is None:
        return None
    from ..xlsx.convert import parse_text_date

    got = parse_text_date(value)
    if got is None:
        raise click.BadParameter(f"{value!r} is not a date; write it as 31/03/2024.")
    return got


@main.command("history")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH...")
@click.option("--since", callback=uk_date, default=None, metavar="DATE", help="Completions on or after DATE only.")
@click.option(
    "--rebaselines",
    type=click.IntRange(1),
    default=D.HISTORY_REBASELINES,
    show_default=True,
    help="List actions re-baselined this often.",
)
@click.option(
    "--stale",
    type=click.IntRange(1),
    default=D.HISTORY_STALE,
    show_default=True,
    help="List updates unchanged this many periods.",
)
@click.option(
    "--red",
    type=click.IntRange(2),
    default=D.HISTORY_RED,
    show_default=True,
    help="List actions Red this many periods running.",
)
@click.option("--no-follow", is_flag=True, help="Do not follow each workbook's Previous workbook back.")
@click.option(
    "--cells",
    is_flag=True,
    help="Also list every value of Actions that changed from one period to the next, with who changed it where "
    "the Audit trail says.",
)
@click.option(
    "--export",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Also write the history as tidy CSV and Parquet tables in DIR.",
)
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@handle_errors
def history_command(paths, since, rebaselines, stale, red, no_follow, cells, export, fmt):
    """The plan's history across monthly workbooks: counts per period, re-baselined
    and stale actions, persistent Reds, completions and unlogged date changes (and
    with --cells every value changed). PATH is a workbook or a folder of them; each
    workbook's Previous workbook is followed back as far as it goes."""
    from ..analysis import history as H
    from . import render

    sheets = (*D.HISTORY_SHEETS, "audit") if cells else D.HISTORY_SHEETS
    series = H.load_series(paths, follow=not no_follow, sheets=sheets)
    result = H.history(series, since=since, rebaselines=rebaselines, stale=stale, red=red)
    if cells:
        from ..analysis.cells import cell_changes

        result.cells = [c.to_dict() for c in cell_changes(series.workbooks)]
    if fmt == "json":
        echo_json(result.to_dict())
    else:
        echo(render.history_text(result))
        if cells:
            echo(render.cells_text(result.cells or []))
    if export is not None:
        written = H.export(result, export)
        echo(f"Wrote {len(written)} files to {export}.", err=fmt == "json")


@main.command("digest")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PATH...")
@click.option(
    "--since", callback=uk_date, required=True, metavar="DATE", help="The date of the last letter (31/03/2024)."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Folder for the Word file.",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@click.option(
    "--draft",
    is_flag=True,
    help="Make the digest even though the latest workbook has validation errors, marked DRAFT on every page.",
)
@handle_errors
def digest(paths, since, out, force, draft):
    """The six-monthly digest for the letter to the Secretary of State, as a Word file:
    per theme, the counts then and now and what was completed since DATE with its
    progress update, then the statutory recommendations' progress. PATH is a workbook
    (its Previous workbook chain is followed) or a folder of them."""
    from ..pack.accessibility import check_docx
    from ..pack.digest import write_digest

    paper = write_digest(paths, since, out, force=force, draft=draft)
    problems = check_docx(paper.path)
    echo(f"Wrote {paper.path}.")
    for p in problems:
        echo(f"Accessibility: {p}")
    if paper.draft:
        echo(f"Note: the digest is a draft ({paper.draft}); correct the errors for a letter to send.")
        sys.exit(1)
    if problems:
        sys.exit(1)


@main.group("returns")
def returns_group():
    """The monthly update round: a return workbook per lead, merged back."""


@returns_group.command("make")
@click.argument("plan", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder for the returns.")
@click.option("--by", type=click.Choice(["lead", "delivery-lead"]), default="lead", show_default=True,
              help="One return per Director / Lead, or per Delivery lead.")  # fmt: skip
@click.option("--deadline", callback=uk_date, default=None, metavar="DATE", help="The date returns are due back.")
@click.option("--force", is_flag=True, help="Replace returns that already exist in OUT.")
@handle_errors
def returns_make(plan: Path, out: Path, by: str, deadline, force: bool):
    """Write one return workbook per lead of PLAN into OUT: their open actions, the
    columns they may change unlocked and checked, the rest locked."""
    from ..returns.make import make_returns

    made = make_returns(plan, out, by=by.replace("-", "_"), deadline=deadline, force=force)
    rows = sum(r.rows for r in made.returns)
    echo(
        f"Wrote {len(made.returns)} returns ({rows} actions) to {out}, with {made.manifest.name if made.manifest else ''}."
    )
    if made.unassigned:
        echo(f"No lead for {len(made.unassigned)} open actions, so no return holds them: {', '.join(made.unassigned)}.")


@returns_group.command("merge")
@click.argument("plan", type=click.Path(path_type=Path))
@click.argument("returns", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="RETURN...")
@OUTPUT
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@handle_errors
def returns_merge(plan: Path, returns: tuple[Path, ...], output: Path | None, fmt: str):
    """Merge the returns (files or folders of them) into PLAN: every change checked,
    conflicts with the master and rows that are not the lead's reported, nothing else
    touched. Exit code 1 when a change was rejected."""
    from ..returns.merge import merge_returns
    from . import render

    result = merge_returns(plan, list(returns), output=output)
    if fmt == "json":
        echo_json(result.to_dict())
    else:
        echo(render.merge_text(result))
    if any(r.rejected for r in result.returns):
        sys.exit(1)


@main.command("chase")
@click.argument("plan", type=click.Path(path_type=Path))
@click.option("--returns", "returns_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The folder of returns, to say whose is in.")  # fmt: skip
@click.option(
    "--days",
    type=click.IntRange(0, D.CHASE_DAYS_MAX),
    default=D.CHASE_DAYS,
    show_default=True,
    help="Look this far ahead for actions falling due.",
)
@click.option(
    "--deadline", callback=uk_date, default=None, metavar="DATE", help="The returns' deadline, for the emails."
)
@click.option("--eml", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Also write one draft email per lead (.eml, nothing is sent) into DIR.")  # fmt: skip
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@handle_errors
def chase_command(plan: Path, returns_dir: Path | None, days: int, deadline, eml: Path | None, fmt: str):
    """Per lead: actions overdue at Period end, due within DAYS, updates unchanged since
    the previous period, and whether their return is in."""
    from ..returns.chase import chase, write_emails
    from . import render

    result = chase(plan, returns=returns_dir, days=days)
    if eml is not None:
        write_emails(result, deadline, eml)
    if fmt == "json":
        echo_json(result.to_dict())
    else:
        echo(render.chase_text(result))


PREVIOUS_FOR_PACK = click.option(
    "--previous",
    type=click.Path(path_type=Path),
    default=None,
    help="Last period's workbook, for movement and the change summary (default: Settings' Previous workbook).",
)


DRAFT = click.option(
    "--draft",
    is_flag=True,
    help="Make the papers even though the workbook has validation errors, each marked "
    "'DRAFT: the workbook has N errors' first and on every page (never for publication).",
)
MEETING = click.option(
    "--meeting",
    "meetings",
    multiple=True,
    metavar="NAME",
    help="Write the report for this meeting only (a column of the Report sheet, e.g. Cabinet); repeat for more.",
)


def _appendix_names() -> str:
    return ", ".join(k.key for k in D.APPENDIX_KINDS)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@PREVIOUS_FOR_PACK
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("appendices"),
    show_default=True,
    help="Folder for the pack.",
)
@click.option(
    "--only",
    default=None,
    metavar="NAMES",
    help="Comma-separated appendices to make, by number (1,5) or kind: "
    + _appendix_names()
    + " (default: the whole pack, with the committee reports).",
)
@click.option("--pdf", is_flag=True, help="Also make PDF/UA copies with LibreOffice, and check them.")
@click.option("--html", is_flag=True, help="Also write the pack as accessible web pages in OUT/html.")
@click.option("--force", is_flag=True, help="Replace files that already exist in OUT.")
@DRAFT
@MEETING
@handle_errors
def appendices(
    workbook: Path,
    previous: Path | None,
    out: Path,
    only: str | None,
    pdf: bool,
    html: bool,
    force: bool,
    draft: bool,
    meetings: tuple[str, ...],
):
    """Write the committee pack for WORKBOOK: the committee report for each meeting
    its Report sheet names and the numbered appendices its Appendices sheet lists, as
    Word files (and PDF, and web pages).

    Nothing is made from a workbook with validation errors (they are listed, exit
    code 1) unless --draft. Exit code 0 when the pack is complete and every file
    passes its checks, 1 when a paper could not be made, a file has a problem or the
    papers are drafts, 2 when the pack cannot be made.
    """
    from ..pack import build_pack

    pack = build_pack(
        workbook, previous, out, only=only, force=force, html=html, pdf=pdf, draft=draft, meetings=meetings or None
    )
    _finish_pack(pack, workbook)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@PREVIOUS_FOR_PACK
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("appendices"),
    show_default=True,
    help="Folder for the reports.",
)
@click.option("--pdf", is_flag=True, help="Also make PDF/UA copies with LibreOffice, and check them.")
@click.option("--html", is_flag=True, help="Also write the reports as accessible web pages in OUT/html.")
@click.option("--force", is_flag=True, help="Replace files that already exist in OUT.")
@DRAFT
@MEETING
@handle_errors
def report(
    workbook: Path,
    previous: Path | None,
    out: Path,
    pdf: bool,
    html: bool,
    force: bool,
    draft: bool,
    meetings: tuple[str, ...],
):
    """Write the committee report for WORKBOOK, one for each meeting its Report sheet
    names (Cabinet, the scrutiny board, the audit committee): the front sheet and the
    numbered sections of the council's report, in the officers' words from the
    Report sheet with the figures from the workbook (progress by theme with
    achievements and progress issues, the statutory recommendations, the risk
    register, the changes, the list of appendices).

    Nothing is made from a workbook with validation errors, or a Report sheet with a
    part left blank or to fill in (they are listed, exit code 1), unless --draft."""
    from ..pack import build_reports

    pack = build_reports(
        workbook, previous, out, force=force, pdf=pdf, html=html, draft=draft, meetings=meetings or None
    )
    _finish_pack(pack, workbook)


def _finish_pack(pack, workbook: Path) -> None:
    """Print what the pack command did and exit with its code."""
    from . import render

    echo(render.pack_text(pack, workbook))
    if pack.pdf_error:
        echo(f"Error: {pack.pdf_error}", err=True)
        sys.exit(2)
    sys.exit(0 if pack.ok and not pack.validation.get("error") and not pack.draft else 1)


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("ipxl-demo"),
    show_default=True,
    help="Folder for the copies and everything produced.",
)
@handle_errors
def demo(out: Path):
    """Run the whole job on the bundled sample plan, in OUT."""
    from .demo import run_demo

    for line in run_demo(out):
        echo(line)


@main.command("excel-setup")
@click.option(
    "--workbook",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A macro-enabled workbook to prepare: writes the module its buttons import beside it.",
)
@click.option(
    "--lite",
    is_flag=True,
    help="For xlwings Lite (the add-in; no Python or macros on the computer): write the main.py and "
    "requirements.txt to paste into it, and print the steps for the officer and for IT.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("ipxl-lite"),
    show_default=True,
    help="With --lite, the folder for main.py and requirements.txt.",
)
@click.option(
    "--wheel",
    default=None,
    metavar="URL",
    help="With --lite, install ipxl from this wheel address (a web server that allows cross-origin "
    "requests) instead of by version from the package index.",
)
@handle_errors
def excel_setup(workbook: Path | None, lite: bool, out: Path, wheel: str | None):
    """Print the one-time steps that make the workbook's buttons (Validate, Refresh,
    Build appendices) work in Excel on this computer, and do those it can."""
    if lite:
        from ..excel.lite import lite_steps, write_lite

        if workbook is not None:
            raise click.UsageError("--lite needs no --workbook: the .xlsx workbooks carry the Lite buttons already.")
        for n, step in enumerate(lite_steps(), start=1):
            echo(f"{n}. {step}")
        for path in write_lite(out, wheel):
            echo(f"Wrote {path}")
        return
    if wheel is not None:
        raise click.UsageError("--wheel is for --lite.")
    from ..excel import setup_steps, write_shim

    if workbook is not None:
        _check_macro_workbook(workbook)
    for n, step in enumerate(setup_steps(), start=1):
        echo(f"{n}. {step}")
    if workbook is not None:
        echo(f"Wrote {write_shim(workbook)}; the buttons of {workbook.name} will run ipxl.")


def _check_macro_workbook(workbook: Path) -> None:
    """excel-setup prepares the buttons of a macro-enabled workbook that exists."""
    from ..errors import WorkbookNotFound, WrongLayout

    if not workbook.is_file():
        raise WorkbookNotFound(f"No file at {workbook}; check the path and try again.")
    if workbook.suffix.lower() != ".xlsm":
        raise WrongLayout(
            f"{workbook.name} has no buttons (only a macro-enabled .xlsm workbook can); make one with "
            f"`ipxl new {workbook.with_suffix('.xlsm').name}` and copy the sheets across, or save it from "
            "Excel as an Excel Macro-Enabled Workbook."
        )


if __name__ == "__main__":  # pragma: no cover
    main()
