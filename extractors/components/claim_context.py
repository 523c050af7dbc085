"""``tradeclaims_claim_context_v1``: what each claim is about and how it is hedged.

Runs after the claims ruler and fills, for every claim in ``doc._.claims``:
``sentence``, ``qualifier``/``qualifier_text`` (hedge words right before or after
the value), ``topic`` (keywords of the sentence), ``subject`` (see
:mod:`extractors.components.claim_subject`), and for money and rates:

- ``period``: a year or period that qualifies the value: after it ("$8 billion
  (2011-2015)", "in fiscal year 2024", "worth $40 billion … between 2022 and 2024",
  "50 percent … by 2030"), before it in its sentence ("obligations signed between
  2007 and 2020 totaled $12 billion"), opening the sentence ("In 2024, …"), or
  given to an earlier value of the sentence ("$65.5 billion in 2024, up 0.9 percent
  from 2023"), but not to the value a change starts from ("to 5 percent from 10
  percent in 2025": 2025 is the 5 percent's). A month with its year is a period
  ("in July 2024"); days, bare months and relative dates ("last year") are not.
- ``condition``: a phrase that says when the value applies, after it ("for
  competitive bids", "when a contract exceeds INR 20 billion", "on contracts above
  $10 million") or opening the sentence ("For contracts of more than $100 million,
  …"). Amounts inside it are kept whole; the amount of a threshold ("contracts
  above $10 million") has no condition of its own, and what money is spent or worth
  for ("proposed $3 billion for defence") is no condition.

The labelling rules these follow, and the gold set that measures them, are in
``tests/context_dev/README.md``.
"""
from __future__ import annotations

import json
from bisect import bisect_right
from importlib import resources

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.claim import Claim
from extractors.components.claim_subject import SubjectFinder, context_words
from extractors.countries import gazetteer
from extractors.lexicon import lexicon
from extractors.word_table import WordTable, word_rows

# Words between a value and its condition that end the search: the value's clause
# goes on ("rose 5% in most provinces", "worth $2 billion were waiting for …").
_BEFORE_CONDITION_STOPS = {"in", "to", "on", "by", "from", "is", "was", "are", "were", "be", "been", "has", "have", "had", "will", "would"}
_MAX_CONDITION_TOKENS = 14  # a value inside it counts as one
_MAX_SKIP_BEFORE_CONDITION = 6
_MAX_SKIP_BEFORE_PERIOD = 10
_MAX_FRONTED_TOKENS = 16
_MAX_FRONTED_PERIOD_TOKENS = 6
_PERIOD_STOPS = {",", ";", ":", "and", "or", "but", "while", "whereas", "—", "which", "that"}
# The context step's table of word tests: IS_ALPHA, IS_SPACE, then per kind of place name
# (lower-case, exact) whether the word is a one-word name, the first word of a longer one,
# the second word of one; the subject finder's flags follow.
_NAME_COLUMNS = 8
# Hedges that make an amount a threshold ("contracts above $10 million").
_THRESHOLD_QUALIFIERS = {"more_than", "less_than", "at_least", "at_most"}


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
    for topic, words, phrases in _TOPIC_WORDS:
        if not words.isdisjoint(tokens) or any(phrase in lower for phrase in phrases):
            return topic
    return "other"


