"""Property-based hunting (Hypothesis) for the inputs nobody listed.

Two generators: workbooks that are well-formed but hold hostile values (any unicode,
control characters as Excel escapes them, escaped lone surrogates, huge and tiny
numbers, dates at the edges, formulas, template syntax, HTML), and packages mutated
byte by byte or part by part. Every command must answer with exit code 0, 1 or 2 and
no traceback; a workbook it writes must open in openpyxl and python-calamine; a
workbook it fails on is left byte for byte as it was, with nothing beside it.

The CI profile (the default) is derandomized with a fixed budget of examples; run
``HYPOTHESIS_PROFILE=dev pytest tests/test_fuzz.py`` for a longer hunt.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import random
import re
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from builders import clean_plan, with_shared_strings, write_workbook
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from ipxl import defaults as D
from ipxl.cli import main

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
settings.register_profile("dev", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# ---------------------------------------------------------------------- the values

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "{{ settings.council }}",
    "{% for x in y %}{{ x }}{% endfor %}",
    "{{ ''.__class__.__mro__ }}",
    "&amp; & &lt; <b>bold</b>",
    "]]><![CDATA[",
    "_xD800_",  # Excel's escape for a lone surrogate
    "_x0001_ and _x001F_",
    "=1/0",
    '=HYPERLINK("http://example.com","x")',
    "=SUM(A1:XFD1048576)",
    "#REF!",
    "31/03/3024",
    "9999-12-31",
    "00/00/0000",
    "TBC",
    " Green ",
    "RED",
    "\u202eevil\u202c",
    "a" * 5000,
    "line one\nline two\r\n\ttabbed",
    "\x00\x01\x02\x0b\x0c\x1f",
    "CO.G1.5",
    "",
]

texts = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
    st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=5),
)
numbers = st.one_of(
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300),
    st.sampled_from([0, -0.0, 1e-300, 5e-324, -1.1e11, 2958465, 2958466, 60, 1e15]),
)
dates = st.one_of(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59)),
)
values = st.one_of(texts, numbers, dates, st.booleans(), st.none())

#: Where hostile values go: every record sheet's data rows and header row, and
#: Settings' values.
SHEETS = [D.SHEET_NAMES[k] for k in D.RECORD_SHEETS] + [D.SHEET_NAMES["settings"]]
cells = st.tuples(st.sampled_from(SHEETS), st.integers(1, 8), st.integers(1, 18))
edits = st.dictionaries(cells, values, min_size=1, max_size=10)


# ----------------------------------------------------------------------- the checks


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


#: What a terminal would act on: C0 controls but tab and newline, DEL, C1 controls.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def answered(result, args) -> None:
    """Exit 0, 1 or 2; no traceback; a refusal is one line; nothing printed that a
    terminal would act on (text from cells is shown escaped)."""
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in result.output, (args, result.output)
    assert not RAW_CONTROL.search(result.stdout + result.stderr), (args, result.output)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    if result.exit_code == 2:
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1, (args, result.stderr)


def reopens(path: Path) -> None:
    """openpyxl opens the file and calamine reads every sheet; a sheet reaching as far
    as XFD1048576 (damage copied from the input, which ipxl reads cell by cell) is only
    opened, since calamine's dense grid for it would need hundreds of gigabytes."""
    from ipxl.xlsx.package import check_file, scan_sheet
    from ipxl.xlsx.reader import DENSE_LIMIT

    openpyxl.load_workbook(path).close()
    info = check_file(path)
    book = CalamineWorkbook.from_path(str(path))
    with zipfile.ZipFile(path) as zf:
        for name in book.sheet_names:
            part = info.sheets.get(name)
            if part is None or scan_sheet(path, zf, part).extent <= DENSE_LIMIT:
                book.get_sheet_by_name(name).to_python()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def every_command(path: Path, work: Path) -> None:
    """Run every command on ``path`` (writes to copies in ``work``); check each."""
    original = digest(path)
    for args, output in (
        (("validate", path, "--format", "json"), None),
        (("rollup", path, "--format", "json"), None),
        (("changes", path, path), None),
        (("highlight", path, "--output", work / "h.xlsx"), work / "h.xlsx"),
        (("refresh", path, "--output", work / "r.xlsx"), work / "r.xlsx"),
        (("validate", path, "--mark", "--output", work / "m.xlsx"), work / "m.xlsx"),
        (("appendices", path, "--out", work / "pack", "--html", "--force"), None),
        (("history", path, "--format", "json", "--export", work / "bi"), None),
        (("digest", path, "--since", "01/01/2023", "--out", work / "digest", "--force"), None),
        (("chase", path, "--format", "json"), None),
        (("returns", "make", path, "--out", work / "returns", "--force"), None),
        (("returns", "merge", path, work / "returns", "--output", work / "merged.xlsx"), work / "merged.xlsx"),
    ):
        result = invoke(*args)
        answered(result, args)
        if output is not None and result.exit_code in (0, 1) and output.exists():
            reopens(output)
        assert digest(path) == original, args


