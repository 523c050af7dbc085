"""Evaluate the claim extractor against the dev set (tests/dev/gold.jsonl).

Usage::

    .venv/bin/python benchmarks/evaluate.py [--errors] [--gold PATH]

For every document named in the gold file (paths relative to the gold file), the
document is parsed with :func:`extractors.parse.parse_file` and run through
:func:`extractors.extraction.extract_claims` with the gold ``doc_date``.

Matching is STRICT: a predicted claim is a true positive when a gold claim has

- the same ``kind``,
- the same text span (``start``/``end`` in the parsed text; the gold ``start`` is
  stored in the gold file, else the gold ``text`` is searched in text order),
- the same normalized value: ``value`` (numbers with a relative tolerance of 1e-6,
  strings exactly), ``low``/``high`` for ranges, and the same ``unit`` (a money
  amount in the wrong currency, or percentage points read as percent, is a
  different value).

A predicted claim with the right kind and span but a different value is a *value
mismatch*: it counts as one false positive and one false negative.

Printed: precision / recall / F1 per kind and micro-averaged over all kinds, then
the accuracy of qualifier, topic, subject, condition and period over the strictly
matched claims (overall and per kind), for each field the gold set labels (null
labels included; condition and period on money and percent claims only). ``--errors`` lists every false positive, false negative and value
mismatch with its document and sentence. The exit code is 0 whatever the scores.

:func:`evaluate` returns the same figures as a dict, for tests.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.extraction import extract_claims  # noqa: E402
from extractors.parse import parse_file  # noqa: E402

KINDS = ("money", "percent", "date", "period")
DEFAULT_GOLD = ROOT / "tests" / "dev" / "gold.jsonl"
REL_TOL = 1e-6
# Context fields: scored only in gold sets that label them (tests/context_dev/).
CONTEXT_FIELDS = ("subject", "condition", "period")
SCORED_FIELDS = ("qualifier", "topic", *CONTEXT_FIELDS)
# Fields the contract defines for money and percent claims only: a label on a date or
# period claim (always null) is not scored, so that it cannot inflate the accuracy.
VALUE_FIELDS = ("condition", "period")


# --------------------------------------------------------------------------- helpers


def _load_gold(gold_path: Path) -> list[dict[str, Any]]:
    """One record per document (``doc``, ``doc_date``, ``claims``); a file with one claim
    per line (each naming its ``doc``, as tests/context_heldout/) is grouped by document."""
    records = []
    by_doc: dict[str, dict[str, Any]] = {}
    with open(gold_path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{gold_path}:{n}: bad JSON ({exc})") from None
            if "claims" in record:
                records.append(record)
            elif "kind" in record and "doc" in record:
                doc = record.pop("doc")
                if doc not in by_doc:
                    by_doc[doc] = {"doc": doc, "doc_date": record.pop("doc_date", None), "claims": []}
                    records.append(by_doc[doc])
                record.pop("doc_date", None)
                by_doc[doc]["claims"].append(record)
            else:
                raise ValueError(f"{gold_path}:{n}: neither a document (doc, claims) nor a claim (doc, kind)")
    return records


def _locate(text: str, claims: list[dict[str, Any]], doc: str) -> list[tuple[int, int]]:
    """Return (start, end) of every gold claim; checks the stored ``start`` or searches in order."""
    spans = []
    cursor = 0
    for claim in claims:
        t = claim["text"]
        if "start" in claim:
            start = claim["start"]
            if text[start:start + len(t)] != t:
                raise ValueError(f"{doc}: gold text {t!r} is not at offset {start}")
        else:
            start = text.find(t, cursor)
            if start < 0:
                raise ValueError(f"{doc}: gold text {t!r} not found after offset {cursor}")
        spans.append((start, start + len(t)))
        cursor = start + len(t)
    return spans


def _same_number(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if a == b:
            return True
        return math.isclose(float(a), float(b), rel_tol=REL_TOL, abs_tol=0.0)
    return a == b


def _value_diff(gold: dict[str, Any], pred: dict[str, Any]) -> list[str]:
    """Fields whose normalized values differ (empty when the values agree)."""
    diffs = []
    keys = [k for k in ("value", "low", "high") if k in gold]
    if "value" not in gold and ("low" in gold or "high" in gold):
        keys.append("value")  # a range has no single value
    for key in keys:
        g = gold.get(key)
        p = pred.get(key)
        if isinstance(g, (int, float)) or isinstance(p, (int, float)):
            if g is None or p is None or not _same_number(g, p):
                diffs.append(f"{key}: gold {g!r} / got {p!r}")
        elif g != p:
            diffs.append(f"{key}: gold {g!r} / got {p!r}")
    if "unit" in gold and gold.get("unit") != pred.get("unit"):
        diffs.append(f"unit: gold {gold.get('unit')!r} / got {pred.get('unit')!r}")
    return diffs


_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])|\n+")


def _sentence_at(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end] (approximate; for error listings of missed claims)."""
    left = 0
    for m in _SENT_END.finditer(text, 0, start):
        left = m.end()
    m = _SENT_END.search(text, end)
    right = m.start() if m else len(text)
    return " ".join(text[left:right].split())


