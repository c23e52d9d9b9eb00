"""Stage 8, the command line: each command opens the workbook, calls one library
function and formats what it returns (:mod:`.render`); :mod:`.demo` runs the whole
job on the bundled sample. ``ipxl.cli:main`` is the ``ipxl`` entry point."""

from .commands import main
from .governance import audit_command, sign_off_command

main.add_command(sign_off_command)
main.add_command(audit_command)

__all__ = ["main"]
