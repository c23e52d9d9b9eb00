"""Is this file a usable .xlsx/.xlsm package? One check every command shares.

Every command, reading or writing, asks :func:`open_package` first, so a file gets
the same verdict whichever command meets it: one plain sentence, exit code 2, for a
file that is missing, a folder, empty, password-protected, an old .xls, not a zip, a
Word document, damaged (a part missing from its own index, two parts of one name, no
``[Content_Types].xml``), a zip bomb (parts that would inflate beyond what a real
workbook needs), or whose core XML parts are not what Excel writes (not well-formed,
a DTD, characters XML does not allow). The package is opened as OPC says
(:mod:`ipxl.xlsx.opc`): the workbook part is wherever ``_rels/.rels`` puts it, every
other part is found through relationships, and each XML part is read in the encoding
its byte-order mark or declaration names before its characters are checked.

:func:`scan_sheet` then reads a worksheet part once as a stream, before any reader
builds a grid from it: how far its cells reach (so one stray cell at XFD1048576 never
makes a dense reader allocate by the sheet's extent), which cells hold an Excel error
value (``#REF!``: named as such, not read as blank), and whether it holds characters
XML does not allow (Excel calls such a file damaged).
"""

from __future__ import annotations

import functools
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .. import defaults as D
from ..errors import NotAWorkbook, WorkbookEncrypted, WorkbookNotFound
from .opc import decoded, is_wide, rels_name, resolve, xml_encoding

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
#: The same characters in decoded text (a UTF-16 part, where bytes say nothing).
_CONTROL_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class PackageInfo:
    """A package that passed the check: its zip index and where its sheets are."""

    path: Path
    infos: dict[str, zipfile.ZipInfo]
    #: sheet name -> worksheet part, in workbook order (chart sheets left out)
    sheets: dict[str, str] = field(default_factory=dict)
    shared_strings: str | None = None
    styles: str | None = None
    #: the workbook part, where the package's relationships (``_rels/.rels``) put it
    workbook: str = "xl/workbook.xml"
    #: parts a reader reads (the workbook, its relationships, styles, shared strings,
    #: worksheets) that are not in UTF-8: part -> encoding
    encodings: dict[str, str] = field(default_factory=dict)
    #: sheets of kinds ipxl does not read and python-calamine does not know (Excel 4
    #: macro sheets): sheet name -> relationship kind (``xlMacrosheet``)
    other_sheets: dict[str, str] = field(default_factory=dict)


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
            if "_rels/.rels" not in infos and "xl/workbook.xml" not in infos:
                raise NotAWorkbook(_not_a_workbook(path, infos))
            _check_index(path, names, entries)
            info = PackageInfo(path, infos)
            info.workbook = _main_part(zf, info)
            _core_parts(zf, info)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
        # RuntimeError: a part zipfile will not open (encrypted zip entries)
        raise NotAWorkbook(damaged) from None
    return info


def _not_a_workbook(path: Path, infos: dict[str, zipfile.ZipInfo], word: bool = False) -> str:
    kind = "a Word document" if word or "word/document.xml" in infos else "not an Excel workbook"
    return f"{path.name} is {kind}; give the .xlsx or .xlsm monitoring workbook."


