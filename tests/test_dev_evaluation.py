"""The extractor on the dev evaluation set (tests/dev): strict F1 stays at target."""
from __future__ import annotations

from pathlib import Path

from benchmarks.evaluate import evaluate

GOLD = Path(__file__).parent / "dev" / "gold.jsonl"


def test_dev_set_strict_f1_meets_the_target():
    result = evaluate(GOLD)
    micro = result["total"]
    assert micro["f1"] >= 0.95, micro
    for kind, scores in result["per_kind"].items():
        assert scores["f1"] >= 0.9, (kind, scores)


def test_dev_set_qualifiers_are_right():
    assert evaluate(GOLD)["qualifier"]["accuracy"] >= 0.95


HELDOUT = Path(__file__).parent / "heldout" / "gold.jsonl"


def test_heldout_set_strict_f1_meets_the_target():
    # Written without reading the extractor; its first measurement (F1 0.939) is in
    # the README. Since then its errors guided general fixes, so this guards them.
    assert evaluate(HELDOUT)["total"]["f1"] >= 0.95


CONTEXT_DEV = Path(__file__).parent / "context_dev" / "gold.jsonl"


def test_context_dev_set_subject_condition_and_period_meet_the_target():
    # Tuned on (tests/context_dev/README.md): a regression guard, not a measurement.
    result = evaluate(CONTEXT_DEV)
    for field in ("subject", "condition", "period"):
        scores = result[field]
        assert scores["matched"] >= 150, (field, scores)
        assert scores["accuracy"] >= 0.9, (field, scores)
        # Most gold values are null; the labelled ones must be right as well.
        assert scores["labelled_correct"] >= 0.9 * scores["labelled"], (field, scores)


CONTEXT_HELDOUT = Path(__file__).parent / "context_heldout" / "gold.jsonl"


def test_context_heldout_set_stays_at_its_measured_level():
    # Written without reading the rules; its first run (subject 0.913, condition 0.929,
    # period 0.832) is in the README. Its errors then guided general fixes (0.982, 0.981,
    # 0.955), so this guards them; it measures nothing any more.
    result = evaluate(CONTEXT_HELDOUT)
    assert result["total"]["f1"] >= 0.95
    assert result["subject"]["accuracy"] >= 0.95
    assert result["condition"]["accuracy"] >= 0.95
    assert result["period"]["accuracy"] >= 0.93
