"""Which papers make up the pack: the workbook's Appendices sheet, or the default list
of a committee report (its section 13), with their numbers, titles and filters."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import defaults as D
from ..checks.vocab import appendix_kind, column_key, parse_filter
from ..errors import IpxlError
from ..xlsx.model import Workbook
from .text import clean


@dataclass(frozen=True)
class Entry:
    """One appendix of the pack."""

    number: str
    kind: D.AppendixKind
    title: str
    #: (column key of the kind's sheet, texts a row's value must contain one of)
    filter: tuple[str, tuple[str, ...]] | None = None
    filter_text: str = ""
    file: Path | None = None
    alt: str = ""


def title_of(template: str, plan: str, period: str) -> str:
    """A title with ``{plan}`` and ``{period}`` replaced, literally (a cell's text is
    never evaluated), and spaces tidied where the period is blank."""
    return " ".join(template.replace("{plan}", plan).replace("{period}", period).split())


def entries(wb: Workbook) -> list[Entry]:
    """The pack ``wb`` asks for, in its order. Rows of the Appendices sheet that name
    no known kind are left out (validation reports them); without the sheet the
    default pack (:data:`ipxl.defaults.DEFAULT_PACK`) applies."""
    plan = clean(wb.settings.plan_title) or "Improvement Plan"
    period = clean(wb.settings.period)
    by_key = {k.key: k for k in D.APPENDIX_KINDS}
    sheet = wb.sheets.get("appendices")
    rows: list[tuple[str, D.AppendixKind, str, str, str, str]] = []
    if sheet is None or not sheet.header_row:
        rows = [(n, by_key[k], t, f, "", "") for n, k, t, f in D.DEFAULT_PACK]
    else:
        f = sheet.frame
        for number, kind_name, title, filt, file, alt in zip(
            f["number"], f["appendix"], f["title"], f["filter"], f["file"], f["alt_text"]
        ):
            kind = appendix_kind(kind_name) if kind_name is not None else None
            if kind is None or number is None:
                continue
            rows.append((clean(number), kind, clean(title) or kind.title, clean(filt), clean(file), clean(alt)))
    out = []
    for number, kind, title, filt, file, alt in rows:
        parsed = parse_filter(filt) if filt else None
        column = column_key(kind.sheet, parsed[0]) if parsed and kind.sheet else None
        path = None
        if file:
            path = Path(file)
            path = path if path.is_absolute() else wb.path.parent / path
        out.append(
            Entry(
                number=number,
                kind=kind,
                title=title_of(title, plan, period),
                filter=(column, parsed[1]) if parsed and column else None,
                filter_text=filt if parsed and column else "",
                file=path,
                alt=alt,
            )
        )
    return out


def select(pack: list[Entry], only: Iterable[str] | str | None, *, plan: str = "", period: str = "") -> list[Entry]:
    """The entries ``only`` names, by number (``4``) or kind (``monitoring-tool``),
    comma-separated or as a list; all of them when ``only`` is None. A kind the pack
    does not list is made unnumbered, with its usual title (``plan`` and ``period``
    filled in)."""
    if only is None:
        return pack
    if isinstance(only, str):
        only = [only]
    wanted = [w.strip().lower().removesuffix(".docx") for item in only for w in str(item).split(",") if w.strip()]
    chosen = [e for e in pack if e.number.lower() in wanted or e.kind.key in wanted]
    known = {e.number.lower() for e in pack} | {e.kind.key for e in pack} | {k.key for k in D.APPENDIX_KINDS}
    unknown = [w for w in wanted if w not in known]
    if unknown:
        names = ", ".join(dict.fromkeys([*(e.number for e in pack), *(k.key for k in D.APPENDIX_KINDS)]))
        raise IpxlError(f"No appendix called {', '.join(repr(u) for u in unknown)}; choose from {names}.")
    missing = [w for w in wanted if w in {k.key for k in D.APPENDIX_KINDS} and not any(e.kind.key == w for e in pack)]
    if missing:
        by_key = {k.key: k for k in D.APPENDIX_KINDS}
        chosen += [Entry("", by_key[w], title_of(by_key[w].title, plan, period)) for w in missing]
    return chosen


def number_of(pack: list[Entry], kind: str) -> str | None:
    """The number of the first appendix of ``kind`` in the pack, or None."""
    return next((e.number for e in pack if e.kind.key == kind and e.number), None)


def keep(frame: pd.DataFrame, entry: Entry, column_names: dict[str, str] | None = None) -> pd.DataFrame:
    """The rows of ``frame`` the entry's filter keeps: the column's text contains one
    of the filter's texts, ignoring case. ``column_names`` maps a column key to the
    frame column that holds its value as shown (the theme's name for ``theme``)."""
    if entry.filter is None:
        return frame
    key, values = entry.filter
    col = (column_names or {}).get(key, key)
    if col not in frame:
        return frame.iloc[0:0]
    wanted = [v.casefold() for v in values]
    hit = [isinstance(v, str) and any(w in v.casefold() for w in wanted) for v in frame[col].tolist()]
    return frame.loc[pd.Series(hit, index=frame.index, dtype=bool)]
