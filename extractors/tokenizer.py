"""Tokenizer rules on top of spaCy's English defaults.

Money and periods are written glued in trade prose (``3bn``, ``$8billion``,
``Rs.500``, ``FY2024``, ``2011–2015``). spaCy keeps those as one token, which would
force every pattern to take them apart again with regular expressions. Splitting
them here lets the token patterns stay plain: a number token, a scale token, a
dash token. Offsets are untouched: spaCy tokens always map back to the text.
"""
from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

# "5bn", "8billion", "10k", "500crore": a scale glued to the number it scales. The one-letter
# scales are lower case only, so that this rule leaves "A400M" alone; spaCy's own unit
# suffixes still split it into "A400" + "M", which no rule reads as an amount, since "A400"
# is no number (tests/data/tokens.jsonl, "model-name").
_SCALE_SUFFIX = r"(?<=[0-9])(?:bn|mn|mln|mil|tn|trn|billion|million|trillion|thousand|crores?|lakhs?|cr|m|k|b|BN|Bn)"
# "115USD", "24pc", "100元": a currency code, "pc" (per cent) or a symbol glued after the number.
_UNIT_SUFFIX = r"(?<=[0-9])(?:USD|EUR|GBP|AUD|CAD|JPY|CNY|INR|CHF|NZD|HKD|SGD|pc|元|円|₾|₭|₡)"
# "FY2024", "Rs.500", "Rs500": a marker glued to the number after it.
# "USD10m", "$US113", "$A82,615,680", "NZ$15"; "PS2.7m" and "Y=100" are how £ and ¥ come out of
# ASCII transliteration (unidecode) in news feeds.
_NUMBER_PREFIXES = (r"FY(?=[0-9])", r"Rs\.?(?=[0-9])", r"(?:NT|HK|US|NZ|AU|Mex|R|S|A|C)\$(?=[0-9])",
                    r"(?:RM|R|₱|₪|₫)(?=[0-9])", r"(?:USD|EUR|GBP|AUD|CAD|JPY|CNY|INR|CHF|NZD|HKD|SGD|KRW)(?=[0-9])",
                    r"\$(?:US|A|NZ|C|HK|S)(?=[0-9])", r"PS(?=[0-9])", r"Y=(?=[0-9])")
# "Dow +0.2%", "FTSE -0.6%": a sign at the start of a word, before digits, is its own token.
_SIGN_PREFIX = r"[+\-−~](?=\.?[0-9])"
# "2011-2015", "2011–2015", "5–8": a dash between digits is a range or period sign.
_DIGIT_DASH_INFIX = r"(?<=[0-9])[-–—](?=[0-9])"
# "2015/2016": a slash between two four-digit numbers (not "2014/24/EU", a directive's number).
_YEAR_SLASH_INFIX = r"(?<=[0-9]{4})/(?=[0-9]{4}(?![0-9/]))"
# "$40-million", "$5 million–$7 million": a dash between a number and its scale word,
# or between a scale word and the next currency sign.
_SCALE_DASH_INFIXES = (
    r"(?<=[0-9])[-–—](?=(?:million|billion|trillion|thousand|crore|lakh)\b)",
    r"(?<=[a-z])[-–—](?=[$€£¥₩₹])",
    r"(?<=[a-z][-–—])[$€£¥₩₹](?=[0-9])",
    # "€1.5bn-€2bn": a glued scale before a dash (the suffix rule sees only a token's end).
    r"(?<=[0-9])(?:bn|mn|tn|m|k|b)(?=[-–—])",
    r"(?:(?<=bn)|(?<=mn)|(?<=tn)|(?<=million)|(?<=billion))[-–—](?=[0-9])",
)


def kept_exception(form: str) -> bool:
    """Whether one of spaCy's English tokenizer exceptions is kept.

    Kept: abbreviations that end in or hold a full stop ("U.S.", "Inc.", "Jan.", "e.g."),
    which would otherwise lose it to the sentence end, and the whitespace entries. Dropped:
    the ~1,200 contractions ("don't" as "do" + "n't") and emoticons, which no claim rule
    reads; loading them was about an eighth of a new process's start-up (measured with
    callgrind; the claims of every text in tests/ and of the external sets came out the
    same without them). Also dropped: lower-case "m.", "b.", "k.": in "worth PS2.7m." they
    are a scale and a full stop, not an initial.
    """
    if form in ("m.", "b.", "k."):
        return False
    return "." in form or any(ch.isspace() for ch in form)


def make_tokenizer(nlp: Language) -> Tokenizer:
    """spaCy's English tokenizer with the number-splitting rules, for ``nlp``'s vocabulary.

    Args:
        nlp: a pipeline of ``spacy.blank("en")`` (its ``Defaults`` are read).
    """
    defaults = nlp.Defaults
    prefixes = list(_NUMBER_PREFIXES) + [_SIGN_PREFIX] + list(defaults.prefixes)
    suffixes = [_SCALE_SUFFIX, _UNIT_SUFFIX] + list(defaults.suffixes)
    infixes = [_DIGIT_DASH_INFIX, _YEAR_SLASH_INFIX, *_SCALE_DASH_INFIXES] + list(defaults.infixes)
    rules = {form: tokens for form, tokens in defaults.tokenizer_exceptions.items() if kept_exception(form)}
    # "Rs. 2,000 crore": the rupee abbreviation keeps its full stop.
    rules.update({form: [{"ORTH": form}] for form in ("Rs.", "rs.")})
    # One Tokenizer with every setting at once: each later assignment (or a default
    # tokenizer built first) loads spaCy's thousands of special cases again, most of
    # the pipeline's start-up time.
    return Tokenizer(nlp.vocab, rules=rules,
                     prefix_search=compile_prefix_regex(prefixes).search,
                     suffix_search=compile_suffix_regex(suffixes).search,
                     infix_finditer=compile_infix_regex(infixes).finditer,
                     token_match=defaults.token_match, url_match=defaults.url_match)


@spacy.registry.tokenizers("tradeclaims_tokenizer_v1")
def tokenizer_factory():
    """The tokenizer as a registered factory: ``spacy.blank("en", config=TOKENIZER_CONFIG)``
    builds it instead of spaCy's default one (which would be built, then thrown away)."""
    return make_tokenizer


TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "tradeclaims_tokenizer_v1"}}}


def customize_tokenizer(nlp: Language) -> None:
    """Give ``nlp`` (from ``spacy.blank("en")``) the number-splitting tokenizer, in place."""
    nlp.tokenizer = make_tokenizer(nlp)
