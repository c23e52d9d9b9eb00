"""Stage 8, the command line: each command opens the workbook, calls one library
function and formats what it returns (:mod:`.render`); :mod:`.demo` runs the whole
job on the bundled sample. ``ipxl.cli:main`` is the ``ipxl`` entry point."""

from .commands import main

__all__ = ["main"]
