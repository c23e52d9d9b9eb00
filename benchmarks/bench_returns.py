"""The update round's speed (issue 15's benchmark): make and merge for 1,000 actions and
30 leads, each as a whole process, best of ``--repeat``; target under 2 s each.

The plan is ``synthetic.write_plan`` with its Director / Lead column spread over
``--leads`` names; before the merge every return has two edits, as leads would make
(a progress update and, on every third, a status).

    python benchmarks/bench_returns.py [--actions 1000] [--leads 30] [--repeat 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import best_of, process_env  # noqa: E402


def _spread_leads(path: Path, n: int) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Actions"]
    col = next(c.column for c in ws[1] if c.value == "Director / Lead")
    for r in range(2, ws.max_row + 1):
        ws.cell(r, col, f"Director {(r - 2) % n + 1:02d}")
    wb.save(path)


def _edit_returns(folder: Path) -> int:
    import openpyxl

    n = 0
    for path in sorted(folder.glob("Return - *.xlsx")):
        wb = openpyxl.load_workbook(path)
        ws = wb["Return"]
        headers = {c.value: c.column for c in ws[8]}
        ws.cell(9, headers["Progress update"], f"Update from {path.stem}.")
        if n % 3 == 0:
            ws.cell(9, headers["Status"], "Amber")
            ws.cell(9, headers["Exception reason"], "Waiting on a supplier.")
        wb.save(path)
        n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actions", type=int, default=1000)
    ap.add_argument("--leads", type=int, default=30)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    from synthetic import write_plan

    ipxl = [sys.executable, "-m", "ipxl"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = write_plan(folder / "plan.xlsx", args.actions)
        _spread_leads(plan, args.leads)
        out = folder / "returns"
        make = [*ipxl, "returns", "make", str(plan), "--out", str(out), "--force"]
        t_make = best_of(
            lambda _: subprocess.run(make, check=True, capture_output=True, env=process_env()), args.repeat
        )
        edited = _edit_returns(out)

        def merge(i: int) -> None:
            cmd = [*ipxl, "returns", "merge", str(plan), str(out), "--output", str(folder / f"merged-{i}.xlsx")]
            subprocess.run(cmd, check=True, capture_output=True, env=process_env())

        t_merge = best_of(merge, args.repeat)
    print(f"{args.actions:,} actions, {args.leads} leads ({edited} returns edited)")
    print(f"returns make    {t_make:6.2f} s  (target < 2 s) {'OK' if t_make < 2 else 'SLOW'}")
    print(f"returns merge   {t_merge:6.2f} s  (target < 2 s) {'OK' if t_merge < 2 else 'SLOW'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
