"""The frame of a claim: the words that say what its value measures.

A report chapter is rewritten lightly each year with new numbers: "no less than 50 percent
… for competitive contracts" (2024) and "no less than 40 percent … for competitive
contracts" (2025) state one measure. The frame keeps what stays: from the claim's
sentence, the clause left of the value (cut at ``, ; :``, a digit, "and", "while",
"but", "whereas", "so", "which": its last :data:`LEFT_WORDS` content words), the first
:data:`RIGHT_WORDS` content words right of it up to the same marks, and the claim's
condition. Words are lower-cased; "without X", "no X", "non-X", "not X" become "non_X"
(competitive and non-competitive contracts are two measures); function words, hedges,
verbs of stating ("were", "reached", "totaled") and scale words are dropped; British
spellings (defence, -ise) read as American; a light suffix stemmer folds plurals and
-ive/-ion/-ing/-ed/-ly; the words are sorted and de-duplicated, so reordering a clause
changes nothing. ``claim_key`` is ``subject|topic|kind|unit|frame``.

Who trades with whom is part of the measure: a country's name becomes its code
(``extractors.countries``, so "South Korea", "Korea" and "Korean" are one word, ``KOR``),
after "to"/"into" it is marked as a destination (``to_KOR``), after "from" as an origin
(``from_KOR``), after "with" as a trade partner (``with_IND``, beside ``IND``). "U.S. goods
exports to Korea" is ``USA export from_USA good to_KOR`` (a measure between two named
countries gets both marks, migration 015), "Korea's arms exports" ``KOR defens export``. The
words that define a measure are :data:`MEASURE_CLASSES` (what flows, what goods) and where it
goes (:func:`measure_terms`: origin, destination, partner); two frames that both name a word of
one class but share none of it (arms vs goods, exports vs imports, from Korea vs from the U.S.)
state different measures however many other words they share (migrations 009, 015), and a
measure named from the other side ("Korea's imports from the United States") is the same one.
:func:`measure_bits` packs the terms into one integer, a bit field per class, so that the
findings compare millions of pairs with integer operations (the SQL macro
``measure_bits_differ``).

Computed in Python when claims are turned into rows (:func:`warehouse.store.claim_rows`),
not in SQL: a dozen regular expressions per claim run ~10× faster here than as DuckDB
``regexp_replace`` calls, and the pipeline has every claim in hand anyway.
"""
from __future__ import annotations

import functools
import re
import zlib

from extractors import countries

LEFT_WORDS = 8
RIGHT_WORDS = 5
WINDOW_CHARS = 160
FRAME_KINDS = frozenset({"money", "percent"})

STOPWORDS = frozenset("""
a an the of to in on at for from by with as and or is are was were be been being it its this that these
those which who whose than more less least most no not up down about around approximately nearly almost
roughly some over under above below between only also has have had will would can could may might must
shall should per cent percent there their they them such each any all other into through when if where
while but so u.s us until exceed exceeds exceeded reach reaches reached total totals totaled totalled
stood equal equals equaled amount amounts amounted estimated close just well much many now then still
said say says worth value valued several one two three percentage points point billion million
trillion thousand crore lakh bn mn usd eur krw rs inr
""".split())

# Words that name the same thing (after stemming).
SYNONYMS = {"arm": "defens", "weapon": "defens", "military": "defens", "farm": "agricultural",
            "agricultur": "agricultural", "merchandise": "good", "trad": "trade", "surplu": "surplus",
            # products (migration 015): one word each
            "car": "vehicl", "auto": "vehicl", "automobil": "vehicl", "automot": "vehicl", "chip": "semiconductor",
            "drug": "pharmaceutical", "medicin": "pharmaceutical", "chicken": "poultry", "petroleum": "oil",
            "crud": "oil", "aluminium": "aluminum", "soy": "soybean", "maiz": "corn",
            "deal": "contract",  # news words for report ones (migration 015)
            "output": "produc"}  # output is production (migration 016)
