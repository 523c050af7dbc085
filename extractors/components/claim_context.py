"""``tradeclaims_claim_context_v1``: what each claim is about and how it is hedged.

Runs after the claims ruler and fills, for every claim in ``doc._.claims``:
``sentence``, ``qualifier``/``qualifier_text`` (hedge words right before or after
the value), ``topic`` (keywords of the sentence), ``subject`` (the country or
organisation named nearest before the claim in its sentence, else the first
after it), ``condition`` (a "for …" phrase right after the value) and ``period``
(a year or period in parentheses or after "in"/"during" that qualifies a money
or rate claim).
"""
from __future__ import annotations

import json
from bisect import bisect_left, bisect_right

import numpy
from spacy.attrs import SENT_START
from importlib import resources

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from extractors.claim import Claim
from extractors.countries import gazetteer
from extractors.lexicon import lexicon

_CONDITION_STOPS = {",", ";", ".", ":", "and", "or", "but", "while", "whereas", "(", ")", "compared", "which", "that", "—", "–"}
_MAX_CONDITION_TOKENS = 8
_MAX_SKIP_BEFORE_CONDITION = 4
# Words that open a condition on a value.
_CONDITION_OPENERS = {"for", "when", "if", "where", "unless"}
_PERIOD_LINKS = {"in", "during", "for", "over"}


def topic_keywords() -> dict[str, list[str]]:
    """Return the topic → keywords table (``data/topics.json``), in priority order."""
    data = json.loads(resources.files("extractors").joinpath("data/topics.json").read_text("utf-8"))
    data.pop("_doc", None)
    return data


def topic_of(text: str) -> str:
    """Return the first topic whose keyword occurs in ``text`` (a sentence or a heading), else ``other``."""
    lower = text.lower()
    tokens = set(lower.replace("-", " - ").split())
    tokens |= {t.strip(".,;:()\"'") for t in tokens}
    for topic, keywords in _TOPICS.items():
        for keyword in keywords:
            if ((" " in keyword or "-" in keyword) and keyword in lower) or keyword in tokens:
                return topic
    return "other"


_TOPICS = topic_keywords()


def topic_in_section(sentence_topic: str, heading_topic: str) -> str:
    """Combine the topic of a claim's sentence with that of its section heading.

    The sentence decides when it names a topic; the heading fills in when it does
    not. A defence-offsets section is the exception: there every figure is part
    of the offset regime, even in a sentence that speaks only of "contracts".
    """
    if heading_topic == "offset":
        return "offset"
    return sentence_topic if sentence_topic != "other" else heading_topic


@Language.factory("tradeclaims_claim_context_v1")
def make_claim_context(nlp: Language, name: str) -> "ClaimContext":
    """Build the component; it takes no configuration."""
    return ClaimContext(nlp)


class ClaimContext:
    """Fill the context fields of the claims the ruler found."""

    def __init__(self, nlp: Language):
        lower, exact = gazetteer()
        self.places_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.places_exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.code_of: dict[str, str] = {}
        for name, code in lower.items():
            key = f"L:{name}"
            self.code_of[key] = code
            self.places_lower.add(key, [nlp.make_doc(name)])
        for name, code in exact.items():
            key = f"E:{name}"
            self.code_of[key] = code
            self.places_exact.add(key, [nlp.make_doc(name)])
        lex = lexicon()
        self.before = {tuple(k.split()): v for k, v in lex["QUALIFIER_BEFORE"].items()}
        self.after = {tuple(k.split()): v for k, v in lex["QUALIFIER_AFTER"].items()}
        self.before_last = {words[-1] for words in self.before}
        self.after_first = {words[0] for words in self.after}

    def __call__(self, doc: Doc) -> Doc:
        """Fill the context fields of ``doc._.claims`` and return ``doc``."""
        claims: list[Claim] = doc._.claims or []
        if not claims:
            return doc
        places = self._places(doc)
        place_starts = [p[0] for p in places]
        by_start = {c.token_start: c for c in claims}
        # Sentence bounds once per Doc: Token.sent walks the Doc token by token.
        # Doc.text is rebuilt from every token on each access; the caller may hand
        # over the text it tokenized instead.
        text = doc.user_data.get("text") or doc.text
        sentence_text: dict[int, str] = {}
        sentence_topic: dict[int, str] = {}
        sent_starts = numpy.flatnonzero(doc.to_array([SENT_START]) == 1).tolist() or [0]
        for claim in claims:
            k = bisect_right(sent_starts, claim.token_start) - 1
            sent_end = sent_starts[k + 1] if k + 1 < len(sent_starts) else len(doc)
            sent = doc[sent_starts[max(k, 0)]:sent_end]
            if sent.start not in sentence_text:
                # Slice the Doc's text: Span.text builds a Token object per token.
                sentence_text[sent.start] = text[sent.start_char:sent.end_char]
                sentence_topic[sent.start] = topic_of(sentence_text[sent.start])
            claim.sentence = sentence_text[sent.start].strip()
            claim.topic = sentence_topic[sent.start]
            claim.subject = _nearest_place(places, place_starts, claim, sent.start, sent.end)
            if claim.kind in ("money", "percent"):
                self._qualify(doc, claim, sent.start, sent.end)
                after = self._skip_after_qualifier(doc, claim)
                claim.period, after = _attached_period(doc, after, sent.end, by_start)
                claim.condition = _condition(doc, after, sent.end, by_start)
        return doc

    def _places(self, doc: Doc) -> list[tuple[int, int, str]]:
        found = []
        for matcher in (self.places_lower, self.places_exact):
            for match_id, start, end in matcher(doc):
                key = doc.vocab.strings[match_id]
                found.append((start, end, self.code_of[key]))
        found.sort()
        return found

    def _qualify(self, doc: Doc, claim: Claim, sent_start: int, sent_end: int) -> None:
        start = claim.token_start
        if claim.rule.startswith("percent.fraction") and start > sent_start and doc[start - 1].lower_ in ("a", "one"):
            start -= 1  # "about a quarter of": the hedge sits before the article.
        # Most values have no hedge: look further only when the word before (or after)
        # can end (or start) one.
        if start > sent_start and doc[start - 1].lower_ in self.before_last:
            for size in (3, 2, 1):
                if start - size < sent_start:
                    continue
                words = tuple(t.lower_ for t in doc[start - size:start])
                if words in self.before:
                    claim.qualifier = self.before[words]
                    claim.qualifier_text = doc[start - size:start].text
                    return
        end = claim.token_end
        if end + 2 <= sent_end and doc[end].lower_ in self.after_first:
            words = tuple(t.lower_ for t in doc[end:end + 2])
            if words in self.after:
                claim.qualifier = self.after[words]
                claim.qualifier_text = doc[end:end + 2].text

    def _skip_after_qualifier(self, doc: Doc, claim: Claim) -> int:
        end = claim.token_end
        if claim.qualifier_text and end + 2 <= len(doc) and doc[end:end + 2].text == claim.qualifier_text:
            return end + 2
        return end


