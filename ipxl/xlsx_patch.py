"""Patch an .xlsx/.xlsm package in place of loading and saving it.

openpyxl (and every "load the model, save the model" library) rewrites every part of a
workbook and silently drops what it does not model: 2010-extension validations,
threaded comments, shapes with macros, custom XML, form-control properties, images
when Pillow is missing. Officers' real workbooks carry all of these, so write-back
never goes through a model. Instead a :class:`Package` opens the zip, parses only the
parts it must change with lxml (the target sheets, ``xl/styles.xml`` and, only when a
sheet is added, the workbook, relationship and content-type parts), and on
:meth:`Package.save` copies every other entry unchanged: same name, same order, same
compressed bytes.

Rewritten parts keep their XML declaration, namespace prefixes and ``mc:Ignorable``
attributes (lxml keeps the tree as parsed; only the edited elements change). A part
whose serialised bytes come out equal to the original is written back as the original,
so an operation that changes nothing changes no bytes.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import posixpath
import re
import shutil
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .cells import col_letter, split_cell
from .safe_write import atomic_write
from .errors import NotAWorkbook, WorkbookLocked, WorkbookUnusable

# ---------------------------------------------------------------------- namespaces

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"

REL_WORKSHEET = R + "/worksheet"
REL_DRAWING = R + "/drawing"
REL_CHART = R + "/chart"
REL_STYLES = R + "/styles"

CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False, load_dtd=False
)


def q(tag: str, ns: str = MAIN) -> str:
    """Clark name ``{ns}tag``."""
    return f"{{{ns}}}{tag}"


def local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# Child order of <worksheet> (ECMA-376 CT_Worksheet); new children are inserted in it.
WORKSHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
    "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
    "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
    "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
    "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
)
# Child order of <styleSheet>.
STYLES_ORDER = (
    "numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
    "tableStyles", "colors", "extLst",
)


def insert_in_order(parent, child, order: tuple[str, ...]) -> None:
    """Insert ``child`` into ``parent`` at its schema position (after every sibling that
    comes before it in ``order``, before every sibling that comes after)."""
    rank = {name: i for i, name in enumerate(order)}
    mine = rank[local(child)]
    for i, sib in enumerate(parent):
        r = rank.get(local(sib))
        if r is not None and r > mine:
            parent.insert(i, child)
            return
    parent.append(child)


# -------------------------------------------------------------------- A1 addresses

def quote_sheet(name: str) -> str:
    """Sheet name as written in a formula or hyperlink location: always quoted."""
    return "'" + name.replace("'", "''") + "'"


# ------------------------------------------------------------------------- locking


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
        raise WorkbookLocked(
            f"{target.name} is read-only; make it writable or write a copy with --output."
        )


def backup_path(path: Path, now: dt.datetime | None = None) -> Path:
    """``<stem>.backup-YYYYmmdd-HHMMSS<suffix>`` beside ``path``, never an existing file."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}.backup-{stamp}-{n}{path.suffix}")
    return candidate


@dataclass(frozen=True)
class SaveResult:
    """Where a patched workbook went: the file written, the backup kept (in-place
    saves only) and the parts whose bytes changed (empty: nothing was written)."""

    path: Path
    backup: Path | None
    changed: tuple[str, ...]


# ------------------------------------------------------------------------- package


