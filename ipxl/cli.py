"""The ``ipxl`` command. Each command opens the workbook, calls one library function
and formats what it returns; :mod:`ipxl.render` does the formatting.

Exit codes: 0 clean (warnings allowed), 1 errors found, 2 cannot run. Heavy modules
(pandas, openpyxl, docxtpl) are imported inside the commands so ``ipxl --help`` is
instant.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from .errors import IpxlError

FORMATS = click.Choice(["text", "json"])


def handle_errors(fn):
    """Turn an :class:`IpxlError` into its one sentence on stderr and exit code 2."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except IpxlError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def existing_file(_ctx, _param, value):
    return Path(value) if value is not None else None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ipxl")
def main():
    """ipxl: run the Improvement Plan from its Excel monitoring workbook.

    Validate the workbook, roll up RAG counts, report what changed since last
    period, mark new actions in red and build the committee appendices.
    """


@main.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--sample", is_flag=True, help="Write the sample plan instead of an empty template.")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def new(path: Path, sample: bool, force: bool):
    """Write a fresh monitoring workbook to PATH (the template, or --sample)."""
    from . import resources
    from .safe_write import copy_new

    source = resources.sample_path() if sample else resources.template_path()
    try:
        copy_new(source, path, force=force)
    except IpxlError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    what = "sample Improvement Plan" if sample else "empty monitoring workbook"
    click.echo(f"Wrote the {what} to {path}")
    if sample:
        prev = path.with_name(resources.PREVIOUS_SAMPLE_NAME)
        if not prev.exists() or force:
            copy_new(resources.previous_sample_path(), prev, force=True)
            click.echo(f"Wrote its previous period to {prev}")


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="Output format.")
@handle_errors
def validate(workbook: Path, fmt: str):
    """Check every sheet of WORKBOOK and list each wrong cell with its fix.

    Exit code 0 when there are no errors (warnings allowed), 1 when there are
    errors, 2 when the file cannot be used.
    """
    from . import render
    from .validation import validate as run

    report = run(workbook)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(render.report_text(report, workbook))
    sys.exit(0 if report.ok else 1)


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
        click.echo(line)


if __name__ == "__main__":  # pragma: no cover
    main()
