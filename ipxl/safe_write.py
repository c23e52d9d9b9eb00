"""Writing files without ever leaving half of one behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import OutputExists, WorkbookLocked


def copy_new(source: Path, target: Path, *, force: bool = False) -> Path:
    """Copy ``source`` to ``target`` atomically (temp file beside it, then rename).

    Refuses to replace an existing ``target`` unless ``force``.
    """
    target = Path(target)
    if target.exists() and not force:
        raise OutputExists(f"{target} already exists; choose another path or add --force to replace it.")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise WorkbookLocked(f"Cannot write to {target.parent} ({exc.strerror}); choose a folder you can write to.") from None
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
