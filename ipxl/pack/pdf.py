"""PDF copies of the pack, made by LibreOffice as PDF/UA, then checked.

Headless LibreOffice converts the files as the pack writes them (:class:`Converter`: a
first process starts on the reports while the appendices are still being made, a second
takes the rest), each process with a throw-away profile (so it works beside an open
LibreOffice and in parallel CI jobs), exporting
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
from ..xlsx.background import cores

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
    converter = Converter(out_dir, force)
    for p in paths:
        converter.add(p)
    return converter.finish()


def soffice_path() -> str:
    """LibreOffice's command, or :class:`PdfUnavailable` saying how to install it."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise PdfUnavailable(
            "LibreOffice is not installed, so no PDFs were made; install it "
            "(for example `apt install libreoffice-writer-nogui`) or save the Word files as PDF from Word."
        )
    return soffice


class Converter:
    """Word files to PDF/UA as they are written: once ``early`` files are in, a first
    LibreOffice starts on them while the rest are still being made (its start-up, about
    two seconds, is then not waited for); :meth:`finish` converts the rest in a second
    process and returns every PDF, in the order the files came."""

    def __init__(self, out_dir: str | Path | None = None, force: bool = False, early: int = 0):
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.force = force
        self.early = early
        self.soffice = soffice_path()
        self._tmp = tempfile.TemporaryDirectory(prefix="ipxl-lo-")
        self.tmp = Path(self._tmp.name)
        self.work = self.tmp / "pdf"
        self.work.mkdir()
        self.files: list[tuple[Path, Path, Path]] = []  #: (source, copy, target)
        self.waiting: list[Path] = []
        self.procs: list[subprocess.Popen] = []

    def add(self, path: str | Path) -> None:
        path = Path(path)
        if path.suffix.lower() != ".docx":
            return
        target = (self.out_dir or path.parent) / f"{path.stem}.pdf"
        if target.exists() and not self.force:
            self.close()
            raise OutputExists(f"{target} already exists; choose another --out folder or add --force to replace it.")
        # LibreOffice names its output after the input's stem; copies with plain names
        # keep two inputs with the same stem (or odd characters) apart.
        copy = self.tmp / f"in{len(self.files):03d}.docx"
        shutil.copyfile(path, copy)
        self.files.append((path, copy, target))
        self.waiting.append(copy)
        if self.early and not self.procs and len(self.waiting) >= self.early:
            self._start(self.waiting)
            self.waiting = []

    def finish(self) -> list[Path]:
        try:
            if self.waiting:
                if self.procs or cores() < 2:
                    self._start(self.waiting)
                else:
                    for group in _halves(self.waiting):
                        self._start(group)
            codes = self._wait()
            written = []
            for p, copy, t in self.files:
                made = self.work / f"{copy.stem}.pdf"
                if not made.exists():
                    crashed = any(c < 0 or c > 1 for c in codes)
                    why = "LibreOffice stopped before it finished" if crashed else "LibreOffice could not convert it"
                    raise PdfUnavailable(
                        f"{p.name} was not converted to PDF ({why}); run the command again, or open the file in "
                        "Word or LibreOffice and save it as PDF."
                    )
                _finish(made, chart_alts(p))
                t.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(made), t)
                written.append(t)
            return written
        finally:
            self.close()

    def close(self) -> None:
        """Stop any LibreOffice still running and remove the working files."""
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self._tmp.cleanup()

    def _start(self, inputs: list[Path]) -> None:
        cmd = [
            self.soffice,
            f"-env:UserInstallation={(self.tmp / f'profile{len(self.procs)}').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export:" + json.dumps(EXPORT_OPTIONS),
            "--outdir",
            str(self.work),
            *[str(p) for p in inputs],
        ]
        try:
            self.procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        except OSError as exc:
            self.close()
            raise PdfUnavailable(
                f"LibreOffice could not be started ({exc.strerror or type(exc).__name__}), so no PDFs were made; "
                "check the installation, or save the Word files as PDF from Word."
            ) from None

    def _wait(self) -> list[int]:
        try:
            return [proc.wait(timeout=TIMEOUT) for proc in self.procs]
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(
                f"LibreOffice did not finish converting the pack within {TIMEOUT // 60} minutes, so no PDFs were "
                "made; run it again, or save the Word files as PDF from Word."
            ) from None


def _halves(inputs: list[Path]) -> list[list[Path]]:
    """``inputs`` in two groups of about the same bytes (LibreOffice's layout of a file
    is single-threaded: two processes on two cores take about half the time)."""
    groups: list[list[Path]] = [[], []]
    sizes = [0, 0]
    for path in sorted(inputs, key=lambda p: p.stat().st_size, reverse=True):
        k = sizes.index(min(sizes))
        groups[k].append(path)
        sizes[k] += path.stat().st_size
    return [g for g in groups if g]


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
