"""benchmarks/html_main_text.py scores evaluation data laid out as trafilatura's (made here from our pages)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "data" / "html"


def test_benchmark_scores_data_in_trafilatura_layout(tmp_path):
    (tmp_path / "cache").mkdir()
    (tmp_path / "eval").mkdir()
    shutil.copy(PAGES / "article_with_boilerplate.html", tmp_path / "cache")
    shutil.copy(PAGES / "no_article_text.html", tmp_path / "eval")
    evaldata = {
        "https://harbourledger.example/a": {
            "file": "article_with_boilerplate.html",
            "with": ["up from 20 percent under", "Industry reaction"],
            "without": ["We and our 412 partners use cookies", "Most read"],
        },
        "https://harbourledger.example/home": {
            "file": "no_article_text.html", "with": ["Harbour Ledger"], "without": ["Privacy"],
        },
    }
    (tmp_path / "evaldata.json").write_text(json.dumps(evaldata), encoding="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "html_main_text.py"), "--data", str(tmp_path)],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert "2 pages, 3 article segments, 3 boilerplate segments" in out
    ours = next(line for line in out.splitlines() if line.startswith("| tradeclaims"))
    # both article segments found, no boilerplate kept; the page without an article has no text
    assert ours.split("|")[1:7] == [" tradeclaims `parse_html` ", " 1.000 ", " 0.667 ", " 0.833 ", " **0.800** ", " 1 "]
    assert out.count("| trafilatura 2.3.1 alone") == 2
    # CPU time beside wall time, as a ratio to trafilatura as its evaluation runs it (1.00x for itself)
    reference = next(line for line in out.splitlines() if "as its evaluation runs it" in line)
    assert reference.rstrip().endswith("| 1.00x |") and ours.rstrip().endswith("x |")


def test_benchmark_names_missing_data(tmp_path):
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "html_main_text.py"), "--data", str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode != 0
    assert f"{tmp_path}/evaldata.json: not found" in run.stderr
