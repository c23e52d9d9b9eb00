"""Findings and the validation report: data, not exceptions."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Finding:
    """One thing wrong in a workbook, pointing at the cell that holds it.

    ``row``, ``column`` and ``cell`` are ``None`` when the finding is about a whole
    sheet or column (for example a missing sheet).
    """

    sheet: str
    row: int | None
    column: str | None
    cell: str | None
    severity: str
    code: str
    message: str
    suggestion: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    """The result of :func:`ipxl.validate`: every finding, in workbook order."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings are allowed)."""
        return not any(f.severity == "error" for f in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(f.severity for f in self.findings)
        return {s: c.get(s, 0) for s in SEVERITIES}

    def by_sheet(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.sheet, []).append(f)
        return out

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}

    def to_dict(self) -> dict:
        """The report as the CLI's ``--format json`` prints it."""
        return {
            "ok": self.ok,
            "counts": self.counts,
            "issues": [f.to_dict() for f in self.findings],
        }

    def __len__(self) -> int:
        return len(self.findings)

    def __iter__(self):
        return iter(self.findings)
