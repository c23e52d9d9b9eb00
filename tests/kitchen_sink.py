"""A "kitchen-sink" monitoring workbook: everything officers' real workbooks carry.

Built with XlsxWriter (.xlsm with a real VBA project, form button with a macro, list
validations, conditional formats, a chart, an image, a note, defined names, a table,
frozen panes, hidden and protected sheets, a custom property), then hand-patched for
what XlsxWriter cannot write: a 2010-extension (x14) list validation in the Actions
sheet's extLst, a threaded comment with its person list, a custom XML item, and a
shape with a macro.

Import it from tests (``from kitchen_sink import build_kitchen_sink``); it is not a
conftest so it cannot clash with the shared one.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import xlsxwriter

PERIOD_START = dt.date(2023, 8, 1)
PERIOD_END = dt.date(2023, 10, 31)
OLD = dt.date(2022, 6, 7)
IN_PERIOD = dt.date(2023, 9, 12)

HEADERS = [
    "Ref",
    "Theme",
    "Workstream",
    "Type",
    "Description",
    "Recommendations",
    "Director / Lead",
    "Delivery lead",
    "Due date",
    "Revised due date",
    "Status",
    "Progress update",
    "Exception reason",
    "Date added",
    "Completion date",
    "Closure",
    "Days to due",
]
#: (ref, theme, type, status, date added)
ACTIONS = [
    ("SD.D1.3", "Strategic Direction", "Action", "Green", OLD),
    ("SD.D1.3.1", "Strategic Direction", "Sub-action", "Amber", OLD),
    ("CO.G1.5", "Corporate Oversight", "Action", "Red", OLD),
    ("CO.G1.5.2", "Corporate Oversight", "Sub-action", "Green", IN_PERIOD),
    ("OC.C1.1", "Organisational Culture", "Action", "Complete", OLD),
    ("PR.A1.11", "Partnerships and Relationships", "Assurance action", "Green", IN_PERIOD),
    ("DM.D2.1", "Decision Making", "Action", "Not started", OLD),
    ("PC.P1.4", "Procurement and Commercial", "Action", "Green", dt.date(2023, 10, 31)),
]
HEADER_ROW = 3  # Excel row of the Actions header (two title rows above it)
#: Excel rows of Actions that are new in the period.
NEW_ACTION_ROWS = {HEADER_ROW + 1 + i for i, a in enumerate(ACTIONS) if PERIOD_START <= a[4] <= PERIOD_END}
MILESTONES = [
    ("SD.D1.3", "Budget consultation launched", "Complete", OLD),
    ("CO.G1.5", "Scrutiny review agreed", "Not complete", OLD),
    ("CO.G1.5.2", "Terms of reference signed", "Not started", IN_PERIOD),
]
NEW_MILESTONE_ROWS = {2 + i for i, m in enumerate(MILESTONES) if PERIOD_START <= m[3] <= PERIOD_END}

X14_NS = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
X14_VALIDATION = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    f'xmlns:x14="{X14_NS}"><x14:dataValidations count="1" '
    'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
    "<x14:formula1><xm:f>Lists!$C$2:$C$7</xm:f></x14:formula1><xm:sqref>P4:P40</xm:sqref>"
    "</x14:dataValidation></x14:dataValidations></ext></extLst>"
)
THREADED_COMMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<threadedComment ref="E5" dT="2023-10-01T10:00:00.00" personId="{6B2C2A5E-0000-4000-8000-000000000001}" '
    'id="{6B2C2A5E-0000-4000-8000-0000000000AA}"><text>Is this still on track?</text></threadedComment>'
    "</ThreadedComments>"
)
PERSONS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<person displayName="Policy Officer" id="{6B2C2A5E-0000-4000-8000-000000000001}" '
    'userId="policy.officer@example.gov.uk" providerId="None"/></personList>'
)
CUSTOM_XML = '<?xml version="1.0" encoding="UTF-8" standalone="no"?><ipxlTest xmlns="urn:example:records"><retention>7y</retention></ipxlTest>'
CUSTOM_XML_PROPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\r\n'
    '<ds:datastoreItem ds:itemID="{2E3F6A10-1111-4222-8333-444455556666}" '
    'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
    "<ds:schemaRefs/></ds:datastoreItem>"
)
SHAPE_MACRO = "ThisWorkbook.RefreshPlan"


def vba_project_bin() -> bytes:
    """A real vbaProject.bin, taken from xlwings' quickstart workbook."""
    import os

    import xlwings

    folder = Path(os.path.dirname(xlwings.__file__))
    for name in ("quickstart_standalone.xlsm", "quickstart.xlsm"):
        p = folder / name
        if p.exists():
            with zipfile.ZipFile(p) as z:
                return z.read("xl/vbaProject.bin")
    raise FileNotFoundError("no .xlsm with a vbaProject.bin in the xlwings package")


