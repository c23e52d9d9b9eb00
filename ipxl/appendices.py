"""The committee appendices: Word files filled from the monitoring workbook.

:func:`render_appendices` fills the templates in ``report_templates/`` (one .docx per
appendix, officers restyle them in Word) with docxtpl. Values go in as text only:
every value is passed as a plain string (autoescaped by Jinja) or as a docxtpl
``RichText`` built here (which escapes its text), so ``&``, ``<``, quotes, ``{{ x }}``
or ``{% if %}`` typed in a cell appear literally and never become template source.

Rows new this period are red (#C00000, 5.9:1 on white) *and* carry the word ``New``;
status cells are shaded in their ``Lists`` colour *and* carry the status word, in
black or white, whichever contrasts more (at least 4.5:1 for the default colours).
Every output is checked with :func:`ipxl.accessibility.check_docx`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
import traceback
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from . import defaults as D
from .errors import IpxlError, OutputExists, PdfUnavailable, TemplateError
from .reader import Workbook, read_workbook
from .resources import report_templates_dir
from .safe_write import atomic_write
from .vocab import canonical_series, split_refs

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
    for name, source in sources.items():
        if not source.is_file():
            raise TemplateError(
                f"Template {source.name} is missing from {templates}; restore it "
                "(python report_templates/build_templates.py rebuilds the defaults)."
            )
    out_dir.mkdir(parents=True, exist_ok=True)

    plan = _Plan(wb, prev)
    pack = AppendixPack()
    from .accessibility import check_docx

    for name in names:
        path = _render_one(name, sources[name], targets[name], plan)
        pack.append(path)
        pack.problems[path.name] = check_docx(path)
    return pack


def to_pdf(paths: Iterable[str | Path], out_dir: str | Path | None = None, force: bool = False) -> list[Path]:
    """Convert .docx files to tagged PDF with LibreOffice, beside them or in ``out_dir``.

    Runs one headless LibreOffice with a throw-away profile, so it works alongside an
    open LibreOffice and in parallel CI jobs. Raises :class:`PdfUnavailable` when
    LibreOffice is not installed or a file did not convert.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise PdfUnavailable(
            "LibreOffice is not installed, so no PDFs were made; install it "
            "(for example `apt install libreoffice-writer-nogui`) or save the Word files as PDF from Word."
        )
    targets = [(Path(out_dir) if out_dir else p.parent) / f"{p.stem}.pdf" for p in paths]
    if not force:
        for t in targets:
            if t.exists():
                raise OutputExists(f"{t} already exists; choose another --out folder or add --force to replace it.")
    with tempfile.TemporaryDirectory(prefix="ipxl-lo-") as tmp:
        profile = Path(tmp) / "profile"
        work = Path(tmp) / "pdf"
        work.mkdir()
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}',
            "--outdir",
            str(work),
            *[str(p.resolve()) for p in paths],
        ]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            raise PdfUnavailable("LibreOffice did not finish converting the appendices within 10 minutes.") from None
        written = []
        for p, t in zip(paths, targets):
            made = work / f"{p.stem}.pdf"
            if not made.exists():
                detail = (done.stderr or done.stdout or "").strip().splitlines()
                raise PdfUnavailable(
                    f"LibreOffice could not convert {p.name} to PDF"
                    + (f" ({detail[-1][:160]})" if detail else "")
                    + "; open it in LibreOffice or Word to see why."
                )
            t.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(made), t)
            written.append(t)
    return written


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
    from .changes import previous_for

    return previous_for(wb, previous)


def _jinja_env():
    from jinja2 import Environment, StrictUndefined

    # StrictUndefined: a misspelt tag in an officer's edited template is an error
    # naming the tag, not a silently empty cell.
    return Environment(autoescape=True, undefined=StrictUndefined)


def _template_class():
    from docx.oxml import OxmlElement, parse_xml
    from docxtpl import DocxTemplate
    from lxml import etree

    class Template(DocxTemplate):
        """docxtpl with three costs removed for big plans (same output)."""

        def build_xml(self, context, jinja_env=None):
            src = self.get_xml()
            self._column_tags = bool(re.search(r"\{%-?\s*(tc|colspan|hm)\b", src))
            return super().build_xml(context, jinja_env)

        def fix_tables(self, xml):
            # Only column loops and colspan change a table's grid; without them the
            # walk over every row is wasted.
            if getattr(self, "_column_tags", True):
                return super().fix_tables(xml)
            return etree.fromstring(xml, parser=etree.XMLParser(recover=True, huge_tree=True))

        def resolve_listing(self, xml):
            # Values arrive with breaks and tabs already as w:br/w:tab (see Rich);
            # only text with control characters needs docxtpl's pass.
            if not any(c in xml for c in "\n\t\a\f"):
                return xml
            return super().resolve_listing(xml)

        def map_tree(self, tree):
            # lxml's replace() of a large tree parsed elsewhere takes minutes for
            # 5,000 rows; serialising and parsing the whole document once takes 0.3 s.
            root = self.docx._element
            body = root.body
            root.replace(body, OxmlElement("w:body"))
            head, found, tail = etree.tostring(root, encoding="unicode").partition("<w:body/>")
            if not found:
                root.replace(root.body, body)
                return super().map_tree(tree)
            new_root = parse_xml(head + etree.tostring(tree, encoding="unicode") + tail)
            part = self.docx._part
            part._element = new_root
            self.docx._element = new_root
            self.docx._Document__body = None

    return Template


