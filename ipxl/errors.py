"""One exception hierarchy. Every exception means "cannot go on" and its message says,
in one plain sentence, what is wrong and what to do. Problems *inside* a usable
workbook are never exceptions: they are findings in a :class:`ipxl.findings.Report`.
"""

from __future__ import annotations


class IpxlError(Exception):
    """Base class. ``str(error)`` is the sentence shown to the officer."""

    #: Exit code the CLI uses for this error.
    exit_code = 2


class WorkbookUnusable(IpxlError):
    """The file cannot be read as a monitoring workbook at all."""


class WorkbookNotFound(WorkbookUnusable):
    """No file at the given path."""


class NotAWorkbook(WorkbookUnusable):
    """The file is not an .xlsx/.xlsm workbook (wrong format, corrupt or empty)."""


class WorkbookEncrypted(WorkbookUnusable):
    """The workbook is password-protected."""


class WrongLayout(WorkbookUnusable):
    """A sheet ipxl cannot do without (Actions) is missing or has no header row."""


class NoPreviousWorkbook(IpxlError):
    """A change report needs last period's workbook, and none is named."""


class WorkbookLocked(IpxlError):
    """The workbook is open in Excel or cannot be written."""


class WorkbookBusy(WorkbookLocked):
    """Another ipxl run is writing the same workbook."""


class WorkbookChanged(IpxlError):
    """The workbook changed on disk while ipxl was working on it; nothing was written."""


class PeriodsOutOfOrder(IpxlError):
    """The "previous" workbook covers a later period than the current one."""


class NoHistory(IpxlError):
    """None of the workbooks given for a history can be placed in a series."""


class WorkbookHasErrors(IpxlError):
    """The workbook has validation errors, so no committee paper is made from it (a
    typo must never reach committee); ``report`` holds the findings."""

    exit_code = 1

    def __init__(self, message: str, report=None, path=None):
        super().__init__(message)
        self.report = report
        #: the workbook the findings are of
        self.path = path

    @classmethod
    def because(cls, report, path, not_done: str, again: str) -> WorkbookHasErrors:
        """The refusal every command that makes something for committee gives:
        ``plan.xlsx has 2 errors, so <not_done>. Correct them (...) and <again>.``"""
        from pathlib import Path

        n = report.counts["error"]
        return cls(
            f"{Path(path).name} has {n} error{'s' if n != 1 else ''}, so {not_done}. Correct them (the Validate "
            f"button, or ipxl validate --mark, lists each with its fix) and {again}.",
            report,
            path,
        )


class SignOffRefused(IpxlError):
    """A sign-off cannot be recorded as asked: no one named as approving it, or a
    date still to come."""


class SheetNotOurs(IpxlError):
    """A sheet has the name of one ipxl writes whole (Summary, Trend, Validation,
    Sign-off, Audit trail) but ipxl did not write it: it is never written over."""


class TemplateError(IpxlError):
    """A Word appendix template is missing or broken."""


class PdfUnavailable(IpxlError):
    """LibreOffice is not installed, or it could not convert a file."""


class OutputExists(IpxlError):
    """An output file exists and ``--force`` was not given."""


class ExcelUnavailable(IpxlError):
    """Live Excel (xlwings) is not available on this machine."""
