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
    #: body | lead (a sentence that introduces what follows) | bullet | bullet2 (a
    #: point under a bullet) | item (an entry of a list whose numbers are in its text)
    #: | label (a short unnumbered line that introduces points: "Progress update:")
    kind: str = "body"
    #: the paragraph's number in a numbered paper ("4.2.1"), "" when not numbered
    number: str = ""

    @classmethod
    def of(cls, *parts: str | Span, kind: str = "body") -> Paragraph:
        """A paragraph of plain strings and :class:`Span` parts (see :meth:`Text.of`)."""
        return cls(Text.of(*parts), kind)

    @property
    def listed(self) -> bool:
        """A point of a bulleted or numbered list."""
        return self.kind in LIST_KINDS


#: Paragraph kinds that are points of a list.
LIST_KINDS = ("bullet", "bullet2", "item")


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
    #: the section's number in a numbered paper ("4.3"), "" when not numbered
    number: str = ""

    @property
    def title(self) -> str:
        """The heading as printed: ``4.3 Organisational Culture Theme``."""
        return f"{self.number} {self.heading}" if self.number else self.heading


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
    #: the file's name (without suffix) when it is not the title's: a committee
    #: report is named by its subject, meeting and date
    name: str = ""
    #: printed first on the paper and at the top of every page when the paper is a
    #: draft ("DRAFT: the workbook has 3 errors"); "" for a paper to publish
    draft: str = ""
    #: printed first on a paper made from the content Leadership Team approved
    #: ("Approved by Leadership Team on 7 November 2023"); "" otherwise
    approval: str = ""
    #: a committee report's meeting date, as its front sheet says it ("22 November 2023")
    dated: str = ""

    @property
    def label(self) -> str:
        """What the footer and the list of appendices call it: "Appendix 1"."""
        return f"Appendix {self.number}" if self.number else self.title

    @property
    def heading(self) -> str:
        """The paper's first line: "Appendix 1 – Improvement Plan Monitoring Tool
        October 2023", as the council's own appendices open; a report's title."""
        return f"{self.label} – {self.title}" if self.number else self.title

    @property
    def stem(self) -> str:
        """The file name without suffix: "Appendix 1 - Improvement Plan Monitoring
        Tool October 2023" (characters Windows forbids in names become ``-``)."""
        name = self.name or (f"{self.label} - {self.title}" if self.number else self.title)
        return safe_name(name)

    @property
    def html_name(self) -> str:
        if self.number:
            return f"appendix-{safe_name(self.number).replace(' ', '-').lower()}.html"
        import re

        slug = re.sub(r"[^a-z0-9]+", "-", safe_name(self.name or self.title).lower()).strip("-")
        return f"report-{slug}.html" if self.name else "report.html"

    def walk(self) -> Iterator[tuple[int, Block]]:
        """Every block with its section depth (1 for blocks under the title)."""

        def go(blocks: list[Block], depth: int) -> Iterator[tuple[int, Block]]:
            for b in blocks:
                yield depth, b
                if isinstance(b, Section):
                    yield from go(b.blocks, depth + 1)

        yield from go(self.blocks, 1)


def has_errors(n: int) -> str:
    """What a draft says of the workbook it was made from: ``the workbook has 2
    errors`` (after "DRAFT: ", on every page)."""
    return f"the workbook has {n} error{'s' if n != 1 else ''}"


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


#: Characters a word may have before a column is made wide enough to hold it whole
#: (a longer one, an email address or a web address, may break).
LONGEST_WORD = 18
#: A cell's padding either side of its text, in characters of table text.
CELL_PADDING = 2


def column_shares(table: Table, width: float = 130.0) -> list[float]:
    """Each column's share of the table's width, from what the columns hold, as a
    browser lays out an automatic table: no column narrower than its longest word
    (so "Worsening" never breaks), and the width left shared by how much more each
    column's longest line wants. ``width`` is the table's width in characters of
    table text, cell padding included.

    >>> t = Table("c", "d", (Column("Ref", 1), Column("Progress update", 1)), [Row((Text.of("CO.G1.5"), Text.of("x " * 200)))])
    >>> [round(s, 2) for s in column_shares(t, 100)]
    [0.09, 0.91]
    """
    import re

    n = len(table.columns)
    if not n:
        return []
    words: list[float] = []
    lines: list[float] = []
    for j, col in enumerate(table.columns):
        cells = [r.cells[j] for r in table.rows if j < len(r.cells)]
        body = "\n".join(c.plain for c in cells if not isinstance(c, Status))
        # bold words (headers, statuses) are wider than the text, and a word's
        # letters are wider than the average character: both get room to spare
        longest_word: float = max((len(w) for w in re.split(r"\s+", body) if w), default=0)
        bold = [*col.header.split(), *(w for c in cells if isinstance(c, Status) for w in c.word.split())]
        longest_word = max(longest_word, *(len(w) * 1.2 for w in bold))
        statuses = [len(c.word) + 2 for c in cells if isinstance(c, Status)]
        longest_line = max([len(line) for line in body.split("\n")] + statuses)
        # every column also holds its cell's padding, about two characters
        words.append(min(longest_word * 1.05, LONGEST_WORD) + CELL_PADDING)
        lines.append(max(min(longest_line, 400) + CELL_PADDING, words[-1]))
    least, most = sum(words), sum(lines)
    if most <= width:
        wanted = [float(w) for w in lines]
    elif least >= width:
        wanted = [float(w) for w in words]
    else:
        spare = width - least
        wanted = [w + spare * (line - w) / (most - least) for w, line in zip(words, lines)]
    total = sum(wanted) or 1.0
    return [w / total for w in wanted]
