"""The pack as PDF/UA: converted by the real LibreOffice, read back with pikepdf and
poppler, and held to the structure PDF/UA asks for."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import docx
import pikepdf
import pytest
from builders import clean_plan, write_workbook
from tools import soffice

from ipxl import resources
from ipxl.pack import build_pack
from ipxl.pack.pdf import to_pdf
from ipxl.pack.pdfua import check_pdf


@pytest.fixture(scope="module")
def sample_pack(tmp_path_factory):
    soffice()
    out = tmp_path_factory.mktemp("sample") / "pack"
    folder = out.parent
    for src in (resources.sample_path(), resources.previous_sample_path(), resources.governance_path()):
        (folder / src.name).write_bytes(src.read_bytes())
    pack = build_pack(folder / resources.SAMPLE_NAME, out_dir=out, pdf=True)
    return pack


def test_every_pdf_of_the_sample_pack_passes_the_pdf_ua_checks(sample_pack):
    assert sample_pack.pdf_error is None
    assert len(sample_pack.pdfs) == 11  # a report for each of three meetings and Appendices 1-8
    # in the pack's order, as the Word files are (they are converted longest first)
    assert [p.stem for p in sample_pack.pdfs] == [p.stem for p in sample_pack.word_files]
    for pdf in sample_pack.pdfs:
        assert sample_pack.problems[pdf.name] == [], pdf.name
        assert check_pdf(pdf) == [], pdf.name


def test_a_second_validator_finds_the_sample_pack_pdf_ua_1_compliant(sample_pack):
    # page-validation: an independent PDF/UA-1 validator (the Matterhorn Protocol's
    # machine-checkable conditions, cross-tested against veraPDF's corpus).
    import page

    for pdf in sample_pack.pdfs:
        report = page.validate_pdf(pdf, profile="ua1")
        assert report.is_compliant, (pdf.name, [(f.rule_id, f.message) for f in report.failures][:5])
        assert report.rules.passed >= 100


def test_the_pdfs_declare_pdf_ua_with_title_language_and_the_title_shown(sample_pack):
    pdf_path = next(p for p in sample_pack.pdfs if p.name.startswith("Appendix 1 "))
    with pikepdf.open(pdf_path) as pdf:
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "Appendix 1: Improvement Plan Monitoring Tool October 2023"
        assert "<pdfuaid:part>1</pdfuaid:part>" in str(meta) or 'pdfuaid:part="1"' in str(meta)
        assert "en-GB" in str(meta)
        assert str(pdf.Root.Lang) == "en-GB"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)


def test_the_charts_are_figures_with_their_alt_text_once(sample_pack):
    pdf_path = next(p for p in sample_pack.pdfs if p.name.startswith("Appendix 2 "))
    alts = []
    with pikepdf.open(pdf_path) as pdf:

        def walk(k):
            if isinstance(k, pikepdf.Array):
                for x in k:
                    walk(x)
            elif isinstance(k, pikepdf.Dictionary) and k.get("/Type") not in ("/MCR", "/OBJR"):
                if k.get("/S") == "/Figure" and "/Alt" in k:
                    alts.append(str(k.Alt))
                walk(k.get("/K"))

        walk(pdf.Root.StructTreeRoot.K)
    assert len(alts) == 6
    assert alts[0].startswith("Bar chart of Organisational Culture actions by status: ")
    assert all(a.count("Bar chart of") == 1 for a in alts)


def test_no_row_of_the_monitoring_tool_has_its_text_on_two_pages(sample_pack):
    # Read as a person would: each ref's row text, page by page, with poppler.
    pdf_path = next(p for p in sample_pack.pdfs if p.name.startswith("Appendix 1 "))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert len(pages) > 5
    for i, page in enumerate(pages[:-1]):
        lines = [ln for ln in page.splitlines() if ln.strip()]
        # the last line of every page is its footer, the line before it the end of a row
        assert lines[-1].strip().startswith(f"Appendix 1 · Page {i + 1} of"), lines[-1]


def test_a_1000_action_pack_also_passes_every_check(tmp_path):
    # Large plans have lists and tables longer than a page: headings must still not end
    # a page, rows must still not split, every chart must still carry its alt text.
    from tools import synthetic

    soffice()
    plan = synthetic().write_plan(tmp_path / "plan.xlsx", 1000, seed=2)
    prev = synthetic().write_plan(tmp_path / "prev.xlsx", 1000, seed=2, previous=True)
    pack = build_pack(plan, prev, out_dir=tmp_path / "pack", pdf=True)
    assert pack.pdf_error is None and len(pack.pdfs) == 9  # three reports, Appendices 1-6
    assert {name: p for name, p in pack.problems.items() if p} == {}


def test_the_checks_catch_a_pdf_that_is_not_pdf_ua(tmp_path):
    soffice()
    d = docx.Document()  # python-docx's default: Title with a rule, rows free to split
    d.add_paragraph("A paper", style="Title")
    d.add_heading("Section", level=1)
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Ref"
    for i in range(40):
        row = table.add_row()
        row.cells[0].text = f"R{i}"
        row.cells[1].text = "A long line of text. " * 30
    d.add_heading("Stranded", level=3)
    d.save(tmp_path / "bad.docx")
    subprocess.run(
        [soffice(), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--convert-to",
         'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}',
         "--outdir", str(tmp_path), str(tmp_path / "bad.docx")],
        capture_output=True, check=True, timeout=300,
    )  # fmt: skip
    problems = " | ".join(check_pdf(tmp_path / "bad.pdf"))
    import page

    assert not page.validate_pdf(tmp_path / "bad.pdf", profile="ua1").is_compliant
    assert "does not declare PDF/UA-1" in problems
    assert "no dc:language" in problems
    assert "table row(s) run across two pages" in problems
    assert "An H3 follows H1" in problems
    assert "table(s) have no header cells" in problems
    assert "neither tagged nor artifacts" in problems  # the Title style's rule


def test_libreoffice_converts_every_file_in_one_run_and_keeps_their_names(tmp_path):
    soffice()
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    pack = build_pack(wb, out_dir=tmp_path / "out", only="1,5,6")
    pdfs = to_pdf(pack.word_files)
    assert [p.name for p in pdfs] == [p.with_suffix(".pdf").name for p in pack.word_files]
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)


def test_no_page_of_the_sample_pack_is_more_than_a_third_empty(sample_pack):
    # Keeping headings, charts and short tables with what follows must not leave a page
    # half blank: every page but a paper's last reaches at least two thirds of the way
    # down (a change between portrait and landscape would excuse one; the pack has none).
    from tools import page_fill

    for pdf in sample_pack.pdfs:
        fills = page_fill(pdf)
        short = [(n, round(f, 2)) for n, (f, _) in enumerate(fills[:-1], start=1) if f < 2 / 3]
        assert short == [], pdf.name


def _running_in(folder) -> list[str]:
    """Command lines of the processes that name ``folder`` (LibreOffice's profile in it)."""
    from pathlib import Path

    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if str(folder) in text:
            found.append(text)
    return found


def _left_behind(converter) -> list[str]:
    """What of the converter's LibreOffice is still there: processes, its folder, the
    pipes LibreOffice listens on in /tmp."""
    from ipxl.pack.pdf import _ipc_pipe

    pipes = [str(_ipc_pipe(converter._profile(n))) for n in range(len(converter.offices))]
    return (
        _running_in(converter.tmp)
        + [p for p in pipes if Path(p).exists()]
        + ([str(converter.tmp)] if converter.tmp.exists() else [])
    )


def test_libreoffice_starts_before_the_files_and_nothing_of_it_is_left_behind(tmp_path):
    from ipxl.pack.pdf import Converter

    soffice()
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    converter = Converter(processes=2)  # started before any file exists, as build_pack does
    try:
        deadline = time.monotonic() + 30  # up once each holds its document open
        ready = [converter.tmp / f".~lock.keep{n}.docx#" for n in range(2)]
        while not all(p.exists() for p in ready) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(_running_in(converter.tmp)) >= 2 and all(p.exists() for p in ready)
        # its own temporary files are in the converter's folder, not loose in /tmp
        assert any((converter.tmp / "temp").iterdir())
        pack = build_pack(wb, out_dir=tmp_path / "out", only="1,5,6")
        for path in pack.word_files:
            converter.add(path)
        seen: list[Path] = []
        pdfs = converter.finish(on_pdf=seen.append)
    finally:
        converter.close()
    assert [p.name for p in pdfs] == [p.with_suffix(".pdf").name for p in pack.word_files]
    assert sorted(seen) == sorted(pdfs)  # each PDF told of as it was placed
    assert all(check_pdf(p) == [] for p in pdfs)
    assert _left_behind(converter) == []


def test_more_libreoffice_processes_than_files_still_convert_and_all_stop(tmp_path):
    from ipxl.pack.pdf import Converter

    soffice()
    wb = write_workbook(tmp_path / "plan.xlsx", clean_plan())
    pack = build_pack(wb, out_dir=tmp_path / "out", only="6")
    converter = Converter(tmp_path / "pdf", processes=3)
    try:
        converter.add(pack.word_files[0])
        (pdf,) = converter.finish()
    finally:
        converter.close()
    assert pdf.parent == tmp_path / "pdf" and pdf.read_bytes().startswith(b"%PDF")
    assert _left_behind(converter) == []


def test_a_converter_closed_before_any_file_leaves_nothing_of_libreoffice_behind(tmp_path):
    from ipxl.pack.pdf import Converter

    soffice()
    converter = Converter(processes=2)
    time.sleep(0.5)  # LibreOffice is starting: it has made its pipe, not yet opened its document
    converter.close()  # as when the workbook turns out to have errors
    assert _left_behind(converter) == []


def test_a_program_that_forgets_to_close_its_converter_leaves_no_libreoffice_running(tmp_path):
    import sys

    soffice()
    script = (
        "import time\nfrom ipxl.pack.pdf import Converter\nc = Converter(processes=2)\ntime.sleep(1)\nprint(c.tmp)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    folder = done.stdout.strip()
    assert folder and _running_in(folder) == [] and not Path(folder).exists()


@pytest.mark.parametrize(
    "content, untagged",
    [
        (b"/P <</MCID 0>> BDC BT /F1 12 Tf (a) Tj ET EMC", 0),
        (b"/Artifact BMC 0 0 m 1 1 l S EMC", 0),
        (b"BT /F1 12 Tf (a) Tj ET 0 0 1 1 re f", 2),
        # a sequence without an MCID tags nothing, unless one around it does
        (b"/Span BMC (a) Tj EMC /P <</MCID 0>> BDC /Span BMC (b) Tj EMC EMC", 1),
        (b"/P <</MCID 0>> BDC EMC EMC (a) Tj", 1),  # a stray EMC closes nothing
        (b"BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI /Figure <</MCID 1>> BDC BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI EMC", 1),
        (b"/Artifact BMC q BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI Q EMC 0 0 m 1 1 l S", 1),
    ],
)
def test_content_painted_outside_tagged_content_is_counted_on_its_page(content, untagged):
    import pikepdf

    from ipxl.pack.pdfua import _untagged

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.add_blank_page()
    pdf.pages[1].Contents = pdf.make_stream(content)
    expected = [f"Page 2 paints {untagged} thing(s) that are neither tagged nor artifacts."] if untagged else []
    assert _untagged(pdf, pikepdf) == expected