# The words that define what a value measures, by class: two frames that each name a word of
# one class, but none in common, state different measures. Stems, after SYNONYMS. Goods: kinds
# of goods and (migration 015) products, so vehicle exports are not goods exports and a tariff on
# beef is not one on rice. Flows: (migration 016) production ("production", "produced", "output")
# is a flow of its own, so what a country makes is never read against what it exports.
MEASURE_CLASSES = {
    "flow": frozenset({"export", "import", "trade", "deficit", "surplus", "invest", "spend", "budget",
                       "shipment", "balance", "produc"}),
    "goods": frozenset({"good", "servic", "defens", "agricultural", "industrial", "energy",
                        "vehicl", "steel", "aluminum", "rice", "beef", "pork", "poultry", "dairy", "soybean",
                        "wheat", "corn", "semiconductor", "pharmaceutical", "aircraft", "oil"}),
}
# Balances (a deficit, a surplus) are one measure, flows of goods another: in a frame with a
# balance word, "trade" ("the trade deficit") names no flow of its own.
BALANCES = frozenset({"deficit", "surplus"})
SHIPMENTS = frozenset({"export", "import"})
# The flow term a measure between two named countries gets besides its own word: the exports of
# one are the imports of the other ("shipment"), the deficit of one the surplus of the other
# ("balance"). Terms only, never frame words.
BILATERAL = {"shipment": SHIPMENTS, "balance": BALANCES}
# The word before a country that marks it as the partner, and the mark it gets ("into" is "to").
PARTNER_MARKS = {"to": "to", "into": "to", "from": "from", "with": "with"}
_ARTICLES = frozenset({"the", "a", "an"})

_NEGATION = re.compile(r"\b(?:without|no|non|not)[\s-]+")
# Words, and any other single character (a digit or a comma breaks a partner phrase).
_PIECE = re.compile(r"[a-z_][a-z_.\-]*[a-z]|[a-z]|\S")
_LONGEST_NAME = 4
_CLAUSE_MARK = r"[,;:0-9]|\b(?:and|while|but|whereas|so|which)\b"
_LEFT_CLAUSE = re.compile(rf"(?s)^(?:.*(?:{_CLAUSE_MARK}))?(.*)$")
_RIGHT_CLAUSE = re.compile(rf"(?s)^(.*?)(?:{_CLAUSE_MARK}|$)")
_STEPS = [
    (re.compile(r"^defenc"), "defens"),
    (re.compile(r"is(e|es|ed|ing|ation)$"), r"iz\1"),
    (re.compile(r"ie[sd]$"), "y"),
    (re.compile(r"([^s])s$"), r"\1"),
    # production is what is produced ("produc"), not products ("product": goods, "gross domestic
    # product"), which the -ion step below would make it (migration 016)
    (re.compile(r"^production$"), "produc"),
    (re.compile(r"^(.{4,}?)(?:ement|ment)$"), r"\1"),  # requirement, requires: requir (migration 015)
    (re.compile(r"^(.{4,}?)(?:ively|ive|ion|ing|ed|ly|e)$"), r"\1"),
]
# An agent noun is its verb ("foreigners" / "foreign", "manufacturers" / "manufacturing", migration 015),
# except where that would make it a measure word: importers are not imports.
_AGENT = re.compile(r"^(.{5,}?)er$")
_AGENT_STEP = 3  # after the plural step of _STEPS


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    # A report's vocabulary is small and repeats: each word is stemmed once.
    for i, (pattern, replacement) in enumerate(_STEPS):
        word = pattern.sub(replacement, word)
        if i == _AGENT_STEP and _AGENT.match(word):
            verb = _stem(word[:-2])
            if not any(verb in members for members in MEASURE_CLASSES.values()):
                return verb
    return SYNONYMS.get(word, word)


@functools.lru_cache(maxsize=1)
def _country_names() -> tuple[dict[str, str], frozenset[str]]:
    """Lower-case country and organisation names (up to four words) -> code, "u.s" as the frames
    see it; and the words names start with (most words start none, and are passed by at once)."""
    lower, _ = countries.gazetteer()
    names = {name: code for name, code in lower.items() if len(name.split()) <= _LONGEST_NAME}
    names.update({"u.s": "USA", "u.s.a": "USA"})
    return names, frozenset(name.split()[0] for name in names)


