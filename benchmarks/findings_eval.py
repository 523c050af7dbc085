"""Score the findings (``edition_changes``, ``claim_checks``, ``alerts``) on spec cases.

Usage::

    .venv/bin/python benchmarks/findings_eval.py --cases tests/findings [--cases DIR ...]

A case is a folder ``<case>/`` with ``case.json`` and the text documents it names (the
format of ``tests/findings/``; README, "Findings"). Each case is loaded into a warehouse of
its own (:func:`load_case`, the loader ``tests/test_findings.py`` uses: each document parsed
as plain text, run through the real extractor and written with
:func:`warehouse.store.write_document`, so the findings tables are refreshed as in a real
load), and its rows are compared with what ``case.json`` lists:

* **edition changes**: precision / recall / F1 of the rows ``(subject, topic, change,
  old_text, new_text)`` (as multisets: a case may list one row twice), the same with the
  topic left out (a claim whose topic the extractor reads differently is still the right
  finding), and per change type (``unchanged``, ``revised``, ``added``, ``removed``);
* **news checks**: the accuracy of the verdict per news claim (claims paired by
  ``news_text``; a listed claim without a row counts as wrong), precision / recall of
  ``(news_text, verdict, report_text, report_year)``, and how many of the ``reason_has``
  fragments the reason of the matching row contains;
* **alerts** (cases whose ``case.json`` has ``alerts``): precision / recall of
  ``(subject, change, old, new)``.

Printed: one line per case and the totals (micro-averaged over the cases), the per-change
breakdown, then each case's misses (listed, not found) and extras (found, not listed), so a
person can adjudicate them. The exit code is 0 whatever the scores; a case that fails to load
is reported as an error. :func:`evaluate` returns the figures as a dict, for tests.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.extraction import extract_claims  # noqa: E402
from extractors.text_file import parse_text  # noqa: E402
from warehouse import findings, store  # noqa: E402

CHANGES = findings.CHANGES
DEFAULT_CASES = ROOT / "tests" / "findings"


# --- loading a case (shared with tests/test_findings.py) -------------------------------------

def case_names(folder: str | Path) -> list[str]:
    """The cases of a folder: its sub-folders that hold a ``case.json``, by name."""
    return sorted(p.name for p in Path(folder).iterdir() if (p / "case.json").exists())


def doc_key(name: str, file: str) -> str:
    """The ``doc_key`` a case's document is loaded under: ``<case>-<file stem>``, ``_`` as ``-``."""
    return f"{name}-{Path(file).stem}".replace("_", "-")


def load_case(con, case: str | Path) -> dict:
    """Load the documents of the case folder ``case`` into ``con``; return its case.json."""
    case = Path(case)
    spec = json.loads((case / "case.json").read_text("utf-8"))
    for d in spec["documents"]:
        data = (case / d["file"]).read_bytes()
        doc = parse_text(data, d["file"])
        claims = [c.to_dict() for c in extract_claims(doc, d["file"], doc_date=d.get("published"))]
        if d.get("drop_subjects"):
            claims = [{**c, "subject": None} for c in claims]
        row = {"doc_key": doc_key(case.name, d["file"]),
               "sha256": hashlib.sha256(data).hexdigest(), "doc_type": d["doc_type"], "title": d["file"],
               "published": d.get("published"), "report_year": d.get("report_year")}
        store.write_document(con, row, claims, "test")
    return spec


def case_documents(spec: dict, name: str, doc_type: str) -> list[str]:
    """The doc_keys of a case's documents of one type (``report`` or ``news``)."""
    return [doc_key(name, d["file"]) for d in spec["documents"] if d["doc_type"] == doc_type]


# --- what the warehouse found for a case ---------------------------------------------------------

def found_changes(con, spec: dict, name: str) -> list[tuple]:
    """``(subject, topic, change, old_text, new_text)`` of every edition change of the case's reports."""
    keys = case_documents(spec, name, "report")
    return con.execute(
        "SELECT subject, topic, change, old_text, new_text FROM edition_changes"
        " WHERE coalesce(new_claim_id, old_claim_id) IN (SELECT claim_id FROM claims WHERE doc_key IN ?)"
        " OR old_claim_id IN (SELECT claim_id FROM claims WHERE doc_key IN ?)", [keys, keys]).fetchall()


