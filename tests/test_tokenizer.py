"""The number-splitting tokenizer (extractors/tokenizer.py), case by case.

Each case in tests/data/tokens.jsonl is a text and the tokens it must give: the glued
money, percent and period forms split apart, spaCy's abbreviations kept whole, and
contractions left as one token since only the abbreviation and whitespace exceptions
are loaded (a start-up cost; no claim rule reads a contraction).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from extractors.tokenizer import TOKENIZER_CONFIG, kept_exception

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "data" / "tokens.jsonl").read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en", config=TOKENIZER_CONFIG)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_tokens(nlp, case):
    assert [token.text for token in nlp.make_doc(case["text"])] == case["tokens"]


@pytest.mark.parametrize("form, kept", [
    ("U.S.", True), ("Inc.", True), ("e.g.", True), ("Rs.", True), (" ", True), ("\n", True),
    ("don't", False), ("Can't", False), (":)", False), ("m.", False), ("b.", False), ("k.", False),
])
def test_kept_exception(form, kept):
    assert kept_exception(form) is kept


def test_only_abbreviations_and_whitespace_are_loaded(nlp):
    defaults = spacy.blank("en").Defaults.tokenizer_exceptions
    rules = nlp.tokenizer.rules
    assert set(rules) == {form for form in defaults if kept_exception(form)} | {"Rs.", "rs."}
    assert len(rules) < len(defaults) / 4
