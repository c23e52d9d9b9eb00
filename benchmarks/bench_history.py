"""``ipxl history`` over a year or two of monthly workbooks (issue 14's benchmark).

Writes ``--months`` monthly plans of ``--actions`` actions (``synthetic.write_series``),
then times, best of ``--repeat``:

  whole process    ``ipxl history FOLDER --format json`` as an officer runs it
                   (target: under 3 s for 24 workbooks of 1,000 actions)
  per workbook     reading one workbook (Actions, Changes, Settings, Lists), in-process
  analysis         ``history()`` on the series already read, in-process

    python benchmarks/bench_history.py [--months 24] [--actions 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import best_of, process_env  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--months", type=int, default=24)
    ap.add_argument("--actions", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    from synthetic import write_series

    from ipxl.analysis.history import history, load_series

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = write_series(folder, args.actions, args.months)
        cmd = [sys.executable, "-m", "ipxl", "history", str(folder), "--format", "json"]
        whole = best_of(lambda _: subprocess.run(cmd, check=True, capture_output=True, env=process_env()), args.repeat)
        one = best_of(lambda _: load_series([paths[-1]], follow=False), args.repeat)
        t = time.perf_counter()
        series = load_series([folder])
        read_all = time.perf_counter() - t
        analysis = best_of(lambda _: history(series), args.repeat)
    print(f"{args.months} workbooks of {args.actions:,} actions")
    print(f"whole process    {whole:6.2f} s  (target < 3 s) {'OK' if whole < 3 else 'SLOW'}")
    print(f"read all         {read_all:6.2f} s  ({read_all / args.months * 1000:.0f} ms per workbook)")
    print(f"one workbook     {one:6.3f} s")
    print(f"analysis         {analysis:6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
