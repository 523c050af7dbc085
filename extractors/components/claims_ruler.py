"""``tradeclaims_claims_ruler_v1``: find money, rates, dates and periods; normalize them.

The patterns are data (``extractors/patterns/claims.jsonl``, one id each); this
module runs them with spaCy's ``Matcher``, keeps the longest of overlapping
matches, drops the look-alikes that patterns alone cannot tell apart (years that
are identifiers or counts, "half of 2024"), and normalizes each match with
:mod:`extractors.normalize`. Results go to ``doc._.claims`` (a list of
:class:`~extractors.claim.Claim`) in text order.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from extractors import normalize as norm
from extractors.claim import Claim
from extractors.dates import as_date
from extractors.lexicon import expand, words
from extractors.word_classes import MEMBER, WordClasses
from extractors.word_table import WordRows, word_rows

if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)
if not Doc.has_extension("doc_date"):
    Doc.set_extension("doc_date", default=None)

KIND_OF_LABEL = {"MONEY": "money", "PERCENT": "percent", "DATE": "date", "PERIOD": "period"}
_RANGE_MARKERS = {"between", "from"}
# How many tokens a repeated pattern token ("*", "+": scale words, number words) is
# counted as when a match's reach around its anchor is computed.
_REPEAT = 3
# Leading words of a "context_before" rule that are not part of the claim's text.
_CONTEXT_WORDS = {
    "by", "in", "since", "until", "through", "during", "last", "early", "late", "mid", "mid-", "from",
    "before", "after", "about", "around", "roughly", "nearly", "almost", "more", "less", "than", "over",
    "under", "some", "just", "at", "least", "most", "a", "on", "the",
}
_DASHES = ("-", "–", "—")
# Normalized values remembered by ClaimsRuler._normalize before the memory starts over.
_MAX_REMEMBERED_VALUES = 50_000
_ORDINAL_WORDS = {"first", "second", "third", "fourth", "last", "latter", "final", "1st", "2nd", "3rd", "4th"}


def load_patterns(path: str | Path | None = None) -> list[dict]:
    """Read pattern records (``id``, ``label``, ``pattern``) from a JSONL file.

    Args:
        path: a JSONL file; the packaged ``patterns/claims.jsonl`` when None.
    Returns:
        the records as written: rules (``id``, ``label``, ``pattern``, optional
        ``context_before``, ``reject_if``, ``drop_last``, ``split_on``, ``form``: what the
        value is, for later components, e.g. ``fraction``) and ``define`` records (a
        named sub-rule with ``patterns``) that rules use as ``{"RULE": NAME}``.
    """
    if path is None:
        text = resources.files("extractors").joinpath("patterns/claims.jsonl").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        missing = {"define", "patterns"} - record.keys() if "define" in record else {"id", "label", "pattern"} - record.keys()
        if missing:
            raise ValueError(f"{path or 'claims.jsonl'} line {number}: missing {sorted(missing)}")
        records.append(record)
    return records


@Language.factory("tradeclaims_claims_ruler_v1", default_config={"patterns_path": None})
def make_claims_ruler(nlp: Language, name: str, patterns_path: str | None) -> "ClaimsRuler":
    """Build the ruler from the packaged patterns, or from ``patterns_path``."""
    return ClaimsRuler(nlp, load_patterns(patterns_path))


class PatternCompiler:
    """Compile pattern records into Matcher patterns.

    - Word lists (``{"LOWER"|"ORTH"|"TEXT"|"SHAPE": {"IN"|"NOT_IN": "@NAME" or [...]}}``)
      become exact comparisons on a class attribute (:mod:`extractors.word_classes`),
      which the Matcher checks in C; there is no ceiling on their number.
    - ``{"RULE": "NAME"}`` stands for the token sequences of a ``define`` record
      (Duckling style: money consumes the amount rule instead of re-listing numbers).
      A rule with several alternatives expands a pattern into one per alternative.
    """

    def __init__(self, vocab, definitions: dict[str, list[list[dict]]] | None = None, rows: WordRows | None = None):
        self.classes = WordClasses(vocab, rows)
        self.definitions = definitions or {}
        self.preference = words("ANCHOR_PREFERENCE")

    def _token(self, spec: dict) -> tuple[dict, Anchor | None, bool]:
        """One compiled token spec; the words it accepts when they are a finite list
        (``{"LOWER": {"IN": "@SCALE"}}``, ``{"ORTH": "("}``): what it can anchor; and
        whether every token it accepts is in a list or is a word a pattern names (a
        :data:`~extractors.word_classes.MEMBER`), which ``{"IS_ALPHA": true}`` is not."""
        out: dict = {}
        anchor = None
        member = False
        title = spec.get("IS_TITLE") is True
        for attr, value in spec.items():
            domain = "ORTH" if attr == "TEXT" else attr
            if attr in ("LOWER", "ORTH", "TEXT", "SHAPE") and isinstance(value, dict) and set(value) in ({"IN"}, {"NOT_IN"}):
                (op, names), = value.items()
                members = expand(names)
                word_list = self.classes.add(domain, members, names[1:] if isinstance(names, str) else None)
                out.update(self.classes.spec(word_list, op))
                if op == "IN":
                    member = True
                    if domain != "SHAPE":
                        anchor = Anchor(domain, frozenset(members), names[1:] if isinstance(names, str) else None, title)
            else:
                out[attr] = expand(value)
                if domain in ("ORTH", "LOWER", "SHAPE") and isinstance(value, str):
                    self.classes.add_literal(domain, value)
                    member = True
                    if domain != "SHAPE":
                        anchor = Anchor(domain, frozenset([value]), None, title)
        return out, anchor, member

    def _anchor(self, alternative: list[dict], anchors: list[Anchor | None]) -> tuple[Anchor, int, int]:
        """The token a match of this pattern must contain, chosen to be rare: the first
        required token whose list ``ANCHOR_PREFERENCE`` names (in that order), else the
        first required token with a finite list of words. With the most tokens a match
        may have before and after it (a repeated token counted ``_REPEAT`` times)."""
        required = [i for i, (spec, anchor) in enumerate(zip(alternative, anchors))
                    if anchor is not None and spec.get("OP") in (None, "+")]
        if not required:
            raise ValueError(f"claim patterns: {alternative} has no required token with a list of words; "
                             f"it would be tried at every token")
        rank = {name: n for n, name in enumerate(self.preference)}

        def preference(i: int) -> tuple[int, int]:
            anchor = anchors[i]
            key = anchor.name if anchor.name is not None or len(anchor.words) != 1 else next(iter(anchor.words))
            return rank.get(key, len(rank)), i

        best = min(required, key=preference)
        widths = [_REPEAT if spec.get("OP") in ("*", "+") else 1 for spec in alternative]
        return anchors[best], sum(widths[:best]), sum(widths[best + 1:])

    def _expand(self, pattern: list[dict], seen: tuple[str, ...] = ()) -> list[list[dict]]:
        """The pattern with every ``RULE`` token replaced, one list per alternative."""
        results: list[list[dict]] = [[]]
        for spec in pattern:
            if "RULE" in spec:
                name = spec["RULE"]
                if name not in self.definitions:
                    raise ValueError(f"claim patterns: RULE {name!r} is not defined (define records: "
                                     f"{sorted(self.definitions)})")
                if name in seen:
                    raise ValueError(f"claim patterns: RULE {name!r} refers to itself")
                alternatives = [alt for body in self.definitions[name] for alt in self._expand(body, seen + (name,))]
                if spec.get("OP") == "?":
                    alternatives.append([])
                results = [done + alt for done in results for alt in alternatives]
            else:
                results = [done + [spec] for done in results]
        return results

    def compile(self, pattern: list[dict]) -> list[tuple[list[dict], Anchor, int, int, bool, frozenset]]:
        """Matcher patterns for one record, each with its anchor, how far a match may
        reach before and after it (:meth:`_anchor`), whether every token of a match
        is a :data:`~extractors.word_classes.MEMBER`, and the words every match holds:
        the lists (as :class:`Anchor`) of its required tokens that have one."""
        compiled = []
        for alternative in self._expand(pattern):
            tokens = [self._token(spec) for spec in alternative]
            anchor, before, after = self._anchor(alternative, [a for _, a, _ in tokens])
            required = frozenset(a for (_, a, _), spec in zip(tokens, alternative)
                                 if a is not None and spec.get("OP") in (None, "+"))
            compiled.append(([t for t, _, _ in tokens], anchor, before, after, all(m for _, _, m in tokens),
                             required))
        return compiled


def _sharing_words(anchors: list[Anchor]) -> list[list[Anchor]]:
    """The anchors in groups that share no word (case aside) with another group."""
    groups: list[tuple[set[str], list[Anchor]]] = []
    for anchor in anchors:
        words = {w.lower() for w in anchor.words}
        joined = [g for g in groups if not g[0].isdisjoint(words)]
        for g in joined:
            groups.remove(g)
            words |= g[0]
        groups.append((words, [a for g in joined for a in g[1]] + [anchor]))
    return [members for _, members in groups]


@dataclass(frozen=True)
class Anchor:
    """Words one token of a pattern accepts, compared as written (``ORTH``) or lower-cased."""

    domain: str
    words: frozenset[str]
    name: str | None  # the lexicon list's name, if any
    title: bool = False  # the token must be written in title case too ("May", not "may")


class ClaimsRuler:
    """Match claim patterns and normalize each kept match into a :class:`Claim`."""

    def __init__(self, nlp: Language, patterns: list[dict]):
        # Each pattern runs only on windows around its anchor's tokens (see
        # PatternCompiler._anchor and _candidate_regions): the Matcher costs about a
        # microsecond per token it is given, so the patterns anchored on a currency
        # sign should meet only the few tokens around "$", those anchored on "percent"
        # only those around "percent". Anchors that share words ("$" is a prefix and a
        # symbol written after the amount) share one Matcher, so that a token is given
        # to as few Matchers as possible.
        # validate=False: the schema check rejects the NOT_IN on ENT_ID-like slots.
        patterns_of: dict[Anchor, list[tuple[str, list[dict], frozenset]]] = {}
        # anchor → (tokens before, tokens after) a match may reach
        self.reach: dict[Anchor, tuple[int, int]] = {}
        # Anchors whose matches hold only MEMBER tokens: their windows end at the first
        # token that is not one, which in prose is usually right after the claim.
        self.members_only: dict[Anchor, bool] = {}
        definitions = {r["define"]: r["patterns"] for r in patterns if "define" in r}
        compiler = PatternCompiler(nlp.vocab, definitions, word_rows(nlp))
        self.classes = compiler.classes
        self.label_of: dict[str, str] = {}
        self.order_of: dict[str, int] = {}
        # Rules whose leading tokens are context, not part of the claim ("in February",
        # "by about half"): their spans start at the last token.
        self.context_before: set[str] = set()
        self.filters_of: dict[str, list] = {}
        self.drop_last: dict[str, set[str]] = {}
        # Rules whose span holds two amounts that share the last one's currency
        # ("280 million of the 1.5 billion shekels"): the words that part them.
        self.split_on: dict[str, set[str]] = {}
        self.form_of: dict[str, str | None] = {}
        for record in patterns:
            if "define" in record:
                continue
            rule = record["id"]
            label = record["label"]
            if label not in KIND_OF_LABEL:
                raise ValueError(f"claim pattern {rule}: label {label!r} is not one of {sorted(KIND_OF_LABEL)}")
            for pattern, anchor, before, after, members, required in compiler.compile(record["pattern"]):
                patterns_of.setdefault(anchor, []).append((rule, pattern, required))
                old = self.reach.get(anchor, (0, 0))
                self.reach[anchor] = (max(old[0], before), max(old[1], after))
                self.members_only[anchor] = self.members_only.get(anchor, True) and members
            self.label_of[rule] = label
            self.order_of[rule] = len(self.order_of)
            if record.get("context_before"):
                self.context_before.add(rule)
            self.filters_of[rule] = [self._filter(rule, name) for name in record.get("reject_if", [])]
            self.drop_last[rule] = set(record.get("drop_last", []))
            self.form_of[rule] = record.get("form")
            if record.get("split_on"):
                self.split_on[rule] = set(record["split_on"])
        self.year_blockers = set(words("YEAR_BLOCKERS_BEFORE"))
        self.count_nouns = set(words("COUNT_NOUNS"))
        self.law_words = set(words("LAW_WORDS"))
        self.change_verbs = set(words("CHANGE_VERB"))
        self.number_words = set(words("NUMWORD")) - {"a", "an"}
        self.scales = set(words("SCALE"))
        self.weight_words = set(words("WEIGHT_WORDS"))
        self.fraction_of_people = set(words("FRACTION_OF_PEOPLE"))
        self.ordinal_nouns = set(words("ORDINAL_NOUNS"))
        self.minor_units = set(words("CUR_MINOR"))
        self._values: dict[tuple, norm.Value | None] = {}  # see _normalize
        self.vocab = nlp.vocab
        self.groups: list[list[Anchor]] = []
        for anchors in _sharing_words(list(patterns_of)):
            self.groups.append(anchors)
        # Every list a pattern requires a token of is a trigger (a bit per token), anchors
        # first: a window is matched only with the patterns whose required words it all
        # holds ("in 2024" needs none of the 18 other year patterns: months, "between",
        # "fiscal", a dash), by a Matcher of those patterns, built on first use.
        required_lists = [a for anchors in self.groups for a in anchors]
        for anchors in self.groups:
            for anchor in anchors:
                required_lists += [a for _, _, required in patterns_of[anchor] for a in required]
        bit_of: dict[Anchor, int] = {}
        for anchor in required_lists:
            if anchor not in bit_of:
                bit_of[anchor] = len(bit_of)
                self.classes.add_trigger(anchor, anchor.domain, anchor.words, anchor.title)
        self._trigger_bits = bit_of
        # Per group: (rule, pattern, the trigger bits every match holds)
        self.group_patterns: list[list[tuple[str, list[dict], int]]] = [
            [(rule, pattern, sum(1 << bit_of[a] for a in required))
             for anchor in anchors for rule, pattern, required in patterns_of[anchor]]
            for anchors in self.groups]
        self._selection: dict[tuple[int, int], tuple[int, ...]] = {}  # (group, bits a window holds) → patterns
        self._matchers: dict[tuple[int, tuple[int, ...]], Matcher] = {}
        self._rule_names: dict[int, str] = {}  # match id → rule id

    def _filter(self, rule: str, name: str):
        """The look-alike test a record names in ``reject_if`` (``false_year`` → :meth:`_is_false_year`)."""
        test = getattr(self, f"_is_{name}", None)
        if test is None:
            raise ValueError(f"claim pattern {rule}: reject_if names {name!r}, not a known filter "
                             f"({sorted(n[4:] for n in dir(self) if n.startswith('_is_'))})")
        return test

    def _matcher(self, group: int, present: int) -> Matcher | None:
        """The Matcher of the group's patterns whose required words the trigger bits
        ``present`` all hold (None when there is none)."""
        selection = self._selection.get((group, present))
        if selection is None:
            selection = self._selection[(group, present)] = tuple(
                i for i, (_, _, needs) in enumerate(self.group_patterns[group]) if needs & present == needs)
        if not selection:
            return None
        matcher = self._matchers.get((group, selection))
        if matcher is None:
            matcher = self._matchers[(group, selection)] = Matcher(self.vocab, validate=False)
            patterns = self.group_patterns[group]
            for i in selection:
                matcher.add(patterns[i][0], [patterns[i][1]])
        return matcher

    def _candidate_regions(self, anchors: list[Anchor], triggers: dict, outsiders: numpy.ndarray,
                           n: int, padded: numpy.ndarray) -> list[tuple[int, int, int]]:
        """Token ranges worth matching for the patterns of some anchors: windows around their
        tokens, each with the trigger bits of its tokens (ORed; ``padded``: the Doc's trigger
        bits and a row of zeros).

        Every match of an anchor's patterns contains the anchor token and reaches at
        most so many tokens before and after it, and when they hold only MEMBER
        tokens, not past a token that is none (``outsiders``: their indexes, sorted).
        Matching only those windows finds the same claims while the Matcher, the
        costly part of the pipeline, skips the prose between them.
        """
        starts, ends = [], []
        for anchor in anchors:
            positions = triggers.positions(anchor)
            if not len(positions):
                continue
            before, after = self.reach[anchor]
            start = numpy.maximum(positions - before, 0)
            end = numpy.minimum(positions + after + 1, n)
            if self.members_only[anchor] and len(outsiders):
                k = numpy.searchsorted(outsiders, positions)
                previous = numpy.where(k > 0, outsiders[numpy.maximum(k - 1, 0)] + 1, 0)
                following = numpy.where(k < len(outsiders), outsiders[numpy.minimum(k, len(outsiders) - 1)], n)
                start = numpy.maximum(start, previous)
                end = numpy.minimum(end, following)
            starts.append(start)
            ends.append(end)
        if not starts:
            return []
        start, end = numpy.concatenate(starts), numpy.concatenate(ends)
        if len(starts) > 1:
            order = numpy.argsort(start, kind="stable")
            start, end = start[order], end[order]
        end = numpy.maximum.accumulate(end)
        # Overlapping windows are joined: a new one where a window starts after every earlier one ended.
        first = numpy.flatnonzero(numpy.concatenate(([True], start[1:] > end[:-1])))
        last = numpy.concatenate((first[1:] - 1, [len(start) - 1]))
        start, end = start[first], end[last]
        # The OR of each window's bits: reduceat over [start, end), [end, next start), … ; every other one.
        edges = numpy.column_stack([start, end]).ravel()
        words = [numpy.bitwise_or.reduceat(padded[:, k], edges)[::2].tolist() for k in range(padded.shape[1])]
        present = words[0] if len(words) == 1 else [sum(w << (64 * k) for k, w in enumerate(ws)) for ws in zip(*words)]
        return list(zip(start.tolist(), end.tolist(), present))

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.claims`` and return ``doc``."""
        doc_date = as_date(doc._.doc_date)
        # (start - end, start, the rule's order, end, rule): sorted, the longest first (see _longest)
        matches: set[tuple[int, int, int, int, str]] = set()
        order, rule_names = self.order_of, self._rule_names
        triggers = self.classes.annotate(doc)
        outsiders = numpy.flatnonzero(~triggers.column(MEMBER))
        padded = numpy.concatenate([triggers.bits, numpy.zeros((1, triggers.bits.shape[1]), triggers.bits.dtype)])
        for group, anchors in enumerate(self.groups):
            for region_start, region_end, present in self._candidate_regions(anchors, triggers, outsiders, len(doc),
                                                                             padded):
                matcher = self._matcher(group, present)
                if matcher is None:
                    continue
                # Span(), not doc[a:b]: slicing a Doc runs spaCy's Python slice checks first.
                for match_id, start, end in matcher(Span(doc, region_start, region_end), allow_missing=True):
                    rule = rule_names.get(match_id)
                    if rule is None:
                        rule = rule_names[match_id] = doc.vocab.strings[match_id]
                    start += region_start
                    if rule in self.context_before:
                        while start < region_start + end - 1 and doc[start].lower_ in _CONTEXT_WORDS:
                            start += 1
                    end += region_start
                    matches.add((start - end, start, order[rule], end, rule))
        self.classes.clear(doc)
        claims: list[Claim] = []
        if matches:
            # The caller may hand over the text it tokenized (Doc.text is rebuilt on each access).
            source = doc.user_data.get("text")
            for start, end, rule in self._longest(doc, matches):
                claims.extend(self._to_claims(doc, source, start, end, rule, doc_date))
        doc._.claims = claims
        return doc

    def _longest(self, doc: Doc, matches: set[tuple[int, int, int, int, str]]) -> list[tuple[int, int, str]]:
        """The longest matches that do not overlap (as spaCy's ``filter_spans``), skipping
        look-alikes on the way, so that a rejected long match ("50 -1.3%" read as a range)
        leaves room for a shorter one ("-1.3%"). Filters run only on would-be winners."""
        seen: set[int] = set()
        kept: list[tuple[int, int, str]] = []
        # Longest first, then leftmost, and of equal spans the rule written first in the
        # patterns, whatever the set's order (no two matches share length, start and rule).
        for _, start, _, end, rule in sorted(matches):
            if start in seen or end - 1 in seen:
                continue
            filters = self.filters_of[rule]
            if filters:
                span = self._trim(Span(doc, start, end, label=self.label_of[rule], span_id=rule))
                if any(test(span) for test in filters):
                    continue
            seen.update(range(start, end))
            kept.append((start, end, rule))
        kept.sort()
        return kept

    # -- look-alikes -----------------------------------------------------------------
    def _is_false_year(self, span: Span) -> bool:
        doc = span.doc
        prev = doc[span.start - 1] if span.start > 0 else None
        nxt = doc[span.end] if span.end < len(doc) else None
        if prev is not None:
            if prev.lower_ in self.year_blockers:
                return True
            if prev.text in ("/", "-", "–", ".", ":", "#", "+", "(") and span.start > 1:
                before = doc[span.start - 2]
                if before.is_digit or before.text in ("(",) or prev.text in ("/", "#", "+", ":") or (
                        before.like_num and before.text[:1].isdigit()):
                    return True
                if prev.text == "." and before.lower_ in self.year_blockers:
                    return True  # "Law No. 2019-23": the tokenizer cut "No." before the number
            if prev.text in ("$", "€", "£", "¥", "₩", "₹") or prev.like_num:
                return True
            if prev.lower_ in ("of", ",") and span.start >= 2 and doc[span.start - 2].lower_ in self.law_words:
                return True  # "the Trade Expansion Act of 1962", "Customs Act, 1962": a name
            if prev.lower_ in self.law_words and prev.text[:1].isupper():
                return True  # "the Procurement Act 2023", "Defence Acquisition Procedure 2020": a name
            if prev.lower_ == "of" and span.start >= 3 and doc[span.start - 2].like_num and any(
                    tok.lower_ in self.year_blockers for tok in doc[max(span.start - 5, 0):span.start - 2]):
                return True  # "Law No. 16 of 2012": the year belongs to the identifier
        if nxt is not None:
            if nxt.text in ("/", "%", ":") or nxt.lower_ in self.count_nouns:
                return True
            if nxt.text in ("-", ".") and span.end + 1 < len(doc) and doc[span.end + 1].is_digit and not nxt.whitespace_:
                return True
        return _glued_to_identifier(span)

    def _is_weight_pounds(self, span: Span) -> bool:
        """ "208 pounds" of body weight: pounds without a scale word in a sentence about weight."""
        lower = [t.lower_ for t in span]
        if not {"pounds", "pound"} & set(lower) or any(w in self.scales for w in lower) or "£" in lower:
            return False
        doc = span.doc
        if span.end < len(doc) and doc[span.end].lower_ == "of" and span.end + 1 < len(doc) and doc[span.end + 1].is_alpha:
            return True  # "500 pounds of beef"
        return any(t.lower_ in self.weight_words for t in doc[span.sent.start:span.sent.end])

    def _is_exchange_rate(self, span: Span) -> bool:
        """ "($1 = 3.9947 zlotys)": a conversion note, not an amount anyone spent or earned."""
        doc = span.doc
        return (span.end < len(doc) and doc[span.end].text == "=") or (span.start > 0 and doc[span.start - 1].text == "=")

    def _is_loose_sign(self, span: Span) -> bool:
        """A sign is part of the value only when written against it after a space ("FTSE -0.6%")."""
        sign = span[0]
        return bool(sign.whitespace_) or (span.start > 0 and not span.doc[span.start - 1].whitespace_)

    def _is_signed_end(self, span: Span) -> bool:
        """ "Stoxx 50 -1.3%": a dash after a space and against the next number is its sign, not a range."""
        doc = span.doc
        return any(t.text in _DASHES and not t.whitespace_ and t.i > span.start and doc[t.i - 1].whitespace_
                   for t in span[1:-1])

    def _is_change_amount(self, span: Span) -> bool:
        """ "grew by 2 to $7 billion", "rose 5 to $7": right after "by" or a change verb the
        first number is the size of the change, not a range's end."""
        if span.start == 0:
            return False
        before = span.doc[span.start - 1].lower_
        return before == "by" or before in self.change_verbs

    def _is_currency_of_next(self, span: Span) -> bool:
        """ "3 USD50 cards": a code written against the next number belongs to that number."""
        doc = span.doc
        return not span[-1].whitespace_ and span.end < len(doc) and doc[span.end].like_num

    def _is_symbol_of_next(self, span: Span) -> bool:
        """ "10 $ 30": the symbol after 10 is the prefix of the next amount."""
        doc = span.doc
        return span.end < len(doc) and doc[span.end].like_num

    def _is_fraction_of_people(self, span: Span) -> bool:
        """ "a third of those screened", "half of which": a share of people or of counted things."""
        doc = span.doc
        return any(t.lower_ in self.fraction_of_people for t in doc[span.end:min(span.end + 3, len(doc))])

    def _is_ordinal_noun(self, span: Span) -> bool:
        """ "on the 21st floor", "the 21st century": an ordinal of something else than a day."""
        doc = span.doc
        return span.end < len(doc) and doc[span.end].lower_ in self.ordinal_nouns

    def _is_loose_minor(self, span: Span) -> bool:
        """ "15 dollars 50" counts as 15.50 only at a clause end or with "cents" written."""
        doc = span.doc
        if span[-1].lower_ in self.minor_units:
            return False
        return span.end < len(doc) and not (doc[span.end].is_punct or doc[span.end].is_space)

    def _is_false_fraction(self, span: Span) -> bool:
        if self._is_fraction_of_people(span):
            return True
        doc = span.doc
        prev = doc[span.start - 1] if span.start > 0 else None
        after_of = doc[span.end] if span.end < len(doc) else None
        first = span[0].lower_
        if prev is not None and prev.lower_ in _ORDINAL_WORDS:
            return True  # "the first half of 2024"
        if span[-1].lower_ == "of" and after_of is not None and (
                after_of.text.isdigit() or after_of.lower_ in ("the", "this", "last", "next")):
            nxt2 = doc[span.end + 1] if span.end + 1 < len(doc) else None
            if after_of.text.isdigit() or (nxt2 is not None and nxt2.lower_ in ("year", "decade", "century", "month", "quarter")):
                return True
        if first in ("quarter", "third", "fifth", "tenth") and (prev is None or prev.lower_ not in ("a", "one")):
            return True  # "the third of", "quarter of 2025"
        return False

    def _reports_change(self, span: Span) -> bool:
        """Whether "from X to Y" reports a change ("fell from $8bn to $6bn"), not a range."""
        doc = span.doc
        start = span.start
        if start > 0 and doc[start - 1].lower_ == "from":
            start -= 1
        elif span[0].lower_ != "from":
            return False
        # Any change verb before "from" in the sentence: "cut the duty on cars from 50% to 30%".
        window = doc[span.sent.start:start]
        return any(tok.lower_ in self.change_verbs for tok in window)

    # -- normalization ---------------------------------------------------------------
    def _trim(self, span: Span) -> Span:
        if span[0].lower_ in _RANGE_MARKERS and len(span) > 1:
            span = span[1:]  # "between", "from": they mark a range, the text is its ends
        if span[0].lower_ in ("a", "an") and len(span) > 1 and span[1].lower_ in self.number_words:
            span = span[1:]  # "a five percent preference": the article is not part of the number.
        return span

    def _to_claims(self, doc: Doc, source: str | None, start: int, end: int, rule: str,
                   doc_date: dt.date | None) -> list[Claim]:
        """The claims of the match ``doc[start:end]`` of ``rule`` (none, one, or two for a change)."""
        kind = KIND_OF_LABEL[self.label_of[rule]]
        tokens = list(Span(doc, start, end))
        texts = [t.text for t in tokens]
        # As _trim, on the token texts (LOWER is str.lower): no Span per step.
        first, last = 0, len(texts)
        if last - first > 1 and texts[first].lower() in _RANGE_MARKERS:
            first += 1
        if last - first > 1 and texts[first].lower() in ("a", "an") and texts[first + 1].lower() in self.number_words:
            first += 1
        if last - first > 1 and texts[last - 1].lower() in self.drop_last[rule]:
            last -= 1  # "half of": "of" only marks the rate.
        start, end, texts = start + first, start + last, texts[first:last]
        if rule in self.split_on:
            return self._to_claims_shared_unit(Span(doc, start, end), rule, kind)
        value = self._normalize(kind, texts, doc_date)
        if kind in ("money", "percent"):
            cut = _connector_index(texts)
            descends = value is not None and value.is_range and value.low > value.high
            if cut is not None and (descends or self._reports_change(Span(doc, start, end))):
                # Two values of a change ("fell from 50% to 30%"), not a range: each side alone.
                return self._to_claims_parts(Span(doc, start, end), cut, rule, kind, doc_date)
        if value is None:
            return []
        start_char, end_char = tokens[first].idx, tokens[last - 1].idx + len(texts[-1])
        text = source[start_char:end_char] if source is not None else doc.text[start_char:end_char]
        return [_claim_at(text, start_char, end_char, start, end, rule, kind, value, self.form_of[rule])]

    def _normalize(self, kind: str, texts: list[str], doc_date: dt.date | None) -> norm.Value | None:
        """:func:`_normalize`, remembered per token texts (and document date): a document
        repeats its years and amounts. The values are never changed after they are made."""
        key = (kind, doc_date, *texts)
        if key in self._values:
            return self._values[key]
        if len(self._values) >= _MAX_REMEMBERED_VALUES:
            self._values.clear()
        value = self._values[key] = _normalize(kind, texts, doc_date)
        return value

    def _to_claims_shared_unit(self, span: Span, rule: str, kind: str) -> list[Claim]:
        cut = next(i for i, t in enumerate(span) if t.lower_ in self.split_on[rule])
        unit = norm.currency_of([t.text for t in span])
        last = next(i for i in range(len(span) - 1, cut, -1) if span[i].like_num)  # "the 1.5 billion shekels"
        while last > cut + 1 and span[last - 1].like_num:
            last -= 1
        claims = []
        for part in (span[:cut], span[last:]):
            value = norm.normalize_money([t.text for t in part], unit=unit)
            if value is not None:
                claims.append(_claim(part, rule, kind, value, self.form_of[rule]))
        return claims

    def _to_claims_parts(self, span, cut, rule, kind, doc_date) -> list[Claim]:
        parts = (span[:cut], span[cut + 1:])
        if kind == "money":
            # "from $8 to $6 billion", "from 5 to 7 billion dollars": the currency and the
            # scale written once belong to both ends of the change.
            values = norm.normalize_money_change([t.text for t in parts[0]], [t.text for t in parts[1]])
        else:
            values = [_normalize(kind, [t.text for t in part], doc_date) for part in parts]
        return [_claim(part, rule, kind, value, self.form_of[rule])
                for part, value in zip(parts, values) if value is not None and not value.is_range]


