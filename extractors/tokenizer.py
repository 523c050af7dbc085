"""Tokenizer rules on top of spaCy's English defaults.

Money and periods are written glued in trade prose (``3bn``, ``$8billion``,
``Rs.500``, ``FY2024``, ``2011–2015``). spaCy keeps those as one token, which would
force every pattern to take them apart again with regular expressions. Splitting
them here lets the token patterns stay plain: a number token, a scale token, a
dash token. Offsets are untouched: spaCy tokens always map back to the text.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

# "5bn", "8billion", "10k", "500crore": a scale glued to the number it scales.
_SCALE_SUFFIX = r"(?<=[0-9])(?:bn|mn|mln|tn|trn|billion|million|trillion|thousand|crores?|lakhs?|cr|m|k|b|BN|Bn)"
# Lower case only, so that model names such as "A400M" stay whole.
# "FY2024", "Rs.500", "Rs500": a marker glued to the number after it.
_NUMBER_PREFIXES = (r"FY(?=[0-9])", r"Rs\.?(?=[0-9])", r"(?:NT|HK|US|R|S|A|C)\$(?=[0-9])", r"(?:RM|R|₱|₪|₫)(?=[0-9])")
# "2011-2015", "2011–2015", "5–8": a dash between digits is a range or period sign.
_DIGIT_DASH_INFIX = r"(?<=[0-9])[-–—](?=[0-9])"
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


def customize_tokenizer(nlp: Language) -> None:
    """Add the number-splitting rules to ``nlp.tokenizer`` in place.

    Args:
        nlp: a pipeline made by ``spacy.blank("en")``.
    """
    defaults = nlp.Defaults
    prefixes = list(_NUMBER_PREFIXES) + list(defaults.prefixes)
    suffixes = [_SCALE_SUFFIX] + list(defaults.suffixes)
    infixes = [_DIGIT_DASH_INFIX, *_SCALE_DASH_INFIXES] + list(defaults.infixes)
    nlp.tokenizer.prefix_search = compile_prefix_regex(prefixes).search
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    # "Rs. 2,000 crore": the rupee abbreviation keeps its full stop.
    for form in ("Rs.", "rs."):
        nlp.tokenizer.add_special_case(form, [{"ORTH": form}])
