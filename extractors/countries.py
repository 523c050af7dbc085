"""Country and organisation names → ISO 3166 alpha-3 codes (or an organisation name).

pycountry (the ISO 3166 tables, kept in step with the standard) gives the
official and common names; ``data/country_aliases.tsv`` adds what it lacks:
the short forms trade prose uses ("Korea", "U.S."), demonyms ("Korean"),
capitals used as metonyms ("Seoul") and organisations ("EU", "WTO").
Chosen over hand-written tables so that new ISO names arrive with a package update.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pycountry

# pycountry names that would match ordinary words or are too ambiguous in prose.
_SKIP = {"chad", "guinea", "jersey", "georgia", "jordan", "niger", "turkey", "oman", "mali", "peru", "cuba", "togo", "panama"}
_KEEP_ANYWAY = {"peru", "turkey", "cuba", "panama", "oman", "jordan"}


@lru_cache(maxsize=1)
def gazetteer() -> tuple[dict[str, str], dict[str, str]]:
    """Return (lower-case names → code, case-sensitive names → code)."""
    lower: dict[str, str] = {}
    exact: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(country, attr, None)
            if not name or "," in name:
                continue
            key = name.lower()
            if key in _SKIP and key not in _KEEP_ANYWAY:
                continue
            lower.setdefault(key, country.alpha_3)
    text = resources.files("extractors").joinpath("data/country_aliases.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        alias, code, match = line.split("\t")
        if match == "exact":
            exact[alias] = code
        else:
            lower[alias.lower()] = code
    return lower, exact


def code_for(name: str) -> str | None:
    """Return the code for a country or organisation name, or None.

    >>> code_for("Republic of Korea")
    'KOR'
    """
    lower, exact = gazetteer()
    if name in exact:
        return exact[name]
    key = name.strip().lower()
    if key in lower:
        return lower[key]
    try:
        return pycountry.countries.lookup(name.strip()).alpha_3
    except LookupError:
        return None
