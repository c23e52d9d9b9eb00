"""python-calamine over any valid package, not only the ones laid out as Excel saves them.

python-calamine, the fast reader, assumes what OPC does not (:mod:`ipxl.xlsx.opc`):
the workbook part's folder holds ``workbook.xml``, ``styles.xml`` and
``sharedStrings.xml`` under those names, every part is UTF-8, and the workbook lists
only worksheets, chart sheets and dialog sheets (an Excel 4 macro sheet makes it
refuse the file). :func:`calamine_book` gives it the file as it is when the file is
laid out so (every workbook Excel saves), and otherwise a copy made in memory that
is: the parts it reads, moved to the names it expects, turned into UTF-8, the sheets
it does not know left out of the list. Nothing is written to disk, and the file
itself is never changed by reading it.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from pathlib import Path

from ..errors import NotAWorkbook
from .opc import UTF8, rels_name, resolve, to_utf8
from .package import PackageInfo, safe_parser, short_error

#: The sheet kinds python-calamine reads or lists; a workbook listing any other kind
#: (an Excel 4 macro sheet, ``xlMacrosheet``) is given to it without that sheet.
CALAMINE_SHEETS = frozenset({"worksheet", "chartsheet", "dialogsheet"})


def calamine_ready(info: PackageInfo) -> bool:
    """Whether python-calamine reads the package as it is (every workbook Excel saves)."""
    folder = posixpath.dirname(info.workbook)
    prefix = folder + "/" if folder else ""

    def where_expected(part: str | None, name: str) -> bool:
        # calamine takes the part of this name beside the workbook, named or not
        return part == prefix + name if part is not None else prefix + name not in info.infos

    return (
        posixpath.basename(info.workbook) == "workbook.xml"
        and where_expected(info.styles, "styles.xml")
        and where_expected(info.shared_strings, "sharedStrings.xml")
        and not info.other_sheets
        and all(codec in UTF8 for codec in info.encodings.values())
    )


def calamine_book(path: Path, info: PackageInfo):
    """python-calamine's workbook of the checked package at ``path``: the file as it
    is, or a copy in memory laid out as calamine expects (see the module's
    docstring). Raises :class:`~ipxl.errors.NotAWorkbook` with one sentence when
    calamine cannot read it either way; None where python-calamine has no build (Pyodide,
    under xlwings Lite), for the cell-by-cell reader."""
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None

    try:
        if not calamine_ready(info):
            return CalamineWorkbook.from_filelike(io.BytesIO(calamine_copy(path, info)))
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return CalamineWorkbook.from_path(str(path))
        # calamine picks its reader by the file's name: a package named otherwise (an
        # .xlsx renamed .xls) is given as what it is, an Excel package
        with open(path, "rb") as fh:
            return CalamineWorkbook.from_filelike(fh)
    except NotAWorkbook:
        raise
    except Exception as exc:  # calamine raises its own error types for bad packages
        raise NotAWorkbook(
            f"{path.name} could not be read as an Excel workbook ({short_error(exc)}); "
            "open it in Excel and save it again as .xlsx or .xlsm."
        ) from None


_WORKBOOK = "workbook.xml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def calamine_copy(path: Path, info: PackageInfo) -> bytes:
    """The parts python-calamine reads, as a package laid out as it expects: the
    workbook part as ``<folder>/workbook.xml`` listing only the sheets it knows,
    relationships to the worksheets by their own names, the styles and shared strings
    beside it under the names it looks for, every part in UTF-8. Worksheets already
    in UTF-8 are copied as their compressed bytes, not inflated."""
    from lxml import etree

    from .patch import _copy_raw  # the raw copy of a part's compressed bytes

    sheets = set(info.sheets.values())
    folder = "xl/"
    while sheets & {folder + n for n in (_WORKBOOK, f"_rels/{_WORKBOOK}.rels", "styles.xml", "sharedStrings.xml")}:
        # the copy's own parts must not land on a worksheet's name
        folder = "ipxl-" + folder
    buf = io.BytesIO()
    try:
        with zipfile.ZipFile(path) as zf, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:

            def utf8_part(name: str) -> bytes:
                data = zf.read(name)
                codec = info.encodings.get(name, "utf-8")
                return data if codec in UTF8 else to_utf8(data, codec)

            workbook = etree.fromstring(utf8_part(info.workbook), safe_parser())
            rels: dict[str, tuple[str, str]] = {}
            rels_part = rels_name(info.workbook)
            if rels_part in info.infos:
                for rel in etree.fromstring(utf8_part(rels_part), safe_parser()):
                    if rel.get("TargetMode") != "External" and rel.get("Target"):
                        target = resolve(info.workbook, rel.get("Target", ""))
                        rels[rel.get("Id", "")] = (rel.get("Type", ""), target)
            r_id = f"{{{_REL}}}id"
            kept = []
            for sheet in list(workbook.iter("{*}sheet")):
                typ, target = rels.get(sheet.get(r_id, ""), ("", ""))
                if typ.rsplit("/", 1)[-1] in CALAMINE_SHEETS:
                    kept.append((sheet.get(r_id, ""), typ, target))
                elif typ:
                    sheet.getparent().remove(sheet)
            out.writestr(
                "_rels/.rels",
                f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                f'Type="{_REL}/officeDocument" Target="{folder}{_WORKBOOK}"/></Relationships>',
            )
            out.writestr(folder + _WORKBOOK, etree.tostring(workbook, encoding="UTF-8", xml_declaration=True))
            links = [
                f'<Relationship Id="{_attr(rid)}" Type="{_attr(typ)}" Target="/{_attr(target)}"/>'
                for rid, typ, target in kept
            ]
            out.writestr(
                f"{folder}_rels/{_WORKBOOK}.rels", f'<Relationships xmlns="{_PKG_REL}">{"".join(links)}</Relationships>'
            )
            for part, name in ((info.styles, "styles.xml"), (info.shared_strings, "sharedStrings.xml")):
                if part is not None:
                    out.writestr(folder + name, utf8_part(part))
            for part in sorted(sheets):
                if info.encodings.get(part, "utf-8") in UTF8:
                    _copy_raw(zf, info.infos[part], out)
                else:
                    out.writestr(part, utf8_part(part))
    except (UnicodeError, LookupError, etree.XMLSyntaxError, KeyError) as exc:
        raise NotAWorkbook(
            f"{path.name} could not be read as an Excel workbook ({type(exc).__name__}); "
            "open it in Excel and save it again as .xlsx or .xlsm."
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise NotAWorkbook(
            f"{path.name} is damaged (the file is not a complete Excel package); "
            "restore it from a backup or save it again from Excel."
        ) from None
    return buf.getvalue()


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
