"""Native Word charts: a DrawingML bar chart part with its values cached and the data
in an embedded workbook, so Word draws it, Edit Data opens the numbers in Excel, and
the clerk can restyle it like any chart they made themselves.

Labels are 10 pt or more; each bar carries its count; the colours are the statuses'
own, each bar outlined in dark grey so it stands out from the white page (3:1).
"""

from __future__ import annotations

import io
import zipfile

from ..xlsx.xml import escape, xml_text
from .model import Chart

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RT_CHART = R + "/chart"
RT_PACKAGE = R + "/package"
OUTLINE = "404040"
#: Text size of every label, in hundredths of a point.
LABEL_SIZE = 1100


def _txpr(size: int = LABEL_SIZE, bold: bool = False) -> str:
    b = ' b="1"' if bold else ""
    return (
        "<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>"
        f'<a:defRPr sz="{size}"{b}><a:solidFill><a:srgbClr val="000000"/></a:solidFill>'
        '<a:latin typeface="Arial"/><a:cs typeface="Arial"/></a:defRPr>'
        '</a:pPr><a:endParaRPr lang="en-GB"/></a:p></c:txPr>'
    )


def chart_xml(chart: Chart, embedded_rid: str) -> bytes:
    """The chart part for ``chart``; ``embedded_rid`` is the chart part's relationship
    to its embedded workbook."""
    n = len(chart.bars)
    cats = "".join(
        f'<c:pt idx="{i}"><c:v>{escape(xml_text(label))}</c:v></c:pt>' for i, (label, _, _) in enumerate(chart.bars)
    )
    vals = "".join(f'<c:pt idx="{i}"><c:v>{int(v)}</c:v></c:pt>' for i, (_, v, _) in enumerate(chart.bars))
    points = "".join(
        f'<c:dPt><c:idx val="{i}"/><c:invertIfNegative val="0"/><c:bubble3D val="0"/>'
        f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
        f'<a:ln w="12700"><a:solidFill><a:srgbClr val="{OUTLINE}"/></a:solidFill></a:ln></c:spPr></c:dPt>'
        for i, (_, _, colour) in enumerate(chart.bars)
    )
    last = n + 1
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{C}" xmlns:a="{A}" xmlns:r="{R}">'
        '<c:date1904 val="0"/><c:lang val="en-GB"/><c:roundedCorners val="0"/>'
        "<c:chart>"
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>"
        '<a:defRPr sz="1200" b="1"><a:latin typeface="Arial"/></a:defRPr></a:pPr>'
        f'<a:r><a:rPr lang="en-GB" sz="1200" b="1"><a:latin typeface="Arial"/></a:rPr><a:t>{escape(xml_text(chart.title))}</a:t>'
        "</a:r></a:p></c:rich></c:tx>"
        '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
        "<c:plotArea><c:layout/>"
        '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
        '<c:ser><c:idx val="0"/><c:order val="0"/>'
        f'<c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/>'
        f'<c:pt idx="0"><c:v>{escape(xml_text(chart.axis))}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
        f'<c:spPr><a:ln w="12700"><a:solidFill><a:srgbClr val="{OUTLINE}"/></a:solidFill></a:ln></c:spPr>'
        f'<c:invertIfNegative val="0"/>{points}'
        "<c:dLbls><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
        f"{_txpr()}"
        '<c:dLblPos val="outEnd"/><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
        '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
        f'<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${last}</c:f><c:strCache><c:ptCount val="{n}"/>{cats}'
        "</c:strCache></c:strRef></c:cat>"
        f"<c:val><c:numRef><c:f>Sheet1!$B$2:$B${last}</c:f><c:numCache><c:formatCode>General</c:formatCode>"
        f'<c:ptCount val="{n}"/>{vals}</c:numCache></c:numRef></c:val>'
        "</c:ser>"
        '<c:gapWidth val="50"/><c:axId val="50010001"/><c:axId val="50010002"/></c:barChart>'
        '<c:catAx><c:axId val="50010001"/><c:scaling><c:orientation val="maxMin"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/>'
        f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>{_txpr()}<c:crossAx val="50010002"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
        '<c:tickLblSkip val="1"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="50010002"/><c:scaling><c:orientation val="minMax"/><c:min val="0"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="b"/><c:majorGridlines/>'
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>"
        f'<a:defRPr sz="{LABEL_SIZE}"><a:latin typeface="Arial"/></a:defRPr></a:pPr>'
        f'<a:r><a:rPr lang="en-GB" sz="{LABEL_SIZE}"><a:latin typeface="Arial"/></a:rPr>'
        f'<a:t>{escape(xml_text(chart.axis))}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
        '<c:numFmt formatCode="0" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
        f'<c:tickLblPos val="nextTo"/>{_txpr()}<c:crossAx val="50010001"/><c:crosses val="max"/>'
        '<c:crossBetween val="between"/><c:majorUnit val="1"/></c:valAx>'
        "</c:plotArea>"
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        f"{_txpr()}"
        f'<c:externalData r:id="{embedded_rid}"><c:autoUpdate val="0"/></c:externalData>'
        "</c:chartSpace>"
    ).encode()


def embedded_workbook(chart: Chart) -> bytes:
    """A small .xlsx holding the chart's numbers (column A the labels, B the counts), the
    data Word's Edit Data opens."""

    def cell_text(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(xml_text(text))}</t></is></c>'

    rows = [f'<row r="1">{cell_text("A1", "Status")}{cell_text("B1", chart.axis)}</row>']
    for i, (label, value, _) in enumerate(chart.bars, start=2):
        rows.append(f'<row r="{i}">{cell_text(f"A{i}", label)}<c r="B{i}"><v>{int(value)}</v></c></row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{main}" xmlns:r="{R}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{R}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{R}/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<styleSheet xmlns="{main}"><fonts count="1"><font><sz val="11"/><name val="Arial"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
            '</fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="1"><xf xfId="0"/></cellXfs></styleSheet>'
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{main}"><sheetData>{"".join(rows)}</sheetData></worksheet>'
        ),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text.encode("utf-8"))
    return buf.getvalue()