def _render_one(name: str, source: Path, target: Path, plan: "_Plan") -> Path:
    from jinja2 import TemplateError as JinjaError

    global _TEMPLATE_CLASS
    try:
        cls = _TEMPLATE_CLASS
    except NameError:
        cls = _TEMPLATE_CLASS = _template_class()
    try:
        tpl = cls(source)
        tpl.init_docx()
    except Exception as exc:
        raise TemplateError(
            f"Template {source.name} cannot be opened as a Word document ({type(exc).__name__}); "
            "restore it (python report_templates/build_templates.py rebuilds the defaults)."
        ) from None
    context = plan.context(name, tpl)
    try:
        tpl.render(context, _jinja_env(), autoescape=True)
    except JinjaError as exc:
        raise TemplateError(_template_message(tpl, source, exc)) from None
    except Exception as exc:  # an edited template whose XML the tags no longer fit
        raise TemplateError(
            f"Template {source.name} could not be filled ({type(exc).__name__}: {str(exc)[:120]}); "
            "check that each {%tr %}, {%p %} tag pair is intact, or restore the template."
        ) from None
    _finish(tpl, plan)
    return atomic_write(target, tpl.save)


def _finish(tpl, plan: "_Plan") -> None:
    """Core properties from what was rendered: the title is the Title paragraph."""
    doc = tpl.docx
    title = next((p.text.strip() for p in doc.paragraphs if p.style is not None and p.style.name == "Title"), "")
    props = doc.core_properties
    props.title = title or f"{plan.settings.plan_title} appendix, {plan.settings.period}".strip()
    if not props.language:
        props.language = "en-GB"
    now = dt.datetime.now().replace(microsecond=0)
    props.modified = now
    props.created = now
    props.last_modified_by = "ipxl"


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def _template_message(tpl, source: Path, exc) -> str:
    """One sentence naming the template file and the tag at fault."""
    lineno = getattr(exc, "lineno", None)
    if lineno is None:
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename == "<template>":
                lineno = frame.lineno
    message = str(getattr(exc, "message", None) or exc).strip().splitlines()[0].rstrip(".")
    names = re.findall(r"'([^']+)'", message)
    tag = None
    try:
        src = tpl.patch_xml(tpl.get_xml())
        src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)
        lines = src.splitlines()
        candidates: list[str] = []
        if lineno is not None and 0 < lineno <= len(lines):
            candidates = _TAG.findall(re.sub(r"<[^>]+>", "", lines[lineno - 1]))
        if not candidates:
            candidates = _TAG.findall(re.sub(r"<[^>]+>", "", src))
        # The first name the message quotes is the one at fault ('endfro' before
        # the 'endfor' Jinja was looking for).
        for n in (n for n in names if n and n != "dict object"):
            named = [c for c in candidates if re.search(rf"\b{re.escape(n)}\b", c)]
            if named:
                tag = named[0]
                break
        else:
            tag = (candidates or [None])[0]
    except Exception:
        pass
    where = f" at the tag {tag}" if tag else ""
    return (
        f"Template {source.name} is broken{where}: {message}; correct the tag in Word "
        "or restore the template (python report_templates/build_templates.py rebuilds the defaults)."
    )


# ================================================================ text and colour

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(value) -> str:
    """A cell value as display text: dates as 31/03/2024, whole numbers without .0,
    characters XML cannot hold removed, and Excel's line breaks kept as breaks."""
    if value is None:
        return ""
    if isinstance(value, float):
        if pd.isna(value):
            return ""
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return "" if pd.isna(value) else value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if value is pd.NaT:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    # \a and \f would become paragraph and page breaks in docxtpl; the rest is not XML.
    return _ILLEGAL.sub("", text.replace("\a", " ").replace("\f", " "))


def _uk_date(value):
    """ISO date text (as the reader gives dates typed in text columns) as 31/03/2024."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        y, m, d = value.strip().split("-")
        return f"{d}/{m}/{y}"
    return value


def _ref_key(ref) -> str:
    """Refs compared as :mod:`ipxl.changes` matches them: trimmed, upper case."""
    return "" if ref is None or (isinstance(ref, float) and pd.isna(ref)) else str(ref).strip().upper()


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two hex colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` (hex, no #)."""
    return "000000" if contrast(fill, "000000") >= contrast(fill, "FFFFFF") else "FFFFFF"


def _hex(colour: str | None) -> str | None:
    if not colour:
        return None
    c = str(colour).strip().lstrip("#").upper()
    return c if re.fullmatch(r"[0-9A-F]{6}", c) else None


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


