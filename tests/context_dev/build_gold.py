"""Build tests/context_dev/gold.jsonl from the hand annotations below.

The documents in docs/ and these labels were written by hand for the context fields
(``subject``, ``condition``, ``period``); the labelling rules are in README.md. Each
claim also carries kind, text, value and unit, so that benchmarks/evaluate.py can
match it strictly before it scores the context fields. This script only finds each
span in the parsed text (``extractors.parse.parse_file(path).text``, in text order;
``pre`` is left context that must precede the span) and writes the ``start`` offsets.
It never runs the extractor.

After the first run of the held-out set (tests/context_heldout/), ten labels were changed
to its conventions, which are the more useful ones: a period named in a sentence also
covers its other values (growth rates, comparisons, shares), and what an amount is spent
on ("proposed NT$949.5 billion for defence") is not a condition.

    .venv/bin/python tests/context_dev/build_gold.py [--show]
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

B, M, T = 10**9, 10**6, 10**12
UNLABELLED = ...  # a dateline date: its subject is not labelled (see README.md)


def _claim(kind, text, value, unit, subj, pre, **context):
    claim = dict(kind=kind, text=text, unit=unit, _pre=pre)
    if isinstance(value, tuple):
        claim["low"], claim["high"] = value
    else:
        claim["value"] = value
    if subj is not UNLABELLED:
        claim["subject"] = subj
    claim.update(context)
    return claim


def money(text, value, subj, unit="USD", cond=None, per=None, pre=""):
    return _claim("money", text, value, unit, subj, pre, condition=cond, period=per)


def pct(text, value, subj, cond=None, per=None, pre=""):
    return _claim("percent", text, value, "percent", subj, pre, condition=cond, period=per)


def date(text, value, subj, pre=""):
    return _claim("date", text, value, None, subj, pre)


def period(text, value, subj, fiscal=False, pre=""):
    low, _, high = value.partition("/")
    claim = _claim("period", text, value, "fiscal_year" if fiscal else None, subj, pre)
    claim["low"], claim["high"] = low, high or low
    return claim


DOCS = [
    # ------------------------------------------------------------------ NTE-style reports
    ("docs/nte_korea.txt", None, [
        money("$65.5 billion", 65.5 * B, "KOR", per="2024"),
        date("2024", "2024", "KOR"),
        pct("1.4 percent", 1.4, "KOR", per="2024"),
        money("$66.1 billion", 66.1 * B, "KOR", per="2023"),
        date("2023", "2023", "KOR"),
        money("$66.0 billion", 66.0 * B, "KOR", per="2024"),
        date("2024", "2024", "KOR"),
        pct("13.4 percent", 13.4, "KOR", per="2023"),
        date("2023", "2023", "KOR"),
        pct("3.3 percent", 3.3, "USA", per="2023"),
        pct("56.8 percent", 56.8, "KOR"),
        pct("15.8 percent", 15.8, "JPN"),
        pct("513 percent", 513, "KOR"),
        money("KRW 230 million", 230 * M, "KOR", unit="KRW", cond="for goods purchased by central government entities"),
        money("KRW 8.6 billion", 8.6 * B, "KOR", unit="KRW", cond="for construction services"),
        period("2019 and 2023", "2019/2023", "KOR"),
        money("$27 billion", 27 * B, "KOR", per="2019/2023"),
        money("$10 million", 10 * M, "KOR"),
        pct("50 percent", 50, "KOR", cond="for contracts above $10 million when the contract is awarded through competition"),
        money("$10 million", 10 * M, "KOR"),
        pct("30 percent", 30, "KOR", cond="when it is awarded without competition"),
        money("$100 million", 100 * M, "KOR"),
        pct("70 percent", 70, "KOR", cond="For contracts of more than $100 million"),
        money("$8 billion", 8 * B, "KOR", per="2011/2015"),
        period("2011-2015", "2011/2015", "KOR"),
        money("$800 million", 800 * M, "KOR", per="2016/2020"),
        period("2016-2020", "2016/2020", "KOR"),
        pct("100 percent", 100, None),
        pct("30 percent", 30, "KOR"),
        date("2024", "2024", "KOR"),
        pct("30 percent", 30, "IND", cond="when a contract exceeds INR 20 billion"),
        money("INR 20 billion", 20 * B, "IND", unit="INR"),
    ]),
    ("docs/nte_poland.txt", None, [
        date("2024", "2024", "POL"),
        money("$17.6 billion", 17.6 * B, "POL", per="2024"),
        pct("8.2 percent", 8.2, "POL", per="2024"),
        money("$11.4 billion", 11.4 * B, "POL"),
        period("2020 and 2024", "2020/2024", "POL"),
        pct("41 percent", 41, "POL", per="2020/2024"),
        pct("5.0 percent", 5.0, "EU"),
        pct("10 percent", 10, "EU"),
        pct("2.5 percent", 2.5, "USA"),
        pct("23 percent", 23, "POL"),
        pct("19 percent", 19, "DEU"),
        pct("20 percent", 20, "FRA"),
        pct("8 percent", 8, "POL"),
        money("EUR 143,000", 143000, "POL", unit="EUR"),
        period("fiscal year 2024", "2024", "POL", fiscal=True),
        money("PLN 118 billion", 118 * B, "POL", unit="PLN", per="2024"),
        pct("4.1 percent", 4.1, "POL", per="2024"),
        pct("2 percent", 2, None),
        money("EUR 5 million", 5 * M, "POL", unit="EUR"),
        pct("100 percent", 100, "POL"),
        money("PLN 9.3 billion", 9.3 * B, "POL", unit="PLN", per="2016/2020"),
        period("2016 and 2020", "2016/2020", "POL"),
        pct("100 percent", 100, "SVK", cond="for contracts above EUR 20 million"),
        money("EUR 20 million", 20 * M, "SVK", unit="EUR"),
    ]),
    ("docs/nte_india.txt", None, [
        money("$41.8 billion", 41.8 * B, "IND", per="2024"),
        date("2024", "2024", "IND"),
        pct("3.4 percent", 3.4, "IND", per="2024"),
        date("2023", "2023", "IND"),
        money("$87.4 billion", 87.4 * B, "IND"),
        money("$45.7 billion", 45.7 * B, "IND", per="2024"),
        date("2024", "2024", "IND"),
        pct("50.8 percent", 50.8, "IND"),
        pct("17.0 percent", 17.0, "IND", per="2023"),
        period("fiscal year 2023", "2023", "IND", fiscal=True),
        pct("39 percent", 39, "IND"),
        pct("13.5 percent", 13.5, "IND"),
        pct("15 percent", 15, "IND", per="2022"),
        date("2022", "2022", "IND"),
        pct("6 percent", 6, "IND", per="2024"),
        date("2024", "2024", "IND"),
        pct("150 percent", 150, "IND"),
        pct("70 percent", 70, "IND", cond="when their cost, insurance and freight value is below $40,000"),
        money("$40,000", 40000, "IND"),
        pct("100 percent", 100, "IND", cond="when it exceeds $40,000"),
        money("$40,000", 40000, "IND"),
        pct("50 percent", 50, "IND"),
        money("INR 2 billion", 2 * B, "IND", unit="INR"),
        pct("30 percent", 30, "IND", cond="for contracts worth more than INR 20 billion"),
        money("INR 20 billion", 20 * B, "IND", unit="INR"),
        period("2007 and 2020", "2007/2020", "IND"),
        money("$12 billion", 12 * B, "IND", per="2007/2020"),
        pct("100 percent", 100, "MYS"),
        pct("85 percent", 85, "IDN", cond="for purchases above $50 million"),
        money("$50 million", 50 * M, "IDN"),
    ]),
    ("docs/nte_turkey_israel.txt", None, [
        pct("50 percent and 100 percent", (50, 100), None),
        pct("70 percent", 70, "TUR", cond="when the contract value exceeds $5 million"),
        money("$5 million", 5 * M, "TUR"),
        pct("35 percent", 35, "ISR", cond="for civilian purchases above $5 million"),
        money("$5 million", 5 * M, "ISR"),
        pct("50 percent", 50, "ISR", cond="for defense purchases above $5 million"),
        money("$5 million", 5 * M, "ISR"),
        pct("50 percent", 50, "ISR", per="2024"),
        date("2024", "2024", "ISR"),
        pct("35 percent", 35, "ISR", per="2011"),
        date("2011", "2011", "ISR"),
        pct("50 percent", 50, "SAU", per="2030"),
        date("2030", "2030", "SAU"),
        pct("2 percent", 2, "SAU", per="2016"),
        date("2016", "2016", "SAU"),
        pct("60 percent", 60, "ARE", cond="on contracts above $10 million"),
        money("$10 million", 10 * M, "ARE"),
        pct("35 percent", 35, "KWT", cond="of contracts worth more than KWD 3 million"),
        money("KWD 3 million", 3 * M, "KWT", unit="KWD"),
        pct("100 percent", 100, "ESP"),
        pct("40 percent", 40, "NLD"),
        money("EUR 14 billion", 14 * B, "EU", unit="EUR", per="2016/2020"),
        period("2016-2020", "2016/2020", "EU"),
        pct("100 percent", 100, "CAN", cond="for procurements above CAD 100 million"),
        money("CAD 100 million", 100 * M, "CAN", unit="CAD"),
        money("$5.2 billion", 5.2 * B, "USA", per="2022"),
        date("2022", "2022", "USA"),
    ]),
    # ------------------------------------------------------------------ news
    ("docs/news_offsets_europe.html", "2025-06-12", [
        date("June 12", "2025-06-12", UNLABELLED),
        pct("100%", 100, None),
        pct("30%", 30, "KOR"),
        date("last year", "2024", "KOR"),
        pct("50 percent", 50, "KOR", cond="for contracts above $10 million when the deal is competitive"),
        money("$10 million", 10 * M, "KOR"),
        money("$1.1 billion", 1.1 * B, "KOR", per="2024"),
        period("fiscal year 2024", "2024", "KOR", fiscal=True),
        money("$2.3 billion", 2.3 * B, "KOR", per="2019"),
        period("fiscal year 2019", "2019", "KOR", fiscal=True),
        money("$40 billion", 40 * B, "POL", per="2022/2024"),
        period("2022 and 2024", "2022/2024", "POL"),
        pct("100 percent", 100, "POL"),
        pct("80 percent", 80, "ROU"),
        pct("100 percent", 100, "FIN", cond="when a contract is worth over EUR 10 million"),
        money("EUR 10 million", 10 * M, "FIN", unit="EUR"),
        money("EUR 20 billion", 20 * B, None, unit="EUR", per="2016/2020"),
        period("2016-2020", "2016/2020", None),
        pct("5% and 15%", (5, 15), None),
        money("$9.5 billion", 9.5 * B, "KOR", per="2024"),
        date("2024", "2024", "KOR"),
        money("$17.3 billion", 17.3 * B, "KOR", per="2022"),
        date("2022", "2022", "KOR"),
    ]),
    ("docs/news_asia_tariffs.html", "2025-04-10", [
        date("April 10", "2025-04-10", UNLABELLED),
        pct("25%", 25, "USA"),
        pct("46%", 46, "VNM"),
        pct("49%", 49, "KHM"),
        money("$55.6 billion", 55.6 * B, "JPN", per="2024"),
        date("2024", "2024", "JPN"),
        pct("25%", 25, "JPN"),
        pct("30%", 30, "JPN"),
        money("$20 billion", 20 * B, "JPN"),
        pct("145%", 145, "CHN"),
        pct("20%", 20, "CHN"),
        date("February", "2025-02", "CHN"),
        pct("125%", 125, "CHN"),
        pct("10.5%", 10.5, "CHN"),
        date("March", "2025-03", "CHN"),
        money("$55.6 billion", 55.6 * B, "KOR"),
        pct("25%", 25, "KOR"),
        pct("25%", 25, "KOR"),
        date("2018", "2018", "KOR"),
        pct("26%", 26, "IND"),
        pct("17%", 17, "ISR"),
        pct("36%", 36, "THA"),
    ]),
    ("docs/news_budgets.html", "2025-10-02", [
        date("Oct. 2", "2025-10-02", UNLABELLED),
        money("¥8.8 trillion", 8.8 * T, "JPN", unit="JPY", per="2026"),
        period("fiscal year 2026", "2026", "JPN", fiscal=True),
        pct("4.5%", 4.5, "JPN", per="2026"),
        period("fiscal year 2024", "2024", "JPN", fiscal=True),
        money("¥7.9 trillion", 7.9 * T, "JPN", unit="JPY", per="2024"),
        money("A$330 billion", 330 * B, "AUS", unit="AUD", per="2024/2034"),
        period("2024 and 2034", "2024/2034", "AUS"),
        pct("2.4%", 2.4, "AUS", per="2033"),
        date("2033", "2033", "AUS"),
        pct("1%", 1, "NZL"),
        pct("3%", 3, "SGP"),
        money("NT$949.5 billion", 949.5 * B, "TWN", unit="TWD", per="2026"),
        date("2026", "2026", "TWN"),
        pct("3.32%", 3.32, "TWN", per="2026"),
        pct("2.45%", 2.45, "TWN", per="2025"),
        date("2025", "2025", "TWN"),
        money("$21.5 billion", 21.5 * B, "TWN"),
        money("PHP 35 billion", 35 * B, "PHL", unit="PHP", per="2025"),
        date("2025", "2025", "PHL"),
        date("2025", "2025", "IDN"),
        money("IDR 165 trillion", 165 * T, "IDN", unit="IDR", per="2025"),
    ]),
    ("docs/news_procurement_rules.html", "2025-09-18", [
        date("Sept. 18", "2025-09-18", UNLABELLED),
        money("CAD 25,000", 25000, "CAN", unit="CAD"),
        date("Thursday", "2025-09-18", "CAN"),
        money("EUR 5.5 million", 5.5 * M, "EU", unit="EUR", cond="for works"),
        pct("10%", 10, "BRA", cond="for manufactured goods"),
        pct("20%", 20, "BRA", cond="for goods developed locally"),
        money("MXN 450 billion", 450 * B, "MEX", unit="MXN", per="2024"),
        date("2024", "2024", "MEX"),
        pct("40%", 40, "MEX", per="2024"),
        money("MXN 10 million", 10 * M, "MEX", unit="MXN"),
        pct("70%", 70, "ZAF", cond="for buses bought by the state"),
        pct("100%", 100, "ZAF", cond="for some textiles"),
        money("ZAR 50 million", 50 * M, "ZAF", unit="ZAR"),
        pct("10%", 10, "ZAF", cond="When the tender exceeds ZAR 50 million"),
        money("SAR 240 billion", 240 * B, "SAU", unit="SAR", per="2021/2023"),
        period("2021 and 2023", "2021/2023", "SAU"),
        pct("10%", 10, "SAU", cond="for national products", per="2021/2023"),
    ]),
    ("docs/news_trade_flows.html", "2025-02-20", [
        date("Feb. 20", "2025-02-20", UNLABELLED),
        money("EUR 241 billion", 241 * B, "DEU", unit="EUR", per="2024"),
        date("2024", "2024", "DEU"),
        money("EUR 81 billion", 81 * B, "FRA", unit="EUR", per="2024"),
        pct("2.3%", 2.3, "GBR", per="2024"),
        date("2024", "2024", "GBR"),
        money("GBP 358 billion", 358 * B, "GBR", unit="GBP", per="2024"),
        money("GBP 468 billion", 468 * B, "GBR", unit="GBP"),
        date("2024", "2024", "CHN"),
        pct("5.9%", 5.9, "CHN", per="2024"),
        money("$3.58 trillion", 3.58 * T, "CHN", per="2024"),
        pct("14.3%", 14.3, "VNM", per="2024"),
        period("2019 and 2024", "2019/2024", "MEX"),
        pct("40%", 40, "MEX", per="2019/2024"),
        money("CAD 157 billion", 157 * B, "CAN", unit="CAD"),  # "last year" is a date, not a period (spec context-012)
        date("last year", "2024", "CAN"),
        money("$31.5 billion", 31.5 * B, "BRA"),
    ]),
]

KEY_ORDER = ("kind", "text", "value", "low", "high", "unit", "subject", "condition", "period", "start")


def _clean_number(x):
    """13.3 * 1e6 → 13300000: drop the float noise a scale factor leaves."""
    if isinstance(x, float):
        r = round(x)
        if x.is_integer() or (r != 0 and abs(x - r) < 1e-9 * abs(x)):
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
            i = text.find(pre + c["text"], max(0, cursor - len(pre)))
            if i < 0:
                raise SystemExit(f"{doc}: {pre + c['text']!r} not found after offset {cursor}")
            c["start"] = i + len(pre)
            cursor = c["start"] + len(c["text"])
            for k in ("value", "low", "high"):
                if k in c:
                    c[k] = _clean_number(c[k])
            out.append({k: c[k] for k in KEY_ORDER if k in c})
            if show:
                ctx = text[max(0, c["start"] - 30):cursor + 20].replace("\n", " ")
                print(f"{doc:36} @{c['start']:5} {c['kind']:7} {c['text']!r:30} {ctx!r}")
        records.append({"doc": doc, "doc_date": doc_date, "claims": out})
    return records


if __name__ == "__main__":
    recs = build(show="--show" in sys.argv)
    with open(HERE / "gold.jsonl", "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {HERE / 'gold.jsonl'}: {len(recs)} documents, {sum(len(r['claims']) for r in recs)} claims")
