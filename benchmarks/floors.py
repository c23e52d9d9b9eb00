"""The floors ipxl's commands are measured against: the least a process must do to get
the same result, with nothing of ipxl's own work in it.

    python benchmarks/floors.py imports                 import pandas and pandera, no more
    python benchmarks/floors.py read PLAN [PLAN ...]    fastexcel loads every record sheet
                                                        (Rust, straight to Arrow)
    python benchmarks/floors.py copy PLAN OUT           copy every part of PLAN unchanged
                                                        and rewrite its Actions sheet with lxml

``copy`` is the floor of a write: any write-back must at least copy the package and
parse and serialise the sheet it changes. ``read`` is the floor of a read: the same
sheets, typed by a Rust reader, into columnar memory. ``imports`` is the floor of any
command that checks a workbook with pandera.
"""

from __future__ import annotations

import sys
import zipfile


def imports() -> None:
    import pandas  # noqa: F401
    import pandera.pandas  # noqa: F401


def read(paths: list[str]) -> None:
    import fastexcel

    from ipxl import defaults as D

    wanted = {D.SHEET_NAMES[k] for k in (*D.RECORD_SHEETS, "settings", "lists")}
    for path in paths:
        reader = fastexcel.read_excel(path)
        for name in reader.sheet_names:
            if name in wanted:
                reader.load_sheet_by_name(name)


def copy(src: str, dst: str) -> None:
    import re

    from lxml import etree

    # The raw-entry copy ipxl itself uses: unchanged parts are never recompressed.
    from ipxl.xlsx.patch import _copy_raw

    with zipfile.ZipFile(src) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(r'<sheet [^>]*name="Actions"[^>]*r:id="(rId\d+)"', workbook).group(1)
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
        part = (target.group(1) or target.group(2)).lstrip("/")
        part = part if part.startswith("xl/") else "xl/" + part
        with zipfile.ZipFile(dst, "w", allowZip64=True) as out:
            for info in zf.infolist():
                if info.filename == part:
                    with zf.open(info) as fh:
                        tree = etree.parse(fh)
                    out.writestr(info.filename, etree.tostring(tree), compress_type=zipfile.ZIP_DEFLATED)
                else:
                    _copy_raw(zf, info, out)


def main(argv: list[str]) -> int:
    what, args = argv[0], argv[1:]
    if what == "imports":
        imports()
    elif what == "read":
        read(args)
    elif what == "copy":
        copy(*args)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