class Rich:
    """Runs of text for a ``{{r x }}`` tag, like docxtpl's ``RichText`` but lighter
    (tens of thousands are made for a big plan). Text is XML-escaped here, line breaks
    and tabs become ``w:br``/``w:tab`` so docxtpl need not post-process them."""

    __slots__ = ("xml",)

    def __init__(self, text: str = "", colour: str | None = None, bold: bool = False):
        self.xml = ""
        if text:
            self.add(text, colour, bold)

    def add(self, text: str, colour: str | None = None, bold: bool = False) -> "Rich":
        if not text:
            return self
        props = (f'<w:color w:val="{colour}"/>' if colour else "") + ("<w:b/><w:bCs/>" if bold else "")
        body = (
            text.translate(_ESCAPES)
            .replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
            .replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">')
        )
        self.xml += f'<w:r>{"<w:rPr>" + props + "</w:rPr>" if props else ""}<w:t xml:space="preserve">{body}</w:t></w:r>'
        return self

    def __html__(self) -> str:
        return self.xml or '<w:r><w:t xml:space="preserve"></w:t></w:r>'

    __str__ = __html__


def rich(*parts: tuple[str, bool] | str, colour: str | None = None) -> Rich:
    """Runs from text parts; ``(text, True)`` parts are bold."""
    rt = Rich()
    for part in parts:
        text, bold = (part, False) if isinstance(part, str) else part
        rt.add(text, colour, bold)
    return rt


def cell(text, new: bool = False):
    """One table cell's text, red when the row is new this period."""
    return rich(clean(text), colour=D.NEW_ROW_RED if new else None)


def ref_cell(ref, new: bool, *notes: str):
    """The ref cell: the ref, then ``New`` (bold) when new this period, then notes."""
    parts: list = [clean(ref)]
    if new:
        parts.append(("\n" + NEW_WORD, True))
    for n in notes:
        if n:
            parts.append("\n" + n)
    return rich(*parts, colour=D.NEW_ROW_RED if new else None)


class Shade:
    """A shaded cell: ``fill`` for ``{% cellbg %}`` and ``word`` (RichText in black or
    white) so the meaning is never carried by colour alone."""

    __slots__ = ("name", "fill", "word", "meaning")

    def __init__(self, name: str, fill: str | None, meaning: str = ""):
        self.name = name or NOT_GIVEN
        self.fill = fill or "FFFFFF"
        self.word = rich((self.name, True), colour=text_colour_on(self.fill))
        self.meaning = meaning


# ====================================================================== the plan


