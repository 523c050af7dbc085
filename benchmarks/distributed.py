"""Distributed mode: N generated articles on 1 worker against 2 workers, as ratios in one run.

Starts its own redis-server (a free port) and Celery workers (``pipelines/distributed``),
serves ``--articles`` generated news pages (benchmarks/news_corpus.py) on 127.0.0.1, and
loads them into a fresh data folder per configuration, alternating the configurations
for ``--rounds`` rounds:

* ``in-process``: ``tradeclaims run``'s path without workers (one process, a pool of 4 for
  parse and extract when there are 12 documents or more);
* ``1 worker`` / ``2 workers``: ``--workers`` with ``--batch-size`` documents per task;
  ``--configs in-process,1x4,2x4,2x1`` names them as workers x batch size (the default is
  ``in-process,1xB,2xB`` with B = ``--batch-size``).

"seconds" is the wall time of the per-document work (the Dagster run of the documents'
steps: ``raw_documents``…``document_claims`` in process, ``documents_on_workers`` on
workers), not the snapshot or the load, which are the same in every configuration.

    .venv/bin/python benchmarks/distributed.py [--articles 50] [--rounds 2] [--batch-size 4] [--configs …]
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


def _configs(spec: str) -> list[tuple[str, int, int]]:
    """``in-process,1x4,2x4`` as (name, workers, batch size); 0 workers: in process."""
    configs = []
    for name in spec.split(","):
        if name == "in-process":
            configs.append((name, 0, 1))
            continue
        try:
            count, batch = (int(part) for part in name.split("x"))
        except ValueError:
            raise SystemExit(f"--configs: {name!r} is neither in-process nor WORKERSxBATCH (2x4)") from None
        configs.append((f"{count} worker{'s' if count > 1 else ''} x {batch}", count, batch))
    return configs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--configs", default=None, help="comma-separated: in-process, or WORKERSxBATCH (2x4)")
    args = parser.parse_args()
    configs = _configs(args.configs or f"in-process,1x{args.batch_size},2x{args.batch_size}")

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
                for name, count, batch_size in configs:
                    if count:
                        workers.start(count, timeout=300)
                    try:
                        data = tmp / f"data-{round_number}-{count}-{batch_size}"
                        settings = TradeclaimsConfig(registry_path=str(registry), data_dir=str(data),
                                                     warehouse_path=str(data / "warehouse.duckdb"))
                        started = time.monotonic()
                        result = materialize_registry(settings, instance, on_workers=bool(count),
                                                      batch_size=batch_size, log_level="ERROR")
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
    print(f"\n{args.articles} articles, {args.rounds} rounds, "
          f"{os.cpu_count()} CPUs, load average {load[0]:.1f}:")
    base = statistics.median(next(iter(v for k, v in seconds.items() if k != "in-process")))
    for name, values in seconds.items():
        median = statistics.median(values)
        print(f"  {name:10s} median {median:6.1f} s  ({', '.join(f'{v:.1f}' for v in values)});"
              f" first worker configuration / this = {base / median:.2f}")


if __name__ == "__main__":
    main()
