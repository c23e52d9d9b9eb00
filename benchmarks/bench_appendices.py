"""Committee appendix pack speed (issue 5's benchmark).

For each size, writes a synthetic plan and its previous period
(``benchmarks/synthetic.py``), reads both once, then times in-process, without PDF:
  pack      ipxl.render_appendices: all six appendices, accessibility check included
and, per appendix, the seconds of one render (with the read workbooks reused).
Target: the full pack for 1,000 actions under 2 s.

    python benchmarks/bench_appendices.py [--sizes 1000,5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    from synthetic import write_plan

    import ipxl
    from ipxl.pack import APPENDICES, render_appendices

    print(f"{'actions':>8} {'pack (s)':>9}  " + "  ".join(f"{n[:12]:>12}" for n in APPENDICES))
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            cur_path = write_plan(tmp / "plan.xlsx", n)
            prev_path = write_plan(tmp / "prev.xlsx", n, previous=True)
            cur, prev = ipxl.read_workbook(cur_path), ipxl.read_workbook(prev_path)
            render_appendices(cur, prev, tmp / "warm", force=True)  # imports, fonts
            best = min(
                _timed(lambda cur=cur, prev=prev, tmp=tmp: render_appendices(cur, prev, tmp / "out", force=True))
                for _ in range(args.repeat)
            )
            each = [
                min(
                    _timed(
                        lambda cur=cur, prev=prev, tmp=tmp, name=name: render_appendices(
                            cur, prev, tmp / "one", only=name, force=True
                        )
                    )
                    for _ in range(args.repeat)
                )
                for name in APPENDICES
            ]
        print(f"{n:>8} {best:>9.2f}  " + "  ".join(f"{t:>12.2f}" for t in each))
    return 0


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    raise SystemExit(main())