def _nearest_place(places, starts, claim: Claim, sent_start: int, sent_end: int) -> str | None:
    """The place named nearest before the claim in its sentence, else the first after it."""
    i = bisect_left(starts, claim.token_start)
    for start, end, code in reversed(places[bisect_left(starts, sent_start):i]):
        if end <= claim.token_start:
            return code
    for start, end, code in places[bisect_left(starts, claim.token_end):]:
        if end > sent_end:
            break
        return code
    return None


def _attached_period(doc: Doc, i: int, sent_end: int, by_start: dict[int, Claim]) -> tuple[str | None, int]:
    """A period right after a value: "(2011-2015)" or "in 2024"; returns it and the next index."""
    if i < sent_end and doc[i].text == "(" and i + 1 in by_start:
        other = by_start[i + 1]
        if other.kind in ("period", "date") and other.token_end < len(doc) and doc[other.token_end].text == ")":
            return _period_value(other), other.token_end + 1
    if i < sent_end and doc[i].lower_ in _PERIOD_LINKS:
        j = i + 1
        if j < sent_end and doc[j].lower_ == "the":
            j += 1  # "in the 2011-2015 period"
        other = by_start.get(j)
        if other is not None and other.kind in ("period", "date") and _is_year_like(other):
            return _period_value(other), other.token_end
    return None, i


def _is_year_like(claim: Claim) -> bool:
    return claim.kind == "period" or (isinstance(claim.value, str) and len(claim.value) == 4)


def _period_value(claim: Claim) -> str | None:
    if claim.kind == "period":
        return claim.value if claim.low == claim.high else f"{claim.low}/{claim.high}"
    return claim.value


def _condition(doc: Doc, i: int, sent_end: int, by_start: dict[int, Claim]) -> str | None:
    """A condition right after a value: "for non-competitive bids", "when a contract is
    awarded without competition", "if the contract exceeds …".

    It may follow a short noun phrase that the value measures ("a 15% margin of
    preference for domestic bidders", "30 percent of the contract value when …").
    """
    skipped = 0
    while i < sent_end and doc[i].lower_ not in _CONDITION_OPENERS and skipped < _MAX_SKIP_BEFORE_CONDITION:
        if not doc[i].is_alpha or i in by_start or doc[i].lower_ in _CONDITION_STOPS or doc[i].lower_ in ("in", "to", "on", "by", "from", "is", "was", "are"):
            return None
        i += 1
        skipped += 1
    if i >= sent_end or doc[i].lower_ not in _CONDITION_OPENERS:
        return None
    j = i + 1
    while j < sent_end and j - i <= _MAX_CONDITION_TOKENS:
        tok = doc[j]
        if tok.lower_ in _CONDITION_STOPS or j in by_start or tok.is_space:
            break
        j += 1
    if j - i < 2:
        return None
    return doc[i:j].text