def found_checks(con, spec: dict, name: str) -> list[tuple]:
    """``(news_text, verdict, report_text, report_year, reason)`` of every news claim of the case."""
    keys = case_documents(spec, name, "news")
    return con.execute(
        "SELECT news_text, verdict, report_text, report_year, reason FROM claim_checks"
        " WHERE news_claim_id IN (SELECT claim_id FROM claims WHERE doc_key IN ?)"
        " ORDER BY news_claim_id", [keys]).fetchall()


def expected_changes(spec: dict) -> list[tuple]:
    return [(c["subject"], c["topic"], c["change"], c["old_text"], c["new_text"]) for c in spec["changes"]]


def expected_checks(spec: dict) -> list[tuple]:
    return [(c["news_text"], c["verdict"], c["report_text"], c["report_year"]) for c in spec["checks"]]


# --- scoring -----------------------------------------------------------------------------------------

def _counts(want: list, found: list) -> dict[str, Any]:
    """True positives, misses and extras of two multisets."""
    w, f = Counter(want), Counter(found)
    return {"tp": sum((w & f).values()), "want": len(want), "found": len(found),
            "missed": sorted((w - f).elements(), key=repr), "extra": sorted((f - w).elements(), key=repr)}


def _prf(tp: int, want: int, found: int) -> dict[str, float]:
    # No rows expected and none found is a perfect score, not 0/0.
    p = tp / found if found else (1.0 if not want else 0.0)
    r = tp / want if want else (1.0 if not found else 0.0)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _verdicts(want: list[tuple], found: list[tuple]) -> tuple[int, int]:
    """Right verdicts among the listed news claims, claims paired by news_text."""
    right = 0
    for text in {w[0] for w in want}:
        right += sum((Counter(w[1] for w in want if w[0] == text) & Counter(f[1] for f in found if f[0] == text)).values())
    return right, len(want)


def _fragments(spec: dict, found: list[tuple]) -> tuple[int, int, list[tuple]]:
    """``reason_has`` fragments found in the reason of the row that matches the check (else of
    any row with its news_text), the total, and the fragments missing."""
    hit, total, missing = 0, 0, []
    for check in spec["checks"]:
        fragments = check.get("reason_has", [])
        if not fragments:
            continue
        key = (check["news_text"], check["verdict"], check["report_text"], check["report_year"])
        rows = [f for f in found if f[:4] == key] or [f for f in found if f[0] == check["news_text"]]
        for fragment in fragments:
            total += 1
            if any(fragment in (row[4] or "") for row in rows):
                hit += 1
            else:
                missing.append((check["news_text"], fragment, rows[0][4] if rows else None))
    return hit, total, missing


def score_case(case: str | Path) -> dict[str, Any]:
    """Load one case into a warehouse of its own and compare its findings with its case.json."""
    case = Path(case)
    con = store.connect(":memory:")
    try:
        spec = load_case(con, case)
        changes, checks = found_changes(con, spec, case.name), found_checks(con, spec, case.name)
        con.execute("DELETE FROM alerts")
        alerts = [(a["subject"], a["change"], a["old"], a["new"]) for a in findings.record_alerts(con)]
    finally:
        con.close()
    want_changes = expected_changes(spec)
    result: dict[str, Any] = {
        "case": case.name, "folder": str(case.parent), "about": spec.get("about", ""),
        "changes": _counts(want_changes, changes),
        "changes_no_topic": _counts([(s, ch, o, n) for s, _, ch, o, n in want_changes],
                                    [(s, ch, o, n) for s, _, ch, o, n in changes]),
        "by_change": {kind: _counts([c for c in want_changes if c[2] == kind], [c for c in changes if c[2] == kind])
                      for kind in CHANGES},
        "checks": _counts(expected_checks(spec), [f[:4] for f in checks]),
        "check_rows": checks,
    }
    result["verdicts_right"], result["verdicts_total"] = _verdicts(expected_checks(spec), checks)
    result["reasons_hit"], result["reasons_total"], result["reasons_missing"] = _fragments(spec, checks)
    if "alerts" in spec:
        result["alerts"] = _counts([(a["subject"], a["change"], a["old"], a["new"]) for a in spec["alerts"]], alerts)
    return result