@functools.lru_cache(maxsize=65536)
def _frame_words(text: str) -> tuple[str, ...]:
    # Clauses and conditions repeat within a report (and from one edition to the next).
    pieces = _PIECE.findall(_NEGATION.sub("non_", text.lower()))
    names, first_words = _country_names()
    words: list[str] = []
    partner = None  # "to" / "from" just read (articles after it skipped)
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        code, width = None, 1
        if piece in first_words:
            for n in range(min(_LONGEST_NAME, len(pieces) - i), 0, -1):
                code = names.get(" ".join(pieces[i:i + n]))
                if code:
                    width = n
                    break
        if code:
            if partner == "with":
                words.append(code)  # "the free trade agreement with Korea" still names Korea
            words.append(f"{partner}_{code}" if partner else code)
            partner = None
        elif piece in PARTNER_MARKS:
            partner = PARTNER_MARKS[piece]
        elif not (partner and piece in _ARTICLES):
            partner = None
            if len(piece) > 2 and piece not in STOPWORDS and piece.removeprefix("non_") not in STOPWORDS:
                words.append(_stem(piece))
        i += width
    return tuple(words)


def frame_words(text: str | None) -> list[str]:
    """The content words of ``text``, normalized and stemmed, in text order; countries as codes."""
    return list(_frame_words(text)) if text else []


def _is_code(word: str) -> bool:
    return word.isupper()


def _direction(words: frozenset[str]) -> tuple[set[str], set[str], set[str]]:
    """Where what a frame measures comes from and goes to (country codes), and the partners of
    an undirected measure ("trade with India"): ``(origin, destination, partners)``.

    A country after "from" is an origin, after "to"/"into" a destination; the one country of
    the frame without a mark (the reporter: "U.S." in "U.S. goods exports to Korea") is the
    origin of its exports and the destination of its imports; a balance with a partner
    ("the U.S. trade deficit with India") is a net flow from the partner to the reporter (a
    deficit) or from the reporter to the partner (a surplus). So "Korea's imports from the
    United States" and "U.S. exports to Korea" both go from USA to KOR.
    """
    origin = {w[5:] for w in words if w.startswith("from_")}
    destination = {w[3:] for w in words if w.startswith("to_")}
    partners = {w[5:] for w in words if w.startswith("with_")}
    codes = {w for w in words if _is_code(w)} - partners  # "with India" is also the word IND
    reporter = next(iter(codes)) if len(codes) == 1 else None
    balance = words & BALANCES
    shipment = words & SHIPMENTS
    if len(balance) == 1 and not shipment:
        if reporter and len(partners) == 1 and reporter not in partners:
            net_from, net_to = (partners, {reporter}) if "deficit" in balance else ({reporter}, partners)
            return origin | net_from, destination | net_to, set()
        if reporter and not partners:
            return (origin, destination | {reporter}, partners) if "deficit" in balance \
                else (origin | {reporter}, destination, partners)
    elif len(shipment) == 1 and reporter:
        return (origin | {reporter}, destination, partners) if "export" in shipment \
            else (origin, destination | {reporter}, partners)
    elif "trade" in words and reporter and len(partners) == 1 and reporter not in partners:
        return origin, destination, partners | {reporter}
    return origin, destination, partners


def _bilateral(origin: set[str], destination: set[str]) -> bool:
    """One origin and one other destination: a flow between two named countries."""
    return len(origin) == 1 and len(destination) == 1 and origin != destination


def _marked(words: set[str]) -> set[str]:
    """The frame's words with a measure between two named countries stated from both sides: the
    origin and destination (or both partners) as marked words (``from_USA``, ``to_KOR``), so that
    "U.S. exports to Korea" and "Korea's imports from the U.S." share them. A country after "with"
    in a frame with no flow word is a plain country again (the mark is for trade partners)."""
    if not words & MEASURE_CLASSES["flow"]:
        return {w[5:] if w.startswith("with_") else w for w in words}
    has_mark = any(w.startswith(("from_", "to_", "with_")) for w in words)
    if not has_mark:
        return words  # a reporter alone ("Korea's exports"): no second country to name
    origin, destination, partners = _direction(frozenset(words))
    if _bilateral(origin, destination):
        return words | {f"from_{next(iter(origin))}", f"to_{next(iter(destination))}"}
    if len(partners) == 2 and "trade" in words and not words & BALANCES:
        return words | {f"with_{code}" for code in partners}
    return words


