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
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import NotAWorkbook, WorkbookUnusable
from .background import cores
from .opc import UTF8, xml_encoding
from .package import PackageInfo, check_file
from .safe_write import (
    atomic_write,
    check_output_name,
    check_unchanged,
    check_writable,
    fingerprint,
    real_path,
    workbook_lock,
    write_backup,
)
from .xml import (
    CT,
    CT_WORKSHEET,
    PARSER,
    PKG_REL,
    REL_WORKSHEET,
    STRICT_MAIN,
    R,
    int_attr,
    local,
    q,
)


@dataclass(frozen=True)
class SaveResult:
    """Where a patched workbook went: the file written, the backup kept (in-place
    saves only), the parts whose bytes differ from the source's, and whether a file
    was written at all (a copy to ``--output`` is written even when nothing changed)."""

    path: Path
    backup: Path | None
    changed: tuple[str, ...]
    written: bool = True


# ------------------------------------------------------------------------- package


class Package:
    """An open .xlsx/.xlsm package whose parts can be patched and saved losslessly."""

    def __init__(self, path: str | Path, *, checked: PackageInfo | None = None):
        self.path = Path(path)
        # the same one-sentence answers as reading (missing, folder, empty, encrypted,
        # text, Word document, damaged) before zipfile gives a vaguer one
        info = checked if checked is not None else check_file(self.path)
        #: the workbook part, wherever the package's relationships put it
        self.workbook = info.workbook
        #: size and hash of the bytes read, compared again just before an in-place save
        self.fingerprint = fingerprint(self.path)
        try:
            self._zf = zipfile.ZipFile(self.path)
            self._infos = self._zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise NotAWorkbook(
                f"{self.path.name} is not a complete Excel package; restore it from a backup "
                "or save it again from Excel."
            ) from None
        self._by_name = {i.filename: i for i in self._infos}
        if self.workbook not in self._by_name:
            self._zf.close()
            raise NotAWorkbook(f"{self.path.name} is not an Excel workbook; give the .xlsx or .xlsm file.")
        self._trees: dict[str, etree._Element] = {}
        self._original: dict[str, bytes] = {}
        self._written: dict[str, bytes] = {}  # new or replaced parts, as bytes
        #: parts edited through a view of their own (a streamed sheet), which
        #: serialises them on demand
        self._views: dict[str, Callable[[], bytes]] = {}
        self._new_order: list[str] = []  # names of parts that did not exist, in creation order
        self._deleted: set[str] = set()
        self._final: dict[str, bytes] = {}
        root = self.xml(self.workbook)
        if root.tag == q("workbook", STRICT_MAIN):
            raise WorkbookUnusable(
                f"{self.path.name} is saved as Strict Open XML, which ipxl cannot edit; "
                "save it from Excel as an ordinary Excel Workbook (.xlsx) or Macro-Enabled Workbook (.xlsm)."
            )

    # -- context manager
    def __enter__(self) -> Package:
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

    def edited(self, name: str) -> bool:
        """Whether the part may differ from the original (parsed, written or viewed)."""
        return name in self._trees or name in self._written or name in self._views

    def attach(self, name: str, serialise: Callable[[], bytes]) -> None:
        """Let a view of an existing part (a streamed sheet) give its bytes when saved."""
        self._trees.pop(name, None)
        self._views[name] = serialise

    def read(self, name: str) -> bytes:
        """Current bytes of a part (edited parts are serialised)."""
        if name in self._views:
            return self._views[name]()
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
        self._views.pop(name, None)
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
        self._views.pop(name, None)
        self._written.pop(name, None)
        self._deleted.add(name)

    # -- XML parts
    def xml(self, name: str):
        """The parsed root of a part, cached; edits to it are saved."""
        if name not in self._trees:
            view = self._views.pop(name, None)
            data = view() if view is not None else self._written.get(name)
            if data is None:
                data = self._read_original(name)
            try:
                self._trees[name] = etree.fromstring(data, PARSER)
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
            same = etree.tostring(etree.fromstring(original, PARSER), encoding="UTF-8", xml_declaration=False)
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
            if self.edited(name):
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
            self.write(
                rn,
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<Relationships xmlns="' + PKG_REL.encode() + b'"/>',
            )
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

    def beside_workbook(self, name: str) -> str:
        """``name`` in the workbook part's folder (``xl/`` as Excel writes it)."""
        return posixpath.join(posixpath.dirname(self.workbook), name)

    def related(self, part: str, rel_type: str) -> str | None:
        """The part ``part``'s first relationship of ``rel_type`` names, if it is there."""
        for _, typ, target, mode in self.rels(part):
            if typ == rel_type and mode == "Internal" and self.has(target):
                return target
        return None

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
        wb = self.xml(self.workbook)
        rels = {rid: (typ, target) for rid, typ, target, _ in self.rels(self.workbook)}
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
        wb = self.xml(self.workbook)
        if any(s.get("name", "").casefold() == name.casefold() for s in wb.iter(q("sheet"))):
            raise WorkbookUnusable(
                f"{self.path.name} has a sheet called {name!r} that is not a worksheet (a chart sheet?); "
                f"rename or delete it so ipxl can write its own {name} sheet."
            )
        part = self.free_name(self.beside_workbook("worksheets/sheet{}.xml"))
        self.write(part, xml)
        self.add_override(part, CT_WORKSHEET)
        rid = self.add_rel(self.workbook, REL_WORKSHEET, part)
        wb = self.xml(self.workbook)
        sheets = wb.find(q("sheets"))
        ids = [int_attr(s.get("sheetId")) for s in sheets]
        el = etree.SubElement(sheets, q("sheet"))
        el.set("name", name)
        el.set("sheetId", str(max(ids, default=0) + 1))
        el.set(q("id", R), rid)
        return part

    def sheet_id(self, name: str) -> int | None:
        wb = self.xml(self.workbook)
        for sh in wb.find(q("sheets")):
            if sh.get("name", "").casefold() == name.casefold():
                return int_attr(sh.get("sheetId"))
        return None

    # -- saving
    def save(
        self, output: str | Path | None = None, *, backup: bool = True, now: dt.datetime | None = None
    ) -> SaveResult:
        """Write the package atomically to ``output`` (default: in place).

        In place, a timestamped backup copy is kept beside the workbook first. The file
        is written to a temporary file in the target's folder, flushed to disk and
        renamed over the target, so any failure leaves the target as it was and no
        temporary file behind. When nothing changed and the target is the source,
        nothing is written at all.
        """
        # serialise each edited part once; the zip writer reuses these bytes
        self._final = {n: self.read(n) for n in self.names() if self.edited(n)}
        try:
            return self._save(output, backup, now)
        finally:
            self._final = {}

    def _save(self, output, backup: bool, now) -> SaveResult:
        target = Path(output) if output is not None else self.path
        in_place = real_path(target) == real_path(self.path)
        changed = tuple(self.changed())
        if in_place and not changed:
            return SaveResult(target, None, (), written=False)
        if not in_place:
            check_output_name(self.path, target)
        check_writable(target, source=self.path)
        # write through a symbolic link to the file it names, under the lock (already
        # held for the whole operation by a write-back; taken here otherwise)
        with workbook_lock(target) as real:
            backup_file = None
            try:
                if in_place and backup:
                    check_unchanged(real, self.fingerprint)
                    backup_file = write_backup(real, now)
                atomic_write(
                    real,
                    self._write_zip,
                    mode_from=real if real.exists() else self.path,
                    before_replace=(lambda: check_unchanged(real, self.fingerprint)) if in_place else None,
                )
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
                if self.edited(name):
                    data = self._final[name] if name in self._final else self.read(name)
                    if data is self._original.get(name) or data == self._read_original(name):
                        _copy_raw(self._zf, info, out)
                        continue
                    _write_entry(out, _clone_info(info), data)
                else:
                    _copy_raw(self._zf, info, out)
            for name in self._new_order:
                if name in self._deleted:
                    continue
                zi = zipfile.ZipInfo(name, date_time=_zip_now())
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = 0o600 << 16
                _write_entry(out, zi, self._final[name] if name in self._final else self.read(name))


