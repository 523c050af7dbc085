"""``tradeclaims_sentences_v1``: sentence boundaries that survive report prose.

spaCy's rule-based ``sentencizer`` ends a sentence at every full stop, so
"the U.S. Trade Representative" or "Rs. 2,000 crore" would be cut in two. This
component ends a sentence at a line break, or at ``.``/``!``/``?`` followed by a
token that can start a sentence, unless the full stop closes an abbreviation
("No.", "Rs.", "Oct.", "U.S." followed by a lower-case word or a number).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from extractors.lexicon import words

_ENDERS = {".", "!", "?", "...", "…"}
_CLOSERS = {'"', "'", "”", "’", ")", "]"}


@Language.factory("tradeclaims_sentences_v1")
def make_sentence_splitter(nlp: Language, name: str) -> "SentenceSplitter":
    """Build the component; it takes no configuration."""
    return SentenceSplitter()


class SentenceSplitter:
    """Set ``token.is_sent_start`` for every token of a Doc."""

    def __init__(self) -> None:
        self.abbreviations = {w.rstrip(".") for w in words("ABBREVIATIONS")}

    def _is_abbreviation(self, text: str) -> bool:
        bare = text.rstrip(".").lower()
        # "U.S.", "e.g." and single capitals ("J.") are abbreviations too.
        return bare in self.abbreviations or (len(bare) == 1 and bare.isalpha()) or "." in bare

    def __call__(self, doc: Doc) -> Doc:
        """Mark sentence starts in ``doc`` and return it."""
        n = len(doc)
        if n == 0:
            return doc
        starts = [False] * n
        starts[0] = True
        end_pending = False
        for i, tok in enumerate(doc):
            text = tok.text
            if end_pending:
                if text in _CLOSERS:
                    continue
                if tok.is_space:
                    continue
                starts[i] = True
                end_pending = False
                continue
            if tok.is_space or "\n" in tok.whitespace_:
                # A line break ends a paragraph, a heading or a list item.
                if "\n" in text or "\n" in tok.whitespace_:
                    end_pending = True
                continue
            if text in _ENDERS or (text.endswith(".") and len(text) > 1):
                nxt = doc[i + 1] if i + 1 < n else None
                if nxt is None:
                    continue
                if text == ".":
                    prev = doc[i - 1].text if i > 0 else ""
                    if not tok.whitespace_ and not nxt.is_space:
                        continue  # "3.5", "ustr.gov"
                    if self._is_abbreviation(prev) and not _starts_sentence(nxt, strict=True):
                        continue
                elif text.endswith(".") and text not in _ENDERS:
                    # A token that carries its own full stop ("U.S.", "Oct."): an
                    # abbreviation; it ends a sentence only before a clear new one.
                    if not _starts_sentence(nxt, strict=True):
                        continue
                if _starts_sentence(nxt, strict=False):
                    end_pending = True
        for i, tok in enumerate(doc):
            tok.is_sent_start = starts[i]
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
