"""Turn the tokens of a matched span into normalized values.

Pure functions over token texts: no spaCy state, so each is easy to test and
reuse. The claims ruler calls :func:`normalize_money`, :func:`normalize_percent`,
:func:`normalize_date` and :func:`normalize_period` with the span's tokens.

Number words are parsed here rather than with ``word2number`` or
``number-parser``: both are unmaintained (last releases 2017 and 2023) and
neither reads "half a billion"; the grammar needed for money ("ten", "two
hundred", "half a") is a dozen lines.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extractors.lexicon import lexicon

_NUM_RE = re.compile(r"^\d{1,3}(?:,\d{2,3})*(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$")


@dataclass(slots=True)
class Value:
    """A normalized value: ``value`` or (``low``, ``high``) with ``unit``."""

    value: float | str | None
    low: float | str | None = None
    high: float | str | None = None
    unit: str | None = None

    @property
    def is_range(self) -> bool:
        return self.low is not None


def tidy(number: float) -> float | int:
    """Return ``number`` as an int when it is integral (8e9 → 8000000000)."""
    rounded = round(number, 6)
    if abs(rounded - round(rounded)) < 1e-9 and abs(rounded) < 1e18:
        return int(round(rounded))
    return number


def parse_number(text: str) -> float | None:
    """Parse digits with thousands separators (``1,000.5`` → 1000.5); None if not a number."""
    if not _NUM_RE.match(text):
        return None
    return float(text.replace(",", ""))


def parse_number_words(tokens: list[str]) -> float | None:
    """Parse number words: ``["ten"]`` → 10, ``["twenty", "-", "five"]`` → 25,
    ``["two", "hundred"]`` → 200, ``["half", "a"]`` → 0.5, ``["one", "and", "a", "half"]`` → 1.5."""
    table = lexicon()["NUMWORD"]
    words = [t.lower() for t in tokens if t not in ("-", "–")]
    half = len(words) >= 3 and words[-3:] == ["and", "a", "half"]
    if half:
        words = words[:-3]
    if not words:
        return None
    if words[0] == "half" and not half:
        return 0.5  # "half a billion"
    if any(w not in table for w in words):
        return None
    current = 0.0
    for word in words:
        if word == "hundred":
            current = (current or 1) * 100
        elif word in ("a", "an"):
            current = current or 1
        else:
            current += table[word]
    return current + (0.5 if half else 0.0)


def _scale(word: str) -> float | None:
    return lexicon()["SCALE"].get(word.lower())


def _amounts(tokens: list[str]) -> list[float]:
    """Split a span into amounts: each a number (digits or words) times its scale words."""
    amounts: list[float] = []
    scales: list[bool] = []
    words_run: list[str] = []
    i = 0

    def close_words() -> None:
        if words_run:
            value = parse_number_words(words_run)
            if value is not None:
                amounts.append(value)
                scales.append(False)
            words_run.clear()

    while i < len(tokens):
        tok = tokens[i]
        number = parse_number(tok)
        scale = _scale(tok) if amounts or words_run else None
        if tok == "(" and words_run and i + 2 < len(tokens) and tokens[i + 2] == ")":
            # "five (5) million": the digits restate the words; keep one amount.
            close_words()
            i += 3
            continue
        if number is not None:
            close_words()
            amounts.append(number)
            scales.append(False)
        elif scale is not None:
            close_words()
            if amounts:
                amounts[-1] *= scale
                scales[-1] = True
        elif tok.lower() in lexicon()["NUMWORD"] or (words_run and tok.lower() in ("-", "–", "and")):
            words_run.append(tok)
        i += 1
    close_words()
    # "$5-7 million", "between $1 and $2 billion": a scale written once applies to both
    # ends, unless the first end is a full number of its own ("$500,000 and $2 million",
    # "$800 to $1 million"), which the scale would put above the second.
    if len(amounts) == 2 and scales[1] and not scales[0]:
        scale_factor = _shared_scale(tokens)
        if not _full_number(tokens) and amounts[0] * scale_factor <= amounts[1]:
            amounts[0] *= scale_factor
    return amounts


def _shared_scale(tokens: list[str]) -> float:
    """The scale words right after the last number in ``tokens`` ("7 billion Chinese yuan" →
    1e9), which a first end written without a scale shares; 1.0 when there are none."""
    last = max((i for i, t in enumerate(tokens) if parse_number(t) is not None), default=len(tokens))
    factor = 1.0
    for tok in tokens[last + 1:]:
        if tok in ("-", "–"):
            continue  # "$7-million"
        scale = _scale(tok)
        if scale is None:
            break
        factor *= scale
    return factor


def _full_number(tokens: list[str]) -> bool:
    """Whether the first number in ``tokens`` is written in full, with thousands separators
    ("$800,000"), so that no scale written later applies to it."""
    return "," in next((t for t in tokens if parse_number(t) is not None), "")


def currency_of(tokens: list[str]) -> str | None:
    """Return the ISO 4217 code named in ``tokens`` (prefix symbol or currency word)."""
    lex = lexicon()
    for first, second in zip(tokens, tokens[1:]):
        if second == "$" and first in lex["CUR_DOLLAR_COUNTRY"]:
            return lex["CUR_DOLLAR_COUNTRY"][first]  # "HK $3.7 billion"
    lower = [t.lower() for t in tokens]
    named = lex["CUR_NAMED"]
    for size in (3, 2):
        for i in range(len(lower) - size + 1):
            code = named.get(" ".join(lower[i:i + size]))
            if code is not None:
                return code  # "2.1 billion Chilean pesos", "KWD" named "Kuwaiti dinars"
    for tok in tokens:
        if tok in lex["CUR_CODE"]:
            return lex["CUR_CODE"][tok]
        if tok in lex["CUR_CODE_SCALED"]:
            return lex["CUR_CODE_SCALED"][tok]
    for tok in tokens:
        low = tok.lower()
        if low in lex["CUR_PREFIX"]:
            return lex["CUR_PREFIX"][low]
    for tok in tokens:
        low = tok.lower()
        if low in lex["CUR_SUFFIX"]:
            return lex["CUR_SUFFIX"][low]
        if tok in lex["CUR_SYMBOL_AFTER"]:
            return lex["CUR_SYMBOL_AFTER"][tok]
    return None


def _minor_units(tokens: list[str]) -> tuple[list[str], float] | None:
    """Split "3 dollars 50 cents", "thirteen dollars and forty-five cents" into the major
    part's tokens and the minor amount (0.50, 0.45); None when the span has no minor part."""
    lex = lexicon()
    for i, tok in enumerate(tokens[:-1]):
        if tok.lower() in lex["CUR_SUFFIX"] or tok.lower() in lex["CUR_ISO"]:
            rest = [t for t in tokens[i + 1:] if t.lower() not in lex["CUR_MINOR"]]
            if rest and rest[0].lower() == "and":
                rest = rest[1:]
            if not rest:
                return None
            minor = parse_number(rest[0]) if len(rest) == 1 else None
            if minor is None:
                minor = parse_number_words(rest)
            if minor is None or not 0 < minor < 100:
                return None
            return tokens[:i + 1], minor / 100
    return None