#: Deflate a part this large or larger in pieces of this size on every core; the
#: pieces join into one deflate stream (each starts from the 32 KB before it, as pigz
#: does), so the bytes are the same on one core or four and any inflater reads them.
DEFLATE_PIECE = 1 << 20


def _write_entry(out: zipfile.ZipFile, zi: zipfile.ZipInfo, data: bytes) -> None:
    """Write one part, deflated (or stored, when ``zi`` says so); a large sheet is
    deflated on all cores, which halves the longest step of a write on two."""
    if zi.compress_type != zipfile.ZIP_DEFLATED or len(data) < 4 * DEFLATE_PIECE:
        out.writestr(zi, data, compress_type=zi.compress_type)
        return
    zi.file_size, zi.CRC = len(data), zlib.crc32(data)
    raw = _deflate(data)
    zi.compress_size = len(raw)
    _append_raw(out, zi, raw)


def _deflate(data: bytes, workers: int | None = None) -> bytes:
    """``data`` as a raw deflate stream (zlib's default level, as zipfile writes),
    made piece by piece on ``workers`` threads (default: one a core; zlib lets go
    of the GIL)."""
    view = memoryview(data)
    starts = range(0, max(len(data), 1), DEFLATE_PIECE)
    last = starts[-1]

    def piece(start: int) -> bytes:
        window = view[max(0, start - 32768) : start]
        z = (
            zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15, zdict=window)
            if start
            else zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        )
        body = z.compress(view[start : start + DEFLATE_PIECE])
        return body + z.flush(zlib.Z_FINISH if start == last else zlib.Z_SYNC_FLUSH)

    workers = cores() if workers is None else workers
    if workers < 2:
        return b"".join(map(piece, starts))
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers, thread_name_prefix="ipxl-deflate") as pool:
        return b"".join(pool.map(piece, starts))


