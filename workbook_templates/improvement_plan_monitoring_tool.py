"""Lets the buttons of improvement_plan_monitoring_tool.xlsm run ipxl (xlwings' SampleCall imports this module)."""
from ipxl.excel import main  # noqa: F401
