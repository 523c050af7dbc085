"""Instructions of claim extraction and of bare tokenization, counted by callgrind.

Run under valgrind, once per mode, and compare the two totals (load-independent):

    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.tok \\
        .venv/bin/python benchmarks/extraction_instructions.py tokenize
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.ext \\
        .venv/bin/python benchmarks/extraction_instructions.py extract
    callgrind_annotate /tmp/cg.tok | head -3; callgrind_annotate /tmp/cg.ext | head -3

Both build their pipeline first (``spacy.blank("en")``, or :func:`new_nlp`) and switch
instruction counting on (``callgrind_control -i on``) for the work only: tokenizing
(``make_doc`` of every chunk), or ``extract_claims``, of the same ``--kb`` of the
benchmark's prose (``--text annex`` for the claim-dense text). ``extract-warm`` runs
the extraction once uncounted first (the word tables and the tokenizer cache warm).
Without valgrind the script just runs the work once and prints its seconds.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import spacy  # noqa: E402

from benchmarks.nte_text import annex_text, nte_text  # noqa: E402
from extractors.extraction import chunk_text, extract_claims, new_nlp  # noqa: E402


def _counting(on: bool) -> None:
    """Switch callgrind's counting for this process (nothing when not under valgrind)."""
    if "valgrind" in os.environ.get("LD_PRELOAD", "") or os.environ.get("VALGRIND_LIB"):
        subprocess.run(["callgrind_control", "-i", "on" if on else "off", str(os.getpid())],
                       check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["tokenize", "extract", "extract-warm"])
    parser.add_argument("--kb", type=int, default=100, help="kilobytes of text (default 100)")
    parser.add_argument("--text", choices=["prose", "annex"], default="prose")
    args = parser.parse_args()
    text = (nte_text if args.text == "prose" else annex_text)(args.kb * 1000)
    if args.mode == "tokenize":
        nlp = spacy.blank("en")
        chunks = [chunk for _, chunk in chunk_text(text)]
        _counting(True)
        started = time.perf_counter()
        result = sum(len(nlp.make_doc(chunk)) for chunk in chunks)
    else:
        nlp = new_nlp()
        if args.mode == "extract-warm":
            extract_claims(text, "benchmark", nlp=nlp)
        _counting(True)
        started = time.perf_counter()
        result = len(extract_claims(text, "benchmark", nlp=nlp))
    seconds = time.perf_counter() - started
    _counting(False)
    print(f"{args.mode}: {result:,} {'tokens' if args.mode == 'tokenize' else 'claims'} in {seconds:.2f} s")


if __name__ == "__main__":
    main()
