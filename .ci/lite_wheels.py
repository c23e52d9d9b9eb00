"""Downloads the wheels the WebAssembly test of the xlwings Lite door installs with
micropip (tests/test_lite_wasm.py), into .ci/wheels: micropip and packaging as the
oldest Pyodide Lite runs on (0.27) ships them, the xlwings the Lite door pins, and
every pure-Python wheel installing ipxl pulls in under Pyodide, at the versions this
environment has (tests/test_lite.py lists them against Pyodide's package list).
Pyodide's compiled packages (numpy, pandas, lxml, pydantic-core, ...) come from
Pyodide's CDN in Lite; no registry this project reaches carries them, so the test
says which could not be loaded.

    .venv/bin/python .ci/lite_wheels.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from test_lite import lite_install_set  # noqa: E402
from tools import PYODIDES  # noqa: E402

from ipxl import defaults as D  # noqa: E402

RELEASE = "0.27"


def wanted() -> list[str]:
    lock = json.loads((PYODIDES[RELEASE] / "pyodide-lock.json").read_text(encoding="utf-8"))["packages"]
    pins = [f"{name}=={lock[name]['version']}" for name in ("micropip", "packaging")]
    pins.append(f"xlwings=={D.LITE_XLWINGS}")
    pins += [f"{name}=={metadata.version(name)}" for name, kind in lite_install_set(RELEASE).items() if kind == "pure"]
    return pins


def main() -> int:
    out = ROOT / ".ci" / "wheels"
    out.mkdir(exist_ok=True)
    pins = wanted()
    command = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "-d", str(out)]
    command += ["--python-version", "3.12", "--platform", "any", "--implementation", "py", *pins]
    return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main())
