"""The sample's governance diagram (Appendix 7 of the sample pack): the reporting
framework of the Improvement Plan as the council's report describes it, drawn with
Pillow so the sample ships a real picture for the supplied-appendix path.
"""

from __future__ import annotations

import io

#: Boxes: (row, column, columns wide, lines of text: the name, in bold, over as many
#: lines as it needs, then what it does).
BOXES: tuple[tuple[int, int, int, tuple[str, ...]], ...] = (
    (0, 0, 2, ("Secretary of State", "six-monthly reports from the council and from the Commissioners")),
    (1, 0, 1, ("Council", "agrees the plan and its changes; six-monthly letter")),
    (1, 1, 1, ("Commissioners", "oversight; their own six-monthly reports")),
    (2, 0, 2, ("Cabinet", "quarterly progress reports; oversight of changes")),
    (3, 0, 1, ("Budget and Corporate Scrutiny", "Management Board", "quarterly progress; work programme")),
    (3, 1, 1, ("Audit and Risk Assurance", "Committee", "quarterly progress; risk register")),
    (4, 0, 2, ("Leadership Team", "monthly monitoring of the plan and its risks")),
    (5, 0, 2, ("Programme Management Office", "the monitoring tool, updated by Directors and leads")),
)
#: Arrows from box to box (indexes into BOXES): reports go up.
ARROWS: tuple[tuple[int, int], ...] = ((7, 6), (6, 4), (6, 5), (6, 3), (4, 3), (5, 3), (3, 1), (1, 0), (2, 0))

ALT_TEXT = (
    "Diagram of the Improvement Plan's governance. The Programme Management Office keeps the monitoring tool, "
    "updated by Directors and leads, and reports to Leadership Team, which monitors the plan and its risks monthly. "
    "Leadership Team reports to the Budget and Corporate Scrutiny Management Board and the Audit and Risk Assurance "
    "Committee, which review progress quarterly and report to Cabinet, and to Cabinet directly. Cabinet receives "
    "quarterly progress reports, oversees changes and reports to Council, which agrees the plan and its changes and "
    "sends a six-monthly letter to the Secretary of State. The Commissioners report to the Secretary of State every "
    "six months too."
)


def diagram_png() -> bytes:
    """The diagram as PNG bytes (dark text on white and pale blue: above 7:1)."""
    from PIL import Image, ImageDraw, ImageFont

    width, row_h, box_h, margin, gap = 1400, 170, 124, 40, 40
    col_w = (width - 2 * margin - gap) // 2
    height = margin * 2 + row_h * (1 + max(r for r, *_ in BOXES)) - (row_h - box_h)
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    bold = ImageFont.load_default(size=30)
    small = ImageFont.load_default(size=26)
    rects = []
    for row, col, span, lines in BOXES:
        x0 = margin + col * (col_w + gap)
        x1 = x0 + (col_w if span == 1 else 2 * col_w + gap)
        y0 = margin + row * row_h
        rects.append((x0, y0, x1, y0 + box_h))
        draw.rectangle((x0, y0, x1, y0 + box_h), fill="#DCE6F2", outline="#1F3864", width=3)
        cx = (x0 + x1) // 2
        # the name in bold on its lines, then what the body does, centred in the box
        steps = [(line, bold, 36) for line in lines[:-1]] + [(lines[-1], small, 34)]
        y = y0 + (box_h - sum(h for *_, h in steps)) // 2
        for text, font, h in steps:
            draw.text((cx, y + h // 2), text, fill="#0B0C0C", font=font, anchor="mm")
            y += h
    for src, dst in ARROWS:
        sx0, sy0, sx1, _ = rects[src]
        dx0, _, dx1, dy1 = rects[dst]
        x = (max(sx0, dx0) + min(sx1, dx1)) // 2
        draw.line((x, sy0, x, dy1 + 6), fill="#1F3864", width=4)
        draw.polygon(((x, dy1 + 2), (x - 10, dy1 + 20), (x + 10, dy1 + 20)), fill="#1F3864")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()
