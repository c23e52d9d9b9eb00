"""Read + validate speed and memory on synthetic plans (issue 2's benchmark).

For each size it reports, in-process seconds for:
  ipxl read       ipxl.read_workbook (python-calamine into typed frames)
  ipxl validate   ipxl.validate on the frames already read
  floor           python-calamine reading the same sheets into Python lists, no more
  checks          the package check and the stream over each sheet that every read
                  makes before python-calamine may read it (workbooks from other
                  tools, issue 30); with the floor and validate, the least read +
                  validate can cost with no cell yet turned into a typed column
  openpyxl path   what a user would otherwise do: pandas.read_excel(engine="openpyxl")
                  of the same sheets plus the same pandera schemas
and the peak resident memory of the process that ran ipxl read + validate.

Each size runs in its own subprocess so peak memory is that size's alone.

    python benchmarks/bench_read_validate.py [--sizes 1000,10000,100000] [--openpyxl-max 100000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from timing import best_of  # noqa: E402

SHEETS = ("Actions", "Milestones", "Recommendations", "Changes", "Risks", "Settings", "Lists")


def measure(path: Path, with_openpyxl: bool, repeat: int) -> dict:
    from python_calamine import CalamineWorkbook

    import ipxl

    def floor():
        book = CalamineWorkbook.from_path(str(path))
        return [book.get_sheet_by_name(s).to_python() for s in SHEETS if s in book.sheet_names]

    def checks():
        import zipfile

        from ipxl.xlsx.package import check_file, scan_sheet

        info = check_file(path)
        with zipfile.ZipFile(path) as zf:
            for part in info.sheets.values():
                scan_sheet(path, zf, part)

    result = {}
    result["floor"] = best_of(lambda _: floor(), repeat)
    result["checks"] = best_of(lambda _: checks(), repeat)
    result["read"] = best_of(lambda _: ipxl.read_workbook(path), repeat)
    wb = ipxl.read_workbook(path)
    result["validate"] = best_of(lambda _: ipxl.validate(wb), repeat)
    result["errors"] = ipxl.validate(wb).counts["error"]
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if with_openpyxl:
        result["openpyxl"] = best_of(lambda _: openpyxl_path(path, wb), 1)
    return result


def openpyxl_path(path: Path, wb) -> None:
    """pandas + openpyxl reading the record sheets, then the same pandera schemas."""
    import pandas as pd
    import pandera.pandas as pa

    from ipxl import defaults as D
    from ipxl.checks.schemas import build_schema

    frames = pd.read_excel(path, sheet_name=[D.SHEET_NAMES[k] for k in D.RECORD_SHEETS], engine="openpyxl")
    for key in D.RECORD_SHEETS:
        frame = frames[D.SHEET_NAMES[key]]
        rename = {c.header: c.key for c in D.COLUMNS[key]}
        frame = frame.rename(columns=rename)
        schema, _ = build_schema(key, wb.lists, frozenset(frame.columns))
        try:
            schema.validate(frame, lazy=True)
        except pa.errors.SchemaErrors:
            pass


def child(args) -> None:
    out = measure(Path(args.path), args.openpyxl, args.repeat)
    print(json.dumps(out))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--openpyxl-max", type=int, default=100000, help="skip the openpyxl path above this size")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--openpyxl", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    from synthetic import write_plan

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            path = Path(tmp) / f"plan-{n}.xlsx"
            write_plan(path, n)
            cmd = [
                sys.executable,
                __file__,
                "--child",
                "--path",
                str(path),
                "--repeat",
                str(args.repeat if n < 100000 else 1),
            ]
            if n <= args.openpyxl_max:
                cmd.append("--openpyxl")
            res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
            rows.append((n, res))
            print(f"measured {n:,} actions", file=sys.stderr)

    print(
        "| actions | ipxl read | ipxl validate | read+validate | calamine floor | x floor | checks | "
        "floor+checks+validate x floor | openpyxl path | x faster | peak MB |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, r in rows:
        total = r["read"] + r["validate"]
        least = r["floor"] + r["checks"] + r["validate"]
        op = r.get("openpyxl")
        print(
            f"| {n:,} | {r['read']:.2f} s | {r['validate']:.2f} s | {total:.2f} s | {r['floor']:.2f} s | "
            f"{total / r['floor']:.1f} | {r['checks']:.2f} s | {least / r['floor']:.2f} | "
            f"{f'{op:.1f} s' if op else 'skipped'} | "
            f"{f'{op / total:.0f}x' if op else '-'} | {r['peak_rss_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