def tiny_png() -> bytes:
    """A 4x4 blue PNG made by hand (no Pillow needed)."""
    w = h = 4
    raw = b"".join(b"\x00" + b"\x1f\x38\x64" * w for _ in range(h))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def build_kitchen_sink(
    path: Path,
    *,
    previous_workbook: str | None = None,
    actions=ACTIONS,
    milestones=MILESTONES,
    period=(PERIOD_START, PERIOD_END),
) -> Path:
    """Write the kitchen-sink workbook at ``path`` (.xlsm) and return it."""
    path = Path(path)
    tmp = path.with_name(path.stem + ".xlsxwriter" + path.suffix)
    wb = xlsxwriter.Workbook(str(tmp))
    wb.add_vba_project(io.BytesIO(vba_project_bin()), is_stream=True)
    wb.set_vba_name("ThisWorkbook")
    wb.set_custom_property("Plan owner", "Improvement Team")
    wb.set_custom_property("Checked", True)

    title = wb.add_format({"bold": True, "font_size": 14, "font_color": "#1F3864"})
    head = wb.add_format({"bold": True, "bg_color": "#1F3864", "font_color": "#FFFFFF", "border": 1, "text_wrap": True})
    body = wb.add_format({"border": 1, "valign": "top"})
    body_bold = wb.add_format({"border": 1, "valign": "top", "bold": True, "italic": True, "bg_color": "#E2EFDA"})
    wrap = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    date = wb.add_format({"border": 1, "num_format": "dd/mm/yyyy", "valign": "top"})
    num = wb.add_format({"border": 1, "num_format": "#,##0", "font_color": "#0070C0"})
    amber = wb.add_format({"bg_color": "#FFC000"})
    red_fill = wb.add_format({"bg_color": "#C00000", "font_color": "#FFFFFF"})

    s = wb.add_worksheet("Settings")
    s.write_row(0, 0, ["Setting", "Value"], head)
    rows = [
        ("Council", "Sandwell Metropolitan Borough Council"),
        ("Plan title", "Improvement Plan"),
        ("Reporting period", "October 2023"),
        ("Period start", period[0]),
        ("Period end", period[1]),
    ]
    if previous_workbook:
        rows.append(("Previous workbook", previous_workbook))
    for i, (k, v) in enumerate(rows, start=1):
        s.write(i, 0, k)
        if isinstance(v, dt.date):
            s.write_datetime(i, 1, dt.datetime.combine(v, dt.time()), date)
        else:
            s.write(i, 1, v)
    s.set_column(0, 1, 30)

    a = wb.add_worksheet("Actions")
    a.merge_range(0, 0, 0, 6, "Improvement Plan: monitoring of actions", title)
    a.write(1, 0, "Updated monthly by the Policy team")
    a.write_row(HEADER_ROW - 1, 0, HEADERS, head)
    for i, (ref, theme, typ, status, added) in enumerate(actions):
        r = HEADER_ROW + i  # 0-based
        fmt = body_bold if i == 2 else body
        a.write(r, 0, ref, fmt)
        a.write(r, 1, theme, fmt)
        a.write(r, 2, "Medium-Term Financial Planning", fmt)
        a.write(r, 3, typ, fmt)
        a.write(r, 4, f"Deliver {ref}: a description long enough to wrap in the cell", wrap)
        a.write_blank(r, 5, None, body)
        a.write(r, 6, "Director of Finance", fmt)
        a.write(r, 7, "Head of Finance", fmt)
        a.write_datetime(r, 8, dt.datetime(2024, 3, 31), date)
        a.write_blank(r, 9, None, date)
        a.write(r, 10, status, fmt)
        a.write(r, 11, "Progress reported to Leadership Team." if status != "Not started" else "", wrap)
        a.write(r, 12, "Consultation ran late." if status == "Red" else "", wrap)
        a.write_datetime(r, 13, dt.datetime.combine(added, dt.time()), date)
        if status == "Complete":
            a.write_datetime(r, 14, dt.datetime(2023, 5, 1), date)
        else:
            a.write_blank(r, 14, None, date)
        a.write(r, 15, "Open", fmt)
        a.write_formula(r, 16, f"=I{r + 1}-DATE(2023,10,31)", num, 152)
    last = HEADER_ROW + len(actions)
    a.freeze_panes(HEADER_ROW, 1)
    a.autofilter(HEADER_ROW - 1, 0, last - 1, len(HEADERS) - 1)
    a.data_validation(HEADER_ROW, 10, last + 30, 10, {"validate": "list", "source": "=Lists!$A$2:$A$7"})
    a.conditional_format(
        HEADER_ROW, 10, last + 30, 10, {"type": "cell", "criteria": "==", "value": '"Amber"', "format": amber}
    )
    a.conditional_format(
        HEADER_ROW, 10, last + 30, 10, {"type": "cell", "criteria": "==", "value": '"Red"', "format": red_fill}
    )
    a.write_comment(HEADER_ROW, 0, "Refs follow THEME.WORKSTREAM.N", {"author": "Policy team"})
    a.insert_button(0, 8, {"macro": "RefreshPlan", "caption": "Refresh", "width": 90, "height": 24})
    a.set_column(0, 0, 12)
    a.set_column(4, 4, 50)
    a.set_column(11, 12, 40)
    a.set_row(HEADER_ROW - 1, 30)
    a.set_landscape()
    a.repeat_rows(HEADER_ROW - 1)
    a.write_url(1, 8, "https://www.gov.uk/government/collections/sandwell-intervention", string="Intervention page")

    m = wb.add_worksheet("Milestones")
    m.write_row(0, 0, ["Ref", "Milestone", "Due date", "Status", "Completed date", "Date added"], head)
    for i, (ref, text, status, added) in enumerate(milestones, start=1):
        m.write(i, 0, ref, body)
        m.write(i, 1, text, body)
        m.write_datetime(i, 2, dt.datetime(2023, 12, 1), date)
        m.write(i, 3, status, body)
        if status == "Complete":
            m.write_datetime(i, 4, dt.datetime(2023, 7, 1), date)
        m.write_datetime(i, 5, dt.datetime.combine(added, dt.time()), date)
    m.set_column(1, 1, 40)

    risks = wb.add_worksheet("Risks")
    risks.add_table(
        0,
        0,
        2,
        4,
        {
            "name": "RiskRegister",
            "columns": [{"header": h} for h in ("Risk ref", "Risk", "Owner", "Likelihood", "Impact")],
            "data": [
                ["R1", "Capacity to deliver", "Chief Executive", 3, 4],
                ["R2", "Funding", "Director of Finance", 2, 5],
            ],
        },
    )
    risks.protect("secret")

    d = wb.add_worksheet("Dashboard")
    d.write_row(0, 0, ["Status", "Count"], head)
    for i, (k, v) in enumerate([("Green", 4), ("Amber", 1), ("Red", 1), ("Complete", 1)], start=1):
        d.write(i, 0, k)
        d.write(i, 1, v)
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "Actions", "categories": "=Dashboard!$A$2:$A$5", "values": "=Dashboard!$B$2:$B$5"})
    chart.set_title({"name": "Actions by status"})
    d.insert_chart("D2", chart)
    d.insert_image("D18", "logo.png", {"image_data": io.BytesIO(tiny_png()), "description": "Council logo"})
    d.insert_textbox("H18", "Refresh the plan", {"width": 160, "height": 40})

    lists = wb.add_worksheet("Lists")
    lists.write_row(0, 0, ["Status", "Theme code", "Closure"], head)
    for i, st in enumerate(["Complete", "Green", "Amber", "Red", "Not started", "On hold"], start=1):
        lists.write(i, 0, st)
    for i, code in enumerate(["OC", "CO", "SD", "DM", "PC", "PR"], start=1):
        lists.write(i, 1, code)
    for i, c in enumerate(["Open", "Proposed to close", "Closed", "Moved to business as usual"], start=1):
        lists.write(i, 2, c)
    lists.protect()

    hidden = wb.add_worksheet("Notes")
    hidden.write(0, 0, "Working notes, hidden from committee")
    hidden.hide()

    wb.define_name("StatusList", "=Lists!$A$2:$A$7")
    wb.define_name("Actions!LocalName", "=Actions!$A$4")
    wb.close()

    _hand_patch(tmp, path)
    tmp.unlink()
    return path


