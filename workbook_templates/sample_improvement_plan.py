"""Lets the buttons of sample_improvement_plan.xlsm run ipxl (xlwings' SampleCall imports this module)."""
from ipxl.excel import main  # noqa: F401
