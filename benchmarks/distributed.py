"""Distributed mode: N generated articles on 1 worker against 2 workers, as ratios in one run.

Starts its own redis-server (a free port) and Celery workers (``pipelines/distributed``),
serves ``--articles`` generated news pages (benchmarks/news_corpus.py) on 127.0.0.1, and
loads them into a fresh data folder per configuration, alternating the configurations
for ``--rounds`` rounds:

* ``in-process``: ``tradeclaims run``'s path without workers (one process, a pool of 4 for
  parse and extract when there are 12 documents or more);
* ``1 worker`` / ``2 workers``: ``--workers`` with ``--batch-size`` documents per task.

"seconds" is the wall time of the per-document work (the Dagster run of the documents'
steps: ``raw_documents``…``document_claims`` in process, ``documents_on_workers`` on
workers), not the snapshot or the load, which are the same in every configuration.

    .venv/bin/python benchmarks/distributed.py [--articles 50] [--rounds 2] [--batch-size 4]
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus_server import CorpusServer  # noqa: E402
from benchmarks.news_corpus import write_news  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _work_seconds(instance, result) -> float:
    """Wall time of the run that did the per-document work (the second of three, or of two)."""
    run_id = result.run_ids[1]
    stats = instance.get_run_stats(run_id)
    return stats.end_time - stats.start_time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=4)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="tradeclaims-distributed-"))
    home = tmp / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    config = (ROOT / "dagster-distributed.yaml").read_text("utf-8").replace(":6379/", f":{_free_port()}/")
    (tmp / "celery.yaml").write_text(config, "utf-8")
    os.environ.update(DAGSTER_HOME=str(home), TRADECLAIMS_DATA=str(tmp / "cluster"),
                      TRADECLAIMS_CELERY_CONFIG=str(tmp / "celery.yaml"))

    import dagster as dg

    from pipelines.distributed import workers
    from pipelines.resources import TradeclaimsConfig
    from pipelines.runner import materialize_registry

    instance = dg.DagsterInstance.get()
    slugs = write_news(tmp / "news", args.articles)
    seconds: dict[str, list[float]] = {}
    try:
        with CorpusServer(tmp / "news") as server:
            registry = tmp / "registry.toml"
            registry.write_text('[fetch]\nallow_hosts = ["127.0.0.1"]\n' + "".join(
                f'\n[[source]]\nid = "{s}"\nkind = "news"\nurl = "{server.base_url}/{s}.html"\n' for s in slugs))
            for round_number in range(args.rounds):
                for name, count in (("in-process", 0), ("1 worker", 1), ("2 workers", 2)):
                    if count:
                        workers.start(count, timeout=300)
                    try:
                        data = tmp / f"data-{round_number}-{count}"
                        settings = TradeclaimsConfig(registry_path=str(registry), data_dir=str(data),
                                                     warehouse_path=str(data / "warehouse.duckdb"))
                        started = time.monotonic()
                        result = materialize_registry(settings, instance, on_workers=bool(count),
                                                      batch_size=args.batch_size, log_level="ERROR")
                        assert result.success, f"{name}: runs {result.run_ids} failed"
                        work = _work_seconds(instance, result)
                        seconds.setdefault(name, []).append(work)
                        print(f"round {round_number + 1}, {name}: documents' work {work:.1f} s "
                              f"(whole call {time.monotonic() - started:.1f} s)", flush=True)
                    finally:
                        if count:  # the workers only: redis-server stays up for the next configuration
                            workers.stop([entry for entry in workers.recorded() if entry.name != "redis"])
    finally:
        workers.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    load = os.getloadavg()
    print(f"\n{args.articles} articles, batches of {args.batch_size}, {args.rounds} rounds, "
          f"{os.cpu_count()} CPUs, load average {load[0]:.1f}:")
    base = statistics.median(seconds["1 worker"])
    for name, values in seconds.items():
        median = statistics.median(values)
        print(f"  {name:10s} median {median:6.1f} s  ({', '.join(f'{v:.1f}' for v in values)});"
              f" 1 worker / this = {base / median:.2f}")


if __name__ == "__main__":
    main()
