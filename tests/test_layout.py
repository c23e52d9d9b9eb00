"""The package layout is the data flow: imports only point down the stages.

Stages, bottom to top: the shared base (errors, defaults, findings, resources, colour),
xlsx (read the file, patch the package), checks, analysis, then write-back and the pack
(side by side: neither imports the other), the update round, the Excel doors, the
templates, the CLI.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ipxl"

#: Top-level room -> its floor. A module may import its own room or lower floors only.
FLOORS = {
    "errors": 0,
    "defaults": 0,
    "findings": 0,
    "resources": 0,
    "colour": 0,
    "dates": 0,
    "__init__": 0,
    "xlsx": 1,
    "checks": 2,
    "analysis": 3,
    "writeback": 4,
    "pack": 4,
    "returns": 5,
    "excel": 6,
    "templates": 7,
    "cli": 8,
    "__main__": 9,
}


def _room(module: str) -> str:
    """``ipxl.xlsx.reader`` -> ``xlsx``; ``ipxl`` -> ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_or_package(package: str, name: str) -> str:
    folder = PACKAGE.parent.joinpath(*package.split("."))
    return f"{package}.{name}" if (folder / f"{name}.py").is_file() or (folder / name).is_dir() else package


def _imports() -> list[tuple[str, str, int]]:
    """(importing module, imported ipxl module, line) for every import in the package,
    lazy imports inside functions included."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        package = parts[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package[: len(package) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                # `from .. import defaults` imports a module; `from .. import __version__`
                # a name of the package itself
                names = [target] if node.module else [_module_or_package(target, a.name) for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            out += [(module, name, node.lineno) for name in names if name == "ipxl" or name.startswith("ipxl.")]
    return out


def test_every_room_of_the_package_has_a_floor():
    rooms = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir() if p.suffix == ".py" or p.is_dir()}
    rooms = {r for r in rooms if not r.startswith(".")}
    rooms.discard("__pycache__")
    rooms.discard("_data")
    assert rooms <= set(FLOORS), f"add {sorted(rooms - set(FLOORS))} to FLOORS in this test and to the README"


def test_no_import_climbs_back_up_the_stages():
    climbing = []
    for module, target, line in _imports():
        mine, theirs = _room(module), _room(target)
        if mine == theirs:
            continue
        if FLOORS[theirs] >= FLOORS[mine] and FLOORS[mine] != 0:
            climbing.append(f"{module} (line {line}) imports {target}")
        if FLOORS[mine] == 0 and theirs != mine and FLOORS[theirs] > 0:
            climbing.append(f"{module} (line {line}) imports {target}")
    assert not climbing, "imports that climb the stages:\n" + "\n".join(climbing)


def test_the_modules_import_each_other_without_a_cycle():
    modules = {m for m, _, _ in _imports()}
    edges: dict[str, set[str]] = {}
    for module, target, _ in _imports():
        # "from .x import name" names a module or a name in it: keep what is a module
        while target not in modules and "." in target:
            target = target.rsplit(".", 1)[0]
        if target != module and target in modules:
            edges.setdefault(module, set()).add(target)
    # a package's __init__ re-exporting its own modules is not a cycle of ideas
    for module in list(edges):
        edges[module] = {t for t in edges[module] if not module.startswith(t + ".")}
    seen: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> None:
        seen[m] = 1
        path.append(m)
        for t in sorted(edges.get(m, ())):
            if seen.get(t) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*path[path.index(t) :], t]))
            if t not in seen:
                visit(t)
        path.pop()
        seen[m] = 2

    for m in sorted(edges):
        if m not in seen:
            visit(m)


def test_no_module_is_longer_than_about_800_lines_except_the_sample_data():
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 820 and p.name != "sample_plan.py"
    }
    assert not long, f"split these modules by idea: {long}"