def _add(total: dict | None, part: dict) -> dict:
    if total is None:
        return {"tp": part["tp"], "want": part["want"], "found": part["found"]}
    return {k: total[k] + part[k] for k in ("tp", "want", "found")}


def evaluate(folders: list[str | Path] | None = None) -> dict[str, Any]:
    """Score every case of ``folders`` (default: tests/findings); return per-case and total figures."""
    cases, errors = [], []
    for folder in folders or [DEFAULT_CASES]:
        for name in case_names(folder):
            try:
                cases.append(score_case(Path(folder) / name))
            except Exception as exc:  # a broken case is reported, the others still scored
                errors.append({"case": name, "folder": str(folder), "error": f"{type(exc).__name__}: {exc}"})
    totals: dict[str, Any] = {}
    for part in ("changes", "changes_no_topic", "checks", "alerts"):
        summed = None
        for c in cases:
            if part in c:
                summed = _add(summed, c[part])
        summed = summed or {"tp": 0, "want": 0, "found": 0}
        totals[part] = {**summed, **_prf(summed["tp"], summed["want"], summed["found"])}
    for kind in CHANGES:
        summed = {"tp": 0, "want": 0, "found": 0}
        for c in cases:
            summed = _add(summed, c["by_change"][kind])
        totals[f"change={kind}"] = {**summed, **_prf(summed["tp"], summed["want"], summed["found"])}
    right = sum(c["verdicts_right"] for c in cases)
    total = sum(c["verdicts_total"] for c in cases)
    totals["verdicts"] = {"right": right, "total": total, "accuracy": right / total if total else 1.0}
    hit = sum(c["reasons_hit"] for c in cases)
    total = sum(c["reasons_total"] for c in cases)
    totals["reasons"] = {"hit": hit, "total": total, "share": hit / total if total else 1.0}
    return {"cases": cases, "errors": errors, "totals": totals}


def perfect(result: dict) -> bool:
    """Whether a case's findings are exactly what its case.json lists."""
    parts = ["changes", "checks"] + (["alerts"] if "alerts" in result else [])
    return (all(not result[p]["missed"] and not result[p]["extra"] for p in parts)
            and result["verdicts_right"] == result["verdicts_total"] and not result["reasons_missing"])


# --- the report a person reads ---------------------------------------------------------------------

def _f(x: float) -> str:
    return f"{x:.3f}"


def _row(cells: list, widths: list[int]) -> str:
    return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))