def _context_note(field: str, pred: dict[str, Any]) -> str:
    """What helps to read a field mismatch: the hedge words, the section, the sentence's claims."""
    if field == "qualifier":
        return f"(qualifier_text {pred.get('qualifier_text')!r})"
    if field == "topic":
        return f"(section {pred.get('section')!r})"
    return f"(chapter {pred.get('chapter')!r})" if field == "subject" else ""


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}


# --------------------------------------------------------------------------- evaluation


def evaluate(gold_path: str | Path = DEFAULT_GOLD) -> dict[str, Any]:
    """Run the extractor on every gold document and score it.

    Returns a dict with ``per_kind`` (kind -> tp/fp/fn/precision/recall/f1),
    ``total`` (micro-averaged), ``qualifier`` and ``topic`` (accuracy over strict
    matches: ``correct``, ``matched``, ``accuracy``, ``per_kind``), ``documents``
    (per-document counts) and ``errors`` (a list of dicts with ``type`` =
    ``false_positive`` | ``false_negative`` | ``value_mismatch`` |
    ``qualifier_mismatch`` | ``topic_mismatch``, ``doc``, ``kind``, ``text``,
    ``start``, ``sentence`` and details).
    """
    gold_path = Path(gold_path)
    base = gold_path.parent
    counts = {k: Counter() for k in KINDS}
    fields = {f: Counter() for f in SCORED_FIELDS}
    fields_kind: dict[str, dict[str, Counter]] = {f: defaultdict(Counter) for f in SCORED_FIELDS}
    errors: list[dict[str, Any]] = []
    documents = []

    for record in _load_gold(gold_path):
        doc_name = record["doc"]
        document = parse_file(base / doc_name)
        text = document.text
        gold_claims = record.get("claims", [])
        spans = _locate(text, gold_claims, doc_name)
        preds = [c.to_dict() for c in extract_claims(document, source=doc_name, doc_date=record.get("doc_date"))]

        gold_by_key = {}
        for g, (s, e) in zip(gold_claims, spans):
            gold_by_key.setdefault((g["kind"], s, e), []).append(g)
        used_gold: set[int] = set()
        doc_tp = doc_fp = doc_fn = 0

        for p in preds:
            if p["kind"] not in counts:
                counts.setdefault(p["kind"], Counter())
            candidates = [g for g in gold_by_key.get((p["kind"], p["start"], p["end"]), []) if id(g) not in used_gold]
            if not candidates:
                counts[p["kind"]]["fp"] += 1
                doc_fp += 1
                errors.append({
                    "type": "false_positive", "doc": doc_name, "kind": p["kind"], "text": p["text"],
                    "start": p["start"], "value": p.get("value"), "low": p.get("low"), "high": p.get("high"),
                    "unit": p.get("unit"), "rule": p.get("rule"), "sentence": p.get("sentence") or "",
                })
                continue
            g = candidates[0]
            used_gold.add(id(g))
            diffs = _value_diff(g, p)
            if diffs:
                counts[p["kind"]]["fp"] += 1
                counts[g["kind"]]["fn"] += 1
                doc_fp += 1
                doc_fn += 1
                errors.append({
                    "type": "value_mismatch", "doc": doc_name, "kind": p["kind"], "text": p["text"],
                    "start": p["start"], "diff": "; ".join(diffs), "rule": p.get("rule"),
                    "sentence": p.get("sentence") or "",
                })
                continue
            counts[p["kind"]]["tp"] += 1
            doc_tp += 1
            kind = p["kind"]
            # Qualifier, topic and the context fields are scored the same way over the
            # strict matches, wherever the gold claim names the field (null included).
            for field in SCORED_FIELDS:
                if field not in g or (field in VALUE_FIELDS and kind not in ("money", "percent")):
                    continue
                ok = g[field] == p.get(field)
                tally = fields[field]
                tally["matched"] += 1
                tally["correct"] += ok
                fields_kind[field][kind]["matched"] += 1
                fields_kind[field][kind]["correct"] += ok
                if g[field] is not None:
                    tally["labelled"] += 1
                    tally["labelled_correct"] += ok
                if not ok:
                    errors.append({
                        "type": f"{field}_mismatch", "doc": doc_name, "kind": kind, "text": p["text"],
                        "start": p["start"], "diff": f"gold {g[field]!r} / got {p.get(field)!r} {_context_note(field, p)}",
                        "sentence": p.get("sentence") or "",
                    })

        for g, (s, e) in zip(gold_claims, spans):
            if id(g) in used_gold:
                continue
            counts[g["kind"]]["fn"] += 1
            doc_fn += 1
            overlapping = [p for p in preds if p["start"] < e and s < p["end"]]
            note = "; ".join(f"got {p['kind']} {p['text']!r}" for p in overlapping) or None
            errors.append({
                "type": "false_negative", "doc": doc_name, "kind": g["kind"], "text": g["text"], "start": s,
                "value": g.get("value"), "low": g.get("low"), "high": g.get("high"), "unit": g.get("unit"),
                "overlap": note, "sentence": _sentence_at(text, s, e),
            })
        documents.append({"doc": doc_name, "gold": len(gold_claims), "predicted": len(preds),
                          **_prf(doc_tp, doc_fp, doc_fn)})

    per_kind = {k: _prf(c["tp"], c["fp"], c["fn"]) for k, c in counts.items()}
    total = _prf(sum(c["tp"] for c in counts.values()), sum(c["fp"] for c in counts.values()),
                 sum(c["fn"] for c in counts.values()))

    def acc(c: Counter) -> dict[str, Any]:
        return {"correct": c["correct"], "matched": c["matched"],
                "accuracy": c["correct"] / c["matched"] if c["matched"] else 0.0,
                "labelled": c["labelled"], "labelled_correct": c["labelled_correct"]}

    kind_order = {k: i for i, k in enumerate(KINDS)}
    type_order = {t: i for i, t in enumerate(
        ("false_negative", "false_positive", "value_mismatch", *(f"{f}_mismatch" for f in SCORED_FIELDS)))}
    errors.sort(key=lambda e: (type_order[e["type"]], e["doc"], e["start"], kind_order.get(e["kind"], 9)))
    return {
        "gold": str(gold_path),
        "per_kind": per_kind,
        "total": total,
        **{f: {**acc(fields[f]), "per_kind": {k: acc(c) for k, c in fields_kind[f].items()}}
           for f in SCORED_FIELDS},
        "documents": documents,
        "errors": errors,
    }


