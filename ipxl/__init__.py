"""ipxl: run a council's Improvement Plan from its Excel monitoring workbook.

Every command of the ``ipxl`` command line is a function here, under the same name,
returning data (the command only formats it and picks the exit code)::

    >>> import ipxl
    >>> from ipxl import resources
    >>> plan = ipxl.Plan.open(resources.sample_path())  # read once, last period's too
    >>> ipxl.validate(plan).ok
    True
    >>> int(ipxl.rollup(plan).totals["Green"])
    38

The public API is re-exported here lazily so that ``import ipxl`` (and ``ipxl --help``)
stays instant: pandas, openpyxl and docxtpl load only when a function needs them.
"""

from __future__ import annotations

__version__ = "0.1.0"

#: Public name -> (module, name there). The command line's commands keep their names:
#: ``ipxl appendices`` is :func:`appendices`, ``ipxl returns make`` :func:`make_returns`.
_EXPORTS: dict[str, tuple[str, str]] = {
    # reading and the plan
    "read_workbook": ("ipxl.xlsx.reader", "read_workbook"),
    "Workbook": ("ipxl.xlsx.model", "Workbook"),
    "Plan": ("ipxl.analysis.plan", "Plan"),
    "rules": ("ipxl.checks.rules", ""),
    # checking
    "validate": ("ipxl.checks.validation", "validate"),
    "Report": ("ipxl.findings", "Report"),
    "Finding": ("ipxl.findings", "Finding"),
    "CODES": ("ipxl.findings", "CODES"),
    # analysis
    "rollup": ("ipxl.analysis.rollup", "rollup"),
    "compare": ("ipxl.analysis.changes", "compare"),
    "changes": ("ipxl.analysis.changes", "compare"),
    "history": ("ipxl.analysis.history", "history"),
    "load_series": ("ipxl.analysis.history", "load_series"),
    # writing to the officers' workbook
    "highlight": ("ipxl.writeback", "highlight"),
    "refresh": ("ipxl.writeback", "refresh"),
    "mark_validation": ("ipxl.writeback", "mark_validation"),
    # the committee papers
    "appendices": ("ipxl.pack", "build_pack"),
    "build_pack": ("ipxl.pack", "build_pack"),
    "report": ("ipxl.pack", "build_reports"),
    "render_appendices": ("ipxl.pack", "render_appendices"),
    "digest": ("ipxl.pack.digest", "write_digest"),
    # the update round
    "make_returns": ("ipxl.returns.make", "make_returns"),
    "merge_returns": ("ipxl.returns.merge", "merge_returns"),
    "chase": ("ipxl.returns.chase", "chase"),
    # errors
    "IpxlError": ("ipxl.errors", "IpxlError"),
    "WorkbookUnusable": ("ipxl.errors", "WorkbookUnusable"),
    "WorkbookHasErrors": ("ipxl.errors", "WorkbookHasErrors"),
}

__all__ = [*sorted(_EXPORTS), "__version__"]


def __getattr__(name: str):
    found = _EXPORTS.get(name)
    if found is None:
        raise AttributeError(f"module 'ipxl' has no attribute {name!r}")
    import importlib

    module, attr = found
    value = importlib.import_module(module)
    if attr:  # "": the module itself
        value = getattr(value, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
