"""Is this file a usable .xlsx/.xlsm package? One check every command shares.

Every command, reading or writing, asks :func:`open_package` first, so a file gets
the same verdict whichever command meets it: one plain sentence, exit code 2, for a
file that is missing, a folder, empty, password-protected, an old .xls, not a zip, a
Word document, damaged (a part missing from its own index, two parts of one name, no
``[Content_Types].xml``), a zip bomb (parts that would inflate beyond what a real
workbook needs), or whose core XML parts are not what Excel writes (not well-formed,
a DTD, characters XML does not allow).

:func:`scan_sheet` then reads a worksheet part once as a stream, before any reader
builds a grid from it: how far its cells reach (so one stray cell at XFD1048576 never
makes a dense reader allocate by the sheet's extent), which cells hold an Excel error
value (``#REF!``: named as such, not read as blank), and whether it holds characters
XML does not allow (Excel calls such a file damaged).
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import defaults as D
from ..errors import NotAWorkbook, WorkbookEncrypted, WorkbookNotFound

#: What ipxl will inflate: a 100,000-action workbook (far more than any council's
#: plan) has an 81 MB Actions part and 103 MB in all, compressed 9 to 13 times; the
#: caps leave room for that and keep any command well under 1 GB of memory.
MAX_PART = 256 * 2**20
MAX_TOTAL = 512 * 2**20
#: Larger than this, a part must not claim to inflate more than MAX_RATIO times.
RATIO_FLOOR = 8 * 2**20
MAX_RATIO = 200
#: Parts up to this size are read and parsed whole by the package check.
SMALL_PART = 4 * 2**20
#: How much of an OLE file is searched for the mark of an encrypted workbook.
OLE_SEARCH = 64 * 2**20

MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 13))


@dataclass
class PackageInfo:
    """A package that passed the check: its zip index and where its sheets are."""

    path: Path
    infos: dict[str, zipfile.ZipInfo]
    #: sheet name -> worksheet part, in workbook order (chart sheets left out)
    sheets: dict[str, str] = field(default_factory=dict)
    shared_strings: str | None = None
    styles: str | None = None


def check_file(path: Path, checked: PackageInfo | None = None) -> PackageInfo:
    """Raise a one-sentence :class:`~ipxl.errors.WorkbookUnusable` unless ``path`` is a
    usable xlsx/xlsm package; return its index. Reads the first bytes, the zip index
    and the small core parts (content types, workbook, relationships, styles).

    ``checked``, this file's check already made by the caller (a write-back that
    holds the workbook's lock from its check to its save), is returned as it is, so
    one command checks each file once."""
    path = Path(path)
    if checked is not None and Path(checked.path) == path:
        return checked
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
            # An OLE compound file: an encrypted xlsx (Office wraps those in OLE) or
            # an old binary .xls.
            fh.seek(0)
            if "EncryptedPackage".encode("utf-16-le") in fh.read(OLE_SEARCH):
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
    damaged = (
        f"{path.name} is damaged (the file is not a complete Excel package); "
        "restore it from a backup or save it again from Excel."
    )
    try:
        with zipfile.ZipFile(path) as zf:
            entries = zf.infolist()
            names = [i.filename for i in entries]
            infos = {i.filename: i for i in entries}
            if "xl/workbook.xml" not in infos:
                kind = "a Word document" if "word/document.xml" in infos else "not an Excel workbook"
                raise NotAWorkbook(f"{path.name} is {kind}; give the .xlsx or .xlsm monitoring workbook.")
            _check_index(path, names, entries)
            info = PackageInfo(path, infos)
            _core_parts(zf, info)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
        # RuntimeError: a part zipfile will not open (encrypted zip entries)
        raise NotAWorkbook(damaged) from None
    return info


def _check_index(path: Path, names: list[str], entries: list[zipfile.ZipInfo]) -> None:
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})[0]
        raise NotAWorkbook(
            f"{path.name} is damaged: it holds two parts called {twice}; open it in Excel, let Excel repair it, "
            "and save it again."
        )
    if "[Content_Types].xml" not in names:
        raise NotAWorkbook(
            f"{path.name} is damaged: it has no [Content_Types].xml, which every Excel file has; open it in "
            "Excel, let Excel repair it, and save it again."
        )
    total = 0
    for e in entries:
        total += e.file_size
        too_big = e.file_size > MAX_PART
        too_dense = e.file_size > RATIO_FLOOR and e.file_size > MAX_RATIO * max(e.compress_size, 1)
        if too_big or too_dense or total > MAX_TOTAL:
            raise NotAWorkbook(
                f"{path.name} would inflate to more than a monitoring workbook ever needs ({e.filename} alone "
                f"to {e.file_size // 2**20:,} MB), so ipxl will not open it; if it is a real workbook, open it "
                "in Excel and save it again."
            )


def _core_parts(zf: zipfile.ZipFile, info: PackageInfo) -> None:
    """Parse the small parts every command relies on, and find the sheets' parts."""
    from lxml import etree

    def parse(name: str):
        data = _read_capped(zf, info.infos[name])
        check_xml(info.path, name, data)
        try:
            return etree.fromstring(data, safe_parser())
        except etree.XMLSyntaxError:
            raise NotAWorkbook(_not_xml(info.path, name)) from None

    types = parse("[Content_Types].xml")
    workbook = parse("xl/workbook.xml")
    rels_name = "xl/_rels/workbook.xml.rels"
    targets: dict[str, tuple[str, str]] = {}
    if rels_name in info.infos:
        for rel in parse(rels_name):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External" or not target:
                continue
            part = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            targets[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], part)
    r_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    for sheet in workbook.iter("{*}sheet"):
        kind, part = targets.get(sheet.get(r_id, ""), ("", ""))
        if kind == "worksheet":
            if part not in info.infos:
                # Excel would refuse the file; a step that reads other sheets must
                # not copy the hole into a file it writes.
                raise NotAWorkbook(
                    f"{info.path.name} is damaged: its sheet {sheet.get('name', '')!r} has no contents in the "
                    "file; restore the workbook from a backup, or open it in Excel, let Excel repair it, and "
                    "save it again."
                )
            info.sheets[sheet.get("name", "")] = part
    for kind, part in targets.values():
        if kind == "sharedStrings" and part in info.infos:
            info.shared_strings = part
        elif kind == "styles" and part in info.infos:
            info.styles = part
            parse(part)
    _check_content_types(info, types)
    if info.shared_strings is not None:
        # Every reader loads the shared strings whole: check them as a stream first
        # (sizes as declared, characters XML allows), so no reader meets a lie.
        _stream_check(zf, info.path, info.shared_strings)
    # Every other small part is read once (its checksum is checked) and, when XML,
    # parsed, so a damaged part nobody reads is found now rather than copied into a
    # file that Excel or openpyxl then refuses. Large parts are sheets, streamed by
    # scan_sheet when read and parsed when edited.
    done = {"[Content_Types].xml", "xl/workbook.xml", rels_name, info.styles, info.shared_strings}
    sheet_parts = set(info.sheets.values())
    for name, entry in info.infos.items():
        if name in done or name.endswith("/") or entry.file_size > SMALL_PART:
            continue
        data = _read_capped(zf, entry)
        if name in sheet_parts and _BAD_INDEX.search(data):
            raise NotAWorkbook(_bad_index(info.path, name))
        if name.endswith((".xml", ".rels")):
            check_xml(info.path, name, data)
            try:
                etree.fromstring(data, safe_parser())
            except etree.XMLSyntaxError:
                raise NotAWorkbook(_not_xml(info.path, name)) from None


