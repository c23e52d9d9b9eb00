"""Colour as WCAG measures it: contrast ratios, and the text colour for a fill.

The one home of these sums: the appendices choose the status word's colour with them,
the workbook template its Lists and status cells, the HTML pack its stylesheet."""

from __future__ import annotations

import re


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two hex colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour_on(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill`` (hex, no #)."""
    return "000000" if contrast(fill, "000000") >= contrast(fill, "FFFFFF") else "FFFFFF"


def hex6(colour: str | None) -> str | None:
    """``colour`` as six upper-case hex digits without ``#``, or None when it is not one."""
    if not colour:
        return None
    c = str(colour).strip().lstrip("#").upper()
    return c if re.fullmatch(r"[0-9A-F]{6}", c) else None
