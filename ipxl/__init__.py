"""ipxl: run a council's Improvement Plan from its Excel monitoring workbook.

The public API is re-exported here lazily so that ``import ipxl`` (and ``ipxl --help``)
stays instant: pandas, openpyxl and docxtpl load only when a function needs them.
"""

from __future__ import annotations

__version__ = "0.1.0"

_EXPORTS = {
    "read_workbook": "ipxl.reader",
    "Workbook": "ipxl.reader",
    "validate": "ipxl.validation",
    "Report": "ipxl.findings",
    "Finding": "ipxl.findings",
    "IpxlError": "ipxl.errors",
    "WorkbookUnusable": "ipxl.errors",
    "rollup": "ipxl.rag",
    "compare": "ipxl.changes",
    "render_appendices": "ipxl.appendices",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ipxl' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
