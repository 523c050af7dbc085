"""``tradeclaims_sentences_v1``: sentence boundaries that survive report prose.

spaCy's rule-based ``sentencizer`` ends a sentence at every full stop, so
"the U.S. Trade Representative" or "Rs. 2,000 crore" would be cut in two. This
component ends a sentence at a line break, or at ``.``/``!``/``?`` followed by a
token that can start a sentence, unless the full stop closes an abbreviation
("No.", "Rs.", "Oct.", "U.S." followed by a lower-case word or a number).

The rules are evaluated on arrays: each test on a token's text is computed once
per distinct word (:class:`~extractors.word_table.WordTable`), so the component
costs a few array operations per Doc instead of Python work per token.
"""
from __future__ import annotations

import numpy
from spacy.attrs import SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from extractors.lexicon import words
from extractors.word_table import WordTable, word_rows

_ENDERS = {".", "!", "?", "...", "…"}
_CLOSERS = {'"', "'", "”", "’", ")", "]"}
# After an abbreviation only a capitalised function word starts a new sentence.
_STRICT_STARTS = {"The", "This", "That", "These", "Those", "It", "In", "On", "A", "An", "But", "However", "USTR"}


@Language.factory("tradeclaims_sentences_v1")
def make_sentence_splitter(nlp: Language, name: str) -> "SentenceSplitter":
    """Build the component; it takes no configuration."""
    return SentenceSplitter(nlp)


class SentenceSplitter:
    """Set the sentence starts of a Doc."""

    def __init__(self, nlp: Language) -> None:
        abbreviations = {w.rstrip(".") for w in words("ABBREVIATIONS")}

        def is_abbreviation(text: str) -> bool:
            bare = text.rstrip(".").lower()
            # "U.S.", "e.g." and single letters ("J.") are abbreviations too.
            return bare in abbreviations or (len(bare) == 1 and bare.isalpha()) or "." in bare

        def tests(text: str) -> list[int]:
            return [
                "\n" in text,                                  # NEWLINE
                # A token that carries its own full stop ("U.S.", "Oct."): an abbreviation.
                len(text) > 1 and text.endswith(".") and text not in _ENDERS,  # OWN_STOP
                is_abbreviation(text),                          # ABBREVIATION
                bool(text) and (text[0].isupper() or text[0].isdigit() or text[0] in "\"“'‘(["),  # LOOSE_START
                text.isspace(),                                 # SPACE
                text == ".",                                    # DOT
                text in _ENDERS,                                # ENDER
                text in _CLOSERS,                               # CLOSER
                text in _STRICT_STARTS,                         # STRICT_START
            ]

        self.words = WordTable(nlp.vocab, 9, tests, word_rows(nlp), dtype="bool")

    def __call__(self, doc: Doc) -> Doc:
        """Mark sentence starts in ``doc`` and return it."""
        n = len(doc)
        if n == 0:
            return doc
        cols = self.words.per_token(doc)
        newline, own_stop, abbrev, loose, space, dot, ender, closer, strict = cols.T
        spaced = doc.to_array([SPACY]).astype(bool).reshape(n)
        strict = strict | space
        loose = loose | space
        nxt_strict = numpy.append(strict[1:], False)
        nxt_loose = numpy.append(loose[1:], False)
        nxt_space = numpy.append(space[1:], False)
        prev_abbrev = numpy.insert(abbrev[:-1], 0, False)

        # "." ends a sentence unless it is inside a token run ("3.5", "ustr.gov") or
        # closes an abbreviation ("No. 5") that no clear new sentence follows.
        dot_ends = dot & (spaced | nxt_space) & ~(prev_abbrev & ~nxt_strict) & nxt_loose
        abbrev_ends = own_stop & nxt_strict
        other_ends = ender & ~dot & nxt_loose
        ends = newline | dot_ends | abbrev_ends | other_ends
        ends[-1] = False

        # The sentence starts at the next token that is neither space nor a closing mark.
        skip = space | closer
        index = numpy.arange(n)
        next_kept = numpy.minimum.accumulate(numpy.where(~skip, index, n)[::-1])[::-1]
        starts = next_kept[numpy.flatnonzero(ends) + 1]
        values = numpy.full(n, -1, dtype=numpy.int64)
        values[starts[starts < n]] = 1
        values[0] = 1
        doc.from_array([SENT_START], values.astype(numpy.uint64))
        return doc
