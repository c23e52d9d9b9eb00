"""The package as OPC (ECMA-376 Part 2) defines it, not as Excel happens to lay it out.

OPC names no fixed place for any part: the workbook part is wherever the package's
own relationships (``_rels/.rels``) put it, and every other part is found through the
relationships of the part that uses it. An XML part may be in any encoding its
byte-order mark or declaration names (Power Query stores its DataMashup item in
UTF-16). Excel opens all of these; so must ipxl.

python-calamine, the fast reader, assumes more: the workbook part's folder holds
``workbook.xml``, ``styles.xml`` and ``sharedStrings.xml`` under those names, every
part is UTF-8, and the workbook lists only worksheets, chart sheets and dialog sheets
(an Excel 4 macro sheet makes it refuse the file); :mod:`ipxl.xlsx.calamine` gives
it a copy laid out so where the file is not.
"""

from __future__ import annotations

import codecs
import posixpath
import re

#: Encodings that are UTF-8 as bytes (all python-calamine reads).
UTF8 = frozenset({"utf-8", "utf-8-sig", "ascii"})

_DECLARED = re.compile(rb"""^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")


def xml_encoding(head: bytes) -> str:
    """The encoding of an XML part whose bytes start with ``head`` (XML 1.0, appendix
    F): its byte-order mark, else the pattern of its first characters (UTF-16 without
    a mark), else the encoding its declaration names, else UTF-8. Names are Python's
    (``utf-16``, ``iso8859-1``); a declared encoding Python does not know is given as
    declared, lower case."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(b"<\x00?\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00<\x00?"):
        return "utf-16-be"
    m = _DECLARED.match(head)
    if m is None:
        return "utf-8"
    declared = m.group(1).decode("ascii")
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return declared.lower()
    # a declaration naming a 16- or 32-bit encoding in a part of 8-bit bytes is
    # wrong about itself; XML parsers go by the bytes
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def is_wide(codec: str) -> bool:
    """Whether bytes in ``codec`` are not ASCII-compatible (a check of raw bytes for
    control characters would see the zero bytes of every character)."""
    return codec.startswith(("utf-16", "utf-32"))


def decoded(data: bytes, codec: str) -> str:
    """An XML part's text (byte-order mark dropped); UnicodeError, LookupError when
    its bytes are not in ``codec`` or Python does not know it."""
    text = data.decode(codec)
    return text[1:] if text.startswith("\ufeff") else text


def to_utf8(data: bytes, codec: str) -> bytes:
    """An XML part in ``codec`` as the same XML in UTF-8 (its declaration says so)."""
    text = decoded(data, codec)
    text = re.sub(r"""^(<\?xml[^>]*?\sencoding\s*=\s*)["'][^"']*["']""", r'\1"UTF-8"', text, count=1)
    return text.encode("utf-8")


def resolve(source_part: str, target: str) -> str:
    """The part a relationship of ``source_part`` names (``""`` for the package)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def rels_name(part: str) -> str:
    """The relationships part of ``part`` (``""``, the package: ``_rels/.rels``)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")