@functools.lru_cache(maxsize=65536)
def measure_terms(frame: str | None) -> str | None:
    """The measure-defining words of a frame, as ``class=word`` (sorted, space-separated); None when none.

    Classes: ``flow`` and ``goods`` (:data:`MEASURE_CLASSES`; "trade" is no flow beside a
    balance word), ``origin`` and ``destination`` (country codes, see :func:`_direction`) and
    ``partner`` (of an undirected measure: "trade with India"; both countries, as one word
    ``IND+USA``, when the reporter is named too). A flow between two named countries counts as
    both an export and an import (of the one and of the other), a balance between two as both a
    deficit and a surplus: such a frame's flow terms are its own word and ``shipment`` (or
    ``balance``), so two namings of one flow between two named countries share ``shipment`` while
    against any other frame its own word counts as before ("Turkey's arms exports" are still
    not "U.S. imports from Turkey"); origin and destination tell the two directions apart.
    """
    if not frame:
        return None
    words = frozenset(frame.split())
    terms = set()
    flows = words & MEASURE_CLASSES["flow"]
    if flows & BALANCES:
        flows -= {"trade"}
    origin, destination, partners = _direction(words)
    if _bilateral(origin, destination):
        flows |= {name for name, members in BILATERAL.items() if flows & members}
    terms |= {f"flow={w}" for w in flows}
    terms |= {f"goods={w}" for w in words & MEASURE_CLASSES["goods"]}
    terms |= {f"origin={c}" for c in origin} | {f"destination={c}" for c in destination}
    if len(partners) == 2:
        terms.add("partner=" + "+".join(sorted(partners)))
    else:
        terms |= {f"partner={c}" for c in partners}
    return " ".join(sorted(terms)) or None


def claim_frame(kind: str | None, sentence: str | None, text: str | None, condition: str | None) -> str | None:
    """The frame of a money or percent claim (space-separated sorted words); None for other kinds."""
    if kind not in FRAME_KINDS:
        return None
    left = right = ""
    if sentence and text and text in sentence:
        at = sentence.index(text)
        # LEFT_WORDS / RIGHT_WORDS words never need more text than this (and it keeps the
        # clause regexes short on run-on sentences).
        left = _LEFT_CLAUSE.match(sentence[max(0, at - WINDOW_CHARS):at]).group(1)
        right = _RIGHT_CLAUSE.match(sentence[at + len(text):at + len(text) + WINDOW_CHARS]).group(1)
    words = frame_words(left)[-LEFT_WORDS:] + frame_words(right)[:RIGHT_WORDS] + frame_words(condition)
    return " ".join(sorted(_marked(set(words))))


def condition_frame(kind: str | None, condition: str | None) -> str | None:
    """The words of a money or percent claim's condition alone (for telling conditions apart)."""
    if kind not in FRAME_KINDS or not condition:
        return None
    return " ".join(sorted(set(frame_words(condition))))


def claim_key(subject: str | None, topic: str | None, kind: str, unit: str | None, frame: str | None) -> str | None:
    """``subject|topic|kind|unit|frame``: the measure a claim states; None without subject or frame."""
    if subject is None or frame is None:
        return None
    return "|".join((subject, topic or "", kind, unit or "", frame))


# measure_bits: one bit field per class, FIELDS in order (the SQL macro measure_bits_differ of
# migration 016 reads the same widths; tests check the two agree). A flow or goods word's bit is
# its place among its class's words (so the flow and goods fields are as wide as their word
# lists); a country's (or a partner pair's), a CRC of it modulo the field's width (two countries
# that share a bit read as one: a conflict missed, never one invented). 63 bits: the BIGINT's
# sign bit stays clear. Migration 016 gave the flow field an 11th bit (production) from the
# partner field, the least used country field (undirected "trade with" measures): two partners
# share a bit 1 time in 9 instead of 1 in 10; origin and destination keep 11 bits.
FIELDS = (("flow", 11), ("goods", 21), ("origin", 11), ("destination", 11), ("partner", 9))
CLASS_ORDER = tuple(name for name, _ in FIELDS)
_SHIFT = {name: sum(width for _, width in FIELDS[:i]) for i, (name, _) in enumerate(FIELDS)}
_WIDTH = dict(FIELDS)
assert sum(_WIDTH.values()) <= 63 and all(len(m) <= _WIDTH[name] for name, m in MEASURE_CLASSES.items())
_CLASS_BIT = {(name, word): i for name, members in MEASURE_CLASSES.items() for i, word in enumerate(sorted(members))}