def _zip_now() -> tuple:
    t = dt.datetime.now()
    return (max(t.year, 1980), t.month, t.day, t.hour, t.minute, t.second)


def _clone_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    zi.compress_type = (
        info.compress_type if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) else zipfile.ZIP_DEFLATED
    )
    zi.external_attr = info.external_attr
    zi.create_system = info.create_system
    zi.comment = info.comment
    return zi


#: A zip local file header (APPNOTE 4.3.7): signature, versions, flags, method, time,
#: date, CRC, sizes, then the lengths of the name and the extra field.
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"


def _copy_raw(src: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
    """Copy one entry's compressed bytes as they are (no recompression), so untouched
    parts are byte-identical even inside the zip."""
    zi = copy.copy(info)
    zi.extra = _strip_zip64(info.extra)
    _append_raw(out, zi, _raw_data(src, info))


def _raw_data(src: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """An entry's compressed bytes, as they are in the file (past its local header)."""
    fp = src.fp
    assert fp is not None  # the archive is open
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    fields = _LOCAL_HEADER.unpack(header)
    fp.seek(fields[10] + fields[11], 1)  # past the name and the extra field
    return fp.read(info.compress_size)


def _append_raw(out: zipfile.ZipFile, zi: zipfile.ZipInfo, raw: bytes) -> None:
    """Append an entry whose compressed bytes, sizes and CRC are known."""
    dest = out.fp
    assert dest is not None  # the archive is open
    zi.flag_bits &= ~0x08  # sizes are known: no data descriptor after the data
    zi.header_offset = dest.tell()
    dest.write(zi.FileHeader(None))
    dest.write(raw)
    out.filelist.append(zi)
    out.NameToInfo[zi.filename] = zi
    out.start_dir = dest.tell()  # zipfile's own bookkeeping
    out._didModify = True  # type: ignore[attr-defined]


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
    """The original XML declaration with the whitespace after it (or nothing), for
    the part's new bytes, which lxml writes in UTF-8: a declaration naming another
    encoding (a part in UTF-16 or ISO-8859-1) is given ``encoding="UTF-8"``."""
    codec = xml_encoding(data[:256])
    if codec not in UTF8:
        try:
            head = data[:1024].decode(codec, "ignore").lstrip("\ufeff")
        except LookupError:  # an encoding Python does not know: no declaration
            return b""
        declared = re.match(r"^<\?xml[^>]*\?>\s*", head)
        if declared is None:
            return b""
        return re.sub(r"""(\sencoding\s*=\s*)["'][^"']*["']""", r'\1"UTF-8"', declared.group(0), count=1).encode()
    m = re.match(rb"^(\xef\xbb\xbf)?<\?xml[^>]*\?>\s*", data)
    return m.group(0) if m else b""


_NS_TAG = re.compile(rb"<[A-Za-z_][^<>]*?\sxmlns[:=][^<>]*>")
_ATTR = re.compile(rb"""([^\s=<>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _tag_key(tag: bytes) -> tuple:
    m = re.match(rb"<([^\s/>]+)", tag)
    name = m.group(1) if m else tag
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
