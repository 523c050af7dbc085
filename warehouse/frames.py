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
and after "to", "from" or "into" it is marked as the partner (``to_KOR``): "U.S. goods
exports to Korea" is ``USA export good to_KOR``, "Korea's arms exports" ``KOR defens
export``. The words that define a measure are :data:`MEASURE_CLASSES`: what flows
(exports, imports, trade, a deficit …), what goods (goods, services, arms …) and the
partner; :func:`measure_terms` lists a frame's words of each class, and two frames that
both name a word of one class but share none of it (arms vs goods, exports vs imports,
to Korea vs from Korea) state different measures however many other words they share
(migration 009). :func:`measure_bits` packs the terms into one integer, a bit field per
class, so that the findings compare millions of pairs with integer operations (the SQL
macro ``measure_bits_differ``).

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
            "agricultur": "agricultural", "merchandise": "good", "trad": "trade", "surplu": "surplus"}
# The words that define what a value measures, by class: two frames that each name a word of
# one class, but none in common, state different measures. Stems, after SYNONYMS.
MEASURE_CLASSES = {
    "flow": frozenset({"export", "import", "trade", "deficit", "surplus", "investment", "spend", "budget"}),
    "goods": frozenset({"good", "servic", "defens", "agricultural", "industrial", "energy"}),
}
PARTNER_MARKS = frozenset({"to", "from", "into"})
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
    (re.compile(r"^(.{4,}?)(?:ively|ive|ion|ing|ed|ly|e)$"), r"\1"),
]


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    # A report's vocabulary is small and repeats: each word is stemmed once.
    for pattern, replacement in _STEPS:
        word = pattern.sub(replacement, word)
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
            words.append(f"{partner}_{code}" if partner else code)
            partner = None
        elif piece in PARTNER_MARKS:
            partner = piece
        elif not (partner and piece in _ARTICLES):
            partner = None
            if len(piece) > 2 and piece not in STOPWORDS and piece.removeprefix("non_") not in STOPWORDS:
                words.append(_stem(piece))
        i += width
    return tuple(words)


def frame_words(text: str | None) -> list[str]:
    """The content words of ``text``, normalized and stemmed, in text order; countries as codes."""
    return list(_frame_words(text)) if text else []


@functools.lru_cache(maxsize=65536)
def measure_terms(frame: str | None) -> str | None:
    """The measure-defining words of a frame, as ``class=word`` (sorted, space-separated); None when none."""
    if not frame:
        return None
    terms = []
    for word in frame.split():
        for name, members in MEASURE_CLASSES.items():
            if word in members:
                terms.append(f"{name}={word}")
        if word.startswith(("to_", "from_", "into_")):
            terms.append(f"partner={word}")
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
    return " ".join(sorted(set(words)))


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


# measure_bits: one FIELD_BITS-wide field per class, in CLASS_ORDER (the SQL macro
# measure_bits_differ reads FIELD_COUNT fields). A class word's bit is its place among the
# class's words; a partner's, a CRC of its code modulo FIELD_BITS (two partners that share a
# bit read as one: a conflict missed, never one invented).
FIELD_BITS = 21
CLASS_ORDER = (*MEASURE_CLASSES, "partner")
FIELD_COUNT = 3
assert len(CLASS_ORDER) == FIELD_COUNT and all(len(m) <= FIELD_BITS for m in MEASURE_CLASSES.values())
_CLASS_BIT = {(name, word): i for name, members in MEASURE_CLASSES.items() for i, word in enumerate(sorted(members))}


@functools.lru_cache(maxsize=65536)
def measure_bits(terms: str | None) -> int | None:
    """:func:`measure_terms` packed into an integer (bit fields per class); None when there are none."""
    if not terms:
        return None
    bits = 0
    for term in terms.split():
        name, word = term.split("=", 1)
        bit = _CLASS_BIT.get((name, word), zlib.crc32(word.encode()) % FIELD_BITS)
        bits |= 1 << (CLASS_ORDER.index(name) * FIELD_BITS + bit)
    return bits


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