def report(result: dict) -> str:
    """The figures as text: the table, the breakdown by change, every case's misses and extras."""
    out: list[str] = []
    header = ["case", "chg want", "found", "tp", "P", "R", "F1", "F1 no topic",
              "checks", "verdict ok", "P", "R", "reasons", "alerts tp/want/found"]
    widths = [max(28, *(len(c["case"]) for c in result["cases"])) if result["cases"] else 28,
              8, 5, 3, 5, 5, 5, 11, 6, 10, 5, 5, 7, 20]
    out.append(_row(header, widths))
    out.append("-" * (sum(widths) + 2 * len(widths)))
    for c in result["cases"]:
        ch, nt, ck = c["changes"], c["changes_no_topic"], c["checks"]
        prf, prf_nt, prf_ck = (_prf(x["tp"], x["want"], x["found"]) for x in (ch, nt, ck))
        al = c.get("alerts")
        out.append(_row([c["case"] + ("" if perfect(c) else " *"), ch["want"], ch["found"], ch["tp"],
                         _f(prf["precision"]), _f(prf["recall"]), _f(prf["f1"]), _f(prf_nt["f1"]),
                         ck["want"], f"{c['verdicts_right']}/{c['verdicts_total']}",
                         _f(prf_ck["precision"]), _f(prf_ck["recall"]), f"{c['reasons_hit']}/{c['reasons_total']}",
                         f"{al['tp']}/{al['want']}/{al['found']}" if al else "-"], widths))
    t = result["totals"]
    out.append("-" * (sum(widths) + 2 * len(widths)))
    al = t["alerts"]
    out.append(_row(["TOTAL", t["changes"]["want"], t["changes"]["found"], t["changes"]["tp"],
                     _f(t["changes"]["precision"]), _f(t["changes"]["recall"]), _f(t["changes"]["f1"]),
                     _f(t["changes_no_topic"]["f1"]), t["checks"]["want"],
                     f"{t['verdicts']['right']}/{t['verdicts']['total']}",
                     _f(t["checks"]["precision"]), _f(t["checks"]["recall"]),
                     f"{t['reasons']['hit']}/{t['reasons']['total']}",
                     f"{al['tp']}/{al['want']}/{al['found']}"], widths))
    out.append("(* = the case has misses or extras, listed below)")
    out.append("")
    out.append(f"cases: {len(result['cases'])}, errors: {len(result['errors'])}")
    out.append("edition changes (subject, topic, change, old_text, new_text): "
               f"P {_f(t['changes']['precision'])} R {_f(t['changes']['recall'])} F1 {_f(t['changes']['f1'])}")
    out.append("edition changes, topic ignored: "
               f"P {_f(t['changes_no_topic']['precision'])} R {_f(t['changes_no_topic']['recall'])} "
               f"F1 {_f(t['changes_no_topic']['f1'])}")
    out.append(f"news checks: verdict accuracy {_f(t['verdicts']['accuracy'])} "
               f"({t['verdicts']['right']}/{t['verdicts']['total']}); "
               f"(news_text, verdict, report_text, report_year) P {_f(t['checks']['precision'])} "
               f"R {_f(t['checks']['recall'])} F1 {_f(t['checks']['f1'])}; reason_has fragments found "
               f"{t['reasons']['hit']}/{t['reasons']['total']}")
    if any("alerts" in c for c in result["cases"]):
        out.append(f"alerts (subject, change, old, new): P {_f(al['precision'])} R {_f(al['recall'])} "
                   f"F1 {_f(al['f1'])}")
    else:
        out.append("alerts: no case lists them (not scored)")
    out.append("")
    out.append(_row(["by change", "want", "found", "tp", "P", "R", "F1"], [12, 5, 5, 4, 5, 5, 5]))
    for kind in CHANGES:
        k = t[f"change={kind}"]
        out.append(_row([kind, k["want"], k["found"], k["tp"], _f(k["precision"]), _f(k["recall"]), _f(k["f1"])],
                        [12, 5, 5, 4, 5, 5, 5]))
    for e in result["errors"]:
        out.append(f"\nERROR {e['folder']}/{e['case']}: {e['error']}")
    for c in result["cases"]:
        if perfect(c):
            continue
        out.append("")
        out.append(f"== {c['folder']}/{c['case']}")
        for label, part in (("change", "changes"), ("check", "checks"), ("alert", "alerts")):
            if part not in c:
                continue
            for row in c[part]["missed"]:
                out.append(f"  missed {label}: {row}")
            for row in c[part]["extra"]:
                out.append(f"  extra  {label}: {row}")
        for text, fragment, reason in c["reasons_missing"]:
            out.append(f"  reason of {text!r} lacks {fragment!r}: {reason!r}")
        listed = {m[0] for m in c["checks"]["missed"]} | {x[0] for x in c["checks"]["extra"]}
        for text, verdict, report_text, year, reason in c["check_rows"]:
            if text in listed:
                out.append(f"  row: {text!r} {verdict} vs {report_text!r} ({year}): {reason}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", action="append", type=Path,
                        help="a folder of cases (<case>/case.json); repeat for several (default: tests/findings)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    result = evaluate(args.cases)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