def _main_part(zf: zipfile.ZipFile, info: PackageInfo) -> str:
    """The workbook part: the target of the package's officeDocument relationship
    (OPC names no fixed place for it, and Excel opens it wherever ``_rels/.rels``
    says), else ``xl/workbook.xml`` in a package without package relationships."""
    target = None
    if "_rels/.rels" in info.infos:
        for rel in _parse(zf, info, "_rels/.rels"):
            if (rel.get("Type") or "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
                target = resolve("", rel.get("Target") or "")
                break
    if target is None and "xl/workbook.xml" in info.infos:
        target = "xl/workbook.xml"
    if target is None or target not in info.infos:
        raise NotAWorkbook(_not_a_workbook(info.path, info.infos))
    return target


def _parse(zf: zipfile.ZipFile, info: PackageInfo, name: str, *, read: bool = True):
    """A small part parsed after its check (no DTD, characters XML allows, in the
    encoding it declares); when a reader reads it (``read``), its encoding noted if
    it is not UTF-8."""
    from lxml import etree

    data = _read_capped(zf, info.infos[name])
    codec = check_xml(info.path, name, data)
    if read and codec != "utf-8":
        info.encodings[name] = codec
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError:
        raise NotAWorkbook(_not_xml(info.path, name)) from None


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

    types = _parse(zf, info, "[Content_Types].xml", read=False)
    _check_main_type(info, types)
    workbook = _parse(zf, info, info.workbook)
    rels_part = rels_name(info.workbook)
    targets: dict[str, tuple[str, str]] = {}
    if rels_part in info.infos:
        for rel in _parse(zf, info, rels_part):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External" or not target:
                continue
            targets[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], resolve(info.workbook, target))
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
        elif kind and kind not in ("chartsheet", "dialogsheet"):
            # an Excel 4 macro sheet (or a kind to come): not read, never written
            info.other_sheets[sheet.get("name", "")] = kind
    for kind, part in targets.values():
        if kind == "sharedStrings" and part not in info.infos:
            # every text cell Excel wrote points into it: without it the text is gone
            raise NotAWorkbook(
                f"{info.path.name} is damaged: the part holding its text ({part}) is missing; restore the "
                "workbook from a backup, or open it in Excel, let Excel repair it, and save it again."
            )
        if kind == "sharedStrings":
            info.shared_strings = part
        elif kind == "styles" and part in info.infos:
            info.styles = part
            _parse(zf, info, part)
    _check_content_types(info, types)
    if info.shared_strings is not None:
        # Every reader loads the shared strings whole: check them as a stream first
        # (sizes as declared, characters XML allows), so no reader meets a lie.
        _stream_check(zf, info, info.shared_strings)
    # Every other small part is read once (its checksum is checked) and, when XML,
    # parsed, so a damaged part nobody reads is found now rather than copied into a
    # file that Excel or openpyxl then refuses. Large parts are sheets, streamed by
    # scan_sheet when read and parsed when edited (their encoding is noted now).
    done = {"[Content_Types].xml", "_rels/.rels", info.workbook, rels_part, info.styles, info.shared_strings}
    sheet_parts = set(info.sheets.values())
    for name, entry in info.infos.items():
        if name in done or name.endswith("/"):
            continue
        if entry.file_size > SMALL_PART:
            if name in sheet_parts:
                _note_encoding(info, name, _head(zf, entry))
            continue
        data = _read_capped(zf, entry)
        codec = ""
        if name in sheet_parts:
            codec = xml_encoding(data[:256])
            if codec != "utf-8":
                info.encodings[name] = codec
            if _BAD_INDEX.search(_utf8(info.path, name, data, codec) if is_wide(codec) else data):
                raise NotAWorkbook(_bad_index(info.path, name))
        if name.endswith((".xml", ".rels")):
            check_xml(info.path, name, data)
            if codec == "utf-8":
                # a sheet is the largest part checked here: expat finds what lxml would
                # (namespaces included) without building a tree, in a third of the
                # time; lxml keeps the encodings expat lacks
                _well_formed(info.path, name, data)
            else:
                _parses(info.path, name, data)


