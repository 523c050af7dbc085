"""Benchmark: article text of real web pages, scored the way trafilatura scores itself.

Run: .venv/bin/python benchmarks/html_main_text.py --data /work/ext/trafilatura/tests [--limit N] [--misses]

It reads trafilatura's public evaluation data, which is NOT part of this repository:
fetch the public ``adbar/trafilatura`` repository and copy its ``tests/evaldata.json``,
``tests/cache/`` and ``tests/eval/`` under one folder outside the repo (never commit them),
then pass that folder as ``--data``. ``evaldata.json`` lists 990 pages, each with segments
of the article ("with") and of its boilerplate ("without").

Scoring follows trafilatura's ``tests/eval_common.py``: text and segments are
whitespace-normalized; a "with" segment found as a substring of the extracted text is a
true positive (else a false negative), a "without" segment found is a false positive (else
a true negative). A page where ``parse_html`` raises :class:`DocumentError` scores as empty
text and counts as a page without text.

In the same run, page by page in alternation (so machine load hits every extractor alike;
the order rotates from page to page, so no extractor always reads a page first),
it scores ``trafilatura.extract`` alone: once as trafilatura's own evaluation runs it
(``include_comments=False, include_tables=True``, the figure trafilatura publishes) and once
with the library's defaults. Seconds are the sums of each extractor's wall time per page;
ours includes everything ``parse_html`` does (decoding, metadata, the date check). CPU
seconds are the same calls' processor time (``time.thread_time``): on a shared machine
wall time also counts the waits for a core, so the CPU ratio is the steadier comparison.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Score:
    """Segment counts, pages without text and seconds of one extractor."""

    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    empty: int = 0
    seconds: float = 0.0
    cpu: float = 0.0

    def add(self, item: dict, text: str | None) -> tuple[list[str], list[str]]:
        """Count one page; return the "with" segments missed and the "without" ones kept."""
        normed = _norm(text or "")
        if not normed:
            self.empty += 1
        missed = [w for w in item["with"] if _norm(w) not in normed]
        kept = [w for w in item["without"] if _norm(w) in normed]
        self.tp += len(item["with"]) - len(missed)
        self.fn += len(missed)
        self.fp += len(kept)
        self.tn += len(item["without"]) - len(kept)
        return missed, kept

    def row(self, reference: "Score") -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        total = self.tp + self.fp + self.fn + self.tn
        acc = (self.tp + self.tn) / total if total else 0.0
        f1 = 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0
        return (f"| {self.name} | {p:.3f} | {r:.3f} | {acc:.3f} | **{f1:.3f}** | "
                f"{self.empty} | {self.seconds:.1f} | {self.cpu:.1f} | {self.cpu / reference.cpu:.2f}x |")


def load_pages(data: Path, limit: int | None) -> list[tuple[str, dict, bytes]]:
    """(url, annotations, bytes) for every page of ``data/evaldata.json``, in url order."""
    index = data / "evaldata.json"
    if not index.is_file():
        sys.exit(f"{index}: not found (see the docstring: fetch adbar/trafilatura's tests/ data)")
    evaldata = json.loads(index.read_text(encoding="utf-8"))
    pages = []
    for url in sorted(evaldata):
        item = evaldata[url]
        path = next((p for p in (data / "cache" / item["file"], data / "eval" / item["file"])
                     if p.is_file()), None)
        if path is None:
            sys.exit(f"{url}: page file {item['file']} not found under {data}/cache or {data}/eval")
        pages.append((url, item, path.read_bytes()))
    return pages[:limit] if limit else pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True,
                        help="folder holding trafilatura's evaldata.json, cache/ and eval/")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages")
    parser.add_argument("--misses", action="store_true",
                        help="list, per page, the segments ours misses or keeps wrongly")
    args = parser.parse_args()

    import trafilatura

    from extractors.document import DocumentError
    from extractors.html_text import parse_html

    def ours(data: bytes, name: str) -> str | None:
        try:
            return parse_html(data, name).text
        except DocumentError:
            return None

    runners = {
        "tradeclaims `parse_html`": ours,
        f"trafilatura {trafilatura.__version__} alone, as its evaluation runs it": lambda data, _: (
            trafilatura.extract(data, include_comments=False, include_tables=True)),
        f"trafilatura {trafilatura.__version__} alone, library defaults": lambda data, _: (
            trafilatura.extract(data)),
    }
    scores = {name: Score(name) for name in runners}
    pages = load_pages(args.data, args.limit)
    for _, _, data in pages[:5]:  # warm up imports and caches, unscored
        for run in runners.values():
            run(data, "warm-up")
    names = list(runners)
    for number, (url, item, data) in enumerate(pages):
        # each page in a rotated order: the first extractor to read a page pays for the
        # cold caches (on 990 pages our CPU ratio was 1.02 when ours always went first, 0.97
        # when trafilatura did)
        turn = number % len(names)
        for name in names[turn:] + names[:turn]:
            run = runners[name]
            started, cpu = time.perf_counter(), time.thread_time()
            text = run(data, item["file"])
            scores[name].seconds += time.perf_counter() - started
            scores[name].cpu += time.thread_time() - cpu
            missed, kept = scores[name].add(item, text)
            if args.misses and name == next(iter(runners)) and (missed or kept):
                print(f"{item['file']}: missed {missed!r} kept {kept!r}" + ("" if text else " (no text)"))

    with_count = sum(len(item["with"]) for _, item, _ in pages)
    without_count = sum(len(item["without"]) for _, item, _ in pages)
    print(f"{len(pages)} pages, {with_count} article segments, {without_count} boilerplate segments")
    reference = list(scores.values())[1]  # trafilatura as its evaluation runs it
    print("| extractor | precision | recall | accuracy | F1 | pages without text | seconds | CPU seconds | CPU vs trafilatura |")
    print("|---|---|---|---|---|---|---|---|---|")
    for score in scores.values():
        print(score.row(reference))


if __name__ == "__main__":
    main()