class _Plan:
    """Everything the appendices show, computed once from the workbook(s)."""

    def __init__(self, wb: Workbook, prev: Workbook | None):
        self.wb, self.prev = wb, prev
        self.settings = wb.settings
        lists = wb.lists
        self.status_names = lists.status_names
        self.shades = {s.name: Shade(s.name, _hex(s.colour), s.meaning) for s in lists.statuses}
        self.themes = dict(lists.themes)  # code -> name
        self.actions = self._actions(wb)
        self._changes_result = None

    # ------------------------------------------------------------------ actions

    def _theme_names(self, s: pd.Series) -> pd.Series:
        # Exactly as the roll-up reads themes, so counts and tables agree.
        from .rag import NO_THEME

        names = tuple(self.themes.values())
        theme = canonical_series(s, names, {code.lower(): name for code, name in self.themes.items()})
        return theme.fillna(s).fillna(NO_THEME).astype(object)

    def _actions(self, wb: Workbook) -> pd.DataFrame:
        df = wb.frame("actions").copy()
        sheet = wb.sheets.get("actions")
        raw = sheet.raw if sheet is not None else None
        df["theme_name"] = self._theme_names(df["theme"])
        status = canonical_series(df["status"], self.status_names, D.STATUS_ALIASES)
        df["status_c"] = status.where(status.notna(), df["status"].map(lambda v: clean(v) or None))
        closure = canonical_series(df["closure"], wb.lists.closures)
        df["closure_c"] = closure.fillna("Open")
        df["open"] = ~df["closure_c"].isin(D.CLOSED_STATES)
        df["new"] = self._new_flags(wb)
        for col in ("due_date", "revised_due_date"):
            shown = df[col].dt.strftime("%d/%m/%Y")
            if raw is not None and col in raw:
                shown = shown.where(df[col].notna(), raw[col].map(clean))
            df[col + "_text"] = shown.fillna("")
        return df

    def _new_flags(self, wb: Workbook) -> pd.Series:
        df = wb.frame("actions")
        try:
            from .changes import new_this_period
        except ImportError:  # until the change module lands: Date added within the period
            s, e = wb.settings.period_start, wb.settings.period_end
            if s is None or e is None:
                return pd.Series(False, index=df.index)
            added = df["date_added"]
            return (added >= pd.Timestamp(s)) & (added <= pd.Timestamp(e))
        return new_this_period(wb, self.prev).reindex(df.index).fillna(False).astype(bool)

    def shade(self, status) -> Shade:
        if status is None or (isinstance(status, float) and pd.isna(status)):
            status = NOT_GIVEN
        got = self.shades.get(status)
        if got is None:
            got = self.shades[status] = Shade(str(status), None)
        return got

    def theme_order(self, names: Iterable[str]) -> list[str]:
        known = list(self.themes.values())
        present = list(dict.fromkeys(names))
        return [t for t in known if t in present] + [t for t in present if t not in known]

    def counts_text(self, statuses: pd.Series) -> str:
        counts = statuses.value_counts()
        parts = [f"{int(counts[s])} {s}" for s in self.status_names if counts.get(s, 0)]
        parts += [f"{int(n)} {s}" for s, n in counts.items() if s not in self.status_names]
        return ", ".join(parts) if parts else "none"

    # ------------------------------------------------------------------ context

    def base(self) -> dict:
        st = self.settings
        return {
            "council": clean(st.council),
            "plan_title": clean(st.plan_title) or "Improvement Plan",
            "period": clean(st.period),
            "period_start": clean(st.period_start),
            "period_end": clean(st.period_end),
            "statuses": [self.shade(s) for s in self.status_names],
            "intro": "",
        }

    def context(self, name: str, tpl) -> dict:
        ctx = self.base()
        ctx.update(getattr(self, "ctx_" + name.replace("-", "_"))(tpl))
        return ctx

    def _period_words(self) -> str:
        st = self.settings
        if st.period_start and st.period_end:
            return f"{clean(st.period_start)} to {clean(st.period_end)}"
        return clean(st.period) or "the period"

    # ---------------------------------------------------------- monitoring tool

    def ctx_monitoring_tool(self, tpl) -> dict:
        df = self.actions[self.actions["open"]]
        themes = []
        for theme in self.theme_order(df["theme_name"]):
            part = df[df["theme_name"] == theme]
            # by workstream in order of first appearance, keeping the workbook's order
            order = {w: i for i, w in enumerate(dict.fromkeys(part["workstream"].fillna("")))}
            part = part.assign(_w=part["workstream"].fillna("").map(order)).sort_values("_w", kind="stable")
            rows = [
                {
                    "ref": ref_cell(ref, new, "Proposed to close" if closure == "Proposed to close" else ""),
                    "workstream": cell(ws, new),
                    "description": cell(desc, new),
                    "lead": cell(lead, new),
                    "due": cell(due, new),
                    "revised": cell(rev, new),
                    "status": self.shade(status),
                    "progress": cell(upd, new),
                }
                for ref, ws, desc, lead, due, rev, status, upd, new, closure in zip(
                    part["ref"], part["workstream"], part["description"], part["lead"],
                    part["due_date_text"], part["revised_due_date_text"], part["status_c"],
                    part["progress_update"], part["new"], part["closure_c"],
                )
            ]
            n_new = int(part["new"].sum())
            sentence = f"{len(part)} open action{'s' if len(part) != 1 else ''}: {self.counts_text(part['status_c'])}."
            if n_new:
                sentence += f" {n_new} {'is' if n_new == 1 else 'are'} new this period (in red, marked New)."
            themes.append({"name": theme, "sentence": sentence, "rows": rows})
        total = len(df)
        intro = (
            f"{total} open action{'s' if total != 1 else ''} at the end of {clean(self.settings.period) or 'the period'}: "
            f"{self.counts_text(df['status_c'])}."
        )
        return {"themes": themes, "intro": intro}

    # ------------------------------------------------------------ theme summary

    def _previous_actions(self) -> pd.DataFrame | None:
        if self.prev is None:
            return None
        if not hasattr(self, "_prev_actions"):
            self._prev_actions = _Plan(self.prev, None).actions
        return self._prev_actions

    def _rollups(self):
        """(current, previous or None) roll-ups from :func:`ipxl.rollup`."""
        from .rag import rollup

        if not hasattr(self, "_rollup_pair"):
            self._rollup_pair = (rollup(self.wb), rollup(self.prev) if self.prev is not None else None)
        return self._rollup_pair

    def ctx_theme_summary(self, tpl) -> dict:
        from .rag import TOTAL

        now_r, prev_r = self._rollups()
        statuses = list(now_r.statuses)
        cur = self.actions[self.actions["open"]]
        in_period = self._in_period(self.actions["completion_date"])
        moves = self._movements()
        by_theme = now_r.by_theme
        before_theme = prev_r.by_theme if prev_r is not None else None
        order = list(by_theme.index) + [t for t in (before_theme.index if before_theme is not None else [])
                                        if t not in by_theme.index]
        themes = []
        for theme in order:
            now = by_theme.loc[theme] if theme in by_theme.index else pd.Series(0, index=[*statuses, TOTAL])
            before = None
            if before_theme is not None:
                before = before_theme.loc[theme] if theme in before_theme.index else pd.Series(0, index=before_theme.columns)
            counts = []
            for st in statuses:
                n = int(now.get(st, 0))
                bn = int(before.get(st, 0)) if before is not None else None
                sh = self.shade(st)
                counts.append({
                    "name": st, "fill": sh.fill, "word": sh.word, "now": str(n),
                    "before": "not known" if bn is None else str(bn),
                    "change": "not known" if bn is None else (f"+{n - bn}" if n > bn else str(n - bn) if n < bn else "no change"),
                })
            part = cur[cur["theme_name"] == theme]
            all_rows = self.actions[self.actions["theme_name"] == theme]
            done = all_rows[(all_rows["status_c"] == "Complete") & in_period.reindex(all_rows.index, fill_value=False)]
            achievements = [
                {"ref": ref_cell(r, n), "description": cell(d, n), "completed": cell(c, n), "progress": cell(u, n)}
                for r, d, c, u, n in zip(done["ref"], done["description"], done["completion_date"],
                                         done["progress_update"], done["new"])
            ]
            issues_df = pd.concat([part[part["status_c"] == "Red"], part[part["status_c"] == "Amber"]])
            issues = [
                {"ref": ref_cell(r, n), "description": cell(d, n), "status": self.shade(st),
                 "exception": cell(x or ("No exception reason given." if st == "Red" else ""), n),
                 "progress": cell(u, n)}
                for r, d, st, x, u, n in zip(issues_df["ref"], issues_df["description"], issues_df["status_c"],
                                             issues_df["exception_reason"], issues_df["progress_update"], issues_df["new"])
            ]
            total = int(now.get(TOTAL, 0))
            counts_text = ", ".join(f"{c['now']} {c['name']}" for c in counts if c["now"] != "0") or "none"
            movement = moves.get(theme)
            themes.append({
                "name": theme,
                "total": str(total),
                "counts_text": counts_text,
                "movement_text": movement or "not known (no previous period)",
                "sentence": f"{total} open action{'s' if total != 1 else ''}: {counts_text}.",
                "movement_sentence": f"Since the previous period: {movement}." if movement else
                "Movement since the previous period is not known (no previous workbook).",
                "counts": counts,
                "achievements": achievements,
                "issues": issues,
            })
        charts = _charts(tpl, themes, self)
        for t, chart in zip(themes, charts):
            t["chart"] = chart
        total = int(now_r.totals.get(TOTAL, 0))
        overall = ", ".join(f"{int(now_r.totals.get(st, 0))} {st}" for st in statuses if now_r.totals.get(st, 0))
        intro = (f"{total} open action{'s' if total != 1 else ''} across {len(themes)} theme"
                 f"{'s' if len(themes) != 1 else ''}: {overall or 'none'}.")
        if now_r.overdue:
            intro += f" {now_r.overdue} open action{'s are' if now_r.overdue != 1 else ' is'} past the due date."
        whole = moves.get(None)
        return {
            "themes": themes,
            "intro": intro,
            "movement_sentence": f"Since the previous period: {whole}." if whole else
            "Movement since the previous period is not known (no previous workbook).",
        }

    def _in_period(self, dates: pd.Series) -> pd.Series:
        st = self.settings
        ok = dates.notna()
        if st.period_start:
            ok &= dates >= pd.Timestamp(st.period_start)
        if st.period_end:
            ok &= dates <= pd.Timestamp(st.period_end)
        return ok

    def _movements(self) -> dict:
        """theme (None for all) -> 'N improved, N worsened, N unchanged, N new, N closed',
        from :func:`ipxl.changes.compare`."""
        result = self._compare()
        if result is None:
            return {}
        theme_of = dict(zip(self.actions["ref"].map(_ref_key), self.actions["theme_name"]))
        prev = self._previous_actions()
        if prev is not None:
            for r, t in zip(prev["ref"].map(_ref_key), prev["theme_name"]):
                theme_of.setdefault(r, t)
        kinds: list[tuple[str, str]] = []
        changed = set()
        for c in result.status_changes:
            kinds.append((theme_of.get(_ref_key(c["ref"])), c["direction"]))
            changed.add(_ref_key(c["ref"]))
        added = {_ref_key(c["ref"]) for c in result.added}
        for r in added:
            kinds.append((theme_of.get(r), "new"))
        for c in list(result.closed) + list(result.removed):
            kinds.append((theme_of.get(_ref_key(c["ref"])), "closed"))
        # unchanged: open in both, same status (compare counts these overall only)
        if prev is not None:
            cur_open = self.actions[self.actions["open"]]
            prev_refs = set(prev["ref"].map(_ref_key))
            for r, t in zip(cur_open["ref"].map(_ref_key), cur_open["theme_name"]):
                if r in prev_refs and r not in changed and r not in added:
                    kinds.append((t, "unchanged"))
        order = ("improved", "worsened", "moved", "unchanged", "new", "closed")

        def words(items):
            counts = {k: 0 for k in order}
            for _, k in items:
                counts[k] = counts.get(k, 0) + 1
            return ", ".join(f"{counts[k]} {k}" for k in order if k != "moved" or counts[k])

        out: dict = {None: words(kinds)}
        for theme in {t for t, _ in kinds}:
            out[theme] = words([k for k in kinds if k[0] == theme])
        return out

    # -------------------------------------------------------- statutory recs

    def _recommendations(self) -> pd.DataFrame:
        recs = self.wb.frame("recommendations").copy()
        recs["category_c"] = canonical_series(recs["category"], self.wb.lists.categories)
        return recs

    def _linked(self, rec_id: str, action_refs) -> pd.DataFrame:
        df = self.actions
        refs = [r for r in split_refs(action_refs) if r not in D.OUTSIDE_PLAN]
        by_rec = df["recommendations"].map(lambda v: rec_id in split_refs(v))
        direct = df["ref"].isin(refs) | by_rec
        roots = set(df.loc[direct, "ref"].dropna())
        child = df["ref"].map(lambda r: isinstance(r, str) and any(r.startswith(p + ".") for p in roots))
        return df[direct | child]

    def ctx_statutory_recommendations(self, tpl) -> dict:
        recs = self._recommendations()
        recs = recs[recs["category_c"] == "Statutory"]
        ms = self.wb.frame("milestones").copy()
        ms["status_c"] = canonical_series(ms["status"], self.wb.lists.milestone_statuses)
        out = []
        for rec_id, text, lead, action_refs in zip(recs["rec_id"], recs["recommendation"], recs["lead"], recs["action_refs"]):
            linked = self._linked(clean(rec_id), action_refs)
            themes = []
            for theme in self.theme_order(list(self.themes.values()) + list(linked["theme_name"])):
                part = linked[linked["theme_name"] == theme]
                actions = [
                    {"ref": ref_cell(r, n, "" if o else "Closed"), "description": cell(d, n),
                     "status": self.shade(s), "progress": cell(u, n)}
                    for r, d, s, u, n, o in zip(part["ref"], part["description"], part["status_c"],
                                                part["progress_update"], part["new"], part["open"])
                ]
                new_refs = set(part.loc[part["new"], "ref"])
                mpart = ms[ms["ref"].isin(set(part["ref"]))]
                milestones = []
                for r, m, due, s, raw_s, done in zip(mpart["ref"], mpart["milestone"], mpart["due_date"],
                                                      mpart["status_c"], mpart["status"], mpart["completed_date"]):
                    n = r in new_refs
                    word = s or clean(raw_s) or "Not complete"
                    if word == "Complete" and clean(done):
                        word = f"Complete ({clean(done)})"
                    milestones.append({"milestone": cell(m, n), "ref": ref_cell(r, n), "due": cell(due, n),
                                       "status": rich((word, word.startswith("Complete")),
                                                      colour=D.NEW_ROW_RED if n else None)})
                n_done = sum(1 for s in mpart["status_c"] if s == "Complete")
                sentence = f"{len(part)} linked action{'s' if len(part) != 1 else ''}: {self.counts_text(part['status_c'])}."
                if len(mpart):
                    sentence += f" {n_done} of {len(mpart)} milestone{'s' if len(mpart) != 1 else ''} complete."
                themes.append({"name": theme, "actions": actions, "milestones": milestones, "sentence": sentence})
            n_ms = int(ms["ref"].isin(set(linked["ref"])).sum())
            n_ms_done = int((ms["ref"].isin(set(linked["ref"])) & (ms["status_c"] == "Complete")).sum())
            sentence = f"{len(linked)} linked action{'s' if len(linked) != 1 else ''}: {self.counts_text(linked['status_c'])}."
            if n_ms:
                sentence += f" {n_ms_done} of {n_ms} milestones complete."
            out.append({"rec_id": clean(rec_id), "recommendation": clean(text), "lead": clean(lead) or NOT_GIVEN,
                        "sentence": sentence, "themes": themes})
        intro = (f"Progress on the {len(out)} statutory recommendation{'s' if len(out) != 1 else ''}, "
                 "by theme, with the milestones of the linked actions marked Complete or not.")
        return {"recs": out, "intro": intro}

    # ---------------------------------------------------------- review responses

    def ctx_review_responses(self, tpl) -> dict:
        recs = self._recommendations()
        first = self.actions.drop_duplicates("ref")
        by_ref = {r: (bool(n), u, ld) for r, n, u, ld in
                  zip(first["ref"], first["new"], first["progress_update"], first["lead"])}
        known_reviews = list(self.wb.lists.reviews)
        recs["review_c"] = recs["review"].map(lambda v: clean(v) or "Other recommendations")
        recs["area_c"] = recs["area"].map(lambda v: clean(v) or "General")
        order = [r for r in known_reviews if r in set(recs["review_c"])] + [
            r for r in dict.fromkeys(recs["review_c"]) if r not in known_reviews]
        reviews = []
        for review in order:
            part = recs[recs["review_c"] == review]
            areas = []
            for area in dict.fromkeys(part["area_c"]):
                rows = []
                for rec_id, text, response, action_refs, lead in part.loc[
                    part["area_c"] == area, ["rec_id", "recommendation", "response", "action_refs", "lead"]
                ].itertuples(index=False):
                    # As seed 000 lays it out: one row per action that answers the
                    # recommendation, each with its own update and Director / Lead. The
                    # number repeats on every row (no merged cells, and a screen reader
                    # reading a row alone still knows which recommendation it is); the
                    # recommendation text stands on its first row.
                    rec_lead = clean(lead) or NOT_GIVEN
                    for i, ref in enumerate(split_refs(action_refs) or [None]):
                        ref_rt, upd_rt = Rich(), Rich()
                        row_lead = rec_lead
                        if ref is None:
                            ref_rt.add("None")
                            upd_rt.add(clean(response) or NOT_GIVEN)
                        elif ref in D.OUTSIDE_PLAN or ref not in by_ref:
                            ref_rt.add(clean(ref))
                            upd_rt.add(clean(response) or NOT_GIVEN if ref in D.OUTSIDE_PLAN
                                       else f"{clean(ref)} is not in the Actions sheet.")
                        else:
                            new, progress, action_lead = by_ref[ref]
                            colour = D.NEW_ROW_RED if new else None
                            ref_rt.add(clean(ref), colour)
                            if new:
                                ref_rt.add(" " + NEW_WORD, colour, bold=True)
                            upd_rt.add(clean(progress) or "No update given.", colour)
                            row_lead = clean(action_lead) or rec_lead
                        rows.append({"rec_id": cell(rec_id), "recommendation": cell(text) if i == 0 else "",
                                     "refs": ref_rt, "progress": upd_rt, "lead": cell(row_lead)})
                areas.append({"name": area, "rows": rows})
            reviews.append({"name": review, "areas": areas})
        intro = (f"Each of the {len(recs)} external review recommendation{'s' if len(recs) != 1 else ''}, "
                 "grouped by review and area, with the actions that answer it and their latest updates. "
                 "Actions added this period are in red and marked New.")
        return {"reviews": reviews, "intro": intro}

    # ------------------------------------------------------------------ changes

    def _compare(self):
        if self._changes_result is None and self.prev is not None:
            from .changes import compare

            self._changes_result = compare(self.prev, self.wb)
        return self._changes_result

    def ctx_changes(self, tpl) -> dict:
        ch = self.wb.frame("changes")
        ch = ch[self._in_period(ch["date"]) | ch["date"].isna()].sort_values("date", kind="stable")
        new_refs = set(self.actions.loc[self.actions["new"], "ref"])
        log = []
        for d, ref, kind, old, new_v, reason, appr in zip(ch["date"], ch["ref"], ch["change_type"], ch["old_value"],
                                                           ch["new_value"], ch["reason"], ch["approved_by"]):
            n = ref in new_refs
            log.append({"date": cell(d, n), "ref": ref_cell(ref, n), "change_type": cell(kind, n),
                        "old_value": cell(_uk_date(old), n), "new_value": cell(_uk_date(new_v), n), "reason": cell(reason, n),
                        "approved_by": cell(appr, n)})
        result = self._compare()
        summary = [clean(s) for s in (getattr(result, "summary", None) or [])] if result is not None else []
        if result is None:
            summary = self._summary_from_log(ch)
        movements, note = self._status_moves(result)
        intro = (f"Changes made to the plan from {self._period_words()}, as recorded in the change log. "
                 "Actions added this period are in red and marked New in the monitoring tool.")
        return {"summary": summary, "log": log, "movements": movements, "movements_note": note, "intro": intro}

    def _summary_from_log(self, ch: pd.DataFrame) -> list[str]:
        """Counts by change type, used only when no previous workbook is given."""
        counts = ch["change_type"].map(clean).value_counts()
        return [f"{int(n)} × {kind}" for kind, n in counts.items() if kind]

    def _status_moves(self, result) -> tuple[list, str]:
        if result is None:
            return [], "Status changes are not shown because no previous workbook was given."
        first = self.actions.drop_duplicates("ref")
        info = {_ref_key(r): (d, bool(n)) for r, d, n in zip(first["ref"], first["description"], first["new"])}
        rows = []
        for c in result.status_changes:
            desc, n = info.get(_ref_key(c["ref"]), ("", False))
            before, after = c.get("from"), c.get("to")
            rows.append({"ref": ref_cell(c["ref"], n), "description": cell(desc, n),
                         "before": self.shade(before), "after": self.shade(after),
                         "movement": cell(f"{str(c['direction']).capitalize()}: {before or NOT_GIVEN} to "
                                          f"{after or NOT_GIVEN}", n)})
        return rows, "No action changed status since the previous period."

    # ------------------------------------------------------------ risk register

    def ctx_risk_register(self, tpl) -> dict:
        risks = self.wb.frame("risks")
        bands = self.wb.lists.score_bands
        band_shades = {b.rating: Shade(b.rating, _hex(b.colour), f"Scores {b.low} to {b.high}") for b in bands}
        ratings = canonical_series(risks["rating"], tuple(band_shades)) if len(risks) else risks["rating"]
        rows = []
        for ref, risk, cause, cons, owner, li, im, sc, rating, mit, tl, ti, direction in zip(
            risks["risk_ref"], risks["risk"], risks["cause"], risks["consequence"], risks["owner"], risks["likelihood"],
            risks["impact"], risks["score"], ratings, risks["mitigations"], risks["target_likelihood"],
            risks["target_impact"], risks["direction"],
        ):
            score = sc if pd.notna(sc) else (li * im if pd.notna(li) and pd.notna(im) else None)
            if not isinstance(rating, str) or not rating:
                rating = self.wb.lists.rating_for(score) if score is not None and pd.notna(score) else None
            sh = band_shades.get(rating) or Shade(rating or NOT_GIVEN, None)
            parts = [clean(risk)]
            if clean(cause):
                parts.append(("\nCause: ", True))
                parts.append(clean(cause))
            if clean(cons):
                parts.append(("\nConsequence: ", True))
                parts.append(clean(cons))
            if pd.notna(tl) and pd.notna(ti):
                ts = tl * ti
                tr = self.wb.lists.rating_for(ts)
                target = f"{clean(tl)} × {clean(ti)} = {clean(ts)}" + (f" ({tr})" if tr else "")
            else:
                target = NOT_GIVEN
            rows.append({"ref": cell(ref), "risk": rich(*parts), "owner": cell(owner), "likelihood": cell(li),
                         "impact": cell(im), "score": cell(score), "rating": sh, "mitigations": cell(mit),
                         "target": cell(target), "direction": cell(clean(direction) or NOT_GIVEN)})
        intro = (f"{len(rows)} risk{'s' if len(rows) != 1 else ''} to the delivery of the plan. Score is likelihood "
                 "times impact (each 1 to 5); the rating follows the score bands below. Target is the score "
                 "expected once mitigations take effect.")
        return {"risks": rows, "bands": list(band_shades.values()), "intro": intro}


