"""The content model: what an appendix (or the covering report) says.

Everything an appendix holds is computed once from the workbook into these plain
objects (:mod:`.appendices`, :mod:`.cover`) and rendered, without further thought, to
Word (:mod:`.word`) and to HTML (:mod:`.html`): neither renderer decides what a row
says, which rows are new, which statuses show or what the chart's numbers are.

Text is data. A :class:`Text` holds the characters as typed in the workbook; each
renderer escapes them for its own format, so ``&``, ``<script>`` and ``{{ x }}`` show
literally everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..colour import contrast, text_colour_on

#: The word every new row carries, beside its red text.
NEW_WORD = "New"
NOT_GIVEN = "Not given"


@dataclass(frozen=True)
class Span:
    """A run of text, optionally bold."""

    text: str
    bold: bool = False


@dataclass(frozen=True)
class Text:
    """Text made of runs; ``\\n`` in a run is a line break."""

    spans: tuple[Span, ...] = ()

    @classmethod
    def of(cls, *parts: str | Span) -> Text:
        """Text from plain strings and :class:`Span` parts (empty parts dropped)."""
        if len(parts) == 1 and parts[0].__class__ is str:  # one plain string: most table cells
            return cls((Span(parts[0]),) if parts[0] else ())
        return cls(
            tuple(p if isinstance(p, Span) else Span(p) for p in parts if (p.text if isinstance(p, Span) else p))
        )

    @property
    def plain(self) -> str:
        return "".join(s.text for s in self.spans)

    def __bool__(self) -> bool:
        return any(s.text for s in self.spans)


@dataclass(frozen=True)
class Status:
    """A status or rating shown as its word on its colour, in the ink (black or white)
    that contrasts more with the colour."""

    word: str
    fill: str  #: six hex digits, no #
    ink: str

    @classmethod
    def of(cls, word: str, fill: str | None) -> Status:
        fill = fill or "FFFFFF"
        return cls(word or NOT_GIVEN, fill, text_colour_on(fill))

    @property
    def contrast(self) -> float:
        return contrast(self.fill, self.ink)


#: What a table cell holds.
Cell = Text | Status


@dataclass(frozen=True)
class Column:
    """A table column: its header and its share of the table's width."""

    header: str
    width: float
    #: the column that names the row (a row header for screen readers in HTML)
    row_header: bool = False
    numeric: bool = False


@dataclass
class Row:
    cells: tuple[Cell, ...]
    #: new this period: shown in red; its first cell also says NEW_WORD
    new: bool = False


@dataclass
class Table:
    caption: str
    description: str
    columns: tuple[Column, ...]
    rows: list[Row]


@dataclass
class Chart:
    """A bar chart of counts, with the same numbers in ``table`` beside it."""

    title: str
    alt: str
    #: (label, count, colour) per bar, in order
    bars: list[tuple[str, int, str]]
    table: Table
    axis: str = "Number of actions"


@dataclass
class Paragraph:
    text: Text
    #: body | lead (a sentence that introduces what follows) | bullet | item (an entry
    #: of a list whose numbers are in its text)
    kind: str = "body"

    @classmethod
    def of(cls, *parts: str | Span, kind: str = "body") -> Paragraph:
        """A paragraph of plain strings and :class:`Span` parts (see :meth:`Text.of`)."""
        return cls(Text.of(*parts), kind)


@dataclass
class Picture:
    """A picture the officer supplies (the governance diagram), with its alt text."""

    path: Path
    alt: str


@dataclass
class Section:
    """A heading and what it covers; sections nest (level 1 under the title)."""

    heading: str
    blocks: list[Block] = field(default_factory=list)


Block = Paragraph | Table | Chart | Picture | Section


@dataclass
class Document:
    """One paper of the pack: an appendix, or the covering report."""

    key: str  #: appendix kind (``monitoring-tool``), or ``cover``
    number: str  #: "1"; "" for the covering report
    title: str
    council: str
    period: str
    landscape: bool
    blocks: list[Block]
    subject: str = "Improvement Plan committee appendix"

    @property
    def label(self) -> str:
        """What the footer and the list of appendices call it: "Appendix 1"."""
        return f"Appendix {self.number}" if self.number else self.title

    @property
    def stem(self) -> str:
        """The file name without suffix: "Appendix 1 - Improvement Plan Monitoring
        Tool October 2023" (characters Windows forbids in names become ``-``)."""
        name = f"{self.label} - {self.title}" if self.number else self.title
        return safe_name(name)

    @property
    def html_name(self) -> str:
        return f"appendix-{safe_name(self.number).replace(' ', '-').lower()}.html" if self.number else "report.html"

    def walk(self) -> Iterator[tuple[int, Block]]:
        """Every block with its section depth (1 for blocks under the title)."""

        def go(blocks: list[Block], depth: int) -> Iterator[tuple[int, Block]]:
            for b in blocks:
                yield depth, b
                if isinstance(b, Section):
                    yield from go(b.blocks, depth + 1)

        yield from go(self.blocks, 1)


#: The longest file-name stem (bytes) a pack file gets, leaving room for ``.docx``
#: and the temporary file's prefix within the file system's 255.
NAME_STEM_MAX = 160


def safe_name(text: str) -> str:
    """``text`` usable as a file name on Windows, macOS and Linux: forbidden characters
    (``Q2 2023/24``) become ``-``, control characters go, ends are trimmed, and a very
    long title is cut to :data:`NAME_STEM_MAX` bytes."""
    import re

    from ..xlsx.safe_write import fit_name

    out = re.sub(r'[<>:"/\\|?*]+', "-", text)
    out = re.sub(r"[\x00-\x1f\x7f]+", "", out)
    out = " ".join(out.encode("utf-8", "ignore").decode("utf-8").split()).strip(" .")  # no lone surrogates
    return fit_name(out, NAME_STEM_MAX).rstrip(" .") or "appendix"
