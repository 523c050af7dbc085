"""Per-word values computed once per distinct word and looked up per Doc.

The components read properties of every token that depend only on its text (is it
a full stop, an abbreviation, its lower-case form, its word classes). Read through
spaCy (lexeme flags in ``Doc.to_array``, ``Token`` objects) they cost a call per
token and attribute, and every lexeme flag is a Python callback for every new word
the tokenizer meets. Here a :class:`WordTable` computes a word's values once,
keeps them in a numpy table row found by the word's ORTH hash, and gives a Doc's
values as one table lookup; the Doc's distinct words (``numpy.unique`` of its ORTH
column) are found once and shared by the components that run on it.
"""
from __future__ import annotations

from typing import Callable

import numpy
from spacy.attrs import ORTH
from spacy.tokens import Doc
from spacy.vocab import Vocab

_DISTINCT_KEY = "tradeclaims_distinct_words"


def distinct_words(doc: Doc) -> tuple[numpy.ndarray, numpy.ndarray]:
    """The Doc's distinct ORTH hashes and, per token, the index of its own among them.

    Computed once per Doc (kept in ``doc.user_data``; no component retokenizes)."""
    cached = doc.user_data.get(_DISTINCT_KEY)
    if cached is None or cached[0] != len(doc):
        uniques, inverse = numpy.unique(doc.to_array(ORTH), return_inverse=True)
        cached = (len(doc), uniques, inverse.reshape(-1))
        doc.user_data[_DISTINCT_KEY] = cached
    return cached[1], cached[2]


class WordTable:
    """``width`` integer values per distinct word, computed by ``values(text)`` once."""

    def __init__(self, vocab: Vocab, width: int, values: Callable[[str], list[int]]):
        self.vocab, self.width, self.values = vocab, width, values
        self._row_of: dict[int, int] = {}
        self._table = numpy.zeros((1024, width), dtype="uint64")

    def _new_row(self, orth: int) -> int:
        row = len(self._row_of)
        if row == len(self._table):
            self._table = numpy.concatenate([self._table, numpy.zeros_like(self._table)])
        self._table[row] = self.values(self.vocab.strings[orth])
        self._row_of[orth] = row
        return row

    def per_token(self, doc: Doc) -> numpy.ndarray:
        """The values of every token of ``doc``: an array of ``len(doc)`` rows."""
        uniques, inverse = distinct_words(doc)
        row_of, new_row = self._row_of, self._new_row
        rows = numpy.array([row_of[o] if o in row_of else new_row(o) for o in uniques.tolist()], dtype=numpy.intp)
        return self._table[rows[inverse]]
