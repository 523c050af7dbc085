"""Word lists shared by the patterns and the normalizers (``data/lexicon.json``).

Patterns refer to a list as ``"@NAME"`` (for example ``{"LOWER": {"IN": "@SCALE"}}``);
:func:`expand` swaps in the words. Keeping the words in one data file means a new
currency or scale word is a one-line data change, not a code change.

ISO 4217 is not written out by hand: its codes and names come from pycountry (the
project already uses it for ISO 3166; it ships the standard's current list and is
kept in step with it), merged into ``CUR_CODE``, ``CUR_CODE_SCALED``, ``CUR_NAMED``,
``CUR_QUALIFIER`` and ``CUR_NAME_NOUN`` by :func:`_add_iso_currencies`. The data file
keeps what ISO does not hold (symbols, ``Rs``, historical currencies, plurals such as
``kronor``) and which codes are words (``CUR_CODE_WORDS``) or no money (``CUR_ISO_NOT_MONEY``).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """Return the parsed lexicon (cached)."""
    text = resources.files("extractors").joinpath("data/lexicon.json").read_text("utf-8")
    data = json.loads(text)
    for key in [k for k in data if k.startswith("_")]:
        data.pop(key)
    _add_iso_currencies(data)
    return data


def _add_iso_currencies(data: dict[str, Any]) -> None:
    """Merge pycountry's ISO 4217 codes and names into the currency lists (hand entries win)."""
    import pycountry

    not_money = set(data["CUR_ISO_NOT_MONEY"])
    word_codes = set(data["CUR_CODE_WORDS"])
    codes: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for currency in pycountry.currencies:
        code = currency.alpha_3
        if code in not_money:
            continue
        if code in word_codes:
            data["CUR_CODE_SCALED"].setdefault(code, code)
        else:
            codes[code] = code
        words = currency.name.lower().split()
        if 2 <= len(words) <= 3 and all(w.isalpha() for w in words) and "and" not in words \
                and currency.name.split()[-1].istitle():
            # "Kuwaiti Dinar", "Costa Rican Colon": qualifier words and a currency noun.
            for name in (" ".join(words), " ".join(words[:-1] + [words[-1] + "s"])):
                names.setdefault(name, set()).add(code)
    for code, value in codes.items():
        data["CUR_CODE"].setdefault(code, value)
    qualifiers, nouns = set(data["CUR_QUALIFIER"]), set()
    for name, found in names.items():
        if len(found) != 1:
            continue  # "Bolívar Soberano" names two codes: neither
        data["CUR_NAMED"].setdefault(name, found.pop())
        *first, last = name.split()
        qualifiers.update(first)
        if last not in data["CUR_SUFFIX"]:
            nouns.add(last)
    data["CUR_QUALIFIER"] = sorted(qualifiers)
    data["CUR_NAME_NOUN"] = sorted(nouns)


def _ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


# Lists that are generated rather than written out: plausible years and day ordinals.
YEARS = range(1900, 2101)
_GENERATED = {
    "YEAR": [str(y) for y in YEARS],
    "DAY_ORDINAL": [_ordinal(d) for d in range(1, 32)],
}


def words(name: str) -> list[str]:
    """Return the words of list ``name`` (keys when the entry is a mapping)."""
    if name in _GENERATED:
        return list(_GENERATED[name])
    entry = lexicon()[name]
    return list(entry.keys()) if isinstance(entry, dict) else list(entry)


def expand(node: Any) -> Any:
    """Replace every ``"@NAME"`` string inside a pattern by the list of its words."""
    if isinstance(node, str) and node.startswith("@"):
        return words(node[1:])
    if isinstance(node, list):
        return [expand(item) for item in node]
    if isinstance(node, dict):
        return {key: expand(value) for key, value in node.items()}
    return node
