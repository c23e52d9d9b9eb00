"""Stage 4, the pack: the committee papers built from the workbook, ready to publish.

The pack is the committee report, one for each meeting the workbook's Report sheet
names, and the numbered appendices its Appendices sheet lists (:mod:`.spec`; absent,
the report's usual seven). What each paper says is computed once (:mod:`.content`,
:mod:`.appendices`, :mod:`.recommendations`, :mod:`.report`) into the content
model (:mod:`.model`) and rendered to Word (:mod:`.word`, with native charts from
:mod:`.word_chart`) and to HTML (:mod:`.html`). Every Word file is checked
(:mod:`.accessibility`); ``--pdf`` converts them with LibreOffice (:mod:`.pdf`) and
checks each PDF's structure (:mod:`.pdfua`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import defaults as D
from ..checks.rules import supplied_file_problem
from ..errors import IpxlError, OutputExists, TemplateError, WorkbookHasErrors, WorkbookLocked
from ..resources import report_templates_dir
from .model import Document, Picture, has_errors
from .pdf import to_pdf

if TYPE_CHECKING:
    from ..checks.signoff import Approval
    from ..findings import Report
    from ..xlsx.model import Source
    from .spec import Entry

# pandas and the rest are imported where they are used: ``build_pack`` starts
# LibreOffice before anything heavy is loaded, so its start-up overlaps the imports.

__all__ = ["APPENDICES", "AppendixPack", "PackPaper", "build_pack", "build_reports", "render_appendices", "to_pdf"]

#: The kinds of appendix ipxl builds, in the committee report's order.
APPENDICES: tuple[str, ...] = tuple(k.key for k in D.APPENDIX_KINDS if k.key != "supplied")
APPENDIX_TEMPLATE = "appendix.docx"
COVER_TEMPLATE = "cover-report.docx"
HTML_TEMPLATES = "html"


@dataclass(frozen=True)
class PackPaper:
    """One paper written: what it is and where it went."""

    number: str  #: "" for a committee report
    title: str
    path: Path
    kind: str  #: appendix kind key, or "report"


class AppendixPack(list):
    """The Word (and supplied) files written, in pack order, the committee reports first.

    ``problems``: file name -> accessibility problems found in it (empty when clean);
    ``notes``: sentences about the pack itself (an appendix that could not be made);
    ``papers``: what each file is; ``html``: the pages written with ``html=True``.
    """

    def __init__(self, paths: Iterable[Path] = (), problems: dict[str, list[str]] | None = None):
        super().__init__(paths)
        self.problems: dict[str, list[str]] = problems or {}
        self.notes: list[str] = []
        self.papers: list[PackPaper] = []
        self.html: list[Path] = []
        self.pdfs: list[Path] = []
        #: why no PDFs were made (LibreOffice missing or failing), when asked for
        self.pdf_error: str | None = None
        #: errors and warnings validation found in the workbook the pack was made from
        self.validation: dict[str, int] = {}
        #: the findings themselves (a draft lists the errors it carries)
        self.findings: Report | None = None
        #: whether the papers are from the content Leadership Team approved
        #: (:class:`ipxl.checks.signoff.Approval`), and what each draft says first
        self.approval: Approval | None = None
        self.draft = ""

    @property
    def ok(self) -> bool:
        return not any(self.problems.values()) and not self.notes

    @property
    def word_files(self) -> list[Path]:
        """The .docx files ipxl made (the ones to convert to PDF)."""
        return [p for p in self if p.suffix == ".docx"]


@dataclass
class _Plan:
    """What will be written, worked out before anything is."""

    documents: list[tuple[Entry | None, Document]] = field(default_factory=list)
    copies: list[tuple[Entry, Path]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def render_appendices(
    current: Source,
    previous: Source | None = None,
    out_dir: str | Path = ".",
    only: Iterable[str] | str | None = None,
    force: bool = False,
    *,
    templates_dir: str | Path | None = None,
    html: bool = False,
    cover: bool | None = None,
    draft: bool = False,
    meetings: Iterable[str] | None = None,
    on_written: Callable[[Path], object] | None = None,
) -> AppendixPack:
    """Write the committee pack for ``current`` into ``out_dir``.

    ``previous`` (a path or a read workbook) is last period's copy, used for movement
    since the previous period and for the change summary; when None, Settings'
    *Previous workbook* is used if that file exists. The pack is what the workbook's
    Appendices sheet lists (or the default seven), each file named by its number and
    title (``Appendix 1 - Improvement Plan Monitoring Tool October 2023.docx``), with
    the committee reports first. ``only`` limits it to some appendices (numbers or
    kinds, a list or a comma-separated string); the reports are written with the whole
    pack, or when ``cover`` is True. ``html`` also writes the pack as web pages in
    ``out_dir/html``. Existing files are not replaced unless ``force``; nothing is
    written when any would be.

    The committee report is written once for each meeting the workbook's Report
    sheet names (``meetings`` chooses some), in the officers' words with the
    figures of the appendices.

    Nothing is made from a workbook with validation errors (the Report sheet's
    included, when the report is made): a typo must never reach committee. Then
    :class:`~ipxl.errors.WorkbookHasErrors` is raised, holding the findings, unless
    ``draft``, which makes the papers anyway with "DRAFT: the workbook has N errors"
    first on every paper and page. Last period's workbook is history: its errors
    do not stop the pack.

    A workbook signed off (``ipxl sign-off``) whose content is as approved gets
    "Approved by Leadership Team on 7 November 2023" first on each paper; one
    changed since (or of another period, or never signed off while Settings' Sign-off
    by asks for it) gets "DRAFT: changed since approval by ..." first on every paper
    and page, as a draft does (``approval`` and ``draft`` on the result say which).

    Returns the files written as an :class:`AppendixPack` (``problems``: what the
    accessibility check found in each; ``notes``: papers that could not be made,
    such as a supplied file that is missing; ``validation``: the workbook's counts
    of errors and warnings). Raises :class:`~ipxl.errors.TemplateError` when a
    template is missing or broken and :class:`~ipxl.errors.OutputExists` when an
    output exists without ``force``.
    """
    from ..checks.signoff import approval as approval_of
    from ..checks.validation import validate
    from ..xlsx.safe_write import exists
    from ..xlsx.sources import as_pair
    from .appendices import BUILDERS, LANDSCAPE
    from .content import Facts
    from .report import committee_reports
    from .spec import entries, select
    from .text import clean

    # last period's measures too: the report says which measures moved since then
    wb, prev = as_pair(current, previous, previous_sheets=D.PACK_PREVIOUS_SHEETS)
    out_dir = Path(out_dir)
    templates = Path(templates_dir) if templates_dir else report_templates_dir()
    pack = entries(wb)
    chosen = select(
        pack, only, plan=clean(wb.settings.plan_title) or "Improvement Plan", period=clean(wb.settings.period)
    )
    with_cover = cover if cover is not None else only is None

    report = validate(wb, report=with_cover)
    errors = report.counts["error"]
    if errors and not draft:
        raise WorkbookHasErrors.because(
            report,
            wb.path,
            "no committee paper was made: a paper must not carry them",
            "build the pack again; or build a draft, marked DRAFT on every page (--draft)",
        )
    # Approved content says so on each paper's first page; content changed since its
    # approval (or never approved where Settings ask for it) makes every paper a draft.
    approval = approval_of(wb)
    why = [has_errors(errors)] if errors else []
    why += [approval.draft] if approval.draft else []
    marked = "DRAFT: " + "; ".join(why) if why else ""
    approved = approval.line if not marked else ""

    facts = Facts(wb, prev)
    plan = _Plan()
    named = wb.settings.previous_workbook
    # the reader found it missing (a finding, as validate lists it)
    if prev is None and named is not None and any(x.code == "previous-missing" for x in wb.findings):
        plan.notes.append(
            f"Settings name {named.name} as last period's workbook, but it is not in {named.parent}, so the papers "
            "say nothing of movement since last period; put it there, or correct its name, and build the pack again."
        )
    if with_cover:
        if wb.report is None:
            plan.notes.append(
                f"The committee report was not written: {wb.path.name} has no Report sheet to hold its words; add "
                "the template's Report sheet (ipxl new gives a workbook with one) and write the report in it."
            )
        else:
            wanted = _meetings(wb.report.meetings, meetings)
            for doc in committee_reports(facts, pack, wb.report, marked):
                if doc.title.removeprefix("Report to ") in wanted:
                    plan.documents.append((None, doc))
    for entry in chosen:
        if entry.kind.key == "supplied":
            _supplied(entry, facts, plan)
            continue
        doc = Document(
            key=entry.kind.key,
            number=entry.number,
            title=entry.title,
            council=facts.settings.council,
            period=facts.period,
            landscape=entry.kind.key in LANDSCAPE,
            blocks=BUILDERS[entry.kind.key](facts, entry, pack),
            draft=marked,
        )
        plan.documents.append((entry, doc))

    for _, doc in plan.documents:  # a supplied picture's page too: every paper says it
        doc.draft, doc.approval = marked, approved

    needed = {APPENDIX_TEMPLATE} if any(e is not None for e, _ in plan.documents) else set()
    if any(e is None for e, _ in plan.documents):
        needed.add(COVER_TEMPLATE)
    for name in sorted(needed):
        if not (templates / name).is_file():
            raise TemplateError(
                f"Template {name} is missing from {templates}; restore it "
                "(python report_templates/build_templates.py rebuilds the defaults)."
            )
    targets = [out_dir / f"{d.stem}.docx" for _, d in plan.documents]
    targets += [out_dir / f"{_stem(e)}{src.suffix.lower()}" for e, src in plan.copies]
    if html:
        targets.append(out_dir / HTML_TEMPLATES / "index.html")
    if not force:
        for target in targets:
            if exists(target):
                raise OutputExists(
                    f"{target} already exists; choose another --out folder or add --force to replace it."
                )
    _make_folder(out_dir)
    try:
        result = _write(plan, targets, templates, out_dir, html, on_written)
        result.validation = report.counts
        result.findings = report
        result.approval = approval
        result.draft = marked
        return result
    except OSError as exc:
        # a full disk, a folder made read-only meanwhile, a name the file system refuses
        where = Path(exc.filename).name if exc.filename else str(out_dir)
        raise WorkbookLocked(
            f"Cannot write {where} in {out_dir} ({exc.strerror or type(exc).__name__}); free some space or "
            "choose another --out folder."
        ) from None


def _write(
    plan: _Plan,
    targets: list[Path],
    templates: Path,
    out_dir: Path,
    html: bool,
    on_written: Callable[[Path], object] | None = None,
) -> AppendixPack:
    """Write what ``plan`` holds, telling ``on_written`` of each Word file as soon as
    it is written; returns the pack."""
    from ..xlsx.safe_write import copy_new
    from .accessibility import check_docx
    from .word import render

    result = AppendixPack()
    result.notes = plan.notes
    written: dict[int, Path] = {}
    # The longest papers to lay out first: LibreOffice starts on them while the rest
    # are written, and the last to convert is a short one.
    for k in sorted(range(len(plan.documents)), key=lambda k: -_layout_work(plan.documents[k][1])):
        of, doc = plan.documents[k]
        template = templates / (APPENDIX_TEMPLATE if of is not None else COVER_TEMPLATE)
        written[k] = render(doc, template, targets[k])
        if on_written is not None:
            on_written(written[k])
    for k, (_, doc) in enumerate(plan.documents):
        path = written[k]
        result.append(path)
        result.papers.append(PackPaper(doc.number, doc.title, path, doc.key))
        result.problems[path.name] = check_docx(path)
    for entry, src in plan.copies:
        target = copy_new(src, out_dir / f"{_stem(entry)}{src.suffix.lower()}", force=True)
        result.append(target)
        result.papers.append(PackPaper(entry.number, entry.title, target, "supplied"))
    if html:
        from .html import render_site

        docs = [d for e, d in plan.documents if e is not None]
        reports = [d for e, d in plan.documents if e is None]
        supplied = [(e.number, e.title, src) for e, src in plan.copies]
        result.html = render_site(docs, out_dir / HTML_TEMPLATES, templates / HTML_TEMPLATES, reports=reports,
                                  supplied=supplied)  # fmt: skip
    return result


def _layout_work(doc: Document) -> int:
    """About how much laying out ``doc`` takes LibreOffice, in characters: its text,
    each table cell and paragraph counting forty more, a chart ten thousand (drawn in
    full, it takes as long as a page or two of text)."""
    from .model import Chart, Paragraph, Table, Text

    work = 0
    for _, block in doc.walk():
        if isinstance(block, Chart):
            work += 10_000
        elif isinstance(block, Table):
            work += sum(40 + len(c.plain if isinstance(c, Text) else c.word) for r in block.rows for c in r.cells)
        elif isinstance(block, Paragraph):
            work += 40 + len(block.text.plain)
    return work


def build_pack(
    current: Source,
    previous: Source | None = None,
    out_dir: str | Path = ".",
    *,
    only: Iterable[str] | str | None = None,
    force: bool = False,
    html: bool = False,
    pdf: bool = False,
    cover: bool | None = None,
    templates_dir: str | Path | None = None,
    draft: bool = False,
    meetings: Iterable[str] | None = None,
) -> AppendixPack:
    """The whole quarterly job: write the pack (:func:`render_appendices`, which
    refuses a workbook with errors unless ``draft``), and with ``pdf`` convert it
    with LibreOffice and check each PDF's structure (the problems go in ``problems``
    beside the Word files'). When the PDFs cannot be made, the Word files stay
    written and ``pdf_error`` says why.

    >>> import tempfile
    >>> from ipxl import resources
    >>> with tempfile.TemporaryDirectory() as out:
    ...     pack = build_pack(resources.sample_path(), resources.previous_sample_path(), out, only="1")
    ...     [p.name for p in pack]
    ['Appendix 1 - Improvement Plan Monitoring Tool October 2023.docx']
    """
    from ..errors import PdfUnavailable
    from .pdf import Converter
    from .pdfua import check_open

    converter, pdf_error = None, None
    if pdf:
        try:
            # LibreOffice starts now: its start-up overlaps the reading and the writing
            converter = Converter(force=force, check=check_open)
        except PdfUnavailable as exc:
            pdf_error = str(exc)
    try:
        pack = render_appendices(
            current,
            previous,
            out_dir,
            only,
            force,
            templates_dir=templates_dir,
            html=html,
            cover=cover,
            draft=draft,
            meetings=meetings,
            on_written=converter.add if converter is not None else None,
        )
    except BaseException:
        if converter is not None:
            converter.close()
        raise
    pack.pdf_error = pdf_error
    if converter is not None:
        try:
            # converted in the order written (the longest first); listed in the pack's
            pdfs = {p.stem: p for p in converter.finish()}
            pack.pdfs = [pdfs[w.stem] for w in pack.word_files if w.stem in pdfs]
        except PdfUnavailable as exc:
            pack.pdf_error = str(exc)
        pack.problems.update(converter.problems)
    return pack


def build_reports(
    current: Source,
    previous: Source | None = None,
    out_dir: str | Path = ".",
    **options,
) -> AppendixPack:
    """``ipxl report``: the committee reports alone, one for each meeting the Report
    sheet names (``meetings=`` chooses some), with :func:`build_pack`'s ``force``,
    ``html``, ``pdf`` and ``draft``."""
    return build_pack(current, previous, out_dir, only=(), cover=True, **options)


def _meetings(named: list[str], wanted: Iterable[str] | None) -> list[str]:
    """The meetings of ``named`` that ``wanted`` chooses (all when None), matched
    ignoring case and spacing; a name that matches none is refused in one sentence."""
    if wanted is None:
        return named
    by_norm = {D.normalise_header(m): m for m in named}
    out: list[str] = []
    unknown: list[str] = []
    for w in wanted:
        got = by_norm.get(D.normalise_header(w))
        (out if got else unknown).append(got or w)
    if unknown:
        raise IpxlError(
            f"The Report sheet has no meeting {', '.join(repr(u) for u in unknown)}; choose from "
            f"{', '.join(named) or 'none (head a column of the Report sheet with the committee name)'}."
        )
    return out


def _stem(entry: Entry) -> str:
    from .model import safe_name

    return safe_name(f"Appendix {entry.number} - {entry.title}")


def _supplied(entry: Entry, facts, plan: _Plan) -> None:
    """A file the officer supplies: Word and PDF files are copied into the pack, a
    picture becomes a page of its own with its alt text; a missing one is a note."""
    label = f"Appendix {entry.number} ({entry.title})"
    if entry.file is None:
        plan.notes.append(
            f"{label} is a file you supply and the Appendices sheet names none; put it beside the workbook "
            "and give its name in the File column."
        )
        return
    if not entry.file.is_file():
        plan.notes.append(
            f"{label} was not made: {entry.file.name} is not in {entry.file.parent}; put the file there or "
            "correct its name in the Appendices sheet."
        )
        return
    suffix = entry.file.suffix.lower()
    problem = supplied_file_problem(entry.file)
    if problem:
        plan.notes.append(
            f"{label} was not made: {entry.file.name} {problem}; save it again from the program that made it."
        )
        return
    if suffix in D.SUPPLIED_DOCUMENTS:
        plan.copies.append((entry, entry.file))
    elif suffix in D.SUPPLIED_PICTURES:
        if not entry.alt:
            plan.notes.append(
                f"{label} was not made: its picture has no alt text; describe it in the Appendices sheet's Alt text column."
            )
            return
        doc = Document(
            key="supplied",
            number=entry.number,
            title=entry.title,
            council=facts.settings.council,
            period=facts.period,
            landscape=False,
            blocks=[Picture(entry.file, entry.alt)],
        )
        plan.documents.append((entry, doc))
    else:
        plan.notes.append(
            f"{label} was not made: {entry.file.name} is not a Word document, PDF or picture; supply "
            f"{D.SUPPLIED_TYPES_SAID}."
        )


def _make_folder(folder: Path) -> None:
    from ..xlsx.safe_write import make_folder

    make_folder(folder, "--out")