class Package:
    """An open .xlsx/.xlsm package whose parts can be patched and saved losslessly."""

    def __init__(self, path: str | Path):
        from .reader import check_file

        self.path = Path(path)
        # the same one-sentence answers as reading (missing, folder, empty, encrypted,
        # text, Word document, damaged) before zipfile gives a vaguer one
        check_file(self.path)
        try:
            self._zf = zipfile.ZipFile(self.path)
            self._infos = self._zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise NotAWorkbook(
                f"{self.path.name} is not a complete Excel package; restore it from a backup "
                "or save it again from Excel."
            ) from None
        self._by_name = {i.filename: i for i in self._infos}
        if "xl/workbook.xml" not in self._by_name:
            self._zf.close()
            raise NotAWorkbook(f"{self.path.name} is not an Excel workbook; give the .xlsx or .xlsm file.")
        self._trees: dict[str, etree._Element] = {}
        self._original: dict[str, bytes] = {}
        self._written: dict[str, bytes] = {}  # new or replaced parts, as bytes
        self._new_order: list[str] = []  # names of parts that did not exist, in creation order
        self._deleted: set[str] = set()
        self._final: dict[str, bytes] = {}
        root = self.xml("xl/workbook.xml")
        if root.tag == q("workbook", STRICT_MAIN):
            raise WorkbookUnusable(
                f"{self.path.name} is saved as Strict Open XML, which ipxl cannot edit; "
                "save it from Excel as an ordinary Excel Workbook (.xlsx) or Macro-Enabled Workbook (.xlsm)."
            )

    # -- context manager
    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._zf.close()

    # -- raw parts
    def names(self) -> list[str]:
        kept = [i.filename for i in self._infos if i.filename not in self._deleted]
        return kept + [n for n in self._new_order if n not in self._deleted]

    def has(self, name: str) -> bool:
        return name not in self._deleted and (name in self._by_name or name in self._written or name in self._trees)

    def read(self, name: str) -> bytes:
        """Current bytes of a part (edited parts are serialised)."""
        if name in self._trees:
            return self._serialise(name)
        if name in self._written:
            return self._written[name]
        return self._read_original(name)

    def _read_original(self, name: str) -> bytes:
        if name not in self._original:
            try:
                self._original[name] = self._zf.read(name)
            except KeyError:
                raise NotAWorkbook(
                    f"Part {name} is missing from {self.path.name}; open the workbook in Excel and save it again."
                ) from None
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
                raise NotAWorkbook(
                    f"Part {name} of {self.path.name} is damaged; restore the workbook from a backup "
                    "or open it in Excel and save it again."
                ) from None
        return self._original[name]

    def write(self, name: str, data: bytes) -> None:
        """Set a part's bytes, creating the part when absent (content type not added)."""
        self._trees.pop(name, None)
        self._written[name] = data
        self._deleted.discard(name)
        if name not in self._by_name and name not in self._new_order:
            self._new_order.append(name)

    def replace(self, name: str, data: bytes) -> None:
        """Set a part's whole XML, keeping the XML declaration the part had (so that
        rewriting a part with what it already holds changes no bytes)."""
        if name in self._by_name:
            decl = _declaration(self._read_original(name))
            if decl:
                data = decl + re.sub(rb"^(\xef\xbb\xbf)?<\?xml[^>]*\?>\s*", b"", data, count=1)
        self.write(name, data)

    def delete(self, name: str) -> None:
        self._trees.pop(name, None)
        self._written.pop(name, None)
        self._deleted.add(name)

    # -- XML parts
    def xml(self, name: str):
        """The parsed root of a part, cached; edits to it are saved."""
        if name not in self._trees:
            data = self._written.get(name)
            if data is None:
                data = self._read_original(name)
            try:
                self._trees[name] = etree.fromstring(data, _PARSER)
            except etree.XMLSyntaxError as exc:
                raise NotAWorkbook(
                    f"Part {name} of {self.path.name} is not well-formed XML ({exc}); "
                    "open the workbook in Excel and save it again."
                ) from None
            if name in self._written:
                self._written.pop(name)
        return self._trees[name]

    def _serialise(self, name: str) -> bytes:
        root = self._trees[name]
        body = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
        original = self._read_original(name) if name in self._by_name else None
        if original is not None:
            # A part parsed only to be read (or edited and edited back) must keep its
            # exact bytes, even where lxml would spell the same XML differently
            # (``<c ...></c>`` as ``<c .../>``): compare as lxml spells both.
            same = etree.tostring(etree.fromstring(original, _PARSER), encoding="UTF-8", xml_declaration=False)
            if same == body:
                return original
        if original is not None:
            decl = _declaration(original)
        else:
            decl = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        if original is not None:
            body = _keep_ns_tags(original, body)
        data = decl + body
        if original is not None and data == original:
            return original
        return data

    def changed(self) -> list[str]:
        """Names of parts whose bytes differ from the file on disk (or are new/deleted)."""
        out = []
        final = self._final
        for name in self.names():
            if name in self._trees or name in self._written:
                data = final[name] if name in final else self.read(name)
                if name not in self._by_name or data != self._read_original(name):
                    out.append(name)
        out.extend(sorted(n for n in self._deleted if n in self._by_name))
        return out

    # -- relationships
    @staticmethod
    def rels_name(part: str) -> str:
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")

    def rels(self, part: str) -> list[tuple[str, str, str, str]]:
        """``(id, type, resolved target part, target mode)`` for each relationship of ``part``."""
        rn = self.rels_name(part)
        if not self.has(rn):
            return []
        out = []
        for rel in self.xml(rn):
            if local(rel) != "Relationship":
                continue
            mode = rel.get("TargetMode", "Internal")
            target = rel.get("Target", "")
            if mode == "Internal":
                target = resolve_target(part, target)
            out.append((rel.get("Id"), rel.get("Type"), target, mode))
        return out

    def add_rel(self, part: str, rel_type: str, target_part: str) -> str:
        """Add a relationship from ``part`` to ``target_part``; return its new Id."""
        rn = self.rels_name(part)
        if not self.has(rn):
            self.write(rn, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                       b'<Relationships xmlns="' + PKG_REL.encode() + b'"/>')
        root = self.xml(rn)
        ids = {rel.get("Id") for rel in root}
        n = len(ids) + 1
        while f"rId{n}" in ids:
            n += 1
        rid = f"rId{n}"
        el = etree.SubElement(root, q("Relationship", PKG_REL))
        el.set("Id", rid)
        el.set("Type", rel_type)
        el.set("Target", relative_target(part, target_part))
        return rid

    def add_override(self, part: str, content_type: str) -> None:
        root = self.xml("[Content_Types].xml")
        name = "/" + part
        for el in root:
            if local(el) == "Override" and el.get("PartName", "").lower() == name.lower():
                el.set("ContentType", content_type)
                return
        el = etree.SubElement(root, q("Override", CT))
        el.set("PartName", name)
        el.set("ContentType", content_type)

    def free_name(self, pattern: str) -> str:
        """First ``pattern.format(n)`` (n = 1, 2, ...) not used by a part."""
        lower = {n.lower() for n in self.names()}
        n = 1
        while pattern.format(n).lower() in lower:
            n += 1
        return pattern.format(n)

    # -- sheets
    def sheets(self) -> list[tuple[str, str]]:
        """``(sheet name, part name)`` in workbook order (worksheets only)."""
        wb = self.xml("xl/workbook.xml")
        rels = {rid: (typ, target) for rid, typ, target, _ in self.rels("xl/workbook.xml")}
        out = []
        sheets = wb.find(q("sheets"))
        for sh in sheets if sheets is not None else ():
            rid = sh.get(q("id", R))
            typ, target = rels.get(rid, (None, None))
            if typ == REL_WORKSHEET and target:
                out.append((sh.get("name"), target))
        return out

    def sheet_names(self) -> list[str]:
        return [n for n, _ in self.sheets()]

    def sheet_part(self, name: str) -> str | None:
        """The part of the worksheet called ``name`` (case-insensitive, as Excel), or None."""
        want = name.casefold()
        for n, part in self.sheets():
            if n.casefold() == want:
                return part
        return None

    def sheet_name(self, name: str) -> str | None:
        """The sheet's name as the workbook spells it."""
        want = name.casefold()
        for n, _ in self.sheets():
            if n.casefold() == want:
                return n
        return None

    def add_sheet(self, name: str, xml: bytes) -> str:
        """Append a new worksheet called ``name`` holding ``xml``; return its part name.

        The sheet goes last so that sheet-scoped defined names (which count sheets by
        position) and the active tab keep pointing where they did.
        """
        wb = self.xml("xl/workbook.xml")
        if any(s.get("name", "").casefold() == name.casefold() for s in wb.iter(q("sheet"))):
            raise WorkbookUnusable(
                f"{self.path.name} has a sheet called {name!r} that is not a worksheet (a chart sheet?); "
                f"rename or delete it so ipxl can write its own {name} sheet."
            )
        part = self.free_name("xl/worksheets/sheet{}.xml")
        self.write(part, xml)
        self.add_override(part, CT_WORKSHEET)
        rid = self.add_rel("xl/workbook.xml", REL_WORKSHEET, part)
        wb = self.xml("xl/workbook.xml")
        sheets = wb.find(q("sheets"))
        ids = [int(s.get("sheetId", "0")) for s in sheets]
        el = etree.SubElement(sheets, q("sheet"))
        el.set("name", name)
        el.set("sheetId", str(max(ids, default=0) + 1))
        el.set(q("id", R), rid)
        return part

    def sheet_id(self, name: str) -> int | None:
        wb = self.xml("xl/workbook.xml")
        for sh in wb.find(q("sheets")):
            if sh.get("name", "").casefold() == name.casefold():
                return int(sh.get("sheetId"))
        return None

    # -- saving
    def save(self, output: str | Path | None = None, *, backup: bool = True,
             now: dt.datetime | None = None) -> SaveResult:
        """Write the package atomically to ``output`` (default: in place).

        In place, a timestamped backup copy is kept beside the workbook first. The file
        is written to a temporary file in the target's folder, flushed to disk and
        renamed over the target, so any failure leaves the target as it was and no
        temporary file behind. When nothing changed and the target is the source,
        nothing is written at all.
        """
        # serialise each edited part once; the zip writer reuses these bytes
        self._final = {n: self.read(n) for n in self.names() if n in self._trees or n in self._written}
        try:
            return self._save(output, backup, now)
        finally:
            self._final = {}

    def _save(self, output, backup: bool, now) -> SaveResult:
        target = Path(output) if output is not None else self.path
        in_place = target.resolve() == self.path.resolve()
        changed = tuple(self.changed())
        if in_place and not changed:
            return SaveResult(target, None, ())
        check_writable(target, source=self.path)
        backup_file = None
        try:
            if in_place and backup:
                backup_file = backup_path(self.path, now)
                shutil.copy2(self.path, backup_file)
            atomic_write(target, self._write_zip, mode_from=target if target.exists() else self.path)
        except BaseException:
            if backup_file is not None:
                backup_file.unlink(missing_ok=True)
            raise
        return SaveResult(target, backup_file, changed)

    def _write_zip(self, fh) -> None:
        with zipfile.ZipFile(fh, "w", allowZip64=True) as out:
            for info in self._infos:
                name = info.filename
                if name in self._deleted:
                    continue
                if name in self._trees or name in self._written:
                    data = self._final[name] if name in self._final else self.read(name)
                    if data is self._original.get(name) or data == self._read_original(name):
                        _copy_raw(self._zf, info, out)
                        continue
                    zi = _clone_info(info)
                    out.writestr(zi, data, compress_type=zi.compress_type)
                else:
                    _copy_raw(self._zf, info, out)
            for name in self._new_order:
                if name in self._deleted:
                    continue
                zi = zipfile.ZipInfo(name, date_time=_zip_now())
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = 0o600 << 16
                data = self._final[name] if name in self._final else self.read(name)
                out.writestr(zi, data, compress_type=zipfile.ZIP_DEFLATED)


