"""Benchmark: the claim extractor on public quantity sets that nobody here wrote.

Run: .venv/bin/python benchmarks/external_sets.py --data PATH [--errors N]

PATH is a folder (searched recursively) or a file. The sets are not in the repo
(their sentences are third-party text); bring them with the search tool's
``fetch`` into /work/ext/ or any folder outside the repo:

- CQE (``satya77/CQE_Evaluation``): ``data/formatted_test_set/NewsQuant.json`` (590 news
  sentences) and ``currency-model.json`` (Recognizers-Text's currency specs as CQE
  formatted them): ``[{"text", "quantities": [{"value", "normalized_unit", "change"?}]}]``.
- Recognizers-Text (``microsoft/Recognizers-Text``): ``Specs/NumberWithUnit/English/CurrencyModel.json``,
  ``Specs/Number/English/PercentModel.json`` (``[{"Input", "Results": [{"Text",
  "Resolution": {"value", "unit", "isoCurrency"?}}]}]``) and ``Specs/DateTime/English/DateExtractor.json``
  (dates by text only: the contract's dates are absolute, most of those specs are relative).

Mapping to the claim contract: a currency becomes its ISO 4217 code (money, strict on
value and code); a percentage is percent (percentage points count as percent). Optional
(neither a miss when not found nor a false positive when found): cents and pence, basis
points, prices per unit ("dollars per share", "per barrel"), currencies without an ISO code
(bitcoin). Amounts per period ("$2,000 per month") are money. Ranges compare as (low, high).
A (from, to) pair in the gold is also found by two claims, one per end (the contract
writes a change as two claims, a range as one). Everything else in the sets (lengths,
ages, counts) is out of scope and ignored.

Printed per set and kind: P, R, F1 (strict: kind, value and unit right; values within a
relative 1e-5, as CQE's scorer), and bound accuracy: of the matched quantities whose gold
names a bound (``=``, ``~``, ``<``, ``>``), how many have that qualifier. Tuned on: the forms
these sets hold were added to the rules (with our own sentences in tests/spec/), so these
are figures on sets the rules were tuned on, not held-out figures.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractors.extraction import extract_claims  # noqa: E402

# Currency names as the sets write them (CQE: lower case; Recognizers: unit names).
ISO = {
    "dollar": "USD", "united states dollar": "USD", "us dollar": "USD", "euro": "EUR", "pound sterling": "GBP",
    "pound": "GBP", "british pound": "GBP", "japanese yen": "JPY", "yen": "JPY", "chinese yuan": "CNY", "yuan": "CNY",
    "renminbi": "CNY", "australian dollar": "AUD", "canadian dollar": "CAD", "hong kong dollar": "HKD",
    "singaporean dollar": "SGD", "singapore dollar": "SGD", "new zealand dollar": "NZD", "malaysian ringgit": "MYR",
    "ringgit": "MYR", "shekel": "ILS", "israeli new shekel": "ILS", "indian rupee": "INR", "rupee": "INR",
    "south african rand": "ZAR", "swiss franc": "CHF", "turkish lira": "TRY", "mexican peso": "MXN",
    "finnish markka": "FIM", "peseta": "ESP", "spanish peseta": "ESP", "netherlands guilde": "NLG",
    "netherlands guilder": "NLG", "dutch guilder": "NLG", "mark": "DEM", "german mark": "DEM",
    "costa rican colón": "CRC", "georgian lari": "GEL", "lao kip": "LAK", "sri lankan rupee": "LKR",
    "korean won": "KRW", "south korean won": "KRW", "brazilian real": "BRL", "russian ruble": "RUB",
    "polish zloty": "PLN", "philippine peso": "PHP", "thai baht": "THB", "indonesian rupiah": "IDR",
}
OPTIONAL_UNITS = {"cent", "penny", "pence", "sen", "basis point", "bitcoin", "satoshi", "point"}
PERCENT_UNITS = {"percentage", "percent", "% interest", "percentage per year"}
TIME_RATES = (" per month", " per year", " per week", " per day", " per annum")
BOUND_OF_QUALIFIER = {"exact": "=", "range": "=", "approx": "~", "more_than": ">", "at_least": ">",
                      "less_than": "<", "at_most": "<"}


@dataclass
class Quantity:
    kind: str  # "money" or "percent"
    unit: str  # ISO code or "percent"
    value: float | tuple[float, float]
    optional: bool = False
    bound: str | None = None  # "=", "~", "<", ">" when the gold names one


@dataclass
class Case:
    text: str
    gold: list[Quantity]
    gold_dates: list[str] = field(default_factory=list)


def _number(text: str) -> float | tuple[float, float]:
    text = str(text).strip().rstrip("%")
    if "-" in text[1:] and "e" not in text.lower():
        low, high = text[0] + text[1:].split("-", 1)[0], text[1:].split("-", 1)[1]
        return float(low), float(high)
    return float(text)


def map_unit(unit: str) -> tuple[str, str, bool] | None:
    """(kind, unit, optional) for a set's unit name; None when it is not money or a rate."""
    unit = unit.strip().lower()
    if unit in PERCENT_UNITS:
        return "percent", "percent", False
    if unit in OPTIONAL_UNITS:
        return ("percent" if "point" in unit else "money"), unit, True
    base = unit
    for rate in TIME_RATES:
        if unit.endswith(rate):
            base = unit[: -len(rate)]
    if base in ISO:
        return "money", ISO[base], False
    if " per " in unit:
        head = unit.split(" per ", 1)[0]
        if head in ISO or head in OPTIONAL_UNITS:
            return "money", ISO.get(head, head), True  # a price per unit: optional
    return None


