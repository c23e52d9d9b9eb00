"""Write-back speed (issue 4's benchmark): highlight, refresh and mark on a synthetic
plan, next to what the lossy alternative costs, an openpyxl load + save of the same file.

In-process seconds, best of ``--repeat`` runs, each on a fresh copy written to a new
output file (so every run does the full work, including the atomic save):

  highlight          ipxl highlight (read, plan, patch two sheets + styles, save)
  highlight again    the idempotent second run (nothing to change, nothing written)
  refresh            ipxl refresh (Summary sheet + chart)
  mark               ipxl validate --mark (validate, Validation sheet, marks)
  openpyxl           openpyxl.load_workbook + save of the same file

    python benchmarks/bench_writeback.py [--sizes 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from timing import best_of  # noqa: E402


def run(size: int, repeat: int, folder: Path) -> dict[str, float]:
    import openpyxl
    from synthetic import write_plan

    from ipxl import writeback as W

    src = folder / f"plan-{size}.xlsx"
    write_plan(src, size)
    out = {}
    out["highlight"] = best_of(lambda i: W.highlight(src, output=folder / f"h{i}.xlsx"), repeat)
    highlighted = folder / "h0.xlsx"
    work = folder / "again.xlsx"
    shutil.copy(highlighted, work)
    out["highlight again"] = best_of(lambda i: W.highlight(work), repeat)
    out["refresh"] = best_of(lambda i: W.refresh_summary(highlighted, output=folder / f"r{i}.xlsx"), repeat)
    out["mark"] = best_of(lambda i: W.mark_validation(highlighted, output=folder / f"m{i}.xlsx"), repeat)

    def openpyxl_round_trip(i):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(src)
            wb.save(folder / f"o{i}.xlsx")

    out["openpyxl load+save"] = best_of(openpyxl_round_trip, max(1, min(repeat, 2)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'actions':>8}  {'operation':<20} {'seconds':>8}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            res = run(size, args.repeat, Path(tmp))
        base = res["openpyxl load+save"]
        for name, secs in res.items():
            ratio = "" if name.startswith("openpyxl") else f"  ({base / secs:.1f}x faster than openpyxl)"
            print(f"{size:>8}  {name:<20} {secs:>8.3f}{ratio}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
