"""Word lists shared by the patterns and the normalizers (``data/lexicon.json``).

Patterns refer to a list as ``"@NAME"`` (for example ``{"LOWER": {"IN": "@SCALE"}}``);
:func:`expand` swaps in the words. Keeping the words in one data file means a new
currency or scale word is a one-line data change, not a code change.
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
    return data


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
