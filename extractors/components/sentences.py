"""``tradeclaims_sentences_v1``: sentence boundaries that survive report prose.

spaCy's rule-based ``sentencizer`` ends a sentence at every full stop, so
"the U.S. Trade Representative" or "Rs. 2,000 crore" would be cut in two. This
component ends a sentence at a line break, or at ``.``/``!``/``?`` followed by a
token that can start a sentence, unless the full stop closes an abbreviation
("No.", "Rs.", "Oct.", "U.S." followed by a lower-case word or a number).
"""
from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from extractors.lexicon import words

_ENDERS = {".", "!", "?", "...", "…"}
_CLOSERS = {'"', "'", "”", "’", ")", "]"}


@Language.factory("tradeclaims_sentences_v1")
def make_sentence_splitter(nlp: Language, name: str) -> "SentenceSplitter":
    """Build the component; it takes no configuration."""
    return SentenceSplitter(nlp)


def _may_end(text: str) -> bool:
    return text in _ENDERS or (len(text) > 1 and text.endswith(".")) or "\n" in text


class SentenceSplitter:
    """Set the sentence starts of a Doc.

    Only tokens that can end a sentence (full stops, ``!``/``?``, line breaks) are
    visited in Python: a lexeme flag finds them in one array read, which keeps the
    component cheap next to tokenization.
    """

    def __init__(self, nlp: Language) -> None:
        self.abbreviations = {w.rstrip(".") for w in words("ABBREVIATIONS")}
        self.may_end_flag = nlp.vocab.add_flag(_may_end)

    def _is_abbreviation(self, text: str) -> bool:
        bare = text.rstrip(".").lower()
        # "U.S.", "e.g." and single capitals ("J.") are abbreviations too.
        return bare in self.abbreviations or (len(bare) == 1 and bare.isalpha()) or "." in bare

    def _ends_here(self, doc: Doc, i: int) -> bool:
        tok = doc[i]
        text = tok.text
        if "\n" in text:
            return True  # a line break ends a paragraph, a heading or a list item
        if i + 1 >= len(doc):
            return False
        nxt = doc[i + 1]
        if text == ".":
            if not tok.whitespace_ and not nxt.is_space:
                return False  # "3.5", "ustr.gov"
            if i > 0 and self._is_abbreviation(doc[i - 1].text) and not _starts_sentence(nxt, strict=True):
                return False
        elif text not in _ENDERS:
            # A token that carries its own full stop ("U.S.", "Oct."): an
            # abbreviation; it ends a sentence only before a clear new one.
            if not _starts_sentence(nxt, strict=True):
                return False
        return _starts_sentence(nxt, strict=False)

    def __call__(self, doc: Doc) -> Doc:
        """Mark sentence starts in ``doc`` and return it."""
        n = len(doc)
        if n == 0:
            return doc
        values = numpy.full(n, -1, dtype=numpy.int64)
        values[0] = 1
        candidates = numpy.flatnonzero(doc.to_array([self.may_end_flag]))
        for i in candidates.tolist():
            if not self._ends_here(doc, i):
                continue
            j = i + 1
            while j < n and (doc[j].is_space or doc[j].text in _CLOSERS):
                j += 1
            if j < n:
                values[j] = 1
        # One array write: setting token.is_sent_start token by token re-checks the
        # whole Doc each time (quadratic on long texts).
        doc.from_array([SENT_START], values.astype(numpy.uint64))
        return doc


def _starts_sentence(tok, strict: bool) -> bool:
    """Whether ``tok`` can open a sentence: upper case, a quote, a digit (not strict)."""
    text = tok.text
    if tok.is_space:
        return True
    first = text[0]
    if strict:
        # After an abbreviation only a capitalised function word makes a new sentence.
        return text in {"The", "This", "That", "These", "Those", "It", "In", "On", "A", "An", "But", "However", "USTR"}
    return first.isupper() or first.isdigit() or first in "\"“'‘(["
