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
from spacy.attrs import ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, NORM, ORTH, TAG
from spacy.lang.lex_attrs import word_shape
from spacy.tokens import Doc
from spacy.vocab import Vocab

# The attributes a class may live in: token-level, hash-valued, unused by a
# blank pipeline. NORM falls back to the lexeme's own norm once cleared (0).
SLOTS = (("TAG", TAG), ("NORM", NORM), ("LEMMA", LEMMA), ("ENT_ID", ENT_ID), ("ENT_KB_ID", ENT_KB_ID),
         ("ENT_TYPE", ENT_TYPE))
# How a list's words are compared with a token: as written, lower-cased, or by shape ("d,ddd").
DOMAINS = ("ORTH", "LOWER", "SHAPE")


class WordList:
    """One list of words in one domain, with the class name patterns compare against."""

    def __init__(self, name: str, domain: str, words: frozenset[str]):
        self.name, self.domain, self.words = name, domain, words
        self.slot: int | None = None

    def forms(self) -> set[str]:
        """Token texts (in several cases) that this list matches, for overlap checks."""
        if self.domain == "LOWER":
            return {f for w in self.words for f in (w, w.upper(), w.title())}
        return set(self.words) if self.domain == "ORTH" else set()

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
            return not shapes.words.isdisjoint(word_shape(f) for f in texts.forms())
        if self.domain == other.domain:
            return not self.words.isdisjoint(other.words)
        lower, orth = (self, other) if self.domain == "LOWER" else (other, self)
        return not lower.words.isdisjoint(w.lower() for w in orth.words)


class WordClasses:
    """The word lists of one pipeline, their slots, and the per-document annotation."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self.lists: dict[tuple[str, frozenset[str]], WordList] = {}
        self.triggers: dict[str, object] = {}
        self._rows: dict[int, tuple[int, ...]] = {}
        self._index: dict[str, dict[str, list[tuple[int, int]]]] | None = None

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

    def add_trigger(self, name: str, test) -> None:
        """A per-word test (``text -> bool``) read by :meth:`annotate` as one column."""
        self.triggers[name] = test

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

    def _row(self, orth: int) -> tuple[int, ...]:
        row = self._rows.get(orth)
        if row is None:
            if self._index is None:
                self._index = self._build_index()
            text = self.vocab.strings[orth]
            values = [0] * len(self._used_slots())
            for domain, key in (("ORTH", text), ("LOWER", text.lower()), ("SHAPE", word_shape(text))):
                for column, name in self._index[domain].get(key, ()):
                    values[column] = name
            row = tuple(values) + tuple(int(bool(test(text))) for test in self.triggers.values())
            self._rows[orth] = row
        return row

    def annotate(self, doc: Doc) -> dict[str, numpy.ndarray]:
        """Write every token's classes into the slot attributes; return the trigger columns."""
        orths = doc.to_array(ORTH)
        uniques, inverse = numpy.unique(orths, return_inverse=True)
        table = numpy.array([self._row(o) for o in uniques.tolist()], dtype="uint64").reshape(
            len(uniques), len(self._used_slots()) + len(self.triggers))
        per_token = table[inverse.reshape(-1)]
        used = self._used_slots()
        if used and len(doc):
            doc.from_array([SLOTS[s][1] for s in used], numpy.ascontiguousarray(per_token[:, :len(used)]))
        return {name: per_token[:, len(used) + i] for i, name in enumerate(self.triggers)}

    def clear(self, doc: Doc) -> None:
        """Unset the slot attributes again (0 means "not set" to spaCy)."""
        used = self._used_slots()
        if used and len(doc):
            doc.from_array([SLOTS[s][1] for s in used], numpy.zeros((len(doc), len(used)), dtype="uint64"))