# --------------------------------------------------------------------------- report


def _print_report(result: dict[str, Any], show_errors: bool) -> None:
    print(f"gold: {result['gold']}  ({len(result['documents'])} documents)")
    print()
    print("STRICT matching (kind + span + normalized value/unit)")
    print(f"{'kind':<10}{'gold':>6}{'pred':>6}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for kind, m in list(result["per_kind"].items()) + [("TOTAL", result["total"])]:
        gold = m["tp"] + m["fn"]
        pred = m["tp"] + m["fp"]
        label = "micro" if kind == "TOTAL" else kind
        print(f"{label:<10}{gold:>6}{pred:>6}{m['tp']:>6}{m['fp']:>6}{m['fn']:>6}"
              f"{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}")
    print()
    for name in SCORED_FIELDS:
        a = result[name]
        if not a["matched"]:
            continue  # the gold set does not label this field
        parts = ", ".join(f"{k} {v['correct']}/{v['matched']}" for k, v in a["per_kind"].items())
        labelled = ""
        if name in CONTEXT_FIELDS:
            labelled = f"; where gold is not null {a['labelled_correct']}/{a['labelled']}"
        print(f"{name} accuracy over strict matches: {a['accuracy']:.3f} ({a['correct']}/{a['matched']}{labelled})"
              f"  [{parts}]")
    print()
    print("per document (strict):")
    for d in result["documents"]:
        print(f"  {d['doc']:<32} gold {d['gold']:>3}  pred {d['predicted']:>3}  "
              f"P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}")
    if not show_errors:
        return
    print()
    labels = {
        "false_negative": "FALSE NEGATIVES (in gold, not extracted)",
        "false_positive": "FALSE POSITIVES (extracted, not in gold)",
        "value_mismatch": "VALUE MISMATCHES (right kind and span, wrong value/unit)",
        "qualifier_mismatch": "QUALIFIER MISMATCHES (strict matches)",
        **{f"{f}_mismatch": f"{f.upper()} MISMATCHES (strict matches)" for f in SCORED_FIELDS},
    }
    by_type: dict[str, list] = defaultdict(list)
    for e in result["errors"]:
        by_type[e["type"]].append(e)
    for etype, label in labels.items():
        items = by_type.get(etype, [])
        print(f"== {label}: {len(items)}")
        for e in items:
            if etype == "false_negative":
                val = e["value"] if e.get("value") is not None else (e.get("low"), e.get("high"))
                detail = f"value={val!r} unit={e.get('unit')!r}" + (f"  [{e['overlap']}]" if e.get("overlap") else "")
            elif etype == "false_positive":
                val = e["value"] if e.get("value") is not None else (e.get("low"), e.get("high"))
                detail = f"value={val!r} unit={e.get('unit')!r} rule={e.get('rule')}"
            else:
                detail = e["diff"]
            print(f"  {e['doc']} @{e['start']} {e['kind']} {e['text']!r}: {detail}")
            print(f"      | {e['sentence']}")
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="list every error with its document and sentence")
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), help="gold JSONL file (default: tests/dev/gold.jsonl)")
    parser.add_argument("--json", action="store_true", help="print the result dict as JSON instead")
    args = parser.parse_args(argv)
    result = evaluate(args.gold)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        _print_report(result, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
