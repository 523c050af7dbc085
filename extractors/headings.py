"""Report headings: chapters (countries), sections and subsections.

NTE chapters open with the country in capitals ("REPUBLIC OF KOREA"); sections are
capitalised headings ("GOVERNMENT PROCUREMENT"); subsections short Title Case lines
("Defense Offsets"). The PDF and the plain-text parsers both use these rules.
"""
from __future__ import annotations

import re
from functools import lru_cache

from extractors.document import SectionSpan

SENTENCE_END = re.compile(r"[.!?:;][\"'”’)\]]*$")

_SMALL_WORDS = frozenset(
    "a an and as at but by de del des di du for from in into la le of on or per the "
    "to under upon via vs with d'".split()
)

_ACRONYMS = frozenset(
    "WTO EU US U.S. USA UK SPS TBT IPR IP ICT IT SOE SOES FTA ASEAN USMCA GCC VAT GI "
    "GIS GMO GMOS NTM AGOA KORUS AI OECD ITA GPA MFN TRQ TRQS EV EVS LNG R&D APEC "
    "UAE SACU EAC ECOWAS CAFTA-DR DAPA II III IV".split()
)

# Names NTE reports use that pycountry spells differently, with the casing to print.
_ALIASES = [
    "Republic of Korea", "Korea", "South Korea", "European Union", "Taiwan", "Hong Kong",
    "Macau", "Russia", "Vietnam", "Laos", "Iran", "Syria", "Bolivia", "Venezuela",
    "Tanzania", "Moldova", "Brunei", "Turkey", "Czech Republic", "Ivory Coast",
    "Arab League", "Gulf Cooperation Council", "Southern African Customs Union",
    "East African Community", "Economic Community of West African States",
    "People's Republic of China", "Burma", "Eswatini", "Swaziland", "Kosovo",
    "Democratic Republic of the Congo", "Republic of the Congo", "United States",
]



@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Upper-case name -> name as it should be printed, for chapter headings."""
    import pycountry

    names: dict[str, str] = {}

    def add(name: str | None) -> None:
        if not name:
            return
        if ", " in name:  # "Korea, Republic of" -> "Republic of Korea"
            head, _, tail = name.partition(", ")
            add(f"{tail} {head}")
            return
        names.setdefault(_norm_caps(name), name)

    for alias in _ALIASES:
        add(alias)
    for country in pycountry.countries:
        add(getattr(country, "common_name", None))
        add(country.name)
        add(getattr(country, "official_name", None))
    return names


def _norm_caps(text: str) -> str:
    return re.sub(r"\s+", " ", text.upper().replace("’", "'")).strip(" .:")


def _title_case(text: str) -> str:
    """Title-case an ALL-CAPS heading, keeping small words low and acronyms high."""
    words = text.split()
    out = []
    for i, word in enumerate(words):
        bare = word.strip("()[],:;\"'")
        if bare.upper() in _ACRONYMS or any(ch.isdigit() for ch in bare) or "&" in bare:
            out.append(word)
        elif word.islower() or not word.isupper() and not word.isalpha():
            out.append(word if not word.isupper() else word.capitalize())
        elif i and word.lower() in _SMALL_WORDS:
            out.append(word.lower())
        else:
            out.append("-".join(part[:1].upper() + part[1:].lower() for part in word.split("-")))
    return " ".join(out)


def chapter_name(heading: str) -> str | None:
    """The printable country name of a chapter heading, or None."""
    return _country_names().get(_norm_caps(heading))


def is_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and not any(ch.islower() for ch in letters)


def is_title(text: str) -> bool:
    if len(text) > 80 or SENTENCE_END.search(text) or text.endswith(","):
        return False
    words = text.split()
    if not 1 <= len(words) <= 10 or not words[0][:1].isupper():
        return False
    for word in words:
        bare = word.strip("()[]\"'“”‘’")
        if not bare or not bare[0].isalpha():
            if not bare or not any(ch.isalpha() for ch in bare):
                continue
            return False
        if bare[0].islower() and bare.lower() not in _SMALL_WORDS:
            return False
    return True


def sections_from_headings(headings: list[tuple[int, str, str]], length: int) -> list[SectionSpan]:
    """Turn ``(offset, kind, heading)`` triples into spans; kind is chapter|section|subsection.

    ``section`` of a span is the heading path, e.g. "Government Procurement > Defense Offsets".
    """
    spans: list[SectionSpan] = []
    chapter: str | None = None
    section: str | None = None
    subsection: str | None = None
    for i, (offset, kind, heading) in enumerate(headings):
        if kind == "chapter":
            chapter = chapter_name(heading) or _title_case(heading)
            section = subsection = None
        elif kind == "section":
            section, subsection = _title_case(heading), None
        else:
            subsection = heading
        end = headings[i + 1][0] if i + 1 < len(headings) else length
        # trailing "\n\n" before the next heading is not part of the span
        if i + 1 < len(headings):
            end = max(offset, end - 2)
        path = " > ".join(p for p in (section, subsection) if p) or None
        spans.append(SectionSpan(offset, end, chapter, path))
    return spans