def load_cqe(path: Path) -> list[Case]:
    cases = []
    for item in json.loads(path.read_text("utf-8")):
        gold = []
        for q in item["quantities"]:
            mapped = map_unit(q["normalized_unit"])
            if mapped is None:
                continue
            kind, unit, optional = mapped
            change = q.get("change")
            gold.append(Quantity(kind, unit, _number(q["value"]), optional,
                                 change if change in ("=", "~", "<", ">") else None))
        cases.append(Case(item["text"], gold))
    return cases


def load_recognizers(path: Path) -> list[Case]:
    cases = []
    for item in json.loads(path.read_text("utf-8")):
        gold, dates = [], []
        for result in item.get("Results", []):
            resolution = result.get("Resolution") or {}
            type_name = result.get("TypeName", "")
            if type_name == "percentage":
                try:
                    gold.append(Quantity("percent", "percent", _number(resolution["value"])))
                except (KeyError, ValueError):
                    continue
            elif type_name == "currency":
                code = resolution.get("isoCurrency")
                mapped = ("money", code, False) if code else map_unit(resolution.get("unit", ""))
                if mapped is None:
                    mapped = ("money", resolution.get("unit", "?"), True)
                try:
                    gold.append(Quantity(mapped[0], mapped[1], _number(resolution["value"]), mapped[2]))
                except (KeyError, ValueError):
                    continue
            elif result.get("Type") == "date" or type_name.startswith("datetimeV2.date"):
                dates.append(result["Text"])
        cases.append(Case(item["Input"], gold, dates))
    return cases


def predictions(text: str) -> tuple[list[Quantity], list[str], list]:
    quantities, dates = [], []
    claims = extract_claims(text, "external")
    for claim in claims:
        if claim.kind in ("money", "percent"):
            unit = "percent" if claim.kind == "percent" else claim.unit
            value = (float(claim.low), float(claim.high)) if claim.low is not None else float(claim.value)
            quantities.append(Quantity(claim.kind, unit, value, bound=BOUND_OF_QUALIFIER.get(claim.qualifier, "=")))
        elif claim.kind == "date":
            dates.append(claim.text)
    return quantities, dates, claims


def close(a, b) -> bool:
    if isinstance(a, tuple) != isinstance(b, tuple):
        return False
    if isinstance(a, tuple):
        return all(math.isclose(x, y, rel_tol=1e-5, abs_tol=1e-8) for x, y in zip(a, b))
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-8)


def same(gold: Quantity, pred: Quantity) -> bool:
    if gold.kind != pred.kind or not close(gold.value, pred.value):
        return False
    if gold.optional and gold.kind == "money":
        return True  # a cent or per-unit price: the value is enough not to count it against us
    return gold.unit == pred.unit


