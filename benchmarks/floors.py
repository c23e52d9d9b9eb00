"""The floors ipxl's commands are measured against: the least a process must do to get
the same result, with nothing of ipxl's own work in it.

    python benchmarks/floors.py imports                 import pandas and pandera, no more
    python benchmarks/floors.py read PLAN [PLAN ...]    fastexcel loads every record sheet
                                                        (Rust, straight to Arrow)
    python benchmarks/floors.py copy PLAN OUT           copy every part of PLAN unchanged
                                                        and rewrite its Actions sheet with lxml
    python benchmarks/floors.py pack-imports            import what the Word pack needs
    python benchmarks/floors.py libreoffice DOCX_DIR OUT
                                                        two plain LibreOffice processes
                                                        convert the Word files already
                                                        made to PDF/UA, half each

``copy`` is the floor of a write: any write-back must at least copy the package and
parse and serialise the sheet it changes. ``read`` is the floor of a read: the same
sheets, typed by a Rust reader, into columnar memory. ``imports`` is the floor of any
command that checks a workbook with pandera; ``pack-imports`` of the committee pack in
Word. ``libreoffice`` is the floor of the pack with PDFs: the conversion alone, as two
``soffice --convert-to`` processes (one per core of a 2-core machine, each with a
throw-away profile) given the finished Word files, longest first in turn, with ipxl's
PDF/UA export options; nothing of ipxl runs, neither the papers nor the PDF checks.
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


def pack_imports() -> None:
    import click  # noqa: F401
    import docxtpl  # noqa: F401
    import lxml.etree  # noqa: F401
    import pandas  # noqa: F401
    import python_calamine  # noqa: F401


def libreoffice(folder: str, out: str) -> None:
    import json
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    from ipxl.pack.pdf import EXPORT_OPTIONS

    files = sorted(Path(folder).glob("*.docx"), key=lambda p: -p.stat().st_size)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice is not None, "LibreOffice is not installed"
    target = "pdf:writer_pdf_Export:" + json.dumps(EXPORT_OPTIONS)
    with tempfile.TemporaryDirectory() as tmp:
        procs = []
        for n in range(2):
            profile = Path(tmp, f"profile{n}").as_uri()
            argv = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", target]
            argv += ["--outdir", out, *map(str, files[n::2])]
            procs.append(subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        for proc in procs:
            proc.wait()


def main(argv: list[str]) -> int:
    what, args = argv[0], argv[1:]
    if what == "imports":
        imports()
    elif what == "read":
        read(args)
    elif what == "copy":
        copy(*args)
    elif what == "pack-imports":
        pack_imports()
    elif what == "libreoffice":
        libreoffice(*args)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