# ======================================================================== charts


def _charts(tpl, themes: list[dict], plan: _Plan) -> list:
    """One small bar chart per theme (open actions by status) as an inline image whose
    alt text states the counts; empty strings when Pillow is not installed (the counts
    table beside it carries the same numbers)."""
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        return ["" for _ in themes]
    from docx.shared import Mm

    font = ImageFont.load_default(size=24)
    out = []
    for t in themes:
        data = [(c["name"], int(c["now"])) for c in t["counts"]]
        png = _bar_chart(Image, ImageDraw, font, data, plan)
        alt = f"Bar chart of {t['name']} open actions by status: " + ", ".join(f"{n} {name}" for name, n in data) + "."
        out.append(_AltImage(tpl, png, width=Mm(110), alt=alt))
    return out


def _bar_chart(Image, ImageDraw, font, data: list[tuple[str, int]], plan: _Plan) -> io.BytesIO:
    """A horizontal bar chart drawn with Pillow (fast: no plotting library to load):
    status names on the left, one bar per status in its Lists colour, the count at the
    end of each bar."""
    width, row_h, top, bottom = 1300, 46, 16, 20
    label_w = 40 + max((int(font.getlength(name)) for name, _ in data), default=100)
    bar_max = width - label_w - 120
    height = top + bottom + row_h * len(data)
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    biggest = max((n for _, n in data), default=0) or 1
    for i, (name, n) in enumerate(data):
        y = top + i * row_h
        draw.text((label_w - 20, y + row_h / 2), name, fill="black", font=font, anchor="rm")
        length = round(bar_max * n / biggest)
        if length:
            draw.rectangle([label_w, y + 7, label_w + length, y + row_h - 7],
                           fill="#" + plan.shade(name).fill, outline="#404040", width=2)
        draw.text((label_w + length + 12, y + row_h / 2), str(n), fill="black", font=font, anchor="lm")
    draw.line([label_w, top, label_w, height - bottom], fill="#404040", width=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG", dpi=(300, 300))
    buf.seek(0)
    return buf


def _alt_image_class():
    from docxtpl import InlineImage

    class AltImage(InlineImage):
        """An InlineImage whose ``wp:docPr`` carries alt text (``descr``)."""

        def __init__(self, tpl, image_descriptor, width=None, height=None, alt: str = ""):
            super().__init__(tpl, image_descriptor, width=width, height=height)
            self.alt = alt

        def _insert_image(self):
            inline = self.tpl.current_rendering_part.new_pic_inline(self.image_descriptor, self.width, self.height)
            doc_pr = inline.docPr
            doc_pr.set("descr", self.alt)
            doc_pr.set("title", self.alt.split(":")[0])
            return (
                "</w:t></w:r><w:r><w:drawing>%s</w:drawing></w:r><w:r>"
                '<w:t xml:space="preserve">' % inline.xml
            )

    return AltImage


def _AltImage(tpl, buf, *, width, alt):
    global _ALT_IMAGE
    try:
        cls = _ALT_IMAGE
    except NameError:
        cls = _ALT_IMAGE = _alt_image_class()
    return cls(tpl, buf, width=width, alt=alt)
