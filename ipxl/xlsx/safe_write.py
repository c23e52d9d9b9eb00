"""Writing files without ever leaving half of one behind."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ..errors import OutputExists, WorkbookLocked


def atomic_write(target: Path, write: Callable[[BinaryIO], object], *, mode_from: Path | None = None) -> Path:
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


def write_fixed_zip(target: Path, parts: list[tuple[str, bytes]]) -> Path:
    """Write ``parts`` (name, bytes) as a zip whose entries carry a fixed timestamp, so
    building a bundled workbook twice gives identical bytes; written atomically."""

    def write(fh) -> None:
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zout:
            for name, data in parts:
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o600 << 16
                zout.writestr(info, data)

    return atomic_write(Path(target), write)


# ------------------------------------------------------------------ open in Excel?


def owner_files(path: Path) -> list[Path]:
    """The ``~$`` owner files Excel keeps beside a workbook it has open.

    Excel writes ``~$`` + the file name, but for long names it drops the first two
    characters of the name (so the owner file name is no longer than the original);
    both spellings are checked.
    """
    path = Path(path)
    names = {"~$" + path.name}
    if len(path.name) > 2:
        names.add("~$" + path.name[2:])
    return [path.with_name(n) for n in sorted(names)]


def check_writable(target: Path, *, source: Path | None = None) -> None:
    """Raise :class:`WorkbookLocked` when ``target`` (or the ``source`` it replaces) is
    open in Excel, or when the file or its folder cannot be written."""
    target = Path(target)
    for p in {target, Path(source) if source else target}:
        for owner in owner_files(p):
            if owner.exists():
                raise WorkbookLocked(
                    f"{p.name} is open in Excel (its owner file {owner.name} is beside it); "
                    "close it in Excel and try again."
                )
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise WorkbookLocked(f"The folder {folder} does not exist; create it or choose another output path.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise WorkbookLocked(
            f"The folder {folder} cannot be written to; choose a folder you can write to or give --output."
        )
    if target.exists() and not os.access(target, os.W_OK):
        raise WorkbookLocked(f"{target.name} is read-only; make it writable or write a copy with --output.")


def backup_path(path: Path, now: dt.datetime | None = None) -> Path:
    """``<stem>.backup-YYYYmmdd-HHMMSS<suffix>`` beside ``path``, never an existing file."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}.backup-{stamp}-{n}{path.suffix}")
    return candidate
