"""Writing files without ever leaving half of one behind."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .errors import OutputExists, WorkbookLocked


def atomic_write(target: Path, write: Callable[[BinaryIO], None], *, mode_from: Path | None = None) -> Path:
    """Write ``target`` through ``write(fh)`` on a temporary file in the same folder,
    flushed to disk and renamed over ``target``: a failure at any point leaves the
    target as it was and no temporary file behind.

    The file gets the permissions of ``mode_from`` (or of the file it replaces); a
    new file gets the usual ones for this user's umask, not the owner-only mode of a
    temporary file, so colleagues on a shared drive can open it.
    """
    target = Path(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".~ipxl-{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise WorkbookLocked(
            f"Cannot write to {target.parent} ({exc.strerror}); choose a folder you can write to."
        ) from None
    try:
        with os.fdopen(fd, "w+b") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        _copy_mode(tmp, mode_from if mode_from is not None else target)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return target


def copy_new(source: Path, target: Path, *, force: bool = False) -> Path:
    """Copy ``source`` to ``target`` atomically; refuses to replace an existing
    ``target`` unless ``force``."""
    target = Path(target)
    if target.exists() and not force:
        raise OutputExists(f"{target} already exists; choose another path or add --force to replace it.")
    target.parent.mkdir(parents=True, exist_ok=True)

    def write(out: BinaryIO) -> None:
        with open(source, "rb") as src:
            shutil.copyfileobj(src, out)

    return atomic_write(target, write)


def _copy_mode(tmp: str, like: Path) -> None:
    try:
        shutil.copymode(like, tmp)
        return
    except OSError:
        pass
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (where the platform allows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
