"""Is this file an .xlsx/.xlsm package at all? One sentence when it is not."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import NotAWorkbook, WorkbookEncrypted, WorkbookNotFound


def check_file(path: Path) -> None:
    """Raise a one-sentence :class:`WorkbookUnusable` unless ``path`` looks like an
    xlsx/xlsm package. Cheap: reads the first bytes and the zip directory only."""
    if not path.exists():
        raise WorkbookNotFound(f"No file at {path}; check the path and try again.")
    if path.is_dir():
        raise NotAWorkbook(f"{path} is a folder, not a workbook; give the path of the .xlsx or .xlsm file.")
    size = path.stat().st_size
    if size == 0:
        raise NotAWorkbook(f"{path.name} is empty (0 bytes); use a saved copy of the workbook.")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE compound file: either an encrypted xlsx (Office wraps those in OLE)
        # or an old binary .xls.
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise WorkbookEncrypted(
                f"{path.name} is password-protected; remove the password in Excel "
                "(File > Info > Protect Workbook) and save it, then try again."
            )
        raise NotAWorkbook(
            f"{path.name} is an old-format .xls workbook; open it in Excel and save it as .xlsx or .xlsm."
        )
    if not head.startswith(b"PK"):
        raise NotAWorkbook(
            f"{path.name} is not an Excel workbook (it looks like {sniff(head)}); give the .xlsx or .xlsm file."
        )
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise NotAWorkbook(
            f"{path.name} is damaged (the file is not a complete Excel package); "
            "restore it from a backup or save it again from Excel."
        ) from None
    if "xl/workbook.xml" not in names:
        kind = "a Word document" if "word/document.xml" in names else "not an Excel workbook"
        raise NotAWorkbook(f"{path.name} is {kind}; give the .xlsx or .xlsm monitoring workbook.")


def short_error(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def sniff(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "a PDF"
    if head[:1] in (b"<",) or head.lstrip().startswith(b"<"):
        return "an HTML or XML file"
    try:
        head.decode("utf-8")
        return "a text or CSV file"
    except UnicodeDecodeError:
        return "some other kind of file"
