"""Cell values to typed columns: dates (Excel dates, serial numbers, UK date text),
numbers and stripped text."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from .. import defaults as D

#: UK date spellings accepted in text cells, tried in order.
TEXT_DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%d-%m-%Y",
    "%d-%m-%y",
    "%Y-%m-%d",
    "%d %B %Y",
    "%d %b %Y",
    "%d %B %y",
    "%d %b %y",
)

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def convert(values: list, kind: str, index: pd.Index) -> pd.Series:
    """Convert one column of raw cell values (blanks already None) to its type.

    Values that do not convert become null in the typed frame; validation reports
    them from the raw frame.
    """
    if kind in ("date", "date_or_keyword"):
        return to_dates(values, index)
    if kind in ("int", "number"):
        return pd.Series([number_or_none(v) for v in values], index=index, dtype="float64")
    return pd.Series(texts(values), index=index, dtype=object)


def texts(values) -> list:
    """Each cell of a column as stripped text, blanks (and cells of spaces) None."""
    # Plain strings (nearly every cell) are stripped inline; the rest go through text_of.
    return [(v.strip() or None) if v.__class__ is str else text_of(v) for v in values]


def text_of(v):
    """A cell value as stripped text. Whole floats lose their ``.0`` (calamine reads
    every number as a float) and dates become ISO text."""
    if v is None:
        return None
    if isinstance(v, str):
        return v.strip() or None
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return v.isoformat() if (v.hour or v.minute or v.second) else v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


_DATE_CLASSES = (dt.date, dt.datetime)
_UNIX_ORDINAL = dt.date(1970, 1, 1).toordinal()
_NO_DATE = -(2**62)
#: The first and last day (days since 1970) a plan's date may be.
_FIRST_DAY = dt.date(D.EARLIEST_YEAR, 1, 1).toordinal() - _UNIX_ORDINAL
_LAST_DAY = dt.date(D.LATEST_YEAR, 12, 31).toordinal() - _UNIX_ORDINAL
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_DIGIT = re.compile(r"\d")
#: Largest Excel serial number (31/12/9999).
_LAST_SERIAL = 2958465


def in_range(d: dt.date) -> bool:
    """Whether a date is in the years a plan's dates fall in."""
    return D.EARLIEST_YEAR <= d.year <= D.LATEST_YEAR


def why_not_a_date(v) -> str:
    """Why a cell's value is not a date, for a finding: ``has the year 3024, which
    looks like a typo``; ``is an Excel error value (#REF!) ...``."""
    if isinstance(v, _DATE_CLASSES):
        return f"has the year {v.year}, which looks like a typo"
    if isinstance(v, bool):
        return "is TRUE or FALSE, not a date"
    if isinstance(v, (int, float)):
        if v != v:
            return "is not a number, nor a date"
        if v < 0:
            return "is a negative number, not a date"
        if v == 0:
            return "is 0, not a date"
        return "is a number far beyond the dates Excel holds, not a date"
    text = str(v).strip()
    if text.upper() in D.EXCEL_ERRORS or text == "#ERROR":
        return "is an Excel error value, not a date; the formula that gives it needs mending"
    for year in _YEAR.findall(text):
        if not D.EARLIEST_YEAR <= int(year) <= D.LATEST_YEAR:
            return f"has the year {int(year)}, which looks like a typo"
    return "is not a date"


def shown(v) -> str:
    """A cell's value as an officer would recognise it in a message: dates as
    31/03/2024 (the year in full, however odd), whole numbers without ``.0``."""
    if isinstance(v, _DATE_CLASSES):
        return f"{v.day:02d}/{v.month:02d}/{v.year:04d}"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return str(v)


def to_dates(values, index: pd.Index | None = None) -> pd.Series:
    """Dates from Excel date cells, Excel serial numbers and UK text (``31/03/2024``)."""
    if isinstance(values, pd.Series):
        index = values.index if index is None else index
        values = values.tolist()
    return dates_and_text(values, index)[0]


