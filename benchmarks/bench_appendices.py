"""Committee pack speed.

For each size, writes a synthetic plan and its previous period
(``benchmarks/synthetic.py``), reads both once, then times in-process (best of
``--repeat``):

  pack        ipxl.render_appendices: the covering report and the six appendices as
              Word files, each checked for accessibility (no PDF, no HTML)
  + html      the same with the web pages too
  per paper   the seconds of each appendix alone (read workbooks reused)
  pdf         LibreOffice converting the whole pack in one process, and the PDF/UA
              checks (with --pdf; reported separately, it is mostly LibreOffice)

Targets: the pack with the covering report for 1,000 actions under 1.5 s without PDF;
the HTML pack for 1,000 actions under 1 s (the html column less the pack column).

    python benchmarks/bench_appendices.py [--sizes 1000,5000] [--repeat 3] [--pdf]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import best_of  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--pdf", action="store_true", help="also time the LibreOffice conversion")
    args = ap.parse_args(argv)

    from synthetic import write_plan

    import ipxl
    from ipxl.pack import APPENDICES, render_appendices
    from ipxl.pack.pdf import to_pdf
    from ipxl.pack.pdfua import check_pdf

    head = f"{'actions':>8} {'pack (s)':>9} {'+ html (s)':>10}  " + "  ".join(f"{n[:12]:>12}" for n in APPENDICES)
    print(head + (f" {'pdf (s)':>8} {'checks (s)':>10}" if args.pdf else ""))
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            cur_path = write_plan(tmp / "plan.xlsx", n)
            prev_path = write_plan(tmp / "prev.xlsx", n, previous=True)
            cur, prev = ipxl.read_workbook(cur_path), ipxl.read_workbook(prev_path)
            render_appendices(cur, prev, tmp / "warm", force=True, html=True)  # imports, fonts

            def timed(only=None, html=False, cur=cur, prev=prev, tmp=tmp) -> float:
                out = tmp / f"out-{only}-{html}"
                return best_of(lambda i: render_appendices(cur, prev, out, only, force=True, html=html), args.repeat)

            pack, html = timed(), timed(html=True)
            each = [timed(name) for name in APPENDICES]
            line = f"{n:>8} {pack:>9.2f} {html:>10.2f}  " + "  ".join(f"{t:>12.2f}" for t in each)
            if args.pdf:
                files = render_appendices(cur, prev, tmp / "pdf", force=True).word_files
                t = time.perf_counter()
                pdfs = to_pdf(files)
                convert = time.perf_counter() - t
                t = time.perf_counter()
                problems = [p for pdf in pdfs for p in check_pdf(pdf)]
                checks = time.perf_counter() - t
                line += f" {convert:>8.2f} {checks:>10.2f}" + (f"  PROBLEMS: {problems[:3]}" if problems else "")
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
