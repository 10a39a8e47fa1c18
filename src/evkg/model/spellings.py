"""Numbers and dates as labs write them, read into floats and ``datetime.date``.

A record typed by hand or exported from a spreadsheet spells ``2.4e7`` as ``2.4E+07``,
``2,4e7``, ``2.4 x 10^7``, ``2.4×10⁷`` or ``24 000 000``, and a date as ``2025-03-04``
(which YAML already reads as a date), ``04.03.2025``, ``4 March 2025`` or ``2025/03/04``.
These readers accept the usual spellings and reject the ambiguous ones (``03/04/2025``:
day/month or month/day?) with a message saying what to write instead.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator

__all__ = ["LabDate", "LabFloat", "LabInt", "parse_lab_date", "parse_lab_number"]

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_POWER = re.compile(
    r"^\s*([-+]?\d+(?:[.,]\d+)?)\s*(?:[x×*·]\s*10\s*(?:\^|\*\*)?\s*([-+]?\d+))\s*$", re.IGNORECASE
)
_GROUPED = re.compile(r"^[-+]?\d{1,3}(?:[ \u00a0\u202f']\d{3})+(?:[.,]\d+)?$")
_MONTHS = {
    name: k
    for k, names in enumerate(
        [
            ("jan", "january", "janvier", "januar"),
            ("feb", "february", "fevrier", "februar"),
            ("mar", "march", "mars", "marz"),
            ("apr", "april", "avril"),
            ("may", "mai"),
            ("jun", "june", "juin", "juni"),
            ("jul", "july", "juillet", "juli"),
            ("aug", "august", "aout"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "octobre", "oktober"),
            ("nov", "november", "novembre"),
            ("dec", "december", "decembre", "dezember"),
        ],
        start=1,
    )
    for name in names
}


def parse_lab_number(value: Any) -> Any:
    """A float from the usual spellings; anything else is returned for pydantic to judge.

    >>> [parse_lab_number(v) for v in ("2.4E+07", "2,4e7", "2.4 x 10^7", "2.4×10⁷")]
    [24000000.0, 24000000.0, 24000000.0, 24000000.0]
    >>> parse_lab_number("24 000 000"), parse_lab_number("1'500.5"), parse_lab_number("96 %")
    (24000000.0, 1500.5, 96.0)
    """
    if not isinstance(value, str):
        return value
    text = value.strip().translate(_SUPERSCRIPT).replace("\u2212", "-")
    if text.endswith("%"):
        text = text[:-1].strip()
    if not text:
        return None
    power = _POWER.match(text)
    if power:
        return float(power.group(1).replace(",", ".")) * 10 ** int(power.group(2))
    if _GROUPED.match(text):
        text = re.sub(r"[ \u00a0\u202f']", "", text)
    if re.fullmatch(r"[-+]?\d{1,3},\d{3}", text):
        raise ValueError(
            f"{value!r} is ambiguous (decimal comma or thousands separator?): write "
            f"{text.replace(',', '.')} or {text.replace(',', '')}"
        )
    if re.fullmatch(r"[-+]?\d+,\d+(?:[eE][-+]?\d+)?", text):
        text = text.replace(",", ".")  # decimal comma
    try:
        return float(text)
    except ValueError:
        return value


def _int(value: Any) -> Any:
    number = parse_lab_number(value)
    if isinstance(number, float) and number.is_integer():
        return int(number)
    return number


def _fold(text: str) -> str:
    return (
        text.casefold()
        .replace("é", "e")
        .replace("è", "e")
        .replace("û", "u")
        .replace("ä", "a")
        .rstrip(".")
    )


def parse_lab_date(value: Any) -> Any:
    """A ``datetime.date`` from the usual spellings (ISO, day.month.year, named months).

    >>> parse_lab_date("04.03.2025"), parse_lab_date("4 March 2025"), parse_lab_date("2025/03/04")
    (datetime.date(2025, 3, 4), datetime.date(2025, 3, 4), datetime.date(2025, 3, 4))
    >>> parse_lab_date("Mar 4, 2025")
    datetime.date(2025, 3, 4)
    >>> parse_lab_date("03/04/2025")
    Traceback (most recent call last):
    ...
    ValueError: '03/04/2025' is ambiguous (day/month or month/day?): write 2025-04-03 or 2025-03-04
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date) or not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    iso = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?", text)
    if iso:
        return _make(int(iso[1]), int(iso[2]), int(iso[3]), value)
    dotted = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
    if dotted:
        return _make(int(dotted[3]), int(dotted[2]), int(dotted[1]), value)
    slashed = re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", text)
    if slashed:
        first, second, year = int(slashed[1]), int(slashed[2]), int(slashed[3])
        if first > 12 >= second:
            return _make(year, second, first, value)
        if second > 12 >= first:
            return _make(year, first, second, value)
        if first == second:
            return _make(year, first, first, value)
        raise ValueError(
            f"{value!r} is ambiguous (day/month or month/day?): write "
            f"{year:04d}-{second:02d}-{first:02d} or {year:04d}-{first:02d}-{second:02d}"
        )
    words = re.findall(r"[^\W\d_]+\.?|\d+", text)
    months = [_MONTHS[_fold(w)] for w in words if _fold(w) in _MONTHS]
    numbers = [int(w) for w in words if w.isdigit()]
    if len(months) == 1 and len(numbers) == 2:
        found_year = next((n for n in numbers if n > 31), None)
        found_day = next((n for n in numbers if n <= 31), None)
        if found_year is not None and found_day is not None:
            return _make(found_year, months[0], found_day, value)
    raise ValueError(f"{value!r} is not a date: write it as YYYY-MM-DD (e.g. 2025-03-04)")


def _make(year: int, month: int, day: int, original: str) -> _dt.date:
    try:
        return _dt.date(year, month, day)
    except ValueError as error:
        raise ValueError(f"{original!r} is not a calendar date ({error})") from error


LabFloat = Annotated[float, BeforeValidator(parse_lab_number)]
LabInt = Annotated[int, BeforeValidator(_int)]
LabDate = Annotated[_dt.date, BeforeValidator(parse_lab_date)]
