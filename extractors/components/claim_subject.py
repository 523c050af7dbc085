"""Which country or organisation a claim is about: the ``subject`` field.

A blank spaCy pipeline has no parser, so the grammar that decides which country
governs a value is approximated with word lists (``data/context_words.json``):

1. A country named right after the value: "19 percent **in Germany**", "30% for Korea".
2. Else a country named before the value in its own clause. Clauses end at
   contrasts and comparisons ("while", "whereas", "but", "compared with", "higher
   than", ";", ":"), so that "many European countries require close to 100%
   offsets, while the rate in South Korea stands at 30%" gives Korea only the 30%.
   Among those countries: the U.S. is left out when another country is named (in
   USTR reports and trade news "U.S. exports to Korea" are about Korea); a country
   after a preposition ("imports **from** the United States", "under the WTO",
   "unlike Poland") gives way to one that is not; then the first wins ("France
   overtook Russia … with an 11% share"), unless a later one opens a coordinated
   clause (", and Finland asks for 100 percent") or owns the value ("Japan's 2.5
   percent"); of "Spain and Italy" the first. A clause ", where …" is about the
   place named before it.
3. A value whose clause names a group instead ("many countries", "most NATO
   members", "European states", "across many developing countries", "a number of European
   governments") is about no one country: its subject is
   :data:`NO_SUBJECT`, which neither the report chapter nor the document fills in.
4. Else the first country named after the value in its clause (before the next
   value): "the 17% imposed on Israel".
5. Else the subject of an earlier clause of the sentence, else that of the earlier
   sentences of the paragraph when they all name the same one ("Taiwan proposed …
   The island spent 2.45% of GDP"). A sentence that names the U.S. only as a modifier
   ("U.S. defense firms report …") passes nothing on: in USTR's texts it is about the
   chapter's country.

What is still left open then is filled later from the report chapter or the
document (``extractors.extraction``).
"""
from __future__ import annotations

import json
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy
from spacy.tokens import Doc
from spacy.vocab import Vocab

# A claim about a group of countries: an empty string, so that the chapter and
# document fills (which look for None) pass it by; the pipeline turns it into None.
NO_SUBJECT = ""
_REPORTER = "USA"
# The reporter's name as an attribute: "U.S. exporters", "US firms".
_REPORTER_ABBREVIATIONS = frozenset({"u.s.", "us", "u.s"})
# How far back a paragraph's earlier sentences are read for its subject.
_MAX_SENTENCES_BACK = 8
# A group noun may stand this many words after its quantifier ("most NATO members").
_GROUP_REACH = 4


@lru_cache(maxsize=1)
def context_words() -> dict[str, list[str]]:
    """The word lists of ``data/context_words.json`` (subject, condition, period)."""
    data = json.loads(resources.files("extractors").joinpath("data/context_words.json").read_text("utf-8"))
    data.pop("_doc", None)
    return data


@dataclass
class _Mention:
    start: int
    end: int
    code: str
    oblique: bool  # after a preposition: "from the United States"


@dataclass
class _Sentence:
    start: int
    end: int
    breaks: list[int] = field(default_factory=list)      # token indexes that end a clause
    mentions: list[_Mention] = field(default_factory=list)
    groups: list[tuple[int, int]] = field(default_factory=list)  # "many European countries"
    subject: str | None = "?"  # the sentence's own subject, for the sentences after it; "?" until asked


