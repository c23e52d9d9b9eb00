"""The real programs some tests need (LibreOffice, Chromium, axe-core).

On a developer's machine without them those tests are skipped, saying why; CI
installs them and sets ``IPXL_REQUIRE_TOOLS=1``, so there a missing tool fails the
test instead of hiding it.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Where .ci/run installs axe-core from npm.
AXE_JS = ROOT / ".ci" / "node_modules" / "axe-core" / "axe.min.js"
#: Where .ci/run installs the pyodide npm package (its pyodide-lock.json and stdlib),
#: one folder per release the xlwings Lite door is checked against: 0.27 (Python 3.12,
#: pandas 2.2, the release xlwings Lite moved to in April 2025), 0.29 (Python 3.13,
#: pandas 2.3) and 314 (Python 3.14, pandas 3).
PYODIDES = {
    "0.27": ROOT / ".ci" / "node_modules" / "pyodide-0.27",
    "0.29": ROOT / ".ci" / "node_modules" / "pyodide-0.29",
    "314": ROOT / ".ci" / "node_modules" / "pyodide",
}


def missing(why: str):
    """Skip (or, in CI, fail) a test whose tool is not here."""
    if os.environ.get("IPXL_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{why}; CI installs it (.ci/run)")
    pytest.skip(why)


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        missing("LibreOffice (soffice) is not installed")
    return found


def chromium() -> tuple[str, str]:
    """(browser, driver) paths of Debian's Chromium and ChromeDriver."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if browser is None or driver is None:
        missing("Chromium and chromedriver are not installed (Debian: chromium chromium-driver)")
    if importlib.util.find_spec("selenium") is None:
        missing("selenium is not installed")
    return browser, driver


def pdf_of(workbook: Path, out: Path) -> Path:
    """``workbook`` printed to PDF by LibreOffice into ``out``, as a clerk would print it."""
    done = subprocess.run(
        [soffice(), "--headless", "--convert-to", "pdf", "--outdir", str(out), str(workbook)],
        capture_output=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    return out / (workbook.stem + ".pdf")


def pdf_pages(pdf: Path) -> list[tuple[tuple[int, int], str]]:
    """Each page's size in points and its text (poppler), whitespace collapsed."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True).stdout
    sizes = [(round(float(w)), round(float(h))) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    out = []
    for n, size in enumerate(sizes, start=1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True)
        out.append((size, " ".join(text.stdout.split())))
    return out


def axe_js() -> str:
    path = Path(os.environ.get("IPXL_AXE_JS", AXE_JS))
    if not path.is_file():
        missing(f"axe-core is not installed ({path}; npm install --prefix .ci axe-core)")
    return path.read_text(encoding="utf-8")


def pyodide_dir(release: str) -> Path:
    path = PYODIDES[release]
    if not (path / "pyodide-lock.json").is_file():
        missing(f"the pyodide npm package {release} is not installed ({path}; see .ci/run)")
    return path


def synthetic():
    """benchmarks/synthetic.py, the generator of large realistic plans."""
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synthetic", module)
    spec.loader.exec_module(module)
    return module


def page_fill(pdf: Path) -> list[tuple[float, bool]]:
    """For each page of ``pdf``: how far down its body the last text reaches, as a
    share of the space between the header and the footer (1.0: to the footer), and
    whether the page is landscape. Read from poppler's word boxes, as a person sees
    how much of a page is used."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    fills = []
    for page in re.findall(r"<page (.*?)</page>", out, re.S):
        w, h = (float(x) for x in re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        lines = sorted(
            (float(a), float(b))
            for a, b in re.findall(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page)
        )
        # the first line is the running header, the last the footer
        body = lines[1:-1]
        if not body:
            fills.append((0.0, w > h))
            continue
        top, bottom = lines[0][1], lines[-1][0]
        fills.append(((max(b for _, b in body) - top) / (bottom - top), w > h))
    return fills