_TOPICS = topic_keywords()
# Per topic: its keywords as a set (one set operation against a sentence's words) and
# those that hold a space or a hyphen, which are looked for in the text itself.
_TOPIC_WORDS = [(topic, frozenset(keywords), [k for k in keywords if " " in k or "-" in k])
                for topic, keywords in _TOPICS.items()]


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
        # Place names as the tokens the tokenizer makes of them (lower-case hashes, or exact
        # ones for the case-sensitive aliases). A Doc is searched only where a name can
        # stand: a one-word name, or a word that starts a longer name followed by one that
        # is the second word of one (columns of the word table), which finds what spaCy's
        # PhraseMatcher finds without running it over every token.
        self.codes_lower: dict[tuple[int, ...], list[str]] = {}
        self.codes_exact: dict[tuple[int, ...], list[str]] = {}
        for names, codes, attr in ((lower, self.codes_lower, "lower"), (exact, self.codes_exact, "orth")):
            for name, code in names.items():
                tokens = tuple(getattr(t, attr) for t in nlp.make_doc(name))
                if tokens:
                    codes.setdefault(tokens, []).append(code)
        self.name_lengths: dict[str, dict[int, list[int]]] = {}  # first token → lengths (of 2 or more)
        for kind, codes in (("lower", self.codes_lower), ("exact", self.codes_exact)):
            lengths = self.name_lengths[kind] = {}
            for tokens in codes:
                if len(tokens) > 1 and len(tokens) not in lengths.setdefault(tokens[0], []):
                    lengths[tokens[0]].append(len(tokens))
        name_sets = [{tokens[0] for tokens in codes if len(tokens) == 1} for codes in (self.codes_lower, self.codes_exact)]
        name_sets += [{tokens[k] for tokens in codes if len(tokens) > 1} for codes in (self.codes_lower, self.codes_exact)
                      for k in (0, 1)]
        self.subjects = SubjectFinder(nlp.vocab)
        self.words = _WordSets(nlp.vocab)
        lex = lexicon()
        self.before = {tuple(k.split()): v for k, v in lex["QUALIFIER_BEFORE"].items()}
        self.after = {tuple(k.split()): v for k, v in lex["QUALIFIER_AFTER"].items()}
        # The same as lower-case hashes, read from the Doc's LOWER column.
        strings = nlp.vocab.strings
        self.before = {tuple(strings.add(w) for w in words): v for words, v in self.before.items()}
        self.after = {tuple(strings.add(w) for w in words): v for words, v in self.after.items()}
        self.before_last = {words[-1] for words in self.before}
        self.after_first = {words[0] for words in self.after}
        self.article = {strings.add("a"), strings.add("one")}
        self.or_ = strings.add("or")
        # The lexical attributes the rules read, as spaCy defines them, and the subject
        # finder's word flags: once per distinct word.
        subjects = self.subjects

        one_lower, one_exact, first_lower, second_lower, first_exact, second_exact = name_sets

        def lexical(text: str) -> list[bool]:
            lower, orth = strings.add(text.lower()), strings[text]
            return [text.isalpha(), text.isspace(),
                    lower in one_lower, lower in first_lower, lower in second_lower,
                    orth in one_exact, orth in first_exact, orth in second_exact,
                    *subjects.word_flags(lower)]

        rows = word_rows(nlp)
        self.lowers = WordTable(nlp.vocab, 1, lambda text: [strings.add(text.lower())], rows)
        self.lexical = WordTable(nlp.vocab, _NAME_COLUMNS + SubjectFinder.FLAGS, lexical, rows, dtype="bool")

    def __call__(self, doc: Doc) -> Doc:
        """Fill the context fields of ``doc._.claims`` and return ``doc``."""
        claims: list[Claim] = doc._.claims or []
        if not claims:
            return doc
        lowers = self.lowers.per_token(doc)[:, 0]  # LOWER
        columns = self.lexical.per_token(doc)  # IS_ALPHA, IS_SPACE, place-name words, the subject flags
        lower = lowers.tolist()
        places = self._places(doc, lower, columns)
        by_start = {c.token_start: c for c in claims}
        # Sentence bounds once per Doc: Token.sent walks the Doc token by token.
        # Doc.text is rebuilt from every token on each access; the caller may hand
        # over the text it tokenized instead.
        text = doc.user_data.get("text") or doc.text
        sentence_text: dict[int, str] = {}
        sentence_topic: dict[int, str] = {}
        sent_starts = numpy.flatnonzero(doc.to_array([SENT_START]) == 1).tolist() or [0]
        subjects = self.subjects.for_doc(doc, places, sent_starts, lowers, lower, columns[:, 1], columns[:, _NAME_COLUMNS:])
        words = _Words(doc, self.words, places, subjects.lower, columns[:, 0].tolist(), columns[:, 1].tolist(), claims)
        values = [c.token_start for c in claims if c.kind in ("money", "percent")]
        last_condition = (0, 0)
        last_value: dict[int, Claim] = {}  # the sentence's previous money or percent claim
        last_period: dict[int, str] = {}  # and the last period given to one
        fronted: dict[int, tuple[str | None, tuple[int, int] | None]] = {}
        bounds = []
        hedged_before: Claim | None = None  # the last value with a hedge before it
        for claim in claims:
            k = bisect_right(sent_starts, claim.token_start) - 1
            sent_end = sent_starts[k + 1] if k + 1 < len(sent_starts) else len(doc)
            bounds.append((max(k, 0), sent_starts[max(k, 0)], sent_end))
            if claim.kind in ("money", "percent"):
                # All hedges first: a condition reads those of the amounts inside it.
                if self._qualify(doc, words.lower, claim, sent_starts[max(k, 0)], sent_end):
                    hedged_before = claim
                elif claim.qualifier == "exact" and hedged_before is not None and hedged_before.kind == claim.kind \
                        and hedged_before.token_end == claim.token_start - 1 and words.lower[claim.token_start - 1] == self.or_:
                    # "capped at 5 percent or 10 percent": the hedge bounds both values.
                    claim.qualifier, claim.qualifier_text = hedged_before.qualifier, hedged_before.qualifier_text
        for claim, (k, sent_start, sent_end) in zip(claims, bounds):
            if sent_start not in sentence_text:
                # Slice the Doc's text: Span.text builds a Token object per token.
                sent = Span(doc, sent_start, sent_end)
                sentence_text[sent_start] = text[sent.start_char:sent.end_char]
                sentence_topic[sent_start] = topic_of(sentence_text[sent_start])
            claim.sentence = sentence_text[sent_start].strip()
            claim.topic = sentence_topic[sent_start]
            after = claim.token_end
            if claim.kind in ("money", "percent"):
                after = self._skip_after_qualifier(doc, claim)
            next_value = values[bisect_right(values, claim.token_start)] if values and values[-1] > claim.token_start else sent_end
            claim.subject = subjects.subject_of(k, claim.token_start, claim.token_end, after,
                                                min(next_value, sent_end))
            if claim.kind not in ("money", "percent"):
                continue
            if sent_start not in fronted:
                fronted[sent_start] = (words.fronted_period(sent_start, sent_end, by_start),
                                       words.fronted_condition(sent_start, sent_end, by_start))
            claim.period, after = words.period_after(after, sent_end, by_start)
            old_value = words.is_old_value(claim)
            previous = last_value.get(sent_start)
            if old_value and claim.period and previous is not None and previous.period is None \
                    and words.is_new_value_of(previous, claim):
                # "cut to 5 percent from 10 percent in 2025": the year is the new rate's
                previous.period, claim.period = claim.period, None
                last_period[sent_start] = previous.period
            elif claim.period is None and not old_value:
                # Named before the value, else the sentence's time for its other values
                # ("$65.5 billion in 2024, up 0.9 percent from 2023"), else an opening one.
                claim.period = (words.period_before(claim, sent_start, by_start)
                                or last_period.get(sent_start) or fronted[sent_start][0])
            last_value[sent_start] = claim
            if claim.period:
                last_period[sent_start] = claim.period
            if last_condition[0] <= claim.token_start < last_condition[1] or words.is_threshold(claim, sent_start):
                continue  # "for contracts above $10 million": the amount is part of a condition
            span = words.condition(after, sent_end, by_start, words.is_purpose(claim, sent_start))
            if span is None and fronted[sent_start][1] and claim.token_start >= fronted[sent_start][1][1]:
                span = fronted[sent_start][1]
            if span is not None:
                claim.condition = doc[span[0]:span[1]].text
                last_condition = span
        return doc

    def _places(self, doc: Doc, lower: list[int], columns: numpy.ndarray) -> list[tuple[int, int, str]]:
        """Every place name in ``doc`` (overlapping ones too) as (start, end, code), sorted."""
        found = []
        n = len(lower)
        flags = columns[:, 2:_NAME_COLUMNS]
        for kind, codes, (one, first, second) in (("lower", self.codes_lower, flags[:, 0:3].T),
                                                   ("exact", self.codes_exact, flags[:, 3:6].T)):
            by_lower = kind == "lower"
            for i in numpy.flatnonzero(one).tolist():
                for code in codes[(lower[i] if by_lower else doc[i].orth,)]:
                    found.append((i, i + 1, code))
            lengths = self.name_lengths[kind]
            for i in numpy.flatnonzero(first[:-1] & second[1:]).tolist():
                for length in lengths.get(lower[i] if by_lower else doc[i].orth, ()):
                    end = i + length
                    if end <= n:
                        tokens = tuple(lower[i:end]) if by_lower else tuple(t.orth for t in Span(doc, i, end))
                        for code in codes.get(tokens, ()):
                            found.append((i, end, code))
        found.sort()
        return found

    def _qualify(self, doc: Doc, lower: list[int], claim: Claim, sent_start: int, sent_end: int) -> bool:
        """Set the claim's hedge; True when it stands before the value."""
        start = claim.token_start
        if claim.form == "fraction" and start > sent_start and lower[start - 1] in self.article:
            start -= 1  # "about a quarter of": the hedge sits before the article.
        # Most values have no hedge: look further only when the word before (or after)
        # can end (or start) one.
        if start > sent_start and lower[start - 1] in self.before_last:
            for size in (3, 2, 1):
                if start - size < sent_start:
                    continue
                words = tuple(lower[start - size:start])
                if words in self.before:
                    claim.qualifier = self.before[words]
                    claim.qualifier_text = Span(doc, start - size, start).text
                    return True
        end = claim.token_end
        if end + 2 <= sent_end and lower[end] in self.after_first:
            words = tuple(lower[end:end + 2])
            if words in self.after:
                claim.qualifier = self.after[words]
                claim.qualifier_text = Span(doc, end, end + 2).text
        return False

    def _skip_after_qualifier(self, doc: Doc, claim: Claim) -> int:
        end = claim.token_end
        if claim.qualifier_text and end + 2 <= len(doc) and Span(doc, end, end + 2).text == claim.qualifier_text:
            return end + 2
        return end