class SubjectFinder:
    """Word lists as hash sets, built once per vocabulary."""

    # Per word: in CLAUSE_BREAKS, in CLAUSE_BREAKS_AFTER_COMMA, in THAN_KEEPS_CLAUSE, a
    # group quantifier or adjective (:meth:`word_flags`).
    FLAGS = 4

    def __init__(self, vocab: Vocab):
        words = context_words()
        strings = vocab.strings

        def hashes(key: str) -> set[int]:
            return {strings.add(w) for w in words[key]}

        self.breaks = hashes("CLAUSE_BREAKS")
        self.breaks_after_comma = hashes("CLAUSE_BREAKS_AFTER_COMMA")
        self.than_keeps = hashes("THAN_KEEPS_CLAUSE")
        self.prepositions = hashes("PREPOSITIONS")
        self.determiners = hashes("DETERMINERS")
        self.coordinators = hashes("COORDINATORS")
        self.quantifiers = hashes("GROUP_QUANTIFIERS")
        self.group_adjectives = hashes("GROUP_ADJECTIVES")
        self.group_nouns = hashes("GROUP_NOUNS")
        self.group_scope = hashes("GROUP_SCOPE_PREPOSITIONS")
        self.partitives = hashes("GROUP_PARTITIVES")
        self.of = strings.add("of")
        self.after_value = hashes("SUBJECT_AFTER_VALUE")
        self.than = strings.add("than")
        self.comma = strings.add(",")
        self.where = strings.add("where")
        self.strings = strings
        self.has_newline: dict[int, bool] = {}
        self.possessives = {strings.add(t) for t in ("'s", "’s", "'", "’")}
        self.quantifiers_or_adjectives = self.quantifiers | self.group_adjectives

    def word_flags(self, lower: int) -> list[bool]:
        """The :data:`FLAGS` of a word, by its lower-case hash: computed once per distinct
        word (the context step's word table), read per Doc as columns."""
        return [lower in self.breaks, lower in self.breaks_after_comma, lower in self.than_keeps,
                lower in self.quantifiers_or_adjectives]

    def for_doc(self, doc: Doc, places: list[tuple[int, int, str]], sent_starts: list[int],
                lower: numpy.ndarray, lower_list: list[int], space: numpy.ndarray,
                flags: numpy.ndarray) -> "DocSubjects":
        """The subject finder for one Doc; ``lower`` and ``space`` are its LOWER and
        IS_SPACE columns (uint64; ``lower_list`` the same as a list), ``flags`` its
        :meth:`word_flags` (one row per token)."""
        return DocSubjects(self, doc, places, sent_starts, lower, lower_list, space, flags)


