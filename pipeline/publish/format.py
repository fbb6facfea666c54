"""Numbers, shares, dates and missing values as people read them, in Latvian or English.

Latvian writes a decimal comma and a no-break space between thousands ("12 345,6"); English
a decimal point and a comma ("12,345.6"). The charts and the report use the same separator.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

# A no-break space: a number is never split over two lines.
THOUSANDS_SEPARATOR = "\u00a0"
DASH = "–"  # what a missing value is shown as


def _latvian(text: str) -> str:
    """English digit grouping and decimal point turned into the Latvian ones."""
    return text.replace(",", THOUSANDS_SEPARATOR).replace(".", ",")


def number(value: float, lang: str, decimals: int = 0) -> str:
    """``value`` with ``decimals`` decimals and its thousands separated."""
    text = f"{value:,.{decimals}f}"
    return _latvian(text) if lang == "lv" else text


def count(value: float | int, lang: str) -> str:
    """A count: ``value`` rounded to a whole number, thousands separated."""
    text = f"{int(round(float(value))):,}"
    return _latvian(text) if lang == "lv" else text


def decimal(value: float, lang: str) -> str:
    """A score with two decimals and no thousands separator."""
    text = f"{float(value):.2f}"
    return text.replace(".", ",") if lang == "lv" else text


def percent(share: float, lang: str) -> str:
    """A share (0.25) as a whole percent: "25 %" in Latvian, "25%" in English."""
    value = int(round(share * 100))
    return f"{value}\u00a0%" if lang == "lv" else f"{value}%"


def ideas_phrase(n: int, lang: str) -> str:
    """'21 ideja', '5 idejas', '0 ideju' (Latvian agrees with the last digit)."""
    if lang == "en":
        return f"{n}\u00a0idea" if n == 1 else f"{n:,}\u00a0ideas"
    if n == 0:
        return "0\u00a0ideju"
    if n % 10 == 1 and n % 100 != 11:
        return f"{number(n, lang)}\u00a0ideja"
    return f"{number(n, lang)}\u00a0idejas"


def iso_date(day: dt.date) -> str:
    """A date as 2026-03-14 (ISO 8601) in both languages."""
    return day.isoformat()


def missing(value: Any) -> bool:
    """None, NaN, NA or NaT (a scalar cell with no value)."""
    return not isinstance(value, list | tuple | dict) and bool(pd.isna(value))


def int_or_dash(value: Any) -> str:
    """A whole number without separators, or a dash for None and NaN."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return DASH
    return str(int(round(float(value))))


def text_or_dash(value: Any) -> str:
    """A cell as text, or a dash when it is empty, None or NaN."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) == "":
        return DASH
    return str(value)
