"""Time one click of Validate: a fresh Python process importing ipxl.excel, reading the
sample through xlwings' remote-engine Book and writing the Validation sheet.

    python benchmarks/bench_excel.py [--repeat 5]

Prints the import cost on its own and the whole-process time (interpreter start to the
end of ``validate()``), best of ``--repeat`` runs; target under 1.5 s. Then the second
click in the same process, which is what a click costs once xlwings keeps Python
running between clicks (Use UDF Server, Windows). The payload is
built beforehand (in Excel the client sends it), so its cost is not counted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import process_env  # noqa: E402

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import ipxl.excel as E
t1 = time.perf_counter()
xw = E.import_xlwings()  # what a click does: xlwings without its plotting imports
payload = json.load(open(sys.argv[1]))
book = xw.Book(json=payload)
report = E.validate(book)
t2 = time.perf_counter()
# The next click in the same Python, as with Use UDF Server on Windows.
E.validate(xw.Book(json=payload))
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "validate": t2 - t1, "again": t3 - t2, "findings": len(report),
                  "actions": len(book.json()["actions"])}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"  # the remote engine needs it
    from remote_books import grids_of, payload

    from ipxl.resources import sample_path

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "payload.json"
        p.write_text(json.dumps(payload(sample_path().name, grids_of(sample_path())), default=str))
        bare = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], check=True, env=process_env())
            bare.append(time.perf_counter() - t)
        runs = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", CHILD, str(p)], check=True, capture_output=True, text=True, env=process_env()
            )
            whole = time.perf_counter() - t
            runs.append((whole, json.loads(out.stdout.strip().splitlines()[-1])))
    whole, best = min(runs, key=lambda r: r[0])
    print(f"python start-up alone        {min(bare):6.3f} s")
    print(f"import ipxl.excel            {best['import']:6.3f} s")
    print(
        f"read + validate + write      {best['validate']:6.3f} s  ({best['findings']} findings, "
        f"{best['actions']} Excel actions)"
    )
    print(f"whole process                {whole:6.3f} s  (target < 1.5 s) {'OK' if whole < 1.5 else 'SLOW'}")
    print(f"next click, same Python      {best['again']:6.3f} s  (Use UDF Server, Windows)")
    return 0 if whole < 1.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
