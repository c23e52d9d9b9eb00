"""The xlwings Lite door in WebAssembly: real Pyodide (0.27.7, the series xlwings Lite
moved to, from the npm package) under Node, as a new user's Lite would run it.

micropip installs what ``ipxl excel-setup --lite --wheel URL`` puts in requirements.txt
from a package index served on this machine (the pure-Python wheels of PyPI,
downloaded by .ci/lite_wheels.py) and the wheel's address, with the cross-origin
header a council's server must send. What cannot be had here: Pyodide's compiled
packages (numpy, pandas, lxml, pydantic-core, pillow, markupsafe...), which Lite loads
from Pyodide's CDN and no registry this project reaches carries (PyPI has a few
later builds for other Pyodide versions, not numpy or lxml; the npm package is the
core alone). So in WebAssembly the scripts get as far as ipxl's first import of
them, and their actions are compared with CPython's with the same package missing;
Validate and Refresh themselves run against xlwings' remote engine under CPython
(tests/test_lite.py).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from remote_books import OFFICE_JS, grids_of, payload
from test_lite import NOT_IN_PYODIDE, of, run_script
from tools import PYODIDES, ROOT, missing

from ipxl import __version__
from ipxl.excel import lite as L
from ipxl.resources import sample_path

RELEASE = "0.27"
WHEELS = ROOT / ".ci" / "wheels"
WHEEL = f"ipxl-{__version__}-py3-none-any.whl"
#: Pyodide's own builds ipxl needs: in its lock file, not in the npm package.
COMPILED = ("numpy", "pandas", "lxml", "pydantic_core", "PIL", "markupsafe")


def _ipxl_wheel(out: Path) -> Path:
    """ipxl's wheel built from this checkout into ``out`` (not dist/, which may be older)."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(out)], capture_output=True
    )
    if done.returncode != 0:
        missing("ipxl's wheel could not be built (pip wheel --no-deps .)")
    return out / WHEEL


class _Index(BaseHTTPRequestHandler):
    """A PEP 691 package index of the local wheels, and the files, with the header a
    server must send for an Excel add-in's page to fetch from it."""

    files: ClassVar[dict[str, Path]] = {}

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if parts[0] == "simple" and len(parts) == 2:
            name = parts[1]
            found = [
                {
                    "filename": f,
                    "url": f"http://{self.headers['Host']}/files/{f}",
                    "hashes": {"sha256": hashlib.sha256(p.read_bytes()).hexdigest()},
                }
                for f, p in sorted(self.files.items())
                if f.split("-")[0].lower().replace("_", "-") == name and f != WHEEL
            ]
            if not found:
                return self._send(404, b"not here", "text/plain")
            body = json.dumps({"meta": {"api-version": "1.0"}, "name": name, "files": found}).encode()
            return self._send(200, body, "application/vnd.pypi.simple.v1+json")
        if parts[0] == "files" and len(parts) == 2 and parts[1] in self.files:
            return self._send(200, self.files[parts[1]].read_bytes(), "application/octet-stream")
        return self._send(404, b"not here", "text/plain")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


PROGRAM = r"""
import importlib.util, json, os, sys, time
job = json.loads(job_json)
report = {"python": sys.version.split()[0], "platform": sys.platform, "boot": booted_seconds}
import micropip
report["micropip"] = micropip.__version__

# 1. What `excel-setup --lite` wrote before: ipxl by version, which no index has.
try:
    await micropip.install(["ipxl==" + job["version"]], index_urls=[job["index"]])
    report["by_name"] = "installed"
except Exception as exc:
    report["by_name"] = str(exc).splitlines()[0]

# 2. A wheel imported into Lite's /data, by an emfs: line.
await micropip.install("emfs:/data/" + job["wheel"], deps=False)
from importlib.metadata import version
report["emfs"] = version("ipxl")
micropip.uninstall("ipxl")

# 3. The requirements.txt `excel-setup --lite --wheel URL` writes, as Lite installs it.
started = time.perf_counter()
try:
    await micropip.install(job["requirements"], index_urls=[job["index"]])
    report["install"] = "ok"
except Exception as exc:
    report["install"] = str(exc).splitlines()[0]
report["install_seconds"] = round(time.perf_counter() - started, 2)
report["installed"] = sorted(micropip.list())
report["compiled_missing"] = [m for m in job["compiled"] if importlib.util.find_spec(m) is None]

# 4. main.py's scripts, called as Lite calls them, with a Book of xlwings' remote engine.
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"
os.environ["XLWINGS_ON_SERVER"] = "true"  # as in Lite: `from xlwings import script` is the server's decorator
import xlwings as xw
import xlwings.server
report["xlwings"] = xw.__version__
namespace = {"__name__": "main"}
exec(compile(open("/home/pyodide/main.py").read(), "main.py", "exec"), namespace)
import types
main = types.ModuleType("main")
main.__dict__.update(namespace)
report["scripts"] = {}
for script in job["scripts"]:
    book = xw.Book(json=job["payload"])
    started = time.perf_counter()
    await xlwings.server.custom_scripts_call(main, script, typehint_to_value={xw.Book: book})
    report["scripts"][script] = {"actions": book.json()["actions"], "seconds": round(time.perf_counter() - started, 3)}
json.dumps(report)
"""


