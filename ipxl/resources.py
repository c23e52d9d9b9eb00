"""Where the bundled templates are, in a wheel install and in a checkout alike."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # A wheel carries the folders inside the package (see pyproject's force-include);
    # a checkout or an editable install has them at the top of the repository.
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    return _PACKAGE.parent / name


def workbook_templates_dir() -> Path:
    return _data_dir("workbook_templates")


def report_templates_dir() -> Path:
    return _data_dir("report_templates")


TEMPLATE_NAME = "improvement-plan-monitoring-tool.xlsx"
SAMPLE_NAME = "sample-improvement-plan.xlsx"
PREVIOUS_SAMPLE_NAME = "sample-improvement-plan-previous.xlsx"
# The .xlsm buttons run xlwings' SampleCall, which imports a Python module named after
# the workbook, so these names must be valid module names (underscores, no hyphens).
TEMPLATE_XLSM_NAME = "improvement_plan_monitoring_tool.xlsm"
#: The sample pack's Appendix 7, a picture the sample's Appendices sheet names.
GOVERNANCE_NAME = "governance-diagram.png"
SAMPLE_XLSM_NAME = "sample_improvement_plan.xlsm"


def template_path() -> Path:
    return workbook_templates_dir() / TEMPLATE_NAME


def sample_path() -> Path:
    return workbook_templates_dir() / SAMPLE_NAME


def previous_sample_path() -> Path:
    return workbook_templates_dir() / PREVIOUS_SAMPLE_NAME


def template_xlsm_path() -> Path:
    return workbook_templates_dir() / TEMPLATE_XLSM_NAME


def sample_xlsm_path() -> Path:
    return workbook_templates_dir() / SAMPLE_XLSM_NAME


def governance_path() -> Path:
    return workbook_templates_dir() / GOVERNANCE_NAME
