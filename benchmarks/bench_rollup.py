"""Roll-up and compare speed on synthetic plans (issue 3's benchmark).

For each size it writes the current plan and its previous period
(``synthetic.write_plan``), then reports in-process seconds, best of ``--repeat``:

  read both      ipxl.read_workbook of the current and previous files (reported apart:
                 it is the reader's cost, not this issue's)
  rollup         ipxl.rollup on the workbook already read
  best value     ipxl.analysis.impact.best_value on it, from scratch (what
                 rollup --by best-value adds: the Measures sheet's states and the
                 counts per Best Value theme; target: the whole command within 1.2x
                 of rollup's)
  compare        ipxl.analysis.changes.compare on the two workbooks already read
                 (target: under 0.5 s at 100,000 actions)
  new rows       ipxl.analysis.changes.new_this_period (what the red-font write-back uses)

    python benchmarks/bench_rollup.py [--sizes 10000,100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from timing import best_of  # noqa: E402

TARGET_COMPARE_S = 0.5


def measure(current: Path, previous: Path, repeat: int) -> dict:
    import ipxl
    from ipxl.analysis.changes import compare, new_this_period
    from ipxl.analysis.impact import best_value
    from ipxl.analysis.rollup import rollup

    out = {"read": best_of(lambda _: (ipxl.read_workbook(current), ipxl.read_workbook(previous)), repeat)}
    cur, prev = ipxl.read_workbook(current), ipxl.read_workbook(previous)
    rollup(cur), compare(prev, cur)  # warm-up: first-call imports are not the work
    out["rollup"] = best_of(lambda _: rollup(cur), repeat)
    # what a step derived is kept on the workbook: cleared, so each run starts afresh
    out["best_value"] = best_of(lambda _: (cur.derived.clear(), best_value(cur)), repeat)
    out["compare"] = best_of(lambda _: compare(prev, cur), repeat)
    out["new_rows"] = best_of(lambda _: new_this_period(cur, prev), repeat)
    ch = compare(prev, cur)
    out["found"] = {k: len(v) for k, v in ch.to_dict().items() if k != "summary"}
    out["summary"] = ch.summary
    out["rows"] = (len(cur.actions), len(prev.actions))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from synthetic import write_plan

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            current, previous = Path(tmp) / f"plan-{n}.xlsx", Path(tmp) / f"plan-{n}-previous.xlsx"
            write_plan(current, n)
            write_plan(previous, n, previous=True)
            res = measure(current, previous, args.repeat)
            rows.append((n, res))
            print(f"measured {n:,} actions: {res['summary']}", file=sys.stderr)
            print(f"  records found: {res['found']}", file=sys.stderr)

    print(
        "| actions (current / previous) | read both | rollup | best value | compare | new_this_period | compare target |"
    )
    print("|---:|---:|---:|---:|---:|---:|:---|")
    for _, r in rows:
        ok = "met" if r["compare"] < TARGET_COMPARE_S else "MISSED"
        print(
            f"| {r['rows'][0]:,} / {r['rows'][1]:,} | {r['read']:.2f} s | {r['rollup'] * 1000:.0f} ms | "
            f"{r['best_value'] * 1000:.0f} ms | "
            f"{r['compare'] * 1000:.0f} ms | {r['new_rows'] * 1000:.0f} ms | < {TARGET_COMPARE_S} s {ok} |"
        )


if __name__ == "__main__":
    main()