def vague_amount(tokens: list[str]) -> tuple[float, float] | None:
    """The range of a vague amount: ``tens of millions`` → (1e7, 1e8), ``hundreds of
    thousands`` → (1e5, 1e6); None when the span does not open with one (``VAGUE_MULTIPLE``)."""
    multiple = lexicon()["VAGUE_MULTIPLE"].get(tokens[0].lower()) if tokens else None
    scale = next((lexicon()["VAGUE_SCALE"][t.lower()] for t in tokens if t.lower() in lexicon()["VAGUE_SCALE"]), None)
    if multiple is None or scale is None:
        return None
    return multiple * scale, multiple * scale * 10


def normalize_money(tokens: list[str], unit: str | None = None) -> Value | None:
    """Normalize a money span: ``["$", "8", "billion"]`` → Value(8e9, unit="USD").

    ``unit``: the currency when the span does not name it ("280 million" of "280
    million of the 1.5 billion shekels").
    """
    unit = currency_of(tokens) or unit
    vague = vague_amount(tokens)
    if vague is not None:
        return Value(None, tidy(vague[0]), tidy(vague[1]), unit) if unit else None
    minor = _minor_units(tokens)
    if minor is not None:
        major = _amounts(minor[0])
        if len(major) == 1 and unit is not None:
            return Value(tidy(major[0] + minor[1]), unit=unit)
    amounts = _amounts(tokens)
    if not amounts or unit is None:
        return None
    if len(tokens) > 2 and tokens[1] in ("-", "−") and tokens[0].lower() in lexicon()["CUR_PREFIX"] and len(amounts) == 1:
        return Value(tidy(-amounts[0]), unit=unit)  # "$-50.8bn": a deficit
    if len(amounts) >= 2:
        low, high = tidy(amounts[0]), tidy(amounts[1])
        return Value(None, low, high, unit)
    return Value(tidy(amounts[0]), unit=unit)