@pytest.fixture(scope="module")
def in_pyodide(tmp_path_factory):
    node = shutil.which("node")
    folder = PYODIDES[RELEASE]
    if node is None or not (folder / "pyodide.mjs").is_file():
        missing("Node and the npm pyodide 0.27 package are needed (.ci/run installs them)")
    wheels = sorted(WHEELS.glob("*.whl"))
    if not any(w.name.startswith("micropip-") for w in wheels):
        missing("the local wheels are not downloaded (.venv/bin/python .ci/lite_wheels.py)")
    ipxl_wheel = _ipxl_wheel(tmp_path_factory.mktemp("wheel"))
    _Index.files = {w.name: w for w in [*wheels, ipxl_wheel]}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Index)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        tmp = tmp_path_factory.mktemp("wasm")
        L.write_lite(tmp, f"{base}/files/{WHEEL}")
        requirements = (tmp / "requirements.txt").read_text(encoding="utf-8").split()
        job = {
            "bootstrap": [str(w) for w in wheels if w.name.startswith(("micropip-", "packaging-"))],
            "files": {f"/data/{WHEEL}": str(ipxl_wheel), "/home/pyodide/main.py": str(tmp / "main.py")},
            "index": f"{base}/simple",
            "version": __version__,
            "wheel": WHEEL,
            "requirements": requirements,
            "compiled": list(COMPILED),
            "scripts": [s.task for s in L.LITE_SCRIPTS],
            "payload": payload("plan.xlsx", grids_of(sample_path()), OFFICE_JS),
            "program": PROGRAM,
        }
        (tmp / "job.json").write_text(json.dumps(job), encoding="utf-8")
        done = subprocess.run(
            [node, str(ROOT / "tests" / "pyodide_lite.mjs"), str(folder), str(tmp / "job.json")],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1]), requirements, tmp
    finally:
        server.shutdown()


def test_pyodide_0_27_runs_under_node_with_the_micropip_it_ships(in_pyodide):
    report, _, _ = in_pyodide
    assert report["platform"] == "emscripten" and report["python"].startswith("3.12.")
    assert report["micropip"] == "0.9.0"


def test_ipxl_by_version_is_what_micropip_could_not_find_while_ipxl_is_not_on_pypi(in_pyodide):
    report, _, _ = in_pyodide
    # PyPI itself answers "Can't find a pure Python 3 wheel for: 'ipxl==0.1.0'"; the
    # index here has no page for ipxl at all
    assert report["by_name"].startswith(
        ("Can't find a pure Python 3 wheel for: 'ipxl", "Can't fetch metadata for 'ipxl'")
    )


def test_micropip_installs_ipxl_from_a_wheel_imported_into_data_by_an_emfs_line(in_pyodide):
    report, _, _ = in_pyodide
    assert report["emfs"] == __version__


def test_the_requirements_excel_setup_writes_for_a_wheel_url_name_nothing_micropip_cannot_resolve(in_pyodide):
    report, requirements, _ = in_pyodide
    assert requirements[1].endswith(f"/files/{WHEEL}")
    assert report["install"] == "ok"
    installed = set(report["installed"])
    assert {"ipxl", "xlwings", "pandera", "openpyxl", "docxtpl"} <= installed
    assert report["xlwings"] == requirements[0].split("==")[1]
    # the compiled packages come from Pyodide's CDN in Lite; none is to be had here
    assert report["compiled_missing"] == list(COMPILED), "a compiled package loaded: run more of the scripts"


def test_in_webassembly_each_script_sends_the_actions_cpython_sends_with_the_same_packages_missing(
    in_pyodide, tmp_path
):
    report, _, tmp = in_pyodide
    for script, ran in report["scripts"].items():
        cpython = run_script(tmp, script, grids_of(sample_path()), tmp_path, blocked=(*NOT_IN_PYODIDE, "lxml"))
        assert ran["actions"] == cpython["actions"], script
        (alert,) = of(cpython, "alert")
        assert alert["args"][0].startswith("ipxl is installed in xlwings Lite but cannot start because lxml")
