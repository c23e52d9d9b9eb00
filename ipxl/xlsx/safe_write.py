"""Writing files without ever leaving half of one behind, or losing a rival's edit.

Every file ipxl writes goes to a temporary file in the target's folder, is flushed to
disk and renamed over the target (:func:`atomic_write`), so a crash at any moment
leaves either the old file or the new one under the good name, never half of one.
Writes to a workbook also hold ipxl's lock on it for the whole read-modify-write
(:func:`workbook_lock`): a second ipxl run waits for the first, then works on its
result, instead of both reading the same file and the later one silently undoing the
earlier. Before the rename the workbook is checked to still be byte for byte what was
read (:func:`fingerprint`), so a change made by anything else meanwhile is refused,
not overwritten. Temporary files a killed run left behind are removed by the next run
that holds the lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .. import defaults as D
from ..errors import NotAWorkbook, OutputExists, WorkbookBusy, WorkbookChanged, WorkbookLocked

#: Temporary files start with this, then the target's name, then mkstemp's 8 random
#: characters and TEMP_SUFFIX.
TEMP_PREFIX = ".~ipxl-"
TEMP_SUFFIX = ".tmp"
#: What a workbook's name must end with (case-insensitive).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


# ---------------------------------------------------------------------- file names


def fit_name(name: str, room: int = D.NAME_MAX, *, keep_suffix: str = "") -> str:
    """``name`` shortened (at a character boundary, before ``keep_suffix``) so that
    it takes at most ``room`` bytes in UTF-8, the limit file systems put on a name."""
    if len(name.encode("utf-8")) <= room:
        return name
    stem = name[: len(name) - len(keep_suffix)] if keep_suffix and name.endswith(keep_suffix) else name
    tail = keep_suffix if keep_suffix and name.endswith(keep_suffix) else ""
    budget = room - len(tail.encode("utf-8"))
    out = stem.encode("utf-8")[: max(budget, 0)].decode("utf-8", "ignore")
    return out + tail


def temp_prefix(target: Path) -> str:
    """The prefix of the temporary files ipxl writes ``target`` through."""
    return fit_name(TEMP_PREFIX + target.name + ".", D.NAME_MAX - 8 - len(TEMP_SUFFIX))


def exists(path: Path) -> bool:
    """``path.exists()``, but False (not an OSError) for a name too long to exist."""
    try:
        return path.exists()
    except OSError:
        return False


def real_path(path: str | Path) -> Path:
    """The file a path names, through any symbolic links: writes go to the real file,
    so a linked workbook is updated rather than replaced by a plain copy."""
    return Path(os.path.realpath(path))


def check_workbook_name(path: Path, *, what: str = "A workbook") -> None:
    """Refuse a name Excel would not open as a workbook (``plan.txt``)."""
    if path.suffix.lower() not in WORKBOOK_SUFFIXES:
        stem = path.stem if path.suffix else path.name
        raise WorkbookLocked(
            f"{what} must be named .xlsx (or .xlsm, for one with buttons), not {path.name!r}; try {stem}.xlsx."
        )


def check_output_name(source: Path, output: Path) -> None:
    """A copy of ``source`` must keep its kind: Excel refuses an .xlsm saved as .xlsx."""
    check_workbook_name(output, what="The output workbook")
    if output.suffix.lower() != source.suffix.lower():
        raise WorkbookLocked(
            f"{source.name} is {source.suffix.lower()}, so its copy must be too (Excel will not open "
            f"{output.name}); use {output.with_suffix(source.suffix.lower()).name}."
        )


# ------------------------------------------------------------------- atomic writes


def atomic_write(
    target: Path,
    write: Callable[[BinaryIO], object],
    *,
    mode_from: Path | None = None,
    before_replace: Callable[[], None] | None = None,
    temp_for: Path | None = None,
) -> Path:
    """Write ``target`` through ``write(fh)`` on a temporary file in the same folder,
    flushed to disk and renamed over ``target``: a failure at any point leaves the
    target as it was and no temporary file behind.

    ``before_replace`` runs just before the rename and may refuse it by raising.
    The temporary file is named after ``temp_for`` (default ``target``), so all of a
    workbook's temporary files, backups' included, are found by one name. The file
    gets the permissions of ``mode_from`` (or of the file it replaces); a new file gets
    the usual ones for this user's umask, not the owner-only mode of a temporary file,
    so colleagues on a shared drive can open it.
    """
    target = Path(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(temp_for or target), suffix=TEMP_SUFFIX, dir=target.parent)
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
        if before_replace is not None:
            before_replace()
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return target


def write_bytes(target: Path, data: bytes) -> Path:
    """:func:`atomic_write` of ``data``, for output already in memory."""
    return atomic_write(Path(target), lambda fh: fh.write(data))


def copy_new(source: Path, target: Path, *, force: bool = False) -> Path:
    """Copy ``source`` to ``target`` atomically; refuses to replace an existing
    ``target`` unless ``force``."""
    target = Path(target)
    if exists(target) and not force:
        raise OutputExists(f"{target} already exists; choose another path or add --force to replace it.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookLocked(
            f"Cannot create the folder {target.parent} ({exc.strerror}); choose a folder you can write to."
        ) from None

    def write(out: BinaryIO) -> None:
        with open(source, "rb") as src:
            shutil.copyfileobj(src, out)

    if target.suffix.lower() in WORKBOOK_SUFFIXES:
        check_writable(target)
        with workbook_lock(target):
            return atomic_write(real_path(target), write)
    return atomic_write(target, write)


def write_backup(path: Path, now: dt.datetime | None = None) -> Path:
    """Keep a backup of the workbook at ``path`` beside it (see :func:`backup_path`)
    and return its path.

    The backup is a hard link to the file as it is, which is instant and atomic (the
    workbook is then replaced by a new file, so the link keeps the old bytes). Where
    the file system has no hard links, it is a copy written like any other file:
    to a temporary file renamed into place, so a crash never leaves a truncated file
    with a backup's name.
    """
    backup = backup_path(path, now)
    try:
        os.link(path, backup)
        return backup
    except OSError:
        pass

    def write(out: BinaryIO) -> None:
        with open(path, "rb") as src:
            shutil.copyfileobj(src, out, 1 << 20)

    atomic_write(backup, write, mode_from=path, temp_for=path)
    try:
        shutil.copystat(path, backup)
    except OSError:
        pass
    return backup


def backup_path(path: Path, now: dt.datetime | None = None) -> Path:
    """``<stem>.backup-YYYYmmdd-HHMMSS<suffix>`` beside ``path``, never an existing
    file; a long stem is shortened so the name fits the file system's limit."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")

    def named(n: int) -> Path:
        tail = f".backup-{stamp}{'' if n == 1 else f'-{n}'}{path.suffix}"
        stem = fit_name(path.stem, D.NAME_MAX - len(tail.encode("utf-8")))
        return path.with_name(stem + tail)

    n = 1
    while exists(named(n)):
        n += 1
    return named(n)