def normalize_money_change(before: list[str], after: list[str]) -> tuple[Value | None, Value | None]:
    """The two ends of a change in money ("from $8 to $6 billion": 8e9 and 6e9 USD).

    An end that names no currency takes the other's ("5" of "from 5 to 7 billion dollars");
    a first end without a scale word takes the second's trailing scale unless it is a full
    number of its own, written with thousands separators ("from $800,000 to $1.3 million").
    """
    unit = currency_of(before) or currency_of(after)
    first, second = normalize_money(before, unit=unit), normalize_money(after, unit=unit)
    if first is None or second is None or first.is_range or second.is_range:
        return first, second
    if any(_scale(t) for t in before) or _full_number(before):
        return first, second
    factor = _shared_scale(after)
    if factor > 1.0:
        first = Value(tidy(first.value * factor), unit=unit)
    return first, second


def normalize_percent(tokens: list[str]) -> Value | None:
    """Normalize a rate span: ``["30", "%"]`` → Value(30, unit="percent")."""
    lower = [t.lower() for t in tokens]
    if lower[0] in lexicon()["SIGN"] and len(tokens) > 1:
        # "FTSE -0.6%": a signed change.
        value = normalize_percent(tokens[1:])
        if value is not None and not value.is_range and lower[0] != "+":
            value.value = -value.value
        return value
    if "times" in lower or lower[0] == "twice":
        # "three times the contract value": the base is 100 percent.
        count = 2.0 if lower[0] == "twice" else (parse_number(tokens[0]) or parse_number_words(lower[:lower.index("times")]))
        return Value(tidy(count * 100), unit="percent") if count else None
    unit = "percentage_points" if "percentage" in lower else "percent"
    fractions = lexicon()["FRACTION"]
    if lower[-1] in fractions:
        # "two-thirds": the count before the hyphen times the unit fraction.
        count = parse_number_words([lower[-3]]) if len(lower) >= 3 and lower[-2] in ("-", "–") else 1
        return Value(tidy(fractions[lower[-1]] * (count or 1)), unit="percent")
    numbers = [n for n in (parse_number(t) for t in tokens) if n is not None]
    mixed = next((t for t in tokens if re.fullmatch(r"\d/\d{1,2}", t)), None)
    if mixed is not None and len(numbers) == 1:
        top, bottom = mixed.split("/")
        if int(bottom):
            numbers[0] += int(top) / int(bottom)  # "7 3/4 %"
    if numbers and lower[0] in lexicon()["NUMWORD"] and lower[0] not in ("a", "an"):
        numbers.insert(0, parse_number_words([lower[0]]))  # "from zero to 35 percent"
    if not numbers:
        spelled = [t for t in lower if t in lexicon()["NUMWORD"]]
        value = parse_number_words(spelled)
        if value is not None and spelled[0] not in ("a", "an"):
            return Value(tidy(value), unit=unit)
    if not numbers:
        return None
    if len(numbers) >= 2:
        return Value(None, tidy(numbers[0]), tidy(numbers[1]), unit)
    return Value(tidy(numbers[0]), unit=unit)


def _month(word: str) -> int | None:
    return lexicon()["MONTH"].get(word.lower())


def _day(word: str) -> int | None:
    match = re.match(r"^(\d{1,2})(?:st|nd|rd|th)?$", word.lower())
    if not match:
        return None
    day = int(match.group(1))
    return day if 1 <= day <= 31 else None


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def resolve_month_day(month: int, day: int, doc_date: dt.date | None) -> str | None:
    """Resolve a date without a year against the document date, preferring the past."""
    if doc_date is None:
        return f"--{month:02d}-{day:02d}"
    year = doc_date.year
    if not _valid(year, month, day):
        year -= 1  # 29 February in a common year: take the last leap year before.
        if not _valid(year, month, day):
            return None
    if dt.date(year, month, day) > doc_date:
        year -= 1
    return f"{year:04d}-{month:02d}-{day:02d}" if _valid(year, month, day) else None


def resolve_relative(words: list[str], doc_date: dt.date | None) -> str | None:
    """Resolve ``last year``, ``earlier this month`` … against the document date."""
    if doc_date is None:
        return None
    phrase = " ".join(w.lower() for w in words)
    rule = lexicon()["RELATIVE"].get(phrase)
    if rule is None:
        return None
    unit, offset = rule
    if unit == "year":
        return f"{doc_date.year + offset:04d}"
    months = doc_date.year * 12 + (doc_date.month - 1) + offset
    return f"{months // 12:04d}-{months % 12 + 1:02d}"