class Score:
    """Counts per kind over the kinds a set labels (a currency-only set scores money only)."""

    def __init__(self, kinds: tuple[str, ...] = ("money", "percent")):
        self.kinds = kinds
        self.tp, self.fp, self.fn = Counter(), Counter(), Counter()
        self.bound_total, self.bound_right = 0, 0
        self.errors: list[str] = []

    def add(self, case: Case, preds: list[Quantity]) -> None:
        unmatched = [p for p in preds if p.kind in self.kinds]
        missed = []
        for gold in sorted(case.gold, key=lambda g: g.optional):
            match = next((p for p in unmatched if same(gold, p)), None)
            if match is None and isinstance(gold.value, tuple):
                # The contract writes a change ("fell from $8bn to $6bn") as two claims where
                # the sets write one (from, to) pair: both ends found is the pair found.
                ends = [next((p for p in unmatched if same(Quantity(gold.kind, gold.unit, v, gold.optional), p)), None)
                        for v in gold.value]
                if all(ends) and ends[0] is not ends[1]:
                    unmatched.remove(ends[1])
                    match = ends[0]
            if match is not None:
                unmatched.remove(match)
                if not gold.optional:
                    self.tp[gold.kind] += 1
                    if gold.bound is not None:
                        self.bound_total += 1
                        self.bound_right += match.bound == gold.bound
            elif not gold.optional:
                self.fn[gold.kind] += 1
                missed.append(gold)
        for pred in unmatched:
            self.fp[pred.kind] += 1
        if missed or unmatched:
            self.errors.append(f"{case.text[:160]!r}\n    missed: {[(g.kind, g.unit, g.value) for g in missed]}"
                               f"\n    extra:  {[(p.kind, p.unit, p.value) for p in unmatched]}")

    def lines(self) -> list[str]:
        out = []
        for kind in (*self.kinds, "all"):
            tp = sum(self.tp.values()) if kind == "all" else self.tp[kind]
            fp = sum(self.fp.values()) if kind == "all" else self.fp[kind]
            fn = sum(self.fn.values()) if kind == "all" else self.fn[kind]
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            out.append(f"  {kind:8s} gold {tp + fn:4d}  P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  (tp {tp}, fp {fp}, fn {fn})")
        if self.bound_total:
            out.append(f"  bound accuracy {self.bound_right / self.bound_total:.3f} ({self.bound_right}/{self.bound_total})")
        return out


def score_dates(cases: list[Case]) -> str:
    tp = fp = fn = 0
    for case in cases:
        _, dates, _ = predictions(case.text)
        gold = list(case.gold_dates)
        for date in dates:
            hit = next((g for g in gold if date in g or g in date), None)
            if hit is not None:
                gold.remove(hit)
                tp += 1
            else:
                fp += 1
        fn += len(gold)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f"  date (text overlap) gold {tp + fn}  P {p:.3f}  R {r:.3f}  F1 {f1:.3f}"


def find_sets(data: Path) -> list[tuple[str, Path]]:
    files = [data] if data.is_file() else sorted(data.rglob("*.json"))
    wanted = {"NewsQuant.json": "cqe", "currency-model.json": "cqe", "CurrencyModel.json": "recognizers",
              "PercentModel.json": "recognizers", "DateExtractor.json": "recognizers"}
    # Recognizers-Text holds the same file names for every language; only the English specs
    # are sets of this extractor (a file given by name is taken as it is).
    return [(wanted[f.name], f) for f in files if f.name in wanted
            and (data.is_file() or wanted[f.name] == "cqe" or "English" in f.parts)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a folder holding the sets (or one set's file)")
    parser.add_argument("--errors", type=int, default=0, help="print up to N sentences with misses or extras per set")
    args = parser.parse_args()
    if not args.data.exists():
        parser.error(f"--data {args.data}: no such file or folder")
    sets = find_sets(args.data)
    if not sets:
        parser.error(f"--data {args.data}: none of NewsQuant.json, currency-model.json, CurrencyModel.json, "
                     "PercentModel.json, DateExtractor.json found")
    for fmt, path in sets:
        try:
            cases = load_cqe(path) if fmt == "cqe" else load_recognizers(path)
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            sys.exit(f"{path}: not a {fmt} set ({exc.__class__.__name__}: {exc})")
        print(f"{path} ({len(cases)} sentences)")
        if path.name == "DateExtractor.json":
            print(score_dates(cases))
            continue
        kinds = {"CurrencyModel.json": ("money",), "PercentModel.json": ("percent",)}.get(path.name, ("money", "percent"))
        score = Score(kinds)
        for case in cases:
            score.add(case, predictions(case.text)[0])
        print("\n".join(score.lines()))
        for line in score.errors[: args.errors]:
            print("  " + line)


if __name__ == "__main__":
    main()