def dates_and_text(values: list, index: pd.Index) -> tuple[pd.Series, list[int]]:
    """:func:`to_dates`, and the positions of the cells that held text."""
    # Excel date cells (the usual case) become day numbers in one comprehension;
    # anything else is looked at one by one afterwards.
    days = [v.toordinal() - _UNIX_ORDINAL if v.__class__ in _DATE_CLASSES else _NO_DATE for v in values]
    arr = np.array(days, dtype="int64")
    text_at: list[int] = []
    # Only the cells that were not date cells (blanks, text, numbers) are visited.
    for i in np.flatnonzero(arr == _NO_DATE).tolist():
        v = values[i]
        if v is None:
            continue
        if isinstance(v, _DATE_CLASSES):  # a subclass of date (pandas Timestamp, say)
            arr[i] = v.toordinal() - _UNIX_ORDINAL
        elif isinstance(v, str):
            text_at.append(i)
        elif isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= _LAST_SERIAL:
            arr[i] = (_EXCEL_EPOCH + pd.Timedelta(days=round(v))).toordinal() - _UNIX_ORDINAL
    # A date cell typed with a wrong year (3024) is not a plan date: NaT, and validation
    # says why. It must never reach a nanosecond timestamp, which ends in 2262.
    arr[(arr != _NO_DATE) & ((arr < _FIRST_DAY) | (arr > _LAST_DAY))] = _NO_DATE
    stamps = np.where(arr == _NO_DATE, np.datetime64("NaT"), arr.astype("datetime64[D]"))
    result = pd.Series(stamps.astype("datetime64[ns]"), index=index)
    if text_at:
        texts = pd.Series([values[i] for i in text_at], index=index[text_at], dtype=object)
        result.iloc[text_at] = parse_text_dates(texts).to_numpy()
    return result, text_at


def parse_text_dates(s: pd.Series) -> pd.Series:
    """Parse UK-style date text, each format tried in turn on what is still unparsed."""
    text = pd.Series([" ".join(str(v).split()) for v in s], index=s.index, dtype=object)
    result = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    # Text with a year outside the plan's years (31/03/3024) is left unparsed: pandas
    # cannot hold it, and it is a typo validation reports. Text without a digit (a
    # keyword such as Ongoing, most of a date column's text) matches no format, and
    # is not tried against each of them.
    todo = pd.Series([_DIGIT.search(t) is not None and all(D.EARLIEST_YEAR <= int(y) <= D.LATEST_YEAR
                      for y in _YEAR.findall(t)) for t in text], index=s.index, dtype=bool)  # fmt: skip
    for fmt in TEXT_DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
        hit = parsed.notna()
        if hit.any():
            result[hit[hit].index] = parsed[hit].astype("datetime64[ns]")
            todo[hit[hit].index] = False
    return result


def parse_text_date(value: str) -> dt.date | None:
    """One UK date text -> date, or None."""
    got = parse_text_dates(pd.Series([value], dtype=object)).iloc[0]
    return None if pd.isna(got) else got.date()


def number_or_none(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            return float(v.strip())
        except ValueError:
            return None
    return None


def as_date(v) -> dt.date | None:
    """One cell's value as a date in the plan's years, or None."""
    if isinstance(v, dt.datetime):
        return v.date() if in_range(v) else None
    if isinstance(v, dt.date):
        return v if in_range(v) else None
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 0 < v <= _LAST_SERIAL:
        d = (_EXCEL_EPOCH + pd.Timedelta(days=round(v))).date()
        return d if in_range(d) else None
    if isinstance(v, str) and v.strip():
        return parse_text_date(v)
    return None


def filled(v) -> bool:
    """True for a cell that certainly holds something (the fast path of is_blank)."""
    if v.__class__ is str:
        return v != "" and not v.isspace()
    return v is not None


def is_blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())
