"""Dates as the council writes them: 31/03/2024, everywhere ipxl shows one.

The one home of the UK date format (:data:`ipxl.defaults.DATE_FORMAT`): messages,
papers, the terminal and emails all call :func:`uk`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import defaults as D


def uk(value: Any) -> str:
    """A date, datetime, pandas Timestamp or ISO text as ``31/03/2024``; "" for
    nothing (None, NaT, blank).

    >>> uk(dt.date(2024, 3, 31)), uk("2024-03-31"), uk(None)
    ('31/03/2024', '31/03/2024', '')
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if not isinstance(value, dt.date):  # a pandas Timestamp is a datetime; NaT is not
        try:
            import pandas as pd

            if pd.isna(value):
                return ""
            value = pd.Timestamp(value)
        except (TypeError, ValueError):
            return str(value)
    return value.strftime(D.DATE_FORMAT)


def spoken(value: dt.date) -> str:
    """A date as the papers say it in a sentence: ``7 November 2023``.

    >>> spoken(dt.date(2023, 11, 7))
    '7 November 2023'
    """
    return f"{value.day} {value:%B %Y}"
