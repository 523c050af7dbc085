"""Benchmark: the whole pipeline on a full-size report and 200 news articles, over HTTP.

Run: .venv/bin/python benchmarks/pipeline_full.py [--pages 500] [--news 200]

Generates a 500-page NTE-style report (60 chapters) and 200 news pages, serves
them from a local HTTP server with ETags, and runs ``tradeclaims run`` (the
project's normal entry point, in a child process) four times:

1. the report alone (fetch → parse → extract → load),
2. the report again (unchanged) with the 200 articles added,
3. all of it again, unchanged (conditional GETs answer 304: nothing is re-parsed,
   re-extracted or re-loaded),
4. after one new article was added (only it is parsed, extracted and loaded).

For each it prints the wall time of the command (Dagster start included), the
stage times Dagster recorded, pages/s and claims/s of the first run, and the peak
RSS of the child process.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus_server import CorpusServer  # noqa: E402
from benchmarks.news_corpus import write_news  # noqa: E402
from benchmarks.nte_report import build_report  # noqa: E402

TRADECLAIMS = str(Path(sys.executable).parent / "tradeclaims")


def write_registry(path: Path, base_url: str, slugs: list[str]) -> None:
    # The corpus server listens on 127.0.0.1: allowed by name, as the fetcher refuses loopback otherwise.
    lines = ['[fetch]', 'allow_hosts = ["127.0.0.1"]', '',
             '[[source]]', 'id = "nte-2025-full"', 'kind = "report"',
             f'url = "{base_url}/reports/nte-2025-full.pdf"', 'year = 2025', '']
    for slug in slugs:
        lines += ['[[source]]', f'id = "news-{slug}"', 'kind = "news"', f'url = "{base_url}/news/{slug}.html"', '']
    path.write_text("\n".join(lines), "utf-8")


def run(registry: Path, warehouse: Path, data: Path) -> dict:
    env = dict(os.environ, TRADECLAIMS_DATA=str(data), COLUMNS="200")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([TRADECLAIMS, "run", "--registry", str(registry), "--warehouse", str(warehouse)],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"tradeclaims run failed:\n{done.stdout}\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    stages = dict((m.group(1), float(m.group(2)))
                  for m in re.finditer(r"(source_snapshot|raw_documents|document_text|document_claims|warehouse_claims) ([\d.]+) s",
                                       done.stdout))
    processed = re.search(r"(\d+) of (\d+) documents needed", done.stderr.replace("\n", " "))
    by_kind = done.stdout.split("Claims by kind:")[1].splitlines()[0]
    claims = sum(int(n) for n in re.findall(r"(?:date|money|percent|period) (\d+)", by_kind))
    return {"wall": wall, "stages": stages, "claims": claims, "peak_mib": max(peak, before) / 1024,
            "processed": processed.group(0) if processed else "?", "stdout": done.stdout}


def report(name: str, result: dict, pages: int | None = None) -> None:
    work = sum(result["stages"].values())
    stages = ", ".join(f"{k} {v:.2f} s" for k, v in result["stages"].items())
    print(f"{name}: command {result['wall']:.1f} s, pipeline work {work:.2f} s ({stages}); {result['processed']}")
    if pages:
        print(f"  {pages / work:,.0f} pages/s and {result['claims'] / work:,.0f} claims/s over the pipeline work;"
              f" {result['claims']:,} claims in the warehouse")
    print(f"  peak RSS of the run so far: {result['peak_mib']:,.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--news", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tradeclaims-bench-") as tmp:
        tmp = Path(tmp)
        site = tmp / "site"
        (site / "reports").mkdir(parents=True)
        print(f"generating a {args.pages}-page report and {args.news} news pages …")
        report_pdf = build_report(args.pages)
        (site / "reports" / "nte-2025-full.pdf").write_bytes(report_pdf)
        slugs = write_news(site / "news", args.news)
        import pypdfium2

        pages = len(pypdfium2.PdfDocument(report_pdf))
        registry, warehouse, data = tmp / "registry.toml", tmp / "warehouse.duckdb", tmp / "data"
        with CorpusServer(site) as server:
            write_registry(registry, server.base_url, [])
            first = run(registry, warehouse, data)
            report(f"1. the {pages}-page report alone, first run", first, pages)
            write_registry(registry, server.base_url, slugs)
            second = run(registry, warehouse, data)
            report(f"2. the report (unchanged) and {args.news} new articles", second)
            third = run(registry, warehouse, data)
            report("3. the same sources again, unchanged", third)
            slugs += write_news(site / "news", 1, start=args.news)
            write_registry(registry, server.base_url, slugs)
            fourth = run(registry, warehouse, data)
            report("4. one more article", fourth)

if __name__ == "__main__":
    main()