def _zip_now() -> tuple:
    t = dt.datetime.now()
    return (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second)


def _clone_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    zi.compress_type = info.compress_type if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) else zipfile.ZIP_DEFLATED
    zi.external_attr = info.external_attr
    zi.create_system = info.create_system
    zi.comment = info.comment
    return zi


def _copy_raw(src: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
    """Copy one entry's compressed bytes as they are (no recompression), so untouched
    parts are byte-identical even inside the zip."""
    fp = src.fp
    fp.seek(info.header_offset)
    header = fp.read(zipfile.sizeFileHeader)
    if len(header) != zipfile.sizeFileHeader or header[:4] != zipfile.stringFileHeader:
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    fields = struct.unpack(zipfile.structFileHeader, header)
    fp.seek(fields[zipfile._FH_FILENAME_LENGTH] + fields[zipfile._FH_EXTRA_FIELD_LENGTH], 1)
    raw = fp.read(info.compress_size)
    zi = copy.copy(info)
    zi.flag_bits &= ~0x08  # sizes are known: no data descriptor after the data
    zi.extra = _strip_zip64(info.extra)
    zi.header_offset = out.fp.tell()
    out.fp.write(zi.FileHeader(None))
    out.fp.write(raw)
    out.filelist.append(zi)
    out.NameToInfo[zi.filename] = zi
    out.start_dir = out.fp.tell()
    out._didModify = True


def _strip_zip64(extra: bytes) -> bytes:
    """Drop a zip64 extra record (zipfile writes its own where needed)."""
    out = b""
    i = 0
    while i + 4 <= len(extra):
        tp, ln = struct.unpack("<HH", extra[i : i + 4])
        if tp != 1:
            out += extra[i : i + 4 + ln]
        i += 4 + ln
    return out


def _declaration(data: bytes) -> bytes:
    """The original XML declaration with the whitespace after it (or a standard one)."""
    m = re.match(rb"^(\xef\xbb\xbf)?<\?xml[^>]*\?>\s*", data)
    if m:
        return m.group(0)
    return b""


_NS_TAG = re.compile(rb"<[A-Za-z_][^<>]*?\sxmlns[:=][^<>]*>")
_ATTR = re.compile(rb"""([^\s=<>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _tag_key(tag: bytes) -> tuple:
    name = re.match(rb"<([^\s/>]+)", tag).group(1)
    attrs = sorted((m.group(1), m.group(2) if m.group(2) is not None else m.group(3)) for m in _ATTR.finditer(tag))
    return (name, tuple(attrs), tag.endswith(b"/>"))


def _ns_tags(data: bytes):
    """(start, end) of each start tag that declares a namespace; found from the
    ``xmlns`` occurrences rather than by scanning every tag of a large sheet."""
    i = data.find(b"xmlns")
    while i != -1:
        start = data.rfind(b"<", 0, i)
        end = data.find(b">", i)
        if start == -1 or end == -1:
            return
        m = _NS_TAG.fullmatch(data, start, end + 1)
        if m:
            yield start, end + 1
        i = data.find(b"xmlns", end + 1)


def _keep_ns_tags(original: bytes, body: bytes) -> bytes:
    """Put back the original spelling of start tags that declare namespaces.

    lxml writes namespace declarations before attributes, while Excel interleaves them
    (``<worksheet xmlns=".." xmlns:mc=".." mc:Ignorable="x14ac" xmlns:x14ac="..">``,
    ``<ext uri=".." xmlns:x14="..">``). Where a tag says exactly the same thing as in
    the original, the original bytes are used, so parts keep their markup and an edit
    that is later undone gives the part back byte for byte.
    """
    originals: dict[tuple, bytes] = {}
    for a, b in _ns_tags(original):
        tag = original[a:b]
        originals.setdefault(_tag_key(tag), tag)
    if not originals:
        return body
    out, pos = [], 0
    for a, b in _ns_tags(body):
        tag = body[a:b]
        keep = originals.get(_tag_key(tag))
        if keep is not None and keep != tag:
            out.append(body[pos:a])
            out.append(keep)
            pos = b
    if not out:
        return body
    out.append(body[pos:])
    return b"".join(out)


def resolve_target(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    base = posixpath.dirname(source_part)
    return posixpath.normpath(posixpath.join(base, target))


def relative_target(source_part: str, target_part: str) -> str:
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


# -------------------------------------------------------------------------- styles


def _key(el) -> tuple:
    """Structural identity of an element (namespace URIs, not prefixes)."""
    return (el.tag, tuple(sorted(el.attrib.items())), (el.text or "").strip(),
            tuple(_key(c) for c in el if isinstance(c.tag, str)))


def _norm_rgb(value: str | None) -> str | None:
    if value is None:
        return None
    v = value.upper()
    return v[-6:] if len(v) in (6, 8) else v


class Styles:
    """``xl/styles.xml`` of a package: clone cell formats with another font colour,
    find ipxl's red clones and the format each was cloned from, add dxfs.

    Existing entries are never reordered or removed; new ones are appended and the
    ``count`` attributes follow.
    """

    PART = "xl/styles.xml"

    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.part = self._locate()
        self.root = pkg.xml(self.part)
        self.fonts = self._section("fonts")
        self.cell_xfs = self._section("cellXfs")
        self._font_keys: dict[tuple, int] = {}
        for i, f in enumerate(self._children(self.fonts)):
            self._font_keys.setdefault(_key(f), i)
        self._xf_keys: dict[tuple, int] = {}
        for i, x in enumerate(self._children(self.cell_xfs)):
            self._xf_keys.setdefault(_key(x), i)
        self._originals: dict[tuple, list[int]] | None = None
        self._red_cache: dict[tuple[int, str], int] = {}

    def _locate(self) -> str:
        for _, typ, target, _ in self.pkg.rels("xl/workbook.xml"):
            if typ == REL_STYLES:
                return target
        return self.PART

    def _section(self, name: str):
        el = self.root.find(q(name))
        if el is None:
            el = etree.Element(q(name))
            el.set("count", "0")
            insert_in_order(self.root, el, STYLES_ORDER)
        return el

    @staticmethod
    def _children(section) -> list:
        return [c for c in section if isinstance(c.tag, str)]

    def _append(self, section, el) -> int:
        kids = self._children(section)
        if kids:
            kids[-1].addnext(el)
            el.tail = kids[-1].tail
        else:
            section.append(el)
        n = len(kids) + 1
        section.set("count", str(n))
        return n - 1

    def font(self, i: int):
        return self._children(self.fonts)[i]

    def xf(self, i: int):
        return self._children(self.cell_xfs)[i]

    def n_xfs(self) -> int:
        return len(self._children(self.cell_xfs))

    @staticmethod
    def font_rgb(font) -> str | None:
        c = font.find(q("color"))
        return _norm_rgb(c.get("rgb")) if c is not None else None

    def xf_font_rgb(self, xf_index: int) -> str | None:
        xf = self.xf(xf_index)
        return self.font_rgb(self.font(int(xf.get("fontId", "0"))))

    # -- cloning
    def font_with_colour(self, font_id: int, rgb: str) -> int:
        """Index of a font equal to font ``font_id`` but coloured ``rgb`` (appended when new)."""
        base = self.font(font_id)
        if self.font_rgb(base) == _norm_rgb(rgb):
            return font_id
        new = copy.deepcopy(base)
        new.tail = None
        for c in new.findall(q("color")):
            new.remove(c)
        colour = etree.Element(q("color"))
        colour.set("rgb", "FF" + rgb.upper()[-6:])
        sz = new.find(q("sz"))
        name = new.find(q("name"))
        if sz is not None:
            sz.addnext(colour)
        elif name is not None:
            name.addprevious(colour)
        else:
            new.append(colour)
        k = _key(new)
        if k in self._font_keys:
            return self._font_keys[k]
        i = self._append(self.fonts, new)
        self._font_keys[k] = i
        return i

    def xf_with_font_colour(self, xf_index: int, rgb: str) -> int:
        """Index of a cell format equal to ``xf_index`` except its font is coloured ``rgb``.

        The clone is ``xf_index`` with only ``fontId`` (and ``applyFont="1"``, so
        LibreOffice honours it) changed; an identical existing format is reused.
        """
        ck = (xf_index, _norm_rgb(rgb))
        if ck in self._red_cache:
            return self._red_cache[ck]
        xf = self.xf(xf_index)
        font_id = int(xf.get("fontId", "0"))
        new_font = self.font_with_colour(font_id, rgb)
        if new_font == font_id:
            self._red_cache[ck] = xf_index
            return xf_index
        new = copy.deepcopy(xf)
        new.tail = None
        new.set("fontId", str(new_font))
        new.set("applyFont", "1")
        k = _key(new)
        if k in self._xf_keys:
            i = self._xf_keys[k]
        else:
            i = self._append(self.cell_xfs, new)
            self._xf_keys[k] = i
            self._originals = None
        self._red_cache[ck] = i
        return i

    # -- finding the original of a clone
    def _sans_font_key(self, xf) -> tuple:
        attrs = tuple(sorted((k, v) for k, v in xf.attrib.items() if k not in ("fontId", "applyFont")))
        return (attrs, tuple(_key(c) for c in xf if isinstance(c.tag, str)))

    def _font_sans_colour_key(self, font) -> tuple:
        return tuple(_key(c) for c in font if isinstance(c.tag, str) and local(c) != "color")

    def original_of(self, xf_index: int, rgb: str) -> int | None:
        """The cell format an ipxl ``rgb`` clone was made from, or None when
        ``xf_index`` is not such a clone.

        A clone of format N is N with only its font changed to a copy of N's font
        recoloured. So the original is the format equal to the clone in everything but
        the font, whose font equals the clone's in everything but the colour, and which
        is not itself ``rgb``. Clones are always appended after their original, so
        among several candidates the lowest-numbered one is taken.
        """
        if self.xf_font_rgb(xf_index) != _norm_rgb(rgb):
            return None
        if self._originals is None:
            self._originals = {}
            for i, x in enumerate(self._children(self.cell_xfs)):
                font = self.font(int(x.get("fontId", "0")))
                if self.font_rgb(font) == _norm_rgb(rgb):
                    continue
                k = (self._sans_font_key(x), self._font_sans_colour_key(font))
                self._originals.setdefault(k, []).append(i)
        x = self.xf(xf_index)
        k = (self._sans_font_key(x), self._font_sans_colour_key(self.font(int(x.get("fontId", "0")))))
        cands = [i for i in self._originals.get(k, ()) if i < xf_index]
        return cands[0] if cands else None

    # -- differential formats
    def dxf_fill(self, rgb: str) -> int:
        """Index of a dxf that only sets a solid fill of ``rgb`` (reused when present)."""
        dxfs = self._section("dxfs")
        new = etree.Element(q("dxf"))
        fill = etree.SubElement(new, q("fill"))
        pf = etree.SubElement(fill, q("patternFill"))
        pf.set("patternType", "solid")
        etree.SubElement(pf, q("fgColor")).set("rgb", "FF" + rgb.upper()[-6:])
        etree.SubElement(pf, q("bgColor")).set("rgb", "FF" + rgb.upper()[-6:])
        k = _key(new)
        for i, d in enumerate(self._children(dxfs)):
            if _key(d) == k:
                return i
        return self._append(dxfs, new)

    def font_xf(self, *, bold: bool = False, size: float | None = None, colour: str | None = None,
                fill: str | None = None, wrap: bool = False) -> int:
        """A cell format for ipxl's own sheets: the default format with a font of the
        given weight/size/colour (and optionally a solid fill, wrapped text)."""
        base_font = copy.deepcopy(self.font(0))
        base_font.tail = None
        for tag in ("b", "sz", "color"):
            for c in base_font.findall(q(tag)):
                base_font.remove(c)
        if bold:
            base_font.insert(0, etree.Element(q("b")))
        if size is not None or colour is not None:
            old_sz = self.font(0).find(q("sz"))
            sz = etree.Element(q("sz"))
            sz.set("val", str(size) if size is not None else (old_sz.get("val") if old_sz is not None else "11"))
            base_font.insert(1 if bold else 0, sz)
        elif self.font(0).find(q("sz")) is not None:
            base_font.insert(1 if bold else 0, copy.deepcopy(self.font(0).find(q("sz"))))
        if colour is not None:
            col = etree.Element(q("color"))
            col.set("rgb", "FF" + colour.upper()[-6:])
            base_font.find(q("sz")).addnext(col)
        fk = _key(base_font)
        font_id = self._font_keys.get(fk)
        if font_id is None:
            font_id = self._append(self.fonts, base_font)
            self._font_keys[fk] = font_id
        fill_id = 0
        if fill is not None:
            fills = self._section("fills")
            new_fill = etree.Element(q("fill"))
            pf = etree.SubElement(new_fill, q("patternFill"))
            pf.set("patternType", "solid")
            etree.SubElement(pf, q("fgColor")).set("rgb", "FF" + fill.upper()[-6:])
            etree.SubElement(pf, q("bgColor")).set("indexed", "64")
            kf = _key(new_fill)
            for i, f in enumerate(self._children(fills)):
                if _key(f) == kf:
                    fill_id = i
                    break
            else:
                fill_id = self._append(fills, new_fill)
        xf = etree.Element(q("xf"))
        xf.set("numFmtId", "0")
        xf.set("fontId", str(font_id))
        xf.set("fillId", str(fill_id))
        xf.set("borderId", "0")
        xf.set("xfId", "0")
        xf.set("applyFont", "1")
        if fill_id:
            xf.set("applyFill", "1")
        if wrap:
            xf.set("applyAlignment", "1")
            al = etree.SubElement(xf, q("alignment"))
            al.set("vertical", "top")
            al.set("wrapText", "1")
        k = _key(xf)
        if k in self._xf_keys:
            return self._xf_keys[k]
        i = self._append(self.cell_xfs, xf)
        self._xf_keys[k] = i
        self._originals = None
        return i


# -------------------------------------------------------------------------- sheets


class SheetXml:
    """A worksheet part opened for patching."""

    def __init__(self, pkg: Package, part: str):
        self.pkg = pkg
        self.part = part
        self.root = pkg.xml(part)
        if self.root.tag != q("worksheet"):
            raise NotAWorkbook(f"Part {part} of {pkg.path.name} is not a worksheet; open the workbook in Excel and save it again.")
        self.sheet_data = self.root.find(q("sheetData"))
        self._rows: dict[int, object] | None = None
        self._col_styles: list[tuple[int, int, int]] | None = None

    def rows(self) -> dict[int, object]:
        """Excel row number -> ``<row>`` element."""
        if self._rows is None:
            self._rows = {}
            prev = 0
            for row in self.sheet_data if self.sheet_data is not None else ():
                if not isinstance(row.tag, str):
                    continue
                r = row.get("r")
                n = int(r) if r else prev + 1
                self._rows[n] = row
                prev = n
        return self._rows

    def cells(self, row_number: int) -> list:
        row = self.rows().get(row_number)
        if row is None:
            return []
        return [c for c in row if isinstance(c.tag, str) and local(c) == "c"]

    def child(self, name: str):
        return self.root.find(q(name))

    def used_columns(self) -> int:
        """Last used column number: from ``<dimension>``, else the cells themselves."""
        dim = self.child("dimension")
        if dim is not None:
            last = dim.get("ref", "").split(":")[-1]
            try:
                return split_cell(last)[1]
            except ValueError:
                pass
        best = 0
        for row in self.rows().values():
            for c in row:
                r = c.get("r") if isinstance(c.tag, str) else None
                if r:
                    best = max(best, split_cell(r)[1])
        return best

    def inherited_style(self, row_number: int, col: int) -> int:
        """The format an absent cell shows: its row's (when custom), else its column's."""
        row = self.rows().get(row_number)
        if row is not None and row.get("customFormat") in ("1", "true") and row.get("s"):
            return int(row.get("s"))
        if self._col_styles is None:
            self._col_styles = []
            cols = self.child("cols")
            for c in cols if cols is not None else ():
                if isinstance(c.tag, str) and c.get("style"):
                    self._col_styles.append((int(c.get("min")), int(c.get("max")), int(c.get("style"))))
        for lo, hi, style in self._col_styles:
            if lo <= col <= hi:
                return style
        return 0

    def fill_row(self, row_number: int, last_col: int) -> list:
        """The row's cells from column 1 to ``last_col``, creating absent ones (empty,
        with the format they inherit) in column order; returns every cell of the row."""
        row = self.rows().get(row_number)
        if row is None:
            return []
        present = {}
        for c in row:
            if isinstance(c.tag, str) and local(c) == "c" and c.get("r"):
                present[split_cell(c.get("r"))[1]] = c
        if len(present) != sum(1 for c in row if isinstance(c.tag, str) and local(c) == "c"):
            return self.cells(row_number)  # cells without r: leave such a row as it is
        for col in range(1, last_col + 1):
            if col in present:
                continue
            el = etree.Element(q("c"))
            el.set("r", f"{col_letter(col)}{row_number}")
            style = self.inherited_style(row_number, col)
            if style:
                el.set("s", str(style))
            after = [k for k in present if k < col]
            if after:
                present[max(after)].addnext(el)
            else:
                row.insert(0, el)
            el.tail = None
            present[col] = el
        return self.cells(row_number)

    def insert(self, el) -> None:
        insert_in_order(self.root, el, WORKSHEET_ORDER)
