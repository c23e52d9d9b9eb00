"""Every command as a whole process, next to its floor (issue 13's benchmark).

For each size it writes a synthetic plan and its previous period as Excel writes them
(text in a shared-strings part; ``benchmarks/synthetic.py``), with Settings naming the
previous workbook, then runs each command and its floor in turn, A B A B, and prints
the medians (and the command's CPU seconds, on every core), the median ratio pair by
pair, and the command's peak memory:

  validate          ipxl validate PLAN              floor: fastexcel reads the sheets
  changes           ipxl changes PREV PLAN          floor: fastexcel reads both
  highlight         ipxl highlight PLAN --output    floor: zip copy + lxml rewrite of Actions
  refresh           ipxl refresh PLAN --output      floor: the same copy
  validate --mark   ipxl validate --mark --output   floor: the same copy
  appendices        ipxl appendices PLAN --out      floor: import pandas and pandera

and, once, ``ipxl validate`` on the bundled 101-action sample against the imports
floor, and the sample's committee pack (``--only pack``): in Word against importing
what it needs, and with PDF/UA and web pages against LibreOffice alone converting the
same Word files. The floors are in ``benchmarks/floors.py``. Targets: writes at most 1.5x the
copy floor at 10,000 and 100,000 actions and under 1 GB at 100,000; read + validate at
most 1.3x fastexcel at 100,000; the sample's validate at most 1.3x the imports.

    python benchmarks/bench_commands.py [--sizes 1000,10000,100000] [--runs 5]
        [--only highlight,refresh]

Needs the bench extra (``pip install -e '.[bench]'``, for fastexcel).
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import paired, run_process  # noqa: E402

PY = sys.executable
IPXL = [PY, "-m", "ipxl"]
FLOOR = [PY, str(HERE / "floors.py")]


def commands(plan: Path, prev: Path, folder: Path) -> dict[str, tuple]:
    """name -> (command for run i, floor for run i); what they write goes in ``folder``."""
    count = itertools.count()

    def out(kind: str) -> str:
        # a new file each run: every run does the full write, and none overwrites
        return str(folder / f"{kind}-{next(count)}.xlsx")

    copy_floor = lambda i: [*FLOOR, "copy", str(plan), out("floor")]  # noqa: E731
    return {
        "validate": (lambda i: [*IPXL, "validate", str(plan)], lambda i: [*FLOOR, "read", str(plan)]),
        "changes": (
            lambda i: [*IPXL, "changes", str(prev), str(plan)],
            lambda i: [*FLOOR, "read", str(prev), str(plan)],
        ),
        "highlight": (lambda i: [*IPXL, "highlight", str(plan), "--output", out("highlight")], copy_floor),
        "refresh": (lambda i: [*IPXL, "refresh", str(plan), "--output", out("refresh")], copy_floor),
        "validate --mark": (
            lambda i: [*IPXL, "validate", str(plan), "--mark", "--output", out("mark")],
            copy_floor,
        ),
        "appendices": (
            lambda i: [*IPXL, "appendices", str(plan), "--out", str(folder / f"pack-{next(count)}")],
            lambda i: [*FLOOR, "imports"],
        ),
    }


FLOOR_NAMES = {
    "validate": "fastexcel read",
    "changes": "fastexcel read x2",
    "highlight": "zip copy",
    "refresh": "zip copy",
    "validate --mark": "zip copy",
    "appendices": "imports",
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="", help="comma-separated command names")
    args = ap.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}

    from synthetic import write_plan

    from ipxl.resources import sample_path

    print("| actions | command | median | CPU | floor | floor median | ratio | peak MB |")
    print("|---:|---|---:|---:|---|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if not only or "sample" in only:
            sample = str(sample_path())
            r = paired(lambda i: [*IPXL, "validate", sample], lambda i: [*FLOOR, "imports"], args.runs)
            _row("sample (101)", "validate", "imports", r)
        if not only or "pack" in only:
            _sample_pack(folder, args.runs)
        for n in (int(s) for s in args.sizes.split(",")):
            prev = write_plan(folder / f"prev-{n}.xlsx", n, previous=True, shared_strings=True)
            plan = write_plan(folder / f"plan-{n}.xlsx", n, previous_workbook=prev.name, shared_strings=True)
            made = folder / "made"
            made.mkdir(exist_ok=True)
            for name, (cmd, floor) in commands(plan, prev, made).items():
                if only and name not in only:
                    continue
                if name == "appendices" and n > 10_000:
                    continue  # a committee pack of 100,000 rows is not a paper anyone reads
                _row(f"{n:,}", name, FLOOR_NAMES[name], paired(cmd, floor, args.runs))
                shutil.rmtree(made)
                made.mkdir()
    return 0


def _sample_pack(folder: Path, runs: int) -> None:
    """The bundled sample's whole pack (a report per meeting and the appendices): in
    Word against importing what it needs, and with PDF/UA and web pages against
    LibreOffice alone converting the same Word files (issue 25's targets: 1.5 s and
    5 s)."""
    from ipxl.resources import sample_path

    sample = str(sample_path())
    count = itertools.count()

    def out(kind: str) -> str:
        return str(folder / f"{kind}-{next(count)}")

    r = paired(lambda i: [*IPXL, "appendices", sample, "--out", out("word")], lambda i: [*FLOOR, "pack-imports"], runs)
    _row("sample (101)", "pack (Word)", "pack imports", r)
    words = folder / "sample-words"
    run_process([*IPXL, "appendices", sample, "--out", str(words)])
    r = paired(
        lambda i: [*IPXL, "appendices", sample, "--out", out("all"), "--pdf", "--html"],
        lambda i: [*FLOOR, "libreoffice", str(words), out("lo")],
        runs,
    )
    _row("sample (101)", "pack (Word, PDF, web)", "LibreOffice only", r)


def _row(size: str, name: str, floor: str, r: dict[str, float]) -> None:
    print(
        f"| {size} | {name} | {r['a']:.2f} s | {r['cpu']:.2f} s | {floor} | {r['b']:.2f} s | {r['ratio']:.2f}x "
        f"| {r['peak']:.0f} |",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
