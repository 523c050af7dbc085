"""Build tests/heldout/gold.jsonl from the hand annotations below.

The annotations were written by hand from the documents in tests/heldout/docs/, without
looking at the extractor. This script only locates each annotated span in the parsed
text (``extractors.parse.parse_file(path).text``) and writes the ``start`` offsets, so
that the gold file stays exact if a document is edited. Each claim is searched for in
text order; ``pre`` is optional left context that must immediately precede the span
(used to skip earlier non-claim occurrences of the same string).

    .venv/bin/python tests/heldout/build_gold.py [--show]
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.parse import parse_file  # noqa: E402

B, M, K = 1e9, 1e6, 1e3


def money(text, value, unit="USD", q="exact", topic="other", pre=""):
    if isinstance(value, tuple):
        return dict(kind="money", text=text, low=value[0], high=value[1], unit=unit, qualifier="range",
                    topic=topic, _pre=pre)
    return dict(kind="money", text=text, value=value, unit=unit, qualifier=q, topic=topic, _pre=pre)


def pct(text, value, q="exact", topic="other", pre="", unit="percent"):
    if isinstance(value, tuple):
        return dict(kind="percent", text=text, low=value[0], high=value[1], unit=unit, qualifier="range",
                    topic=topic, _pre=pre)
    return dict(kind="percent", text=text, value=value, unit=unit, qualifier=q, topic=topic, _pre=pre)


def pp(text, value, q="exact", topic="other", pre=""):
    return pct(text, value, q, topic, pre, unit="percentage_points")


def date(text, value, topic="other", pre="", q="exact"):
    return dict(kind="date", text=text, value=value, unit=None, qualifier=q, topic=topic, _pre=pre)


def period(text, value, topic="other", pre="", fiscal=False):
    low, _, high = value.partition("/")
    if not high:  # a single fiscal year
        high = low
    return dict(kind="period", text=text, value=value, low=low, high=high,
                unit="fiscal_year" if fiscal else None, qualifier="range", topic=topic, _pre=pre)


TV, TAR, PROC, OFF, OTH = "trade_value", "tariff", "procurement", "offset", "other"

DOCS = [
    # ------------------------------------------------------------------ NTE-style reports
    ("docs/nte_mexico.txt", None, [
        money("$334.0 billion", 334.0 * B, topic=TV),
        date("2024", "2024", TV, pre="billion in "),
        pct("3.4 percent", 3.4, topic=TV),
        money("$505.9 billion", 505.9 * B, topic=TV),
        money("$171.8 billion", 171.8 * B, topic=TV),
        date("July 1, 2020", "2020-07-01", TAR),
        pct("7.1 percent", 7.1, topic=TAR),
        date("2023", "2023", TAR),
        pct("36.2 percent", 36.2, topic=TAR),
        date("April 22, 2024", "2024-04-22", TAR),
        pct("5 and 50 percent", (5, 50), topic=TAR),
        date("April 2026", "2026-04", TAR),
        date("December 2024", "2024-12", TAR),
        pct("35 percent", 35, topic=TAR),
        pct("0.8 percent", 0.8, topic=TAR),
        money("$50", 50, q="at_most", topic=TAR, pre="no more than "),
        money("$50", 50, q="more_than", topic=TAR, pre="above "),
        money("$117", 117, q="at_most", topic=TAR),
        pct("17 percent", 17, topic=TAR),
        period("2024–2025", "2024/2025", PROC),
        money("$103,000", 103000, topic=PROC),
        money("$13.3 million", 13.3 * M, q="at_least", topic=PROC),
        pct("65 percent", 65, q="at_least", topic=PROC),
        pct("15 percent", 15, q="at_most", topic=PROC),
        pct("40 percent", 40, q="approx", topic=PROC),
        date("2023", "2023", PROC),
        money("MXN 180 billion", 180 * B, unit="MXN", q="more_than", topic=PROC),
        date("February 13, 2023", "2023-02-13", OTH),
        money("$5.5 billion", 5.5 * B, q="approx", topic=TV),
        date("2024", "2024", TV),
    ]),
    ("docs/nte_vietnam.txt", None, [
        date("2024", "2024", TV, pre="In "),
        money("$13.1 billion", 13.1 * B, topic=TV),
        pct("5.5 percent", 5.5, topic=TV),
        date("2023", "2023", TV),
        pct("19.3 percent", 19.3, topic=TV),
        money("$136.6 billion", 136.6 * B, topic=TV),
        money("$123.5 billion", 123.5 * B, topic=TV),
        pct("9.4 percent", 9.4, topic=TAR),
        date("2023", "2023", TAR),
        pct("17.1 percent", 17.1, topic=TAR),
        date("1 August 2020", "2020-08-01", TAR),
        date("31 March 2025", "2025-03-31", TAR),
        pct("10 percent", 10, topic=TAR),
        pct("5 percent", 5, topic=TAR),
        pct("five percent", 5, topic=TAR),
        pct("two percent", 2, topic=TAR),
        pct("45 to 64 percent", (45, 64), topic=TAR),
        pct("32 percent", 32, topic=TAR),
        pct("10 percent", 10, topic=TAR),
        pct("85 percent", 85, q="at_least", topic=TAR),
        date("December 2012", "2012-12", PROC),
        date("January 1, 2024", "2024-01-01", PROC),
        pct("25 percent", 25, q="at_least", topic=PROC),
        pct("7.5 and 10 percent", (7.5, 10), topic=PROC),
        period("2021–2025", "2021/2025", PROC),
        money("VND 2,870 trillion", 2870e12, unit="VND", topic=PROC),
        money("$113 billion", 113 * B, q="approx", topic=PROC),
        pct("49 percent", 49, q="at_most", topic=OTH),
        pct("30 percent", 30, q="at_most", topic=OTH),
    ]),
    ("docs/nte_israel.txt", None, [
        money("$14.8 billion", 14.8 * B, topic=TV),
        date("2024", "2024", TV),
        pct("7.9 percent", 7.9, topic=TV),
        date("2023", "2023", TV),
        money("$22.2 billion", 22.2 * B, topic=TV),
        money("$7.4 billion", 7.4 * B, topic=TV),
        date("1985", "1985", TAR),
        date("January 1, 1995", "1995-01-01", TAR),
        date("1996", "1996", TAR),
        date("December 31, 2024", "2024-12-31", TAR),
        pct("100 percent", 100, q="more_than", topic=TAR),
        money("$75", 75, q="at_most", topic=TAR),
        pct("18 percent", 18, topic=TAR),
        pct("17 percent", 17, topic=TAR),
        date("January 1, 2025", "2025-01-01", TAR),
        date("2024", "2024", TAR, pre="In "),
        money("$150", 150, topic=TAR),
        money("SDR 130,000", 130000, unit="XDR", q="at_least", topic=PROC),
        money("NIS 90 billion", 90 * B, unit="ILS", q="approx", topic=PROC),
        date("2023", "2023", PROC),
        pct("35 percent", 35, topic=OFF),
        money("$5 million", 5 * M, q="more_than", topic=OFF),
        pct("20 percent", 20, topic=OFF),
        date("September 14, 2016", "2016-09-14", OFF),
        money("$3.3 billion", 3.3 * B, topic=OFF),
        period("fiscal years 2019 through 2028", "2019/2028", OFF, fiscal=True),
        money("$500 million", 500 * M, topic=OFF),
        pct("26.3 percent", 26.3, topic=OFF),
        period("FY2028", "2028", OFF, fiscal=True),
        pct("50 percent", 50, q="at_most", topic=OFF),
    ]),
    ("docs/nte_philippines.txt", None, [
        date("2024", "2024", TV, pre="Philippines in "),
        money("$9.3 billion", 9.3 * B, topic=TV),
        pct("4.6 percent", 4.6, topic=TV),
        money("$14.2 billion", 14.2 * B, topic=TV),
        money("$4.9 billion", 4.9 * B, topic=TV),
        pct("one-fifth", 20, q="approx", topic=TV),
        date("2023", "2023", TV),
        pct("6.1 percent", 6.1, topic=TAR),
        date("2023", "2023", TAR),
        pct("0 to 15 percent", (0, 15), topic=TAR),
        date("June 2024", "2024-06", TAR),
        pct("35 percent", 35, topic=TAR),
        pct("15 percent", 15, topic=TAR),
        date("2028", "2028", TAR),
        money("PHP 10,000", 10000, unit="PHP", q="at_most", topic=TAR),
        date("2003", "2003", PROC),
        date("July 2024", "2024-07", PROC),
        pct("25 percent", 25, q="at_most", topic=PROC),
        pct("75 percent", 75, q="at_least", topic=PROC),
        money("₱50 million", 50 * M, unit="PHP", q="at_least", topic=OFF),
        pct("50 percent", 50, q="at_least", topic=OFF),
        date("2012", "2012", OFF),
        period("2013 to 2027", "2013/2027", OFF),
        period("2018–2022", "2018/2022", OFF),
        money("PHP 16 billion", 16 * B, unit="PHP", q="approx", topic=OFF),
        date("June 2025", "2025-06", OFF),
        money("$700 million", 700 * M, q="approx", topic=OFF),
        period("fiscal year 2025", "2025", OFF, fiscal=True),
        money("PHP 258.2 billion", 258.2 * B, unit="PHP", topic=OFF),
    ]),
    ("docs/nte_norway.txt", None, [
        money("$4.6 billion", 4.6 * B, topic=TV),
        date("2024", "2024", TV),
        money("$7.3 billion", 7.3 * B, topic=TV),
        money("$2.7 billion", 2.7 * B, topic=TV),
        pct("18.6 percent", 18.6, topic=TV),
        date("2023", "2023", TV),
        pct("40.3 percent", 40.3, topic=TAR),
        date("2023", "2023", TAR),
        pct("0.4 percent", 0.4, topic=TAR),
        pct("300 percent", 300, q="more_than", topic=TAR),
        date("January 1, 2013", "2013-01-01", TAR),
        pct("344 percent", 344, topic=TAR),
        pct("429 percent", 429, topic=TAR),
        pct("277 percent", 277, topic=TAR),
        money("NOK 24.59", 24.59, unit="NOK", topic=TAR),
        money("NOK 740 billion", 740 * B, unit="NOK", q="approx", topic=PROC),
        date("2023", "2023", PROC),
        pct("one-sixth", 100 / 6, q="approx", topic=PROC),
        money("NOK 1.3 million", 1.3 * M, unit="NOK", q="more_than", topic=PROC),
        money("NOK 50 million", 50 * M, unit="NOK", q="more_than", topic=OFF),
        pct("100 percent", 100, topic=OFF),
        date("June 2024", "2024-06", OFF),
        money("NOK 600 billion", 600 * B, unit="NOK", topic=OFF),
        period("2025–2036", "2025/2036", OFF),
        date("February 2023", "2023-02", OFF),
        money("NOK 19 billion", 19 * B, unit="NOK", q="approx", topic=OFF),
    ]),
    # ------------------------------------------------------------------ news pages
    ("docs/news_australia_frigates.html", "2025-08-07", [
        money("A$10bn", 10 * B, unit="AUD", topic=PROC),
        date("Tuesday", "2025-08-05", PROC),
        money("A$10 billion", 10 * B, unit="AUD", q="approx", topic=PROC),
        date("2029", "2029", PROC),
        date("2014", "2014", PROC),
        money("A$4.5 billion", 4.5 * B, unit="AUD", q="more_than", topic=PROC),
        pct("2.4 per cent", 2.4),
        date("2033", "2033"),
        pct("2 per cent", 2, q="approx"),
        date("last year", "2024"),
        pct("3.5 per cent", 3.5),
        money("A$268 billion and A$368 billion", (268 * B, 368 * B), unit="AUD", topic=PROC),
        money("US$500 million", 500 * M, topic=PROC),
        date("February", "2025-02", PROC),
        pct("10 per cent", 10, topic=TAR),
        date("April", "2025-04", TAR),
        pct("50 per cent", 50, topic=TAR),
        date("June 4", "2025-06-04", TAR),
        money("A$107.6bn", 107.6 * B, unit="AUD", topic=TV),
        date("2024", "2024", TV),
        pct("3.2%", 3.2),
        date("Wednesday", "2025-08-06"),
        pct("5 per cent", 5, q="at_most"),
    ]),
    ("docs/news_egypt_imf.html", "2024-03-30", [
        money("$8bn", 8 * B),
        date("Friday", "2024-03-29"),
        money("$8 billion", 8 * B),
        money("$3 billion", 3 * B),
        date("December 2022", "2022-12"),
        money("$820 million", 820 * M, q="approx"),
        date("March 6", "2024-03-06"),
        pp("6 percentage points", 6),
        pct("27.25%", 27.25),
        pct("38 percent", 38, q="approx"),
        money("€7.4 billion", 7.4 * B, unit="EUR"),
        date("this month", "2024-03"),
        money("$35 billion", 35 * B),
        date("February", "2024-02"),
        money("$10.25 billion", 10.25 * B),
        date("2023", "2023"),
        pct("half", 50, q="approx"),
        date("November", "2023-11"),
        money("$35.6 billion", 35.6 * B, topic=TV),
        date("last year", "2023", TV),
        pct("20%", 20, topic=TV),
        money("$72 billion", 72 * B, q="approx", topic=TV),
        pct("35.7%", 35.7),
        date("February", "2024-02"),
        pct("38%", 38),
        date("September", "2023-09"),
        money("$250 and $260", (250, 260), topic=PROC),
        pct("2 percent", 2, topic=TAR),
        pct("5 percent", 5, topic=TAR),
    ]),
    ("docs/news_chile_copper.html", "2025-07-10", [
        pct("50%", 50, topic=TAR),
        date("July 10, 2025", "2025-07-10"),
        date("Wednesday", "2025-07-09", TAR),
        pct("50 percent", 50, topic=TAR),
        date("Tuesday", "2025-07-08", TAR),
        date("next month", "2025-08", TAR),
        date("January 1, 2004", "2004-01-01", TAR),
        money("$5.9 billion", 5.9 * B, q="approx", topic=TV),
        date("last year", "2024", TV),
        pct("11%", 11, q="approx", topic=TV),
        period("2020 and 2024", "2020/2024", TV),
        pct("half", 50, q="approx", topic=TV),
        pct("17%", 17, q="at_most"),
        date("Tuesday", "2025-07-08"),
        date("1989", "1989"),
        money("$5.8955", 5.8955),
        money("CLP 1.2 trillion", 1.2e12, unit="CLP", q="at_most", topic=TAR),
        money("US$1.3 billion", 1.3 * B, q="approx", topic=TAR),
        date("2024", "2024"),
        pct("50%", 50, q="more_than", topic=TV),
        date("2025", "2025", TAR),
        pp("0.2 percentage point", 0.2, topic=TAR),
        pct("two-thirds", 200 / 3, q="approx", topic=TV),
        date("last year", "2024", TV),
    ]),
    ("docs/news_malaysia_tariff.html", "2025-08-02", [
        pct("19%", 19, topic=TAR),
        pct("19 percent", 19, topic=TAR),
        pct("25 percent", 25, topic=TAR),
        date("July", "2025-07", TAR),
        date("Friday", "2025-08-01", TAR),
        date("Thursday", "2025-07-31", TAR),
        pct("20 per cent", 20, topic=TAR),
        pct("24%", 24, topic=TAR),
        date("April 2", "2025-04-02", TAR),
        pct("10.9%", 10.9, topic=TV),
        money("RM198.65 billion", 198.65 * B, unit="MYR", topic=TV),
        date("2024", "2024", TV),
        pct("one-quarter", 25, q="approx", topic=TV),
        money("US$150 billion", 150 * B, q="approx", topic=TV),
        money("RM50 million", 50 * M, unit="MYR", q="less_than", topic=PROC),
        date("2025", "2025", PROC),
        money("RM 421 billion", 421 * B, unit="MYR", topic=PROC),
        pp("0.3 to 0.6 percentage point", (0.3, 0.6), topic=TAR),
        date("this year", "2025", TAR),
        pct("2.75 percent", 2.75),
        date("July 9", "2025-07-09"),
        pct("5-8%", (5, 8), topic=TAR),
        pct("6%", 6, q="approx"),
        date("this year", "2025"),
    ]),
    ("docs/news_southafrica_tariff.html", "2025-08-01", [
        pct("30%", 30, topic=TAR),
        pct("30 percent", 30, topic=TAR),
        date("Thursday", "2025-07-31", TAR),
        date("May", "2025-05"),
        pct("thirty percent", 30, topic=TAR),
        money("R156 billion", 156 * B, unit="ZAR", topic=TV),
        date("last year", "2024", TV),
        money("$8.8 billion", 8.8 * B, q="approx", topic=TV),
        date("2024", "2024", TV),
        pct("half", 50, q="more_than", topic=TV),
        date("April", "2025-04", TV),
        pct("25%", 25, topic=TAR),
        date("April 3", "2025-04-03", TAR),
        pp("0.2-0.3 percentage points", (0.2, 0.3), topic=TAR),
        date("2025", "2025", TAR),
        money("R1.5bn", 1.5 * B, unit="ZAR", q="approx", topic=TV),
        date("2000", "2000", TAR),
        date("September 2025", "2025-09", TAR),
        pct("30%", 30, topic=TAR),
        pct("15%", 15, topic=TAR),
        pct("10%", 10, topic=TAR),
        date("May", "2025-05", TAR),
        pct("0.8%", 0.8),
    ]),
]

KEY_ORDER = ("kind", "text", "value", "low", "high", "unit", "qualifier", "topic", "start")


def _clean_number(x):
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e16:
        return int(x)
    if isinstance(x, float):  # 13.3 * 1e6 -> 13300000 (float noise from the scale factor)
        r = round(x)
        if r != 0 and abs(x - r) < 1e-9 * abs(x):
            return int(r)
    return x


def build(show: bool = False) -> list[dict]:
    records = []
    for doc, doc_date, claims in DOCS:
        text = parse_file(HERE / doc).text
        cursor = 0
        out = []
        for c in claims:
            pre = c.pop("_pre")
            needle = pre + c["text"]
            i = text.find(needle, max(0, cursor - len(pre)))
            if i < 0:
                raise SystemExit(f"{doc}: {needle!r} not found after offset {cursor}")
            start = i + len(pre)
            assert text[start:start + len(c["text"])] == c["text"]
            c["start"] = start
            cursor = start + len(c["text"])
            for k in ("value", "low", "high"):
                if k in c:
                    c[k] = _clean_number(c[k])
            out.append({k: c[k] for k in KEY_ORDER if k in c})
            if show:
                ctx = text[max(0, start - 30):cursor + 20].replace("\n", " ")
                print(f"{doc:36} @{start:5} {c['kind']:7} {c['text']!r:34} {ctx!r}")
        n = len(out)
        if not 12 <= n <= 30:
            raise SystemExit(f"{doc}: {n} claims (want 12-30)")
        records.append({"doc": doc, "doc_date": doc_date, "claims": out})
    return records


if __name__ == "__main__":
    recs = build(show="--show" in sys.argv)
    with open(HERE / "gold.jsonl", "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {HERE / 'gold.jsonl'}: {len(recs)} documents, {sum(len(r['claims']) for r in recs)} claims")
