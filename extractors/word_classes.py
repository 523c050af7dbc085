"""Word lists as token classes that spaCy's ``Matcher`` compares in C.

A pattern token ``{"LOWER": {"IN": "@SCALE"}}`` asks "is this word in a list?".
Left to spaCy, ``IN`` is a Python set predicate called for every token the
Matcher tries, the bulk of the pipeline's time. Lexeme flags (``FLAG19`` …
``FLAG63``) are checked in C, but there are only 45 of them, so they put a
ceiling on the number of lists.

Here every list gets a *class name* and a *slot*: one of a few token attributes
that the extraction pipeline does not otherwise use (``NORM``, ``TAG``, ``LEMMA``,
``ENT_ID``, ``ENT_KB_ID``, ``ENT_TYPE``). Lists that share no word share a slot, so their number
is unbounded; only a word that sits in more lists than there are slots is refused
(with an error naming the word and the lists). A pattern token becomes an exact
comparison ``{"TAG": "SCALE"}``, which the Matcher does in C like ``LOWER``.

Per document, :meth:`WordClasses.annotate` writes each token's classes with one
``Doc.from_array``: the classes of a word are computed once per distinct word
(cached by its ORTH hash), and a chunk of text has only a few thousand distinct
words. :meth:`WordClasses.clear` puts the attributes back to unset afterwards, so
later components see the tokens as spaCy made them.
"""
from __future__ import annotations

import numpy
from spacy.attrs import ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, NORM, TAG
from spacy.lang.lex_attrs import word_shape
from spacy.tokens import Doc
from spacy.vocab import Vocab

from extractors.word_table import WordRows, WordTable

# The attributes a class may live in: token-level, hash-valued, unused by a
# blank pipeline. NORM falls back to the lexeme's own norm once cleared (0).
SLOTS = (("TAG", TAG), ("NORM", NORM), ("LEMMA", LEMMA), ("ENT_ID", ENT_ID), ("ENT_KB_ID", ENT_KB_ID),
         ("ENT_TYPE", ENT_TYPE))
# How a list's words are compared with a token: as written, lower-cased, or by shape ("d,ddd").
DOMAINS = ("ORTH", "LOWER", "SHAPE")
# The column :meth:`WordClasses.annotate` adds for "this word is in some list or is a
# word some pattern names": a token that is not can be part of no match.
MEMBER = "member"


class WordList:
    """One list of words in one domain, with the class name patterns compare against."""

    def __init__(self, name: str, domain: str, words: frozenset[str]):
        self.name, self.domain, self.words = name, domain, words
        self.slot: int | None = None
        self._shapes: frozenset[str] | None = None

    def forms(self) -> set[str]:
        """Token texts (in several cases) that this list matches, for overlap checks."""
        if self.domain == "LOWER":
            return {f for w in self.words for f in (w, w.upper(), w.title())}
        return set(self.words) if self.domain == "ORTH" else set()

    def shapes(self) -> frozenset[str]:
        """The word shapes of :meth:`forms`, computed once: every new list is checked
        against each list already in a slot, so at start-up this runs hundreds of times."""
        if self._shapes is None:
            self._shapes = frozenset(word_shape(f) for f in self.forms())
        return self._shapes

    def matches(self, text: str) -> bool:
        if self.domain == "ORTH":
            return text in self.words
        if self.domain == "LOWER":
            return text.lower() in self.words
        return word_shape(text) in self.words

    def overlaps(self, other: "WordList") -> bool:
        """Whether one token can be in both lists (then they need different slots)."""
        if self.domain == "SHAPE" or other.domain == "SHAPE":
            shapes, texts = (self, other) if self.domain == "SHAPE" else (other, self)
            if texts.domain == "SHAPE":
                return bool(self.words & other.words)
            return not shapes.words.isdisjoint(texts.shapes())
        if self.domain == other.domain:
            return not self.words.isdisjoint(other.words)
        lower, orth = (self, other) if self.domain == "LOWER" else (other, self)
        return not lower.words.isdisjoint(w.lower() for w in orth.words)


