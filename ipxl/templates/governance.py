"""The sample's governance diagram (Appendix 7 of the sample pack): the reporting
framework of the Improvement Plan as the council's report describes it, drawn with
Pillow so the sample ships a real picture for the supplied-appendix path.
"""

from __future__ import annotations

import io

#: Boxes: (row, column, columns wide, lines of text).
BOXES: tuple[tuple[int, int, int, tuple[str, ...]], ...] = (
    (0, 0, 1, ("Secretary of State", "six-monthly reports")),
    (0, 1, 1, ("Commissioners", "six-monthly reports")),
    (1, 0, 2, ("Council", "agrees the Improvement Plan and its changes")),
    (2, 0, 2, ("Cabinet", "quarterly progress reports; oversight of changes")),
    (3, 0, 1, ("Budget and Corporate Scrutiny", "Management Board: quarterly")),
    (3, 1, 1, ("Audit and Risk Assurance", "Committee: quarterly, risk register")),
    (4, 0, 2, ("Leadership Team", "monthly monitoring of the plan and its risks")),
    (5, 0, 2, ("Programme Management Office", "the monitoring workbook, updated by Directors and leads")),
)
#: Arrows from box to box (indexes into BOXES): reports go up.
ARROWS: tuple[tuple[int, int], ...] = ((7, 6), (6, 4), (6, 5), (6, 3), (4, 3), (5, 3), (3, 2), (2, 0), (2, 1))

ALT_TEXT = (
    "Diagram of the Improvement Plan's governance. The Programme Management Office keeps the monitoring workbook, "
    "updated by Directors and leads, and reports to Leadership Team, which monitors the plan and its risks monthly. "
    "Leadership Team reports to the Budget and Corporate Scrutiny Management Board and the Audit and Risk Assurance "
    "Committee, which review progress quarterly and report to Cabinet, and to Cabinet directly. Cabinet receives "
    "quarterly progress reports, oversees changes and reports to Council, which agrees the plan and its changes. "
    "Council's six-monthly reports go to the Secretary of State and the Commissioners."
)


def diagram_png() -> bytes:
    """The diagram as PNG bytes (dark text on white and pale blue: above 7:1)."""
    from PIL import Image, ImageDraw, ImageFont

    width, row_h, box_h, margin, gap = 1400, 150, 104, 40, 40
    col_w = (width - 2 * margin - gap) // 2
    height = margin * 2 + row_h * (1 + max(r for r, *_ in BOXES)) - (row_h - box_h)
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    bold = ImageFont.load_default(size=30)
    small = ImageFont.load_default(size=24)
    rects = []
    for row, col, span, lines in BOXES:
        x0 = margin + col * (col_w + gap)
        x1 = x0 + (col_w if span == 1 else 2 * col_w + gap)
        y0 = margin + row * row_h
        rects.append((x0, y0, x1, y0 + box_h))
        draw.rectangle((x0, y0, x1, y0 + box_h), fill="#DCE6F2", outline="#1F3864", width=3)
        cx = (x0 + x1) // 2
        draw.text((cx, y0 + 34), lines[0], fill="#0B0C0C", font=bold, anchor="mm")
        draw.text((cx, y0 + 74), lines[1], fill="#0B0C0C", font=small, anchor="mm")
    for src, dst in ARROWS:
        sx0, sy0, sx1, _ = rects[src]
        dx0, _, dx1, dy1 = rects[dst]
        x = (max(sx0, dx0) + min(sx1, dx1)) // 2
        draw.line((x, sy0, x, dy1 + 6), fill="#1F3864", width=4)
        draw.polygon(((x, dy1 + 2), (x - 10, dy1 + 20), (x + 10, dy1 + 20)), fill="#1F3864")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()
