"""PDF copies of the pack, made by LibreOffice as PDF/UA, then checked.

Headless LibreOffice converts the files (:class:`Converter`: it starts with the
command and converts each paper as soon as it is written), exporting tagged PDF with
its PDF/UA option. Three things LibreOffice 7 gets wrong are then put right with
pikepdf: the language is missing from the XMP metadata (it is
copied from the catalog's ``/Lang``); a native chart's Figure carries no alternative
text (it gets the chart's own, from the Word file, in the same order); and an empty
table cell leaves an empty paragraph element behind (removed). Each PDF is then
checked in the same opening (:func:`ipxl.pack.pdfua.check_open`, given as ``check``).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
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
    """Word files to PDF/UA, converted while the pack is still being written.

    LibreOffice takes about two seconds to start, longer than it takes to convert most
    papers. So the converter starts it at once (one process for each core, at most
    two), each holding a small document open so that it stays up between requests,
    and :meth:`add` queues each Word file as soon as it is written. A thread per
    process hands it the next file waiting the way a second ``soffice --convert-to``
    does: it finds the first by its profile, passes the file over and waits while it
    is converted. :meth:`finish` puts right and moves each PDF as it comes back, and
    :meth:`close` ends LibreOffice and removes everything it left (its temporary files
    are kept in the converter's own folder; the pipe it listened on is removed). Each process
    has a throw-away profile, so it works beside an officer's open LibreOffice and in
    parallel CI jobs.
    """

    def __init__(
        self,
        out_dir: str | Path | None = None,
        force: bool = False,
        processes: int | None = None,
        check: Callable | None = None,
    ):
        import queue
        import threading

        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.force = force
        #: ``check`` (:func:`ipxl.pack.pdfua.check_open`) runs on each PDF as it is put
        #: right, in the same opening; what it finds, by file name
        self.check = check
        self.problems: dict[str, list[str]] = {}
        self.soffice = soffice_path()
        self._tmp = tempfile.TemporaryDirectory(prefix="ipxl-lo-")
        self.tmp = Path(self._tmp.name)
        self.work = self.tmp / "pdf"
        self.work.mkdir()
        (self.tmp / "temp").mkdir()
        self.files: list[tuple[Path, Path, Path]] = []  #: (source, copy, target)
        self._todo: queue.SimpleQueue = queue.SimpleQueue()  #: files waiting; None: no more
        self._back: queue.SimpleQueue = queue.SimpleQueue()  #: (batch, LibreOffice's exit code)
        self._lock = threading.Lock()
        self._started: list[subprocess.Popen] = []
        self._closing = False
        self.offices: list[subprocess.Popen] = []
        self._workers: list[threading.Thread] = []
        try:
            for n in range(processes or min(2, cores())):
                keep = self.tmp / f"keep{n}.docx"
                keep.write_bytes(_empty_docx())  # also loads the Word filter before the first paper
                office = self._spawn(n, ["--nologo", "--nodefault", str(keep)])
                if office is not None:
                    self.offices.append(office)
        except PdfUnavailable:
            self.close()
            raise
        self._workers = [threading.Thread(target=self._serve, args=(n,), daemon=True) for n in range(len(self.offices))]
        for worker in self._workers:
            worker.start()
        # LibreOffice holding its document would outlive a program that forgot to close
        atexit.register(self.close)

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
        self._todo.put(self.files[-1])

    def finish(self, on_pdf: Callable[[Path], object] | None = None) -> list[Path]:
        """Convert every file added; tell ``on_pdf`` of each PDF as soon as it is in
        place (the rest may still be converting); return the PDFs in the order added."""
        import queue

        try:
            for _ in self._workers:
                self._todo.put(None)
            deadline = time.monotonic() + TIMEOUT
            placed: dict[Path, Path] = {}  #: copy -> PDF in place
            while len(placed) < len(self.files):
                try:
                    batch, code = self._back.get(timeout=0.05)
                except queue.Empty:
                    if not any(w.is_alive() for w in self._workers) and self._back.empty():
                        # nothing more will come back: say which file is missing
                        batch, code = [f for f in self.files if f[1] not in placed], -1
                    elif time.monotonic() > deadline:
                        raise PdfUnavailable(
                            f"LibreOffice did not finish converting the pack within {TIMEOUT // 60} minutes, so no "
                            "PDFs were made; run it again, or save the Word files as PDF from Word."
                        ) from None
                    else:
                        continue
                if isinstance(code, PdfUnavailable):
                    raise code
                for source, copy, target in batch:
                    placed[copy] = self._place(source, copy, target, code)
                    if on_pdf is not None:
                        on_pdf(placed[copy])
            return [placed[copy] for _, copy, _ in self.files]
        finally:
            self.close()

    def close(self) -> None:
        """End LibreOffice, leaving nothing of it behind, and remove the working files."""
        atexit.unregister(self.close)
        with self._lock:
            self._closing = True
            started = list(self._started)
        for _ in self._workers:
            self._todo.put(None)
        for proc in started:
            if proc.poll() is None:
                _stop(proc)
        for worker in self._workers:
            worker.join(timeout=30)
        for n in range(len(self.offices)):
            # A LibreOffice ended from outside leaves the pipe it listens on in /tmp.
            with contextlib.suppress(OSError):
                _ipc_pipe(self._profile(n)).unlink()
        self._tmp.cleanup()

    def _serve(self, n: int) -> None:
        """Hand LibreOffice ``n`` the next file waiting, one request a file (the
        processes share the work as it comes: whichever is free takes the next), until
        there are no more."""
        ready = False
        while True:
            first = self._todo.get()
            if first is None:
                return
            batch = [first]
            if not ready:
                ready = self._wait_ready(n)
            export = "pdf:writer_pdf_Export:" + json.dumps(EXPORT_OPTIONS)
            try:
                client = self._spawn(
                    n, ["--convert-to", export, "--outdir", str(self.work), *[str(c) for _, c, _ in batch]]
                )
            except PdfUnavailable as exc:
                self._back.put((batch, exc))
                return
            self._back.put((batch, client.wait() if client is not None else -1))

    def _wait_ready(self, n: int) -> bool:
        """Whether LibreOffice ``n`` has its document open (it makes the document's
        lock file then), so that a request cannot start a second LibreOffice on its
        profile; gives up when the process has ended or after a minute."""
        lock = self.tmp / f".~lock.keep{n}.docx#"
        until = time.monotonic() + 60
        while not lock.exists() and self.offices[n].poll() is None and time.monotonic() < until:
            if self._closing:
                return False
            time.sleep(0.02)
        return True

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
        self.problems[target.name] = _finish(made, chart_alts(source), self.check)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(made), target)
        return target

    def _profile(self, n: int) -> str:
        return (self.tmp / f"profile{n}").as_uri()

    def _spawn(self, n: int, args: list[str]) -> subprocess.Popen | None:
        """LibreOffice with profile ``n``: the first started with a profile keeps it; a
        second started with the same one hands it ``args`` and waits until they are
        done. None once the converter is closing."""
        cmd = [self.soffice, f"-env:UserInstallation={self._profile(n)}", "--headless", "--norestore", "--nolockcheck",
               *args]  # fmt: skip
        temp = str(self.tmp / "temp")  # LibreOffice's own temporary files, removed with ours
        env = os.environ | {"TMPDIR": temp, "TMP": temp, "TEMP": temp}
        quiet = subprocess.DEVNULL
        with self._lock:
            if self._closing:
                return None
            try:
                # a group of its own, so that _stop ends soffice.bin with its launcher
                if sys.platform == "win32":
                    flags = subprocess.CREATE_NEW_PROCESS_GROUP
                    proc = subprocess.Popen(cmd, stdout=quiet, stderr=quiet, env=env, creationflags=flags)
                else:
                    proc = subprocess.Popen(cmd, stdout=quiet, stderr=quiet, env=env, start_new_session=True)
            except OSError as exc:
                why = exc.strerror or type(exc).__name__
            else:
                self._started.append(proc)
                return proc
        raise PdfUnavailable(
            f"LibreOffice could not be started ({why}), so no PDFs were made; check the installation, or save the "
            "Word files as PDF from Word."
        )


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


def _ipc_pipe(profile: str) -> Path:
    """Where LibreOffice (on Linux and macOS) listens for a second start with the
    profile ``profile``: /tmp/OSL_PIPE_<uid>_SingleOfficeIPC_<MD5 of the profile's
    URL in UTF-16, each byte in hex without padding>, as its desktop module names it."""
    digest = hashlib.md5(profile.encode("utf-16-le"), usedforsecurity=False).digest()
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path("/tmp") / f"OSL_PIPE_{uid}_SingleOfficeIPC_{''.join(f'{b:x}' for b in digest)}"


def _empty_docx() -> bytes:
    """The smallest Word document: what each LibreOffice holds open between requests."""
    import io

    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p/></w:body></w:document>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, xml in parts.items():
            zf.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return out.getvalue()


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


def _finish(pdf_path: Path, alts: list[str], check: Callable | None = None) -> list[str]:
    """Put right what LibreOffice leaves out (see the module's docstring); returns what
    ``check`` (:func:`ipxl.pack.pdfua.check_open`) finds in the PDF as saved."""
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
        return check(pdf) if check is not None else []


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