class Triggers:
    """Per token, one bit per trigger (and :data:`MEMBER`), packed 64 to a column."""

    def __init__(self, bits: numpy.ndarray, bit_of: dict):
        self.bits, self.bit_of = bits, bit_of
        self._set: dict[int, tuple[numpy.ndarray, numpy.ndarray]] = {}

    def column(self, name) -> numpy.ndarray:
        """Whether each token passes the trigger ``name`` (bool per token)."""
        word, mask = self.bit_of[name]
        return (self.bits[:, word] & mask) != 0

    def positions(self, name) -> numpy.ndarray:
        """The indexes of the tokens that pass the trigger ``name``."""
        word, mask = self.bit_of[name]
        if word not in self._set:
            # The tokens with any trigger bit other than MEMBER's (few: anchors are rare
            # words), and their bits: each trigger's positions are then found among them.
            column = self.bits[:, word]
            member_word, member_mask = self.bit_of[MEMBER]
            if member_word == word:
                column = column & ~member_mask
            some = numpy.flatnonzero(column)
            self._set[word] = (some, column[some])
        some, values = self._set[word]
        if name == MEMBER:
            return numpy.flatnonzero(self.column(name))
        return some[(values & mask) != 0]


class WordClasses:
    """The word lists of one pipeline, their slots, and the per-document annotation."""

    def __init__(self, vocab: Vocab, rows: WordRows | None = None):
        self.vocab = vocab
        self.rows = rows  # the numbering of words shared with the pipeline's other tables
        self.lists: dict[tuple[str, frozenset[str]], WordList] = {}
        self.triggers: dict[object, tuple[str, frozenset[str], bool]] = {}
        # One row per distinct word seen: its class in each used slot, then its trigger
        # values; a word's row is computed once and looked up by ORTH hash after that.
        self._table: WordTable | None = None
        self._index: dict[str, dict[str, list[tuple[int, int]]]] | None = None
        # Single words patterns name outside lists ({"LOWER": "between"}), per domain.
        self.literals: dict[str, set[str]] = {d: set() for d in DOMAINS}

    def add(self, domain: str, words, name: str | None = None) -> WordList:
        """Register a list (once per domain and content) and give it a slot.

        Args:
            domain: ``ORTH``, ``LOWER`` or ``SHAPE``.
            words: the list's words (lower-case for ``LOWER``).
            name: the list's name (``SCALE``); inline lists get one from their words.
        Raises:
            ValueError: a word of the list is already in a list in every slot.
        """
        if domain not in DOMAINS:
            raise ValueError(f"word list {name or sorted(words)[:3]}: domain {domain!r} is not one of {DOMAINS}")
        members = frozenset(words)
        key = (domain, members)
        if key in self.lists:
            return self.lists[key]
        if self._index is not None:
            raise RuntimeError("word lists must all be added before the first document is annotated")
        label = f"@{domain}:{name}" if name else f"@{domain}:" + "|".join(sorted(members))
        new = WordList(label, domain, members)
        clashes: list[str] = []
        for slot in range(len(SLOTS)):
            in_slot = [other for other in self.lists.values() if other.slot == slot and new.overlaps(other)]
            if not in_slot:
                new.slot = slot
                break
            clashes.append(in_slot[0].name)
        if new.slot is None:
            raise ValueError(f"word list {label}: shares words with {clashes}, one list in each of the "
                             f"{len(SLOTS)} slots; merge lists or drop shared words")
        self.vocab.strings.add(label)
        self.lists[key] = new
        return new

    def add_trigger(self, name, domain: str, words, title: bool = False) -> None:
        """A per-word test read by :meth:`annotate` as one column: the word is one of
        ``words``, as written (``ORTH``) or lower-cased (``LOWER``; with ``title`` only
        when written in title case too)."""
        if self._index is not None:
            raise RuntimeError("triggers must all be added before the first document is annotated")
        if domain not in ("ORTH", "LOWER"):
            raise ValueError(f"trigger {name!r}: domain {domain!r} is not ORTH or LOWER")
        self.triggers[name] = (domain, frozenset(words), title and domain == "LOWER")

    def add_literal(self, domain: str, word: str) -> None:
        """A single word a pattern token names: it makes a token a :data:`MEMBER` too."""
        self.literals[domain].add(word)

    def spec(self, word_list: WordList, op: str) -> dict:
        """The Matcher token spec for ``IN``/``NOT_IN`` the list."""
        attr = SLOTS[word_list.slot][0]
        return {attr: word_list.name} if op == "IN" else {attr: {"NOT_IN": [word_list.name]}}

    def _used_slots(self) -> list[int]:
        return sorted({wl.slot for wl in self.lists.values()})

    def _build_index(self) -> dict[str, dict[str, list[tuple[int, int]]]]:
        """word → (column, class hash) per domain, so a new word costs three look-ups."""
        columns = {slot: i for i, slot in enumerate(self._used_slots())}
        index: dict[str, dict[str, list[tuple[int, int]]]] = {d: {} for d in DOMAINS}
        for wl in self.lists.values():
            for word in wl.words:
                index[wl.domain].setdefault(word, []).append((columns[wl.slot], self.vocab.strings[wl.name]))
        return index

    def _start(self) -> None:
        self._index = self._build_index()
        self._used = self._used_slots()
        names = list(self.triggers) + [MEMBER]
        self.bit_of = {name: (i // 64, numpy.uint64(1 << (i % 64))) for i, name in enumerate(names)}
        # word → the trigger bits it sets (column, mask, title case required), per domain
        self._trigger_index: dict[str, dict[str, list[tuple[int, int, bool]]]] = {"ORTH": {}, "LOWER": {}}
        for name, (domain, words, title) in self.triggers.items():
            column, mask = self.bit_of[name]
            for word in words:
                self._trigger_index[domain].setdefault(word, []).append((column, int(mask), title))
        self._table = WordTable(self.vocab, len(self._used) + (len(names) + 63) // 64, self._values, self.rows)

    def _values(self, text: str) -> list[int]:
        """A word's row: its class in each used slot, then its trigger bits."""
        lower, shape = text.lower(), word_shape(text)
        values = [0] * len(self._used)
        for domain, key in (("ORTH", text), ("LOWER", lower), ("SHAPE", shape)):
            for column, name in self._index[domain].get(key, ()):
                values[column] = name
        member = any(values) or text in self.literals["ORTH"] or lower in self.literals["LOWER"] \
            or shape in self.literals["SHAPE"]
        bits = [0] * (self._table.width - len(self._used))
        for column, mask, title in self._trigger_index["ORTH"].get(text, ()):
            bits[column] |= mask
        for column, mask, title in self._trigger_index["LOWER"].get(lower, ()):
            if not title or text.istitle():
                bits[column] |= mask
        if member:
            column, mask = self.bit_of[MEMBER]
            bits[column] |= int(mask)
        return values + bits

    def annotate(self, doc: Doc) -> "Triggers":
        """Write every token's classes into the slot attributes; return the triggers' bits."""
        if self._index is None:
            self._start()
        per_token = self._table.per_token(doc)
        used = len(self._used)
        if used and len(doc):
            doc.from_array([SLOTS[s][1] for s in self._used], numpy.ascontiguousarray(per_token[:, :used]))
        return Triggers(per_token[:, used:], self.bit_of)

    def clear(self, doc: Doc) -> None:
        """Unset the slot attributes again (0 means "not set" to spaCy)."""
        used = self._used_slots()
        if used and len(doc):
            doc.from_array([SLOTS[s][1] for s in used], numpy.zeros((len(doc), len(used)), dtype="uint64"))
