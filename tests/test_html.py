"""The pack as web pages: their structure read back as HTML, then every page loaded in
headless Chromium and checked with axe-core, at desktop and phone width."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
from builders import action, appendix, clean_plan, write_workbook
from lxml import html as lhtml
from tools import axe_js, chromium, synthetic

from ipxl import resources
from ipxl.colour import contrast
from ipxl.pack import render_appendices
from ipxl.writeback.signoff import sign_off

HOSTILE = '<script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2"> {{ 7*7 }} Fish & chips'
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def hostile_plan() -> dict:
    plan = clean_plan()
    plan["actions"][0]["progress_update"] = HOSTILE
    plan["actions"][0]["description"] = "Deliver <b>this</b> & that"
    plan["actions"].append(action("SD.D1.4", "Strategic Direction", date_added=dt.date(2023, 10, 1),
                                  status="Amber", exception_reason="Late & <i>slow</i>"))  # fmt: skip
    plan["appendices"] = [
        appendix("1", "Monitoring tool"),
        appendix("2", "Theme summary"),
        appendix("3", "Statutory recommendations"),
        appendix("4", "Review responses"),
        appendix("5", "Changes"),
        appendix("6", "Risk register"),
    ]
    return plan


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("site")
    wb = write_workbook(tmp / "plan.xlsx", hostile_plan())
    pack = render_appendices(wb, out_dir=tmp / "pack", html=True)
    assert pack.html and pack.html[0].name == "index.html"
    return tmp / "pack" / "html"


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("sample")
    for src in (resources.sample_path(), resources.previous_sample_path(), resources.governance_path()):
        (tmp / src.name).write_bytes(src.read_bytes())
    # signed off, so every page carries the approval line in its header (checked by axe too)
    sign_off(tmp / resources.SAMPLE_NAME, "Leadership Team", dt.date(2023, 11, 7), backup=False)
    render_appendices(tmp / resources.SAMPLE_NAME, out_dir=tmp / "pack", html=True)
    for page in pages(tmp / "pack" / "html"):
        assert '<p class="approval">Approved by Leadership Team on 7 November 2023</p>' in page.read_text(), page.name
    return tmp / "pack" / "html"


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("big")
    path = synthetic().write_plan(tmp / "plan.xlsx", 1000, seed=5)
    render_appendices(path, out_dir=tmp / "pack", html=True)
    return tmp / "pack" / "html"


def pages(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.html"))


def parse(path: Path):
    return lhtml.fromstring(path.read_bytes())


# ------------------------------------------------------------------ the markup


def test_the_site_has_an_index_and_a_page_per_appendix_with_the_word_files_titles(site):
    names = [p.name for p in pages(site)]
    assert names == ["appendix-1.html", "appendix-2.html", "appendix-3.html", "appendix-4.html", "appendix-5.html",
                     "appendix-6.html", "index.html", "report-improvement-plan-progress-audit-committee-21-november-2023.html",
                     "report-improvement-plan-progress-cabinet-20-november-2023.html"]  # fmt: skip
    index = parse(site / "index.html")
    lists = index.cssselect("ul.papers")
    reports = [(a.get("href"), " ".join(a.getparent().text_content().split())) for a in lists[0].cssselect("a")]
    assert reports[0] == ("report-improvement-plan-progress-cabinet-20-november-2023.html",
                          "Report to Cabinet, 20 November 2023")  # fmt: skip
    links = [(a.get("href"), a.text_content()) for a in lists[1].cssselect("a")]
    assert links[0] == ("appendix-1.html", "Appendix 1: Improvement Plan Monitoring Tool October 2023")
    assert index.cssselect("h1")[0].text_content() == "Improvement Plan Progress: committee papers for October 2023"
    page = parse(site / "appendix-5.html")
    assert " ".join(page.cssselect("h1")[0].text_content().split()) == (
        "Appendix 5 Changes to the Improvement Plan October 2023"
    )
    assert (site / "ipxl.css").is_file()


def test_every_page_is_english_with_one_h1_headings_in_order_a_skip_link_and_landmarks(site):
    for path in pages(site):
        doc = parse(path)
        assert doc.get("lang") == "en-GB", path.name
        levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels[0] == 1 and levels.count(1) == 1, path.name
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (path.name, levels)
        skip = doc.cssselect("a.skip-link")[0]
        assert skip.get("href") == "#main" and doc.cssselect("main#main")
        assert doc.cssselect("header") and doc.cssselect("nav[aria-label]") and doc.cssselect("footer")


def test_tables_have_captions_and_scoped_header_cells_and_sit_in_labelled_scroll_regions(site):
    for path in pages(site):
        doc = parse(path)
        for table in doc.iter("table"):
            caption = table.find("caption")
            assert caption is not None and caption.text_content().strip(), path.name
            assert all(th.get("scope") in ("col", "row") for th in table.iter("th")), path.name
            region = table.getparent()
            assert region.get("role") == "region" and region.get("aria-labelledby") == caption.get("id")
            assert region.get("tabindex") == "0"


def test_a_long_page_opens_with_a_contents_list_linking_to_each_of_its_sections(sample_site):
    doc = parse(sample_site / "appendix-1.html")
    links = doc.xpath('//main//nav[@class="contents"]//a')
    sections = doc.xpath("//main//h2[starts-with(@id, 'part-')]")
    assert [a.text_content() for a in links] == [h.text_content() for h in sections]
    assert [a.get("href") for a in links] == [f"#{h.get('id')}" for h in sections]
    assert len(links) >= 7 and "Organisational Culture" in [a.text_content() for a in links]
    # a page of a few sections needs none
    assert not parse(sample_site / "appendix-4.html").xpath('//nav[@class="contents"]')


def test_nothing_runs_and_nothing_is_fetched_from_elsewhere(site):
    for path in [*pages(site), site / "ipxl.css"]:
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text, path.name
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path.name
        assert "@import" not in text and "url(" not in text, path.name


def test_cell_text_shows_literally_never_as_markup(site):
    text = (site / "appendix-1.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=" in text
    assert "{{ 7*7 }}" in text and "49" not in text.split("{{ 7*7 }}")[1][:5]
    assert "Fish &amp; chips" in text and "Deliver &lt;b&gt;this&lt;/b&gt; &amp; that" in text
    page = parse(site / "appendix-1.html")
    assert HOSTILE in page.text_content()


def test_statuses_are_words_on_colours_with_enough_contrast(site):
    seen = set()
    for cell in parse(site / "appendix-1.html").cssselect("td.status"):
        m = re.fullmatch(r"background-color:#([0-9A-F]{6});color:#([0-9A-F]{6})", cell.get("style"))
        assert m and contrast(m.group(1), m.group(2)) >= 4.5
        assert cell.text_content().strip()
        seen.add(cell.text_content().strip())
    assert {"Green", "Amber", "Red"} <= seen


def test_new_rows_are_marked_new_in_words_and_red(site):
    rows = parse(site / "appendix-1.html").cssselect("tr.new")
    assert [r.cssselect("th")[0].text_content().split()[0] for r in rows] == ["SD.D1.4"]
    assert "New" in rows[0].cssselect("th")[0].text_content().split()
    css = (site / "ipxl.css").read_text()
    assert "tr.new th, tr.new td:not(.status) { color: #C00000; }" in css


def test_charts_are_svg_with_a_text_alternative_and_the_same_numbers_in_a_table(site):
    doc = parse(site / "appendix-2.html")
    charts = doc.cssselect("figure.chart svg")
    assert len(charts) == 6
    svg = charts[0]
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert doc.get_element_by_id(title_id).text_content() == "Organisational Culture: actions by status"
    desc = doc.get_element_by_id(desc_id).text_content()
    assert desc.startswith("Bar chart of Organisational Culture actions by status: ")
    counts = {name.strip(): n for n, name in re.findall(r"(\d+) ([A-Za-z ]+?)(?:,|\.)", desc.split(": ", 1)[1])}
    table = svg.getparent().getnext().find("table")
    shown = {tr[0].text_content(): tr[1].text_content() for tr in table.find("tbody")}
    assert counts == shown and len(shown) == 6


def test_the_pack_prints_with_repeating_headers_and_rows_kept_whole(site):
    css = (site / "ipxl.css").read_text()
    assert "@media print" in css
    assert "thead { display: table-header-group; }" in css
    assert "tr, figure, svg { break-inside: avoid;" in css


# ------------------------------------------------------------------ the browser


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    binary, driver = chromium()
    opts = Options()
    opts.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"):  # fmt: skip
        opts.add_argument(flag)
    drv = webdriver.Chrome(service=Service(driver), options=opts)
    drv.set_script_timeout(60)
    yield drv
    drv.quit()


def _axe(drv, url: str) -> list[dict]:
    drv.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    drv.set_window_size(1280, 900)
    drv.get(url)
    drv.execute_script(axe_js())
    result = drv.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"axe.run(document, {{runOnly: {{type: 'tag', values: {AXE_TAGS!r}}}}})"
        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));"
    )
    return [{"id": v["id"], "help": v["help"], "where": [n["target"] for n in v["nodes"]][:3]} for v in result]


def _phone(drv, url: str) -> tuple[int, int]:
    drv.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": True}
    )
    drv.get(url)
    return drv.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")


@pytest.fixture(scope="module")
def history_site(tmp_path_factory) -> Path:
    """The Progress over time appendix of a four-month series (tests/test_history.py),
    with markup typed into the exception reason of its persistently Red action."""
    import test_history as th

    tmp = tmp_path_factory.mktemp("history")
    for k in range(3):
        write_workbook(tmp / th._names(k), th._plan(k, th._names(k - 1) if k else None))
    plan = th._plan(3, th._names(2))
    next(a for a in plan["actions"] if a["ref"] == "OC.E2.8")["exception_reason"] = HOSTILE
    plan["appendices"] = [appendix("1", "Progress over time")]
    # a draft: the monthly plans log timescale changes without dates, on purpose
    render_appendices(write_workbook(tmp / th._names(3), plan), out_dir=tmp / "pack", html=True, draft=True)
    return tmp / "pack" / "html"


def test_the_progress_over_time_page_passes_axe_core_shows_markup_literally_and_fits_a_phone(browser, history_site):
    page = history_site / "appendix-1.html"
    assert _axe(browser, page.as_uri()) == []
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.get(page.as_uri())
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert HOSTILE in browser.find_element("css selector", "main").text.replace("\n", " ")
    scroll, width = _phone(browser, page.as_uri())
    assert scroll <= width


def test_every_page_of_the_sample_pack_passes_axe_core_with_no_violations(browser, sample_site):
    for path in pages(sample_site):
        assert _axe(browser, path.as_uri()) == [], path.name


def test_every_page_of_a_1000_action_pack_passes_axe_core_with_no_violations(browser, big_site):
    for path in pages(big_site):
        assert _axe(browser, path.as_uri()) == [], path.name


def test_a_script_typed_into_a_cell_does_not_run_in_the_browser(browser, site):
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.get((site / "appendix-1.html").as_uri())
    assert browser.execute_script("return typeof window.__pwned") == "undefined"
    assert browser.execute_script("return document.images.length") == 0
    assert HOSTILE in browser.find_element("css selector", "main").text.replace("\n", " ")


def test_at_320_pixels_wide_no_page_scrolls_sideways(browser, sample_site, big_site):
    for path in [*pages(sample_site), *pages(big_site)]:
        scroll, width = _phone(browser, path.as_uri())
        assert scroll <= width, (path.name, scroll, width)


def test_screenshots_at_desktop_and_phone_width_show_the_page(browser, sample_site, tmp_path):
    from PIL import Image

    url = (sample_site / "appendix-2.html").as_uri()
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.set_window_size(1280, 900)
    browser.get(url)
    browser.save_screenshot(str(tmp_path / "desktop.png"))
    _phone(browser, url)
    browser.save_screenshot(str(tmp_path / "phone.png"))
    for name, width in (("desktop.png", 1000), ("phone.png", 300)):
        with Image.open(tmp_path / name) as shot:
            assert shot.width >= width
            # a page, not a blank window: dark heading text and the blue header rule are drawn
            colours = shot.convert("RGB").getcolors(1 << 20)
            assert len(colours) > 50, name


def test_at_tablet_width_a_table_wider_than_the_screen_shows_a_shadow_where_more_columns_lie(
    browser, sample_site, tmp_path
):
    """At 800 px Appendix 1's action tables are wider than the screen and scroll in
    their region: the right edge of each is shaded until the reader scrolls to its
    end, and then the left edge is; the status key, which fits, is never shaded."""
    from PIL import Image

    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": 800, "height": 1000, "deviceScaleFactor": 1, "mobile": True}
    )
    browser.get((sample_site / "appendix-1.html").as_uri())
    # the captions' words hidden, so that only the region's own background is measured beside them
    browser.execute_script(
        "const s = document.createElement('style'); s.textContent = 'caption { color: transparent }';"
        "document.head.appendChild(s);"
    )
    regions = browser.find_elements("css selector", ".table-scroll")
    fits, wide = regions[0], regions[1]
    assert browser.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth", fits)
    assert browser.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", wide)

    def edges(region) -> tuple[int, int]:
        # the darkest pixel down each edge of the caption, just inside the region
        browser.execute_script("arguments[0].scrollIntoView()", region)
        region.screenshot(str(tmp_path / "region.png"))
        with Image.open(tmp_path / "region.png") as shot:
            grey = shot.convert("L")
            caption_rows = range(2, 14)
            left = min(grey.getpixel((2, y)) for y in caption_rows)
            right = min(grey.getpixel((grey.width - 3, y)) for y in caption_rows)
        return left, right

    assert edges(fits) == (255, 255)
    left, right = edges(wide)
    assert left == 255 and right < 235, (left, right)
    browser.execute_script("arguments[0].scrollLeft = arguments[0].scrollWidth", wide)
    left, right = edges(wide)
    assert left < 235 and right == 255, (left, right)
