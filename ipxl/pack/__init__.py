"""Stage 5, the pack: the committee appendices built from the workbook.

:mod:`.content` computes what each appendix holds; :mod:`.word` renders it into the
Word templates in ``report_templates/``; :mod:`.accessibility` checks every file;
:mod:`.pdf` converts the pack with LibreOffice.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import IpxlError, OutputExists, TemplateError
from ..resources import report_templates_dir
from ..xlsx.model import Workbook
from ..xlsx.reader import read_workbook
from .content import ContentPlan
from .pdf import to_pdf
from .word import render_one

__all__ = ["APPENDICES", "TITLES", "AppendixPack", "render_appendices", "to_pdf"]


#: Appendix names (template file stems) in committee order (report section 13).
APPENDICES: tuple[str, ...] = (
    "monitoring-tool",
    "theme-summary",
    "statutory-recommendations",
    "review-responses",
    "changes",
    "risk-register",
)

TITLES = {
    "monitoring-tool": "Monitoring Tool",
    "theme-summary": "Theme Summary",
    "statutory-recommendations": "Statutory Recommendations",
    "review-responses": "External Review Recommendation Responses",
    "changes": "Changes to the Plan",
    "risk-register": "Risk Register",
}

NEW_WORD = "New"
NOT_GIVEN = "Not given"


class AppendixPack(list):
    """The paths written (a list of :class:`~pathlib.Path`), with ``problems``:
    appendix file name -> accessibility problems found in it (empty when clean)."""

    def __init__(self, paths: Iterable[Path] = (), problems: dict[str, list[str]] | None = None):
        super().__init__(paths)
        self.problems: dict[str, list[str]] = problems or {}

    @property
    def ok(self) -> bool:
        return not any(self.problems.values())


# =========================================================================== API


def render_appendices(
    current: str | Path | Workbook,
    previous: str | Path | Workbook | None = None,
    out_dir: str | Path = ".",
    only: Iterable[str] | str | None = None,
    force: bool = False,
    *,
    templates_dir: str | Path | None = None,
) -> AppendixPack:
    """Write the committee appendices for ``current`` into ``out_dir``.

    ``previous`` (a path or a read workbook) is last period's copy, used for movement
    since the previous period and for the change summary; when None, Settings'
    *Previous workbook* is used if that file exists. ``only`` limits the pack to some
    of :data:`APPENDICES` (names or a comma-separated string). Existing files are not
    replaced unless ``force``; nothing is written when any would be.

    Returns the paths written, as an :class:`AppendixPack` whose ``problems`` holds
    what the accessibility check found in each file. Raises
    :class:`~ipxl.errors.TemplateError` when a template is missing or broken and
    :class:`~ipxl.errors.OutputExists` when an output exists without ``force``.
    """
    names = _select(only)
    wb = current if isinstance(current, Workbook) else read_workbook(current)
    prev = _previous(wb, previous)
    out_dir = Path(out_dir)
    templates = Path(templates_dir) if templates_dir else report_templates_dir()

    targets = {name: out_dir / f"{name}.docx" for name in names}
    if not force:
        for target in targets.values():
            if target.exists():
                raise OutputExists(
                    f"{target} already exists; choose another --out folder or add --force to replace it."
                )
    sources = {name: templates / f"{name}.docx" for name in names}
    for source in sources.values():
        if not source.is_file():
            raise TemplateError(
                f"Template {source.name} is missing from {templates}; restore it "
                "(python report_templates/build_templates.py rebuilds the defaults)."
            )
    out_dir.mkdir(parents=True, exist_ok=True)

    plan = ContentPlan(wb, prev)
    pack = AppendixPack()
    from .accessibility import check_docx

    for name in names:
        path = render_one(name, sources[name], targets[name], plan)
        pack.append(path)
        pack.problems[path.name] = check_docx(path)
    return pack


# ==================================================================== rendering


def _select(only) -> list[str]:
    if only is None:
        return list(APPENDICES)
    if isinstance(only, str):
        only = [only]
    wanted = [n.strip().lower().removesuffix(".docx") for item in only for n in str(item).split(",") if n.strip()]
    unknown = [n for n in wanted if n not in APPENDICES]
    if unknown:
        raise IpxlError(
            f"No appendix called {', '.join(repr(u) for u in unknown)}; choose from {', '.join(APPENDICES)}."
        )
    return [n for n in APPENDICES if n in wanted]


def _previous(wb: Workbook, previous) -> Workbook | None:
    from ..analysis.changes import previous_for

    return previous_for(wb, previous)
