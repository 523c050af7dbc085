"""Per-word values computed once per distinct word and looked up per Doc.

The components read properties of every token that depend only on its text (is it
a full stop, an abbreviation, its lower-case form, its word classes). Read through
spaCy (lexeme flags in ``Doc.to_array``, ``Token`` objects) they cost a call per
token and attribute, and every lexeme flag is a Python callback for every new word
the tokenizer meets. Here a :class:`WordTable` computes a word's values once and
keeps them in a numpy table; a Doc's values are one table lookup.

Every word gets one row number, shared by all the tables of a
pipeline (:func:`word_rows`): the Doc's distinct words (``numpy.unique`` of its
ORTH column) are found and numbered once per Doc, and each component's table only
reads its rows at those numbers (computing the values of rows it has not seen yet).
"""
from __future__ import annotations

import weakref
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


class WordRows:
    """Row numbers of words (by ORTH hash), in the order they were first met: shared by
    the word tables of one pipeline (:func:`word_rows`), so that a Doc's words are
    numbered once, not once per table."""

    def __init__(self) -> None:
        self._row_of: dict[int, int] = {}
        self._key = f"tradeclaims_word_rows_{id(self)}"

    def of(self, doc: Doc) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
        """The rows of the Doc's distinct words, their ORTH hashes, and each token's row
        (computed once per Doc)."""
        cached = doc.user_data.get(self._key)
        if cached is None or cached[0] != len(doc):
            uniques, inverse = distinct_words(doc)
            row_of = self._row_of
            rows = []
            for orth in uniques.tolist():
                row = row_of.get(orth)
                if row is None:
                    row = row_of[orth] = len(row_of)
                rows.append(row)
            distinct = numpy.array(rows, dtype=numpy.intp)
            cached = (len(doc), distinct, uniques, distinct[inverse])
            doc.user_data[self._key] = cached
        return cached[1], cached[2], cached[3]


_PIPELINE_ROWS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def word_rows(nlp) -> WordRows:
    """The row numbering shared by the word tables of the pipeline ``nlp``."""
    rows = _PIPELINE_ROWS.get(nlp)
    if rows is None:
        rows = _PIPELINE_ROWS[nlp] = WordRows()
    return rows


class WordTable:
    """``width`` integer values per distinct word, computed by ``values(text)`` once.

    ``rows``: the numbering of words shared with the pipeline's other tables
    (:func:`word_rows`); a table of its own when None. ``dtype``: ``bool`` for a table of
    tests (a Doc's copy of it is then an eighth of the size)."""

    def __init__(self, vocab: Vocab, width: int, values: Callable[[str], list[int]], rows: WordRows | None = None,
                 dtype: str = "uint64"):
        self.vocab, self.width, self.values = vocab, width, values
        self.rows = rows or WordRows()
        self._table = numpy.zeros((1024, width), dtype=dtype)
        self._filled = numpy.zeros(1024, dtype=bool)

    def per_token(self, doc: Doc) -> numpy.ndarray:
        """The values of every token of ``doc``: an array of ``len(doc)`` rows."""
        distinct, orths, per_token = self.rows.of(doc)
        if not len(distinct):
            return self._table[per_token]
        top = int(distinct.max())
        if top >= len(self._table):
            size = len(self._table)
            while size <= top:
                size *= 2
            self._table = numpy.concatenate([self._table, numpy.zeros((size - len(self._table), self.width),
                                                                      self._table.dtype)])
            self._filled = numpy.concatenate([self._filled, numpy.zeros(size - len(self._filled), bool)])
        new = numpy.flatnonzero(~self._filled[distinct])
        if len(new):
            strings, table = self.vocab.strings, self._table
            for row, orth in zip(distinct[new].tolist(), orths[new].tolist()):
                table[row] = self.values(strings[orth])
            self._filled[distinct[new]] = True
        return self._table[per_token]