#: What [Content_Types].xml must call each part Excel (and openpyxl) looks for by type.
_PART_TYPES = {
    "workbook": (
        "sheet.main+xml",
        "sheet.macroEnabled.main+xml",
        "template.main+xml",
        "template.macroEnabled.main+xml",
    ),
    "worksheet": ("worksheet+xml",),
    "sharedStrings": ("sharedStrings+xml",),
    "styles": ("styles+xml",),
}


def _check_content_types(info: PackageInfo, types) -> None:
    """Refuse a package whose [Content_Types].xml does not give the workbook, its
    sheets, shared strings and styles their types: ipxl reads such a file, but Excel
    repairs it and openpyxl refuses it, so a copy ipxl wrote would be refused too."""
    overrides: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for el in types:
        if not isinstance(el.tag, str):
            continue
        if el.tag.endswith("Override"):
            overrides[el.get("PartName", "").lstrip("/")] = el.get("ContentType", "")
        elif el.tag.endswith("Default"):
            defaults[el.get("Extension", "").lower()] = el.get("ContentType", "")
    wanted = [("xl/workbook.xml", "workbook")]
    wanted += [(part, "worksheet") for part in info.sheets.values()]
    wanted += [(part, kind) for part, kind in ((info.shared_strings, "sharedStrings"), (info.styles, "styles")) if part]
    for part, kind in wanted:
        got = overrides.get(part) or defaults.get(part.rsplit(".", 1)[-1].lower(), "")
        if not got.endswith(_PART_TYPES[kind]):
            raise NotAWorkbook(
                f"{info.path.name} is damaged: its list of parts ([Content_Types].xml) does not say what {part} is; "
                "open it in Excel, let Excel repair it, and save it again."
            )