def _well_formed(path: Path, name: str, data: bytes) -> None:
    """Refuse a UTF-8 part that lxml would not parse, without building its tree: expat
    parses it, and each namespace it declares (a handful, on the root) is judged by
    lxml, which refuses a namespace name that is not a URI where expat takes any text.
    Where expat objects, lxml has the last word: it lets some namespace slips through
    (an attribute's undeclared prefix, when a later warning is the last thing logged)
    that expat refuses, and a workbook lxml opened must go on opening."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    declared: set[tuple[str | None, str]] = set()
    parser.StartNamespaceDeclHandler = lambda prefix, uri: declared.add((prefix, uri or ""))
    try:
        parser.Parse(data, True)
    except (expat.ExpatError, LookupError, ValueError):  # LookupError: an encoding expat lacks
        _parses(path, name, data)
        return
    if not all(_namespace_ok(prefix, uri) for prefix, uri in declared):
        raise NotAWorkbook(_not_xml(path, name))


def _parses(path: Path, name: str, data: bytes) -> None:
    """Refuse a part lxml cannot parse (with the parser every part is parsed with)."""
    from lxml import etree

    try:
        etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError:
        raise NotAWorkbook(_not_xml(path, name)) from None


@functools.lru_cache(maxsize=256)
def _namespace_ok(prefix: str | None, uri: str) -> bool:
    """Whether lxml takes ``uri`` as the namespace of ``prefix`` (None: the default)."""
    from lxml import etree

    from .xml import quoteattr

    attribute = f"xmlns:{prefix}" if prefix else "xmlns"
    try:
        etree.fromstring(f"<a {attribute}={quoteattr(uri)}/>".encode(), safe_parser())
    except etree.XMLSyntaxError:
        return False
    return True


def _head(zf: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    try:
        with zf.open(entry) as fh:
            return fh.read(256)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        raise NotAWorkbook(_damaged_part(Path(zf.filename or ""), entry.filename)) from None


def _note_encoding(info: PackageInfo, name: str, head: bytes) -> None:
    codec = xml_encoding(head)
    if codec != "utf-8":
        info.encodings[name] = codec


def _utf8(path: Path, name: str, data: bytes, codec: str) -> bytes:
    """A wide (UTF-16) part's bytes as UTF-8, for the byte-level checks."""
    from .opc import to_utf8

    try:
        return to_utf8(data, codec)
    except (UnicodeError, LookupError):
        raise NotAWorkbook(_not_xml(path, name)) from None


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


def _content_type(types, part: str) -> str:
    """The content type [Content_Types].xml gives ``part`` (its override, else its
    extension's default; part names compare without regard to case, as in OPC)."""
    want = "/" + part.lower()
    default = ""
    ext = part.rsplit(".", 1)[-1].lower()
    for el in types:
        if not isinstance(el.tag, str):
            continue
        if el.tag.endswith("Override") and el.get("PartName", "").lower() == want:
            return el.get("ContentType", "")
        if el.tag.endswith("Default") and el.get("Extension", "").lower() == ext:
            default = el.get("ContentType", "")
    return default


def _check_main_type(info: PackageInfo, types) -> None:
    """A package whose main part is a Word document (or a presentation) is not a
    workbook, whatever its parts are called."""
    got = _content_type(types, info.workbook)
    if "wordprocessingml" in got or "presentationml" in got:
        raise NotAWorkbook(_not_a_workbook(info.path, info.infos, word="wordprocessingml" in got))


def _check_content_types(info: PackageInfo, types) -> None:
    """Refuse a package whose [Content_Types].xml does not give the workbook, its
    sheets, shared strings and styles their types: ipxl reads such a file, but Excel
    repairs it and openpyxl refuses it, so a copy ipxl wrote would be refused too."""
    wanted = [(info.workbook, "workbook")]
    wanted += [(part, "worksheet") for part in info.sheets.values()]
    wanted += [(part, kind) for part, kind in ((info.shared_strings, "sharedStrings"), (info.styles, "styles")) if part]
    for part, kind in wanted:
        if not _content_type(types, part).endswith(_PART_TYPES[kind]):
            raise NotAWorkbook(
                f"{info.path.name} is damaged: its list of parts ([Content_Types].xml) does not say what {part} is; "
                "open it in Excel, let Excel repair it, and save it again."
            )


def _stream_check(zf: zipfile.ZipFile, info: PackageInfo, part: str) -> None:
    """The shared strings as a stream: sizes as declared, no DTD, characters XML
    allows, and well-formed: parsed as they stream by expat with no callbacks, at C
    speed and a chunk's memory (the DTD is refused before any parsing). A part in
    UTF-16 is checked as the text it holds."""
    import codecs
    from xml.parsers import expat

    path = info.path
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    first = True
    text = None
    try:
        with zf.open(part) as fh:
            while chunk := fh.read(_CHUNK):
                if first:
                    codec = check_xml(path, part, chunk[:4096], whole=False)
                    if codec != "utf-8":
                        info.encodings[part] = codec
                    if is_wide(codec):
                        text = codecs.getincrementaldecoder(codec)()
                    first = False
                if text is not None:
                    if _CONTROL_TEXT.search(text.decode(chunk)):
                        raise NotAWorkbook(_control(path, part))
                elif len(chunk.translate(None, _CONTROL)) != len(chunk):
                    raise NotAWorkbook(_control(path, part))
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError:
        raise NotAWorkbook(_not_xml(path, part)) from None
    except (UnicodeError, LookupError):
        raise NotAWorkbook(_not_xml(path, part)) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        raise NotAWorkbook(_damaged_part(path, part)) from None