def _resolve_day(day: int, doc_date: dt.date | None) -> Value | None:
    """A day of the month alone: the latest such day on or before the document date
    (``---21``, ISO 8601's day-only form, without one)."""
    if doc_date is None:
        return Value(f"---{day:02d}")
    year, month = doc_date.year, doc_date.month
    for _ in range(3):
        if _valid(year, month, day) and dt.date(year, month, day) <= doc_date:
            return Value(f"{year:04d}-{month:02d}-{day:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def normalize_date(tokens: list[str], doc_date: dt.date | None) -> Value | None:
    """Normalize a date span to an ISO string at its precision (``2025-10-31``, ``2025-10``, ``1982``)."""
    year = month = day = None
    weekday = lexicon()["WEEKDAY"].get(tokens[0].lower()) if len(tokens) == 1 else None
    if weekday is not None:
        # "on Tuesday" in news: the latest such day on or before the document date.
        if doc_date is None:
            return None
        return Value((doc_date - dt.timedelta(days=(doc_date.weekday() - weekday) % 7)).isoformat())
    if tokens and tokens[0].lower() in ("last", "this", "next", "earlier", "later", "a"):
        resolved = resolve_relative(tokens, doc_date)
        return Value(resolved) if resolved else None
    if len(tokens) == 5 and tokens[1] == "-" and tokens[3] == "-":
        year, month, day = int(tokens[0]), int(tokens[2]), int(tokens[4])
        return Value(f"{year:04d}-{month:02d}-{day:02d}") if _valid(year, month, day) else None
    if len(tokens) >= 4 and tokens[-1].lower() == "year" and tokens[-3].lower() == "of":
        # "July of this year": the month in the year the relative phrase names.
        month = _month(tokens[0])
        year_text = resolve_relative(tokens[-2:], doc_date)
        if month is None or year_text is None:
            return None
        return Value(f"{year_text}-{month:02d}")
    if len(tokens) == 1 and _day(tokens[0]) is not None and not tokens[0].isdigit():
        return _resolve_day(_day(tokens[0]), doc_date)  # "on the 21st"
    for tok in tokens:
        if tok.isdigit() and len(tok) == 4:
            year = int(tok)
        elif month is None and _month(tok) is not None:
            month = _month(tok)
        elif day is None and _day(tok) is not None:
            day = _day(tok)
    if year is not None and month is None:
        return Value(f"{year:04d}")
    if month is None:
        return None
    if year is None and day is None:
        # "in February": a month of the document's past year.
        if doc_date is None:
            return None
        return Value(f"{doc_date.year - (month > doc_date.month):04d}-{month:02d}")
    if year is not None and day is None:
        return Value(f"{year:04d}-{month:02d}")
    if day is None:
        return None
    if year is None:
        resolved = resolve_month_day(month, day, doc_date)
        return Value(resolved) if resolved else None
    return Value(f"{year:04d}-{month:02d}-{day:02d}") if _valid(year, month, day) else None


# "2019-23", "1990-99": a second year written short spans at most a decade; a larger
# gap ("2024-75") is no period anyone writes that way.
_MAX_SHORT_RANGE_YEARS = 10


def normalize_period(tokens: list[str]) -> Value | None:
    """Normalize a period: ``2011-2015`` → Value("2011/2015", "2011", "2015");
    ``April 2024 to March 2026`` → Value("2024-04/2026-03", "2024-04", "2026-03")."""
    lower = [t.lower() for t in tokens]
    fiscal = any(w in ("fy", "fy.", "fiscal", "financial") for w in lower)
    years = [t for t in tokens if t.isdigit() and len(t) == 4]
    shorts = [t for t in tokens if t.isdigit() and len(t) == 2]
    if not years:
        return None
    months = [m for m in (_month(t) for t in tokens) if m is not None]
    if len(months) == 2 and len(years) == 2:
        # "April 2024 to March 2026": a period of months.
        low, high = f"{years[0]}-{months[0]:02d}", f"{years[1]}-{months[1]:02d}"
        return Value(f"{low}/{high}", low, high, "fiscal_year" if fiscal else None) if high > low else None
    low = years[0]
    if len(years) >= 2:
        high = years[1]
    elif shorts:
        # "2024-25", "2019-23": the second year written short; it must follow the first.
        century = int(low) // 100 * 100
        high_year = century + int(shorts[0])
        if high_year < int(low):
            high_year += 100
        if not 1 <= high_year - int(low) <= _MAX_SHORT_RANGE_YEARS:
            return None
        high = f"{high_year:04d}"
    else:
        return Value(low, low, low, "fiscal_year" if fiscal else None)
    if int(high) <= int(low):
        return None
    return Value(f"{low}/{high}", low, high, "fiscal_year" if fiscal else None)
