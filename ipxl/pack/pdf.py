"""PDF copies of the appendices, made by LibreOffice."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import OutputExists, PdfUnavailable


def to_pdf(paths: Iterable[str | Path], out_dir: str | Path | None = None, force: bool = False) -> list[Path]:
    """Convert .docx files to tagged PDF with LibreOffice, beside them or in ``out_dir``.

    Runs one headless LibreOffice with a throw-away profile, so it works alongside an
    open LibreOffice and in parallel CI jobs. Raises :class:`PdfUnavailable` when
    LibreOffice is not installed or a file did not convert.
    """
    files = [Path(p) for p in paths]
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
        profile = Path(tmp) / "profile"
        work = Path(tmp) / "pdf"
        work.mkdir()
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}',
            "--outdir",
            str(work),
            *[str(p.resolve()) for p in files],
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable("LibreOffice did not finish converting the appendices within 10 minutes.") from None
        written = []
        for p, t in zip(files, targets):
            made = work / f"{p.stem}.pdf"
            if not made.exists():
                detail = (done.stderr or done.stdout or "").strip().splitlines()
                raise PdfUnavailable(
                    f"LibreOffice could not convert {p.name} to PDF"
                    + (f" ({detail[-1][:160]})" if detail else "")
                    + "; open it in LibreOffice or Word to see why."
                )
            t.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(made), t)
            written.append(t)
    return written