def _hand_patch(src: Path, dst: Path) -> None:
    """Add the parts XlsxWriter cannot write (this is the *input*, so rewriting the
    whole zip here is fine)."""
    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
        order = [i.filename for i in z.infolist()]

    def text(name: str) -> str:
        return parts[name].decode("utf-8")

    # which part is the Actions sheet?
    wbxml = text("xl/workbook.xml")
    rels = text("xl/_rels/workbook.xml.rels")
    rid = re.search(r'<sheet name="Actions" sheetId="\d+" r:id="(rId\d+)"', wbxml).group(1)
    target = re.search(rf'Id="{rid}" Type="[^"]+" Target="([^"]+)"', rels).group(1)
    sheet = "xl/" + target
    sheet_rels = sheet.replace("worksheets/", "worksheets/_rels/") + ".rels"

    # 1. x14 list validation in the sheet's extLst (plus the mc:Ignorable Excel writes)
    xml = text(sheet)
    xml = xml.replace(
        "<worksheet ",
        '<worksheet xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" mc:Ignorable="x14ac" ',
        1,
    )
    xml = xml.replace("</worksheet>", X14_VALIDATION + "</worksheet>")
    parts[sheet] = xml.encode("utf-8")

    # 2. threaded comment on the Actions sheet, person list on the workbook
    parts["xl/threadedComments/threadedComment1.xml"] = THREADED_COMMENT.encode()
    parts["xl/persons/person.xml"] = PERSONS.encode()
    sr = text(sheet_rels)
    sr = sr.replace(
        "</Relationships>",
        '<Relationship Id="rId90" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment" '
        'Target="../threadedComments/threadedComment1.xml"/></Relationships>',
    )
    parts[sheet_rels] = sr.encode()
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rId91" Type="http://schemas.microsoft.com/office/2017/10/relationships/person" '
        'Target="persons/person.xml"/>'
        '<Relationship Id="rId92" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml" '
        'Target="../customXml/item1.xml"/></Relationships>',
    )
    parts["xl/_rels/workbook.xml.rels"] = rels.encode()

    # 3. custom XML item
    parts["customXml/item1.xml"] = CUSTOM_XML.encode()
    parts["customXml/itemProps1.xml"] = CUSTOM_XML_PROPS.encode()
    parts["customXml/_rels/item1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXmlProps" '
        b'Target="itemProps1.xml"/></Relationships>'
    )

    ct = text("[Content_Types].xml")
    ct = ct.replace(
        "</Types>",
        '<Override PartName="/xl/threadedComments/threadedComment1.xml" ContentType="application/vnd.ms-excel.threadedcomments+xml"/>'
        '<Override PartName="/xl/persons/person.xml" ContentType="application/vnd.ms-excel.person+xml"/>'
        '<Override PartName="/customXml/itemProps1.xml" ContentType="application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/>'
        "</Types>",
    )
    if 'Extension="xml"' not in ct:
        ct = ct.replace("<Override", '<Default Extension="xml" ContentType="application/xml"/><Override', 1)
    parts["[Content_Types].xml"] = ct.encode()

    # 4. a shape with a macro: the Dashboard textbox becomes a button-like shape
    for name in list(parts):
        if name.startswith("xl/drawings/drawing") and name.endswith(".xml"):
            dx = text(name)
            if re.search(r"<xdr:sp[ >]", dx):
                dx = re.sub(r'<xdr:sp(?: macro="")?(?=[ >])', f'<xdr:sp macro="{SHAPE_MACRO}"', dx, count=1)
                parts[name] = dx.encode()

    new_names = [n for n in parts if n not in order]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name in order + new_names:
            out.writestr(name, parts[name])