class DocSubjects:
    """Subjects of the claims of one Doc; sentences are analysed once, when first needed."""

    def __init__(self, words: SubjectFinder, doc: Doc, places, sent_starts: list[int], lower: numpy.ndarray,
                 lower_list: list[int], space: numpy.ndarray, flags: numpy.ndarray):
        self.w = words
        self.doc = doc
        self.lower = lower_list
        # Clause breaks and group quantifiers of the whole Doc in a few array operations.
        is_break, after_comma, than_keeps, quantifier = flags.T
        previous = numpy.insert(lower[:-1], 0, numpy.uint64(0))
        breaks = is_break.copy()
        breaks |= (lower == numpy.uint64(words.than)) & ~numpy.insert(than_keeps[:-1], 0, False)
        breaks |= after_comma & (previous == numpy.uint64(words.comma))
        self.break_positions = numpy.flatnonzero(breaks).tolist()
        self.quantifier_positions = numpy.flatnonzero(quantifier).tolist()
        # Line breaks are space tokens; sentences end at them, so they end paragraphs too.
        self.newlines = []
        for i in numpy.flatnonzero(space).tolist():
            h = self.lower[i]
            if h not in words.has_newline:  # a few distinct space strings per vocabulary
                words.has_newline[h] = "\n" in words.strings[h]
            if words.has_newline[h]:
                self.newlines.append(i)
        self.places = places
        self.place_starts = [p[0] for p in places]
        self.sent_starts = sent_starts
        self.sentences: dict[int, _Sentence] = {}
        self.paragraph_subjects: dict[int, str | None] = {}

    # ------------------------------------------------------------------ sentences

    def sentence(self, k: int) -> _Sentence:
        """The analysis of the k-th sentence of the Doc."""
        start = self.sent_starts[k]
        if start in self.sentences:
            return self.sentences[start]
        end = self.sent_starts[k + 1] if k + 1 < len(self.sent_starts) else len(self.doc)
        sent = _Sentence(start, end)
        lower, w = self.lower, self.w
        sent.breaks = self.break_positions[bisect_left(self.break_positions, start):bisect_left(self.break_positions, end)]
        quantifiers = self.quantifier_positions
        for i in quantifiers[bisect_left(quantifiers, start):bisect_left(quantifiers, end)]:
            # "most NATO members", "European states", "developing countries"
            reach = _GROUP_REACH if lower[i] in w.quantifiers else 2
            for j in range(i + 1, min(i + 1 + reach, end)):
                if lower[j] in w.group_nouns:
                    sent.groups.append((i, j + 1))
                    break
        places = self.places
        for n in range(bisect_left(self.place_starts, start), len(places)):
            p_start, p_end, code = places[n]
            if p_start >= end:
                break
            if p_end > end or (sent.groups and any(g0 <= p_start < g1 for g0, g1 in sent.groups)):
                continue
            sent.mentions.append(_Mention(p_start, p_end, code, self._oblique(p_start, start)))
        self.sentences[start] = sent
        return sent

    def _preposition_before(self, i: int, sent_start: int) -> int | None:
        """The preposition (hash) that governs the words at ``i``, if any: "from the …"."""
        j = i - 1
        while j >= sent_start and self.lower[j] in self.w.determiners:
            j -= 1
        if j >= sent_start and self.lower[j] in self.w.prepositions:
            return self.lower[j]
        return None

    def _oblique(self, i: int, sent_start: int) -> bool:
        return self._preposition_before(i, sent_start) is not None

    def _group_governs(self, group: tuple[int, int], sent_start: int) -> bool:
        """A group in subject position, or a scope ("across many developing countries"), or
        the "of" of a quantity in subject position ("a number of European governments");
        not one after another preposition ("bidders from all member states")."""
        preposition = self._preposition_before(group[0], sent_start)
        if preposition is None or preposition in self.w.group_scope:
            return True
        if preposition != self.w.of:
            return False
        j = group[0] - 1
        while self.lower[j] in self.w.determiners:  # the "of" is at j, after the determiners
            j -= 1
        quantity = j - 1
        return (quantity >= sent_start and self.lower[quantity] in self.w.partitives
                and self._preposition_before(quantity, sent_start) is None)

    def _sentence_subject(self, sent: _Sentence) -> str | None:
        if sent.subject == "?":
            first = self._governing(sent, sent.mentions)
            groups = [g for g in sent.groups if self._group_governs(g, sent.start)]
            if groups and (first is None or groups[0][0] < first.start):
                sent.subject = NO_SUBJECT
            else:
                sent.subject = first.code if first else None
        return sent.subject

    def _clause(self, sent: _Sentence, i: int) -> tuple[int, int]:
        start, end = sent.start, sent.end
        for b in sent.breaks:
            if b < i:
                start = b + 1
            else:
                end = b
                break
        return start, end

    def _paragraph_subject(self, k: int) -> str | None:
        """The subject all earlier sentences of the paragraph agree on, if any."""
        if k in self.paragraph_subjects:
            return self.paragraph_subjects[k]
        self.paragraph_subjects[k] = subject = self._agreed_subject(k)
        return subject

    def _agreed_subject(self, k: int) -> str | None:
        seen = set()
        for back in range(k - 1, max(k - 1 - _MAX_SENTENCES_BACK, -1), -1):
            lo = bisect_left(self.newlines, self.sent_starts[back])
            if lo < len(self.newlines) and self.newlines[lo] < self.sent_starts[back + 1]:
                break  # that sentence is a heading or ends another paragraph
            sent = self.sentence(back)
            subject = self._sentence_subject(sent)
            if subject == _REPORTER and self._only_attributive_reporter(sent):
                continue  # "U.S. defense firms report …": about the firms, not the U.S.
            if subject is not None:
                seen.add(subject)
        if len(seen) == 1:
            subject = seen.pop()
            return subject or None
        return None

    def _only_attributive_reporter(self, sent: _Sentence) -> bool:
        """Whether the sentence names the reporter only as a modifier ("U.S. firms", "U.S.
        bidders", no determiner before it): in the reporter's own texts such a sentence is
        about the country the chapter or article covers, so it passes no subject on."""
        for m in sent.mentions:
            if m.code != _REPORTER:
                continue
            if m.end - m.start != 1 or self.doc[m.start].lower_ not in _REPORTER_ABBREVIATIONS:
                return False
            if m.start > sent.start and self.lower[m.start - 1] in self.w.determiners:
                return False  # "the U.S. raised …"
        return True

    # ------------------------------------------------------------------ claims

    def subject_of(self, k: int, token_start: int, token_end: int, value_end: int, next_value: int) -> str | None:
        """The subject of the claim at ``doc[token_start:token_end]`` in sentence ``k``.

        ``value_end`` is the index after the value and any hedge words after it
        ("50 percent or more"); ``next_value`` the start of the next money or
        percent claim (or the sentence end).
        """
        sent = self.sentence(k)
        lower, w = self.lower, self.w
        # 1. "19 percent in Germany"
        i = value_end
        if i < sent.end and lower[i] in w.after_value:
            i += 1
            while i < sent.end and lower[i] in w.determiners:
                i += 1
            for m in sent.mentions:
                if m.start == i:
                    return m.code
        c_start, c_end = self._clause(sent, token_start)
        before, after, earlier = [], [], []
        for m in sent.mentions:
            if m.end <= c_start:
                earlier.append(m)
            elif m.end <= token_start:
                if m.start >= c_start:
                    before.append(m)
            elif m.start >= token_end and m.end <= c_end and m.end <= next_value:
                after.append(m)
        # 2. and 3. before the value in its clause
        pick = self._governing(sent, before)
        if sent.groups:
            group = None
            for g in sent.groups:
                if g[0] >= c_start and g[1] <= token_start and self._group_governs(g, sent.start):
                    group = g
            if group is not None and (pick is None or pick.oblique or group[0] > pick.start):
                return NO_SUBJECT
        if pick is not None:
            return pick.code
        # ", where the car tariff is 2.5 percent": the place just named
        if c_start - 2 > sent.start and lower[c_start - 1] == w.where and lower[c_start - 2] == w.comma:
            for m in sent.mentions:
                if m.end == c_start - 2:
                    return m.code
        # 4. after the value in its clause (the reporter there is a partner: "financed
        # through the U.S. Foreign Military Sales program")
        pick = _pick([m for m in after if m.code != _REPORTER], nearest=False)
        if pick is not None:
            return pick.code
        # 5. an earlier clause, the paragraph
        pick = self._governing(sent, earlier)
        if pick is not None:
            return pick.code
        if any(g[1] <= c_start for g in sent.groups):
            return None
        return self._paragraph_subject(k)

    def _governing(self, sent: _Sentence, mentions: list[_Mention]) -> _Mention | None:
        """The mention that governs what follows it in a clause.

        Not the U.S. when another country is named, not one after a preposition when
        another stands free; of those, the first ("France overtook Russia … with an 11%
        share"), unless a later one opens a coordinated clause ("Romania requires 80
        percent, and Finland asks for 100 percent") or owns what follows ("Poland applies
        the EU's tariff, whose average is 5.0 percent"); the first of a list stays ("Spain
        and Italy require"). When all follow prepositions, the nearest.
        """
        if not mentions:
            return None
        others = [m for m in mentions if m.code != _REPORTER]
        if others:
            mentions = others
        direct = [m for m in mentions if not m.oblique]
        if not direct:
            return mentions[-1]  # "goods from Vietnam face 46% and those from Cambodia 49%"
        mentions = direct
        current = mentions[0]
        lower, w = self.lower, self.w
        for m in mentions[1:]:
            if m.end < len(lower) and lower[m.end] in w.possessives:
                current = m  # "roughly four times Japan's 2.5 percent"
                continue
            j = m.start - 1
            while j > sent.start and lower[j] in w.determiners:
                j -= 1
            if j > sent.start and lower[j] in w.coordinators:
                previous_end = j - 1 if lower[j] != w.comma and lower[j - 1] == w.comma else j
                if not any(x.end in (j, previous_end) for x in sent.mentions):
                    current = m  # a new clause, not the next item of a list
        return current


def _pick(mentions: list[_Mention], nearest: bool) -> _Mention | None:
    """The governing mention of a clause: not the U.S. when another country is named,
    not one after a preposition when one stands elsewhere; nearest or first."""
    best = None
    best_rank = 4
    for m in (reversed(mentions) if nearest else mentions):
        rank = (m.code == _REPORTER) * 2 + m.oblique
        if rank < best_rank:
            best, best_rank = m, rank
            if rank == 0:
                break
    return best