@functools.cache
def clean_bytes() -> bytes:
    """A clean plan, as Excel stores it (shared strings), with a row new this period."""
    with tempfile.TemporaryDirectory() as tmp:
        p = clean_plan()
        p["actions"][0]["date_added"] = dt.date(2023, 9, 1)
        return with_shared_strings(write_workbook(Path(tmp) / "plan.xlsx", p)).read_bytes()


# ------------------------------------------------------------ hostile cell values


@given(edits=edits)
# cases earlier hunts found (a control character in a cell broke the Word body, in
# Settings the chart's alt text)
@example(edits={("Actions", 7, 2): "ab\x19cd"})
@example(edits={("Settings", 4, 2): "\x1b\x16"})
# a due date typed as control characters reached a return as the keyword it was read as
@example(edits={("Actions", 2, 9): "\x00\x01\x02\x0b\x0c\x1f"})
def test_no_value_in_any_cell_makes_a_command_crash_or_spoil_the_workbook(edits):
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "plan.xlsx"
        path.write_bytes(clean_bytes())
        with_shared_strings(path, edits)
        every_command(path, work)


@given(edits=edits, columns=st.sampled_from([D.HIGHLIGHT_COLUMNS, D.PREVIOUS_COLUMNS]))
def test_a_read_of_some_columns_gives_them_exactly_as_a_full_read_whatever_the_cells_hold(edits, columns):
    import pandas as pd

    from ipxl import read_workbook
    from ipxl.errors import WorkbookUnusable

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.xlsx"
        path.write_bytes(clean_bytes())
        with_shared_strings(path, edits)
        try:
            full = read_workbook(path)
        except WorkbookUnusable as exc:  # a header wiped out: both reads refuse alike
            try:
                read_workbook(path, columns=columns)
            except WorkbookUnusable as again:
                assert str(again) == str(exc)
                return
            raise AssertionError("the part read accepted what the full read refused") from None
        part = read_workbook(path, columns=columns)
    assert part.findings == full.findings
    for key, cols in columns.items():
        a, b = full.sheets[key], part.sheets[key]
        assert (a is None) == (b is None)
        if a is None or b is None:
            continue
        pd.testing.assert_frame_equal(b.frame, a.frame[list(cols)])
        pd.testing.assert_frame_equal(b.raw, a.raw[list(cols)])
        assert {k: list(v) for k, v in b.text_dates.items()} == {
            k: list(v) for k, v in a.text_dates.items() if k in cols
        }


def test_the_hostile_texts_come_out_of_the_pack_as_literal_text(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(clean_bytes())
    wanted = {("Actions", 2 + i, 5): t for i, t in enumerate(HOSTILE_TEXT[:5])}  # Description column
    with_shared_strings(path, wanted)
    assert invoke("appendices", path, "--out", tmp_path / "pack", "--html").exit_code in (0, 1)
    page = next((tmp_path / "pack" / "html").glob("appendix-1.html")).read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "{{ settings.council }}" in page  # not rendered
    assert "&amp;amp; &amp; &amp;lt; &lt;b&gt;bold&lt;/b&gt;" in page


# ------------------------------------------------------------------ broken packages


def _parts(data: bytes) -> list[tuple[str, bytes]]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i.filename)) for i in zf.infolist()]


def _zip(parts: list[tuple[str, bytes]]) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts:
            zf.writestr(name, data)
    return buf.getvalue()


