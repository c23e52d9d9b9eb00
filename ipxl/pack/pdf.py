"""PDF copies of the pack, made by LibreOffice as PDF/UA, then checked.

Headless LibreOffice converts the files (:class:`Converter`: it starts while the pack
is still being written, so its start-up costs no time), exporting tagged PDF with LibreOffice's PDF/UA option. Three things LibreOffice 7 gets wrong are
then put right with pikepdf: the language is missing from the XMP metadata (it is
copied from the catalog's ``/Lang``); a native chart's Figure carries no alternative
text (it gets the chart's own, from the Word file, in the same order); and an empty
table cell leaves an empty paragraph element behind (removed). Each PDF is then
checked (:func:`ipxl.pack.pdfua.check_pdf`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
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
    """Word files to PDF/UA, with LibreOffice's start-up hidden behind the pack's writing.

    LibreOffice takes about two seconds to start, longer than it takes to convert most
    papers. So the converter starts it at once, idle (one process for each core, at
    most two), while the pack is still being written. :meth:`add` takes each Word file
    as it is written; :meth:`finish` shares the files between the processes by their
    size and hands each its share the way a second ``soffice --convert-to`` does (it
    finds the first by its profile and passes the files over), then puts right and
    moves each PDF as soon as its share is converted. Each process has a throw-away
    profile, so it works beside an officer's open LibreOffice and in parallel CI jobs.
    """

    def __init__(self, out_dir: str | Path | None = None, force: bool = False, processes: int | None = None):
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.force = force
        self.soffice = soffice_path()
        self._tmp = tempfile.TemporaryDirectory(prefix="ipxl-lo-")
        self.tmp = Path(self._tmp.name)
        self.work = self.tmp / "pdf"
        self.work.mkdir()
        self.files: list[tuple[Path, Path, Path]] = []  #: (source, copy, target)
        self.offices: list[subprocess.Popen] = []
        self.clients: list[subprocess.Popen] = []
        for n in range(processes or min(2, cores())):
            # No file to convert: it waits for the one request finish() sends, and
            # ends when that is done.
            self.offices.append(self._spawn(n, ["--nologo", "--nodefault"]))

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

    def finish(self, on_pdf: Callable[[Path], object] | None = None) -> list[Path]:
        """Convert every file added; tell ``on_pdf`` of each PDF as soon as it is in
        place (the rest may still be converting); return the PDFs in the order added."""
        try:
            shares = _shares(self.files, len(self.offices))
            running = []
            for n, share in enumerate(shares):
                if share:
                    export = "pdf:writer_pdf_Export:" + json.dumps(EXPORT_OPTIONS)
                    args = ["--convert-to", export, "--outdir", str(self.work), *[str(c) for _, c, _ in share]]
                    self.clients.append(self._spawn(n, args))
                    running.append((self.clients[-1], share))
            deadline = time.monotonic() + TIMEOUT
            done: dict[Path, Path] = {}  #: copy -> PDF in place
            while running:
                for client, share in [r for r in running if r[0].poll() is not None]:
                    running.remove((client, share))
                    for source, copy, target in share:
                        done[copy] = self._place(source, copy, target, client.returncode)
                        if on_pdf is not None:
                            on_pdf(done[copy])
                if not running:
                    break
                if time.monotonic() > deadline:
                    raise PdfUnavailable(
                        f"LibreOffice did not finish converting the pack within {TIMEOUT // 60} minutes, so no PDFs "
                        "were made; run it again, or save the Word files as PDF from Word."
                    )
                time.sleep(0.02)
            return [done[copy] for _, copy, _ in self.files]
        finally:
            self.close()

    def close(self) -> None:
        """Stop any LibreOffice still running and remove the working files."""
        for proc in self.clients + self.offices:
            if proc.poll() is None:
                _stop(proc)
        self._tmp.cleanup()

    def _place(self, source: Path, copy: Path, target: Path, code: int) -> Path:
        made = self.work / f"{copy.stem}.pdf"
        if not made.exists():
            why = (
                "LibreOffice stopped before it finished" if code < 0 or code > 1 else "LibreOffice could not convert it"
            )
            raise PdfUnavailable(
                f"{source.name} was not converted to PDF ({why}); run the command again, or open the file in "
                "Word or LibreOffice and save it as PDF."
            )
        _finish(made, chart_alts(source))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(made), target)
        return target

    def _spawn(self, n: int, args: list[str]) -> subprocess.Popen:
        """LibreOffice with profile ``n``: the first started with a profile keeps it; a
        second started with the same one hands it ``args`` and waits until they are done."""
        profile = (self.tmp / f"profile{n}").as_uri()
        cmd = [self.soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nolockcheck", *args]
        quiet = subprocess.DEVNULL
        try:
            # a group of its own, so that _stop ends soffice.bin with its launcher
            if sys.platform == "win32":
                flags = subprocess.CREATE_NEW_PROCESS_GROUP
                return subprocess.Popen(cmd, stdout=quiet, stderr=quiet, creationflags=flags)
            return subprocess.Popen(cmd, stdout=quiet, stderr=quiet, start_new_session=True)
        except OSError as exc:
            self.close()
            raise PdfUnavailable(
                f"LibreOffice could not be started ({exc.strerror or type(exc).__name__}), so no PDFs were made; "
                "check the installation, or save the Word files as PDF from Word."
            ) from None


def _stop(proc: subprocess.Popen) -> None:
    """End LibreOffice and what it started (the ``soffice`` launcher runs ``soffice.bin``)."""
    try:
        if sys.platform == "win32":
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, check=False)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        proc.kill()
    proc.wait()


def _cost(path: Path) -> int:
    """About how long LibreOffice takes over a Word file, in bytes of its document part:
    its text and tables, with a native chart counting as about 30 KB of them."""
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
    body = sum(i.file_size for i in infos if i.filename == "word/document.xml")
    charts = sum(1 for i in infos if i.filename.startswith("word/charts/chart"))
    return 30_000 + body + 30_000 * charts


def _shares(files: list[tuple[Path, Path, Path]], n: int) -> list[list[tuple[Path, Path, Path]]]:
    """``files`` in ``n`` shares of about the same work, each in the order given
    (LibreOffice lays out one file at a time: two processes on two cores take about half
    as long)."""
    shares: list[list[tuple[Path, Path, Path]]] = [[] for _ in range(max(1, n))]
    loads = [0] * len(shares)
    costs = {f: _cost(f[1]) for f in files}
    for f in sorted(files, key=costs.__getitem__, reverse=True):
        k = loads.index(min(loads))
        shares[k].append(f)
        loads[k] += costs[f]
    order = {f: i for i, f in enumerate(files)}
    return [sorted(share, key=order.__getitem__) for share in shares]


def chart_alts(docx: Path) -> list[str]:
    """The alternative text of each native chart in a Word file, in document order."""
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
