"""PDF copies of the pack, made by LibreOffice as PDF/UA, then checked.

Headless LibreOffice converts the files, one process a core (two at most), each with
a throw-away profile (so it works beside an open LibreOffice and in parallel CI jobs), exporting
tagged PDF with LibreOffice's PDF/UA option. Three things LibreOffice 7 gets wrong are
then put right with pikepdf: the language is missing from the XMP metadata (it is
copied from the catalog's ``/Lang``); a native chart's Figure carries no alternative
text (it gets the chart's own, from the Word file, in the same order); and an empty
table cell leaves an empty paragraph element behind (removed). Each PDF is then
checked (:func:`ipxl.pack.pdfua.check_pdf`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import OutputExists, PdfUnavailable

#: LibreOffice's PDF export options: tagged PDF/UA-1, bookmarks from headings.
EXPORT_OPTIONS = {
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "PDFUACompliance": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
    "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},
}
TIMEOUT = 600


def to_pdf(paths: Iterable[str | Path], out_dir: str | Path | None = None, force: bool = False) -> list[Path]:
    """Convert .docx files to PDF/UA with LibreOffice, beside them or in ``out_dir``;
    return the PDFs in the order given. Raises :class:`PdfUnavailable` when LibreOffice
    is not installed, fails, or leaves a file unconverted."""
    files = [Path(p) for p in paths if Path(p).suffix.lower() == ".docx"]
    if not files:
        return []
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise PdfUnavailable(
            "LibreOffice is not installed, so no PDFs were made; install it "
            "(for example `apt install libreoffice-writer-nogui`) or save the Word files as PDF from Word."
        )
    targets = [(Path(out_dir) if out_dir else p.parent) / f"{p.stem}.pdf" for p in files]
    if not force:
        for t in targets:
            if t.exists():
                raise OutputExists(f"{t} already exists; choose another --out folder or add --force to replace it.")
    with tempfile.TemporaryDirectory(prefix="ipxl-lo-") as tmp:
        # LibreOffice names its output after the input's stem; copies with plain names
        # keep two inputs with the same stem (or odd characters) apart.
        inputs = []
        for i, p in enumerate(files):
            copy = Path(tmp) / f"in{i:03d}.docx"
            shutil.copyfile(p, copy)
            inputs.append(copy)
        work = Path(tmp) / "pdf"
        work.mkdir()
        codes = _convert(soffice, inputs, Path(tmp), work)
        written = []
        for p, copy, t in zip(files, inputs, targets):
            made = work / f"{copy.stem}.pdf"
            if not made.exists():
                crashed = any(c < 0 or c > 1 for c in codes)
                why = "LibreOffice stopped before it finished" if crashed else "LibreOffice could not convert it"
                raise PdfUnavailable(
                    f"{p.name} was not converted to PDF ({why}); run the command again, or open the file in Word "
                    "or LibreOffice and save it as PDF."
                )
            _finish(made, chart_alts(p))
            t.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(made), t)
            written.append(t)
    return written


#: LibreOffice processes converting at once: its start-up and each file's layout are
#: single-threaded, so on two cores two processes take about half the time.
MAX_PROCESSES = 2


def _convert(soffice: str, inputs: list[Path], tmp: Path, out: Path) -> list[int]:
    """Convert ``inputs`` into ``out`` with as many LibreOffice processes as there are
    cores (up to :data:`MAX_PROCESSES`), each with a throw-away profile of its own and
    about the same bytes to convert; returns their exit codes."""
    from ..xlsx.background import cores

    n = max(1, min(cores(), MAX_PROCESSES, len(inputs)))
    groups: list[list[Path]] = [[] for _ in range(n)]
    sizes = [0] * n
    for path in sorted(inputs, key=lambda p: p.stat().st_size, reverse=True):
        k = sizes.index(min(sizes))
        groups[k].append(path)
        sizes[k] += path.stat().st_size
    procs = []
    try:
        for k, group in enumerate(groups):
            cmd = [
                soffice,
                f"-env:UserInstallation={(tmp / f'profile{k}').as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--convert-to",
                "pdf:writer_pdf_Export:" + json.dumps(EXPORT_OPTIONS),
                "--outdir",
                str(out),
                *[str(p) for p in group],
            ]
            procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        return [proc.wait(timeout=TIMEOUT) for proc in procs]
    except subprocess.TimeoutExpired:
        raise PdfUnavailable(
            f"LibreOffice did not finish converting the pack within {TIMEOUT // 60} minutes, so no PDFs were "
            "made; run it again, or save the Word files as PDF from Word."
        ) from None
    except OSError as exc:
        raise PdfUnavailable(
            f"LibreOffice could not be started ({exc.strerror or type(exc).__name__}), so no PDFs were made; "
            "check the installation, or save the Word files as PDF from Word."
        ) from None
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def chart_alts(docx: Path) -> list[str]:
    """The alternative text of each native chart in a Word file, in document order."""
    import zipfile

    from lxml import etree

    wp = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    chart_uri = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    with zipfile.ZipFile(docx) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    alts = []
    for drawing in root.iter(f"{wp}inline", f"{wp}anchor"):
        data = drawing.find(".//{http://schemas.openxmlformats.org/drawingml/2006/main}graphicData")
        doc_pr = drawing.find(f"{wp}docPr")
        if data is not None and data.get("uri") == chart_uri and doc_pr is not None:
            alts.append(doc_pr.get("descr") or "")
    return alts


#: Structure elements that group others: kept while they hold anything, even an empty
#: table cell (a blank value is a cell all the same).
_GROUPS = {"/Document", "/Part", "/Sect", "/Div", "/Art", "/NonStruct", "/Table", "/THead", "/TBody", "/TFoot", "/TR",
           "/L", "/LI", "/LBody"}  # fmt: skip
_CELLS = {"/TD", "/TH"}


def _finish(pdf_path: Path, alts: list[str]) -> None:
    """Put right what LibreOffice leaves out (see the module's docstring)."""
    import pikepdf

    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        lang = str(pdf.Root.get("/Lang", "")) or "en-GB"
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            if "dc:language" not in str(meta):
                meta["dc:language"] = [lang]
        root = pdf.Root.get("/StructTreeRoot")
        if root is not None:
            roles = {str(k): str(v) for k, v in dict(root.get("/RoleMap", {})).items()}
            missing: list = []
            _walk(root, roles, missing, pikepdf, inside_figure=False)
            if len(missing) == len(alts):
                for figure, alt in zip(missing, alts):
                    figure.Alt = pikepdf.String(alt)
        pdf.save(pdf_path)


def _walk(node, roles: dict[str, str], missing: list, pikepdf, inside_figure: bool) -> tuple[bool, int]:
    """Collect outermost Figures without /Alt into ``missing`` and drop elements under
    ``node`` that hold nothing (LibreOffice leaves an empty paragraph in an empty cell,
    and an empty row for a header row repeated on a new page); returns whether
    ``node`` holds content and how many children it keeps."""
    kids = node.get("/K")
    if kids is None:
        return False, 0
    items = kids if isinstance(kids, pikepdf.Array) else pikepdf.Array([kids])
    keep = pikepdf.Array()
    content = False
    for k in items:
        if not isinstance(k, pikepdf.Dictionary) or k.get("/Type") in ("/MCR", "/OBJR"):
            keep.append(k)
            content = True
            continue
        kind = roles.get(str(k.get("/S", "")), str(k.get("/S", "")))
        figure = kind == "/Figure"
        if figure and not inside_figure and "/Alt" not in k:
            missing.append(k)
        has, kept = _walk(k, roles, missing, pikepdf, inside_figure or figure)
        if has or kind in _CELLS or (kind in _GROUPS and kept):
            keep.append(k)
            content = content or has
    if len(keep) != len(items):
        node.K = keep
    return content, len(keep)