def check_xml(path: Path, name: str, data: bytes, *, whole: bool = True) -> str:
    """Refuse a part Excel would not write: a DTD (entities ipxl would carry into a
    file others then refuse), or characters XML does not allow. The part is read in
    the encoding its byte-order mark or declaration names (a UTF-16 custom XML part
    is as valid as any); returns that encoding. ``whole``: ``data`` is the whole part
    (else its first bytes, of which only the head is judged)."""
    codec = xml_encoding(data[:256])
    if is_wide(codec):
        try:
            # the first bytes of a part may end within a character
            text = decoded(data, codec) if whole else data[:8192].decode(codec, "ignore")
        except (UnicodeError, LookupError):
            raise NotAWorkbook(_not_xml(path, name)) from None
        if "<!DOCTYPE" in text[:4096] or "<!ENTITY" in text[:4096]:
            raise NotAWorkbook(_dtd(path, name))
        if whole and _CONTROL_TEXT.search(text):
            raise NotAWorkbook(_control(path, name))
        return codec
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise NotAWorkbook(_dtd(path, name))
    if whole and len(data.translate(None, _CONTROL)) != len(data):
        raise NotAWorkbook(_control(path, name))
    return codec


def _dtd(path: Path, name: str) -> str:
    return (
        f"Part {name} of {path.name} declares a DTD, which Excel never writes; open the workbook in Excel "
        "and save it again."
    )


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
    #: A1 cells holding a formula (a sign-off compares what they are computed from)
    formulas: set[str] = field(default_factory=set)

    @property
    def extent(self) -> int:
        return self.max_row * self.max_col


_CELL_COLUMN = re.compile(rb'<c r="([A-Z]{2,3})(\d+)"')
_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')
#: A cell whose first child is a formula (``<f>`` comes first in a cell, whoever wrote it).
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3}[0-9]+)"[^>]*(?<!/)>\s*<(?:\w+:)?f[\s>/]')
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
#: A shared-string or TRUE/FALSE cell whose value is not a whole number: Excel calls
#: the file damaged (and openpyxl cannot open it).
_BAD_INDEX = re.compile(rb't="[sb]"[^>]*><v>\s*\d*[^\d<\s]')
_CHUNK = 4 * 2**20


def scan_sheet(path: Path, zf: zipfile.ZipFile, part: str, encoding: str = "utf-8") -> SheetScan:
    """Stream the worksheet ``part`` once: its extent, its error cells, and a refusal
    (one sentence) when it holds characters XML does not allow or is damaged. A part
    in UTF-16 (``encoding``, :attr:`PackageInfo.encodings`) is scanned as UTF-8."""
    import codecs

    from .cells import col_index

    out = SheetScan()
    tail = b""
    last_row = 0
    max_col = 1
    wide = codecs.getincrementaldecoder(encoding)() if is_wide(encoding) else None
    try:
        with zf.open(part) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                if wide is not None:
                    chunk = wide.decode(chunk).encode("utf-8", "surrogatepass")
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
                if b"<f" in buf:
                    out.formulas.update(m.group(1).decode() for m in _FORMULA_CELL.finditer(buf))
                if not out.negative and b"<v>-" in buf:
                    out.negative = True
                if _BAD_INDEX.search(buf):
                    raise NotAWorkbook(_bad_index(path, part))
                # keep enough to finish a cell element cut at the chunk's end
                tail = buf[-4096:]
    except UnicodeError:
        raise NotAWorkbook(_not_xml(path, part)) from None
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
