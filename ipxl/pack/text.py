"""Cell values as the appendices show them: dates as 31/03/2024, whole numbers without
``.0``, characters XML cannot hold removed, Excel's line breaks kept as breaks."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from .. import defaults as D

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean(value) -> str:
    """A cell value as display text: dates as 31/03/2024, whole numbers without .0,
    characters XML cannot hold removed, and Excel's line breaks kept as breaks."""
    if value is None:
        return ""
    if value.__class__ is str:  # most cells: no type to look at
        return _clean_text(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return "" if pd.isna(value) else value.strftime(D.DATE_FORMAT)
    if isinstance(value, dt.date):
        return value.strftime(D.DATE_FORMAT)
    if value is pd.NaT:
        return ""
    return _clean_text(str(value))


def _clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    # \a and \f would become paragraph and page breaks in docxtpl; the rest is not XML.
    return _ILLEGAL.sub("", text.replace("\a", " ").replace("\f", " "))


def uk_date(value):
    """ISO date text (as the reader gives dates typed in text columns) as 31/03/2024."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        from ..dates import uk

        return uk(value.strip())
    return value
