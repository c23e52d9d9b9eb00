"""ipxl: run a council's Improvement Plan from its Excel monitoring workbook.

The public API is re-exported here lazily so that ``import ipxl`` (and ``ipxl --help``)
stays instant: pandas, openpyxl and docxtpl load only when a function needs them.
"""

from __future__ import annotations

__version__ = "0.1.0"

_EXPORTS = {
    "read_workbook": "ipxl.xlsx.reader",
    "Workbook": "ipxl.xlsx.model",
    "validate": "ipxl.checks.validation",
    "Report": "ipxl.findings",
    "Finding": "ipxl.findings",
    "IpxlError": "ipxl.errors",
    "WorkbookUnusable": "ipxl.errors",
    "rollup": "ipxl.analysis.rollup",
    "compare": "ipxl.analysis.changes",
    "render_appendices": "ipxl.pack",
}

__all__ = [*sorted(_EXPORTS), "__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'ipxl' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
