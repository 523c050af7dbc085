"""extractors.dates.as_date: one coercion for every date the project reads."""
from __future__ import annotations

import datetime as dt
import time

import pytest

from extractors.dates import as_date


@pytest.mark.parametrize(
    "value, expected",
    [
        (dt.date(2025, 3, 31), "2025-03-31"),
        (dt.datetime(2025, 3, 31, 23, 59), "2025-03-31"),  # its calendar date, no time-zone shift
        (time.strptime("2025-03-31", "%Y-%m-%d"), "2025-03-31"),  # feedparser's struct_time
        ("2025-03-31", "2025-03-31"),
        ("2025-03-31T09:15:00-04:00", "2025-03-31"),
        (" 2025-11-03T09:00:00Z", "2025-11-03"),
        ("2025/3/1", None),  # spelled forms only when asked for
        ("March 31, 2025", None),
        ("2025-02-30", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_only(value, expected):
    day = as_date(value)
    assert (day.isoformat() if day else None) == expected
    assert day is None or type(day) is dt.date


@pytest.mark.parametrize(
    "value, expected",
    [
        # the spellings of web pages' metadata
        ("2025-03-31T09:15:00-04:00", "2025-03-31"),
        ("2025/3/1", "2025-03-01"),
        ("20250331", "2025-03-31"),
        ("Mon, 31 Mar 2025 10:00:00 GMT", "2025-03-31"),
        ("March 31, 2025", "2025-03-31"),
        ("31 March 2025", "2025-03-31"),
        ("Sept. 4, 2024", "2024-09-04"),
        ("1st of never 2024", None),
        ("not a date", None),
        ("2025-02-30", None),
        (None, None),
    ],
)
def test_spelled(value, expected):
    day = as_date(value, spelled=True)
    assert (day.isoformat() if day else None) == expected
