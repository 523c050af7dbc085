"""Run the spec corpus (tests/spec/*.jsonl) against the claim extractor.

Each case is data: a sentence, an optional document date and heading, and the
complete list of expected claims. A case with ``xfail`` is a known gap, run as a
strict xfail so that a silent fix shows up too.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from extractors.document import DocumentText, SectionSpan
from extractors.extraction import extract_claims

SPEC_DIR = Path(__file__).parent / "spec"


def load_cases() -> list:
    cases = []
    for path in sorted(SPEC_DIR.glob("*.jsonl")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            case = json.loads(line)
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
            cases.append(pytest.param(case, id=case["id"], marks=marks))
    return cases


CASES = load_cases()


def run_case(case: dict) -> list[dict]:
    text = case["text"]
    sections = []
    if case.get("heading"):
        sections = [SectionSpan(0, len(text), None, case["heading"])]
    doc = DocumentText(text=text, media_type="txt", sections=sections)
    return [c.to_dict() for c in extract_claims(doc, "spec", doc_date=case.get("doc_date"))]


def same(expected, actual) -> bool:
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)) and not isinstance(expected, bool):
        return math.isclose(expected, actual, rel_tol=1e-6, abs_tol=1e-9)
    return expected == actual


def mismatches(expect: list[dict], got: list[dict]) -> list[str]:
    problems = []
    if [(e["kind"], e["text"]) for e in expect] != [(g["kind"], g["text"]) for g in got]:
        return [f"claims: expected {[(e['kind'], e['text']) for e in expect]}, "
                f"got {[(g['kind'], g['text']) for g in got]}"]
    for e, g in zip(expect, got):
        for field, value in e.items():
            if not same(value, g.get(field)):
                problems.append(f"{e['text']!r} {field}: expected {value!r}, got {g.get(field)!r}")
    return problems


def test_corpus_is_large_enough():
    cases = [p.values[0] for p in CASES]
    assert len(cases) >= 300
    assert sum(1 for c in cases if not c["expect"]) >= 60
    assert len({c["id"] for c in cases}) == len(cases), "case ids must be unique"


@pytest.mark.parametrize("case", CASES)
def test_spec_case(case):
    got = run_case(case)
    for claim in got:
        assert case["text"][claim["start"]:claim["end"]] == claim["text"]
    problems = mismatches(case["expect"], got)
    assert not problems, "\n".join(problems)