def _stream_check(zf: zipfile.ZipFile, path: Path, part: str) -> None:
    """The shared strings as a stream: sizes as declared, no DTD, characters XML
    allows, and well-formed: parsed as they stream by expat with no callbacks, at C
    speed and a chunk's memory (the DTD is refused before any parsing)."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    first = True
    try:
        with zf.open(part) as fh:
            while chunk := fh.read(_CHUNK):
                if first:
                    check_xml(path, part, chunk[:4096])
                    first = False
                if len(chunk.translate(None, _CONTROL)) != len(chunk):
                    raise NotAWorkbook(_control(path, part))
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError:
        raise NotAWorkbook(_not_xml(path, part)) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        raise NotAWorkbook(_damaged_part(path, part)) from None


def check_xml(path: Path, name: str, data: bytes) -> None:
    """Refuse a part Excel would not write: a DTD (entities ipxl would carry into a
    file others then refuse), or characters XML does not allow."""
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise NotAWorkbook(
            f"Part {name} of {path.name} declares a DTD, which Excel never writes; open the workbook in Excel "
            "and save it again."
        )
    if len(data.translate(None, _CONTROL)) != len(data):
        raise NotAWorkbook(_control(path, name))


def _control(path: Path, name: str) -> str:
    return (
        f"{path.name} holds characters XML does not allow (in {name}), which Excel reports as damaged; "
        "open it in Excel, let Excel repair it, and save it again."
    )


def _not_xml(path: Path, name: str) -> str:
    return (
        f"Part {name} of {path.name} is not well-formed XML; open the workbook in Excel and save it again, "
        "or restore it from a backup."
    )


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    # zipfile never yields more than the index declares, and checks the CRC at the end,
    # so a part that lies about its size fails here rather than filling memory.
    try:
        with zf.open(info) as fh:
            return fh.read()
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        raise NotAWorkbook(_damaged_part(Path(zf.filename or ""), info.filename)) from None


def _bad_index(path: Path, part: str) -> str:
    return (
        f"Part {part} of {path.name} is damaged (a cell points at text that is not there); open the workbook in "
        "Excel, let Excel repair it, and save it again."
    )


def _damaged_part(path: Path, part: str) -> str:
    return (
        f"Part {part} of {path.name} is damaged; restore the workbook from a backup or open it in Excel and "
        "save it again."
    )


@functools.cache
def safe_parser():
    """The lxml parser every part of a workbook is parsed with: no entities, no DTD,
    nothing fetched from the network; large parts allowed (a 100,000-row sheet)."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


# ------------------------------------------------------------------------ sheet scan


@dataclass
class SheetScan:
    """What one streamed pass over a worksheet part found."""

    #: last row and column (1-based) any cell element names
    max_row: int = 0
    max_col: int = 0
    #: A1 cell -> Excel error value (``#REF!``) of cells holding one
    errors: dict[str, str] = field(default_factory=dict)
    #: some cell holds a negative number: a dense reader reads one in a date format
    #: as a time of day (or panics), so the sheet is read cell by cell instead
    negative: bool = False

    @property
    def extent(self) -> int:
        return self.max_row * self.max_col


_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{2,3})(\d+)"')
_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
#: A shared-string or TRUE/FALSE cell whose value is not a whole number: Excel calls
#: the file damaged (and openpyxl cannot open it).
_BAD_INDEX = re.compile(rb't="[sb]"[^>]*><v>\s*\d*[^\d<\s]')
_CHUNK = 4 * 2**20


def scan_sheet(path: Path, zf: zipfile.ZipFile, part: str) -> SheetScan:
    """Stream the worksheet ``part`` once: its extent, its error cells, and a refusal
    (one sentence) when it holds characters XML does not allow or is damaged."""
    from .cells import col_index

    out = SheetScan()
    tail = b""
    last_row = 0
    max_col = 1
    try:
        with zf.open(part) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                if len(chunk.translate(None, _CONTROL)) != len(chunk):
                    raise NotAWorkbook(_control(path, part))
                buf = tail + chunk
                # Cells in columns A-Z cannot reach far; only longer column names need
                # looking at (rare in a monitoring workbook, so this costs little).
                for m in _CELL_COLUMN.finditer(buf):
                    col = col_index(m.group(1).decode())
                    if col > max_col:
                        max_col = col
                    row = int(m.group(2))
                    if row > last_row:
                        last_row = row
                rows = _ROW_NUMBER.findall(buf[-65536:]) if len(buf) > 65536 else _ROW_NUMBER.findall(buf)
                if rows:
                    last_row = max(last_row, int(rows[-1]))
                if b't="e"' in buf:
                    _errors(buf, out.errors)
                if not out.negative and b"<v>-" in buf:
                    out.negative = True
                if _BAD_INDEX.search(buf):
                    raise NotAWorkbook(_bad_index(path, part))
                # keep enough to finish a cell element cut at the chunk's end
                tail = buf[-4096:]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        raise NotAWorkbook(_damaged_part(path, part)) from None
    if max_col == 1:
        # every cell is in A-Z: the widest a row can be is Z
        max_col = 26
    out.max_row, out.max_col = last_row, max_col
    return out


def _errors(buf: bytes, errors: dict[str, str]) -> None:
    start = 0
    while True:
        at = buf.find(b't="e"', start)
        if at == -1:
            return
        open_at = buf.rfind(b"<c ", 0, at)
        close_at = buf.find(b"</c>", at)
        start = at + 5
        if open_at == -1 or close_at == -1:
            continue
        element = buf[open_at:close_at]
        ref, value = _CELL_REF.search(element), _VALUE.search(element)
        if ref and value:
            text = value.group(1).decode("utf-8", "replace")
            errors[(ref.group(1) + ref.group(2)).decode()] = text if text in D.EXCEL_ERRORS else text or "#ERROR"


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