#: What :func:`backup_path` names a backup (shortened stems included).
_BACKUP_NAME = re.compile(r"\.backup-\d{8}-\d{6}(-\d+)?\.[^.]+$")


def is_backup(path: Path) -> bool:
    """Whether ``path`` is named as :func:`backup_path` names ipxl's backups."""
    return _BACKUP_NAME.search(Path(path).name) is not None


def workbook_files(folder: Path) -> list[Path]:
    """The workbooks in ``folder``, by name: its .xlsx and .xlsm files, leaving out
    Excel's owner files (``~$plan.xlsx``), hidden files (ipxl's locks and temporary
    files among them) and ipxl's backups, which repeat their workbook."""
    return sorted(
        f
        for f in Path(folder).iterdir()
        if f.is_file()
        and f.suffix.lower() in (".xlsx", ".xlsm")
        and not f.name.startswith(("~$", "."))
        and not is_backup(f)
    )


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


# ---------------------------------------------------------- the lock and the check


def lock_path(path: Path) -> Path:
    """ipxl's lock file for the workbook at ``path``: beside the real file, hidden,
    and there only while a run holds it."""
    real = real_path(path)
    return real.with_name(fit_name(f".{real.name}.ipxl-lock", keep_suffix=".ipxl-lock"))


_held: dict[tuple[int, str], list] = {}
_held_guard = threading.Lock()