_CONNECTORS = {"to", "through", "until", "and", "-", "–", "—"}


def _connector_index(tokens: list[str]) -> int | None:
    """Index of the word joining the two ends of a range ("to", "and", a dash), if any."""
    for i, tok in enumerate(tokens):
        if i > 0 and tok.lower() in _CONNECTORS:
            return i
    return None


def _normalize(kind: str, tokens: list[str], doc_date: dt.date | None) -> norm.Value | None:
    if kind == "money":
        return norm.normalize_money(tokens)
    if kind == "percent":
        return norm.normalize_percent(tokens)
    if kind == "date":
        return norm.normalize_date(tokens, doc_date)
    return norm.normalize_period(tokens)


def _claim_at(text: str, start_char: int, end_char: int, start: int, end: int, rule: str, kind: str,
              value: norm.Value, form: str | None) -> Claim:
    return Claim(
        kind=kind,
        text=text,
        start=start_char,
        end=end_char,
        rule=rule,
        value=value.value,
        low=value.low,
        high=value.high,
        unit=value.unit,
        qualifier="range" if value.is_range else "exact",
        token_start=start,
        token_end=end,
        form=form,
    )


def _claim(span: Span, rule: str, kind: str, value: norm.Value, form: str | None = None) -> Claim:
    # Slice the tokenized text rather than Span.text, which builds a Token per token.
    source = span.doc.user_data.get("text")
    text = source[span.start_char:span.end_char] if source is not None else span.text
    return _claim_at(text, span.start_char, span.end_char, span.start, span.end, rule, kind, value, form)


def _glued_to_identifier(span: Span) -> bool:
    """A year joined by a dash, without spaces, to capitals or digits: ``2019–NM–035–AD``,
    ``FAA–2020–0686``, ``2020–17221`` are document numbers, not years."""
    doc = span.doc
    year = span[-1]
    if span.end + 1 < len(doc) and doc[span.end].text in _DASHES and not year.whitespace_ \
            and not doc[span.end].whitespace_:
        after = doc[span.end + 1]
        if after.text[:1].isdigit() or after.text[:2].isupper():
            return True
    if span.start >= 2 and doc[span.start - 1].text in _DASHES and not doc[span.start - 1].whitespace_ \
            and not doc[span.start - 2].whitespace_:
        before = doc[span.start - 2]
        if before.text[-1:].isdigit() or before.text[-2:].isupper():
            return True
    return False
