"""Benchmark: tradeclaims' PDF parser against raw pypdfium2 text on the same report.

Run: .venv/bin/python benchmarks/pdf_parse_speed.py [--pages 500] [--pdf FILE]

Generates a 500-page NTE-style report (benchmarks/nte_report.py) unless --pdf is
given, then in one run prints pages/s of ``extractors.pdf_text.parse_pdf`` (clean
text, headers/footers removed, paragraphs and hyphens rejoined, sections mapped)
and of bare pypdfium2 ``get_text_range`` on the same file (with ``--pdfplumber`` also
of the pdfplumber engine), and the peak RSS of each, measured in a child process of its own.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _ours(path: str, queue) -> None:
    from extractors.pdf_text import parse_pdf

    data = Path(path).read_bytes()
    started = time.perf_counter()
    doc = parse_pdf(data, path)
    queue.put((time.perf_counter() - started, len(doc.pages), len(doc.text),
               resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def _plumber(path: str, queue) -> None:
    from extractors.pdf_text import parse_pdf

    data = Path(path).read_bytes()
    started = time.perf_counter()
    doc = parse_pdf(data, path, engine="pdfplumber")
    queue.put((time.perf_counter() - started, len(doc.pages), len(doc.text),
               resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def _raw(path: str, queue) -> None:
    import pypdfium2 as pdfium

    started = time.perf_counter()
    pdf = pdfium.PdfDocument(path)
    chars = 0
    for i in range(len(pdf)):
        page = pdf[i]
        textpage = page.get_textpage()
        chars += len(textpage.get_text_range())
        textpage.close()
        page.close()
    pages = len(pdf)
    pdf.close()
    queue.put((time.perf_counter() - started, pages, chars,
               resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def measure(target, path: str) -> tuple[float, int, int, float]:
    queue = mp.get_context("spawn").Queue()
    child = mp.get_context("spawn").Process(target=target, args=(path, queue))
    child.start()
    result = queue.get()
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--pdf", type=Path, default=None, help="an existing PDF instead of a generated one")
    parser.add_argument("--pdfplumber", action="store_true",
                        help="also time the pdfplumber engine (about a minute for 500 pages)")
    args = parser.parse_args()
    path = args.pdf
    if path is None:
        from benchmarks.nte_report import build_report

        path = Path("data/benchmarks/nte-report.pdf")
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            print(f"generating a {args.pages}-page report into {path} …")
            path.write_bytes(build_report(args.pages))
    ours = measure(_ours, str(path))
    raw = measure(_raw, str(path))
    rows = [("tradeclaims parse_pdf", ours), ("raw pypdfium2 text", raw)]
    if args.pdfplumber:
        rows.append(("parse_pdf, pdfplumber", measure(_plumber, str(path))))
    print(f"file: {path} ({path.stat().st_size:,} bytes)")
    for name, (seconds, pages, chars, rss) in rows:
        print(f"{name:22s} {pages} pages in {seconds:.2f} s = {pages / seconds:,.0f} pages/s, "
              f"{chars:,} chars, peak RSS {rss:,.0f} MiB")
    print(f"ratio parse_pdf / raw pypdfium2 time: {ours[0] / raw[0]:.1f}x")


if __name__ == "__main__":
    main()