_TAG = re.compile(rb"<[A-Za-z][^<>]*>")


def _xml_mutation(data: bytes, how: str, rng: random.Random) -> bytes:
    tags = list(_TAG.finditer(data))
    if how == "empty":
        return b""
    if how == "dtd":
        return b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>' + data
    if how == "control":
        at = rng.randrange(len(data) + 1)
        return data[:at] + bytes([rng.choice([1, 2, 8, 11, 12, 27, 31])]) + data[at:]
    if not tags:
        return data[: len(data) // 2]
    m = rng.choice(tags)
    if how == "drop-tag":
        return data[: m.start()] + data[m.end() :]
    if how == "double-tag":
        return data[: m.end()] + m.group(0) + data[m.end() :]
    if how == "garbage-attribute":
        return data[: m.start()] + re.sub(rb'="[^"]*"', b'="\xff-1e999 &bogus;"', m.group(0), count=1) + data[m.end() :]
    if how == "cut":
        return data[: m.start()]
    if how == "huge-number":
        return re.sub(rb"<v>[^<]*</v>", b"<v>1e308</v>", data, count=3)
    if how == "far-cell":
        return re.sub(rb'r="[A-Z]+[0-9]+"', b'r="XFD1048576"', data, count=1)
    raise AssertionError(how)


MUTATIONS = ["empty", "dtd", "control", "drop-tag", "double-tag", "garbage-attribute", "cut", "huge-number", "far-cell"]


def mutate(recipe: tuple) -> bytes:
    """The clean package damaged as ``recipe`` says: (kind, seed, part index, how)."""
    kind, seed, index, how = recipe
    base = clean_bytes()
    rng = random.Random(seed)
    if kind == "flip":
        data = bytearray(base)
        for _ in range(1 + seed % 6):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if kind == "truncate":
        return base[: rng.randrange(len(base))]
    parts = _parts(base)
    i = index % len(parts)
    if kind == "drop-part":
        return _zip(parts[:i] + parts[i + 1 :])
    if kind == "duplicate-part":
        return _zip([*parts, parts[i]])
    name, data = parts[i]
    parts[i] = (name, _xml_mutation(data, how, rng))
    return _zip(parts)


recipes = st.tuples(
    st.sampled_from(["flip", "truncate", "xml", "xml", "xml", "drop-part", "duplicate-part"]),
    st.integers(0, 2**32),
    st.integers(0, 64),
    st.sampled_from(MUTATIONS),
)


@given(recipe=recipes)
# found by earlier hunts: an empty docProps/core.xml; a shared-string index 1e308
@example(recipe=("xml", 0, 14, "empty"))
@example(recipe=("xml", 41, 41, "huge-number"))
# [Content_Types].xml without the workbook's, a sheet's or the shared strings' type:
# ipxl read it, openpyxl refused the copy it wrote
@example(recipe=("xml", 158, 0, "drop-tag"))
@example(recipe=("xml", 156, 0, "drop-tag"))
# shared strings with a DTD or a tag twice: read by calamine, refused by openpyxl
@example(recipe=("xml", 0, 11, "double-tag"))
@example(recipe=("xml", 0, 11, "dtd"))
def test_no_damage_to_the_package_makes_a_command_crash_or_write_a_broken_file(recipe):
    broken = mutate(recipe)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "plan.xlsx"
        path.write_bytes(broken)
        for args, output in (
            (("validate", path), None),
            (("highlight", path, "--output", work / "h.xlsx"), work / "h.xlsx"),
            (("refresh", path), path),  # in place: on failure the file is as it was
        ):
            before = sorted(p.name for p in work.iterdir())
            result = invoke(*args)
            answered(result, args)
            if result.exit_code == 2:
                assert path.read_bytes() == broken, args
                assert sorted(p.name for p in work.iterdir()) == before, args
            elif output is not None:
                reopens(output)


# ------------------------------------------------- real-world shapes (issue 30)

#: What a styles part may hold; a valid package may lack any of it, or the part.
STYLE_SECTIONS = ["numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"]
#: What a cell's ``s`` may say: nothing, empty, a format the part holds or not.
CELL_STYLES = [None, "", "0", "1", "2", "57", "65535", "99999999999"]
#: Where a generator may put a part (OPC names no fixed place for any).
FOLDERS = ["xl", "Excel", "a/b", "", "xl/sub"]
#: How a valid package may encode an XML part (OPC: UTF-8 or UTF-16).
ENCODINGS = ["utf-8-sig", "utf-16-le", "utf-16-be"]


@st.composite
def real_world_shapes(draw):
    """A recipe for a valid package as other writers make them: the styles part
    (absent, or some sections kept, ``s`` of some Actions rows), parts renamed, and
    XML parts re-encoded (by index into the package's XML parts)."""
    styles = (
        draw(st.booleans()),
        draw(st.sets(st.sampled_from(STYLE_SECTIONS))),
        draw(st.sampled_from(CELL_STYLES)),
        draw(st.sets(st.integers(2, 7), min_size=1, max_size=3)),
    )
    names = draw(
        st.dictionaries(
            st.sampled_from(["workbook", "styles", "sharedStrings", "Actions"]),
            st.tuples(st.sampled_from(FOLDERS), st.from_regex(r"[a-z][a-z0-9]{0,6}", fullmatch=True)),
            max_size=3,
        )
    )
    encodings = draw(st.dictionaries(st.integers(0, 63), st.sampled_from(ENCODINGS), max_size=4))
    return styles, names, encodings


def real_world_package(recipe) -> bytes:
    """The clean package made as ``recipe`` says (see :func:`real_world_shapes`)."""
    from real_world import _get, _set, _sheet_part, no_styles_part, parts_of, reencoded, rename_part, zipped

    (absent, kept, cell_style, rows), names, encodings = recipe
    parts = parts_of(clean_bytes())
    actions = _sheet_part(parts, "Actions")
    if absent:
        parts = no_styles_part(parts)
    else:
        styles = _get(parts, "xl/styles.xml")
        for section in set(STYLE_SECTIONS) - kept:
            styles = re.sub(rf"<{section}\b[^>]*/>|<{section}\b.*?</{section}>".encode(), b"", styles, flags=re.S)
        parts = _set(parts, "xl/styles.xml", styles)
    sheet = _get(parts, actions)
    attr = b"" if cell_style is None else b' s="' + cell_style.encode() + b'"'
    for n in rows:
        sheet = re.sub(rf'(<c r="[A-Z]+{n}")(?: s="\d*")?'.encode(), lambda m: m.group(1) + attr, sheet)
    parts = _set(parts, actions, sheet)
    current = {
        "workbook": "xl/workbook.xml",
        "styles": None if absent else "xl/styles.xml",
        "sharedStrings": "xl/sharedStrings.xml",
        "Actions": actions,
    }
    taken = {n.lower() for n, _ in parts}
    for which, (folder, stem) in names.items():
        new = f"{folder}/{stem}.xml".lstrip("/")
        if current[which] is None or new.lower() in taken:
            continue
        parts = rename_part(parts, current[which], new)
        taken.add(new.lower())
    xml = [n for n, _ in parts if n.endswith((".xml", ".rels"))]
    chosen = {xml[i % len(xml)]: codec for i, codec in sorted(encodings.items(), reverse=True)}
    for name, codec in chosen.items():
        parts = _set(parts, name, reencoded(_get(parts, name), codec))
    return zipped(parts)


@given(recipe=real_world_shapes())
# the cases: an empty styleSheet; no styles part; s=""; s out of range; the
# workbook part elsewhere; a UTF-16 part
@example(recipe=((False, set(), "1", {2}), {}, {}))
@example(recipe=((True, set(), "", {2, 3}), {}, {}))
@example(recipe=((False, set(STYLE_SECTIONS), "57", {2}), {"workbook": ("Excel", "book")}, {}))
@example(recipe=((False, {"fonts"}, None, {2}), {"workbook": ("xl", "workbook2")}, {0: "utf-16-le", 5: "utf-16-be"}))
def test_no_styles_part_part_names_or_encodings_a_valid_package_may_have_stop_a_command_using_it(recipe):
    from ipxl.xlsx.opc import rels_name
    from ipxl.xlsx.package import check_file

    data = real_world_package(recipe)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "plan.xlsx"
        path.write_bytes(data)
        info = check_file(path)
        for args, output in (
            (("validate", path), None),
            (("highlight", path, "--output", work / "h.xlsx"), work / "h.xlsx"),
            (("refresh", path, "--output", work / "r.xlsx"), work / "r.xlsx"),
            (("validate", path, "--mark", "--output", work / "m.xlsx"), work / "m.xlsx"),
        ):
            result = invoke(*args)
            answered(result, args)
            assert result.exit_code in (0, 1), (args, recipe, result.stderr)
            if output is None:
                continue
            again = invoke("validate", output)
            assert again.exit_code in (0, 1), (args, recipe, again.stderr)
            # a write changes only the sheets, styles, workbook and its lists of parts
            before, after = dict(_parts(data)), dict(_parts(output.read_bytes()))
            named = {"[Content_Types].xml", info.workbook, rels_name(info.workbook), *info.sheets.values(), info.styles}
            for part, content in before.items():
                assert part in named or after.get(part) == content, (args, part, recipe)
        assert path.read_bytes() == data


# ------------------------------------------- the package check's parse and lxml's

_XML_PIECES = [b"<", b">", b"&", b"&amp;", b"&#10;", b'xmlns:q="u" ', b'xmlns:q="" ', b'xmlns="" ', b"q:", b'"', b"/",
               b"\xc3\xa9", b"\xef\xbf\xbe", b"\xf4\x8f\xbf\xbf", b" ", b"%", b"{", b"|", b"`", b"&#x20;", b"UOF",
               b'xmlns:xml="http://www.w3.org/XML/1998/namespace" ', b"\x00", b'encoding="latin-1" ']  # fmt: skip


@functools.cache
def _sheet_parts() -> list[bytes]:
    path = write_workbook(Path(tempfile.mkdtemp()) / "plan.xlsx", clean_plan())
    with zipfile.ZipFile(path) as zf:
        return [zf.read(n) for n in sorted(zf.namelist()) if n.startswith("xl/worksheets/sheet")]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    part=st.integers(0, 50),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.one_of(st.sampled_from(_XML_PIECES), st.integers(0, 5), st.binary(max_size=2))),
        min_size=1,
        max_size=3,
    ),
)
def test_the_package_check_refuses_a_sheet_exactly_when_lxml_would(part, edits):
    # The check parses a sheet with expat (no tree built) where it used to build one
    # with lxml: it must refuse and accept the same sheets, so a workbook that opened
    # before opens now, and a damaged one is still refused.
    from lxml import etree

    from ipxl.errors import NotAWorkbook
    from ipxl.xlsx.package import _well_formed

    sheets = _sheet_parts()
    data = bytearray(sheets[part % len(sheets)])
    for where, piece in edits:
        at = int(where * (len(data) - 1)) if where < 0.5 else int(where * min(len(data), 700))
        if isinstance(piece, int):
            del data[at : at + piece]
        else:
            data[at:at] = piece
    data = bytes(data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        etree.fromstring(data, parser)
        lxml_takes = True
    except etree.XMLSyntaxError:
        lxml_takes = False
    try:
        _well_formed(Path("plan.xlsx"), "xl/worksheets/sheet1.xml", data)
        check_takes = True
    except NotAWorkbook:
        check_takes = False
    assert check_takes == lxml_takes


def test_the_package_check_refuses_a_sheet_whose_namespace_is_no_uri_as_lxml_does():
    # expat takes any text as a namespace name; lxml (and so the check) refuses one
    # that is not a URI
    from ipxl.errors import NotAWorkbook
    from ipxl.xlsx.package import _well_formed

    sheet = _sheet_parts()[0]
    _well_formed(Path("plan.xlsx"), "xl/worksheets/sheet1.xml", sheet)
    no_uri = sheet.replace(b"spreadsheetml/2006/main", "spreadsheetml/2006/ma\U0010ffffin".encode(), 1)
    assert no_uri != sheet
    with pytest.raises(NotAWorkbook, match="not well-formed XML"):
        _well_formed(Path("plan.xlsx"), "xl/worksheets/sheet1.xml", no_uri)
