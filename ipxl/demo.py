"""``ipxl demo``: the whole job on the bundled sample plan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from . import resources
from .safe_write import copy_new


def run_demo(out: Path) -> Iterator[str]:
    """Copy the sample and its previous period into ``out`` and run each step on the
    copies, yielding one line of progress per step."""
    from .render import report_text
    from .validation import validate

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    current = copy_new(resources.sample_path(), out / resources.SAMPLE_NAME, force=True)
    previous = copy_new(resources.previous_sample_path(), out / resources.PREVIOUS_SAMPLE_NAME, force=True)
    yield f"Copied the sample plan to {current}"
    yield f"Copied its previous period to {previous}"
    yield ""
    yield "== Validation =="
    report = validate(current)
    yield report_text(report, current)
