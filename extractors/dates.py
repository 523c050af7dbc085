"""Dates from whatever a source hands over: one coercion for the whole project.

Documents' dates arrive as ``datetime.date`` objects, ISO strings with or without a
time (metadata, staged JSON, ``--doc-date``), ``time.struct_time`` (feedparser) and,
in web pages' metadata, spelled out (``Mon, 31 Mar 2025 10:00:00 GMT``, ``March 31,
2025``, ``31 March 2025``). :func:`as_date` turns each into a ``datetime.date`` or
None, so that a date means the same day wherever it is read (a datetime counts as its
calendar date, as written: no time-zone conversion).
"""
from __future__ import annotations

import datetime as dt
import re
import time
from email.utils import parsedate_to_datetime

__all__ = ["as_date"]

_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_NUMERIC = (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"), re.compile(r"(\d{4})(\d{2})(\d{2})(?:\D|$)"))
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")


def as_date(value, spelled: bool = False) -> dt.date | None:
    """The calendar date of ``value``, or None when it holds none.

    Args:
        value: a date or datetime, a ``time.struct_time``, or a string: ISO 8601
            (``2025-11-03``, ``2025-11-03T09:00:00Z``), or with ``spelled`` also
            ``2025/3/1``, RFC 2822 and a month written out (``Sept. 4, 2024``, ``31 March 2025``).
        spelled: accept the forms of web pages' metadata, not only ISO.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, time.struct_time):
        return _ymd(value.tm_year, value.tm_mon, value.tm_mday)
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    return _spelled(text) if spelled else None


def _spelled(text: str) -> dt.date | None:
    for pattern in _NUMERIC:
        m = pattern.match(text)
        if m:
            return _ymd(*map(int, m.groups()))
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    m = _MONTH_DAY_YEAR.search(text)
    if m and m.group(1)[:3].lower() in _MONTHS:
        return _ymd(int(m.group(3)), _MONTHS[m.group(1)[:3].lower()], int(m.group(2)))
    m = _DAY_MONTH_YEAR.search(text)
    if m and m.group(2)[:3].lower() in _MONTHS:
        return _ymd(int(m.group(3)), _MONTHS[m.group(2)[:3].lower()], int(m.group(1)))
    return None


def _ymd(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
