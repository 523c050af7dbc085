"""Word lists reach the Matcher as token classes: adding one is a data change only.

The old engine turned every list into one of spaCy's 45 lexeme flags and had one
left. These tests add lists in data (a lexicon entry and a pattern record, nothing
else) and check that they match, that their number has no ceiling, and that a
word in too many overlapping lists is refused with a message naming it.
"""
from __future__ import annotations

import json

import pytest
import spacy
from spacy.tokens import Doc

from extractors import lexicon as lexicon_module
from extractors.components import claims_ruler
from extractors.extraction import extract_claims
from extractors.tokenizer import customize_tokenizer
from extractors.word_classes import SLOTS, WordClasses

NEW_WORDS = [f"zorb{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(50)]


def pipeline_with(tmp_path, monkeypatch, extra_lists: dict[str, list[str]], extra_records: list[dict]):
    """A pipeline whose lexicon and patterns are the packaged ones plus the given data."""
    data = dict(lexicon_module.lexicon())
    data.update(extra_lists)
    monkeypatch.setattr(lexicon_module, "lexicon", lambda: data)
    patterns = tmp_path / "claims.jsonl"
    packaged = claims_ruler.load_patterns()
    patterns.write_text("".join(json.dumps(r) + "\n" for r in packaged + extra_records), "utf-8")
    nlp = spacy.blank("en")
    customize_tokenizer(nlp)
    nlp.add_pipe("tradeclaims_sentences_v1")
    nlp.add_pipe("tradeclaims_claims_ruler_v1", config={"patterns_path": str(patterns)})
    nlp.add_pipe("tradeclaims_claim_context_v1")
    return nlp


def test_a_new_list_of_50_words_is_a_data_change(tmp_path, monkeypatch):
    record = {"id": "percent.zorb", "label": "PERCENT", "pattern": [{"RULE": "NUMBER"}, {"LOWER": {"IN": "@ZORB_RATE"}}]}
    nlp = pipeline_with(tmp_path, monkeypatch, {"ZORB_RATE": NEW_WORDS}, [record])
    text = f"Duties rose 12 {NEW_WORDS[0]} and then 7.5 {NEW_WORDS[-1].upper()} in the same year."
    claims = extract_claims(text, nlp=nlp)
    assert [(c.kind, c.text, c.value, c.rule) for c in claims] == [
        ("percent", f"12 {NEW_WORDS[0]}", 12, "percent.zorb"),
        ("percent", f"7.5 {NEW_WORDS[-1].upper()}", 7.5, "percent.zorb")]
    # The packaged rules still work beside it.
    assert [c.text for c in extract_claims("Exports reached $3.1 billion.", nlp=nlp)] == ["$3.1 billion"]


def test_more_lists_than_the_45_lexeme_flags(tmp_path, monkeypatch):
    lists = {f"ZORB_{i}": [f"{word}{i}" for word in NEW_WORDS[:3]] for i in range(60)}
    records = [{"id": f"percent.zorb_{i}", "label": "PERCENT", "pattern": [{"RULE": "NUMBER"}, {"LOWER": {"IN": f"@ZORB_{i}"}}]}
               for i in range(60)]
    nlp = pipeline_with(tmp_path, monkeypatch, lists, records)
    ruler = nlp.get_pipe("tradeclaims_claims_ruler_v1")
    assert len(ruler.classes.lists) >= 60 + 30  # the packaged ~35 lists plus 60 new ones
    claims = extract_claims(f"It was 4 {NEW_WORDS[1]}59 and 9 {NEW_WORDS[2]}0.", nlp=nlp)
    assert [(c.rule, c.value) for c in claims] == [("percent.zorb_59", 4), ("percent.zorb_0", 9)]


def test_disjoint_lists_share_a_slot_and_overlapping_ones_do_not():
    classes = WordClasses(spacy.blank("en").vocab)
    months = classes.add("LOWER", ["may", "june"], "MONTH")
    scales = classes.add("LOWER", ["million", "billion"], "SCALE")
    full = classes.add("LOWER", ["may"], "MONTH_SHORT")
    assert months.slot == scales.slot != full.slot
    assert classes.add("LOWER", ["june", "may"], "MONTH") is months  # same content, same list


def test_a_word_in_too_many_lists_is_refused_by_name():
    classes = WordClasses(spacy.blank("en").vocab)
    for i in range(len(SLOTS)):
        classes.add("ORTH", ["-", f"x{i}"], f"SIGN_{i}")
    with pytest.raises(ValueError, match=r"@ORTH:SIGN_EXTRA: shares words with .*SIGN_0"):
        classes.add("ORTH", ["-"], "SIGN_EXTRA")


def test_classes_are_cleared_after_matching():
    nlp = spacy.blank("en")
    classes = WordClasses(nlp.vocab)
    classes.add("LOWER", ["million"], "SCALE")
    doc = nlp.make_doc("five Million dollars")
    classes.annotate(doc)
    assert doc[1].tag_ == "@LOWER:SCALE"
    classes.clear(doc)
    assert [t.tag_ for t in doc] == ["", "", ""] and isinstance(doc, Doc)


def test_an_unknown_rule_or_filter_is_a_clear_error(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="RULE 'NO_SUCH' is not defined"):
        pipeline_with(tmp_path, monkeypatch, {}, [{"id": "percent.x", "label": "PERCENT", "pattern": [{"RULE": "NO_SUCH"}]}])
    with pytest.raises(ValueError, match="percent.y: reject_if names 'no_such'"):
        pipeline_with(tmp_path, monkeypatch, {}, [{"id": "percent.y", "label": "PERCENT", "reject_if": ["no_such"],
                                                   "pattern": [{"RULE": "NUMBER"}, {"LOWER": "pc"}]}])
