"""The Summary sheet's native bar chart: DrawingML chart and drawing-anchor XML."""

from __future__ import annotations

from ..xlsx.cells import col_letter
from ..xlsx.xml import XDR, A, C, R, escape, quote_sheet, quoteattr, xml_text
from .plans import ChartSpec

# -------------------------------------------------------------------------- charts


def anchor_xml(spec: ChartSpec, chart_rid: str, shape_id: int) -> bytes:
    fc, fr, tc, tr = spec.anchor
    return (
        f'<xdr:twoCellAnchor xmlns:xdr="{XDR}" xmlns:a="{A}" editAs="oneCell">'
        f"<xdr:from><xdr:col>{fc}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{fr}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        f"<xdr:to><xdr:col>{tc}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{tr}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
        f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
        f'<xdr:cNvPr id="{shape_id}" name={quoteattr(spec.name)} descr={quoteattr(xml_text(spec.alt_text))} title={quoteattr(xml_text(spec.title))}/>'
        f"<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"
        f'<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
        f'<a:graphic><a:graphicData uri="{C}"><c:chart xmlns:c="{C}" xmlns:r="{R}" r:id="{chart_rid}"/></a:graphicData></a:graphic>'
        f"</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>"
    ).encode()


def chart_xml(sheet: str, spec: ChartSpec, rows: list[list[object]]) -> bytes:
    """The chart part for ``spec``, drawn from the table in ``rows`` (the sheet's cells
    from A1), with the values cached so readers that do not recalculate show them."""
    qs = quote_sheet(sheet)

    def val(r: int, c: int):
        row = rows[r - 1] if r - 1 < len(rows) else []
        return row[c - 1] if c - 1 < len(row) else None

    n = spec.last_row - spec.first_row + 1
    cat_col = col_letter(spec.category_col)
    cat_ref = f"{qs}!${cat_col}${spec.first_row}:${cat_col}${spec.last_row}"
    cat_cache = "".join(
        f'<c:pt idx="{i}"><c:v>{escape(xml_text(val(spec.first_row + i, spec.category_col) or ""))}</c:v></c:pt>'
        for i in range(n)
    )
    series = []
    for k, col in enumerate(spec.series_cols):
        L = col_letter(col)
        name = escape(xml_text(val(spec.header_row, col) or ""))
        colour = spec.colours[k] if k < len(spec.colours) else None
        fill = f'<c:spPr><a:solidFill><a:srgbClr val="{colour[-6:].upper()}"/></a:solidFill></c:spPr>' if colour else ""
        nums = "".join(f'<c:pt idx="{i}"><c:v>{val(spec.first_row + i, col) or 0}</c:v></c:pt>' for i in range(n))
        series.append(
            f'<c:ser><c:idx val="{k}"/><c:order val="{k}"/>'
            f'<c:tx><c:strRef><c:f>{escape(qs)}!${L}${spec.header_row}</c:f><c:strCache><c:ptCount val="1"/>'
            f'<c:pt idx="0"><c:v>{name}</c:v></c:pt></c:strCache></c:strRef></c:tx>{fill}'
            f'<c:invertIfNegative val="0"/>'
            f'<c:cat><c:strRef><c:f>{escape(cat_ref)}</c:f><c:strCache><c:ptCount val="{n}"/>{cat_cache}</c:strCache></c:strRef></c:cat>'
            f"<c:val><c:numRef><c:f>{escape(qs)}!${L}${spec.first_row}:${L}${spec.last_row}</c:f>"
            f'<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="{n}"/>{nums}</c:numCache></c:numRef></c:val>'
            f"</c:ser>"
        )
    title = escape(xml_text(spec.title))
    # Bars list the categories top to bottom in table order (the category axis runs
    # max to min, the value axis crosses at its end); columns run left to right.
    column = spec.kind == "column"
    direction, cat_order, cat_pos = ("col", "minMax", "b") if column else ("bar", "maxMin", "l")
    val_pos, crosses = ("l", "autoZero") if column else ("b", "max")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{C}" xmlns:a="{A}" xmlns:r="{R}">'
        '<c:roundedCorners val="0"/>'
        "<c:chart>"
        f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1400" b="1"/></a:pPr>'
        f'<a:r><a:rPr lang="en-GB" sz="1400" b="1"/><a:t>{title}</a:t></a:r></a:p></c:rich></c:tx>'
        '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
        "<c:plotArea><c:layout/>"
        f'<c:barChart><c:barDir val="{direction}"/><c:grouping val="stacked"/><c:varyColors val="0"/>'
        + "".join(series)
        + '<c:gapWidth val="60"/><c:overlap val="100"/><c:axId val="50010001"/><c:axId val="50010002"/></c:barChart>'
        f'<c:catAx><c:axId val="50010001"/><c:scaling><c:orientation val="{cat_order}"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="{cat_pos}"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="none"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="50010002"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
        '<c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="50010002"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="{val_pos}"/><c:majorGridlines/><c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:r><a:rPr lang="en-GB"/>'
        '<a:t>Number of actions</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/></c:title>'
        '<c:numFmt formatCode="0" sourceLinked="0"/><c:majorTickMark val="out"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="50010001"/>'
        f'<c:crosses val="{crosses}"/><c:crossBetween val="between"/></c:valAx>'
        "</c:plotArea>"
        '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    ).encode("utf-8")
