"""The bundled workbooks in ``workbook_templates/``: the empty template, the sample
plan and its previous period, the sample's governance diagram (its Appendix 7), and
the macro-enabled copies with buttons. The template and the sample carry the xlwings
Lite buttons on a Control sheet.

``python -m ipxl.templates [DIR]`` rewrites all of them, byte for byte the same.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..excel import lite, xlsm
from ..resources import GOVERNANCE_NAME, PREVIOUS_SAMPLE_NAME, SAMPLE_NAME, TEMPLATE_NAME, workbook_templates_dir
from ..xlsx.safe_write import write_bytes
from . import sample_plan
from .governance import diagram_png
from .workbook import build_template, make_reproducible


def write_bundled(directory: str | Path | None = None) -> list[Path]:
    """Write the empty template, the two sample workbooks and the sample's governance
    diagram into ``directory``, then the macro-enabled copies with buttons (:func:`ipxl.excel.xlsm.write_bundled`), so
    one command keeps every bundled file in step.

    The default directory is the repository's ``workbook_templates/``.
    """
    directory = Path(directory) if directory is not None else workbook_templates_dir()
    written = [
        build_template(directory / TEMPLATE_NAME),
        build_template(directory / SAMPLE_NAME, sample_plan.current_plan()),
        build_template(directory / PREVIOUS_SAMPLE_NAME, sample_plan.previous_plan()),
    ]
    diagram = directory / GOVERNANCE_NAME
    data = diagram_png()
    written.append(write_bytes(diagram, data))
    # the .xlsm copies carry form buttons of their own; the .xlsx ones then get the
    # xlwings Lite buttons (a Control sheet, first)
    macro = xlsm.write_bundled(directory)
    for path in written[:2]:
        make_reproducible(lite.add_control_sheet(path))
    return written + macro


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for written in write_bundled(argv[0] if argv else None):
        print(written)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