class _WordSets:
    """The word lists of the condition and period rules as hash sets (built once)."""

    def __init__(self, vocab):
        words = context_words()
        strings = vocab.strings

        def hashes(items) -> set[int]:
            return {strings.add(w) for w in items}

        # Inside a condition "and"/"or" may join words ("for supplies and services");
        # before one, and when a value follows them, they end it.
        self.and_or = hashes(("and", "or"))
        self.condition_stops = hashes(words["CONDITION_STOPS"])
        self.skip_stops = self.condition_stops | self.and_or
        self.purpose_verbs = hashes(words["PURPOSE_VERBS"])
        self.stops_before_names = hashes(words["CONDITION_STOPS_BEFORE_NAMES"])
        self.before_condition_stops = hashes(_BEFORE_CONDITION_STOPS)
        self.period_stops = hashes(_PERIOD_STOPS)
        self.sentence_parts = hashes((";", ":", "—"))
        self.openers = hashes(words["CONDITION_OPENERS"])
        self.threshold_openers = hashes(words["CONDITION_OPENERS_WITH_THRESHOLD"])
        self.threshold_nouns = hashes(words["THRESHOLD_NOUNS"])
        self.period_links = hashes(words["PERIOD_LINKS"])
        self.range_links = hashes(words["PERIOD_LINKS_RANGE_ONLY"])
        self.target_links = hashes(words["PERIOD_LINKS_TARGET"])
        self.trailing = self.period_links | self.range_links | self.target_links | hashes(["the"])
        self.the = strings.add("the")
        self.for_ = strings.add("for")
        # "Defence's 2022 budget set aside AUD 1.0 billion": a year naming a budget dates it.
        self.budget_nouns = hashes(("budget", "budgets"))
        self.from_ = strings.add("from")
        self.to = strings.add("to")
        self.of = strings.add("of")
        self.from_to = {self.from_, self.to}
        self.possessive_determiners = hashes(("its", "their", "his", "her", "our"))
        self.after_end = hashes(words["PERIOD_LINKS_AFTER_END"])
        self.in_ = strings.add("in")
        self.comma = strings.add(",")
        self.open_paren = strings.add("(")
        self.close_paren = strings.add(")")