@contextmanager
def workbook_lock(path: str | Path, *, wait: float = D.LOCK_WAIT) -> Iterator[Path]:
    """Hold ipxl's exclusive lock on the workbook at ``path`` (its real file); yields
    that real path. Reentrant within one thread, so an operation that writes twice
    (or a command that reads, then writes) holds it once from start to end.

    The lock is the operating system's lock on a lock file (``filelock``: ``flock``
    on Linux and macOS, ``LockFileEx`` on Windows, both of which work on network
    drives), so the system releases it when a run is killed: a stale lock never
    blocks the next run (a killed run's empty lock file stays until the next run
    takes and removes it). A run that cannot get the lock within ``wait`` seconds is
    refused with a sentence saying another ipxl run is writing the workbook.
    """
    real = real_path(path)
    key = (threading.get_ident(), os.path.normcase(str(real)))
    with _held_guard:
        held = _held.get(key)
        if held is not None:
            held[1] += 1
    if held is not None:
        try:
            yield real
        finally:
            with _held_guard:
                held[1] -= 1
        return
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(real)), timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise WorkbookBusy(
            f"Another ipxl run is writing {real.name} (it holds {lock_path(real).name}); wait for it to finish "
            "and try again."
        ) from None
    except OSError as exc:
        raise WorkbookLocked(
            f"Cannot write to {real.parent} ({exc.strerror or exc}); choose a folder you can write to."
        ) from None
    _hide(lock_path(real))
    with _held_guard:
        _held[key] = [lock, 1]
    try:
        remove_orphans(real)
        yield real
    finally:
        with _held_guard:
            _held.pop(key, None)
        # Removed while still held: a run waiting on this file then finds it gone
        # once it gets the lock, and filelock (4.x) makes it retry on a fresh file,
        # so two runs never hold two locks.
        with contextlib.suppress(OSError):
            os.unlink(lock_path(real))
        with contextlib.suppress(OSError):
            lock.release()


def remove_orphans(target: Path) -> list[Path]:
    """Remove the temporary files a killed ipxl run left beside ``target`` (named by
    :func:`temp_prefix`); call only while holding :func:`workbook_lock`, when no other
    run can be writing them. Returns what was removed."""
    prefix = temp_prefix(target)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        if entry.name.startswith(prefix) and entry.name.endswith(TEMP_SUFFIX) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


def _hide(path: Path) -> None:
    """On Windows, a dot does not hide a file; set its hidden attribute."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        ctypes.windll.kernel32.SetFileAttributesW(str(path), 0x02)


def fingerprint(path: Path) -> tuple[int, str]:
    """The size and SHA-256 of the file at ``path``: what a write compares, just
    before its rename, with what it read."""
    h = hashlib.sha256()
    size = 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
                size += len(chunk)
    except OSError:
        return (-1, "")
    return size, h.hexdigest()


def check_unchanged(path: Path, seen: tuple[int, str]) -> None:
    """Raise :class:`WorkbookChanged` unless the file at ``path`` is still byte for
    byte the one whose :func:`fingerprint` was ``seen``."""
    try:
        size = os.stat(path).st_size
    except OSError:
        size = -1
    if size != seen[0] or fingerprint(path) != seen:
        raise WorkbookChanged(
            f"{Path(path).name} changed while ipxl was working on it (another program saved it), so ipxl "
            "wrote nothing; run it again."
        )


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
    open in Excel or LibreOffice, or when the file or its folder cannot be written."""
    target = Path(target)
    seen = {target, Path(source) if source else target}
    for p in list(seen):
        seen.add(real_path(p))  # the link's owner file or the real file's
    for p in sorted(seen):
        for owner in owner_files(p):
            if exists(owner):
                raise WorkbookLocked(
                    f"{p.name} is open in Excel (its owner file {owner.name} is beside it); close it in Excel "
                    "and try again (if it is not open anywhere, delete that file)."
                )
        office = p.with_name(f".~lock.{p.name}#")
        if exists(office):
            raise WorkbookLocked(
                f"{p.name} is open in LibreOffice (its lock file {office.name} is beside it); close it and try "
                "again (if it is not open anywhere, delete that file)."
            )
    real = real_path(target)
    folder = real.parent if str(real.parent) else Path(".")
    if not folder.is_dir():
        raise WorkbookLocked(f"The folder {folder} does not exist; create it or choose another output path.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise WorkbookLocked(
            f"The folder {folder} cannot be written to; choose a folder you can write to or give --output."
        )
    if exists(real) and not os.access(real, os.W_OK):
        raise WorkbookLocked(f"{target.name} is read-only; make it writable or write a copy with --output.")
    if len(real.name.encode("utf-8")) > D.NAME_MAX:
        raise NotAWorkbook(f"The name {real.name[:40]}... is too long for a file; choose a shorter one.")


def make_folder(folder: Path, option: str = "--out") -> None:
    """Create ``folder`` (and its parents) for output, or raise the one sentence that
    says why not and which option chooses another."""
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkbookLocked(
            f"Cannot create the folder {folder} ({exc.strerror or type(exc).__name__}); choose another {option} folder."
        ) from None
