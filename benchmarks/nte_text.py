"""Generate NTE-like report prose with claims of every kind, deterministically.

Used by the extraction benchmark (and usable by others): a seeded random mix of
claim sentences and plain policy prose, varied enough that spaCy's tokenizer cache
does not flatter the numbers.
"""
from __future__ import annotations

import random

COUNTRIES = ["Korea", "India", "Japan", "Poland", "Brazil", "Turkey", "Indonesia", "Taiwan", "Canada",
             "the European Union", "Saudi Arabia", "Vietnam", "Mexico", "Switzerland", "Australia"]
SECTIONS = ["IMPORT POLICIES", "GOVERNMENT PROCUREMENT", "INTELLECTUAL PROPERTY PROTECTION",
            "SERVICES BARRIERS", "DIGITAL TRADE BARRIERS", "INVESTMENT BARRIERS"]
SUBSECTIONS = ["Tariffs", "Customs Barriers", "Defense Offsets", "Import Licensing", "Agricultural Products"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
NOUNS = ["regulators", "ministries", "importers", "suppliers", "the agency", "exporters", "the committee",
         "industry groups", "U.S. stakeholders", "the government", "domestic producers", "the regulator"]
VERBS = ["continue to raise concerns about", "have reported delays in", "requested clarification of",
         "monitor the implementation of", "objected to", "have welcomed changes to", "remain concerned about"]
OBJECTS = ["the licensing regime", "the new conformity assessment rules", "labeling requirements",
           "the localization policy", "data transfer restrictions", "the standards process",
           "sanitary certificates", "the review procedure", "the draft decree", "local content rules"]


def _money(r: random.Random) -> str:
    amount = r.choice([f"{r.randint(1, 999)}", f"{r.randint(1, 99)}.{r.randint(1, 9)}", f"{r.randint(1, 9)},{r.randint(100, 999)}"])
    return r.choice([f"${amount} million", f"${amount} billion", f"US${amount}bn", f"€{amount} million",
                     f"KRW {amount} trillion", f"Rs. {amount} crore", f"{amount} million zlotys",
                     f"¥{amount} billion", f"£{amount}m"])


def _claim_sentence(r: random.Random) -> str:
    country = r.choice(COUNTRIES)
    year = r.randint(1995, 2025)
    templates = [
        f"{country} applies an offset requirement of {r.randint(10, 100)} percent on defense contracts above {_money(r)}.",
        f"In {year}, U.S. goods exports to {country} were {r.choice(['about', 'nearly', 'more than', ''])} {_money(r)}, up {r.randint(1, 30)}.{r.randint(0, 9)} percent from {year - 1}.",
        f"The average applied tariff in {country} was {r.randint(2, 40)}.{r.randint(0, 9)} percent in {year}, while bound rates range from {r.randint(5, 30)} to {r.randint(31, 150)} percent.",
        f"Offset values fell from {_money(r)} ({year - 10}-{year - 5}) to around {_money(r)} ({year - 4}-{year}).",
        f"On {r.choice(MONTHS)} {r.randint(1, 28)}, {year}, {country} published a decree under Law No. {r.randint(1000, 99999)} covering {r.randint(20, 900)} tariff lines.",
        f"Procurement rules in {country} reserve between {r.randint(5, 20)} and {r.randint(21, 60)} percent of contract value for local suppliers in fiscal year {year}.",
        f"The F-{r.randint(10, 35)} program, worth up to {_money(r)}, was approved in {r.choice(MONTHS)} {year}.",
    ]
    return r.choice(templates)


def _prose_sentence(r: random.Random) -> str:
    subject = r.choice(NOUNS)
    clause = f"{subject[0].upper()}{subject[1:]} {r.choice(VERBS)} {r.choice(OBJECTS)} in {r.choice(COUNTRIES)}"
    if r.random() < 0.6:
        clause += f", and {r.choice(NOUNS)} {r.choice(VERBS)} {r.choice(OBJECTS)} that apply to imported goods"
    return clause + "."


def nte_text(target_chars: int, seed: int = 7) -> str:
    """Return about ``target_chars`` characters of NTE-like text (paragraphs and headings).

    A quarter of the sentences carry claims (two or three each), about the share
    of a real NTE chapter's sentences that hold a figure; the rest is policy prose.
    """
    r = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < target_chars:
        heading = r.choice(SECTIONS) if r.random() < 0.3 else r.choice(SUBSECTIONS)
        sentences = [_claim_sentence(r) if r.random() < 0.25 else _prose_sentence(r) for _ in range(r.randint(3, 8))]
        block = heading + "\n\n" + " ".join(sentences) + "\n\n"
        parts.append(block)
        size += len(block)
    return "".join(parts)


ANNEX_ITEMS = ["Machinery", "Vehicles and parts", "Aircraft", "Soybeans", "Pharmaceuticals", "Steel products",
               "Semiconductors", "Medical devices", "Wheat", "Optical instruments", "Plastics", "Beef"]


NOTES = [" (provisional, national statistics office)", " (revised; customs data)", " (estimate by the ministry)",
         " (final figures, trade department)"]


def annex_text(target_chars: int, seed: int = 11) -> str:
    """Return about ``target_chars`` characters of claim-dense text, one claim every ~80 characters.

    Rows like a statistical annex table's, each its own line: an item, a year and
    a value, with a share or a change now and then. This is the text where the
    matcher and the normalizers, not the tokenizer, dominate.
    """
    r = random.Random(seed)
    rows: list[str] = []
    size = 0
    while size < target_chars:
        item, country, year = r.choice(ANNEX_ITEMS), r.choice(COUNTRIES), r.randint(1995, 2025)
        templates = [
            f"{item}, exports to {country}: {_money(r)}",
            f"{item} ({country}) share of imports {r.randint(1, 60)}.{r.randint(0, 9)}%",
            f"{item}, bound tariff {r.randint(0, 40)} percent; applied {r.randint(0, 40)}.{r.randint(0, 9)} percent",
            f"{item}, imports from {country} in {year}: {_money(r)}",
            f"{item}: quota of {r.randint(1, 900)},{r.randint(100, 999)} tonnes",
        ]
        row = r.choice(templates)
        if r.random() < 0.85:
            row += r.choice(NOTES)
        rows.append(row)
        size += len(row) + 1
        if len(rows) % 25 == 0:
            rows.append("")
    return "\n".join(rows) + "\n"