class _Words:
    """Period and condition rules on one Doc, on arrays of lower-case hashes."""

    def __init__(self, doc: Doc, sets: _WordSets, places: list[tuple[int, int, str]], lower: list[int],
                 alpha: list[int], space: list[int], claims: list[Claim]):
        self.doc = doc
        self.s = sets
        self.place_end = {start: end for start, end, _ in places}
        self.by_end = {c.token_end: c for c in claims}
        self.thresholds: list[int] | None = None
        self.lower = lower
        self.alpha = alpha
        self.space = space

    # ------------------------------------------------------------------ periods

    def _before_hedge(self, claim: Claim) -> int:
        """The index of the word before the value and its hedge ("from about 2 percent")."""
        i = claim.token_start - 1
        if claim.qualifier_text and i >= 0 and self.lower[i] not in self.s.from_to:
            i -= len(claim.qualifier_text.split())
        return i

    def is_old_value(self, claim: Claim) -> bool:
        """"from 10 percent", "up from about 2 percent": the value a change started at
        (not a range: "ranged from 10 percent to 40 percent")."""
        if claim.low is not None:
            return False
        i = self._before_hedge(claim)
        return i >= 0 and self.lower[i] == self.s.from_

    def is_new_value_of(self, previous: Claim, claim: Claim) -> bool:
        """"to 5 percent from 10 percent": ``previous`` is the value a change went to."""
        i = self._before_hedge(previous)
        return i >= 0 and self.lower[i] == self.s.to and self._before_hedge(claim) - 1 < previous.token_end + 3

    def _linked_period(self, other: Claim, j: int, sent_start: int) -> str | None:
        """The period of ``other`` when the word before it links it to a value."""
        k = j - 1
        if k >= sent_start and self.lower[k] == self.s.the:
            k -= 1  # "in the 2011-2015 period"
        if k < sent_start:
            return None
        link = self.lower[k]
        if link == self.s.of and k - 1 >= sent_start and self.lower[k - 1] in self.s.after_end:
            link = self.s.in_  # "at the end of 2023"
        if other.kind == "period" and (link in self.s.period_links or link in self.s.range_links):
            return _period_value(other)
        if other.kind == "date" and _is_year_or_month(other) and (link in self.s.period_links or link in self.s.target_links):
            return _period_value(other)
        return None

    def period_after(self, i: int, sent_end: int, by_start: dict[int, Claim]) -> tuple[str | None, int]:
        """A period after a value: "(2011-2015)", "in 2024", "worth of cars to the United
        States in 2024", "between 2016 and 2020", "by 2030". Returns it and the index where
        a condition may start (after the period when the period follows at once)."""
        if i < sent_end and self.lower[i] == self.s.open_paren and i + 1 in by_start:
            other = by_start[i + 1]
            if other.kind in ("period", "date") and _is_year_like(other) and other.token_end < len(self.doc) \
                    and self.lower[other.token_end] == self.s.close_paren:
                return _period_value(other), other.token_end + 1
        j = i
        while j < sent_end and j - i <= _MAX_SKIP_BEFORE_PERIOD:
            other = by_start.get(j)
            if other is not None:
                if other.kind in ("money", "percent"):
                    break
                period = self._linked_period(other, j, i)
                if period is not None:
                    # A period right after the value ("$8 billion in 2024") comes
                    # before its condition; a later one does not move the condition.
                    return period, other.token_end if j - i <= 2 else i
                j = other.token_end
                continue
            if self.lower[j] in self.s.period_stops:
                break
            j += 1
        return None, i

    def period_before(self, claim: Claim, sent_start: int, by_start: dict[int, Claim]) -> str | None:
        """A period named before the value in its sentence: "obligations signed between
        2007 and 2020 totaled $12 billion", "spending in fiscal year 2024 was ¥7.9 trillion",
        "the budget for 2025 is …", "Defence's 2022 budget set aside AUD 1.0 billion". A bare
        year after "in" is left alone: it usually dates an event ("introduced in 1982")."""
        by_end = self.by_end
        j = claim.token_start - 1
        while j >= sent_start:
            other = by_end.get(j + 1)
            if other is None:
                if self.lower[j] in self.s.sentence_parts:
                    return None
                j -= 1
                continue
            if other.kind in ("money", "percent"):
                return None
            k = other.token_start - 1
            if k >= sent_start and self.lower[k] == self.s.the:
                k -= 1
            link = self.lower[k] if k >= sent_start else None
            if other.kind == "period" and link is not None and (link in self.s.period_links or link in self.s.range_links):
                return _period_value(other)
            if other.kind == "date" and _is_year(other) and link == self.s.for_:
                return _period_value(other)
            if other.kind == "date" and _is_year(other) and other.token_end < len(self.doc) \
                    and self.lower[other.token_end] in self.s.budget_nouns:
                return _period_value(other)
            j = other.token_start - 1
        return None

    def fronted_period(self, sent_start: int, sent_end: int, by_start: dict[int, Claim]) -> str | None:
        """"In 2024, …", "Between 2019 and 2023, …", "In the budget for FY2024-25, …": the
        period of every value in the sentence."""
        if sent_start >= sent_end or not (self.lower[sent_start] in self.s.period_links
                                          or self.lower[sent_start] in self.s.range_links):
            return None
        for j in range(sent_start + 1, min(sent_start + _MAX_FRONTED_PERIOD_TOKENS, sent_end)):
            other = by_start.get(j)
            if other is None:
                if self.lower[j] in self.s.period_stops:
                    return None
                continue
            if other.kind not in ("period", "date") or not (other.kind == "period" or _is_year_or_month(other)):
                return None
            period = self._linked_period(other, j, sent_start)
            if period is not None and other.token_end < sent_end and self.lower[other.token_end] == self.s.comma:
                return period
            return None
        return None

    # ------------------------------------------------------------------ conditions

    def is_threshold(self, claim: Claim, sent_start: int) -> bool:
        """"contracts above $10 million", "purchases exceeding $50 million": an amount that
        bounds what something applies to; a for-phrase after it is not its condition."""
        if claim.kind != "money" or claim.qualifier not in _THRESHOLD_QUALIFIERS:
            return False
        for k in range(claim.token_start - 1, max(claim.token_start - 5, sent_start - 1), -1):
            if self.lower[k] in self.s.threshold_nouns:
                return True
            if not self.alpha[k]:
                return False
        return False

    def condition(self, i: int, sent_end: int, by_start: dict[int, Claim], purpose: bool = False) -> tuple[int, int] | None:
        """The token span of a condition right after a value: "for non-competitive bids",
        "when a contract is awarded without competition", "for contracts above $10 million".

        It may follow a short phrase that the value measures ("a 15% margin of preference
        for domestic bidders", "100 percent of the contract value in Canada for …").
        """
        skipped = 0
        while i < sent_end and self.lower[i] not in self.s.openers:
            if i in by_start or skipped >= _MAX_SKIP_BEFORE_CONDITION:
                return None
            h = self.lower[i]
            if h in self.s.threshold_openers and self._holds_threshold(i, sent_end, by_start):
                break  # "60 percent on contracts above $10 million"
            if h == self.s.in_ and i + 1 in self.place_end:
                i = self.place_end[i + 1]  # "100 percent of the contract value in Canada for …"
                skipped += 2
                continue
            if h == self.s.in_ and self._proper_name_after(i + 1, sent_end) > i + 1:
                i = self._proper_name_after(i + 1, sent_end)  # "… of contract value in the Kingdom for …"
                skipped += 2
                continue
            if not self.alpha[i] or h in self.s.skip_stops or h in self.s.before_condition_stops:
                return None
            i += 1
            skipped += 1
        if i >= sent_end:
            return None
        span = self._phrase(i, sent_end, by_start)
        if span is not None:
            k = i + 2 if i + 1 < span[1] and self.lower[i + 1] == self.s.the else i + 1
            if self.place_end.get(k) == span[1]:
                return None  # "10 percent for Peru": the country is the subject, not a condition
            if purpose and self.lower[i] == self.s.for_:
                # "proposed NT$949.5 billion for defence", "added $8 billion for ammunition
                # production capacity if suppliers agreed …": what the money is for is no
                # condition; a when/if inside it is.
                inner = next((j for j in range(i + 1, span[1]) if self.lower[j] in self.s.openers
                              and self.lower[j] != self.s.for_), None)
                return self._phrase(inner, sent_end, by_start) if inner is not None else None
        return span

    def is_purpose(self, claim: Claim, sent_start: int) -> bool:
        """An amount spent, requested or worth something: "spent €90.6 billion", "a contract
        worth $6.5 billion"; a for-phrase after it says what for."""
        if claim.kind != "money":
            return False
        i = self._before_hedge(claim)
        return any(self.lower[k] in self.s.purpose_verbs for k in range(max(i - 2, sent_start), i + 1))

    def _proper_name_after(self, k: int, end: int, possessive: bool = False) -> int:
        """The index after a capitalised name at ``k`` ("the Kingdom", with ``possessive``
        also "their Industrial …"), else ``k``."""
        start = k
        if k < end and (self.lower[k] == self.s.the or (possessive and self.lower[k] in self.s.possessive_determiners)):
            k += 1
        j = k
        while j < end and self.alpha[j] and self.doc[j].text[:1].isupper():
            j += 1
        return j if j > k else start

    def _holds_threshold(self, i: int, sent_end: int, by_start: dict[int, Claim]) -> bool:
        if self.thresholds is None:  # after the hedges are known
            self.thresholds = sorted(c.token_start for c in by_start.values()
                                     if c.kind == "money" and c.qualifier in _THRESHOLD_QUALIFIERS)
        n = bisect_right(self.thresholds, i)
        if n == len(self.thresholds) or self.thresholds[n] > i + 2 * _MAX_CONDITION_TOKENS:
            return False  # no threshold amount near: most "of"/"to" after a value
        span = self._phrase(i, sent_end, by_start)
        if span is None or any(self.lower[j] in self.s.openers for j in range(*span)):
            return False  # "of the contract value … for procurements above …": the "for" opens it
        inside = (by_start.get(j) for j in range(span[0] + 1, span[1]))
        return any(c is not None and c.kind == "money" and c.qualifier in _THRESHOLD_QUALIFIERS for c in inside)

    def _phrase(self, i: int, end: int, by_start: dict[int, Claim]) -> tuple[int, int] | None:
        """From the opener at ``i`` to the end of its phrase; values inside are kept whole."""
        j = i + 1
        count = 0
        joined = None  # the last "and"/"or" inside the phrase
        while j < end and count < _MAX_CONDITION_TOKENS:
            other = by_start.get(j)
            if other is not None:
                if other.kind not in ("money", "percent"):
                    break  # a period or date: "for defence in 2026"
                if joined is not None:
                    j = joined  # "for local firms and 10% for joint ventures"
                    break
                j = other.token_end
                if other.qualifier_text and self.doc[j:j + 2].text == other.qualifier_text:
                    j += 2  # "of Rs 2,000 crore or more"
                count += 1
                continue
            h = self.lower[j]
            if h in self.s.condition_stops or self.space[j]:
                break
            if h in self.s.stops_before_names and self._proper_name_after(j + 1, end, possessive=True) > j + 1:
                break  # "for every major purchase through their Industrial … policy"
            if h in self.s.and_or:
                if j + 1 >= end or not self.alpha[j + 1] or self.doc[j + 1].text[:1].isupper():
                    break  # "and Korea …", "and 50% …"
                joined = j
            j += 1
            count += 1
        while j - 1 > i and self.lower[j - 1] in self.s.trailing:
            j -= 1
        if j - i < 2:
            return None
        return i, j

    def fronted_condition(self, sent_start: int, sent_end: int, by_start: dict[int, Claim]) -> tuple[int, int] | None:
        """"For contracts of more than $100 million, …", "When the tender exceeds …, …":
        a condition of the values after the comma."""
        if sent_start >= sent_end or self.lower[sent_start] not in self.s.openers:
            return None
        for j in range(sent_start + 1, min(sent_start + _MAX_FRONTED_TOKENS, sent_end)):
            other = by_start.get(j)
            if other is not None and other.kind in ("period", "date"):
                return None  # "For 2024, …" is a period
            if self.lower[j] == self.s.comma:
                return (sent_start, j) if j - sent_start >= 2 else None
            if self.lower[j] in self.s.skip_stops:
                return None
        return None


def _is_year(claim: Claim) -> bool:
    return isinstance(claim.value, str) and len(claim.value) == 4 and claim.value.isdigit()


def _is_year_or_month(claim: Claim) -> bool:
    """"2024", or a month written with its year ("July 2024"); not a day, not "in March"."""
    value = claim.value
    if _is_year(claim):
        return True
    return isinstance(value, str) and len(value) == 7 and value[4] == "-" and value[:4] in claim.text


def _is_year_like(claim: Claim) -> bool:
    return claim.kind == "period" or _is_year(claim)


def _period_value(claim: Claim) -> str | None:
    if claim.kind == "period":
        return claim.value if claim.low == claim.high else f"{claim.low}/{claim.high}"
    return claim.value