@functools.lru_cache(maxsize=65536)
def measure_bits(terms: str | None) -> int | None:
    """:func:`measure_terms` packed into an integer (bit fields per class); None when there are none."""
    if not terms:
        return None
    bits = 0
    for term in terms.split():
        name, word = term.split("=", 1)
        bit = _CLASS_BIT.get((name, word), zlib.crc32(word.encode()) % _WIDTH[name])
        bits |= 1 << (_SHIFT[name] + bit)
    return bits


def measure_terms_differ(a: str | None, b: str | None) -> bool:
    """Whether two frames' terms state different measures: some class has words on both sides, none shared
    (what the SQL macro ``measure_bits_differ`` decides on the bits)."""
    def by_class(terms: str | None) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for term in (terms or "").split():
            name, word = term.split("=", 1)
            out.setdefault(name, set()).add(word)
        return out
    x, y = by_class(a), by_class(b)
    return any(x.get(name) and y.get(name) and not x[name] & y[name] for name in CLASS_ORDER)


# What derive() reads, and what it adds.
DERIVED_FROM = ("document_id", "chapter", "subject", "topic", "kind", "unit", "sentence", "text", "condition",
                "start_offset")
DERIVED = ("claim_frame", "condition_frame", "measure_terms", "measure_bits", "claim_key", "chapter_subject",
           "key_occurrence")


def derive(columns: dict[str, list]) -> dict[str, list]:
    """The derived columns (:data:`DERIVED`) of many claims, given the :data:`DERIVED_FROM` columns.

    * ``chapter_subject``: the subject a report chapter is about, the most frequent claim
      subject under that chapter heading of that document (ties: the first in
      alphabetical order), so "Korea" and "Republic of Korea" are one chapter and a
      document without chapter headings is one chapter.
    * ``key_occurrence``: 1, 2, … for the claims of one document and chapter subject
      that state the same ``claim_key``, in text order: the n-th statement of a measure
      in one edition is compared with the n-th in the next.
    """
    n = len(columns["kind"])
    get = {name: columns.get(name) or [None] * n for name in DERIVED_FROM}
    frame = [claim_frame(get["kind"][i], get["sentence"][i], get["text"][i], get["condition"][i]) for i in range(n)]
    cond = [condition_frame(get["kind"][i], get["condition"][i]) for i in range(n)]
    key = [claim_key(get["subject"][i], get["topic"][i], get["kind"][i], get["unit"][i], frame[i]) for i in range(n)]
    tallies: dict[tuple, dict[str, int]] = {}
    for i in range(n):
        if get["subject"][i] is not None:
            tally = tallies.setdefault((get["document_id"][i], get["chapter"][i]), {})
            tally[get["subject"][i]] = tally.get(get["subject"][i], 0) + 1
    mode = {place: min(tally, key=lambda s: (-tally[s], s)) for place, tally in tallies.items()}
    chapter_subject = [mode.get((get["document_id"][i], get["chapter"][i])) for i in range(n)]
    occurrence: list[int | None] = [None] * n
    seen: dict[tuple, int] = {}
    for i in sorted(range(n), key=lambda i: (get["start_offset"][i] or 0, i)):
        if key[i] is not None:
            place = (get["document_id"][i], chapter_subject[i], key[i])
            seen[place] = occurrence[i] = seen.get(place, 0) + 1
    terms = [measure_terms(f) for f in frame]
    return {"claim_frame": frame, "condition_frame": cond, "measure_terms": terms,
            "measure_bits": [measure_bits(t) for t in terms],
            "claim_key": key,
            "chapter_subject": chapter_subject, "key_occurrence": occurrence}
